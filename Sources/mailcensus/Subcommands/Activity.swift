import ArgumentParser
import Census
import CensusStore
import MailLog
import Reports

struct Activity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print per-address activity from the store.",
        discussion: """
            JSON: {"addresses": [{"address", "submitted", "received", "logins": {"imap", "pop3", \
            "submission", "failed"}, "correspondents": {"official", "webmail", "other"}, "first_seen", \
            "last_seen"}], "lines": {"read", "parsed", "skipped"}}. Correspondents are distinct \
            addresses exchanged with, by their class. Dates are the mail server's calendar days, inclusive. \
            CSV starts with the UTF-8 byte-order mark that Excel needs (--no-bom leaves it out).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json
        case csv
    }

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "Output format: json or csv.")
    var format: Format = .json

    @Option(help: "First day, YYYY-MM-DD.")
    var since: DayArgument?

    @Option(help: "Last day, YYYY-MM-DD.")
    var until: DayArgument?

    @OptionGroup var sourceOptions: SourceOptions

    @OptionGroup var csvOptions: CSVOptions

    func validate() throws {
        if let since, let until, since.day > until.day { throw ValidationError("--since is after --until") }
    }

    func run() throws {
        let policy = try storeOptions.loadPolicy()
        let store = try storeOptions.openStoreForReading()
        let filter = sourceOptions.selection(policy)
        let activity = try store.activity(
            from: since?.day, through: until?.day, classifier: AddressClassifier(policy: policy), sources: filter)
        let renderer = ActivityRenderer(utcOffset: try store.utcOffset() ?? policy.utcOffset)
        switch format {
        case .json:
            let stats = try store.statistics(sources: filter)
            Terminal.output(
                renderer.json(
                    activity,
                    lines: LineTotals(read: stats.linesRead, parsed: stats.linesParsed, skipped: stats.linesSkipped)))
        case .csv:
            Terminal.output(CSVWriter.marked(renderer.csv(activity), byteOrderMark: csvOptions.byteOrderMark))
        }
    }
}
