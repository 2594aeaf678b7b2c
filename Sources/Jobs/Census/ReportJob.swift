public import Census
import Foundation
public import Reports

/// `mailcensus report`: the adoption report, to standard output or to files.
public struct ReportJob: Sendable {
    public var configuration: Configuration
    public var store: StoreAccess
    public var query: CensusQuery
    public var format: ReportFormat
    /// The report's path; nil for standard output (the result's text).
    public var out: String?
    /// nil for the policy's language.
    public var language: ReportLanguage?
    public var byteOrderMark: Bool
    /// The time the report says it was made, in UTC seconds.
    public var now: Int64

    public init(
        configuration: Configuration, store: StoreAccess, query: CensusQuery, format: ReportFormat, out: String?,
        language: ReportLanguage? = nil, byteOrderMark: Bool = true, now: Int64 = CensusRun.now()
    ) {
        self.configuration = configuration
        self.store = store
        self.query = query
        self.format = format
        self.out = out
        self.language = language
        self.byteOrderMark = byteOrderMark
        self.now = now
    }

    /// What the job made.
    public enum Result: Sendable {
        /// The report, for standard output.
        case text(String)
        /// The files written, and the report in them.
        case files([String], CensusReport)

        /// What the command prints: the report, or the files written and what they hold.
        public var text: String {
            switch self {
            case .text(let text): text
            case .files(let written, let report):
                "Wrote \(written.joined(separator: ", ")): \(report.departments.count) departments, "
                    + "\(report.total.headcount) staff, \(CensusRun.describe(report.period)).\n"
                    + (ClientSummary.line(report).map { $0 + "\n" } ?? "")
            }
        }
    }

    /// Refuses an `--out` whose folder does not exist, before anything is read.
    ///
    /// - Throws: `JobError` (bad input) naming the folder.
    public static func checkOut(_ out: String?) throws {
        if let out, let missing = ReportFiles.missingFolder(of: out) {
            throw JobError(.badInput, "--out \(out): the folder \(missing) does not exist; create it first")
        }
    }

    public func run(log: JobLog) throws -> Result {
        var query = query
        query.privacy = query.privacy || configuration.report.privacy
        let (report, _) = try query.census(configuration: configuration, store: try store.openForReading(), log: log)
        let language = language ?? configuration.report.language
        let generatedAt = ReportTime(utcSeconds: now, offsetSeconds: configuration.policy.utcOffset)
        guard let out else {
            return .text(
                format.render(report, language: language, generatedAt: generatedAt, byteOrderMark: byteOrderMark)[0]
                    .text)
        }
        var written = try CensusRun.write(
            report, format: format, language: language, to: out, generatedAt: generatedAt,
            byteOrderMark: byteOrderMark)
        let candidates = ((out as NSString).deletingPathExtension) + "-candidates.csv"
        if let path = try CensusRun.writeCandidates(
            report, language: language, to: candidates, byteOrderMark: byteOrderMark)
        {
            written.append(path)
        }
        return .files(written, report)
    }
}
