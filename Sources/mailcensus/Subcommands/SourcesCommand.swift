import ArgumentParser
import Jobs

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
        let list = try SourcesJob(store: storeOptions.access).run()
        Terminal.output(format == .json ? list.json : list.text)
    }
}
