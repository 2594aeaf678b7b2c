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
    /// A login, without where it came from (see `dovecotLogin`).
    case login(user: String, service: LoginService)
    /// A failed login, without where it came from (see `dovecotLogin`).
    case loginFailed(user: String?, service: LoginService, attempts: Int)
    /// A Dovecot login or failed login with its session and origin, as a log line gives it.
    case dovecotLogin(LoginEvent)
    /// Dovecot's `ID sent:` line (`imap_id_log`): the client of an IMAP session.
    case clientID(ClientIDEvent)
    /// A line of Roundcube's `userlogins.log`: a person logging in to the webmail, or failing to.
    case webmailLogin(user: String, succeeded: Bool)
    /// An IMAP session's process logged its end (`imap(U)<pid><session>: Disconnected: …`).
    case sessionEnd(SessionKey)
}

/// A Dovecot session (`session=<…>`) as a number: its text hashed (FNV-1a, 64 bits), the same
/// in every run, so that a saved correlator state names the sessions of the next run's lines.
public struct SessionKey: Hashable, Sendable, Codable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// The key of a session's text; never 0.
    public init(_ bytes: ByteView) {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for index in 0..<bytes.count { hash = (hash ^ UInt64(bytes[index])) &* 0x0000_0100_0000_01B3 }
        rawValue = hash == 0 ? 1 : hash
    }

    public init(_ text: String) {
        self = text.withByteView { SessionKey($0) }
    }
}

/// A Dovecot login line with what client evidence needs.
public struct LoginEvent: Sendable, Equatable {
    /// nil for a failure before any name was given.
    public var user: String?
    public var service: LoginService
    public var succeeded: Bool
    /// Failed attempts (0 for a success).
    public var attempts: Int
    public var session: SessionKey?
    /// Whether `rip=` is one of the webmail's hosts (`IngestOptions.webmailHosts`).
    public var fromWebmailHost: Bool

    public init(
        user: String?, service: LoginService, succeeded: Bool, attempts: Int, session: SessionKey?,
        fromWebmailHost: Bool
    ) {
        self.user = user
        self.service = service
        self.succeeded = succeeded
        self.attempts = attempts
        self.session = session
        self.fromWebmailHost = fromWebmailHost
    }
}

/// A Dovecot `ID sent:` line: the client's name and system as kept (`DovecotClientID`).
public struct ClientIDEvent: Sendable, Equatable {
    /// The user of the session, when it was sent after the login; nil before it.
    public var user: String?
    public var session: SessionKey?
    /// "" when the ID gave none.
    public var name: String
    public var os: String

    public init(user: String?, session: SessionKey?, name: String, os: String) {
        self.user = user
        self.session = session
        self.name = name
        self.os = os
    }
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
    case login(LoginFact)
    case clientID(ClientIDFact)
    case webmailLogin(user: StringID, succeeded: Bool)
    case sessionEnd(SessionKey)
}

/// A login or failed login as the correlator works with it (`LoginEvent`).
struct LoginFact: Sendable {
    /// nil for a failure before any name was given.
    var user: StringID?
    var service: LoginService
    var succeeded: Bool
    var fromWebmailHost = false
    var attempts: Int32
    var session: SessionKey?
}

/// An `ID sent:` line as the correlator works with it (`ClientIDEvent`).
struct ClientIDFact: Sendable {
    /// 0 before the login.
    var user: StringID
    var session: SessionKey?
    var name: StringID
    var os: StringID
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
        case .login(let login):
            return .dovecotLogin(
                LoginEvent(
                    user: login.user.map { strings[$0] }, service: login.service, succeeded: login.succeeded,
                    attempts: Int(login.attempts), session: login.session, fromWebmailHost: login.fromWebmailHost))
        case .clientID(let id):
            return .clientID(
                ClientIDEvent(
                    user: id.user == 0 ? nil : strings[id.user], session: id.session, name: strings[id.name],
                    os: strings[id.os]))
        case .webmailLogin(let user, let succeeded): return .webmailLogin(user: strings[user], succeeded: succeeded)
        case .sessionEnd(let session): return .sessionEnd(session)
        }
    }
}
