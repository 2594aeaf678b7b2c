import CLibpq
import Census
import Foundation

/// One libpq connection (`PGconn`), used synchronously: each call blocks its thread until the
/// server answers. Not safe to share between threads on its own: `PostgresStore` serialises
/// every use.
final class PostgresConnection {
    private let handle: OpaquePointer

    /// Connects with libpq's keyword/value parameters, in order: a later value of a keyword
    /// overrides an earlier one, and the first `dbname` may be a connection string (a URI or
    /// keywords) that libpq expands in its place.
    ///
    /// - Throws: `PostgresFailure` saying why the connection failed; the connection's host,
    ///   port and database as libpq resolved them are in `server` either way.
    init(parameters: [(keyword: String, value: String)], server: inout PostgresServerName) throws(PostgresFailure) {
        let keywords = parameters.map { strdup($0.keyword) }
        let values = parameters.map { strdup($0.value) }
        defer {
            for pointer in keywords + values { free(pointer) }
        }
        let connection = (keywords + [nil]).map { UnsafePointer($0) }.withUnsafeBufferPointer { keywords in
            (values + [nil]).map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
                PQconnectdbParams(keywords.baseAddress, values.baseAddress, 1)
            }
        }
        guard let connection else { throw PostgresFailure("libpq could not allocate a connection") }
        server = PostgresServerName(connection, fallback: server)
        guard PQstatus(connection) == CONNECTION_OK else {
            let failure = PostgresFailure(
                connectionMessage: String(cString: PQerrorMessage(connection)),
                needsPassword: PQconnectionNeedsPassword(connection) == 1)
            PQfinish(connection)
            throw failure
        }
        clibpq_discard_notices(connection)
        handle = connection
    }

    deinit { PQfinish(handle) }

    /// Runs one statement whose parameters are `$1`, `$2`, …, in text (PostgreSQL converts it
    /// to the column's type), or binary for bytes (`bytea`).
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue] = []) throws(PostgresFailure) -> PostgresResult {
        let texts: [UnsafeMutablePointer<CChar>?] = parameters.map { value in
            switch value {
            case .null: nil
            case .int(let number): strdup(String(number))
            case .text(let text): strdup(text)
            case .bytes(let bytes):
                bytes.withUnsafeBytes { buffer in
                    let copy = malloc(max(buffer.count, 1))
                    if let copy, let base = buffer.baseAddress { copy.copyMemory(from: base, byteCount: buffer.count) }
                    return copy?.assumingMemoryBound(to: CChar.self)
                }
            }
        }
        defer {
            for pointer in texts { free(pointer) }
        }
        let lengths = parameters.map { value -> Int32 in
            if case .bytes(let bytes) = value { return Int32(bytes.count) }
            return 0
        }
        let formats = parameters.map { value -> Int32 in
            if case .bytes = value { return 1 }
            return 0
        }
        let result = texts.map { UnsafePointer($0) }.withUnsafeBufferPointer { values in
            lengths.withUnsafeBufferPointer { lengths in
                formats.withUnsafeBufferPointer { formats in
                    PQexecParams(
                        handle, sql, Int32(parameters.count), nil, values.baseAddress, lengths.baseAddress,
                        formats.baseAddress, 0)
                }
            }
        }
        return try checked(result)
    }

    /// Streams rows into a table with `COPY … FROM STDIN` (text format): `target` names the table
    /// and its columns, `write` encodes the rows, which are sent as the buffer fills.
    func copy(into target: String, _ write: (inout PostgresCopyRows) throws(PostgresFailure) -> Void)
        throws(PostgresFailure)
    {
        let started = PQexec(handle, "COPY \(target) FROM STDIN")
        guard PQresultStatus(started) == PGRES_COPY_IN else {
            _ = try checked(started)
            throw PostgresFailure("the server did not start the COPY")
        }
        PQclear(started)
        var rows = PostgresCopyRows(connection: handle)
        var failure: PostgresFailure?
        do {
            try write(&rows)
            try rows.flush()
        } catch {
            failure = error
        }
        guard PQputCopyEnd(handle, failure == nil ? nil : "mailcensus stopped the copy") == 1 else {
            throw PostgresFailure(connection: String(cString: PQerrorMessage(handle)))
        }
        // The COPY's own result, then nothing.
        var refused: PostgresFailure?
        while let result = PQgetResult(handle) {
            do { _ = try checked(result) } catch { refused = refused ?? error }
        }
        if let failure = failure ?? refused { throw failure }
    }

    /// `result` when the statement succeeded; else the server's error.
    private func checked(_ result: OpaquePointer?) throws(PostgresFailure) -> PostgresResult {
        guard let result else { throw PostgresFailure(connection: String(cString: PQerrorMessage(handle))) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK: return PostgresResult(result)
        default:
            let failure = PostgresFailure(result: result, connection: String(cString: PQerrorMessage(handle)))
            PQclear(result)
            throw failure
        }
    }
}

/// A statement's result, read by row and column (text format); freed when the value goes.
final class PostgresResult {
    private let handle: OpaquePointer
    /// The rows returned.
    let count: Int

    init(_ handle: OpaquePointer) {
        self.handle = handle
        count = Int(PQntuples(handle))
    }

    deinit { PQclear(handle) }

    /// The rows a command changed (`INSERT`, `UPDATE`).
    var changed: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    var rows: [PostgresRow] { (0..<count).map { PostgresRow(result: self, index: Int32($0)) } }

    var first: PostgresRow? { count > 0 ? PostgresRow(result: self, index: 0) : nil }

    fileprivate func value(_ row: Int32, _ column: Int) -> UnsafeMutablePointer<CChar>? {
        PQgetisnull(handle, row, Int32(column)) == 1 ? nil : PQgetvalue(handle, row, Int32(column))
    }
}

/// One row of a result.
struct PostgresRow: QueryRow {
    let result: PostgresResult
    let index: Int32

    /// An integer column; nil for NULL.
    func int(_ column: Int) throws -> Int64? {
        guard let text = result.value(index, column) else { return nil }
        var value: Int64 = 0
        var negative = false
        var pointer = UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self)
        if pointer.pointee == UInt8(ascii: "-") {
            negative = true
            pointer += 1
        }
        guard pointer.pointee != 0 else { throw PostgresFailure("an integer column holds no digits") }
        while pointer.pointee != 0 {
            let digit = pointer.pointee &- UInt8(ascii: "0")
            guard digit < 10 else {
                throw PostgresFailure("a column read as an integer holds \(String(cString: text))")
            }
            value = value &* 10 &+ Int64(digit)
            pointer += 1
        }
        return negative ? -value : value
    }

    func text(_ column: Int) throws -> String? { result.value(index, column).map { String(cString: $0) } }

    func bool(_ column: Int) -> Bool {
        result.value(index, column).map { $0.pointee == CChar(UInt8(ascii: "t")) } ?? false
    }

    /// A `bytea` column (text format: `\x` and hex digits).
    func bytes(_ column: Int) throws -> [UInt8]? {
        guard let text = result.value(index, column) else { return nil }
        var length = 0
        guard let bytes = PQunescapeBytea(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), &length) else {
            throw PostgresFailure("a bytea column cannot be read")
        }
        defer { PQfreemem(bytes) }
        return [UInt8](UnsafeBufferPointer(start: bytes, count: length))
    }
}

/// Rows of a `COPY … FROM STDIN` in text format, encoded into a buffer that is sent each time
/// it fills: columns separated by tabs, rows ended by newlines, and a backslash, tab, newline or
/// carriage return inside a text escaped.
struct PostgresCopyRows: RowCells {
    private let connection: OpaquePointer
    private var buffer: [UInt8] = []
    private var inRow = false
    static let bufferSize = 1 << 18

    fileprivate init(connection: OpaquePointer) {
        self.connection = connection
        buffer.reserveCapacity(Self.bufferSize + 4096)
    }

    private mutating func separate() {
        if inRow { buffer.append(UInt8(ascii: "\t")) }
        inRow = true
    }

    mutating func int(_ value: Int64) {
        separate()
        if value < 0 { buffer.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        let start = buffer.count
        repeat {
            buffer.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        buffer[start...].reverse()
    }

    mutating func text(_ value: String) {
        separate()
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\t"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case UInt8(ascii: "\n"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): buffer += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            default: buffer.append(byte)
            }
        }
    }

    /// Ends the row; sends the buffer when it is full.
    mutating func endRow() throws(PostgresFailure) {
        buffer.append(UInt8(ascii: "\n"))
        inRow = false
        if buffer.count >= Self.bufferSize { try flush() }
    }

    fileprivate mutating func flush() throws(PostgresFailure) {
        guard !buffer.isEmpty else { return }
        let sent = buffer.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(connection, $0.baseAddress, Int32($0.count)) }
        }
        guard sent == 1 else { throw PostgresFailure(connection: String(cString: PQerrorMessage(connection))) }
        buffer.removeAll(keepingCapacity: true)
    }
}
