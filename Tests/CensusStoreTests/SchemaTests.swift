import TestSupport
import Testing

@testable import CensusStore

/// The two schemas, read back from the databases themselves, in terms both share: each line a
/// column (its type mapped to `integer`, `text` or `bytes`, whether it takes NULL, its
/// default), a primary key, a unique key or an index, with its columns in order.
///
/// Foreign keys are not compared: the PostgreSQL daily tables have none, by design
/// (`PostgresSchema`).
enum SchemaShape {
    static let tables: Set<String> = [
        "address", "daily_activity", "daily_client", "daily_client_evidence", "daily_display_name", "daily_exchange",
        "daily_forward", "ingest_file",
        "ingest_state", "outbox", "provisioning_journal", "source",
    ]

    /// A column type as both backends hold it.
    static func mapped(_ type: String) -> String {
        switch type.lowercased() {
        case "integer", "bigint": "integer"
        case "text": "text"
        case "blob", "bytea": "bytes"
        default: "unknown type \(type)"
        }
    }

    static func column(
        _ table: String, _ name: String, type: String, notNull: Bool, default value: String?
    ) -> String {
        "column \(table).\(name) \(mapped(type))\(notNull ? " not null" : "")" + (value.map { " default \($0)" } ?? "")
    }

    /// The SQLite file's schema: `PRAGMA table_info`, `index_list` and `index_info`.
    static func sqlite(_ store: SQLiteStore) throws -> Set<String> {
        try store.snapshot("read the schema") { sql in
            var lines: Set<String> = []
            let tables = try sql.rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                    + "AND name <> 'grdb_migrations'"
            ) { try $0.text(0) ?? "" }
            for table in tables {
                lines.insert("table \(table)")
                var key: [(position: Int64, column: String)] = []
                try sql.forEach("PRAGMA table_info(\"\(table)\")", []) { row in
                    let name = try row.text(1) ?? ""
                    let position = try row.int(5) ?? 0
                    if position > 0 { key.append((position, name)) }
                    // A key's columns are never NULL (SQLite's rowid alias says it takes NULL: it
                    // numbers the row instead).
                    lines.insert(
                        column(
                            table, name, type: try row.text(2) ?? "", notNull: try row.int(3) == 1 || position > 0,
                            default: try row.text(4)))
                }
                lines.insert(
                    "primary key \(table)(\(key.sorted { $0.position < $1.position }.map(\.column).joined(separator: ", ")))"
                )
                let indexes = try sql.rows("PRAGMA index_list(\"\(table)\")") {
                    (name: try $0.text(1) ?? "", unique: try $0.int(2) == 1, origin: try $0.text(3) ?? "")
                }
                for index in indexes where index.origin != "pk" {
                    let columns = try sql.rows("PRAGMA index_info(\"\(index.name)\")") { try $0.text(2) ?? "" }
                        .joined(separator: ", ")
                    lines.insert(
                        index.origin == "u"
                            ? "unique key \(table)(\(columns))"
                            : "index \(index.name) on \(table)(\(columns))\(index.unique ? " unique" : "")")
                }
            }
            return lines
        }
    }

    /// The PostgreSQL database's schema: `information_schema`, and `pg_index` for the indexes
    /// that back no constraint.
    static func postgres(_ store: any SQLStore) throws -> Set<String> {
        try store.snapshot("read the schema") { sql in
            var lines: Set<String> = []
            try sql.forEach(
                """
                SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns
                WHERE table_schema = 'public' AND table_name <> 'schema_migration'
                """, []
            ) { row in
                let table = try row.text(0) ?? ""
                lines.insert("table \(table)")
                lines.insert(
                    column(
                        table, try row.text(1) ?? "", type: try row.text(2) ?? "", notNull: try row.text(3) == "NO",
                        default: try row.text(4)))
            }
            var keys: [String: (kind: String, table: String, columns: [String])] = [:]
            try sql.forEach(
                """
                SELECT c.constraint_name, c.constraint_type, c.table_name, k.column_name
                FROM information_schema.table_constraints AS c JOIN information_schema.key_column_usage AS k
                    ON k.constraint_schema = c.constraint_schema AND k.constraint_name = c.constraint_name
                WHERE c.table_schema = 'public' AND c.table_name <> 'schema_migration'
                    AND c.constraint_type IN ('PRIMARY KEY', 'UNIQUE')
                ORDER BY c.constraint_name, k.ordinal_position
                """, []
            ) { row in
                let (name, table, column) = (try row.text(0) ?? "", try row.text(2) ?? "", try row.text(3) ?? "")
                let kind = try row.text(1) == "PRIMARY KEY" ? "primary key" : "unique key"
                keys[name, default: (kind, table, [])].columns.append(column)
            }
            for key in keys.values { lines.insert("\(key.kind) \(key.table)(\(key.columns.joined(separator: ", ")))") }
            var indexes: [String: (table: String, unique: Bool, columns: [String])] = [:]
            try sql.forEach(
                """
                SELECT t.relname, i.relname, x.indisunique, a.attname
                FROM pg_index AS x JOIN pg_class AS i ON i.oid = x.indexrelid JOIN pg_class AS t ON t.oid = x.indrelid
                    JOIN pg_namespace AS n ON n.oid = t.relnamespace
                    CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(number, position)
                    JOIN pg_attribute AS a ON a.attrelid = t.oid AND a.attnum = k.number
                WHERE n.nspname = 'public' AND t.relname <> 'schema_migration'
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = x.indexrelid)
                ORDER BY i.relname, k.position
                """, []
            ) { row in
                let (table, name, column) = (try row.text(0) ?? "", try row.text(1) ?? "", try row.text(3) ?? "")
                let unique = try row.text(2) == "t"
                indexes[name, default: (table, unique, [])].columns.append(column)
            }
            for (name, index) in indexes {
                lines.insert(
                    "index \(name) on \(index.table)(\(index.columns.joined(separator: ", ")))"
                        + (index.unique ? " unique" : ""))
            }
            return lines
        }
    }
}

@Suite("The SQLite and PostgreSQL schemas match", .tags(.postgres), .needs(.postgres))
struct SchemaTests {
    @Test(
        "tables, columns and their types, keys and indexes: the same in a new SQLite file and a new PostgreSQL database"
    )
    func schemasMatch() throws {
        let folder = TemporaryFolder()
        let sqlite = try SchemaShape.sqlite(try SQLiteStore(path: folder.path("store.sqlite")))
        let server = try PostgresTestServer.running()
        let store = try Stores.open(try server.makeDatabase(), environment: server.environment)
        let postgres = try SchemaShape.postgres(try #require(store as? any SQLStore))
        #expect(Set(sqlite.filter { $0.hasPrefix("table ") }.map { String($0.dropFirst(6)) }) == SchemaShape.tables)
        // What the comparison must see, so that it cannot pass by reading nothing.
        for line in [
            "column outbox.message bytes not null", "column daily_activity.submitted integer not null default 0",
            "column provisioning_journal.confirmed_at integer",
            "primary key daily_exchange(day, source_id, sender_id, recipient_id)",
            "unique key source(province, name)", "unique key outbox(key)",
            "index outbox_due on outbox(status, next_attempt_at, id)",
            "index ingest_file_line_hash on ingest_file(source_id, line_hash)",
        ] {
            #expect(sqlite.contains(line), "SQLite: \(line)")
            #expect(postgres.contains(line), "PostgreSQL: \(line)")
        }
        #expect(sqlite.subtracting(postgres).sorted() == [], "only in SQLite")
        #expect(postgres.subtracting(sqlite).sorted() == [], "only in PostgreSQL")
    }
}

@Suite("The shared SQL's placeholders")
struct PlaceholderTests {
    @Test("? becomes $1, $2, … for PostgreSQL, but not inside a quoted string or name")
    func numbered() {
        #expect(
            PostgresStore.numbered(#"SELECT ?, '?', 'it''s ?', "a?b" FROM t WHERE x = ? AND y = ?"#)
                == #"SELECT $1, '?', 'it''s ?', "a?b" FROM t WHERE x = $2 AND y = $3"#)
        #expect(PostgresStore.numbered("SELECT 1") == "SELECT 1")
        #expect(PostgresStore.numbered("VALUES (?, 'Nguyễn ?', ?)") == "VALUES ($1, 'Nguyễn ?', $2)")
    }
}
