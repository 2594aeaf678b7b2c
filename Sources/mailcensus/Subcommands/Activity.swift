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
        let policy = try storeOptions.loadPolicyIfAny()
        let store = try storeOptions.openStoreForReading()
        let filter =
            policy.map(sourceOptions.selection)
            ?? SourceSelection(province: nil, names: sourceOptions.sources.isEmpty ? nil : sourceOptions.sources)
        let classifier = try policy.map(AddressClassifier.init) ?? Activity.classifier(store, sources: filter)
        let activity = try store.activity(
            from: since?.day, through: until?.day, classifier: classifier, sources: filter)
        let renderer = ActivityRenderer(utcOffset: try store.utcOffset() ?? policy?.utcOffset ?? 0)
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

    /// Without a policy: the official domains are those of the store's own mailboxes (addresses
    /// that logged in or sent authenticated mail), webmail the built-in list.
    static func classifier(_ store: any Store, sources: SourceSelection) throws -> AddressClassifier {
        let unclassified = AddressClassifier(policy: Policy(province: "", officialDomains: []))
        let mailboxes = try store.activity(from: nil, through: nil, classifier: unclassified, sources: sources).filter {
            $0.submitted > 0 || $0.imapLogins + $0.pop3Logins + $0.submissionLogins > 0
        }
        let domains = Set(mailboxes.compactMap { $0.address.split(separator: "@").last.map(String.init) })
        return AddressClassifier(policy: Policy(province: "", officialDomains: domains.sorted()))
    }
}
