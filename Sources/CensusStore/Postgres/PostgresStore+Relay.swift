import Foundation
public import Provisioning
public import Relay

extension PostgresStore: Outbox {
    public func enqueue(_ notice: Notice, sender: String, at time: Int64) throws -> Bool {
        let message = try notice.message.rendered()
        return try access("queue a notice") {
            let result = try run(
                """
                INSERT INTO outbox (key, kind, recipient, sender, subject, message, status, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?) ON CONFLICT (key) DO NOTHING
                """, notice.key, notice.kind.rawValue, notice.recipient.address, sender, notice.message.subject,
                Data(message), time, time)
            return result.changed > 0
        }
    }

    public func due(at time: Int64, limit: Int) throws -> [OutboxEntry] {
        try access("read the outbox") {
            try run(
                "SELECT \(SQLiteStore.outboxColumns) FROM outbox WHERE status = 'queued' AND next_attempt_at <= ? "
                    + "ORDER BY id LIMIT ?", time, Int64(limit)
            ).rows.map(Self.entry)
        }
    }

    public func message(id: Int64) throws -> [UInt8] {
        let data = try access("read a queued message") {
            try run("SELECT message FROM outbox WHERE id = ?", id).first?.bytes(0)
        }
        return data ?? []
    }

    public func markSent(id: Int64, at time: Int64) throws {
        try access("mark a notice sent") {
            try run("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?", time, id)
        }
    }

    public func markDeferred(id: Int64, error: String, retryAt: Int64, counting: Bool) throws {
        try access("defer a notice") {
            try run(
                "UPDATE outbox SET last_error = ?, next_attempt_at = ?, attempts = attempts + ? WHERE id = ?", error,
                retryAt, Int32(counting ? 1 : 0), id)
        }
    }

    public func markFailed(id: Int64, error: String) throws {
        try access("mark a notice failed") {
            try run(
                "UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1 WHERE id = ?", error, id)
        }
    }

    public func entries(status: OutboxEntry.Status?) throws -> [OutboxEntry] {
        try access("read the outbox") {
            if let status {
                return try run(
                    "SELECT \(SQLiteStore.outboxColumns) FROM outbox WHERE status = ? ORDER BY id", status.rawValue
                ).rows.map(Self.entry)
            }
            return try run("SELECT \(SQLiteStore.outboxColumns) FROM outbox ORDER BY id").rows.map(Self.entry)
        }
    }

    public func requeue(keys: [String]?, at time: Int64) throws -> Int {
        try access("queue failed notices again") {
            let requeue =
                "UPDATE outbox SET status = 'queued', next_attempt_at = ?, attempts = 0 WHERE status = 'failed'"
            let result =
                try keys.map { try run(requeue + " AND key = ANY(?::text[])", time, $0) } ?? run(requeue, time)
            return result.changed
        }
    }

    public func queuedCount(kind: NoticeKind, since time: Int64) throws -> Int {
        try access("count queued notices") {
            Int(
                try run("SELECT COUNT(*) FROM outbox WHERE kind = ? AND created_at >= ?", kind.rawValue, time).first?
                    .int(0) ?? 0)
        }
    }

    private static func entry(_ row: PostgresRow) throws -> OutboxEntry {
        OutboxEntry(
            id: try row.int(0) ?? 0, key: try row.text(1) ?? "", kind: try row.text(2) ?? "",
            recipient: try row.text(3) ?? "", sender: try row.text(4) ?? "", subject: try row.text(5) ?? "",
            status: OutboxEntry.Status(rawValue: try row.text(6) ?? "") ?? .queued, attempts: Int(try row.int(7) ?? 0),
            nextAttemptAt: try row.int(8) ?? 0, lastError: try row.text(9), createdAt: try row.int(10) ?? 0,
            sentAt: try row.int(11))
    }
}

extension PostgresStore: ProvisioningJournal {
    public func assignedAddresses() throws -> [String: String] {
        try access("read the provisioning journal") {
            var result: [String: String] = [:]
            for row in try run("SELECT employee_id, address FROM provisioning_journal").rows {
                result[try row.text(0) ?? ""] = try row.text(1) ?? ""
            }
            return result
        }
    }

    public func unconfirmedCreations() throws -> Set<String> {
        try access("read the provisioning journal") {
            Set(
                try run("SELECT employee_id FROM provisioning_journal WHERE confirmed_at IS NULL").rows.map {
                    try $0.text(0) ?? ""
                })
        }
    }

    public func recordAssignment(employeeID: String, address: String) throws {
        try access("record a provisioned address") {
            try run(
                """
                INSERT INTO provisioning_journal (employee_id, address, recorded_at) VALUES (?, ?, ?)
                ON CONFLICT (employee_id) DO UPDATE SET address = excluded.address, confirmed_at = NULL
                """, employeeID, address, Int64(Date().timeIntervalSince1970))
        }
    }

    public func confirmCreation(employeeID: String) throws {
        try access("confirm a provisioned account") {
            try run(
                "UPDATE provisioning_journal SET confirmed_at = ? WHERE employee_id = ?",
                Int64(Date().timeIntervalSince1970), employeeID)
        }
    }
}
