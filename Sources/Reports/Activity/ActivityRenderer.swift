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
public struct ActivityRenderer {
    /// Offset from UTC of the times printed.
    public let utcOffset: Int

    public init(utcOffset: Int) {
        self.utcOffset = utcOffset
    }

    /// The JSON `JSONWriter` writes for this shape, appended directly (an address's keys are
    /// constant text): a big store has tens of thousands of addresses.
    ///
    /// - Parameter clients: each address's logins by client class, after every other key
    ///   (`"clients": {"webmail": 1, …}`, a class the evidence cannot show `null`, all `null`
    ///   without client evidence), and the evidence after `lines`; nil: neither.
    public func json(_ activity: [AddressActivity], lines: LineTotals, clients: ActivityClients? = nil) -> String {
        var json = "{\"addresses\": ["
        json.reserveCapacity(activity.count * 320 + 128)
        for (position, item) in activity.enumerated() {
            if position > 0 { json += ", " }
            json += "{\"address\": "
            json += JSONWriter.quoted(item.address)
            json += ", \"submitted\": "
            json += String(item.submitted)
            json += ", \"received\": "
            json += String(item.received)
            json += ", \"logins\": {\"imap\": "
            json += String(item.imapLogins)
            json += ", \"pop3\": "
            json += String(item.pop3Logins)
            json += ", \"submission\": "
            json += String(item.submissionLogins)
            json += ", \"failed\": "
            json += String(item.failedLogins)
            json += "}, \"correspondents\": {\"official\": "
            json += String(item.officialCorrespondents)
            json += ", \"webmail\": "
            json += String(item.webmailCorrespondents)
            json += ", \"other\": "
            json += String(item.otherCorrespondents)
            json += "}, \"first_seen\": "
            json += JSONWriter.quoted(time(item.firstSeen))
            json += ", \"last_seen\": "
            json += JSONWriter.quoted(time(item.lastSeen))
            if let clients { json += ", \"clients\": " + clients.json(item.address) }
            json += "}"
        }
        json += "], \"lines\": {\"read\": \(lines.read), \"parsed\": \(lines.parsed), \"skipped\": \(lines.skipped)}"
        if let clients { json += ", \"client_evidence\": " + clients.evidenceJSON }
        json += "}\n"
        return json
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
        for item in activity {
            csv.row(
                [item.address]
                    + [
                        item.submitted, item.received, item.imapLogins, item.pop3Logins, item.submissionLogins,
                        item.failedLogins, item.officialCorrespondents, item.webmailCorrespondents,
                        item.otherCorrespondents,
                    ].map(String.init) + [time(item.firstSeen), time(item.lastSeen)]
                    + (clients?.cells(item.address) ?? []))
        }
        return csv.text
    }

    func time(_ seconds: Int64) -> String {
        CivilTime.iso8601(seconds, offsetSeconds: utcOffset)
    }
}
