import ArgumentParser
import CensusStore
import Jobs
import MailLog

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read mail logs into the store; incremental and safe to rerun.",
        discussion: """
            Reads Postfix and Dovecot logs: plain or .gz, whole rotated sets (mail.log.2.gz, \
            mail.log.1, mail.log are read oldest first), in classic syslog, ISO 8601, RFC 5424 or \
            journalctl -o short-iso form. A file read before resumes where it stopped, even after \
            rotation renamed or compressed it. Lines no format fits are counted and a few shown; \
            they never stop the run.

            Exit status: 0 when anything could be read; 2 when no file could be read.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Option(
        help: ArgumentHelp(
            "The mail server these logs are from: a short name, like portal or giaoduc.",
            discussion: """
                Each server's figures, checkpoints and open messages are kept apart, so several servers can \
                ingest into one PostgreSQL store at once; reports merge them, or show one (--source).
                """))
    var source = IngestSource.defaultName

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false

    @Option(help: ArgumentHelp("Bytes of log between two commits to the store.", visibility: .hidden))
    var commitInterval: Int64?

    @Argument(help: "Log files (e.g. /var/log/mail.log*).")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one log file") }
        try Ingest.validate(source: source)
    }

    static func validate(source: String) throws {
        guard IngestSource.isValid(name: source) else {
            throw ValidationError("--source \(source): use 1 to 64 of a-z, 0-9, '.', '_' and '-'")
        }
    }

    func run() throws {
        let configuration = try storeOptions.loadConfiguration()
        let store = try storeOptions.access.open(mustExist: false)
        let progress: ((IngestProgress) -> Void)? =
            quiet || !Terminal.standardErrorIsTerminal ? nil : { Terminal.status(IngestText.progress($0)) }
        let job = IngestJob(
            files: files, source: source, quiet: quiet, commitInterval: commitInterval, progress: progress)
        let report = try job.run(policy: configuration.policy, store: store, log: Terminal.log)
        Terminal.clearStatus()
        if !quiet { Terminal.output(IngestText.summary(report, store: store.location, source: source)) }
        if !report.anythingReadable { throw ExitCode(2) }
    }
}
