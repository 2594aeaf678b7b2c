import ArgumentParser
import Census
import CensusStore
import Foundation
import Reports

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the adoption report: per department, who uses the official mail service.",
        discussion: """
            The period is the last --period days of the logs in the store (or up to --until). \
            html: one self-contained page with charts; csv: departments (and PATH-people.csv, \
            one row a person); json: every figure (README.md names the keys); md: Markdown. \
            Beside a report written to a file, PATH-candidates.csv lists the webmail addresses the \
            evidence ties to staff, and the rivals of those it could not, for IT to confirm (yes/no \
            in its decision column; the policy's attributions_file reads it back). \
            --privacy (or the policy's report.privacy) leaves names and addresses out and hides \
            groups under the policy's minimum_group, for a published report. Every CSV file starts \
            with the UTF-8 byte-order mark, so that Excel reads the Vietnamese right (--no-bom \
            leaves it out, for scripts).
            """)

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var reportOptions: ReportOptions

    @Option(help: "html, csv, json or md.")
    var format: ReportFormat = .html

    @Option(help: "Where to write the report; - for standard output.")
    var out = "-"

    @Option(help: "The period: 30d, 4w, … (default: the policy's activity_window).")
    var period: PeriodArgument?

    @Flag(help: "Leave names and addresses out; hide small groups.")
    var privacy = false

    @OptionGroup var csvOptions: CSVOptions

    func run() throws {
        if out != "-", let missing = ReportFiles.missingFolder(of: out) {
            Terminal.error("mailcensus: --out \(out): the folder \(missing) does not exist; create it first")
            throw ExitCode(2)
        }
        let policy = try storeOptions.loadPolicy()
        let (report, _) = try reportOptions.census(
            storeOptions, policy: policy, store: try storeOptions.openStoreForReading(), days: period?.days,
            privacy: privacy || policy.report.privacy)
        let language = reportOptions.language(policy)
        let generatedAt = CensusRun.generatedAt(policy)
        if out == "-" {
            Terminal.output(
                format.render(
                    report, language: language, generatedAt: generatedAt, byteOrderMark: csvOptions.byteOrderMark)[0]
                    .text)
            return
        }
        var written = try CensusRun.write(
            report, format: format, language: language, to: out, generatedAt: generatedAt,
            byteOrderMark: csvOptions.byteOrderMark)
        let candidates = ((out as NSString).deletingPathExtension) + "-candidates.csv"
        if let path = try CensusRun.writeCandidates(
            report, language: language, to: candidates, byteOrderMark: csvOptions.byteOrderMark)
        {
            written.append(path)
        }
        Terminal.output(
            "Wrote \(written.joined(separator: ", ")): \(report.departments.count) departments, "
                + "\(report.total.headcount) staff, \(CensusRun.describe(report.period)).\n")
    }
}
