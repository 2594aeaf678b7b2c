public import Census
import GRDB

extension SQLiteStore {
    /// What the census needs of the days `from...through`: activity, exchanges and forwards per
    /// day, the last active day of each address up to `through`, and the days the store covers.
    public func censusData(from: Int, through: Int) throws -> CensusData {
        try read("read the census data") { db in
            var data = CensusData()
            // Store ids are dense from 1, but need not be: map them to indexes.
            var index: [Int64: Int32] = [:]
            let addresses = try Row.fetchCursor(db, sql: "SELECT id, address FROM address ORDER BY id")
            while let row = try addresses.next() {
                index[row[0]] = Int32(data.addresses.count)
                data.addresses.append(row[1])
            }
            let activity = try Row.fetchCursor(
                db,
                sql: """
                    SELECT day, address_id, submitted, received, imap_logins + pop3_logins + submission_logins,
                        failed_logins
                    FROM daily_activity WHERE day BETWEEN ? AND ?
                    """, arguments: [from, through])
            while let row = try activity.next() {
                guard let address = index[row[1]] else { continue }
                data.activity.append(
                    CensusData.Activity(
                        day: row[0], address: address, submitted: row[2], received: row[3], logins: row[4],
                        failedLogins: row[5]))
            }
            for (table, columns) in [
                ("daily_exchange", "sender_id, recipient_id"), ("daily_forward", "original_id, recipient_id"),
            ] {
                var pairs: [CensusData.Pair] = []
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT day, \(columns), messages FROM \(table) WHERE day BETWEEN ? AND ?",
                    arguments: [from, through])
                while let row = try rows.next() {
                    guard let sender = index[row[1]], let recipient = index[row[2]] else { continue }
                    pairs.append(CensusData.Pair(day: row[0], from: sender, to: recipient, messages: row[3]))
                }
                if table == "daily_exchange" { data.exchanges = pairs } else { data.forwards = pairs }
            }
            let last = try Row.fetchCursor(db, sql: Self.lastActiveSQL, arguments: [through])
            while let row = try last.next() {
                if let address = index[row[0]] { data.lastActive[address] = row[1] }
            }
            data.coverage = try Self.coverage(db)
            return data
        }
    }

    /// Each address's last day with a submission or a login, up to a day.
    static let lastActiveSQL = """
        SELECT address_id, MAX(day) FROM daily_activity
        WHERE day <= ? AND (submitted > 0 OR imap_logins > 0 OR pop3_logins > 0 OR submission_logins > 0)
        GROUP BY address_id
        """

    /// The first and last day the store holds log data for; nil when it holds none.
    public func coverage() throws -> ClosedRange<Int>? {
        try read("read the days the store covers") { db in try Self.coverage(db) }
    }

    static func coverage(_ db: Database) throws -> ClosedRange<Int>? {
        let bounds = try Row.fetchOne(
            db,
            sql: """
                SELECT MIN(first), MAX(last) FROM (
                    SELECT MIN(day) AS first, MAX(day) AS last FROM daily_activity
                    UNION ALL SELECT MIN(day), MAX(day) FROM daily_exchange)
                """)
        guard let first = bounds?[0] as Int?, let last = bounds?[1] as Int? else { return nil }
        return first...last
    }
}
