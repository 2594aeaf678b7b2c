import Census
import MailLog

/// The tables of client evidence, the same in both stores: logins and failed attempts per day,
/// source, address, origin (`LoginOrigin`'s number) and client (the `ID`'s name and system,
/// "" when none was logged), and per day and source the evidence lines the logs held. Both are
/// small (a row per person, day and client), so both stores add to existing rows without a
/// fast path for new days.
enum ClientSQL {
    static let createTables = [
        """
        CREATE TABLE daily_client (
            day INTEGER NOT NULL,
            source_id INTEGER NOT NULL,
            address_id BIGINT NOT NULL,
            origin INTEGER NOT NULL,
            client_name TEXT NOT NULL,
            client_os TEXT NOT NULL,
            logins BIGINT NOT NULL,
            failed BIGINT NOT NULL,
            first_seen BIGINT NOT NULL,
            last_seen BIGINT NOT NULL,
            PRIMARY KEY (day, source_id, address_id, origin, client_name, client_os)
        )
        """,
        """
        CREATE TABLE daily_client_evidence (
            day INTEGER NOT NULL,
            source_id INTEGER NOT NULL,
            client_id_lines BIGINT NOT NULL,
            webmail_log_lines BIGINT NOT NULL,
            webmail_host_logins BIGINT NOT NULL,
            PRIMARY KEY (day, source_id)
        )
        """,
    ]

    struct Row {
        var day: Int32
        var address: Int64
        var origin: UInt8
        var name: String
        var os: String
        var logins: Int64
        var failed: Int64
        var firstSeen: Int64
        var lastSeen: Int64
    }

    /// Writes `row`'s values, in the table's column order, with `source`.
    static func write(_ row: Row, source: Int64, to cells: inout some RowCells) {
        cells.int(Int64(row.day))
        cells.int(source)
        cells.int(row.address)
        cells.int(Int64(row.origin))
        cells.text(row.name)
        cells.text(row.os)
        cells.int(row.logins)
        cells.int(row.failed)
        cells.int(row.firstSeen)
        cells.int(row.lastSeen)
    }

    /// The aggregate's logins as rows, addresses as the store's ids `ids`, in key order.
    static func rows(_ clients: ClientAggregate, ids: [Int64]) -> [Row] {
        clients.rows.map { key, counters in
            Row(
                day: key.day, address: ids[Int(key.address)], origin: key.origin.rawValue,
                name: clients.texts[Int(key.name)], os: clients.texts[Int(key.os)], logins: Int64(counters.logins),
                failed: Int64(counters.failed), firstSeen: counters.firstSeen, lastSeen: counters.lastSeen)
        }.sorted { ($0.day, $0.address, $0.origin, $0.name, $0.os) < ($1.day, $1.address, $1.origin, $1.name, $1.os) }
    }

    /// The aggregate's evidence as rows, by day.
    static func evidenceRows(_ clients: ClientAggregate) -> [(
        day: Int32, clientIDs: Int64, webmailLog: Int64, webmailHosts: Int64
    )] {
        clients.evidence.map { day, evidence in
            (day, Int64(evidence.clientIDs), Int64(evidence.webmailLog), Int64(evidence.webmailHosts))
        }.sorted { $0.day < $1.day }
    }
}

extension SQLStore {
    public func clientData(from: Int?, through: Int?, sources: SourceSelection) throws -> ClientData {
        try reads("read the client evidence") { try $0.clientData(from: from, through: through, sources: sources) }
    }
}

extension StoreReads {
    /// The rows of the days asked for, those of several sources with the same key added up.
    func clientData(from: Int?, through: Int?, sources: SourceSelection) throws -> ClientData {
        let filter = try sourceFilter(sources)
        let bounds = [Int64(from ?? Int(Int32.min)), Int64(through ?? Int(Int32.max))]
        let index = try AddressIndex.read(query)
        var data = ClientData(addresses: index.names)
        // Rows of one source come in key order; those of several are sorted, and rows of the
        // same key (from several sources) added up.
        func key(_ row: ClientLogins) -> (Int32, Int32, Int, String, String) {
            (row.day, row.address, row.origin.rawValue, row.clientName, row.clientOS)
        }
        var rows: [ClientLogins] = []
        var sorted = true
        try query.forEach(
            """
            SELECT day, address_id, origin, client_name, client_os, logins, failed, last_seen FROM daily_client
            WHERE day BETWEEN ? AND ?\(filter)
            """, bounds
        ) { row in
            guard let address = index.index(try row.int64(1)),
                let origin = LoginOrigin(rawValue: Int(try row.int(2) ?? -1))
            else { return }
            let next = ClientLogins(
                day: try row.int32(0), address: address, origin: origin, clientName: try row.text(3) ?? "",
                clientOS: try row.text(4) ?? "", logins: try row.int32(5), failed: try row.int32(6),
                lastSeen: try row.int64(7))
            if let last = rows.last, key(next) < key(last) { sorted = false }
            rows.append(next)
        }
        if !sorted { rows.sort { key($0) < key($1) } }
        for row in rows {
            if let last = data.logins.last, key(last) == key(row) {
                data.logins[data.logins.count - 1].logins &+= row.logins
                data.logins[data.logins.count - 1].failed &+= row.failed
                data.logins[data.logins.count - 1].lastSeen = max(last.lastSeen, row.lastSeen)
            } else {
                data.logins.append(row)
            }
        }
        try query.forEach(
            """
            SELECT day, client_id_lines, webmail_log_lines, webmail_host_logins FROM daily_client_evidence
            WHERE day BETWEEN ? AND ?\(filter)
            """, bounds
        ) { row in
            var evidence = ClientEvidence()
            if try row.int64(1) > 0 { evidence.insert(.clientIDs) }
            if try row.int64(2) > 0 { evidence.insert(.webmailLog) }
            if try row.int64(3) > 0 { evidence.insert(.webmailHosts) }
            guard !evidence.isEmpty else { return }
            data.evidence[try row.int32(0), default: []].formUnion(evidence)
        }
        return data
    }
}
