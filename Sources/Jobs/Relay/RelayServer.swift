import Basics
import Census
public import CensusStore
public import Curl
import Foundation
public import Relay
public import Reports

/// The SMTP server and how to reach it, as the command line gives it; each setting left nil is
/// the policy's `relay` one.
public struct RelayServer: Sendable {
    public var url: String?
    public var username: String?
    public var passwordFile: String?
    public var caFile: String?
    public var insecure: Bool
    public var allowPlaintext: Bool

    public init(
        url: String? = nil, username: String? = nil, passwordFile: String? = nil, caFile: String? = nil,
        insecure: Bool = false, allowPlaintext: Bool = false
    ) {
        self.url = url
        self.username = username
        self.passwordFile = passwordFile
        self.caFile = caFile
        self.insecure = insecure
        self.allowPlaintext = allowPlaintext
    }

    /// The session with the policy's SMTP server, as these settings change it.
    ///
    /// - Throws: `RelayError` naming the policy's key when there is no server or no password.
    public func session(_ configuration: Configuration) throws -> SMTPSession {
        let relay = configuration.relay
        let policyPath = configuration.path
        guard let url = url ?? relay.server else {
            throw RelayError(
                .settings, subject: "\(policyPath): relay.server", "names no SMTP server; give one, or --server")
        }
        let user = username ?? relay.username
        let passwordFile = passwordFile ?? relay.passwordFile
        let password: Secret?
        do {
            password = try user.map { _ in try Secret.load(variable: "MAILCENSUS_SMTP_PASSWORD", file: passwordFile) }
        } catch {
            guard passwordFile == nil else { throw error }
            throw RelayError(
                .settings, subject: "\(policyPath): relay.username",
                "no SMTP password: set $MAILCENSUS_SMTP_PASSWORD, or give --password-file FILE (or relay.password_file), "
                    + "a file only you can read")
        }
        return SMTPSession(
            server: SMTPServer(
                url: url, username: user, password: password,
                tls: TLSOptions(caFile: caFile ?? relay.caFile, insecure: insecure),
                allowPlaintext: allowPlaintext || relay.allowPlaintext))
    }
}

/// What relaying shares: the notice context, and sending what is due.
public enum Relaying {
    /// The notice context of the policy, in `language`, at `now`.
    public static func context(_ configuration: Configuration, language: ReportLanguage, now: Int64) throws
        -> NoticeContext
    {
        try NoticeContext(
            policy: configuration.policy, relay: configuration.relay, leadership: configuration.report.leadership,
            policyPath: configuration.path, language: language, now: now)
    }

    /// Sends what is due, holding the store's relay lock; each notice deferred or failed, and a
    /// stopped run, reported through `log`.
    public static func sendDue(_ store: any Store, session: SMTPSession, settings: RelaySettings, log: JobLog)
        async throws -> RelayOutcome
    {
        let hold = try store.hold(.relay)
        defer { withExtendedLifetime(hold) {} }
        let sender = RelaySender(outbox: store, transport: session, maxAttempts: settings.maxAttempts)
        let run = try await sender.sendDue(now: { Int64(Date().timeIntervalSince1970) })
        for problem in run.deferred {
            log("mailcensus: \(problem.recipient): deferred, will be tried again: \(problem.error)")
        }
        for problem in run.failed { log("mailcensus: \(problem.recipient): not sent: \(problem.error)") }
        if let stopped = run.stopped {
            log("mailcensus: sending stopped: \(stopped); \(run.stillQueued) notice(s) stay queued for the next run")
        }
        return RelayOutcome(run: run, server: session.server.url, connections: session.connections)
    }
}

/// What a send did, and over how many connections to which server.
public struct RelayOutcome: Sendable {
    public var run: RelayRun
    public var server: String
    public var connections: Int

    /// Whether anything was left unsent: the run stopped, or a notice failed.
    public var isIncomplete: Bool { run.stopped != nil || !run.failed.isEmpty }

    /// `3 sent over 1 connection(s), 0 deferred, 0 failed`.
    public var summary: String {
        "\(run.sent.count) sent over \(connections) connection(s), \(run.deferred.count) deferred, "
            + "\(run.failed.count) failed" + (run.stopped == nil ? "" : ", \(run.stillQueued) left queued")
    }

    /// `Relay to smtp://…: …`.
    public var line: String { "Relay to \(server): \(summary).\n" }
}
