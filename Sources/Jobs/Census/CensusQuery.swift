import Basics
public import Census
public import CensusStore
import Foundation
public import Reports

/// Which census: its roster, its period and its sources, as `report`, `relay` and `nightly`
/// name them.
public struct CensusQuery: Sendable {
    /// HR's roster CSV; nil for the policy's `nightly.roster`.
    public var rosterPath: String?
    /// The period's length in days; nil for the policy's activity window.
    public var days: Int?
    /// The period's last day; nil for the last day of the logs.
    public var until: Int?
    /// The mail servers whose figures count; empty for all of them.
    public var sources: [String]
    /// Whether to leave names out and hide small groups.
    public var privacy: Bool

    public init(
        rosterPath: String? = nil, days: Int? = nil, until: Int? = nil, sources: [String] = [], privacy: Bool = false
    ) {
        self.rosterPath = rosterPath
        self.days = days
        self.until = until
        self.sources = sources
        self.privacy = privacy
    }

    /// The sources asked for, of the policy's province; all of them when none is named.
    public func selection(_ policy: Policy) -> SourceSelection {
        SourceSelection(province: policy.province, names: sources.isEmpty ? nil : sources)
    }

    /// The census these settings name, with its roster.
    ///
    /// - Throws: `JobError` (usage) when no roster is named; the roster's, the store's errors.
    public func census(configuration: Configuration, store: any Store, log: JobLog) throws -> (CensusReport, Roster) {
        let policy = configuration.policy
        guard let path = rosterPath ?? configuration.nightly.roster else {
            throw JobError(.usage, "name the roster with --roster FILE (or nightly.roster in the policy)")
        }
        // The roster is read while the store is; a bad roster is reported before the store's errors.
        let (loaded, reads) = concurrently(
            { try Inputs.loadRoster(path, configuration: configuration) },
            {
                try CensusRun.reads(
                    store: store, configuration: configuration, days: days ?? policy.activityWindowDays, until: until,
                    sources: selection(policy))
            })
        let roster = try Inputs.checked(loaded, path: path, log: log)
        let report = try CensusRun.report(
            reads.get(), configuration: configuration, roster: roster, privacy: privacy, log: log)
        return (report, roster)
    }
}

/// The adoption census from the store, the roster and the policy, and its files.
public enum CensusRun {
    /// What a census reads from the store: its period, and the evidence and client use of the days
    /// it weighs.
    struct Reads: Sendable {
        var period: DayRange
        var data: CensusData
        var clients: ClientData
    }

    /// The census of the `days` days ending on `until` (default: the last day of the logs), of
    /// the sources chosen.
    public static func report(
        store: any Store, configuration: Configuration, roster: Roster, days: Int, until: Int?, privacy: Bool,
        sources: SourceSelection, log: JobLog
    ) throws -> CensusReport {
        try report(
            reads(store: store, configuration: configuration, days: days, until: until, sources: sources),
            configuration: configuration, roster: roster, privacy: privacy, log: log)
    }

    /// The store's figures for the census of the `days` days ending on `until` (default: the last
    /// day of the logs), of the sources chosen.
    static func reads(
        store: any Store, configuration: Configuration, days: Int, until: Int?, sources: SourceSelection
    ) throws -> Reads {
        let policy = configuration.policy
        let coverage = try store.coverage(sources: sources)
        let today = CivilTime.today(offsetSeconds: policy.utcOffset)
        let period = DayRange(days: days, endingOn: until ?? coverage?.upperBound ?? today)
        // Attribution weighs the evidence of every day the store holds.
        let weeks = configuration.report.trendWeeks
        let from = min(period.previous.from, period.through - 7 * weeks + 1, coverage?.lowerBound ?? Int.max)
        // The client evidence is read while the census's rows are, on a connection of its own.
        let (data, clients) = concurrently(
            { try store.censusData(from: from, through: period.through, sources: sources) },
            { try store.clientData(from: period.from, through: period.through, sources: sources) })
        return Reads(period: period, data: try data.get(), clients: try clients.get())
    }

    /// The census of `reads` for `roster`.
    static func report(
        _ reads: Reads, configuration: Configuration, roster: Roster, privacy: Bool, log: JobLog
    ) throws -> CensusReport {
        let policy = configuration.policy
        let report = AdoptionCensus(
            policy: policy, roster: roster.members, data: reads.data,
            confirmations: try Inputs.confirmations(policy: policy, roster: roster, log: log), clients: reads.clients
        ).report(period: reads.period, trendWeeks: configuration.report.trendWeeks)
        return privacy ? published(report, settings: configuration.report) : report
    }

    /// Writes the attribution candidates of a report that names people (for IT to confirm, in
    /// the columns of the policy's `attributions_file`) to `path`; nil for a published edition.
    public static func writeCandidates(
        _ report: CensusReport, language: ReportLanguage, to path: String, byteOrderMark: Bool
    ) throws -> String? {
        guard !report.isPrivate else { return nil }
        try ReportFiles.write(
            CensusCSV.candidates(report, language: language, byteOrderMark: byteOrderMark), to: path)
        return path
    }

    /// The edition of `report` fit to publish: no names, small groups hidden.
    public static func published(_ report: CensusReport, settings: ReportSettings) -> CensusReport {
        report.redacted(minimumGroup: settings.minimumGroup)
    }

    /// `2026-11-01 – 2026-11-30`.
    public static func describe(_ period: DayRange) -> String {
        "\(CivilTime.isoDate(days: period.from)) – \(CivilTime.isoDate(days: period.through))"
    }

    /// Now, in UTC seconds.
    public static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// Writes `report` in `format` to `path` (and CSV's people beside it, each CSV file starting
    /// with the byte-order mark when `byteOrderMark`); returns the paths.
    public static func write(
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
