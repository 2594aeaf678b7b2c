import Census
import Foundation
import MailLog

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
///
/// `@unchecked Sendable`: its connection and caches (`addressIDs`, `lastDays`, `stagingTables`)
/// are touched only inside `access`, under `mutex`, so one thread at a time uses them.
public final class PostgresStore: SQLStore, @unchecked Sendable {
    /// The server and database, as `postgres://HOST:PORT/DATABASE`, for messages.
    public let location: String
    private let connection: PostgresConnection
    private let mutex = NSLock()
    /// Address ids known to be in the database. Only touched under `mutex`.
    private var addressIDs: [String: Int64] = [:]
    /// The last day each source has daily rows for, once read. Only touched under `mutex`.
    private var lastDays: [Int64: LastDay] = [:]
    /// This session's staging tables made so far. Only touched under `mutex`.
    private var stagingTables: Set<String> = []
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
                if let problem = address.passwordFileProblem(environment: environment) { hint += "; \(problem)" }
            }
            throw StoreError(.cannotOpen, location: server.description, "cannot connect" + hint, cause: error)
        }
        location = server.description
        try access("bring the schema up to date") { try self.migrate() }
    }

    private func migrate() throws {
        try inTransaction {
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

    /// Inserts the addresses a later commit will name, in transactions of their own, as the
    /// commit itself does (`addressIDs(for:)`).
    func prepare(addresses: [String]) throws {
        try access("store new addresses") { _ = try addressIDs(for: addresses) }
    }

    /// Commits a batch in one transaction: its daily rows, streamed with `COPY`, the file's
    /// checkpoint and the open messages, so that an ingest killed at any point resumes exactly.
    ///
    /// Rows known to be new (see `LastDay`) are copied straight into their table; the others
    /// into a staging table, then added to the rows that may exist with one `INSERT … ON
    /// CONFLICT DO UPDATE` a table.
    func commit(_ batch: IngestBatch, source: Int64) throws {
        let state = IngestState.encode(batch.state)
        try access("commit an ingest batch") {
            let ids = try addressIDs(for: batch.activity.addresses)
            let clientIDs = try addressIDs(for: batch.activity.clients.addresses)
            let last = try lastDay(source)
            try inTransaction {
                let sql = PostgresExecutor(store: self)
                let total = try IngestSQL.total(source: source, adding: batch.statistics, location: location, sql)
                try writeActivity(batch.activity, source: source, ids: ids, last: last)
                try writePairs(
                    batch.activity.pairs, into: .exchanges, source: source, ids: ids, last: last, written: \.exchanges)
                try writePairs(
                    batch.activity.forwards, into: .forwards, source: source, ids: ids, last: last, written: \.forwards)
                try writeDisplayNames(batch.activity, source: source, ids: ids)
                try writeClients(batch.activity.clients, source: source, ids: clientIDs)
                try IngestSQL.save(batch, state: state, total: total, source: source, sql)
            }
            lastDays[source] = last.after(batch.activity, ids: ids)
        }
    }

    /// This session's staging table `name`, made the first time: temporary, emptied at each
    /// commit (`columns`: `LIKE` a table, or columns of its own).
    private func staging(_ name: String, _ columns: String) throws(PostgresFailure) -> String {
        if !stagingTables.contains(name) {
            try run("CREATE TEMPORARY TABLE \(name) (\(columns)) ON COMMIT DELETE ROWS")
            stagingTables.insert(name)
        }
        return name
    }

    /// The last day `source` has daily rows for (`Int.min` for none), as the store holds it
    /// before this process writes; then as this process's commits leave it.
    private func lastDay(_ source: Int64) throws -> LastDay {
        if let last = lastDays[source] { return last }
        let day = try run(
            """
            SELECT GREATEST((SELECT MAX(day) FROM daily_activity WHERE source_id = ?),
                (SELECT MAX(day) FROM daily_exchange WHERE source_id = ?),
                (SELECT MAX(day) FROM daily_forward WHERE source_id = ?))
            """, source, source, source
        ).first?.int(0)
        let last = LastDay(day: day.map(Int.init) ?? Int.min, written: nil)
        lastDays[source] = last
        return last
    }

    /// The last day a source has daily rows for, and which rows this process knows are there.
    ///
    /// A row of a later day is new: it is copied straight into its table, which the source's
    /// hold makes safe (were another writer to race it anyway, the primary key would stop the
    /// commit, not count twice). So is a row of the last day itself when this process wrote
    /// every row of that day (the day was new to the store when it did) and none with its key.
    /// The others may add to a row that exists: they are merged.
    private struct LastDay {
        var day: Int
        /// The keys of the day's rows, when this process wrote them all; nil when the store may
        /// hold rows of the day that this process did not write.
        var written: Written?

        struct Written {
            var activity: Set<Int64> = []
            var exchanges: Set<AddressPair> = []
            var forwards: Set<AddressPair> = []
        }

        struct AddressPair: Hashable {
            let first: Int64
            let second: Int64
        }

        /// Whether a row of `day` whose key `isWritten` is new.
        func isNew(_ day: Int32, _ isWritten: (Written) -> Bool) -> Bool {
            Int(day) > self.day || (Int(day) == self.day && written.map { !isWritten($0) } == true)
        }

        /// The last day once `activity` (its addresses' ids `ids`) is committed.
        func after(_ activity: ActivityAggregate, ids: [Int64]) -> LastDay {
            let latest = max(
                activity.days.keys.lazy.map { Int($0.day) }.max() ?? day,
                activity.pairs.keys.lazy.map { Int($0.day) }.max() ?? day,
                activity.forwards.keys.lazy.map { Int($0.day) }.max() ?? day)
            var next = latest > day ? LastDay(day: latest, written: Written()) : self
            guard next.written != nil else { return next }
            for key in activity.days.keys where Int(key.day) == next.day {
                next.written?.activity.insert(ids[Int(key.address)])
            }
            for key in activity.pairs.keys where Int(key.day) == next.day {
                next.written?.exchanges.insert(
                    AddressPair(first: ids[Int(key.sender)], second: ids[Int(key.recipient)]))
            }
            for key in activity.forwards.keys where Int(key.day) == next.day {
                next.written?.forwards.insert(AddressPair(first: ids[Int(key.sender)], second: ids[Int(key.recipient)]))
            }
            return next
        }
    }

    /// Database ids of `addresses`, inserting the new ones in short transactions of their own
    /// (outside the commit's), each inserting in sorted order: concurrent ingests take their row
    /// locks in the same order, so neither waits on the other for long, and never in a cycle.
    ///
    /// Each chunk is first inserted plainly, those not in the table yet (`INSERT … RETURNING`,
    /// without the cost of `ON CONFLICT`); should another ingest have inserted one of them
    /// meanwhile, the unique key refuses it and the chunk is inserted again with
    /// `ON CONFLICT DO NOTHING`. Those transactions need not wait for the disk
    /// (`synchronous_commit = off`): the commit of the ingest that uses the ids flushes them
    /// first, and a server that crashes before takes this session, and the ids it knows, with it.
    private func addressIDs(for addresses: [String]) throws -> [Int64] {
        let missing = addresses.filter { addressIDs[$0] == nil }
        guard !missing.isEmpty else { return try addresses.map { try id(of: $0) } }
        let staging = try staging("incoming_address", "address TEXT NOT NULL")
        for start in stride(from: 0, to: missing.count, by: Self.addressesPerTransaction) {
            let chunk = missing[start..<min(start + Self.addressesPerTransaction, missing.count)]
            do {
                try insertAddresses(chunk, via: staging, race: false)
            } catch let failure as PostgresFailure where failure.state == "23505" {
                try insertAddresses(chunk, via: staging, race: true)
            }
        }
        return try addresses.map { try id(of: $0) }
    }

    /// Inserts those of `addresses` not in the table yet, and learns every one's id: plainly, or
    /// when another ingest may be inserting the same (`race`), with `ON CONFLICT DO NOTHING`.
    private func insertAddresses(_ addresses: ArraySlice<String>, via staging: String, race: Bool) throws {
        try inTransaction {
            try run("SET LOCAL synchronous_commit = off")
            try connection.copy(into: "\(staging) (address)") { copy throws(PostgresFailure) in
                for address in addresses {
                    copy.text(address)
                    try copy.endRow()
                }
            }
            var found = 0
            for row in try run(
                """
                INSERT INTO address (address) SELECT address FROM \(staging) AS i
                WHERE NOT EXISTS (SELECT 1 FROM address AS a WHERE a.address = i.address) ORDER BY address
                """ + (race ? " ON CONFLICT (address) DO NOTHING" : "") + " RETURNING id, address"
            ).rows {
                addressIDs[try row.text(1) ?? ""] = try row.int(0)
                found += 1
            }
            guard found < addresses.count else { return }
            for row in try run(
                "SELECT a.id, a.address FROM address AS a JOIN \(staging) AS i ON i.address = a.address"
            ).rows {
                addressIDs[try row.text(1) ?? ""] = try row.int(0)
            }
        }
    }

    private func id(of address: String) throws(StoreError) -> Int64 {
        guard let id = addressIDs[address] else {
            throw StoreError(.query, location: location, "an address was not stored")
        }
        return id
    }

    private func writeActivity(_ activity: ActivityAggregate, source: Int64, ids: [Int64], last: LastDay)
        throws(PostgresFailure)
    {
        // In the key's order (day, then address id), so that new rows go to the end of its index.
        let rows = activity.days.map { (day: $0.key.day, address: ids[Int($0.key.address)], counters: $0.value) }
            .sorted { ($0.day, $0.address) < ($1.day, $1.address) }
        let new = { (row: (day: Int32, address: Int64, counters: DailyCounters)) in
            last.isNew(row.day) { $0.activity.contains(row.address) }
        }
        try write(rows, into: .activity, isNew: new) {
            copy, row throws(PostgresFailure) in
            let counters = row.counters
            copy.int(Int64(row.day))
            copy.int(source)
            copy.int(row.address)
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
        _ pairs: ActivityAggregate.Pairs, into table: DailyTable, source: Int64, ids: [Int64],
        last: LastDay, written: KeyPath<LastDay.Written, Set<LastDay.AddressPair>>
    ) throws(PostgresFailure) {
        let rows = pairs.map { (day: $0.key.day, ids: (ids[Int($0.key.sender)], ids[Int($0.key.recipient)]), $0.value) }
            .sorted { ($0.day, $0.ids.0, $0.ids.1) < ($1.day, $1.ids.0, $1.ids.1) }
        let new = { (row: (day: Int32, ids: (Int64, Int64), ExchangeCounters)) in
            last.isNew(row.day) {
                $0[keyPath: written].contains(LastDay.AddressPair(first: row.ids.0, second: row.ids.1))
            }
        }
        try write(rows, into: table, isNew: new) { copy, row throws(PostgresFailure) in
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
        try write(rows, into: .displayNames, isNew: { _ in false }) {
            copy, row throws(PostgresFailure) in
            copy.int(Int64(row.day))
            copy.int(source)
            copy.int(row.address)
            copy.text(row.name)
            copy.int(row.messages)
            try copy.endRow()
        }
    }

    /// Client evidence is small (a row per address, day, origin and client): all added to rows
    /// that may exist.
    private func writeClients(_ clients: ClientAggregate, source: Int64, ids: [Int64]) throws(PostgresFailure) {
        try write(ClientSQL.rows(clients, ids: ids), into: .clients, isNew: { _ in false }) {
            copy, row throws(PostgresFailure) in
            ClientSQL.write(row, source: source, to: &copy)
            try copy.endRow()
        }
        try write(ClientSQL.evidenceRows(clients), into: .clientEvidence, isNew: { _ in false }) {
            copy, row throws(PostgresFailure) in
            copy.int(Int64(row.day))
            copy.int(source)
            copy.int(row.clientIDs)
            copy.int(row.webmailLog)
            copy.int(row.webmailHosts)
            try copy.endRow()
        }
    }

    /// Copies `rows`, each encoded by `encode`: the new ones straight into `table`, the others
    /// into its staging table, then added to `table`'s rows in one `INSERT … ON CONFLICT DO
    /// UPDATE`.
    private func write<Row>(
        _ rows: [Row], into table: DailyTable, isNew: (Row) -> Bool,
        _ encode: (inout PostgresCopyRows, Row) throws(PostgresFailure) -> Void
    ) throws(PostgresFailure) {
        let new = rows.map(isNew)
        if new.contains(false) {
            let staging = try staging(
                table.name.replacingOccurrences(of: "daily_", with: "incoming_"), "LIKE \(table.name)")
            try connection.copy(into: "\(staging) (\(table.columns))") { copy throws(PostgresFailure) in
                for (row, new) in zip(rows, new) where !new { try encode(&copy, row) }
            }
            try run(table.upsert("SELECT \(table.columns) FROM \(staging) ORDER BY \(table.key)"))
        }
        if new.contains(true) {
            try connection.copy(into: "\(table.name) (\(table.columns))") { copy throws(PostgresFailure) in
                for (row, new) in zip(rows, new) where new { try encode(&copy, row) }
            }
        }
    }

    // MARK: Shared SQL

    @discardableResult
    func transaction<T>(_ what: String, _ body: (any SQLExecutor) throws -> T) throws -> T {
        try access(what) { try inTransaction { try body(PostgresExecutor(store: self)) } }
    }

    /// A snapshot: other sources may be committing meanwhile.
    func snapshot<T>(_ what: String, _ body: (any SQLExecutor) throws -> T) throws -> T {
        try access(what) {
            try inTransaction(begin: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                try body(PostgresExecutor(store: self))
            }
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

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws
    /// (with the staging tables it made).
    func inTransaction<T>(begin: String = "BEGIN", _ body: () throws -> T) throws -> T {
        let staged = stagingTables
        try run(begin)
        do {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            _ = try? run("ROLLBACK")
            stagingTables = staged
            throw error
        }
    }

    /// Runs `sql`, whose `?` placeholders take `arguments` in order.
    @discardableResult
    func run(_ sql: String, _ arguments: any SQLArgument...) throws(PostgresFailure) -> PostgresResult {
        try run(sql, arguments: arguments)
    }

    @discardableResult
    func run(_ sql: String, arguments: [any SQLArgument]) throws(PostgresFailure) -> PostgresResult {
        try connection.execute(arguments.isEmpty ? sql : Self.numbered(sql), arguments.map(\.sqlValue))
    }

    /// `sql` with its `?` placeholders numbered for PostgreSQL (`$1`, `$2`, …): the one place
    /// the shared SQL's placeholders are rewritten. A `?` inside a quoted string or name
    /// (`'?'`, `"?"`) is left as it is.
    static func numbered(_ sql: String) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(sql.utf8.count + 16)
        var count = 0
        var quote: UInt8?
        for byte in sql.utf8 {
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                quote = byte
            } else if byte == UInt8(ascii: "?") {
                count += 1
                result += Array("$\(count)".utf8)
                continue
            }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// Runs the store's shared SQL on the store's connection, inside the transaction or snapshot it
/// was made for (so under the store's `mutex`); `?` placeholders are numbered for PostgreSQL
/// (`PostgresStore.numbered`).
struct PostgresExecutor: SQLExecutor {
    let store: PostgresStore

    func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int {
        try store.run(sql, arguments: arguments).changed
    }

    func forEach(_ sql: String, _ arguments: [any SQLArgument], _ row: (any QueryRow) throws -> Void) throws {
        let result = try store.run(sql, arguments: arguments)
        for index in 0..<result.count { try row(PostgresRow(result: result, index: Int32(index))) }
    }
}
