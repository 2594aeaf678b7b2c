import Census
import Foundation
import MailLog

/// The census's reads, the same on every backend: each in one snapshot of its own.
extension SQLStore {
    /// Runs `body` in one consistent snapshot; errors say it could not `what`.
    func reads<T>(_ what: String, _ body: (StoreReads) throws -> T) throws -> T {
        try snapshot(what) { try body(StoreReads(query: $0, location: location)) }
    }

    public func sources() throws -> [StoredSource] { try reads("read the sources") { try $0.sources() } }

    public func statistics(sources: SourceSelection) throws -> IngestStatistics {
        try reads("read the ingest totals") { try $0.statistics(sources: sources) }
    }

    public func utcOffset() throws -> Int? { try reads("read the store's clock") { try $0.utcOffset() } }

    public func activity(from: Int?, through: Int?, classifier: AddressClassifier, sources: SourceSelection) throws
        -> [AddressActivity]
    {
        try reads("read activity") {
            try $0.activity(from: from, through: through, classifier: classifier, sources: sources)
        }
    }

    public func censusData(from: Int, through: Int, sources: SourceSelection) throws -> CensusData {
        try reads("read the census data") { try $0.censusData(from: from, through: through, sources: sources) }
    }

    public func coverage(sources: SourceSelection) throws -> ClosedRange<Int>? {
        try reads("read the days the store covers") { try $0.coverage(sources: sources) }
    }

    public func lastActiveDays() throws -> [String: Int] {
        try reads("read the last activity of each address") { try $0.lastActiveDays() }
    }
}

/// The reads of the census, the same SQL on SQLite and PostgreSQL.
///
/// Daily rows are keyed by day, source and address; reads sum over the sources asked for, so a
/// merged view and a one-server view are the same query.
struct StoreReads {
    let query: any SQLExecutor
    let location: String

    // MARK: Sources

    /// ` AND source_id IN (…)` for the sources chosen; "" for all.
    ///
    /// - Throws: `StoreError` naming the province's sources when one named is not among them.
    func sourceFilter(_ selection: SourceSelection) throws -> String {
        guard selection.province != nil || selection.names != nil else { return "" }
        var candidates: [(id: Int64, name: String)] = []
        try query.forEach("SELECT id, province, name FROM source ORDER BY name", []) { row in
            let province = try row.text(1) ?? ""
            if selection.province == nil || province == selection.province || province.isEmpty {
                candidates.append((try row.int(0) ?? 0, try row.text(2) ?? ""))
            }
        }
        var chosen = candidates.map(\.id)
        if let names = selection.names {
            chosen = try names.flatMap { name in
                let ids = candidates.filter { $0.name == name }.map(\.id)
                guard !ids.isEmpty else {
                    let known = candidates.map(\.name).joined(separator: ", ")
                    let province = selection.province.map { " in \($0)" } ?? ""
                    throw StoreError(
                        .unknownSource, location: location,
                        "has no source named \(name)\(province)"
                            + (known.isEmpty ? " (nothing was ingested yet)" : " (it has: \(known))"))
                }
                return ids
            }
        }
        guard !chosen.isEmpty else { return " AND 1 = 0" }
        return " AND source_id IN (" + chosen.map(String.init).joined(separator: ", ") + ")"
    }

    func sources() throws -> [StoredSource] {
        var sources: [Int64: StoredSource] = [:]
        var statistics: [(id: Int64, json: String?)] = []
        try query.forEach(
            """
            SELECT s.id, s.name, s.province, i.statistics FROM source s LEFT JOIN ingest_state i ON i.source_id = s.id
            """, []
        ) { row in
            let id = try row.int(0) ?? 0
            sources[id] = StoredSource(
                name: try row.text(1) ?? "", province: try row.text(2) ?? "", statistics: IngestStatistics(),
                coverage: nil)
            statistics.append((id, try row.text(3)))
        }
        for (id, json) in statistics {
            if let json { sources[id]?.statistics = try decodeStatistics(json) }
            sources[id]?.coverage = try coverage(filter: " AND source_id = \(id)")
        }
        return sources.values.sorted { $0.name < $1.name }
    }

    func statistics(sources: SourceSelection) throws -> IngestStatistics {
        let filter = try sourceFilter(sources)
        var total = IngestStatistics()
        try query.forEach("SELECT statistics FROM ingest_state WHERE 1 = 1" + filter, []) { row in
            if let json = try row.text(0) { total += try decodeStatistics(json) }
        }
        return total
    }

    func decodeStatistics(_ json: String) throws -> IngestStatistics {
        do {
            return try JSONDecoder().decode(IngestStatistics.self, from: Data(json.utf8))
        } catch {
            throw StoreError(.corruptState, location: location, "the ingest totals cannot be read", cause: error)
        }
    }

    func utcOffset() throws -> Int? {
        var offset: Int?
        try query.forEach("SELECT utc_offset FROM ingest_state", []) { row in
            offset = try row.int(0).map(Int.init)
        }
        return offset
    }

    // MARK: Activity

    /// Every address with its id.
    static let addressesSQL = "SELECT id, address FROM address"

    /// Every address, by id.
    func addresses() throws -> [Int64: String] {
        var addresses: [Int64: String] = [:]
        try query.forEach(Self.addressesSQL, []) { row in
            addresses[try row.int(0) ?? 0] = try row.text(1) ?? ""
        }
        return addresses
    }

    func activity(from: Int?, through: Int?, classifier: AddressClassifier, sources: SourceSelection) throws
        -> [AddressActivity]
    {
        let filter = try sourceFilter(sources)
        let bounds = [Int64(from ?? Int(Int32.min)), Int64(through ?? Int(Int32.max))]
        let addresses = try addresses()
        var result: [Int64: AddressActivity] = [:]
        try query.forEach(
            """
            SELECT address_id, CAST(SUM(submitted) AS BIGINT), CAST(SUM(received) AS BIGINT),
                CAST(SUM(imap_logins) AS BIGINT), CAST(SUM(pop3_logins) AS BIGINT),
                CAST(SUM(submission_logins) AS BIGINT), CAST(SUM(failed_logins) AS BIGINT), MIN(first_seen),
                MAX(last_seen)
            FROM daily_activity WHERE day BETWEEN ? AND ?\(filter) GROUP BY address_id
            """, bounds
        ) { row in
            let id = try row.int(0) ?? 0
            var activity = AddressActivity(
                address: addresses[id] ?? "", firstSeen: try row.int(7) ?? 0, lastSeen: try row.int(8) ?? 0)
            activity.submitted = Int(try row.int(1) ?? 0)
            activity.received = Int(try row.int(2) ?? 0)
            activity.imapLogins = Int(try row.int(3) ?? 0)
            activity.pop3Logins = Int(try row.int(4) ?? 0)
            activity.submissionLogins = Int(try row.int(5) ?? 0)
            activity.failedLogins = Int(try row.int(6) ?? 0)
            result[id] = activity
        }
        // Exchanges, read both ways: each side corresponds with the other. An address seen only
        // in exchanges (a Gmail correspondent) has no daily activity row of its own.
        var correspondents: [Int64: Set<Int64>] = [:]
        try query.forEach(
            """
            SELECT sender_id, recipient_id, MIN(first_seen), MAX(last_seen) FROM daily_exchange
            WHERE day BETWEEN ? AND ?\(filter) GROUP BY sender_id, recipient_id
            """, bounds
        ) { row in
            let sender = try row.int(0) ?? 0
            let recipient = try row.int(1) ?? 0
            let first = try row.int(2) ?? 0
            let last = try row.int(3) ?? 0
            for (id, other) in [(sender, recipient), (recipient, sender)] {
                correspondents[id, default: []].insert(other)
                var activity =
                    result[id] ?? AddressActivity(address: addresses[id] ?? "", firstSeen: first, lastSeen: last)
                activity.firstSeen = min(activity.firstSeen, first)
                activity.lastSeen = max(activity.lastSeen, last)
                result[id] = activity
            }
        }
        var classes: [Int64: AddressClass] = [:]
        for (id, others) in correspondents {
            for other in others {
                let kind =
                    classes[other]
                    ?? {
                        let kind = classifier.classify(addresses[other] ?? "")
                        classes[other] = kind
                        return kind
                    }()
                switch kind {
                case .official: result[id]?.officialCorrespondents += 1
                case .webmail: result[id]?.webmailCorrespondents += 1
                case .other: result[id]?.otherCorrespondents += 1
                }
            }
        }
        return result.values.sorted { $0.address < $1.address }
    }

    // MARK: Census

    func censusData(from: Int, through: Int, sources: SourceSelection) throws -> CensusData {
        let filter = try sourceFilter(sources)
        let bounds = [Int64(from), Int64(through)]
        var data = CensusData()
        // Store ids need not be dense: map them to indexes.
        var index: [Int64: Int32] = [:]
        try query.forEach("SELECT id, address FROM address ORDER BY id", []) { row in
            index[try row.int(0) ?? 0] = Int32(data.addresses.count)
            data.addresses.append(try row.text(1) ?? "")
        }
        try query.forEach(
            """
            SELECT day, address_id, CAST(SUM(submitted) AS BIGINT), CAST(SUM(received) AS BIGINT),
                CAST(SUM(imap_logins + pop3_logins + submission_logins) AS BIGINT), CAST(SUM(failed_logins) AS BIGINT)
            FROM daily_activity WHERE day BETWEEN ? AND ?\(filter) GROUP BY day, address_id
            """, bounds
        ) { row in
            guard let address = index[try row.int(1) ?? 0] else { return }
            data.activity.append(
                CensusData.Activity(
                    day: try row.int32(0), address: address, submitted: try row.int32(2), received: try row.int32(3),
                    logins: try row.int32(4), failedLogins: try row.int32(5)))
        }
        for (table, columns) in [
            ("daily_exchange", "sender_id, recipient_id"), ("daily_forward", "original_id, recipient_id"),
        ] {
            var pairs: [CensusData.Pair] = []
            try query.forEach(
                """
                SELECT day, \(columns), CAST(SUM(messages) AS BIGINT) FROM \(table)
                WHERE day BETWEEN ? AND ?\(filter) GROUP BY day, \(columns)
                """, bounds
            ) { row in
                guard let sender = index[try row.int(1) ?? 0], let recipient = index[try row.int(2) ?? 0] else {
                    return
                }
                pairs.append(
                    CensusData.Pair(day: try row.int32(0), from: sender, to: recipient, messages: try row.int32(3)))
            }
            if table == "daily_exchange" { data.exchanges = pairs } else { data.forwards = pairs }
        }
        try query.forEach(
            """
            SELECT address_id, name, CAST(SUM(messages) AS BIGINT) FROM daily_display_name
            WHERE day BETWEEN ? AND ?\(filter) GROUP BY address_id, name ORDER BY address_id, name
            """, bounds
        ) { row in
            guard let address = index[try row.int(0) ?? 0] else { return }
            data.displayNames.append(
                CensusData.DisplayName(address: address, name: try row.text(1) ?? "", messages: try row.int32(2)))
        }
        try lastActive(through: through, filter: filter) { id, day in
            if let address = index[id] { data.lastActive[address] = Int32(clamping: day) }
        }
        data.coverage = try coverage(filter: filter)
        return data
    }

    /// Each address's last day with a submission or a login, up to a day.
    func lastActive(through: Int, filter: String, _ each: (Int64, Int) -> Void) throws {
        try query.forEach(
            """
            SELECT address_id, MAX(day) FROM daily_activity
            WHERE day <= ? AND (submitted > 0 OR imap_logins > 0 OR pop3_logins > 0 OR submission_logins > 0)\(filter)
            GROUP BY address_id
            """, [Int64(through)]
        ) { row in each(try row.int(0) ?? 0, Int(try row.int(1) ?? 0)) }
    }

    func lastActiveDays() throws -> [String: Int] {
        let addresses = try addresses()
        var result: [String: Int] = [:]
        try lastActive(through: Int(Int32.max), filter: "") { id, day in
            if let address = addresses[id] { result[address] = day }
        }
        return result
    }

    func coverage(sources: SourceSelection) throws -> ClosedRange<Int>? {
        try coverage(filter: try sourceFilter(sources))
    }

    func coverage(filter: String) throws -> ClosedRange<Int>? {
        var range: ClosedRange<Int>?
        try query.forEach(
            """
            SELECT MIN(first), MAX(last) FROM (
                SELECT MIN(day) AS first, MAX(day) AS last FROM daily_activity WHERE 1 = 1\(filter)
                UNION ALL SELECT MIN(day), MAX(day) FROM daily_exchange WHERE 1 = 1\(filter)) AS bounds
            """, []
        ) { row in
            if let first = try row.int(0), let last = try row.int(1) { range = Int(first)...Int(last) }
        }
        return range
    }
}
