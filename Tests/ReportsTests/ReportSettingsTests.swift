import Census
import Reports
import Testing

@Suite("ReportSettings: the policy's report section, read by Reports")
struct ReportSettingsTests {
    func settings(_ yaml: String) throws -> ReportSettings {
        try ReportSettings(
            document: try PolicyDocument.parse(yaml: "official_domains: [a.vn]\n" + yaml, location: "p.yaml"))
    }

    @Test("the language and formats as the report's enums; a relative folder from the policy's")
    func typed() throws {
        let settings = try ReportSettings(
            document: try PolicyDocument.parse(
                yaml: "official_domains: [a.vn]\nreport: {language: En, formats: [json, csv], folder: out}\n",
                location: "/etc/mailcensus/policy.yaml"))
        #expect(settings.language == .en)
        #expect(settings.formats == [.json, .csv])
        #expect(settings.folder == "/etc/mailcensus/out")
        #expect(try self.settings("") == ReportSettings())
    }

    @Test(
        "a wrong value names its key path",
        arguments: [
            ("report: {language: fr}", "p.yaml: report.language: must be vi or en"),
            ("report: {formats: [html, pdf]}", "p.yaml: report.formats[1]: must be html, csv, json or md"),
            ("report: {trend_weeks: 200}", "p.yaml: report.trend_weeks: must be a whole number from 0 to 104"),
        ])
    func invalid(_ yaml: String, _ message: String) {
        let error = #expect(throws: CensusError.self) { try settings(yaml) }
        #expect(error?.description == message)
    }
}
