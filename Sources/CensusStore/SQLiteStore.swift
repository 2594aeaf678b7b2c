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
/// `@unchecked Sendable`: its only mutable state, `addressIDs`, is read and written only under
/// `addressIDsLock`; the GRDB writer it holds is `Sendable` and serialises writes itself.
public final class SQLiteStore: SQLStore, @unchecked Sendable {
    public let path: String
    public var location: String { path }
    let writer: any DatabaseWriter
    /// Address ids known to be committed to the database, under `addressIDsLock`: a commit
    /// reads it inside its transaction and adds the ids it inserted only once that transaction
    /// has committed (ids of a rolled-back commit must not be remembered).
    private var addressIDs: [String: Int64] = [:]
    private let addressIDsLock = NSLock()

    /// Opens the store at `path`.
    ///
    /// - Parameter readOnly: false (the default): creates the file if needed and brings its
    ///   schema up to date. True: only reads, so that reports work on a file this user may not
    ///   write; nothing is migrated, and a schema older than this mailcensus's is refused with
    ///   what to do. See `openForReading(_:)`.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        self.path = path
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw StoreError(.badLocation, location: path, "is a folder, not a mailcensus store; name one with --store")
        }
        if readOnly {
            writer = try Self.openForReading(path)
            return
        }
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
    static func openForReading(_ path: String) throws(StoreError) -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -16384") }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: readingLocation(path), configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw Self.notAStore(path, error)
        } catch {
            throw StoreError(.cannotOpen, location: path, "cannot open the SQLite store to read it", cause: error)
        }
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
        let state = try IngestState.encode(batch.state, location: path)
        var newIDs: [String: Int64] = [:]
        try writeUnchecked("commit an ingest batch") { db in
            let sql = SQLiteExecutor(db: db)
            let total = try IngestSQL.total(
                source: source, adding: batch.statistics, location: self.path, sql)
            let ids = try self.addressIDs(for: batch.activity.addresses, db, new: &newIDs)
            try self.insertActivity(batch.activity, source: source, ids: ids, db)
            try self.insertPairs(batch.activity.pairs, into: .exchanges, source, ids, db)
            try self.insertPairs(batch.activity.forwards, into: .forwards, source, ids, db)
            try self.insertDisplayNames(batch.activity, source: source, ids: ids, db)
            let clientIDs = try self.addressIDs(for: batch.activity.clients.addresses, db, new: &newIDs)
            try self.insertClients(batch.activity.clients, source: source, ids: clientIDs, db)
            try IngestSQL.save(batch, state: state, total: total, source: source, sql)
        }
        addressIDsLock.withLock { addressIDs.merge(newIDs) { $1 } }
    }

    /// Database ids of `addresses`, inserting the new ones; `new` collects those inserted.
    private func addressIDs(for addresses: [String], _ db: Database, new: inout [String: Int64]) throws -> [Int64] {
        addressIDsLock.lock()
        defer { addressIDsLock.unlock() }
        if addressIDs.isEmpty {
            let rows = try Row.fetchCursor(db, sql: StoreReads.addressesSQL)
            while let row = try rows.next() { addressIDs[row[1]] = row[0] }
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO address (address) VALUES (?)")
        return try addresses.map { address in
            if let id = addressIDs[address] ?? new[address] { return id }
            try Self.step(insert, db) { handle in Self.bind(address, to: 1, handle) }
            let id = db.lastInsertedRowID
            new[address] = id
            return id
        }
    }

    private func insertActivity(_ activity: ActivityAggregate, source: Int64, ids: [Int64], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: Self.upsert(.activity))
        for (key, counters) in activity.days.sorted(by: { ($0.key.day, $0.key.address) < ($1.key.day, $1.key.address) })
        {
            try Self.step(statement, db) { handle in
                sqlite3_bind_int64(handle, 1, Int64(key.day))
                sqlite3_bind_int64(handle, 2, source)
                sqlite3_bind_int64(handle, 3, ids[Int(key.address)])
                sqlite3_bind_int64(handle, 4, Int64(counters.submitted))
                sqlite3_bind_int64(handle, 5, Int64(counters.received))
                sqlite3_bind_int64(handle, 6, Int64(counters.imap))
                sqlite3_bind_int64(handle, 7, Int64(counters.pop3))
                sqlite3_bind_int64(handle, 8, Int64(counters.submission))
                sqlite3_bind_int64(handle, 9, Int64(counters.failed))
                sqlite3_bind_int64(handle, 10, counters.firstSeen)
                sqlite3_bind_int64(handle, 11, counters.lastSeen)
            }
        }
    }

    /// Runs a prepared statement once with the arguments `bind` sets, straight through SQLite's
    /// C interface: a large commit is hundreds of thousands of rows.
    static func step(_ statement: Statement, _ db: Database, bind: (OpaquePointer) -> Void) throws {
        let handle = statement.sqliteStatement
        sqlite3_reset(handle)
        bind(handle)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: db.lastErrorMessage)
        }
    }

    /// Binds `text` to parameter `index`; SQLite copies it (`SQLITE_TRANSIENT`).
    static func bind(_ text: String, to index: Int32, _ handle: OpaquePointer) {
        var text = text
        text.withUTF8 { bytes in
            // A null pointer would bind NULL: an empty text is bound from a byte of its own, length 0.
            withUnsafePointer(to: CChar(0)) { empty in
                let start = bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) } ?? empty
                _ = sqlite3_bind_text(
                    handle, index, start, Int32(bytes.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            }
        }
    }

    /// The upsert of one row into `table`.
    private static func upsert(_ table: DailyTable) -> String {
        table.upsert("VALUES (" + Array(repeating: "?", count: table.width).joined(separator: ", ") + ")")
    }

    /// Inserts message counts per day and pair of addresses into `table` (exchanges, forwards).
    private func insertPairs(
        _ pairs: ActivityAggregate.Pairs, into table: DailyTable, _ source: Int64,
        _ ids: [Int64], _ db: Database
    ) throws {
        let statement = try db.cachedStatement(sql: Self.upsert(table))
        // Sorted in place: a second array of every row would add to the commit's peak memory.
        var rows = pairs.map { (key: $0.key, ids: (ids[Int($0.key.sender)], ids[Int($0.key.recipient)]), $0.value) }
        rows.sort { ($0.key.day, $0.ids.0, $0.ids.1) < ($1.key.day, $1.ids.0, $1.ids.1) }
        for (key, pair, counters) in rows {
            try Self.step(statement, db) { handle in
                sqlite3_bind_int64(handle, 1, Int64(key.day))
                sqlite3_bind_int64(handle, 2, source)
                sqlite3_bind_int64(handle, 3, pair.0)
                sqlite3_bind_int64(handle, 4, pair.1)
                sqlite3_bind_int64(handle, 5, Int64(counters.messages))
                sqlite3_bind_int64(handle, 6, counters.firstSeen)
                sqlite3_bind_int64(handle, 7, counters.lastSeen)
            }
        }
    }

    private func insertDisplayNames(_ activity: ActivityAggregate, source: Int64, ids: [Int64], _ db: Database) throws {
        guard !activity.displayNames.isEmpty else { return }
        let statement = try db.cachedStatement(sql: Self.upsert(.displayNames))
        for row in DisplayNameSQL.rows(activity, ids: ids) {
            try statement.execute(arguments: [Int64(row.day), source, row.address, row.name, row.messages])
        }
    }

    // MARK: Access

    @discardableResult
    func transaction<T>(_ what: String, _ body: (any SQLExecutor) throws -> T) throws -> T {
        try write(what) { db in try body(SQLiteExecutor(db: db)) }
    }

    /// A snapshot of its own (`DatabaseReader.read`).
    func snapshot<T>(_ what: String, _ body: (any SQLExecutor) throws -> T) throws -> T {
        try failing(what) { try writer.read { db in try body(SQLiteExecutor(db: db)) } }
    }

    /// Runs `body` in a transaction (`DatabaseWriter.write`): committed when it returns, rolled
    /// back when it throws.
    func write<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        try failing(what) { try writer.write(body) }
    }

    /// Runs `body` in a transaction, as `write`, with SQLite's foreign-key checks off for it.
    ///
    /// For the ingest's commit only: its daily rows name addresses it has just read or inserted in
    /// the same transaction and its own source, and nothing is ever deleted from either table, so
    /// the checks (three lookups in other tables for each of hundreds of thousands of rows: a fifth
    /// of a 1 GiB ingest's CPU, measured) can never fail. PostgreSQL's daily tables have no such
    /// constraints for the same reason (`PostgresSchema`).
    func writeUnchecked<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        try failing(what) {
            try writer.writeWithoutTransaction { db in
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

/// Runs the store's shared SQL on a GRDB connection, inside the transaction or snapshot it was
/// made for. SQLite reads the `?` placeholders itself.
struct SQLiteExecutor: SQLExecutor {
    let db: Database

    func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int {
        try db.execute(sql: sql, arguments: Self.arguments(arguments))
        return db.changesCount
    }

    func forEach(_ sql: String, _ arguments: [any SQLArgument], _ row: (any QueryRow) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: sql, arguments: Self.arguments(arguments))
        while let next = try rows.next() { try row(next) }
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

extension Row: QueryRow {
    func int(_ column: Int) throws -> Int64? { self[column] }
    func text(_ column: Int) throws -> String? { self[column] }
    func bytes(_ column: Int) throws -> [UInt8]? { (self[column] as Data?).map { [UInt8]($0) } }
}
