import GRDB

/// The SQLite store's schema, as versioned migrations.
///
/// Days are day numbers (days since 1970-01-01 on the mail server's calendar); times are UTC
/// seconds. Addresses are stored once, in lower case, and referred to by id. Daily tables are
/// keyed by day first: a night's ingest appends at the end of each tree, and reports read
/// ranges of days.
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
        return migrator
    }
}
