import GRDB
import MailLog

extension SQLiteStore {
    /// Adds the batch's client evidence to its tables, inside the commit's transaction.
    func insertClients(_ clients: ClientAggregate, source: Int64, ids: [Int64], _ db: Database) throws {
        guard !clients.isEmpty else { return }
        try Self.insert(ClientSQL.rows(clients, ids: ids), into: .clients, db) { entry, row in
            ClientSQL.write(entry, source: source, to: &row)
        }
        try Self.insert(ClientSQL.evidenceRows(clients), into: .clientEvidence, db) { entry, row in
            row.int(Int64(entry.day))
            row.int(source)
            row.int(entry.clientIDs)
            row.int(entry.webmailLog)
            row.int(entry.webmailHosts)
        }
    }
}
