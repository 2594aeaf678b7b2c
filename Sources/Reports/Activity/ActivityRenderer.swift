import Basics
public import Census

/// Line totals printed with activity.
public struct LineTotals: Sendable {
    public var read: Int
    public var parsed: Int
    public var skipped: Int

    public init(read: Int, parsed: Int, skipped: Int) {
        self.read = read
        self.parsed = parsed
        self.skipped = skipped
    }
}

/// Renders per-address activity as JSON (DESIGN.md's shape) or CSV.
public struct ActivityRenderer: Sendable {
    /// Offset from UTC of the times printed.
    public let utcOffset: Int

    public init(utcOffset: Int) {
        self.utcOffset = utcOffset
    }

    /// The JSON `JSONWriter` writes for this shape, appended directly as bytes (an address's
    /// keys are constant text): a big store has tens of thousands of addresses.
    ///
    /// - Parameter clients: each address's logins by client class, after every other key
    ///   (`"clients": {"webmail": 1, …}`, a class the evidence cannot show `null`, all `null`
    ///   without client evidence), and the evidence after `lines`; nil: neither.
    public func json(_ activity: [AddressActivity], lines: LineTotals, clients: ActivityClients? = nil) -> String {
        var json = ByteText(capacity: activity.count * 360 + 128)
        json.append("{\"addresses\": [")
        for part in pieces(
            activity,
            { range in
                var json = ByteText(capacity: range.count * 360)
                for position in range {
                    if position > 0 { json.append(", ") }
                    object(activity[position], clients: clients, into: &json)
                }
                return json
            })
        {
            json.append(part)
        }
        json.append(
            "], \"lines\": {\"read\": \(lines.read), \"parsed\": \(lines.parsed), \"skipped\": \(lines.skipped)}")
        if let clients { json.append(", \"client_evidence\": " + clients.evidenceJSON) }
        json.append("}\n")
        return json.text
    }

    /// One address's object.
    private func object(_ item: AddressActivity, clients: ActivityClients?, into json: inout ByteText) {
        json.append("{\"address\": ")
        json.appendQuoted(item.address)
        // Each count after the text before it: a key, or the end of one object and the next key.
        for (text, count) in [
            (", \"submitted\": ", item.submitted), (", \"received\": ", item.received),
            (", \"logins\": {\"imap\": ", item.imapLogins), (", \"pop3\": ", item.pop3Logins),
            (", \"submission\": ", item.submissionLogins), (", \"failed\": ", item.failedLogins),
            ("}, \"correspondents\": {\"official\": ", item.officialCorrespondents),
            (", \"webmail\": ", item.webmailCorrespondents), (", \"other\": ", item.otherCorrespondents),
        ] {
            json.append(text)
            json.append(count)
        }
        json.append("}, \"first_seen\": ")
        json.appendQuoted(time(item.firstSeen))
        json.append(", \"last_seen\": ")
        json.appendQuoted(time(item.lastSeen))
        if let clients {
            json.append(", \"clients\": ")
            clients.json(item.address, into: &json)
        }
        json.append("}")
    }

    /// `render` of consecutive ranges of `activity`'s positions, in order, worked out on every
    /// core: a big store's text is most of the command's work.
    private func pieces<T: Sendable>(
        _ activity: [AddressActivity], _ render: @Sendable (Range<Int>) -> T
    ) -> [T] {
        let size = 4096
        let ranges = stride(from: 0, to: activity.count, by: size).map { $0..<min($0 + size, activity.count) }
        return ranges.concurrentMap(minimumChunk: 1, render)
    }

    public static let csvHeader = [
        "address", "submitted", "received", "imap_logins", "pop3_logins", "submission_logins", "failed_logins",
        "official_correspondents", "webmail_correspondents", "other_correspondents", "first_seen", "last_seen",
    ]

    /// The columns of each address's logins by client class, after the others.
    public static let clientColumns = ClientClass.allCases.map { "logins_\($0.rawValue)" }

    /// - Parameter clients: each address's logins by client class, in `clientColumns` after the
    ///   others (an empty cell where the evidence cannot show the class); nil: no such columns.
    public func csv(_ activity: [AddressActivity], clients: ActivityClients? = nil) -> String {
        var csv = CSVWriter()
        csv.row(ActivityRenderer.csvHeader + (clients == nil ? [] : ActivityRenderer.clientColumns))
        return csv.text
            + pieces(
                activity,
                { range in
                    var csv = CSVWriter()
                    for item in activity[range] { csv.row(cells(item, clients: clients)) }
                    return csv.text
                }
            ).joined()
    }

    /// One address's row.
    private func cells(_ item: AddressActivity, clients: ActivityClients?) -> [String] {
        [item.address]
            + [
                item.submitted, item.received, item.imapLogins, item.pop3Logins, item.submissionLogins,
                item.failedLogins, item.officialCorrespondents, item.webmailCorrespondents, item.otherCorrespondents,
            ].map(String.init) + [time(item.firstSeen), time(item.lastSeen)] + (clients?.cells(item.address) ?? [])
    }

    func time(_ seconds: Int64) -> String {
        CivilTime.iso8601(seconds, offsetSeconds: utcOffset)
    }
}
