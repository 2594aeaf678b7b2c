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

    public func json(_ activity: [AddressActivity], lines: LineTotals) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.beginArray("addresses")
        for item in activity {
            json.beginObject()
            json.value("address", item.address)
            json.value("submitted", item.submitted)
            json.value("received", item.received)
            json.beginObject("logins")
            json.value("imap", item.imapLogins)
            json.value("pop3", item.pop3Logins)
            json.value("submission", item.submissionLogins)
            json.value("failed", item.failedLogins)
            json.endObject()
            json.beginObject("correspondents")
            json.value("official", item.officialCorrespondents)
            json.value("webmail", item.webmailCorrespondents)
            json.value("other", item.otherCorrespondents)
            json.endObject()
            json.value("first_seen", time(item.firstSeen))
            json.value("last_seen", time(item.lastSeen))
            json.endObject()
        }
        json.endArray()
        json.beginObject("lines")
        json.value("read", lines.read)
        json.value("parsed", lines.parsed)
        json.value("skipped", lines.skipped)
        json.endObject()
        json.endObject()
        return json.text + "\n"
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
