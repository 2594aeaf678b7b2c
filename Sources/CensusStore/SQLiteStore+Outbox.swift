import Foundation
import GRDB
public import Relay

extension SQLiteStore: Outbox {
    public func enqueue(_ notice: Notice, sender: String, at time: Int64) throws -> Bool {
        let message = try notice.message.rendered()
        var inserted = false
        try write("queue a notice") { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox (key, kind, recipient, sender, subject, message, status, next_attempt_at, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT (key) DO NOTHING
                    """,
                arguments: [
                    notice.key, notice.kind.rawValue, notice.recipient.address, sender, notice.message.subject,
                    Data(message), time, time,
                ])
            inserted = db.changesCount > 0
        }
        return inserted
    }

    public func due(at time: Int64, limit: Int) throws -> [OutboxEntry] {
        try read("read the outbox") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? "
                    + "ORDER BY id LIMIT ?", arguments: [time, limit]
            ).map(Self.entry)
        }
    }

    public func message(id: Int64) throws -> [UInt8] {
        let data = try read("read a queued message") { db in
            try Data.fetchOne(db, sql: "SELECT message FROM outbox WHERE id = ?", arguments: [id])
        }
        return data.map(Array.init) ?? []
    }

    public func markSent(id: Int64, at time: Int64) throws {
        try write("mark a notice sent") { db in
            try db.execute(
                sql: "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?",
                arguments: [time, id])
        }
    }

    public func markDeferred(id: Int64, error: String, retryAt: Int64, counting: Bool) throws {
        try write("defer a notice") { db in
            try db.execute(
                sql: "UPDATE outbox SET last_error = ?, next_attempt_at = ?, attempts = attempts + ? WHERE id = ?",
                arguments: [error, retryAt, counting ? 1 : 0, id])
        }
    }

    public func markFailed(id: Int64, error: String) throws {
        try write("mark a notice failed") { db in
            try db.execute(
                sql: "UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1 WHERE id = ?",
                arguments: [error, id])
        }
    }

    public func entries(status: OutboxEntry.Status?) throws -> [OutboxEntry] {
        try read("read the outbox") { db in
            if let status {
                return try Row.fetchAll(
                    db, sql: "SELECT \(Self.outboxColumns) FROM outbox WHERE status = ? ORDER BY id",
                    arguments: [status.rawValue]
                ).map(Self.entry)
            }
            return try Row.fetchAll(db, sql: "SELECT \(Self.outboxColumns) FROM outbox ORDER BY id").map(Self.entry)
        }
    }

    public func requeue(keys: [String]?, at time: Int64) throws -> Int {
        var count = 0
        try write("queue failed notices again") { db in
            if let keys {
                for key in keys {
                    try db.execute(
                        sql: "UPDATE outbox SET status = 'queued', next_attempt_at = ?, attempts = 0 "
                            + "WHERE key = ? AND status = 'failed'", arguments: [time, key])
                    count += db.changesCount
                }
            } else {
                try db.execute(
                    sql:
                        "UPDATE outbox SET status = 'queued', next_attempt_at = ?, attempts = 0 WHERE status = 'failed'",
                    arguments: [time])
                count = db.changesCount
            }
        }
        return count
    }

    public func queuedCount(kind: NoticeKind, since time: Int64) throws -> Int {
        try read("count queued notices") { db in
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM outbox WHERE kind = ? AND created_at >= ?",
                arguments: [kind.rawValue, time]) ?? 0
        }
    }

    static let outboxColumns =
        "id, key, kind, recipient, sender, subject, status, attempts, next_attempt_at, last_error, created_at, sent_at"

    static func entry(_ row: Row) -> OutboxEntry {
        OutboxEntry(
            id: row["id"], key: row["key"], kind: row["kind"], recipient: row["recipient"], sender: row["sender"],
            subject: row["subject"], status: OutboxEntry.Status(rawValue: row["status"]) ?? .queued,
            attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"], lastError: row["last_error"],
            createdAt: row["created_at"], sentAt: row["sent_at"])
    }
}
