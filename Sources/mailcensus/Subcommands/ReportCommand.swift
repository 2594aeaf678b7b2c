import ArgumentParser
import Jobs
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
        try ReportJob.checkOut(out == "-" ? nil : out)
        let configuration = try storeOptions.loadConfiguration()
        let job = ReportJob(
            configuration: configuration, store: storeOptions.access,
            query: reportOptions.query(days: period?.days, privacy: privacy),
            format: format, out: out == "-" ? nil : out, language: reportOptions.lang,
            byteOrderMark: csvOptions.byteOrderMark)
        Terminal.output(try job.run(log: Terminal.log).text)
    }
}
