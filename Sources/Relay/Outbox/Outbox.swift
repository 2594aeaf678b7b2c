/// Where notices wait to be sent: queued first, then sent, each once.
///
/// A notice's key is unique: queuing it again does nothing, so reruns never send twice. A
/// failed send stays queued with the server's answer and is tried again after a backoff; a
/// permanent refusal (5xx) marks it failed, for `relay status` and `relay retry`.
///
/// An outbox stores messages as bytes, rendered before they are queued (`RelayQueue`), so that
/// what is sent is what was queued, and a store need not know MIME.
public protocol Outbox: Sendable {
    /// Queues `message` unless its key is queued already.
    ///
    /// - Returns: whether it was queued now.
    func enqueue(_ message: OutboxMessage, at time: Int64) throws -> Bool
    /// Notices due at `time`, oldest first, without their messages.
    func due(at time: Int64, limit: Int) throws -> [OutboxEntry]
    /// The message of an entry, as it was queued.
    func message(id: Int64) throws -> [UInt8]
    func markSent(id: Int64, at time: Int64) throws
    /// A transient failure: tried again from `retryAt`; `counting` adds one to its attempts.
    func markDeferred(id: Int64, error: String, retryAt: Int64, counting: Bool) throws
    /// A permanent failure, or too many transient ones.
    func markFailed(id: Int64, error: String) throws
    /// Every entry of `status` (all when nil), oldest first.
    func entries(status: OutboxEntry.Status?) throws -> [OutboxEntry]
    /// Failed entries (all, or those of `keys`) queued again, due at `time`.
    ///
    /// - Returns: how many.
    func requeue(keys: [String]?, at time: Int64) throws -> Int
    /// Notices of `kind` queued since `time` (the nudges' daily limit).
    func queuedCount(kind: NoticeKind, since time: Int64) throws -> Int
}

/// A message to queue: its bytes, rendered, with its envelope and what `relay status` shows of it.
public struct OutboxMessage: Sendable, Equatable {
    /// The notice's key: a message is queued once per key.
    public var key: String
    public var kind: NoticeKind
    /// The envelope: one recipient, and the sender (`MAIL FROM`).
    public var recipient: String
    public var sender: String
    public var subject: String
    /// The message as it is sent (MIME, CR LF line ends).
    public var bytes: [UInt8]

    public init(key: String, kind: NoticeKind, recipient: String, sender: String, subject: String, bytes: [UInt8]) {
        self.key = key
        self.kind = kind
        self.recipient = recipient
        self.sender = sender
        self.subject = subject
        self.bytes = bytes
    }
}

/// One notice in the outbox.
public struct OutboxEntry: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        case queued
        case sent
        case failed
    }

    public var id: Int64
    public var key: String
    public var kind: String
    public var recipient: String
    public var sender: String
    public var subject: String
    public var status: Status
    public var attempts: Int
    /// UTC seconds.
    public var nextAttemptAt: Int64
    public var lastError: String?
    public var createdAt: Int64
    public var sentAt: Int64?

    public init(
        id: Int64, key: String, kind: String, recipient: String, sender: String, subject: String, status: Status,
        attempts: Int, nextAttemptAt: Int64, lastError: String?, createdAt: Int64, sentAt: Int64?
    ) {
        self.id = id
        self.key = key
        self.kind = kind
        self.recipient = recipient
        self.sender = sender
        self.subject = subject
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}
