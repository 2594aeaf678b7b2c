import Census
import Foundation
import Testing

@testable import Reports

@Suite("Adoption report in every format")
struct CensusReportTests {
    static let report = ReportFixture.report

    @Test("golden files: HTML, Markdown, JSON, CSV, in Vietnamese and English")
    func golden() throws {
        let report = Self.report
        try assertGolden(CensusHTML.render(report, language: .vi), "report.vi.html")
        try assertGolden(CensusHTML.render(report, language: .en), "report.en.html")
        try assertGolden(CensusMarkdown.render(report, language: .vi), "report.vi.md")
        try assertGolden(CensusMarkdown.render(report, language: .en), "report.en.md")
        try assertGolden(CensusJSON.render(report), "report.json")
        try assertGolden(CensusCSV.departments(report), "report.csv")
        try assertGolden(CensusCSV.people(report), "report-people.csv")
    }

    @Test("golden files of the published edition: no names, small groups hidden")
    func goldenPrivate() throws {
        let report = Self.report.redacted(minimumGroup: 5)
        try assertGolden(CensusHTML.render(report, language: .vi), "public.vi.html")
        try assertGolden(CensusJSON.render(report), "public.json")
        try assertGolden(CensusCSV.departments(report), "public.csv")
    }

    @Test("the fixture's figures are what the definitions say")
    func figures() throws {
        let report = Self.report
        let stttt = try #require(report.departments.first { $0.code == "STTTT" })
        #expect(stttt.headcount == 6 && stttt.accounts == 5)
        #expect(stttt.categories[.official] == 1)  // An
        #expect(stttt.categories[.mixed] == 1)  // Bình, with her declared Gmail
        #expect(stttt.categories[.webmail] == 2)  // Dung (inferred), Minh (forwards; last login in October)
        #expect(stttt.categories[.dormant] == 2)  // Cường, Nguyệt
        let dung = try #require(stttt.staff.first { $0.employeeID == "E04" })
        #expect(dung.webmail.first?.kind == .inferred)
        let snv = try #require(report.departments.first { $0.code == "SNV" })
        #expect(snv.headcount == 5)  // Phúc left
        #expect(snv.topUnattributed.map(\.address) == [ReportFixture.hostileLogAddress, "hoamai1990@yahoo.com"])
        #expect(report.trend.count == 4)
        #expect(report.total.previous?.officialActivePercent != nil)
    }

    @Test("the published edition names nobody and hides groups under five")
    func privacy() throws {
        let report = Self.report.redacted(minimumGroup: 5)
        let vuban = try #require(report.departments.first { $0.code == "UBVUBAN" })
        #expect(vuban.isSuppressed)
        let stttt = try #require(report.departments.first { $0.code == "STTTT" })
        #expect(stttt.staff.isEmpty && stttt.topUnattributed.isEmpty && report.attributions.isEmpty)
        // Every category of STTTT has 1 or 2 people: all hidden, and so is the official-active count.
        #expect(stttt.suppressedCategories == [.official, .mixed, .webmail, .dormant])
        #expect(stttt.isOfficialActiveSuppressed)
        // Vụ Bản's three could be worked out from the province less the others: hidden there too.
        #expect(report.total.suppressedCategories == [.official, .mixed, .webmail, .dormant, .noAccount])
        for text in [
            CensusHTML.render(report, language: .vi), CensusMarkdown.render(report, language: .en),
            CensusJSON.render(report), CensusCSV.departments(report) + CensusCSV.people(report),
        ] {
            for secret in ["Nguyễn Văn An", "annv@", "binh.tran@gmail.com", "hoamai1990", "Dương Thị Quyên"] {
                #expect(!text.contains(secret), "\(secret)")
            }
        }
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(CensusJSON.render(report).utf8)) as? [String: Any])
        let departments = try #require(json["departments"] as? [[String: Any]])
        let first = try #require(departments.first { $0["code"] as? String == "STTTT" })
        let categories = try #require(first["categories"] as? [String: [String: Any]])
        #expect(categories["official"]?["count"] is NSNull)
        #expect(categories["official"]?["suppressed"] as? Bool == true)
        #expect(categories["no-account"]?["count"] as? Int == 0)
    }

    @Test("Markdown escapes a | or < with a combining mark after it; a line break is one space")
    func markdownScalars() {
        #expect(CensusMarkdown.escape("a|\u{301}b <\u{338}img>") == "a\\|\u{301}b \\<\u{338}img\\>")
        #expect(CensusMarkdown.escape("x\r\ny\nz\rw") == "x y z w")
        #expect(CensusMarkdown.escape("Nguyễn Văn An") == "Nguyễn Văn An")
    }

    @Test("hostile names and addresses: escaped in HTML, inert in Markdown, neutralised in CSV, intact in JSON")
    func hostile() throws {
        let report = Self.report
        let html = CensusHTML.render(report, language: .en)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("Sở Nội vụ &lt;b&gt;"))
        // Right-to-left and invisible characters stay inside their own isolated element.
        #expect(html.contains("<bdi>=HYPERLINK(&quot;http://evil.example&quot;"))
        #expect(!html.contains("<script") && !html.contains("javascript:"))
        let markdown = CensusMarkdown.render(report, language: .en)
        #expect(!markdown.contains("<script>") && markdown.contains("\\<script\\>"))
        #expect(markdown.contains("=cmd\\|'/c"))  // a bare | would break the table
        let people = CensusCSV.people(report)
        let row = try #require(people.split(separator: "\r\n").first { $0.hasPrefix("E10,") })
        #expect(row.hasPrefix("E10,\"'=HYPERLINK("))
        // An address from a log at a cell's start is neutralised too; in HTML it is text.
        #expect(CensusCSV.departments(report).contains(",'" + ReportFixture.hostileLogAddress))
        #expect(!html.contains("<img") && html.contains("&lt;img src=x&gt;"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(CensusJSON.render(report).utf8)) as? [String: Any])
        let staff = (json["departments"] as? [[String: Any]])?.flatMap { ($0["staff"] as? [[String: Any]]) ?? [] }
        #expect(staff?.contains { $0["name"] as? String == ReportFixture.hostileName } == true)
        let unattributed = (json["departments"] as? [[String: Any]])?
            .flatMap { ($0["top_unattributed"] as? [[String: Any]]) ?? [] }.compactMap { $0["address"] as? String }
        #expect(unattributed?.contains(ReportFixture.hostileLogAddress) == true)
    }

    @Test("numbers: Vietnamese decimal commas, changes with their sign, JSON rounded to one decimal")
    func numbers() {
        #expect(JSONWriter.decimal(13.6312, decimals: 1) == "13.6")
        #expect(JSONWriter.decimal(40, decimals: 1) == "40")
        #expect(JSONWriter.decimal(-2.26, decimals: 1) == "-2.3")
        let html = CensusHTML.render(Self.report, language: .vi)
        // STTTT: 5 accounts of 6 staff, with the Vietnamese decimal comma.
        #expect(html.contains(">5 (83,3%)<") && html.contains("Kỳ báo cáo: 01/11/2026 – 30/11/2026 (30 ngày)"))
        #expect(CensusHTML.render(Self.report, language: .en).contains(">5 (83.3%)<"))
        #expect(CSVWriter.cell("-3.5") == "-3.5")
        #expect(CSVWriter.cell("-x") == "'-x")
    }
}
