import GRDB

/// The SQLite store's schema, as versioned migrations.
///
/// Days are day numbers (days since 1970-01-01 on the mail server's calendar); times are UTC
/// seconds. Addresses are stored once, in lower case, and referred to by id. Daily tables are
/// keyed by day first, then source (the mail server): a night's ingest appends at the end of
/// each tree, and reports read ranges of days. `PostgresSchema` is the same schema.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: activity, exchanges, checkpoints") { db in
            try db.execute(
                sql: """
                    CREATE TABLE address (
                        id INTEGER PRIMARY KEY,
                        address TEXT NOT NULL UNIQUE
                    );
                    CREATE TABLE daily_activity (
                        address_id INTEGER NOT NULL REFERENCES address(id),
                        day INTEGER NOT NULL,
                        submitted INTEGER NOT NULL DEFAULT 0,
                        received INTEGER NOT NULL DEFAULT 0,
                        imap_logins INTEGER NOT NULL DEFAULT 0,
                        pop3_logins INTEGER NOT NULL DEFAULT 0,
                        submission_logins INTEGER NOT NULL DEFAULT 0,
                        failed_logins INTEGER NOT NULL DEFAULT 0,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        PRIMARY KEY (day, address_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE daily_exchange (
                        day INTEGER NOT NULL,
                        sender_id INTEGER NOT NULL REFERENCES address(id),
                        recipient_id INTEGER NOT NULL REFERENCES address(id),
                        messages INTEGER NOT NULL,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        PRIMARY KEY (day, sender_id, recipient_id)
                    ) WITHOUT ROWID;
                    CREATE TABLE ingest_file (
                        fingerprint TEXT PRIMARY KEY,
                        line_hash TEXT NOT NULL,
                        head_length INTEGER NOT NULL,
                        path TEXT NOT NULL,
                        offset INTEGER NOT NULL,
                        lines INTEGER NOT NULL,
                        last_local_time INTEGER,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX ingest_file_line_hash ON ingest_file(line_hash);
                    CREATE TABLE ingest_state (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        correlator BLOB NOT NULL,
                        statistics TEXT NOT NULL,
                        utc_offset INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2: provisioning journal") { db in
            try db.execute(
                sql: """
                    CREATE TABLE provisioning_journal (
                        employee_id TEXT PRIMARY KEY,
                        address TEXT NOT NULL,
                        recorded_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3: confirmed creations") { db in
            // NULL: the account was being created when the run stopped, and its initial
            // password may never have been written for HR.
            try db.execute(
                sql: """
                    ALTER TABLE provisioning_journal ADD COLUMN confirmed_at INTEGER;
                    UPDATE provisioning_journal SET confirmed_at = recorded_at;
                    """)
        }
        migrator.registerMigration("v4: forwards") { db in
            // Mail for original_id (an alias, or an address that forwards) went on to recipient_id.
            try db.execute(
                sql: """
                    CREATE TABLE daily_forward (
                        day INTEGER NOT NULL,
                        original_id INTEGER NOT NULL REFERENCES address(id),
                        recipient_id INTEGER NOT NULL REFERENCES address(id),
                        messages INTEGER NOT NULL,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        PRIMARY KEY (day, original_id, recipient_id)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v5: outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY,
                        key TEXT NOT NULL UNIQUE,
                        kind TEXT NOT NULL,
                        recipient TEXT NOT NULL,
                        sender TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        message BLOB NOT NULL,
                        status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_at INTEGER NOT NULL,
                        last_error TEXT,
                        created_at INTEGER NOT NULL,
                        sent_at INTEGER
                    );
                    CREATE INDEX outbox_due ON outbox(status, next_attempt_at, id);
                    CREATE INDEX outbox_kind ON outbox(kind, created_at);
                    """)
        }
        migrator.registerMigration("v6: sources") { db in
            // Every daily row, checkpoint and correlator state belongs to a source (a mail server).
            // What was ingested before is the source `default`.
            try db.execute(
                sql: """
                    CREATE TABLE source (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        province TEXT NOT NULL,
                        UNIQUE (province, name)
                    );
                    INSERT INTO source (id, name, province)
                        SELECT 1, 'default', '' WHERE EXISTS (SELECT 1 FROM ingest_state)
                            OR EXISTS (SELECT 1 FROM ingest_file) OR EXISTS (SELECT 1 FROM daily_activity)
                            OR EXISTS (SELECT 1 FROM daily_exchange);

                    CREATE TABLE new_activity (
                        day INTEGER NOT NULL,
                        source_id INTEGER NOT NULL REFERENCES source(id),
                        address_id INTEGER NOT NULL REFERENCES address(id),
                        submitted INTEGER NOT NULL DEFAULT 0,
                        received INTEGER NOT NULL DEFAULT 0,
                        imap_logins INTEGER NOT NULL DEFAULT 0,
                        pop3_logins INTEGER NOT NULL DEFAULT 0,
                        submission_logins INTEGER NOT NULL DEFAULT 0,
                        failed_logins INTEGER NOT NULL DEFAULT 0,
                        first_seen INTEGER NOT NULL,
                        last_seen INTEGER NOT NULL,
                        PRIMARY KEY (day, source_id, address_id)
                    ) WITHOUT ROWID;
                    INSERT INTO new_activity SELECT day, 1, address_id, submitted, received, imap_logins,
                        pop3_logins, submission_logins, failed_logins, first_seen, last_seen FROM daily_activity;
                    DROP TABLE daily_activity;
                    ALTER TABLE new_activity RENAME TO daily_activity;
                    """)
            for (table, first, second) in [
                ("daily_exchange", "sender_id", "recipient_id"), ("daily_forward", "original_id", "recipient_id"),
            ] {
                try db.execute(
                    sql: """
                        CREATE TABLE new_pairs (
                            day INTEGER NOT NULL,
                            source_id INTEGER NOT NULL REFERENCES source(id),
                            \(first) INTEGER NOT NULL REFERENCES address(id),
                            \(second) INTEGER NOT NULL REFERENCES address(id),
                            messages INTEGER NOT NULL,
                            first_seen INTEGER NOT NULL,
                            last_seen INTEGER NOT NULL,
                            PRIMARY KEY (day, source_id, \(first), \(second))
                        ) WITHOUT ROWID;
                        INSERT INTO new_pairs SELECT day, 1, \(first), \(second), messages, first_seen, last_seen
                            FROM \(table);
                        DROP TABLE \(table);
                        ALTER TABLE new_pairs RENAME TO \(table);
                        """)
            }
            try db.execute(
                sql: """
                    CREATE TABLE new_file (
                        source_id INTEGER NOT NULL REFERENCES source(id),
                        fingerprint TEXT NOT NULL,
                        line_hash TEXT NOT NULL,
                        head_length INTEGER NOT NULL,
                        path TEXT NOT NULL,
                        offset INTEGER NOT NULL,
                        lines INTEGER NOT NULL,
                        last_local_time INTEGER,
                        updated_at INTEGER NOT NULL,
                        PRIMARY KEY (source_id, fingerprint)
                    );
                    INSERT INTO new_file SELECT 1, fingerprint, line_hash, head_length, path, offset, lines,
                        last_local_time, updated_at FROM ingest_file;
                    DROP TABLE ingest_file;
                    ALTER TABLE new_file RENAME TO ingest_file;
                    CREATE INDEX ingest_file_line_hash ON ingest_file(source_id, line_hash);

                    CREATE TABLE new_state (
                        source_id INTEGER PRIMARY KEY REFERENCES source(id),
                        correlator BLOB NOT NULL,
                        statistics TEXT NOT NULL,
                        utc_offset INTEGER NOT NULL
                    );
                    INSERT INTO new_state SELECT 1, correlator, statistics, utc_offset FROM ingest_state;
                    DROP TABLE ingest_state;
                    ALTER TABLE new_state RENAME TO ingest_state;
                    """)
        }
        migrator.registerMigration("v7: display names") { db in
            // Folded display names (`le cong quan`) an address's From header showed, per day:
            // attribution evidence. Nothing else of the header is kept.
            try db.execute(sql: DisplayNameSQL.createTable)
        }
        migrator.registerMigration("v8: client evidence") { db in
            // Logins per origin and client (Dovecot's `ID`, Roundcube's log), and per day the
            // evidence the logs held.
            for statement in ClientSQL.createTables { try db.execute(sql: statement) }
        }
        return migrator
    }
}
