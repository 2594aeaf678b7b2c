import Foundation
import Provisioning
import Relay

/// The outbox, the same on every backend: messages arrive rendered (`OutboxMessage`), and are
/// stored as bytes.
extension SQLStore {
    public func enqueue(_ message: OutboxMessage, at time: Int64) throws -> Bool {
        try transaction("queue a notice") { sql in
            try sql.execute(
                """
                INSERT INTO outbox (key, kind, recipient, sender, subject, message, status, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT (key) DO NOTHING
                """, message.key, message.kind.rawValue, message.recipient, message.sender, message.subject,
                Data(message.bytes), time, time) > 0
        }
    }

    public func due(at time: Int64, limit: Int) throws -> [OutboxEntry] {
        try snapshot("read the outbox") { sql in
            try sql.rows(
                OutboxSQL.select + " WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY id LIMIT ?", time, limit,
                read: OutboxSQL.entry)
        }
    }

    public func message(id: Int64) throws -> [UInt8] {
        try snapshot("read a queued message") { sql in
            try sql.first("SELECT message FROM outbox WHERE id = ?", id) { try $0.bytes(0) }
        } ?? []
    }

    public func markSent(id: Int64, at time: Int64) throws {
        try transaction("mark a notice sent") { sql in
            try sql.execute(
                "UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?", time, id)
        }
    }

    public func markDeferred(id: Int64, error: String, retryAt: Int64, counting: Bool) throws {
        try transaction("defer a notice") { sql in
            try sql.execute(
                "UPDATE outbox SET last_error = ?, next_attempt_at = ?, attempts = attempts + ? WHERE id = ?", error,
                retryAt, counting ? 1 : 0, id)
        }
    }

    public func markFailed(id: Int64, error: String) throws {
        try transaction("mark a notice failed") { sql in
            try sql.execute(
                "UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1 WHERE id = ?", error, id)
        }
    }

    public func entries(status: OutboxEntry.Status?) throws -> [OutboxEntry] {
        try snapshot("read the outbox") { sql in
            guard let status else { return try sql.rows(OutboxSQL.select + " ORDER BY id", read: OutboxSQL.entry) }
            return try sql.rows(
                OutboxSQL.select + " WHERE status = ? ORDER BY id", status.rawValue, read: OutboxSQL.entry)
        }
    }

    public func requeue(keys: [String]?, at time: Int64) throws -> Int {
        try transaction("queue failed notices again") { sql in
            let requeue =
                "UPDATE outbox SET status = 'queued', next_attempt_at = ?, attempts = 0 WHERE status = 'failed'"
            guard let keys else { return try sql.execute(requeue, time) }
            return try keys.reduce(0) { count, key in count + (try sql.execute(requeue + " AND key = ?", time, key)) }
        }
    }

    public func queuedCount(kind: NoticeKind, since time: Int64) throws -> Int {
        try snapshot("count queued notices") { sql in
            try sql.first("SELECT COUNT(*) FROM outbox WHERE kind = ? AND created_at >= ?", kind.rawValue, time) {
                try $0.int(0)
            }
        }.map(Int.init) ?? 0
    }
}

enum OutboxSQL {
    /// An entry's columns, as `entry` reads them.
    static let select =
        "SELECT id, key, kind, recipient, sender, subject, status, attempts, next_attempt_at, last_error, created_at, "
        + "sent_at FROM outbox"

    static func entry(_ row: any QueryRow) throws -> OutboxEntry {
        OutboxEntry(
            id: try row.int64(0), key: try row.text(1) ?? "", kind: try row.text(2) ?? "",
            recipient: try row.text(3) ?? "", sender: try row.text(4) ?? "", subject: try row.text(5) ?? "",
            status: OutboxEntry.Status(rawValue: try row.text(6) ?? "") ?? .queued, attempts: Int(try row.int64(7)),
            nextAttemptAt: try row.int64(8), lastError: try row.text(9), createdAt: try row.int(10) ?? 0,
            sentAt: try row.int(11))
    }
}

/// The provisioning journal, the same on every backend.
extension SQLStore {
    public func assignedAddresses() throws -> [String: String] {
        let rows = try snapshot("read the provisioning journal") { sql in
            try sql.rows("SELECT employee_id, address FROM provisioning_journal") {
                (try $0.text(0) ?? "", try $0.text(1) ?? "")
            }
        }
        return Dictionary(rows) { _, last in last }
    }

    public func unconfirmedCreations() throws -> Set<String> {
        Set(
            try snapshot("read the provisioning journal") { sql in
                try sql.rows("SELECT employee_id FROM provisioning_journal WHERE confirmed_at IS NULL") {
                    try $0.text(0) ?? ""
                }
            })
    }

    public func recordAssignment(employeeID: String, address: String) throws {
        try transaction("record a provisioned address") { sql in
            try sql.execute(
                """
                INSERT INTO provisioning_journal (employee_id, address, recorded_at) VALUES (?, ?, ?)
                ON CONFLICT (employee_id) DO UPDATE SET address = excluded.address, confirmed_at = NULL
                """, employeeID, address, Int64(Date().timeIntervalSince1970))
        }
    }

    public func confirmCreation(employeeID: String) throws {
        try transaction("confirm a provisioned account") { sql in
            try sql.execute(
                "UPDATE provisioning_journal SET confirmed_at = ? WHERE employee_id = ?",
                Int64(Date().timeIntervalSince1970), employeeID)
        }
    }
}
