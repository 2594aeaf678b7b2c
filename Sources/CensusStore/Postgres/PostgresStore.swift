import Census
import Foundation
public import MailLog

/// The shared store: a PostgreSQL database that several mail servers (sources) ingest into at
/// once, with the same schema and behaviour as `SQLiteStore`, through libpq.
///
/// One connection per process, used synchronously: its callers (the ingest's commit thread,
/// the commands) block their own thread until the server answers, and calls are serialised, so a
/// transaction never interleaves with another call. A commit streams its daily rows with `COPY`.
///
/// Concurrent ingests stay apart: each source has its own daily rows, checkpoints and state, and
/// an advisory lock so that two ingests of one source cannot overlap. Addresses, shared by all
/// sources, are inserted in sorted order, each batch in its own short transaction, so that two
/// ingests meeting the same new addresses neither deadlock nor hold each other up.
public final class PostgresStore: SharedReads, SourceWriting, @unchecked Sendable {
    /// The server and database, as `postgres://HOST:PORT/DATABASE`, for messages.
    public let location: String
    private let connection: PostgresConnection
    private let mutex = NSLock()
    /// Address ids known to be in the database. Only touched under `mutex`.
    private var addressIDs: [String: Int64] = [:]
    /// The last day each source has daily rows for, once read. Only touched under `mutex`.
    private var lastDays: [Int64: Int] = [:]
    /// Whether this session's staging tables (for `COPY`) exist. Only touched under `mutex`.
    private var staging = false
    /// Addresses per short transaction that inserts new ones.
    static let addressesPerTransaction = 20_000

    init(_ address: PostgresLocation, password: String?, environment: [String: String]) throws(StoreError) {
        var server = address.server
        do {
            connection = try PostgresConnection(
                parameters: address.parameters(password: password, environment: environment), server: &server)
        } catch {
            var hint = ""
            if password == nil && error.needsPassword {
                hint =
                    "; no password was given: set $\(Stores.passwordVariable) or --store-password-file, or put it "
                    + "in ~/.pgpass"
                if let problem = address.passwordFileProblem(environment: environment) { hint += " (\(problem))" }
            }
            throw StoreError(.cannotOpen, location: server.description, "cannot connect" + hint, cause: error)
        }
        location = server.description
        try access("bring the schema up to date") { try self.migrate() }
    }

    private func migrate() throws {
        try transaction {
            try run("SELECT pg_advisory_xact_lock(hashtext('mailcensus schema'))")
            try run(
                "CREATE TABLE IF NOT EXISTS schema_migration (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            let applied = Set(try run("SELECT version FROM schema_migration").rows.map { try $0.text(0) ?? "" })
            let known = Set(PostgresSchema.migrations.map(\.version))
            if let unknown = applied.subtracting(known).sorted().first {
                throw StoreError(
                    .cannotOpen, location: location,
                    "was made by a newer mailcensus (migration \"\(unknown)\"); update mailcensus")
            }
            for migration in PostgresSchema.migrations where !applied.contains(migration.version) {
                for statement in migration.statements { try run(statement) }
                try run(
                    "INSERT INTO schema_migration (version, applied_at) VALUES (?, ?)", migration.version,
                    Int64(Date().timeIntervalSince1970))
            }
        }
    }

    // MARK: Holds

    public func hold(_ purpose: StorePurpose) throws -> AnyObject {
        let key =
            switch purpose {
            case .ingest(let source): "mailcensus ingest \(source.province)/\(source.name)"
            case .provisioning: "mailcensus provisioning"
            case .relay: "mailcensus relay"
            }
        let granted = try access("take the store's lock") {
            try run("SELECT pg_try_advisory_lock(hashtext(?))", key).first?.bool(0) ?? false
        }
        guard granted else { throw StoreError(.busy, location: location, purpose.busy + "; let it finish") }
        return AdvisoryLock(store: self, key: key)
    }

    /// A session's advisory lock, released when the value goes (or the connection closes).
    private final class AdvisoryLock {
        let store: PostgresStore
        let key: String

        init(store: PostgresStore, key: String) {
            self.store = store
            self.key = key
        }

        deinit {
            _ = try? store.access("release the store's lock") {
                try store.run("SELECT pg_advisory_unlock(hashtext(?))", key)
            }
        }
    }

    // MARK: Ingest

    public func sink(for source: IngestSource) throws -> any IngestSink {
        let id = try access("record the source \(source.name)") {
            try transaction {
                for (sql, arguments) in SourceSQL.statements(source) { try run(sql, arguments: arguments) }
                return try run(SourceSQL.find, source.province, source.name).first?.int(0) ?? 0
            }
        }
        return SourceSink(store: self, source: id)
    }

    func checkpoints(lineHash: String, source: Int64) throws -> [FileCheckpoint] {
        try access("read checkpoints") {
            try run(
                """
                SELECT fingerprint, line_hash, head_length, path, "offset", lines, last_local_time FROM ingest_file
                WHERE source_id = ? AND line_hash = ? ORDER BY head_length DESC
                """, source, lineHash
            ).rows.map { row in
                FileCheckpoint(
                    fingerprint: try row.text(0) ?? "", lineHash: try row.text(1) ?? "",
                    headLength: Int(try row.int(2) ?? 0), path: try row.text(3) ?? "", offset: try row.int(4) ?? 0,
                    lines: Int(try row.int(5) ?? 0), lastLocalTime: try row.int(6))
            }
        }
    }

    func correlatorState(source: Int64) throws -> Correlator.State? {
        let bytes = try access("read the ingest state") {
            try run("SELECT correlator FROM ingest_state WHERE source_id = ?", source).first?.bytes(0)
        }
        return try bytes.map { bytes throws(StoreError) in try IngestState.decode(Data(bytes), location: location) }
    }

    /// Commits a batch in one transaction: its daily rows, streamed with `COPY`, the file's
    /// checkpoint and the open messages, so that an ingest killed at any point resumes exactly.
    ///
    /// Rows of days after the last one the source holds are copied straight into their table:
    /// they are new, which this source's hold makes safe (were another writer to race it anyway,
    /// the primary key would stop the commit, not count twice). The others are copied into a
    /// staging table and added to the rows that may exist, one `INSERT … ON CONFLICT` a table.
    func commit(_ batch: IngestBatch, source: Int64) throws {
        let state = try IngestState.encode(batch.state, location: location)
        try access("commit an ingest batch") {
            try prepareStaging()
            let ids = try addressIDs(for: batch.activity.addresses)
            let lastDay = try lastDay(source)
            try transaction {
                let stored = try run("SELECT statistics FROM ingest_state WHERE source_id = ?", source).first?.text(0)
                let total = try IngestState.total(stored, adding: batch.statistics, location: location)
                try writeActivity(batch.activity, source: source, ids: ids, after: lastDay)
                try writePairs(batch.activity.pairs, into: .exchanges, source: source, ids: ids, after: lastDay)
                try writePairs(batch.activity.forwards, into: .forwards, source: source, ids: ids, after: lastDay)
                try writeDisplayNames(batch.activity, source: source, ids: ids)
                let checkpoint = batch.checkpoint
                try run(
                    """
                    INSERT INTO ingest_file (source_id, fingerprint, line_hash, head_length, path, "offset", lines,
                        last_local_time, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (source_id, fingerprint) DO UPDATE SET path = excluded.path,
                        "offset" = excluded."offset", lines = excluded.lines,
                        last_local_time = excluded.last_local_time, updated_at = excluded.updated_at
                    """, source, checkpoint.fingerprint, checkpoint.lineHash, checkpoint.headLength, checkpoint.path,
                    checkpoint.offset, checkpoint.lines, checkpoint.lastLocalTime, Int64(Date().timeIntervalSince1970))
                try run(
                    """
                    INSERT INTO ingest_state (source_id, correlator, statistics, utc_offset) VALUES (?, ?, ?, ?)
                    ON CONFLICT (source_id) DO UPDATE SET correlator = excluded.correlator,
                        statistics = excluded.statistics
                    """, source, state, total, batch.activity.utcOffset)
            }
            let activity = batch.activity
            lastDays[source] = max(
                lastDay, activity.days.keys.lazy.map { Int($0.day) }.max() ?? lastDay,
                activity.pairs.keys.lazy.map { Int($0.day) }.max() ?? lastDay,
                activity.forwards.keys.lazy.map { Int($0.day) }.max() ?? lastDay)
        }
    }

    /// This session's staging tables: temporary, emptied at each commit.
    private func prepareStaging() throws(PostgresFailure) {
        guard !staging else { return }
        for table in [DailyTable.activity, .exchanges, .forwards, .displayNames] {
            try run("CREATE TEMPORARY TABLE \(table.staging) (LIKE \(table.name)) ON COMMIT DELETE ROWS")
        }
        try run("CREATE TEMPORARY TABLE incoming_address (address TEXT NOT NULL) ON COMMIT DELETE ROWS")
        staging = true
    }

    /// The last day `source` has daily rows for (`Int.min` for none).
    private func lastDay(_ source: Int64) throws -> Int {
        if let day = lastDays[source] { return day }
        let day = try run(
            """
            SELECT GREATEST((SELECT MAX(day) FROM daily_activity WHERE source_id = ?),
                (SELECT MAX(day) FROM daily_exchange WHERE source_id = ?),
                (SELECT MAX(day) FROM daily_forward WHERE source_id = ?))
            """, source, source, source
        ).first?.int(0)
        lastDays[source] = day.map(Int.init) ?? Int.min
        return lastDays[source] ?? Int.min
    }

    /// Database ids of `addresses`, inserting the new ones: sorted, in short transactions of
    /// their own (outside the commit's), so that concurrent ingests take their row locks in the
    /// same order and release them at once.
    private func addressIDs(for addresses: [String]) throws -> [Int64] {
        let missing = addresses.filter { addressIDs[$0] == nil }.sorted()
        for start in stride(from: 0, to: missing.count, by: Self.addressesPerTransaction) {
            let chunk = missing[start..<min(start + Self.addressesPerTransaction, missing.count)]
            try transaction {
                try connection.copy(into: "incoming_address (address)") { copy throws(PostgresFailure) in
                    for address in chunk {
                        copy.text(address)
                        try copy.endRow()
                    }
                }
                try run(
                    """
                    INSERT INTO address (address) SELECT address FROM incoming_address ORDER BY address
                    ON CONFLICT (address) DO NOTHING
                    """)
                for row in try run(
                    "SELECT a.id, a.address FROM address AS a JOIN incoming_address AS i ON i.address = a.address"
                ).rows {
                    addressIDs[try row.text(1) ?? ""] = try row.int(0)
                }
            }
        }
        return try addresses.map { address in
            guard let id = addressIDs[address] else {
                throw StoreError(.query, location: location, "an address was not stored")
            }
            return id
        }
    }

    /// A daily table as a commit writes it: its columns in `COPY` order, its key, and how a row
    /// is added to one that exists.
    private struct DailyTable {
        let name: String
        let columns: String
        let key: String
        let merge: String

        /// This session's staging table for it.
        var staging: String { name.replacingOccurrences(of: "daily_", with: "incoming_") }

        static let activity = DailyTable(
            name: "daily_activity",
            columns: """
                day, source_id, address_id, submitted, received, imap_logins, pop3_logins, submission_logins, \
                failed_logins, first_seen, last_seen
                """,
            key: "day, source_id, address_id",
            merge: """
                submitted = daily_activity.submitted + excluded.submitted,
                received = daily_activity.received + excluded.received,
                imap_logins = daily_activity.imap_logins + excluded.imap_logins,
                pop3_logins = daily_activity.pop3_logins + excluded.pop3_logins,
                submission_logins = daily_activity.submission_logins + excluded.submission_logins,
                failed_logins = daily_activity.failed_logins + excluded.failed_logins,
                first_seen = LEAST(daily_activity.first_seen, excluded.first_seen),
                last_seen = GREATEST(daily_activity.last_seen, excluded.last_seen)
                """)

        /// Message counts per day and pair of addresses (exchanges, forwards).
        static func pairs(_ name: String, _ first: String, _ second: String) -> DailyTable {
            DailyTable(
                name: name, columns: "day, source_id, \(first), \(second), messages, first_seen, last_seen",
                key: "day, source_id, \(first), \(second)",
                merge: """
                    messages = \(name).messages + excluded.messages,
                    first_seen = LEAST(\(name).first_seen, excluded.first_seen),
                    last_seen = GREATEST(\(name).last_seen, excluded.last_seen)
                    """)
        }

        static let exchanges = pairs("daily_exchange", "sender_id", "recipient_id")
        static let forwards = pairs("daily_forward", "original_id", "recipient_id")

        static let displayNames = DailyTable(
            name: "daily_display_name", columns: "day, source_id, address_id, name, messages",
            key: "day, source_id, address_id, name", merge: "messages = daily_display_name.messages + excluded.messages"
        )
    }

    private func writeActivity(_ activity: ActivityAggregate, source: Int64, ids: [Int64], after lastDay: Int)
        throws(PostgresFailure)
    {
        let rows = activity.days.sorted { ($0.key.day, $0.key.address) < ($1.key.day, $1.key.address) }
        try write(rows, into: .activity, newAfter: lastDay, day: { Int($0.key.day) }) {
            copy, row throws(PostgresFailure) in
            let counters = row.value
            copy.int(Int64(row.key.day))
            copy.int(source)
            copy.int(ids[Int(row.key.address)])
            for count in [
                counters.submitted, counters.received, counters.imap, counters.pop3, counters.submission,
                counters.failed,
            ] {
                copy.int(Int64(count))
            }
            copy.int(counters.firstSeen)
            copy.int(counters.lastSeen)
            try copy.endRow()
        }
    }

    private func writePairs(
        _ pairs: [ActivityAggregate.PairKey: ExchangeCounters], into table: DailyTable, source: Int64, ids: [Int64],
        after lastDay: Int
    ) throws(PostgresFailure) {
        let rows = pairs.map { (day: $0.key.day, ids: (ids[Int($0.key.sender)], ids[Int($0.key.recipient)]), $0.value) }
            .sorted { ($0.day, $0.ids.0, $0.ids.1) < ($1.day, $1.ids.0, $1.ids.1) }
        try write(rows, into: table, newAfter: lastDay, day: { Int($0.day) }) { copy, row throws(PostgresFailure) in
            copy.int(Int64(row.day))
            copy.int(source)
            copy.int(row.ids.0)
            copy.int(row.ids.1)
            copy.int(Int64(row.2.messages))
            copy.int(row.2.firstSeen)
            copy.int(row.2.lastSeen)
            try copy.endRow()
        }
    }

    /// Display names are few: all added to rows that may exist.
    private func writeDisplayNames(_ activity: ActivityAggregate, source: Int64, ids: [Int64]) throws(PostgresFailure) {
        let rows = DisplayNameSQL.rows(activity, ids: ids)
        try write(rows, into: .displayNames, newAfter: Int.max, day: { Int($0.day) }) {
            copy, row throws(PostgresFailure) in
            copy.int(Int64(row.day))
            copy.int(source)
            copy.int(row.address)
            copy.text(row.name)
            copy.int(row.messages)
            try copy.endRow()
        }
    }

    /// Copies `rows` (sorted by day), each encoded by `encode`: those of days up to `lastDay` into
    /// the staging table, then added to `table`'s rows in one `INSERT … ON CONFLICT DO UPDATE`;
    /// the later ones, new, straight into `table`.
    private func write<Row>(
        _ rows: [Row], into table: DailyTable, newAfter lastDay: Int, day: (Row) -> Int,
        _ encode: (inout PostgresCopyRows, Row) throws(PostgresFailure) -> Void
    ) throws(PostgresFailure) {
        let split = rows.firstIndex { day($0) > lastDay } ?? rows.endIndex
        if split > rows.startIndex {
            try connection.copy(into: "\(table.staging) (\(table.columns))") { copy throws(PostgresFailure) in
                for row in rows[..<split] { try encode(&copy, row) }
            }
            try run(
                """
                INSERT INTO \(table.name) (\(table.columns)) SELECT \(table.columns) FROM \(table.staging)
                ORDER BY \(table.key)
                ON CONFLICT (\(table.key)) DO UPDATE SET \(table.merge)
                """)
        }
        if split < rows.endIndex {
            try connection.copy(into: "\(table.name) (\(table.columns))") { copy throws(PostgresFailure) in
                for row in rows[split...] { try encode(&copy, row) }
            }
        }
    }

    // MARK: Reading

    /// Runs shared reads in one snapshot: other sources may be committing meanwhile.
    func reads<T>(_ what: String, _ body: (StoreReads) throws -> T) throws -> T {
        try access(what) {
            try transaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try body(StoreReads(query: Snapshot(store: self), location: location))
            }
        }
    }

    private struct Snapshot: SnapshotQuery {
        let store: PostgresStore

        func forEach(_ sql: String, _ arguments: [Int64], _ row: (any QueryRow) throws -> Void) throws {
            let result = try store.run(sql, arguments: arguments)
            for index in 0..<result.count { try row(PostgresRow(result: result, index: Int32(index))) }
        }
    }

    // MARK: Access

    /// Runs `body` alone on the connection; errors become a `StoreError` saying what failed.
    @discardableResult
    func access<T>(_ what: String, _ body: () throws -> T) throws(StoreError) -> T {
        mutex.lock()
        defer { mutex.unlock() }
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as PostgresFailure {
            throw StoreError(.query, location: location, "cannot \(what)", cause: error)
        } catch {
            throw StoreError(.query, location: location, "cannot \(what)", cause: PostgresFailure("\(error)"))
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        try run(begin)
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            _ = try? run("ROLLBACK")
            throw error
        }
    }

    /// Runs `sql`, whose `?` placeholders take `arguments` in order.
    @discardableResult
    func run(_ sql: String, _ arguments: any PostgresBindable...) throws(PostgresFailure) -> PostgresResult {
        try run(sql, arguments: arguments)
    }

    @discardableResult
    func run(_ sql: String, arguments: [any PostgresBindable]) throws(PostgresFailure) -> PostgresResult {
        try connection.execute(arguments.isEmpty ? sql : Self.numbered(sql), arguments.map(\.postgresValue))
    }

    /// `sql` with its `?` placeholders numbered for PostgreSQL (`$1`, `$2`, …). The store's SQL
    /// has no `?` inside quotes.
    static func numbered(_ sql: String) -> String {
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        for character in sql {
            if character == "?" {
                count += 1
                result += "$\(count)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}
