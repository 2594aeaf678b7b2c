import GRDB
import GRDBSQLite
import MailLog

extension SQLiteStore {
    /// Adds the batch's client evidence to its tables, inside the commit's transaction: one
    /// prepared upsert a row, its values bound through SQLite's C interface.
    func insertClients(_ clients: ClientAggregate, source: Int64, ids: [Int64], _ db: Database) throws {
        guard !clients.isEmpty else { return }
        let logins = try db.cachedStatement(sql: DailyTable.clients.upsert("VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        for row in ClientSQL.rows(clients, ids: ids) {
            try Self.step(logins, db) { handle in
                sqlite3_bind_int64(handle, 1, Int64(row.day))
                sqlite3_bind_int64(handle, 2, source)
                sqlite3_bind_int64(handle, 3, row.address)
                sqlite3_bind_int64(handle, 4, Int64(row.origin))
                Self.bind(row.name, to: 5, handle)
                Self.bind(row.os, to: 6, handle)
                sqlite3_bind_int64(handle, 7, row.logins)
                sqlite3_bind_int64(handle, 8, row.failed)
                sqlite3_bind_int64(handle, 9, row.firstSeen)
                sqlite3_bind_int64(handle, 10, row.lastSeen)
            }
        }
        let evidence = try db.cachedStatement(sql: DailyTable.clientEvidence.upsert("VALUES (?, ?, ?, ?, ?)"))
        for row in ClientSQL.evidenceRows(clients) {
            try Self.step(evidence, db) { handle in
                sqlite3_bind_int64(handle, 1, Int64(row.day))
                sqlite3_bind_int64(handle, 2, source)
                sqlite3_bind_int64(handle, 3, row.clientIDs)
                sqlite3_bind_int64(handle, 4, row.webmailLog)
                sqlite3_bind_int64(handle, 5, row.webmailHosts)
            }
        }
    }
}
