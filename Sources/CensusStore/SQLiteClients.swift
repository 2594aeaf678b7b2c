import GRDB
import MailLog

extension SQLiteStore {
    /// Adds the batch's client evidence to its tables, inside the commit's transaction: one
    /// prepared upsert a row.
    func insertClients(_ clients: ClientAggregate, source: Int64, ids: [Int64], _ db: Database) throws {
        guard !clients.isEmpty else { return }
        let logins = try db.cachedStatement(sql: DailyTable.clients.upsert("VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        for row in ClientSQL.rows(clients, ids: ids) {
            try logins.execute(arguments: [
                Int64(row.day), source, row.address, Int64(row.origin), row.name, row.os, row.logins, row.failed,
                row.firstSeen, row.lastSeen,
            ])
        }
        let evidence = try db.cachedStatement(sql: DailyTable.clientEvidence.upsert("VALUES (?, ?, ?, ?, ?)"))
        for row in ClientSQL.evidenceRows(clients) {
            try evidence.execute(arguments: [
                Int64(row.day), source, row.clientIDs, row.webmailLog, row.webmailHosts,
            ])
        }
    }
}
