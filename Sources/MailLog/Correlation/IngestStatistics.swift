/// Counts of what an ingest read and found, added up over every run into a store.
public struct IngestStatistics: Sendable, Codable, Equatable {
    /// Lines read, whatever they held.
    public var linesRead = 0
    /// Postfix and Dovecot lines.
    public var linesParsed = 0
    /// Lines of other programs, and lines no known format fits.
    public var linesSkipped = 0
    /// Of the skipped lines, those no known format fits.
    public var linesUnrecognised = 0
    /// Messages accepted by the server, each once however many times a content filter re-queued it.
    public var messages = 0
    /// Bounce and delivery-status notifications (`from=<>`).
    public var notifications = 0
    /// Accepted messages whose client authenticated (`sasl_username`).
    public var submissions = 0
    /// Recipients delivered into a mailbox here (lmtp, virtual, local, pipe).
    public var delivered = 0
    /// Recipients delivered to another server (smtp), content-filter hops aside.
    public var relayed = 0
    public var bounced = 0
    /// Delivery attempts deferred (every retry counts).
    public var deferred = 0
    /// Messages that expired in the queue.
    public var expired = 0
    /// Messages refused before queueing (`NOQUEUE: reject`) or by cleanup.
    public var rejected = 0
    public var logins = 0
    /// Failed authentication attempts.
    public var loginFailures = 0

    public init() {}

    public static func += (lhs: inout IngestStatistics, rhs: IngestStatistics) {
        lhs.linesRead += rhs.linesRead
        lhs.linesParsed += rhs.linesParsed
        lhs.linesSkipped += rhs.linesSkipped
        lhs.linesUnrecognised += rhs.linesUnrecognised
        lhs.messages += rhs.messages
        lhs.notifications += rhs.notifications
        lhs.submissions += rhs.submissions
        lhs.delivered += rhs.delivered
        lhs.relayed += rhs.relayed
        lhs.bounced += rhs.bounced
        lhs.deferred += rhs.deferred
        lhs.expired += rhs.expired
        lhs.rejected += rhs.rejected
        lhs.logins += rhs.logins
        lhs.loginFailures += rhs.loginFailures
    }
}
