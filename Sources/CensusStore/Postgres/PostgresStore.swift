import Census
import Foundation
import Logging
public import MailLog
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// The shared store: a PostgreSQL database that several mail servers (sources) ingest into at
/// once, with the same schema and behaviour as `SQLiteStore`.
///
/// One connection per process. Its callers are synchronous (the ingest's commit thread, the
/// commands), so each call blocks its own thread until the answer, which the connection's
/// event-loop thread delivers: no Swift task has to run for it, so a call from async code cannot
/// starve the cooperative pool. Calls are serialised, so a transaction never interleaves with
/// another call; within a commit, statements are queued without waiting for each answer.
///
/// Concurrent ingests stay apart: each source has its own daily rows, checkpoints and state, and
/// an advisory lock so that two ingests of one source cannot overlap. Addresses, shared by all
/// sources, are inserted in sorted order, each batch in its own short statement, so that two
/// ingests meeting the same new addresses neither deadlock nor hold each other up.
public final class PostgresStore: SharedReads, SourceWriting, @unchecked Sendable {
    public let location: String
    private let connection: PostgresConnection
    private let logger = Logger(label: "mailcensus.store") { _ in SwiftLogNoOpLogHandler() }
    private let mutex = NSLock()
    /// Address ids known to be in the database. Only touched under `mutex`.
    private var addressIDs: [String: Int64] = [:]
    /// The last day each source has daily rows for, once read. Only touched under `mutex`.
    private var lastDays: [Int64: Int] = [:]
    /// Rows per statement of a commit.
    static let rowsPerStatement = 20_000

    init(_ address: PostgresLocation, password: String?) throws(StoreError) {
        location = address.display
        let tls: PostgresConnection.Configuration.TLS
        switch address.tls {
        case .disable: tls = .disable
        case .verifyFull(let caFile):
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.certificateVerification = .fullVerification
            if let caFile { configuration.trustRoots = .file(caFile) }
            do {
                tls = .require(try NIOSSLContext(configuration: configuration))
            } catch {
                throw StoreError(
                    .cannotOpen, location: location, "cannot set up TLS (sslrootcert \(caFile ?? "none"))",
                    cause: PostgresFailure(error))
            }
        }
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: password,
            database: address.database, tls: tls)
        configuration.options.connectTimeout = .seconds(10)
        do {
            connection = try PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1, logger: logger
            ).wait()
        } catch {
            let failure = PostgresFailure(error)
            let hint =
                password == nil && failure.isAuthentication
                ? "; no password was given: set $\(Stores.passwordVariable) or --store-password-file" : ""
            throw StoreError(.cannotOpen, location: location, "cannot connect" + hint, cause: failure)
        }
        try access("bring the schema up to date") { try self.migrate() }
    }

    deinit {
        // The driver requires a close before the connection goes; the store is never released on
        // the connection's own event loop, where waiting would deadlock.
        let connection = connection
        if connection.eventLoop.inEventLoop {
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        } else {
            try? connection.close().wait()
        }
    }

    private func migrate() throws {
        try transaction {
            try run("SELECT pg_advisory_xact_lock(hashtext('mailcensus schema'))")
            try run(
                "CREATE TABLE IF NOT EXISTS schema_migration (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)")
            let applied = Set(try run("SELECT version FROM schema_migration").rows.map { try $0.decode(String.self) })
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
            try run("SELECT pg_try_advisory_lock(hashtext(?))", key).rows.first?.decode(Bool.self) ?? false
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
                for (sql, arguments) in SourceSQL.statements(source) {
                    var binds = PostgresBindings(capacity: arguments.count)
                    for argument in arguments { binds.append(argument) }
                    try run(sql, binds: binds)
                }
                return try run(SourceSQL.find, source.province, source.name).rows.first?.decode(Int64.self) ?? 0
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
                let (fingerprint, hash, head, path, offset, lines, last) = try row.decode(
                    (String, String, Int, String, Int64, Int, Int64?).self)
                return FileCheckpoint(
                    fingerprint: fingerprint, lineHash: hash, headLength: head, path: path, offset: offset,
                    lines: lines, lastLocalTime: last)
            }
        }
    }

    func correlatorState(source: Int64) throws -> Correlator.State? {
        let data = try access("read the ingest state") {
            try run("SELECT correlator FROM ingest_state WHERE source_id = ?", source).rows.first?.decode(Data.self)
        }
        return try data.map { data throws(StoreError) in try IngestState.decode(data, location: location) }
    }

    func commit(_ batch: IngestBatch, source: Int64) throws {
        let state = try IngestState.encode(batch.state, location: location)
        try access("commit an ingest batch") {
            let ids = try addressIDs(for: batch.activity.addresses)
            let lastDay = try lastDay(source)
            try transaction {
                let stored = try run("SELECT statistics FROM ingest_state WHERE source_id = ?", source).rows.first?
                    .decode(String.self)
                let total = try IngestState.total(stored, adding: batch.statistics, location: location)
                // The rows are sent without waiting for each answer: the next statement's rows are
                // prepared while the server inserts the last ones.
                var sent: [EventLoopFuture<PostgresQueryResult>] = []
                try insertActivity(batch.activity, source: source, ids: ids, after: lastDay, into: &sent)
                for (table, pairs, first, second) in [
                    ("daily_exchange", batch.activity.pairs, "sender_id", "recipient_id"),
                    ("daily_forward", batch.activity.forwards, "original_id", "recipient_id"),
                ] {
                    try insertPairs(pairs, table: table, first, second, source, ids, after: lastDay, into: &sent)
                }
                let names = DisplayNameSQL.rows(batch.activity, ids: ids)
                if !names.isEmpty {
                    sent.append(
                        try send(
                            """
                            INSERT INTO daily_display_name (day, source_id, address_id, name, messages)
                            SELECT d, ?, a, n, m FROM unnest(?::integer[], ?::bigint[], ?::text[], ?::bigint[])
                                AS t(d, a, n, m)
                            ON CONFLICT (day, source_id, address_id, name) DO UPDATE SET
                                messages = daily_display_name.messages + excluded.messages
                            """, source, names.map { Int32($0.day) }, names.map(\.address), names.map(\.name),
                            names.map(\.messages)))
                }
                for statement in sent { _ = try statement.wait() }
                try run(
                    """
                    INSERT INTO ingest_file (source_id, fingerprint, line_hash, head_length, path, "offset", lines,
                        last_local_time, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (source_id, fingerprint) DO UPDATE SET path = excluded.path,
                        "offset" = excluded."offset", lines = excluded.lines,
                        last_local_time = excluded.last_local_time, updated_at = excluded.updated_at
                    """, binds: Self.binds(batch.checkpoint, source: source))
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

    /// The last day `source` has daily rows for (`Int.min` for none). Rows of later days are new:
    /// they are inserted without the cost of `ON CONFLICT`, which this source's hold makes safe;
    /// were another writer to race it anyway, the primary key would stop the commit, not count twice.
    private func lastDay(_ source: Int64) throws -> Int {
        if let day = lastDays[source] { return day }
        let day = try run(
            """
            SELECT GREATEST((SELECT MAX(day) FROM daily_activity WHERE source_id = ?),
                (SELECT MAX(day) FROM daily_exchange WHERE source_id = ?),
                (SELECT MAX(day) FROM daily_forward WHERE source_id = ?))
            """, source, source, source
        ).rows.first?.decode(Int?.self)
        lastDays[source] = day ?? Int.min
        return day ?? Int.min
    }

    private static func binds(_ checkpoint: FileCheckpoint, source: Int64) -> PostgresBindings {
        var binds = PostgresBindings(capacity: 9)
        binds.append(source)
        binds.append(checkpoint.fingerprint)
        binds.append(checkpoint.lineHash)
        binds.append(checkpoint.headLength)
        binds.append(checkpoint.path)
        binds.append(checkpoint.offset)
        binds.append(checkpoint.lines)
        binds.append(checkpoint.lastLocalTime)
        binds.append(Int64(Date().timeIntervalSince1970))
        return binds
    }

    /// Database ids of `addresses`, inserting the new ones: sorted, in statements of their own
    /// (outside the commit's transaction), so that concurrent ingests take their row locks in
    /// the same order and release them at once.
    private func addressIDs(for addresses: [String]) throws -> [Int64] {
        let missing = addresses.filter { addressIDs[$0] == nil }.sorted()
        for start in stride(from: 0, to: missing.count, by: Self.rowsPerStatement) {
            let chunk = Array(missing[start..<min(start + Self.rowsPerStatement, missing.count)])
            try run(
                """
                INSERT INTO address (address) SELECT a FROM unnest(?::text[]) AS t(a) ORDER BY a
                ON CONFLICT (address) DO NOTHING
                """, chunk)
            for row in try run("SELECT id, address FROM address WHERE address = ANY(?::text[])", chunk).rows {
                let (id, address) = try row.decode((Int64, String).self)
                addressIDs[address] = id
            }
        }
        return try addresses.map { address in
            guard let id = addressIDs[address] else {
                throw StoreError(.query, location: location, "an address was not stored")
            }
            return id
        }
    }

    private func insertActivity(
        _ activity: ActivityAggregate, source: Int64, ids: [Int64], after lastDay: Int,
        into sent: inout [EventLoopFuture<PostgresQueryResult>]
    ) throws {
        let rows = activity.days.sorted { ($0.key.day, $0.key.address) < ($1.key.day, $1.key.address) }
        sent += try Self.inChunks(rows, newAfter: lastDay, day: { Int($0.key.day) }) { chunk, upsert in
            try send(
                """
                INSERT INTO daily_activity (day, source_id, address_id, submitted, received, imap_logins,
                    pop3_logins, submission_logins, failed_logins, first_seen, last_seen)
                SELECT d, ?, a, s, r, i, p, m, f, fs, ls FROM unnest(?::integer[], ?::bigint[], ?::bigint[],
                    ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                    AS t(d, a, s, r, i, p, m, f, fs, ls)
                """
                    + (upsert
                        ? """
                         ON CONFLICT (day, source_id, address_id) DO UPDATE SET
                            submitted = daily_activity.submitted + excluded.submitted,
                            received = daily_activity.received + excluded.received,
                            imap_logins = daily_activity.imap_logins + excluded.imap_logins,
                            pop3_logins = daily_activity.pop3_logins + excluded.pop3_logins,
                            submission_logins = daily_activity.submission_logins + excluded.submission_logins,
                            failed_logins = daily_activity.failed_logins + excluded.failed_logins,
                            first_seen = LEAST(daily_activity.first_seen, excluded.first_seen),
                            last_seen = GREATEST(daily_activity.last_seen, excluded.last_seen)
                        """ : ""),
                source, chunk.map { Int32($0.key.day) }, chunk.map { ids[Int($0.key.address)] },
                chunk.map { Int64($0.value.submitted) }, chunk.map { Int64($0.value.received) },
                chunk.map { Int64($0.value.imap) }, chunk.map { Int64($0.value.pop3) },
                chunk.map { Int64($0.value.submission) }, chunk.map { Int64($0.value.failed) },
                chunk.map(\.value.firstSeen), chunk.map(\.value.lastSeen))
        }
    }

    /// Message counts per day and pair of addresses into `table` (exchanges, forwards).
    private func insertPairs(
        _ pairs: [ActivityAggregate.PairKey: ExchangeCounters], table: String, _ first: String, _ second: String,
        _ source: Int64, _ ids: [Int64], after lastDay: Int, into sent: inout [EventLoopFuture<PostgresQueryResult>]
    ) throws {
        let rows = pairs.map { (day: $0.key.day, ids: (ids[Int($0.key.sender)], ids[Int($0.key.recipient)]), $0.value) }
            .sorted { ($0.day, $0.ids.0, $0.ids.1) < ($1.day, $1.ids.0, $1.ids.1) }
        sent += try Self.inChunks(rows, newAfter: lastDay, day: { Int($0.day) }) { chunk, upsert in
            try send(
                """
                INSERT INTO \(table) (day, source_id, \(first), \(second), messages, first_seen, last_seen)
                SELECT d, ?, a, b, n, fs, ls
                FROM unnest(?::integer[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[])
                    AS t(d, a, b, n, fs, ls)
                """
                    + (upsert
                        ? """
                         ON CONFLICT (day, source_id, \(first), \(second)) DO UPDATE SET
                            messages = \(table).messages + excluded.messages,
                            first_seen = LEAST(\(table).first_seen, excluded.first_seen),
                            last_seen = GREATEST(\(table).last_seen, excluded.last_seen)
                        """ : ""),
                source, chunk.map { Int32($0.day) }, chunk.map(\.ids.0), chunk.map(\.ids.1),
                chunk.map { Int64($0.2.messages) }, chunk.map(\.2.firstSeen), chunk.map(\.2.lastSeen))
        }
    }

    /// Hands `rows` (sorted by day) to `insert` in statements of at most `rowsPerStatement`:
    /// those of days up to `lastDay` to be added to rows that may exist (`upsert`), the later
    /// ones as new rows.
    private static func inChunks<Row>(
        _ rows: [Row], newAfter lastDay: Int, day: (Row) -> Int,
        _ insert: (ArraySlice<Row>, Bool) throws -> EventLoopFuture<PostgresQueryResult>
    ) throws -> [EventLoopFuture<PostgresQueryResult>] {
        var sent: [EventLoopFuture<PostgresQueryResult>] = []
        let split = rows.firstIndex { day($0) > lastDay } ?? rows.endIndex
        for (part, upsert) in [(rows[..<split], true), (rows[split...], false)] {
            for start in stride(from: part.startIndex, to: part.endIndex, by: rowsPerStatement) {
                sent.append(try insert(part[start..<min(start + rowsPerStatement, part.endIndex)], upsert))
            }
        }
        return sent
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
            var binds = PostgresBindings(capacity: arguments.count)
            for argument in arguments { binds.append(argument) }
            for next in try store.run(sql, binds: binds).rows { try row(next.makeRandomAccess()) }
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
        } catch {
            throw StoreError(.query, location: location, "cannot \(what)", cause: PostgresFailure(error))
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
    func run(_ sql: String, _ arguments: any PostgresThrowingDynamicTypeEncodable...) throws -> PostgresQueryResult {
        try send(sql, arguments).wait()
    }

    @discardableResult
    func run(_ sql: String, binds: PostgresBindings) throws -> PostgresQueryResult {
        try send(sql, binds: binds).wait()
    }

    /// Queues `sql` on the connection without waiting for its answer; statements run in order.
    func send(_ sql: String, _ arguments: any PostgresThrowingDynamicTypeEncodable...) throws
        -> EventLoopFuture<PostgresQueryResult>
    {
        try send(sql, arguments)
    }

    private func send(_ sql: String, _ arguments: [any PostgresThrowingDynamicTypeEncodable]) throws
        -> EventLoopFuture<PostgresQueryResult>
    {
        var binds = PostgresBindings(capacity: arguments.count)
        for argument in arguments { try binds.append(argument) }
        return send(sql, binds: binds)
    }

    private func send(_ sql: String, binds: PostgresBindings) -> EventLoopFuture<PostgresQueryResult> {
        connection.query(PostgresQuery(unsafeSQL: Self.numbered(sql), binds: binds), logger: logger)
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

extension PostgresRandomAccessRow: QueryRow {
    func int(_ column: Int) throws -> Int64? { try self[column].decode(Int64?.self) }
    func text(_ column: Int) throws -> String? { try self[column].decode(String?.self) }
}

/// A PostgreSQL error, told plainly: the server's message and SQLSTATE, or what failed on the
/// connection. (The driver's own description hides both.) The query and its values stay out.
struct PostgresFailure: Error, Sendable, CustomStringConvertible {
    let description: String
    /// The server refused the user or the password (SQLSTATE class 28), or asked for a password.
    var isAuthentication = false

    init(_ error: any Error) {
        guard let error = error as? PSQLError else {
            description = String(describing: error)
            return
        }
        isAuthentication =
            error.serverInfo?[.sqlState]?.hasPrefix("28") == true || error.code == .authMechanismRequiresPassword
        if let message = error.serverInfo?[.message] {
            let state = error.serverInfo?[.sqlState].map { ", SQLSTATE \($0)" } ?? ""
            description = "the server says: \(message)\(state)"
        } else if let underlying = error.underlying {
            let text = String(describing: underlying)
            description =
                text.contains("CERTIFICATE_VERIFY_FAILED")
                ? "TLS: the server's certificate is not trusted, or does not name the host; "
                    + "give its CA with sslrootcert=CA.pem" : text
        } else {
            description = String(describing: error.code)
        }
    }
}
