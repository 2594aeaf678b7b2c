import Basics
import Census
import Foundation
import GRDB
import GRDBSQLite
import MailLog

/// The embedded store: one SQLite file (WAL journal), filled by `ingest` and read by reports.
///
/// Each ingest commit is one transaction, so an ingest killed at any point leaves the store as
/// it was after the last commit, with the checkpoint that matches it.
///
/// `@unchecked Sendable`: its only mutable state, the address ids it knows, is read and written
/// only under `addressIDsLock`; the GRDB writer it holds is `Sendable` and serialises writes itself.
public final class SQLiteStore: SQLStore, @unchecked Sendable {
    public let path: String
    public var location: String { path }
    let writer: any DatabaseWriter
    /// A read-only store's connections, `writer` the first of them; nil when `writer` reads
    /// concurrently itself (a `DatabasePool`) or is a test's in-memory database.
    private let readers: ReadConnections?
    /// Address ids known to be committed to the database, under `addressIDsLock`: a commit
    /// reads it inside its transaction and adds the ids it inserted only once that transaction
    /// has committed (ids of a rolled-back commit must not be remembered).
    private var addressIDs: [String: Int64] = [:]
    /// Whether `addressIDs` holds the table's ids (read by the first commit or storing of
    /// addresses ahead, before it writes).
    private var addressIDsLoaded = false
    /// The same ids by the `StringTable` id of each address in `internedTable` (the running
    /// ingest's), 0 for not known: an activity's addresses are looked up by integer, not by
    /// hashing their text. Under `addressIDsLock`; committed ids only, as `addressIDs`.
    private var idsByInterned: [Int64] = []
    private var internedTable: StringTable?
    private let addressIDsLock = NSLock()

    /// Opens the store at `path`.
    ///
    /// - Parameter readOnly: false (the default): creates the file if needed and brings its
    ///   schema up to date. True: only reads, so that reports work on a file this user may not
    ///   write; nothing is migrated, and a schema older than this mailcensus's is refused with
    ///   what to do. See `openForReading(_:at:)`.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw StoreError(.badLocation, location: path, "is a folder, not a mailcensus store; name one with --store")
        }
        if readOnly {
            let location = Self.readingLocation(path)
            let queue = try Self.openForReading(path, at: location)
            writer = queue
            readers = ReadConnections(first: queue) { () throws(StoreError) in
                try Self.readingQueue(path, at: location)
            }
            return
        }
        readers = nil
        do {
            var configuration = Configuration()
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                try db.execute(sql: "PRAGMA cache_size = -16384")
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            try SQLiteSchema.migrator.migrate(pool)
            writer = pool
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw Self.notAStore(path, error)
        } catch {
            throw StoreError(.cannotOpen, location: path, "cannot open or create the SQLite store", cause: error)
        }
    }

    /// A connection that only reads (`SQLITE_OPEN_READONLY`: SQLite refuses any write through
    /// it, whoever runs it), after checking the schema is this mailcensus's.
    ///
    /// A WAL database opened read-only needs its `-shm` file, which SQLite creates beside it when
    /// it can (and leaves there, with an empty `-wal`, for the next writer to remove). When there
    /// is no `-wal` file, or an empty one (no writer is at work, none stopped half-way), and
    /// either the file has no write permission for anyone or this user cannot create files in
    /// its folder, the file is opened `immutable` instead: read as it is, with no `-shm`, no
    /// `-wal` and no locks. A file no one may write cannot change under the read; in a folder this
    /// user cannot write but its owner can, an ingest starting during the read could, and the
    /// report would then have to be run again.
    static func openForReading(_ path: String, at location: String) throws(StoreError) -> DatabaseQueue {
        let queue = try readingQueue(path, at: location)
        let migrator = SQLiteSchema.migrator
        let applied: Set<String>
        do {
            applied = try queue.read { db in try migrator.appliedIdentifiers(db) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw Self.notAStore(path, error)
        } catch {
            throw StoreError(
                .cannotOpen, location: path,
                "cannot read the SQLite store (is it a mailcensus store? A store in WAL mode in a folder this user "
                    + "cannot write is read only when no \((path as NSString).lastPathComponent)-wal is beside it)",
                cause: error)
        }
        if !applied.isSubset(of: migrator.migrations) {
            throw StoreError(.cannotOpen, location: path, "was made by a newer mailcensus; update mailcensus")
        }
        if applied.count < migrator.migrations.count {
            throw StoreError(
                .needsUpgrade, location: path,
                "needs an upgrade (it has \(applied.count) of this mailcensus's \(migrator.migrations.count) schema "
                    + "versions): run mailcensus ingest once with write access to it")
        }
        return queue
    }

    /// A connection that only reads the store at `path`, opened at `location` (`readingLocation`).
    static func readingQueue(_ path: String, at location: String) throws(StoreError) -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -16384") }
        do {
            return try DatabaseQueue(path: location, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw Self.notAStore(path, error)
        } catch {
            throw StoreError(.cannotOpen, location: path, "cannot open the SQLite store to read it", cause: error)
        }
    }

    /// `path`, or a `file:` URI with `immutable=1` when the file cannot be written by anyone or
    /// its folder not by this user, and no `-wal` file with anything in it is beside it.
    static func readingLocation(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var info = stat()
        // An empty -wal is what a reader that could create it leaves: no frame to read.
        guard stat(absolute + "-wal", &info) != 0 || info.st_size == 0 else { return path }
        let noOneWrites = stat(absolute, &info) == 0 && info.st_mode & 0o222 == 0
        let folder = (absolute as NSString).deletingLastPathComponent
        guard noOneWrites || access(folder, W_OK) != 0 else { return path }
        let escaped = absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute
        return "file:\(escaped)?immutable=1"
    }

    static func notAStore(_ path: String, _ error: DatabaseError) -> StoreError {
        StoreError(
            .badLocation, location: path, "is not a mailcensus store (not a SQLite database); name one with --store",
            cause: error)
    }

    /// An in-memory store, for tests.
    public init() throws(StoreError) {
        path = ":memory:"
        do {
            let queue = try DatabaseQueue()
            try SQLiteSchema.migrator.migrate(queue)
            writer = queue
            readers = nil
        } catch {
            throw StoreError(.cannotOpen, location: path, "cannot create an in-memory store", cause: error)
        }
    }

    /// An advisory lock on `STORE.lock` for an ingest or a provisioning apply (SQLite has one
    /// writer at a time), on `STORE.relay.lock` for sending.
    public func hold(_ purpose: StorePurpose) throws -> AnyObject {
        guard path != ":memory:" else { return self }
        if purpose == .relay {
            return try StoreLock(storePath: path, name: "relay", busy: purpose.busy)
        }
        return try StoreLock(storePath: path)
    }

    // MARK: Ingest

    func commit(_ batch: IngestBatch, source: Int64) throws {
        let state = IngestState.encode(batch.state)
        var newIDs: [String: Int64] = [:]
        var interned = Interned(batch.activity)
        try writeUnchecked("commit an ingest batch") { db in
            let sql = SQLiteExecutor(db: db)
            let total = try IngestSQL.total(
                source: source, adding: batch.statistics, location: self.path, sql)
            let ids = try self.addressIDs(for: batch.activity.addresses, db, new: &newIDs, interned: &interned)
            try self.insertActivity(batch.activity, source: source, ids: ids, db)
            try self.insertPairs(batch.activity.pairs, into: .exchanges, source, ids, db)
            try self.insertPairs(batch.activity.forwards, into: .forwards, source, ids, db)
            try self.insertDisplayNames(batch.activity, source: source, ids: ids, db)
            var byText = Interned.none
            let clientIDs = try self.addressIDs(
                for: batch.activity.clients.addresses, db, new: &newIDs, interned: &byText)
            try self.insertClients(batch.activity.clients, source: source, ids: clientIDs, db)
            try IngestSQL.save(batch, state: state, total: total, source: source, sql)
        }
        remember(newIDs, interned)
    }

    func prepare(addresses: [String]) throws {
        let allKnown = addressIDsLock.withLock { addressIDsLoaded && addresses.allSatisfy { addressIDs[$0] != nil } }
        guard !allKnown else { return }
        var newIDs: [String: Int64] = [:]
        var byText = Interned.none
        try writeUnchecked("store new addresses") { db in
            _ = try self.addressIDs(for: addresses, db, new: &newIDs, interned: &byText)
        }
        remember(newIDs, byText)
    }

    /// Addresses as `StringTable` ids (an aggregate's), and the store ids found for them by text
    /// in a transaction, to be remembered by those ids once it has committed.
    struct Interned {
        let ids: [StringID]
        /// nil for addresses known by their text only (or no address at all).
        let table: StringTable?
        var found: [(Int, Int64)] = []

        init(_ activity: ActivityAggregate) {
            ids = activity.addressStringIDs
            table = activity.addressTable
        }

        private init() {
            ids = []
            table = nil
        }

        /// For addresses known by their text only.
        static var none: Interned { Interned() }
    }

    /// Remembers the ids of a transaction that has committed: `new` by text, `interned.found` by
    /// `StringTable` id when they are of the table remembered.
    private func remember(_ new: [String: Int64], _ interned: Interned) {
        addressIDsLock.withLock {
            addressIDs.merge(new) { $1 }
            guard interned.table != nil && internedTable === interned.table else { return }
            for (stringID, id) in interned.found {
                if stringID >= idsByInterned.count {
                    idsByInterned += repeatElement(
                        0, count: max(stringID + 1, idsByInterned.count * 2) - idsByInterned.count)
                }
                idsByInterned[stringID] = id
            }
        }
    }

    /// Database ids of `addresses`, inserting the new ones; `new` collects those inserted.
    ///
    /// New addresses are given the ids after the table's largest (this ingest is the store's only
    /// writer), many to a statement.
    ///
    /// With `interned` of a string table, addresses met in an earlier commit of the same ingest
    /// are looked up by their `StringTable` id; the others' ids are added to `interned.found`.
    private func addressIDs(
        for addresses: [String], _ db: Database, new: inout [String: Int64], interned: inout Interned
    ) throws -> [Int64] {
        addressIDsLock.lock()
        defer { addressIDsLock.unlock() }
        if let table = interned.table, internedTable !== table {
            internedTable = table
            idsByInterned = []
        }
        let byID = interned.table != nil
        if !addressIDsLoaded {
            // Before this transaction writes any: only committed ids are remembered.
            let rows = try Row.fetchCursor(db, sql: StoreReads.addressesSQL)
            while let row = try rows.next() { addressIDs[row[1]] = row[0] }
            addressIDsLoaded = true
        }
        var ids = [Int64](repeating: 0, count: addresses.count)
        var missing: [Int] = []
        for (index, address) in addresses.enumerated() {
            let stringID = byID ? Int(interned.ids[index]) : Int.max
            if stringID < idsByInterned.count && idsByInterned[stringID] != 0 {
                ids[index] = idsByInterned[stringID]
            } else if let id = addressIDs[address] ?? new[address] {
                ids[index] = id
                if byID { interned.found.append((stringID, id)) }
            } else {
                missing.append(index)
            }
        }
        guard !missing.isEmpty else { return ids }
        let last = try Int64.fetchOne(db, sql: "SELECT max(id) FROM address") ?? 0
        for (offset, index) in missing.enumerated() {
            ids[index] = last + 1 + Int64(offset)
            new[addresses[index]] = ids[index]
            if byID { interned.found.append((Int(interned.ids[index]), ids[index])) }
        }
        // `OR FAIL`: a statement that cannot stop half-way needs no journal of its own, which for
        // addresses (each in its own page of the index) cost as much as the rest of the insert.
        // A failure still undoes the whole transaction, as every error of a commit does.
        try Self.insert(missing, width: 2, db, sql: { "INSERT OR FAIL INTO address (id, address) \($0)" }) {
            index, row in
            row.int(ids[index])
            row.text(addresses[index])
        }
        return ids
    }

    private func insertActivity(_ activity: ActivityAggregate, source: Int64, ids: [Int64], _ db: Database) throws {
        // In the table's key order (day, then the address's id in the store), so that each row
        // goes next to the one before: sorted by one integer of both.
        var rows = activity.days.map { entry in
            let address = ids[Int(entry.key.address)]
            return (key: Self.sortKey(entry.key.day, address), day: entry.key.day, address: address, entry.value)
        }
        rows.sort { $0.key < $1.key }
        try Self.insert(rows, into: .activity, db) { entry, row in
            let (_, day, address, counters) = entry
            row.int(Int64(day))
            row.int(source)
            row.int(address)
            row.int(Int64(counters.submitted))
            row.int(Int64(counters.received))
            row.int(Int64(counters.imap))
            row.int(Int64(counters.pop3))
            row.int(Int64(counters.submission))
            row.int(Int64(counters.failed))
            row.int(counters.firstSeen)
            row.int(counters.lastSeen)
        }
    }

    /// A day and an address id in one integer that sorts as the pair does (for ids below 2³²,
    /// which the address table would pass only at hundreds of gigabytes; past them rows are merely
    /// written in another order).
    @inline(__always)
    static func sortKey(_ day: Int32, _ address: Int64) -> UInt64 {
        // The sign bit flipped: negative days sort before positive ones.
        UInt64(UInt32(bitPattern: day) ^ 0x8000_0000) << 32 | UInt64(UInt32(truncatingIfNeeded: address))
    }

    /// Rows a statement of `insert`: one `INSERT … VALUES (…), (…), …` of many rows costs SQLite
    /// a fraction of as many statements of one row (each statement's start and end, and a cursor
    /// of its own, whose search from the root a next row in key order is spared).
    static let rowsPerStatement = 64

    /// Adds `rows` to `table` (its upsert), `rowsPerStatement` a statement.
    static func insert<Rows: RandomAccessCollection>(
        _ rows: Rows, into table: DailyTable, _ db: Database, bind: (Rows.Element, inout RowBinder) -> Void
    ) throws {
        try insert(rows, width: table.width, db, sql: { table.upsert($0) }, bind: bind)
    }

    /// Runs `sql("VALUES (?, …), …")` for `rows`, `rowsPerStatement` a statement, each row's
    /// `width` values bound by `bind` through SQLite's C interface: a large commit is hundreds of
    /// thousands of rows.
    static func insert<Rows: RandomAccessCollection>(
        _ rows: Rows, width: Int, _ db: Database, sql: (String) -> String,
        bind: (Rows.Element, inout RowBinder) -> Void
    ) throws {
        func statement(rows count: Int) -> String {
            let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            return sql("VALUES " + Array(repeating: row, count: count).joined(separator: ", "))
        }
        var start = rows.startIndex
        var full: Statement?
        while start != rows.endIndex {
            let end = rows.index(start, offsetBy: rowsPerStatement, limitedBy: rows.endIndex) ?? rows.endIndex
            let count = rows.distance(from: start, to: end)
            // Full statements are prepared once a connection; the last, shorter one once a call.
            if count == rowsPerStatement && full == nil { full = try db.cachedStatement(sql: statement(rows: count)) }
            let prepared = count == rowsPerStatement ? full! : try db.makeStatement(sql: statement(rows: count))
            let handle = prepared.sqliteStatement
            sqlite3_reset(handle)
            var binder = RowBinder(handle: handle)
            for row in rows[start..<end] { bind(row, &binder) }
            let code = sqlite3_step(handle)
            guard code == SQLITE_DONE else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage)
            }
            start = end
        }
    }

    /// Inserts message counts per day and pair of addresses into `table` (exchanges, forwards).
    private func insertPairs(
        _ pairs: ActivityAggregate.Pairs, into table: DailyTable, _ source: Int64,
        _ ids: [Int64], _ db: Database
    ) throws {
        // Sorted in place: a second array of every row would add to the commit's peak memory.
        var rows = pairs.map { entry in
            let sender = ids[Int(entry.key.sender)]
            return (
                key: Self.sortKey(entry.key.day, sender), day: entry.key.day, sender: sender,
                recipient: ids[Int(entry.key.recipient)], entry.value
            )
        }
        rows.sort { ($0.key, $0.recipient) < ($1.key, $1.recipient) }
        try Self.insert(rows, into: table, db) { entry, row in
            let (_, day, sender, recipient, counters) = entry
            row.int(Int64(day))
            row.int(source)
            row.int(sender)
            row.int(recipient)
            row.int(Int64(counters.messages))
            row.int(counters.firstSeen)
            row.int(counters.lastSeen)
        }
    }

    private func insertDisplayNames(_ activity: ActivityAggregate, source: Int64, ids: [Int64], _ db: Database) throws {
        try Self.insert(DisplayNameSQL.rows(activity, ids: ids), into: .displayNames, db) { entry, row in
            row.int(Int64(entry.day))
            row.int(source)
            row.int(entry.address)
            row.text(entry.name)
            row.int(entry.messages)
        }
    }

    // MARK: Access

    @discardableResult
    func transaction<T>(_ what: String, _ body: (any SQLExecutor) throws -> T) throws -> T {
        try write(what) { db in try body(SQLiteExecutor(db: db)) }
    }

    /// A snapshot of its own (`DatabaseReader.read`), on a connection of its own: snapshots
    /// taken at once, on several threads, run at once.
    func snapshot<T>(_ what: String, _ body: (any SQLExecutor) throws -> T) throws -> T {
        func read(_ db: Database) throws -> T { try body(SQLiteExecutor(db: db)) }
        return try failing(what) { try readers?.read(read) ?? writer.read(read) }
    }

    /// `first` and `second` at once, on two connections in the same snapshot, when the store
    /// was opened only to read (`ReadConnections.read(_:_:)`); else one after the other.
    func snapshot<A: Sendable, B: Sendable>(
        _ what: String, _ first: (any SQLExecutor) throws -> A,
        _ second: @escaping @Sendable (any SQLExecutor) throws -> B
    ) throws -> (A, B) {
        guard let readers else { return try snapshot(what) { query in (try first(query), try second(query)) } }
        return try failing(what) {
            try readers.read({ try first(SQLiteExecutor(db: $0)) }, { try second(SQLiteExecutor(db: $0)) })
        }
    }

    /// Runs `body` in a transaction (`DatabaseWriter.write`): committed when it returns, rolled
    /// back when it throws.
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        try failing(what) { try writer.write(body) }
    }

    /// Runs `body` in a transaction, as `write`, with SQLite's foreign-key checks off for it.
    ///
    /// For the ingest's writes only (its commits, and its addresses stored ahead): its daily rows
    /// name addresses it has just read or inserted (in the same transaction or one before) and its
    /// own source, and nothing is ever deleted from either table, so the checks (three lookups in
    /// other tables for each of hundreds of thousands of rows: a fifth of a 1 GiB ingest's CPU,
    /// measured) can never fail. PostgreSQL's daily tables have no such constraints for the same
    /// reason (`PostgresSchema`).
    ///
    /// The writer's statement journals are kept in memory (`temp_store`, set again by each of
    /// these writes): each statement of many rows (`insert`) has one, to undo it alone should it
    /// fail, and in a temporary file they were a quarter of a million small writes for a 1 GiB log.
    /// One holds the pages a statement of 64 rows changes.
    ///
    /// The write-ahead log is copied into the database at SQLite's 1,000 pages, by the commit
    /// that passes them, on the commit thread while the log is parsed. With 16,384 pages, as
    /// before, a 1 GiB ingest left its whole store to copy when the store was closed, alone at
    /// its end: 0.2 s of its 3.4 s (the 100 MiB ingest was no faster either way).
    func writeUnchecked<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        try failing(what) {
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                defer { try? db.execute(sql: "PRAGMA foreign_keys = ON") }
                var result: T?
                try db.inTransaction {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        }
    }

    /// `body`'s result; its errors become a `StoreError` saying it could not `what`.
    private func failing<T>(_ what: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.query, location: path, "cannot \(what)", cause: error)
        }
    }
}

/// The connections of a store opened only to read. A `DatabaseQueue` runs one read at a time, so
/// a snapshot taken while others run (a report reads the census's rows and the client evidence
/// at once) opens a connection of its own, kept for the next.
private struct ReadConnections: Sendable {
    let connections: Pool<DatabaseQueue, StoreError>

    init(first: DatabaseQueue, open: @escaping () throws(StoreError) -> DatabaseQueue) {
        connections = Pool(idle: [first], make: open)
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        let queue = try connections.lend()
        defer { connections.takeBack(queue) }
        return try queue.read(body)
    }

    /// `first` on this thread and `second` on another, at once, on two connections that see the
    /// same snapshot; `second` after `first`, on the first's connection, when a commit came
    /// between the two snapshots' starts.
    ///
    /// SQLite has no portable way to hand one snapshot to another connection, but each
    /// connection's `PRAGMA data_version` changes when it sees a commit by any other: the
    /// second connection reads it, then the first starts its snapshot, then the second starts
    /// its own and reads it again. Unchanged, no commit came before the second snapshot since
    /// before the first, so both see the same store.
    func read<A: Sendable, B: Sendable>(
        _ first: (Database) throws -> A, _ second: @escaping @Sendable (Database) throws -> B
    ) throws -> (A, B) {
        let one = try connections.lend()
        defer { connections.takeBack(one) }
        let other = try connections.lend()
        defer { connections.takeBack(other) }
        let before = try other.inDatabase(Self.dataVersion)
        return try one.read { db in
            _ = try Self.dataVersion(db)
            let (firstResult, secondResult) = concurrently(
                { try first(db) },
                {
                    try other.read { otherDB -> B? in
                        try Self.dataVersion(otherDB) == before ? try second(otherDB) : nil
                    }
                })
            let value = try firstResult.get()
            return (value, try secondResult.get() ?? second(db))
        }
    }

    /// The connection's count of the commits it has seen; read in a transaction, it starts the snapshot.
    private static func dataVersion(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "PRAGMA data_version") ?? 0
    }
}

/// Runs the store's shared SQL on a GRDB connection, inside the transaction or snapshot it was
/// made for. SQLite reads the `?` placeholders itself.
struct SQLiteExecutor: SQLExecutor {
    let db: Database

    func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int {
        try db.execute(sql: sql, arguments: Self.arguments(arguments))
        return db.changesCount
    }

    /// Steps the statement through SQLite's C interface, each row read in place: the reads of a
    /// big store go over a million rows, where a row object each would cost more than SQLite.
    func forEach(_ sql: String, _ arguments: [any SQLArgument], _ row: (any QueryRow) throws -> Void) throws {
        let statement = try db.makeStatement(sql: sql)
        try statement.setArguments(Self.arguments(arguments))
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        let current = SQLiteRow(handle: handle)
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW: try row(current)
            case SQLITE_DONE: return
            case let code:
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage, sql: sql)
            }
        }
    }

    static func arguments(_ arguments: [any SQLArgument]) -> StatementArguments {
        StatementArguments(
            arguments.map { argument -> DatabaseValue in
                switch argument.sqlValue {
                case .null: .null
                case .int(let value): value.databaseValue
                case .text(let value): value.databaseValue
                case .bytes(let value): value.databaseValue
                }
            })
    }
}

/// The row a statement stands on, read through SQLite's C interface; valid until the next step.
struct SQLiteRow: QueryRow {
    let handle: OpaquePointer

    func int(_ column: Int) throws -> Int64? {
        let column = Int32(column)
        return sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_int64(handle, column)
    }

    /// SQLite reads NULL as 0 itself.
    func int64(_ column: Int) throws -> Int64 { sqlite3_column_int64(handle, Int32(column)) }

    func text(_ column: Int) throws -> String? {
        let column = Int32(column)
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func bytes(_ column: Int) throws -> [UInt8]? {
        let column = Int32(column)
        guard sqlite3_column_type(handle, column) != SQLITE_NULL else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let blob = sqlite3_column_blob(handle, column) else { return [] }
        return [UInt8](UnsafeRawBufferPointer(start: blob, count: count))
    }
}

/// Binds one row's values, in order, to a statement of many rows (`SQLiteStore.insert`).
struct RowBinder: RowCells {
    let handle: OpaquePointer
    /// The next parameter's number (SQLite counts from 1).
    private var index: Int32 = 1

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    mutating func int(_ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
        index += 1
    }

    /// Binds `text`; SQLite copies it (`SQLITE_TRANSIENT`).
    mutating func text(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            // A null pointer would bind NULL: an empty text is bound from a byte of its own, length 0.
            withUnsafePointer(to: CChar(0)) { empty in
                let start = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? empty
                _ = sqlite3_bind_text(
                    handle, index, start, Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
        }
        index += 1
    }
}
