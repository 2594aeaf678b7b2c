import ArgumentParser
import Census
import CensusStore
import Foundation
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
        let policy = try storeOptions.loadPolicy()
        let store = try storeOptions.openStore(mustExist: false)
        let report = try Ingest.perform(
            files, policy: policy, store: store, source: source, quiet: quiet, commitInterval: commitInterval)
        if !quiet { Terminal.output(Ingest.summary(report, store: store.location, source: source)) }
        if !report.anythingReadable { throw ExitCode(2) }
    }

    /// Ingests `files` of the mail server `source` into `store`, printing problems and progress
    /// on a terminal (unless `quiet`).
    static func perform(
        _ files: [String], policy: Policy, store: any Store, source: String, quiet: Bool,
        commitInterval: Int64? = nil
    ) throws -> IngestReport {
        let ingestSource = IngestSource(name: source, province: policy.province)
        let hold = try store.hold(.ingest(ingestSource))
        defer { withExtendedLifetime(hold) {} }
        var options = IngestOptions(utcOffset: policy.utcOffset, loginDomain: policy.loginDomain)
        if let stored = try store.utcOffset(), stored != policy.utcOffset {
            throw ValidationError(
                "the store counts days at UTC offset \(stored / 3600)h but the policy says \(policy.utcOffset / 3600)h; "
                    + "use a new store or fix utc_offset")
        }
        if let commitInterval { options.commitInterval = max(1, commitInterval) }
        let showProgress = !quiet && Terminal.standardErrorIsTerminal
        let progress: ((IngestProgress) -> Void)? = showProgress ? { Ingest.showProgress($0) } : nil
        func ingest(into sink: some IngestSink) throws -> IngestReport {
            try Ingestor(sink: sink, options: options).run(paths: files, progress: progress)
        }
        let report = try ingest(into: try store.sink(for: ingestSource))
        Terminal.clearStatus()
        for file in report.files {
            if let error = file.error { Terminal.error("mailcensus: \(error)") }
            if file.unrecognised > 0 {
                Terminal.error(
                    "mailcensus: \(file.path): skipped \(file.unrecognised) line(s) in no known log format, e.g.:")
                for sample in file.samples { Terminal.error("  \(sample)") }
            }
            if file.unreadableHeaders > 0 {
                Terminal.error(
                    "mailcensus: \(file.path): \(file.unreadableHeaders) From header(s) not recorded as display names "
                        + "(their messages are counted), e.g.:")
                for sample in file.headerSamples { Terminal.error("  \(sample)") }
            }
            if file.unfinishedTail > 0 && !quiet {
                Terminal.error(
                    "mailcensus: \(file.path): the last line is unfinished (\(file.unfinishedTail) bytes); "
                        + "it will be read by the next run")
            }
        }
        return report
    }

    static func summary(_ report: IngestReport, store: String, source: String) -> String {
        let stats = report.statistics
        let read = report.files.filter { $0.status == .read }.count
        let unchanged = report.files.filter { $0.status == .unchanged }.count
        let failed = report.files.filter { $0.status == .failed }.count
        var text = "Ingested \(stats.linesRead) new lines from \(read) file(s)"
        if unchanged > 0 { text += ", \(unchanged) unchanged" }
        if failed > 0 { text += ", \(failed) unreadable" }
        text += " into \(store)" + (source == IngestSource.defaultName ? ".\n" : " (source \(source)).\n")
        text += "  lines: \(stats.linesParsed) mail, \(stats.linesSkipped) skipped"
        text += " (\(stats.linesUnrecognised) in no known format)\n"
        text += "  messages: \(stats.messages) accepted (\(stats.submissions) authenticated submissions), "
        text += "\(stats.notifications) bounce notifications, \(stats.rejected) rejected\n"
        text +=
            "  deliveries: \(stats.delivered) to mailboxes, \(stats.relayed) relayed out, \(stats.bounced) bounced, "
        text += "\(stats.deferred) deferred attempts, \(stats.expired) expired\n"
        text += "  logins: \(stats.logins) successful, \(stats.loginFailures) failed attempts\n"
        if stats.displayNames > 0 || stats.unreadableHeaders > 0 {
            text +=
                "  From headers: \(stats.displayNames) display names recorded, \(stats.unreadableHeaders) unreadable\n"
        }
        if report.openMessages > 0 {
            text += "  \(report.openMessages) message(s) still in the queue at the end; they complete on the next run\n"
        }
        return text
    }

    static func showProgress(_ progress: IngestProgress) {
        let rate = progress.elapsed > 0 ? Double(progress.lines) / progress.elapsed : 0
        var line = "\(Terminal.bytes(progress.bytesDone)) of \(Terminal.bytes(progress.bytesTotal))"
        line += String(format: "  %.0fk lines/s", rate / 1000)
        if progress.bytesDone > 0 && progress.bytesTotal > progress.bytesDone {
            let remaining =
                progress.elapsed * Double(progress.bytesTotal - progress.bytesDone) / Double(progress.bytesDone)
            line += String(format: "  ETA %d:%02d", Int(remaining) / 60, Int(remaining) % 60)
        }
        Terminal.status(line + "  " + (progress.path as NSString).lastPathComponent)
    }
}
