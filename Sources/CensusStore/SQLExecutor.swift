import Foundation

/// A value bound to a statement's placeholder, the same for both backends.
enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    /// A `BLOB` in SQLite, a `bytea` in PostgreSQL.
    case bytes(Data)
}

/// A value that can be a statement's argument.
protocol SQLArgument {
    var sqlValue: SQLValue { get }
}

extension Int64: SQLArgument {
    var sqlValue: SQLValue { .int(self) }
}

extension Int: SQLArgument {
    var sqlValue: SQLValue { .int(Int64(self)) }
}

extension Int32: SQLArgument {
    var sqlValue: SQLValue { .int(Int64(self)) }
}

extension String: SQLArgument {
    var sqlValue: SQLValue { .text(self) }
}

extension Data: SQLArgument {
    var sqlValue: SQLValue { .bytes(self) }
}

extension Optional: SQLArgument where Wrapped: SQLArgument {
    var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One row of a query's result, read the same way from either backend.
protocol QueryRow {
    func int(_ column: Int) throws -> Int64?
    /// An integer where NULL is 0: the reads of a big store take millions.
    func int64(_ column: Int) throws -> Int64
    func text(_ column: Int) throws -> String?
    func bytes(_ column: Int) throws -> [UInt8]?
}

extension QueryRow {
    func int64(_ column: Int) throws -> Int64 { try int(column) ?? 0 }

    /// A count or a day, as the census holds them; NULL is 0.
    func int32(_ column: Int) throws -> Int32 { Int32(clamping: try int64(column)) }
}

/// The seam between the store's SQL, written once, and the backend that runs it: a SQLite
/// connection (`SQLiteExecutor`, through GRDB) or a PostgreSQL one (`PostgresExecutor`,
/// through libpq). An executor is only handed out inside a transaction or a read snapshot
/// (`SQLStore`), and only used on the thread it was handed to.
///
/// Statements are written once, in the SQL both backends take, with `?` placeholders that take
/// the arguments in order. SQLite reads `?` itself; the PostgreSQL executor numbers them (`$1`,
/// `$2`, …) before sending the statement, so no statement may hold a `?` inside a quoted
/// string or identifier. Identifiers that are keywords are double-quoted (`"offset"`), which
/// both read as a name.
protocol SQLExecutor {
    /// Runs one statement; returns how many rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ arguments: [any SQLArgument]) throws -> Int

    /// Runs one query and hands each row of its result to `row`, in order.
    func forEach(_ sql: String, _ arguments: [any SQLArgument], _ row: (any QueryRow) throws -> Void) throws
}

extension SQLExecutor {
    /// Runs one statement; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: String, _ arguments: any SQLArgument...) throws -> Int { try execute(sql, arguments) }

    /// The rows of one query, each read by `read`.
    func rows<T>(_ sql: String, _ arguments: any SQLArgument..., read: (any QueryRow) throws -> T) throws -> [T] {
        var rows: [T] = []
        try forEach(sql, arguments) { rows.append(try read($0)) }
        return rows
    }

    /// The first row of one query, read by `read`; nil when it returns none (or `read` nil).
    func first<T>(_ sql: String, _ arguments: any SQLArgument..., read: (any QueryRow) throws -> T?) throws -> T? {
        var rows = 0
        var first: T?
        try forEach(sql, arguments) { row in
            if rows == 0 { first = try read(row) }
            rows += 1
        }
        return first
    }
}

/// A store whose statements, but for bulk ingest, migrations and holds, are the same on every
/// backend: written once (`SourceSQL`, `IngestSQL`, `OutboxSQL`, `JournalSQL`, `StoreReads`),
/// run through the `SQLExecutor` each backend hands out.
protocol SQLStore: Store, SourceWriting {
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    /// Errors say it could not `what`.
    @discardableResult
    func transaction<T>(_ what: String, _ body: (any SQLExecutor) throws -> T) throws -> T

    /// Runs `body` in one consistent, read-only snapshot of the store. Errors say it could not
    /// `what`.
    func snapshot<T>(_ what: String, _ body: (any SQLExecutor) throws -> T) throws -> T

    /// Runs `first` and `second` in one consistent, read-only snapshot of the store: at once, on
    /// two connections, where the backend can tell that both see the same snapshot; else one
    /// after the other. Errors say it could not `what`.
    func snapshot<A: Sendable, B: Sendable>(
        _ what: String, _ first: (any SQLExecutor) throws -> A,
        _ second: @escaping @Sendable (any SQLExecutor) throws -> B
    ) throws -> (A, B)
}

extension SQLStore {
    func snapshot<A: Sendable, B: Sendable>(
        _ what: String, _ first: (any SQLExecutor) throws -> A,
        _ second: @escaping @Sendable (any SQLExecutor) throws -> B
    ) throws -> (A, B) {
        try snapshot(what) { query in (try first(query), try second(query)) }
    }
}
