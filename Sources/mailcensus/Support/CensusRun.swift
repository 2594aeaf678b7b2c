public import ArgumentParser
import Basics
import Census
import CensusStore
import Foundation
import Reports

/// The adoption census from the store, the roster and the policy, as `report` and `nightly`
/// make it.
enum CensusRun {
    /// The census of the `days` days ending on `until` (default: the last day of the logs), of
    /// the sources chosen.
    static func report(
        store: any Store, policy: Policy, roster: Roster, days: Int, until: Int?, privacy: Bool,
        sources: SourceSelection
    ) throws -> CensusReport {
        let coverage = try store.coverage(sources: sources)
        let today = CivilTime.today(offsetSeconds: policy.utcOffset)
        let period = DayRange(days: days, endingOn: until ?? coverage?.upperBound ?? today)
        let weeks = policy.report.trendWeeks
        // Attribution weighs the evidence of every day the store holds.
        let from = min(period.previous.from, period.through - 7 * weeks + 1, coverage?.lowerBound ?? Int.max)
        let data = try store.censusData(from: from, through: period.through, sources: sources)
        let report = AdoptionCensus(
            policy: policy, roster: roster.members, data: data,
            confirmations: try confirmations(policy: policy, roster: roster)
        ).report(period: period, trendWeeks: weeks)
        return privacy ? published(report, policy: policy) : report
    }

    /// IT's decisions in the policy's `attributions_file`; every bad row is named, and stops
    /// the run (exit 2) as a bad roster does.
    static func confirmations(policy: Policy, roster: Roster) throws -> Confirmations {
        guard let path = policy.attributionsFile else { return Confirmations() }
        let confirmations = try Confirmations.load(path: path, employees: Set(roster.members.map(\.employeeID)))
        for problem in confirmations.problems { Terminal.error("\(path):\(problem.line): error: \(problem.message)") }
        if confirmations.hasFatalProblems {
            Terminal.error("mailcensus: fix the attributions file first (\(path))")
            throw ExitCode(2)
        }
        return confirmations
    }

    /// Writes the attribution candidates of a report that names people (for IT to confirm, in
    /// the columns of the policy's `attributions_file`) to `path`; nil for a published edition.
    static func writeCandidates(
        _ report: CensusReport, language: ReportLanguage, to path: String, byteOrderMark: Bool
    ) throws -> String? {
        guard !report.isPrivate else { return nil }
        try ReportFiles.write(
            CensusCSV.candidates(report, language: language, byteOrderMark: byteOrderMark), to: path)
        return path
    }

    /// The edition of `report` fit to publish: no names, small groups hidden.
    static func published(_ report: CensusReport, policy: Policy) -> CensusReport {
        report.redacted(minimumGroup: policy.report.minimumGroup)
    }

    /// `2026-11-01 – 2026-11-30`.
    static func describe(_ period: DayRange) -> String {
        "\(CivilTime.isoDate(days: period.from)) – \(CivilTime.isoDate(days: period.through))"
    }

    /// Now, on the mail server's clock.
    static func generatedAt(_ policy: Policy) -> ReportTime {
        ReportTime(utcSeconds: Int64(Date().timeIntervalSince1970), offsetSeconds: policy.utcOffset)
    }

    /// Writes `report` in `format` to `path` (and CSV's people beside it, each CSV file starting
    /// with the byte-order mark when `byteOrderMark`); returns the paths.
    static func write(
        _ report: CensusReport, format: ReportFormat, language: ReportLanguage, to path: String,
        generatedAt: ReportTime, byteOrderMark: Bool
    ) throws -> [String] {
        var written: [String] = []
        for file in format.render(
            report, language: language, generatedAt: generatedAt, byteOrderMark: byteOrderMark)
        {
            let target = ReportFiles.path(path, suffix: file.suffix)
            try ReportFiles.write(file.text, to: target)
            written.append(target)
        }
        return written
    }
}

extension ReportOptions {
    /// The census these options name (their roster, last day and sources) over `days` (default:
    /// the policy's activity window), with its roster.
    func census(
        _ storeOptions: StoreOptions, policy: Policy, store: any Store, days: Int? = nil, privacy: Bool = false
    ) throws -> (CensusReport, Roster) {
        let roster = try loadRoster(storeOptions, policy: policy)
        let report = try CensusRun.report(
            store: store, policy: policy, roster: roster, days: days ?? policy.activityWindowDays, until: until?.day,
            privacy: privacy, sources: sourceOptions.selection(policy))
        return (report, roster)
    }
}

/// A period length argument: `30d`, `4w`, `30`.
struct PeriodArgument: ExpressibleByArgument {
    let days: Int

    init?(argument: String) {
        guard let days = Policy.days(argument), days > 0, days <= 3660 else { return nil }
        self.days = days
    }
}

/// `report --format`.
extension ReportFormat: ExpressibleByArgument {}

/// `--lang`.
extension ReportLanguage: ExpressibleByArgument {}
