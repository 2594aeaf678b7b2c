/// The fields of one Postfix log message that mailcensus reads, as ranges of the body.
///
/// Made by `PostfixParser.parse`; ranges index the body view it was given. Only the fields
/// the line has are set.
public struct PostfixFields: Sendable, Equatable {
    /// The queue id that starts the message, when there is one (not `NOQUEUE`).
    public var queueID: Range<Int>?
    /// True for `NOQUEUE: reject: …` and `NOQUEUE: milter-reject: …`.
    public var isNoQueueReject = false
    /// `client=host[ip]:port`, or the client of `connect from`, `reject: RCPT from …` and the like.
    public var clientHost: Range<Int>?
    public var clientIP: Range<Int>?
    public var clientPort: Range<Int>?
    /// `relay=host[ip]:port` of a delivery, or the peer of an SMTP client line.
    public var relay: Range<Int>?
    public var relayHost: Range<Int>?
    public var relayIP: Range<Int>?
    public var relayPort: Range<Int>?
    public var from: Range<Int>?
    public var to: Range<Int>?
    public var origTo: Range<Int>?
    public var saslMethod: Range<Int>?
    public var saslUsername: Range<Int>?
    public var dsn: Range<Int>?
    /// The delivery status word: `sent`, `deferred`, `bounced`, `expired`, …
    public var status: Range<Int>?
    /// The text in parentheses after the status.
    public var statusDetail: Range<Int>?
    public var messageID: Range<Int>?
    /// The queue id of a notification, from `sender non-delivery notification: ID`.
    public var notificationQueueID: Range<Int>?
    /// The queue id in a reply's `queued as ID`.
    public var queuedAs: Range<Int>?
    /// The queue id of local(8)'s `status=sent (forwarded as ID)`: an alias or `.forward`
    /// expansion re-queued the message under that id.
    public var forwardedAs: Range<Int>?
    /// True for `removed`.
    public var isRemoved = false
    /// True for `reject:` and `milter-reject:` after a queue id: from cleanup, the message is
    /// refused; from smtpd, one recipient is.
    public var isCleanupReject = false
    /// True for qmgr's `from=…, size=…, nrcpt=…` line: the message is in the active queue.
    public var isQueueActive = false
}

/// The fields of a delivery line that its event needs, as ranges of the body: what
/// `PostfixParser.parseDelivery` reads, or the same fields of a general parse.
struct DeliveryFields: Equatable {
    var to: Range<Int>?
    var origTo: Range<Int>?
    var relay: Range<Int>?
    var relayIP: Range<Int>?
    var relayPort: Range<Int>?
    var status: Range<Int>?
    var statusDetail: Range<Int>?
    var queuedAs: Range<Int>?
    var forwardedAs: Range<Int>?

    init() {}

    init(_ fields: PostfixFields) {
        to = fields.to
        origTo = fields.origTo
        relay = fields.relay
        relayIP = fields.relayIP
        relayPort = fields.relayPort
        status = fields.status
        statusDetail = fields.statusDetail
        queuedAs = fields.queuedAs
        forwardedAs = fields.forwardedAs
    }
}
