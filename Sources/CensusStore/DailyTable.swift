/// A daily table as an ingest commit adds to it, the same on both backends: its columns in the
/// order a commit writes them, its key, and how a row is added to one that exists (counts
/// summed, first and last seen widened). Each backend writes the rows its own way (SQLite
/// upserts of 64 rows a statement, PostgreSQL `COPY`), with the statement `upsert` makes.
struct DailyTable {
    let name: String
    /// Comma-separated, in the order a commit writes them.
    let columns: String
    let key: String
    /// The `SET` of `ON CONFLICT … DO UPDATE`.
    let merge: String

    /// How many columns a row has.
    var width: Int { columns.split(separator: ",").count }

    /// The statement that adds `rows` (`VALUES (?, …)`, or a `SELECT` of the table's columns) to
    /// the table, each added to the row of its key when there is one.
    func upsert(_ rows: String) -> String {
        "INSERT INTO \(name) (\(columns)) \(rows) ON CONFLICT (\(key)) DO UPDATE SET \(merge)"
    }

    /// A table whose rows `counts` are added up and whose first and last seen (when `seen`) are
    /// widened. SQLite has no `LEAST`, PostgreSQL no two-argument `MIN`: `CASE` is in both.
    ///
    /// With `seenOf`, a row's first and last seen are those of what `seenOf` counts when it
    /// counts anything, else of the rest (a client row's last login, not a failed attempt after
    /// it): of two rows, only one of which counts some, that one's are kept. Both backends
    /// evaluate every `SET` against the row as it was, so the old count is the one compared.
    private init(name: String, columns: [String], key: [String], counts: [String], seen: Bool, seenOf: String? = nil) {
        self.name = name
        self.columns = (columns + (seen ? ["first_seen", "last_seen"] : [])).joined(separator: ", ")
        self.key = key.joined(separator: ", ")
        var merge = counts.map { "\($0) = \(name).\($0) + excluded.\($0)" }
        if seen {
            for (column, comparison) in [("first_seen", "<"), ("last_seen", ">")] {
                let preferred =
                    seenOf.map {
                        "WHEN (excluded.\($0) > 0) <> (\(name).\($0) > 0) THEN "
                            + "CASE WHEN excluded.\($0) > 0 THEN excluded.\(column) ELSE \(name).\(column) END "
                    } ?? ""
                merge.append(
                    "\(column) = CASE \(preferred)WHEN excluded.\(column) \(comparison) \(name).\(column) "
                        + "THEN excluded.\(column) ELSE \(name).\(column) END")
            }
        }
        self.merge = merge.joined(separator: ", ")
    }

    /// Activity per day, source and address.
    static let activity = DailyTable(
        name: "daily_activity",
        columns: [
            "day", "source_id", "address_id", "submitted", "received", "imap_logins", "pop3_logins",
            "submission_logins", "failed_logins",
        ],
        key: ["day", "source_id", "address_id"],
        counts: ["submitted", "received", "imap_logins", "pop3_logins", "submission_logins", "failed_logins"],
        seen: true)

    /// Message counts per day, source and pair of addresses.
    private static func pairs(_ name: String, _ first: String, _ second: String) -> DailyTable {
        DailyTable(
            name: name, columns: ["day", "source_id", first, second, "messages"],
            key: ["day", "source_id", first, second], counts: ["messages"], seen: true)
    }

    static let exchanges = pairs("daily_exchange", "sender_id", "recipient_id")
    static let forwards = pairs("daily_forward", "original_id", "recipient_id")

    /// Display names per day, source and address (`DisplayNameSQL`).
    static let displayNames = DailyTable(
        name: "daily_display_name", columns: ["day", "source_id", "address_id", "name", "messages"],
        key: ["day", "source_id", "address_id", "name"], counts: ["messages"], seen: false)

    /// Logins and failed attempts per day, source, address, origin and client (`ClientSQL`);
    /// first and last seen are the successful logins' when there are any.
    static let clients = DailyTable(
        name: "daily_client",
        columns: ["day", "source_id", "address_id", "origin", "client_name", "client_os", "logins", "failed"],
        key: ["day", "source_id", "address_id", "origin", "client_name", "client_os"], counts: ["logins", "failed"],
        seen: true, seenOf: "logins")

    /// Lines of client evidence per day and source (`ClientSQL`).
    static let clientEvidence = DailyTable(
        name: "daily_client_evidence",
        columns: ["day", "source_id", "client_id_lines", "webmail_log_lines", "webmail_host_logins"],
        key: ["day", "source_id"], counts: ["client_id_lines", "webmail_log_lines", "webmail_host_logins"],
        seen: false)
}

/// Where a row's values go, in its table's column order: SQLite's bound parameters
/// (`RowBinder`) or PostgreSQL's `COPY` text (`PostgresCopyRows`).
protocol RowCells {
    mutating func int(_ value: Int64)
    mutating func text(_ value: String)
}
