import Basics
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

    /// The exchanges and forwards are read while the rest is, in the same snapshot.
    public func censusData(from: Int, through: Int, sources: SourceSelection) throws -> CensusData {
        let location = location
        var (data, pairs) = try snapshot(
            "read the census data",
            {
                try StoreReads(query: $0, location: location).censusData(from: from, through: through, sources: sources)
            },
            { try StoreReads(query: $0, location: location).pairs(from: from, through: through, sources: sources) })
        (data.exchanges, data.forwards) = pairs
        return data
    }

    public func coverage(sources: SourceSelection) throws -> ClosedRange<Int>? {
        try reads("read the days the store covers") { try $0.coverage(sources: sources) }
    }

    public func lastActiveDays() throws -> [String: Int] {
        try reads("read the last activity of each address") { try $0.lastActiveDays() }
    }

    public func mailboxDomains(sources: SourceSelection) throws -> [String] {
        try reads("read the domains of the store's mailboxes") { try $0.mailboxDomains(sources: sources) }
    }
}

/// One address's activity as the rows add up.
struct ActivityTotals {
    var submitted: Int64 = 0
    var received: Int64 = 0
    var imap: Int64 = 0
    var pop3: Int64 = 0
    var submission: Int64 = 0
    var failed: Int64 = 0
    var first = Int64.max
    var last = Int64.min
    var official = 0
    var webmail = 0
    var other = 0
    /// Whether any row named the address.
    var seen = false

    // swift-format-ignore: FunctionParameterCount
    mutating func add(
        submitted: Int64, received: Int64, imap: Int64, pop3: Int64, submission: Int64, failed: Int64, first: Int64,
        last: Int64
    ) {
        self.submitted += submitted
        self.received += received
        self.imap += imap
        self.pop3 += pop3
        self.submission += submission
        self.failed += failed
        see(first: first, last: last)
    }

    mutating func see(first: Int64, last: Int64) {
        self.first = min(self.first, first)
        self.last = max(self.last, last)
        seen = true
    }

    func activity(address: String) -> AddressActivity {
        var activity = AddressActivity(address: address, firstSeen: first, lastSeen: last)
        activity.submitted = Int(submitted)
        activity.received = Int(received)
        activity.imapLogins = Int(imap)
        activity.pop3Logins = Int(pop3)
        activity.submissionLogins = Int(submission)
        activity.failedLogins = Int(failed)
        activity.officialCorrespondents = official
        activity.webmailCorrespondents = webmail
        activity.otherCorrespondents = other
        return activity
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
                candidates.append((try row.int64(0), try row.text(2) ?? ""))
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
            let id = try row.int64(0)
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
            addresses[try row.int64(0)] = try row.text(1) ?? ""
        }
        return addresses
    }

    /// Adds rows up per address in arrays indexed by the address's dense index (the database
    /// only filters): a `GROUP BY` would sort every row first, and dictionaries keyed by id
    /// cost more than the sums.
    func activity(from: Int?, through: Int?, classifier: AddressClassifier, sources: SourceSelection) throws
        -> [AddressActivity]
    {
        let filter = try sourceFilter(sources)
        let bounds = [Int64(from ?? Int(Int32.min)), Int64(through ?? Int(Int32.max))]
        var table = try AddressIndex.read(query)
        var totals: [ActivityTotals] = []
        func grow() {
            if totals.count < table.count {
                totals.append(contentsOf: repeatElement(ActivityTotals(), count: table.count - totals.count))
            }
        }
        grow()
        try query.forEach(
            """
            SELECT address_id, submitted, received, imap_logins, pop3_logins, submission_logins, failed_logins,
                first_seen, last_seen
            FROM daily_activity WHERE day BETWEEN ? AND ?\(filter)
            """, bounds
        ) { row in
            let index = Int(table.intern(try row.int64(0)))
            grow()
            totals[index].add(
                submitted: try row.int64(1), received: try row.int64(2), imap: try row.int64(3),
                pop3: try row.int64(4), submission: try row.int64(5), failed: try row.int64(6),
                first: try row.int64(7), last: try row.int64(8))
        }
        // Exchanges, read both ways: each side corresponds with the other. An address seen only
        // in exchanges (a Gmail correspondent) has no daily activity row of its own. Each
        // address's correspondents are the distinct pairs (address, other), packed in one
        // integer and sorted.
        var pairs: [UInt64] = []
        try query.forEach(
            """
            SELECT sender_id, recipient_id, first_seen, last_seen FROM daily_exchange
            WHERE day BETWEEN ? AND ?\(filter)
            """, bounds
        ) { row in
            let sender = table.intern(try row.int64(0))
            let recipient = table.intern(try row.int64(1))
            grow()
            let first = try row.int64(2)
            let last = try row.int64(3)
            totals[Int(sender)].see(first: first, last: last)
            totals[Int(recipient)].see(first: first, last: last)
            pairs.append(UInt64(UInt32(sender)) << 32 | UInt64(UInt32(recipient)))
            pairs.append(UInt64(UInt32(recipient)) << 32 | UInt64(UInt32(sender)))
        }
        pairs.radixSort()
        var classes = [AddressClass?](repeating: nil, count: table.count)
        var previous: UInt64?
        for pair in pairs where pair != previous {
            previous = pair
            let (id, other) = (Int(pair >> 32), Int(pair & 0xFFFF_FFFF))
            let kind =
                classes[other]
                ?? {
                    let kind = classifier.classify(table.names[other])
                    classes[other] = kind
                    return kind
                }()
            switch kind {
            case .official: totals[id].official += 1
            case .webmail: totals[id].webmail += 1
            case .other: totals[id].other += 1
            }
        }
        let seen = totals.indices.filter { totals[$0].seen }
        let names = table.names
        return seen.sorted { names[$0] < names[$1] }.map { totals[$0].activity(address: names[$0]) }
    }

    /// The domains of the addresses that logged in or submitted mail, on any day, of the sources
    /// chosen: the store's own mailboxes.
    func mailboxDomains(sources: SourceSelection) throws -> [String] {
        let filter = try sourceFilter(sources)
        let table = try AddressIndex.read(query)
        var mailbox = [Bool](repeating: false, count: table.count)
        try query.forEach(
            """
            SELECT address_id FROM daily_activity
            WHERE (submitted > 0 OR imap_logins > 0 OR pop3_logins > 0 OR submission_logins > 0)\(filter)
            """, []
        ) { row in
            // An id the address table lacks would be the address "", which has no domain.
            if let index = table.index(try row.int64(0)) { mailbox[Int(index)] = true }
        }
        var domains = Set<String>()
        for index in mailbox.indices where mailbox[index] {
            if let domain = table.names[index].split(separator: "@").last { domains.insert(String(domain)) }
        }
        return domains.sorted()
    }

    // MARK: Census

    /// Reads the daily rows as they are and adds up those of the same day and addresses (from
    /// several sources) in memory: rows of one source come in key order, so that a `GROUP BY`
    /// would only sort them again. All but the exchanges and forwards (`pairs`).
    func censusData(from: Int, through: Int, sources: SourceSelection) throws -> CensusData {
        let filter = try sourceFilter(sources)
        let bounds = [Int64(from), Int64(through)]
        var data = CensusData()
        // Store ids need not be dense: map them to indexes, in id order.
        let index = try AddressIndex.read(query)
        data.addresses = index.names
        var activity: [(key: UInt64, sums: SIMD4<Int64>)] = []
        var sorted = true
        // Each address's last day with a submission or a login, from the rows read, when they
        // are all the rows up to `through` (the census reads from the first day on).
        let coverage = try coverage(filter: filter)
        let readsEveryDay = coverage.map { from <= $0.lowerBound } ?? true
        var lastActive: [Int32: Int32] = [:]
        try query.forEach(
            """
            SELECT day, address_id, submitted, received, imap_logins + pop3_logins + submission_logins, failed_logins
            FROM daily_activity WHERE day BETWEEN ? AND ?\(filter)
            """, bounds
        ) { row in
            guard let address = index.index(try row.int64(1)) else { return }
            let key = UInt64(UInt32(bitPattern: try row.int32(0))) << 32 | UInt64(UInt32(address))
            let sums = SIMD4(try row.int64(2), try row.int64(3), try row.int64(4), try row.int64(5))
            if let last = activity.last, last.key >= key { sorted = false }
            activity.append((key, sums))
            if readsEveryDay && (sums[0] > 0 || sums[2] > 0) {
                let day = try row.int32(0)
                if (lastActive[address] ?? .min) < day { lastActive[address] = day }
            }
        }
        if !sorted { activity.sort { $0.key < $1.key } }
        data.activity.reserveCapacity(activity.count)
        var position = 0
        while position < activity.count {
            let key = activity[position].key
            var sums = activity[position].sums
            position += 1
            while position < activity.count && activity[position].key == key {
                sums &+= activity[position].sums
                position += 1
            }
            data.activity.append(
                CensusData.Activity(
                    day: Int32(bitPattern: UInt32(key >> 32)), address: Int32(bitPattern: UInt32(key & 0xFFFF_FFFF)),
                    submitted: Int32(clamping: sums[0]), received: Int32(clamping: sums[1]),
                    logins: Int32(clamping: sums[2]), failedLogins: Int32(clamping: sums[3])))
        }
        try query.forEach(
            """
            SELECT address_id, name, CAST(SUM(messages) AS BIGINT) FROM daily_display_name
            WHERE day BETWEEN ? AND ?\(filter) GROUP BY address_id, name ORDER BY address_id, name
            """, bounds
        ) { row in
            guard let address = index.index(try row.int64(0)) else { return }
            data.displayNames.append(
                CensusData.DisplayName(address: address, name: try row.text(1) ?? "", messages: try row.int32(2)))
        }
        if readsEveryDay {
            data.lastActive = lastActive
        } else {
            try self.lastActive(through: through, filter: filter) { id, day in
                if let address = index.index(id) { data.lastActive[address] = Int32(clamping: day) }
            }
        }
        data.coverage = coverage
        return data
    }

    /// The exchanges and forwards of the days `from` through `through`, the messages of each day
    /// and pair of addresses added up over the sources chosen; addresses as the indexes of
    /// `AddressIndex` (in id order, the same in any read of the same snapshot).
    func pairs(from: Int, through: Int, sources: SourceSelection) throws -> (
        exchanges: [CensusData.Pair], forwards: [CensusData.Pair]
    ) {
        let filter = try sourceFilter(sources)
        let bounds = [Int64(from), Int64(through)]
        let index = try AddressIndex.read(query, names: false)
        var result: [[CensusData.Pair]] = []
        for (table, columns) in [
            ("daily_exchange", "sender_id, recipient_id"), ("daily_forward", "original_id, recipient_id"),
        ] {
            var rows: [(day: Int32, from: Int32, to: Int32, messages: Int64)] = []
            var sorted = true
            try query.forEach(
                "SELECT day, \(columns), messages FROM \(table) WHERE day BETWEEN ? AND ?\(filter)", bounds
            ) { row in
                guard let sender = index.index(try row.int64(1)), let recipient = index.index(try row.int64(2))
                else {
                    return
                }
                let next = (day: try row.int32(0), from: sender, to: recipient, messages: try row.int64(3))
                if let last = rows.last, (last.day, last.from, last.to) >= (next.day, next.from, next.to) {
                    sorted = false
                }
                rows.append(next)
            }
            if !sorted { rows.sort { ($0.day, $0.from, $0.to) < ($1.day, $1.from, $1.to) } }
            var pairs: [CensusData.Pair] = []
            pairs.reserveCapacity(rows.count)
            var position = 0
            while position < rows.count {
                let first = rows[position]
                var messages = first.messages
                position += 1
                while position < rows.count
                    && (rows[position].day, rows[position].from, rows[position].to)
                        == (first.day, first.from, first.to)
                {
                    messages &+= rows[position].messages
                    position += 1
                }
                pairs.append(
                    CensusData.Pair(
                        day: first.day, from: first.from, to: first.to, messages: Int32(clamping: messages)))
            }
            result.append(pairs)
        }
        return (result[0], result[1])
    }

    /// Each address's last day with a submission or a login, up to a day.
    func lastActive(through: Int, filter: String, _ each: (Int64, Int) -> Void) throws {
        try query.forEach(
            """
            SELECT address_id, MAX(day) FROM daily_activity
            WHERE day <= ? AND (submitted > 0 OR imap_logins > 0 OR pop3_logins > 0 OR submission_logins > 0)\(filter)
            GROUP BY address_id
            """, [Int64(through)]
        ) { row in each(try row.int64(0), Int(try row.int64(1))) }
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

    /// Each bound in a query of its own, which both databases answer from the first or last
    /// key of the table's primary key (a `MIN` and a `MAX` in one query read every row).
    func coverage(filter: String) throws -> ClosedRange<Int>? {
        var range: ClosedRange<Int>?
        try query.forEach(
            """
            SELECT MIN(first), MAX(last) FROM (
                SELECT (SELECT MIN(day) FROM daily_activity WHERE 1 = 1\(filter)) AS first,
                    (SELECT MAX(day) FROM daily_activity WHERE 1 = 1\(filter)) AS last
                UNION ALL SELECT (SELECT MIN(day) FROM daily_exchange WHERE 1 = 1\(filter)),
                    (SELECT MAX(day) FROM daily_exchange WHERE 1 = 1\(filter))) AS bounds
            """, []
        ) { row in
            if let first = try row.int(0), let last = try row.int(1) { range = Int(first)...Int(last) }
        }
        return range
    }
}
