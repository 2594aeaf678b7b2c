import Basics
import CensusStore
import Foundation
import MailLog
import Reports

extension SourcesList {
    /// `{"sources": [{"name", "province", "lines_read", "messages", "logins", "first_day", "last_day"}]}`.
    public var json: String {
        var json = JSONWriter()
        json.beginObject()
        json.beginArray("sources")
        for source in sources {
            json.beginObject()
            json.value("name", source.name)
            json.value("province", source.province)
            json.value("lines_read", source.statistics.linesRead)
            json.value("messages", source.statistics.messages)
            json.value("logins", source.statistics.logins)
            json.value("first_day", source.coverage.map { CivilTime.isoDate(days: $0.lowerBound) })
            json.value("last_day", source.coverage.map { CivilTime.isoDate(days: $0.upperBound) })
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return json.text + "\n"
    }

    /// A table of the sources, their lines read and days; or what to do when there are none.
    public var text: String {
        guard !sources.isEmpty else {
            return "No logs in \(store) yet: run `mailcensus ingest --source NAME LOG…`.\n"
        }
        let width = max(6, sources.map(\.name.count).max() ?? 0)
        var text = "source".padding(toLength: width, withPad: " ", startingAt: 0) + "  lines read  days\n"
        for source in sources {
            let days = source.coverage.map {
                "\(CivilTime.isoDate(days: $0.lowerBound)) – \(CivilTime.isoDate(days: $0.upperBound))"
            }
            text += source.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let lines = String(source.statistics.linesRead)
            text += "  " + String(repeating: " ", count: max(0, 10 - lines.count)) + lines
            text += "  " + (days ?? "none") + (source.province.isEmpty ? "" : "  (\(source.province))") + "\n"
        }
        return text
    }
}
