import ArgumentParser
import Basics
import Census
import CensusStore
import Foundation
import MailLog
import Relay
import Reports

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
        let policy = try storeOptions.loadPolicy()
        guard !policy.nightly.logs.isEmpty else {
            throw CensusError(
                .policyInvalid, location: "\(storeOptions.policyPath): nightly.logs",
                "names no logs; list the mail server's log files, like /var/log/mail.log*")
        }
        guard let rosterPath = policy.nightly.roster else {
            throw CensusError(
                .policyInvalid, location: "\(storeOptions.policyPath): nightly.roster",
                "names no roster; give HR's CSV")
        }
        let files = policy.nightly.logs.flatMap(RotatedSet.expand)
        guard !files.isEmpty else {
            Terminal.error("mailcensus: no log file matches \(policy.nightly.logs.joined(separator: ", "))")
            throw ExitCode(2)
        }
        let roster = try storeOptions.loadRoster(rosterPath, policy: policy)
        let store = try storeOptions.openStore(mustExist: false)
        let ingest = try Ingest.perform(files, policy: policy, store: store, source: source, quiet: quiet)
        guard ingest.anythingReadable else { throw ExitCode(2) }
        // The reports on disk are the published edition when the policy says so; the heads'
        // copies by mail always name their people.
        let full = try CensusRun.report(
            store: store, policy: policy, roster: roster, days: policy.activityWindowDays, until: until?.day,
            privacy: false, sources: SourceSelection(province: policy.province))
        let report = policy.report.privacy ? CensusRun.published(full, policy: policy) : full
        let folder = ((policy.report.folder ?? "reports") as NSString)
            .appendingPathComponent(CivilTime.isoDate(days: report.period.through))
        try ReportFiles.makeFolder(folder)
        let language = ReportLanguage(policy: policy)
        let generatedAt = CensusRun.generatedAt(policy)
        var written: [String] = []
        var failed = false
        for name in policy.report.formats {
            guard let format = ReportFormat(rawValue: name) else { continue }
            let path = (folder as NSString).appendingPathComponent("report.\(format.rawValue)")
            do {
                written += try CensusRun.write(
                    report, format: format, language: language, to: path, generatedAt: generatedAt,
                    byteOrderMark: policy.report.csvByteOrderMark)
            } catch {
                Terminal.error("mailcensus: \(error)")
                failed = true
            }
        }
        do {
            // Names people: not beside a published edition.
            let path = (folder as NSString).appendingPathComponent("candidates.csv")
            if let candidates = try CensusRun.writeCandidates(
                report, language: language, to: path, byteOrderMark: policy.report.csvByteOrderMark)
            {
                written.append(candidates)
            }
        } catch {
            Terminal.error("mailcensus: \(error)")
            failed = true
        }
        var relayed = ""
        if policy.relay.enabled {
            do {
                let context = try RelayCommand.context(
                    policy: policy, policyPath: storeOptions.policyPath, language: language)
                let queued = try RelayQueue.enqueueReport(
                    full, roster: roster.members, policy: policy, context: context, into: store)
                let session = try RelayCommand.session(policy: policy, policyPath: storeOptions.policyPath)
                let run = try await RelayCommand.sendDue(store, session: session, policy: policy)
                relayed = "; relay: \(queued.queued) queued, " + RelayCommand.summary(run, session: session)
                if run.stopped != nil || !run.failed.isEmpty { failed = true }
            } catch {
                Terminal.error("mailcensus: the reports were not sent: \(error)")
                relayed = "; relay: not sent"
                failed = true
            }
        }
        let unreadable = ingest.files.filter { $0.status == .failed }.count
        let total = report.total
        var line = "mailcensus nightly: \(ingest.statistics.linesRead) new log lines from \(files.count) file(s)"
        if unreadable > 0 { line += " (\(unreadable) unreadable)" }
        line += "; \(CensusRun.describe(report.period)): \(total.headcount) staff, "
        line += total.officialActivePercent.map { String(format: "%.1f%%", $0) } ?? "—"
        line += " using official mail; reports in \(folder)/ ("
        line += written.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + ")" + relayed
        Terminal.output(line + "\n")
        if !quiet && !written.isEmpty {
            Terminal.output("Open \(written.first { $0.hasSuffix(".html") } ?? written[0])\n")
        }
        if failed || unreadable > 0 { throw ExitCode(1) }
    }
}
