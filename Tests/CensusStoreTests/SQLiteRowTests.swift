import Testing

@testable import CensusStore

/// The SQLite executor's rows, read in place through SQLite's C interface.
@Suite("SQLite rows read in place")
struct SQLiteRowTests {
    @Test("NULL, empty and UTF-8 text, integers and bytes come back as stored; arguments are bound")
    func values() throws {
        let store = try SQLiteStore()
        let rows = try store.snapshot("read values") { sql in
            try sql.rows(
                "SELECT NULL, '', ?, ?, X'00FF', X'', 42 UNION ALL SELECT 7, 'x', 'y', -1, NULL, NULL, NULL",
                "Nguyễn Văn An", Int64.min
            ) { row in
                [
                    "\(String(describing: try row.int(0)))", "\(try row.int64(0))",
                    "\(String(describing: try row.text(1)))", "\(String(describing: try row.text(2)))",
                    "\(String(describing: try row.int(3)))", "\(String(describing: try row.bytes(4)))",
                    "\(String(describing: try row.bytes(5)))", "\(try row.int32(6))", "\(try row.int64(6))",
                ]
            }
        }
        #expect(
            rows == [
                [
                    "nil", "0", "Optional(\"\")", "Optional(\"Nguyễn Văn An\")", "Optional(\(Int64.min))",
                    "Optional([0, 255])", "Optional([])", "42", "42",
                ],
                ["Optional(7)", "7", "Optional(\"x\")", "Optional(\"y\")", "Optional(-1)", "nil", "nil", "0", "0"],
            ])
    }

    @Test("an error while stepping is thrown with SQLite's message and the statement")
    func stepError() throws {
        let store = try SQLiteStore()
        let error = #expect(throws: (any Error).self) {
            try store.snapshot("read an overflow") { sql in
                try sql.forEach("SELECT 1 UNION ALL SELECT abs(-9223372036854775807 - 1)", []) { _ in }
            }
        }
        #expect("\(String(describing: error))".contains("integer overflow"), "\(String(describing: error))")
    }
}
