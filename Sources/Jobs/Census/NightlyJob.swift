import Basics
public import Census
public import CensusStore
import Foundation
public import MailLog
import Relay
import Reports

/// `mailcensus nightly`: ingest the policy's logs, write its reports, queue and send its
/// notices when the relay is on.
public struct NightlyJob: Sendable {
    public var configuration: Configuration
    public var store: StoreAccess
    /// The mail server the policy's logs are from.
    public var source: String
    /// The period's last day; nil for the last day of the logs.
    public var until: Int?
    public var quiet: Bool
    /// The time the reports say they were made, in UTC seconds.
    public var now: Int64

    public init(
        configuration: Configuration, store: StoreAccess, source: String = IngestSource.defaultName,
        until: Int? = nil, quiet: Bool = false, now: Int64 = CensusRun.now()
    ) {
        self.configuration = configuration
        self.store = store
        self.source = source
        self.until = until
        self.quiet = quiet
        self.now = now
    }

    /// What the night did.
    public struct Result: Sendable {
        /// The log files the policy's patterns matched.
        public var files: Int
        public var ingest: IngestReport
        /// The report on disk (the published edition when the policy says so).
        public var report: CensusReport
        /// The folder of the reports.
        public var folder: String
        /// The files written, in order.
        public var written: [String]
        /// What relaying did, when the relay is on: the notices queued and the send; nil when
        /// the relay is off.
        public var relay: Relayed?
        /// Whether a report could not be written or a notice not sent.
        public var failed: Bool

        /// What relaying did.
        public enum Relayed: Sendable {
            case sent(queued: Int, RelayOutcome)
            /// Nothing was sent: the error was reported.
            case notSent
        }

        /// Log files that could not be read.
        public var unreadable: Int { ingest.files.filter { $0.status == .failed }.count }

        /// Whether the run should end with status 1: something was left undone.
        public var isIncomplete: Bool { failed || unreadable > 0 }

        /// The one line of the night, and (unless `quiet`) which file to open.
        public func text(quiet: Bool) -> String {
            let total = report.total
            var line = "mailcensus nightly: \(ingest.statistics.linesRead) new log lines from \(files) file(s)"
            if unreadable > 0 { line += " (\(unreadable) unreadable)" }
            line += "; \(CensusRun.describe(report.period)): \(total.headcount) staff, "
            line += total.officialActivePercent.map { String(format: "%.1f%%", $0) } ?? "—"
            line += " using official mail; reports in \(folder)/ ("
            line += written.map { ($0 as NSString).lastPathComponent }.joined(separator: ", ") + ")"
            switch relay {
            case .sent(let queued, let outcome)?: line += "; relay: \(queued) queued, " + outcome.summary
            case .notSent?: line += "; relay: not sent"
            case nil: break
            }
            var text = line + "\n"
            if !quiet && !written.isEmpty {
                text += "Open \(written.first { $0.hasSuffix(".html") } ?? written[0])\n"
            }
            return text
        }
    }

    /// Runs the night.
    ///
    /// - Throws: `CensusError` naming the policy's key when it names no logs or no roster;
    ///   `JobError` (bad input) when no log file matches, or none could be read (stopped, the
    ///   files' problems reported); the roster's and the store's errors.
    public func run(log: JobLog) async throws -> Result {
        let policy = configuration.policy
        let policyPath = configuration.path
        let nightly = configuration.nightly
        let settings = configuration.report
        guard !nightly.logs.isEmpty else {
            throw CensusError(
                .policyInvalid, location: "\(policyPath): nightly.logs",
                "names no logs; list the mail server's log files, like /var/log/mail.log*")
        }
        guard let rosterPath = nightly.roster else {
            throw CensusError(
                .policyInvalid, location: "\(policyPath): nightly.roster", "names no roster; give HR's CSV")
        }
        let files = nightly.logs.flatMap(RotatedSet.expand)
        guard !files.isEmpty else {
            throw JobError(.badInput, "no log file matches \(nightly.logs.joined(separator: ", "))")
        }
        let roster = try Inputs.roster(rosterPath, configuration: configuration, log: log)
        let store = try store.open(mustExist: false)
        let ingest = try IngestJob(files: files, source: source, quiet: quiet).run(
            policy: policy, store: store, log: log)
        guard ingest.anythingReadable else { throw JobError(.stopped(.badInput)) }
        // The reports on disk are the published edition when the policy says so; the heads'
        // copies by mail always name their people.
        let full = try CensusRun.report(
            store: store, configuration: configuration, roster: roster, days: policy.activityWindowDays, until: until,
            privacy: false, sources: SourceSelection(province: policy.province), log: log)
        let report = settings.privacy ? CensusRun.published(full, settings: settings) : full
        let folder = ((settings.folder ?? "reports") as NSString)
            .appendingPathComponent(CivilTime.isoDate(days: report.period.through))
        try ReportFiles.makeFolder(folder)
        let language = settings.language
        let generatedAt = ReportTime(utcSeconds: now, offsetSeconds: policy.utcOffset)
        var written: [String] = []
        var failed = false
        for format in settings.formats {
            let path = (folder as NSString).appendingPathComponent("report.\(format.rawValue)")
            do {
                written += try CensusRun.write(
                    report, format: format, language: language, to: path, generatedAt: generatedAt,
                    byteOrderMark: settings.csvByteOrderMark)
            } catch {
                log("mailcensus: \(error)")
                failed = true
            }
        }
        do {
            // Names people: not beside a published edition.
            let path = (folder as NSString).appendingPathComponent("candidates.csv")
            if let candidates = try CensusRun.writeCandidates(
                report, language: language, to: path, byteOrderMark: settings.csvByteOrderMark)
            {
                written.append(candidates)
            }
        } catch {
            log("mailcensus: \(error)")
            failed = true
        }
        var relayed: Result.Relayed?
        if configuration.relay.enabled {
            do {
                let context = try Relaying.context(configuration, language: language, now: CensusRun.now())
                let queued = try RelayQueue.enqueueReport(
                    full, roster: roster.members, policy: policy, context: context, into: store)
                let session = try RelayServer().session(configuration)
                let outcome = try await Relaying.sendDue(
                    store, session: session, settings: configuration.relay, log: log)
                relayed = .sent(queued: queued.queued, outcome)
                if outcome.isIncomplete { failed = true }
            } catch {
                log("mailcensus: the reports were not sent: \(error)")
                relayed = .notSent
                failed = true
            }
        }
        return Result(
            files: files.count, ingest: ingest, report: report, folder: folder, written: written, relay: relayed,
            failed: failed)
    }
}
