/// How a delivery left the queue.
public enum DeliveryAgent: UInt8, Sendable, Codable {
    /// Into a mailbox on this server: lmtp, virtual, local, pipe.
    case mailbox
    /// To another server: smtp (any instance).
    case remote
    /// error, discard, retry, qmgr's own notices.
    case other
}

/// A delivery line's final word on a recipient.
public enum DeliveryStatus: UInt8, Sendable, Codable {
    case sent
    case deferred
    case bounced
    case expired
    /// Address verification probes (`deliverable`, `undeliverable`) and anything else.
    case other
}

/// One delivery attempt of a queued message to one recipient.
public struct Delivery: Sendable, Equatable {
    public var agent: DeliveryAgent
    /// The final recipient (after alias expansion); empty for a content-filter hop, whose
    /// recipients are delivered again under the new queue id, unless it was forwarded.
    public var recipient: String
    public var status: DeliveryStatus
    /// The queue id a content filter on this machine re-injected the message as
    /// (`status=sent (… queued as ID)` from a loopback relay), or local(8) re-queued it as after
    /// expanding an alias or a `.forward` (`status=sent (forwarded as ID)`): this hop is not a
    /// delivery, and the new id is the same message.
    public var handoff: QueueID?
    /// The address the message was sent to when an alias or forward turned it into
    /// `recipient` (`orig_to=<…>`, when it differs from `to=<…>`). With a content filter it is
    /// logged on the hop only.
    public var originalRecipient: String?

    public init(
        agent: DeliveryAgent, recipient: String, status: DeliveryStatus, handoff: QueueID? = nil,
        originalRecipient: String? = nil
    ) {
        self.agent = agent
        self.recipient = recipient
        self.status = status
        self.handoff = handoff
        self.originalRecipient = originalRecipient
    }
}

/// What one log line contributes to the picture of messages and logins.
public enum MailEvent: Sendable, Equatable {
    /// smtpd accepted a client for a queue id; `saslUser` when it authenticated; `isLoopback`
    /// when the client is on this machine (a content filter's re-injection comes so, and pickup's
    /// `uid=… from=<…>`, a local submission, is read as such a client).
    case client(QueueID, saslUser: String?, isLoopback: Bool)
    /// qmgr put the message in the active queue: `from=<sender>, size=…, nrcpt=…`.
    case queueActive(QueueID, sender: String)
    /// cleanup rejected the message (milter or header/body checks): it never queued.
    case cleanupReject(QueueID)
    /// `NOQUEUE: reject: …`: refused before it had a queue id.
    case noQueueReject
    case delivery(QueueID, Delivery)
    /// qmgr gave up: `status=expired, returned to sender`.
    case expired(QueueID)
    /// bounce made a notification with this queue id.
    case notification(QueueID)
    case removed(QueueID)
    /// cleanup logged the message's From header (`header_checks` `/^From:/ INFO`): its address,
    /// lower-cased, and its display name, decoded and folded (`NameFolding.fold`).
    case displayName(QueueID, address: String, name: String)
    case login(user: String, service: LoginService)
    case loginFailed(user: String?, service: LoginService, attempts: Int)
}

/// An event with its stamp, as read from a line.
public struct TimedEvent: Sendable, Equatable {
    public var time: LineTime
    public var event: MailEvent

    public init(time: LineTime, event: MailEvent) {
        self.time = time
        self.event = event
    }
}
