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
    public func json(_ activity: [AddressActivity], lines: LineTotals) -> String {
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
            json += "}"
        }
        json += "], \"lines\": {\"read\": \(lines.read), \"parsed\": \(lines.parsed), \"skipped\": \(lines.skipped)}}\n"
        return json
    }

    public static let csvHeader = [
        "address", "submitted", "received", "imap_logins", "pop3_logins", "submission_logins", "failed_logins",
        "official_correspondents", "webmail_correspondents", "other_correspondents", "first_seen", "last_seen",
    ]

    public func csv(_ activity: [AddressActivity]) -> String {
        var csv = CSVWriter()
        csv.row(ActivityRenderer.csvHeader)
        for item in activity {
            csv.row(
                [item.address]
                    + [
                        item.submitted, item.received, item.imapLogins, item.pop3Logins, item.submissionLogins,
                        item.failedLogins, item.officialCorrespondents, item.webmailCorrespondents,
                        item.otherCorrespondents,
                    ].map(String.init) + [time(item.firstSeen), time(item.lastSeen)])
        }
        return csv.text
    }

    func time(_ seconds: Int64) -> String {
        CivilTime.iso8601(seconds, offsetSeconds: utcOffset)
    }
}
