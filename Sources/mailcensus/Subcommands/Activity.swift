import ArgumentParser
import Jobs

struct Activity: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print per-address activity from the store.",
        discussion: """
            JSON: {"addresses": [{"address", "submitted", "received", "logins": {"imap", "pop3", \
            "submission", "failed"}, "correspondents": {"official", "webmail", "other"}, "first_seen", \
            "last_seen"}], "lines": {"read", "parsed", "skipped"}}. Correspondents are distinct \
            addresses exchanged with, by their class. Dates are the mail server's calendar days, inclusive. \
            CSV starts with the UTF-8 byte-order mark that Excel needs (--no-bom leaves it out).

            Needs no policy: without one (none named or found), times are at the UTC offset the store \
            recorded at ingest, every source of the store counts, and correspondents are official when \
            their domain is that of a mailbox that logged in or sent in the store, webmail by the built-in list.
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
        let job = ActivityJob(
            policy: try storeOptions.loadConfigurationIfAny()?.policy, store: storeOptions.access, since: since?.day,
            until: until?.day,
            sources: sourceOptions.sources)
        let result = try job.run()
        Terminal.output(format == .json ? result.json : result.csv(byteOrderMark: csvOptions.byteOrderMark))
    }
}
