import MailLog

/// The table of display names, the same in both stores: what an address's From headers
/// showed, folded, counted per message and day. It is small (one row per address, name and
/// day), so both stores add to existing rows without a fast path for new days.
enum DisplayNameSQL {
    static let createTable = """
        CREATE TABLE daily_display_name (
            day INTEGER NOT NULL,
            source_id INTEGER NOT NULL,
            address_id BIGINT NOT NULL,
            name TEXT NOT NULL,
            messages BIGINT NOT NULL,
            PRIMARY KEY (day, source_id, address_id, name)
        )
        """

    /// The aggregate's display names as rows (day, address id in the store, name, messages),
    /// in key order.
    static func rows(_ activity: ActivityAggregate, ids: [Int64]) -> [(
        day: Int32, address: Int64, name: String, messages: Int64
    )] {
        activity.displayNames.map { key, messages in
            (key.day, ids[Int(key.address)], activity.displayNameTexts[Int(key.name)], Int64(messages))
        }.sorted { ($0.day, $0.address, $0.name) < ($1.day, $1.address, $1.name) }
    }
}
