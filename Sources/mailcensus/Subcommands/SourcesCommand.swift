import ArgumentParser
import Basics
import CensusStore
import Foundation
import MailLog
import Reports

struct SourcesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sources",
        abstract: "List the mail servers (sources) whose logs are in the store.",
        discussion: """
            The names are those given to ingest --source, for report and activity --source. JSON: \
            {"sources": [{"name", "province", "lines_read", "messages", "logins", "first_day", "last_day"}]}, \
            days as YYYY-MM-DD (null when the source has no data yet).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "text or json.")
    var format: Format = .text

    func run() throws {
        let sources = try storeOptions.openStoreForReading().sources()
        switch format {
        case .json:
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
            Terminal.output(json.text + "\n")
        case .text:
            guard !sources.isEmpty else {
                Terminal.output("No logs in \(storeOptions.store) yet: run `mailcensus ingest --source NAME LOG…`.\n")
                return
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
            Terminal.output(text)
        }
    }
}
