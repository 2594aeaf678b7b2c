import ArgumentParser
import CensusStore
import Jobs

struct Nightly: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The nightly run, from cron: ingest the policy's logs, write its reports, say where.",
        discussion: """
            Reads the logs the policy's nightly.logs name (patterns such as /var/log/mail.log*), \
            then writes the report in each of report.formats for the last activity_window days \
            into report.folder/YYYY-MM-DD/ (the period's last day); when relay.enabled, queues \
            the reports for the departments' heads and the leadership (and nudges, as the policy \
            says) and sends what is due; and prints one line: what was read, where the reports \
            are, the province's headline figure, what was sent.

            Exit status: 0 done; 1 some log, report or notice could not be read, written or sent \
            (the rest was done; unsent notices stay queued); 2 the policy or the roster is \
            wrong, or no log could be read.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "The mail server the policy's logs are from, as for ingest (reports merge all servers).")
    var source = IngestSource.defaultName

    @Option(help: "The period's last day, YYYY-MM-DD (default: the last day of the logs).")
    var until: DayArgument?

    @Flag(name: .shortAndLong, help: "Print nothing but errors and the final line.")
    var quiet = false

    func validate() throws {
        try Ingest.validate(source: source)
    }

    func run() async throws {
        let configuration = try storeOptions.loadConfiguration()
        let job = NightlyJob(
            configuration: configuration, store: storeOptions.access, source: source,
            until: until?.day, quiet: quiet)
        let result = try await job.run(log: Terminal.log)
        Terminal.output(result.text(quiet: quiet))
        if result.isIncomplete { throw ExitCode(1) }
    }
}
