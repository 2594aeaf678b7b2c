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

/// A delivery as the correlator works with it: addresses interned in a `StringTable`.
struct DeliveryFact: Sendable {
    var agent: DeliveryAgent
    /// 0 (the empty string) for a hop's recipient, unless forwarded.
    var recipient: StringID
    var status: DeliveryStatus
    var handoff: QueueID?
    var originalRecipient: StringID?
}

/// A `MailEvent` as the correlator works with it: addresses and names interned in a
/// `StringTable`, login names already completed with the login domain. A plain value, with
/// nothing reference-counted, so that copying it costs no atomic operations.
enum MailFact: Sendable {
    case client(QueueID, saslUser: StringID?, isLoopback: Bool)
    case queueActive(QueueID, sender: StringID)
    case cleanupReject(QueueID)
    case noQueueReject
    case delivery(QueueID, DeliveryFact)
    case expired(QueueID)
    case notification(QueueID)
    case removed(QueueID)
    case displayName(QueueID, address: StringID, name: StringID)
    case login(user: StringID, service: LoginService)
    case loginFailed(user: StringID?, service: LoginService, attempts: Int)
}

/// A fact with its stamp, as a parsing thread reads it from a line.
struct TimedFact: Sendable {
    var time: LineTime
    var fact: MailFact
}

extension MailFact {
    /// The event with its strings, looked up in `strings`.
    func event(_ strings: StringTable) -> MailEvent {
        switch self {
        case .client(let id, let user, let isLoopback):
            return .client(id, saslUser: user.map { strings[$0] }, isLoopback: isLoopback)
        case .queueActive(let id, let sender): return .queueActive(id, sender: strings[sender])
        case .cleanupReject(let id): return .cleanupReject(id)
        case .noQueueReject: return .noQueueReject
        case .delivery(let id, let delivery):
            return .delivery(
                id,
                Delivery(
                    agent: delivery.agent, recipient: strings[delivery.recipient], status: delivery.status,
                    handoff: delivery.handoff, originalRecipient: delivery.originalRecipient.map { strings[$0] }))
        case .expired(let id): return .expired(id)
        case .notification(let id): return .notification(id)
        case .removed(let id): return .removed(id)
        case .displayName(let id, let address, let name):
            return .displayName(id, address: strings[address], name: strings[name])
        case .login(let user, let service): return .login(user: strings[user], service: service)
        case .loginFailed(let user, let service, let attempts):
            return .loginFailed(user: user.map { strings[$0] }, service: service, attempts: attempts)
        }
    }
}
