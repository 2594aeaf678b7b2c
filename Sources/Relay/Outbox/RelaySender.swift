public import Curl
import Foundation
public import Logging

/// What carries a message to the mail server: SMTP (`SMTPSession`), or a stand-in in tests.
public protocol MailTransport: Sendable {
    func send(from: String, to recipients: [String], message: [UInt8]) async throws
}

extension SMTPSession: MailTransport {}

/// What one relay run did.
public struct RelayRun: Sendable {
    public struct Problem: Sendable {
        public var recipient: String
        public var key: String
        public var error: String
    }

    public var sent: [String] = []
    /// Left queued after a transient failure, to be tried again.
    public var deferred: [Problem] = []
    /// Given up on: a permanent refusal, or too many attempts.
    public var failed: [Problem] = []
    /// Why the run stopped before the end (the server down, the credentials refused), when it did.
    public var stopped: SMTPError?
    /// Notices left queued and due when the run stopped.
    public var stillQueued = 0

    public init() {}
}

/// Sends the notices due in an outbox, one after another over one session.
public struct RelaySender: Sendable {
    public let outbox: any Outbox
    public let transport: any MailTransport
    public let maxAttempts: Int
    let logger: Logger

    public init(
        outbox: any Outbox, transport: any MailTransport, maxAttempts: Int = 8,
        logger: Logger = Logger(label: "mailcensus.relay")
    ) {
        self.outbox = outbox
        self.transport = transport
        self.maxAttempts = maxAttempts
        self.logger = logger
    }

    /// The wait after `attempts` failures: 5 minutes, doubling, at most 6 hours.
    public static func backoff(afterAttempts attempts: Int) -> Int64 {
        min(6 * 3600, 300 << min(max(attempts - 1, 0), 12))
    }

    /// Sends everything due at `now()`, in batches so that memory stays bounded (one message
    /// at a time is read from the outbox).
    ///
    /// A server that cannot be reached, refuses the credentials or fails TLS stops the run:
    /// the notice stays queued as it was (that was no fault of its own), and so do the rest. A
    /// 4xx defers that notice; a 5xx fails it; the others go on.
    public func sendDue(now: () -> Int64) async throws -> RelayRun {
        var run = RelayRun()
        // What is due when the run starts: each notice handled is sent, failed or deferred to
        // after it, so no notice is tried twice in a run.
        let start = now()
        while run.stopped == nil {
            let batch = try outbox.due(at: start, limit: 200)
            if batch.isEmpty { break }
            for entry in batch {
                let message = try outbox.message(id: entry.id)
                do {
                    try await transport.send(from: entry.sender, to: [entry.recipient], message: message)
                    try outbox.markSent(id: entry.id, at: now())
                    run.sent.append(entry.recipient)
                } catch let error as SMTPError {
                    let problem = RelayRun.Problem(recipient: entry.recipient, key: entry.key, error: error.description)
                    switch error.code {
                    case .unavailable, .authentication, .tls, .invalid:
                        // Not this notice's fault: no attempt counted against it.
                        run.stopped = error
                        try outbox.markDeferred(id: entry.id, error: error.description, retryAt: now(), counting: false)
                    case .temporary:
                        if entry.attempts + 1 >= maxAttempts {
                            var gaveUp = problem
                            gaveUp.error = "gave up after \(entry.attempts + 1) attempts: \(error)"
                            try outbox.markFailed(id: entry.id, error: gaveUp.error)
                            run.failed.append(gaveUp)
                        } else {
                            try outbox.markDeferred(
                                id: entry.id, error: error.description,
                                retryAt: now() + Self.backoff(afterAttempts: entry.attempts + 1), counting: true)
                            run.deferred.append(problem)
                        }
                    case .permanent, .unsafeAddress:
                        try outbox.markFailed(id: entry.id, error: error.description)
                        run.failed.append(problem)
                    }
                    logger.debug("\(entry.key): \(error)")
                }
                if run.stopped != nil { break }
            }
        }
        if run.stopped != nil { run.stillQueued = try outbox.due(at: now(), limit: 1_000_000).count }
        return run
    }
}
