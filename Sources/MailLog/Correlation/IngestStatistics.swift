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
    /// Receipts: recipients delivered into a mailbox here (lmtp, virtual, local, pipe) with
    /// `status=sent`, once per message and mailbox, bounce notifications included; local(8)'s
    /// `forwarded as` hops are not deliveries. It equals the sum of every address's `received`.
    public var delivered = 0
    /// Recipients of messages (notifications aside) delivered to another server (smtp),
    /// content-filter hops aside.
    public var relayed = 0
    /// Recipients of messages (notifications aside) that bounced.
    public var bounced = 0
    /// Delivery attempts of messages (notifications aside) deferred (every retry counts).
    public var deferred = 0
    /// Messages that expired in the queue.
    public var expired = 0
    /// Messages refused before queueing (`NOQUEUE: reject`) or by cleanup.
    public var rejected = 0
    public var logins = 0
    /// Failed authentication attempts.
    public var loginFailures = 0
    /// From display names recorded (one per message whose cleanup logged its From header).
    public var displayNames = 0
    /// Logged From headers that could not be read (undecodable, too long, no address, cut
    /// short, no letters): their messages count, their names are not kept. Also among `linesParsed`.
    public var unreadableHeaders = 0

    public init() {}

    /// Reads statistics saved by any version: counts it did not know are zero.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func count(_ key: CodingKeys) throws -> Int { try container.decodeIfPresent(Int.self, forKey: key) ?? 0 }
        linesRead = try count(.linesRead)
        linesParsed = try count(.linesParsed)
        linesSkipped = try count(.linesSkipped)
        linesUnrecognised = try count(.linesUnrecognised)
        messages = try count(.messages)
        notifications = try count(.notifications)
        submissions = try count(.submissions)
        delivered = try count(.delivered)
        relayed = try count(.relayed)
        bounced = try count(.bounced)
        deferred = try count(.deferred)
        expired = try count(.expired)
        rejected = try count(.rejected)
        logins = try count(.logins)
        loginFailures = try count(.loginFailures)
        displayNames = try count(.displayNames)
        unreadableHeaders = try count(.unreadableHeaders)
    }

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
        lhs.displayNames += rhs.displayNames
        lhs.unreadableHeaders += rhs.unreadableHeaders
    }
}
