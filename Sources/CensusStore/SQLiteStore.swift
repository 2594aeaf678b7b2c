public import Census
import Foundation
import GRDB
import GRDBSQLite
public import MailLog

/// The embedded store: one SQLite file (WAL journal), filled by `ingest` and read by reports.
///
/// Each ingest commit is one transaction, so an ingest killed at any point leaves the store as
/// it was after the last commit, with the checkpoint that matches it.
public final class SQLiteStore: IngestSink, @unchecked Sendable {
    public let path: String
    let writer: any DatabaseWriter
    /// Address ids known to be in the database. Only touched inside `writer`'s serial access.
    private var addressIDs: [String: Int64] = [:]

    /// Opens (creating if needed) the store at `path` and brings its schema up to date.
    public init(path: String) throws(StoreError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                try db.execute(sql: "PRAGMA cache_size = -16384")
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(pool)
            writer = pool
        } catch {
            throw StoreError(.cannotOpen, location: path, "cannot open or create the SQLite store", cause: error)
        }
    }

    /// An in-memory store, for tests.
    public init() throws(StoreError) {
        path = ":memory:"
        do {
            let queue = try DatabaseQueue()
            try SQLiteSchema.migrator.migrate(queue)
            writer = queue
        } catch {
            throw StoreError(.cannotOpen, location: path, "cannot create an in-memory store", cause: error)
        }
    }

    // MARK: IngestSink

    public func checkpoints(lineHash: String) throws -> [FileCheckpoint] {
        try read("read checkpoints") { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM ingest_file WHERE line_hash = ? ORDER BY head_length DESC",
                arguments: [lineHash]
            ).map { row in
                FileCheckpoint(
                    fingerprint: row["fingerprint"], lineHash: row["line_hash"], headLength: row["head_length"],
                    path: row["path"], offset: row["offset"], lines: row["lines"], lastLocalTime: row["last_local_time"]
                )
            }
        }
    }

    public func correlatorState() throws -> Correlator.State? {
        let data = try read("read the ingest state") { db in
            try Data.fetchOne(db, sql: "SELECT correlator FROM ingest_state WHERE id = 1")
        }
        guard let data else { return nil }
        do {
            return try JSONDecoder().decode(Correlator.State.self, from: data)
        } catch {
            throw StoreError(
                .corruptState, location: path,
                "the saved state of open messages cannot be read; re-create the store and ingest again", cause: error)
        }
    }

    public func commit(_ batch: IngestBatch) throws {
        let state: Data
        let statistics: IngestStatistics
        do {
            state = try JSONEncoder().encode(batch.state)
            statistics = try self.statistics()
        } catch {
            throw StoreError(.query, location: path, "cannot save the ingest state", cause: error)
        }
        var total = statistics
        total += batch.statistics
        let totalJSON = String(decoding: try JSONEncoder().encode(total), as: UTF8.self)
        var newIDs: [String: Int64] = [:]
        try write("commit an ingest batch") { db in
            let ids = try self.addressIDs(for: batch.activity.addresses, db, new: &newIDs)
            try self.insertActivity(batch.activity, ids: ids, db)
            try self.insertPairs(
                batch.activity.pairs, table: "daily_exchange", columns: "sender_id, recipient_id", ids, db)
            try self.insertPairs(
                batch.activity.forwards, table: "daily_forward", columns: "original_id, recipient_id", ids, db)
            let checkpoint = batch.checkpoint
            try db.execute(
                sql: """
                    INSERT INTO ingest_file (fingerprint, line_hash, head_length, path, offset, lines, last_local_time,
                        updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (fingerprint) DO UPDATE SET path = excluded.path, offset = excluded.offset,
                        lines = excluded.lines, last_local_time = excluded.last_local_time,
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    checkpoint.fingerprint, checkpoint.lineHash, checkpoint.headLength, checkpoint.path,
                    checkpoint.offset, checkpoint.lines, checkpoint.lastLocalTime, Int64(Date().timeIntervalSince1970),
                ])
            try db.execute(
                sql: """
                    INSERT INTO ingest_state (id, correlator, statistics, utc_offset) VALUES (1, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET correlator = excluded.correlator, statistics = excluded.statistics
                    """,
                arguments: [state, totalJSON, batch.activity.utcOffset])
        }
        addressIDs.merge(newIDs) { $1 }
    }

    /// Database ids of `addresses`, inserting the new ones; `new` collects those inserted.
    private func addressIDs(for addresses: [String], _ db: Database, new: inout [String: Int64]) throws -> [Int64] {
        if addressIDs.isEmpty {
            let rows = try Row.fetchCursor(db, sql: "SELECT id, address FROM address")
            while let row = try rows.next() { addressIDs[row[1]] = row[0] }
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO address (address) VALUES (?)")
        return try addresses.map { address in
            if let id = addressIDs[address] ?? new[address] { return id }
            try Self.step(insert, db) { handle in
                var text = address
                text.withUTF8 { bytes in
                    // SQLITE_TRANSIENT: SQLite copies the text before the buffer goes.
                    _ = sqlite3_bind_text(
                        handle, 1, UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self),
                        Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
                }
            }
            let id = db.lastInsertedRowID
            new[address] = id
            return id
        }
    }

    private func insertActivity(_ activity: ActivityAggregate, ids: [Int64], _ db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO daily_activity (address_id, day, submitted, received, imap_logins, pop3_logins,
                    submission_logins, failed_logins, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (address_id, day) DO UPDATE SET
                    submitted = submitted + excluded.submitted, received = received + excluded.received,
                    imap_logins = imap_logins + excluded.imap_logins, pop3_logins = pop3_logins + excluded.pop3_logins,
                    submission_logins = submission_logins + excluded.submission_logins,
                    failed_logins = failed_logins + excluded.failed_logins,
                    first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
                """)
        for (key, counters) in activity.days.sorted(by: { ($0.key.day, $0.key.address) < ($1.key.day, $1.key.address) })
        {
            try Self.step(statement, db) { handle in
                sqlite3_bind_int64(handle, 1, ids[Int(key.address)])
                sqlite3_bind_int64(handle, 2, Int64(key.day))
                sqlite3_bind_int64(handle, 3, Int64(counters.submitted))
                sqlite3_bind_int64(handle, 4, Int64(counters.received))
                sqlite3_bind_int64(handle, 5, Int64(counters.imap))
                sqlite3_bind_int64(handle, 6, Int64(counters.pop3))
                sqlite3_bind_int64(handle, 7, Int64(counters.submission))
                sqlite3_bind_int64(handle, 8, Int64(counters.failed))
                sqlite3_bind_int64(handle, 9, counters.firstSeen)
                sqlite3_bind_int64(handle, 10, counters.lastSeen)
            }
        }
    }

    /// Runs a prepared statement once with the arguments `bind` sets, straight through SQLite's
    /// C interface: a large commit is hundreds of thousands of rows.
    private static func step(_ statement: Statement, _ db: Database, bind: (OpaquePointer) -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        bind(handle)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage)
        }
    }

    /// Inserts message counts per day and pair of addresses into `table` (exchanges, forwards).
    private func insertPairs(
        _ pairs: [ActivityAggregate.PairKey: ExchangeCounters], table: String, columns: String, _ ids: [Int64],
        _ db: Database
    ) throws {
        let key = "day, " + columns
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO \(table) (\(key), messages, first_seen, last_seen)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (\(key)) DO UPDATE SET
                    messages = messages + excluded.messages,
                    first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)
                """)
        let rows = pairs.map { (key: $0.key, ids: (ids[Int($0.key.sender)], ids[Int($0.key.recipient)]), $0.value) }
            .sorted { ($0.key.day, $0.ids.0, $0.ids.1) < ($1.key.day, $1.ids.0, $1.ids.1) }
        for (key, pair, counters) in rows {
            try Self.step(statement, db) { handle in
                sqlite3_bind_int64(handle, 1, Int64(key.day))
                sqlite3_bind_int64(handle, 2, pair.0)
                sqlite3_bind_int64(handle, 3, pair.1)
                sqlite3_bind_int64(handle, 4, Int64(counters.messages))
                sqlite3_bind_int64(handle, 5, counters.firstSeen)
                sqlite3_bind_int64(handle, 6, counters.lastSeen)
            }
        }
    }

    // MARK: Reading

    /// Totals of every ingest into this store.
    public func statistics() throws -> IngestStatistics {
        let json = try read("read the ingest totals") { db in
            try String.fetchOne(db, sql: "SELECT statistics FROM ingest_state WHERE id = 1")
        }
        guard let json else { return IngestStatistics() }
        do {
            return try JSONDecoder().decode(IngestStatistics.self, from: Data(json.utf8))
        } catch {
            throw StoreError(.corruptState, location: path, "the ingest totals cannot be read", cause: error)
        }
    }

    /// The UTC offset the store's days were counted in, once anything was ingested.
    public func utcOffset() throws -> Int? {
        try read("read the store's clock") { db in
            try Int.fetchOne(db, sql: "SELECT utc_offset FROM ingest_state WHERE id = 1")
        }
    }

    /// Activity per address over the days `from...through` (day numbers; nil for no bound).
    ///
    /// - Parameter classifier: sorts correspondents into official, webmail and other.
    public func activity(from: Int?, through: Int?, classifier: AddressClassifier) throws -> [AddressActivity] {
        try read("read activity") { db in
            let lower = from ?? Int(Int32.min)
            let upper = through ?? Int(Int32.max)
            var addresses: [Int64: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT id, address FROM address")
            while let row = try rows.next() { addresses[row[0]] = row[1] }
            var result: [Int64: AddressActivity] = [:]
            let totals = try Row.fetchCursor(
                db,
                sql: """
                    SELECT address_id, SUM(submitted), SUM(received), SUM(imap_logins), SUM(pop3_logins),
                        SUM(submission_logins), SUM(failed_logins), MIN(first_seen), MAX(last_seen)
                    FROM daily_activity WHERE day BETWEEN ? AND ? GROUP BY address_id
                    """, arguments: [lower, upper])
            while let row = try totals.next() {
                let id: Int64 = row[0]
                var activity = AddressActivity(address: addresses[id] ?? "", firstSeen: row[7], lastSeen: row[8])
                activity.submitted = row[1]
                activity.received = row[2]
                activity.imapLogins = row[3]
                activity.pop3Logins = row[4]
                activity.submissionLogins = row[5]
                activity.failedLogins = row[6]
                result[id] = activity
            }
            // Exchanges, read both ways: each side corresponds with the other. An address seen only
            // in exchanges (a Gmail correspondent) has no daily activity row of its own.
            var correspondents: [Int64: Set<Int64>] = [:]
            let pairs = try Row.fetchCursor(
                db,
                sql: """
                    SELECT sender_id, recipient_id, MIN(first_seen), MAX(last_seen) FROM daily_exchange
                    WHERE day BETWEEN ? AND ? GROUP BY sender_id, recipient_id
                    """, arguments: [lower, upper])
            while let row = try pairs.next() {
                let sender: Int64 = row[0]
                let recipient: Int64 = row[1]
                let first: Int64 = row[2]
                let last: Int64 = row[3]
                for (id, other) in [(sender, recipient), (recipient, sender)] {
                    correspondents[id, default: []].insert(other)
                    var activity =
                        result[id] ?? AddressActivity(address: addresses[id] ?? "", firstSeen: first, lastSeen: last)
                    activity.firstSeen = min(activity.firstSeen, first)
                    activity.lastSeen = max(activity.lastSeen, last)
                    result[id] = activity
                }
            }
            var classes: [Int64: AddressClass] = [:]
            for (id, others) in correspondents {
                for other in others {
                    let kind =
                        classes[other]
                        ?? {
                            let kind = classifier.classify(addresses[other] ?? "")
                            classes[other] = kind
                            return kind
                        }()
                    switch kind {
                    case .official: result[id]?.officialCorrespondents += 1
                    case .webmail: result[id]?.webmailCorrespondents += 1
                    case .other: result[id]?.otherCorrespondents += 1
                    }
                }
            }
            return result.values.sorted { $0.address < $1.address }
        }
    }

    // MARK: Access

    func read<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.query, location: path, "cannot \(what)", cause: error)
        }
    }

    func write(_ what: String, _ body: (Database) throws -> Void) throws {
        do {
            try writer.write(body)
        } catch {
            throw StoreError(.query, location: path, "cannot \(what)", cause: error)
        }
    }
}
