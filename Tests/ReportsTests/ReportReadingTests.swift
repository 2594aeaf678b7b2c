import Basics
import Census
import Foundation
import Reports
import Testing

/// The HTML and Markdown reports as a department head reads them: numbers written as the
/// language writes them, the people to call first listed first, and nothing in English in the
/// Vietnamese edition.
@Suite("The report as people read it")
struct ReportReadingTests {
    static let report = ReportFixture.report

    @Test(
        "counts with their thousands grouped",
        arguments: [
            (0, "0", "0"), (7, "7", "7"), (999, "999", "999"), (1_863, "1.863", "1,863"),
            (12_345, "12.345", "12,345"), (1_234_567, "1.234.567", "1,234,567"),
        ])
    func counts(value: Int, vi: String, en: String) {
        #expect(ReportLanguage.vi.count(value) == vi)
        #expect(ReportLanguage.en.count(value) == en)
    }

    @Test(
        "percentages with one decimal, however round; nil as a dash",
        arguments: [
            (50.0, "50,0%", "50.0%"), (45.63, "45,6%", "45.6%"), (100.0, "100,0%", "100.0%"), (0.04, "0,0%", "0.0%"),
            (13.65, "13,7%", "13.7%"), (1_234.5, "1.234,5%", "1,234.5%"),
        ])
    func percentages(value: Double, vi: String, en: String) {
        #expect(ReportLanguage.vi.percent(value) == vi)
        #expect(ReportLanguage.en.percent(value) == en)
    }

    @Test("nil is a dash, in every kind of figure")
    func missing() {
        for language in ReportLanguage.allCases {
            #expect(language.percent(nil) == "—")
            #expect(language.points(nil) == "—")
            #expect(language.change(nil) == "—")
        }
    }

    @Test(
        "changes in points: a sign (− for a fall), one decimal, the unit; no sign when it rounds to nothing",
        arguments: [
            (3.14, "+3,1 điểm", "+3.1 pts"), (-2.26, "−2,3 điểm", "−2.3 pts"), (7.0, "+7,0 điểm", "+7.0 pts"),
            (-0.04, "0,0 điểm", "0.0 pts"), (0.0, "0,0 điểm", "0.0 pts"), (-1_250.0, "−1.250,0 điểm", "−1,250.0 pts"),
        ])
    func changes(value: Double, vi: String, en: String) {
        #expect(ReportLanguage.vi.change(value) == vi)
        #expect(ReportLanguage.en.change(value) == en)
        // Without the unit, for texts that give it themselves.
        #expect(ReportLanguage.vi.points(value) + " điểm" == vi)
    }

    /// 2 December 2026, 10:42:17 at UTC+7.
    static let issued = ReportTime(
        utcSeconds: Int64(CivilTime.days(year: 2026, month: 12, day: 2)) * 86_400 + 3 * 3_600 + 42 * 60 + 17,
        offsetSeconds: 7 * 3_600)

    @Test("the date of issue as a reader writes it; JSON keeps ISO 8601")
    func dateOfIssue() throws {
        #expect(ReportLanguage.vi.issued(Self.issued) == "Lập lúc 10:42 ngày 02/12/2026")
        #expect(ReportLanguage.en.issued(Self.issued) == "Generated at 10:42 on 2 December 2026")
        // 20:05 UTC on 1 December is already the 2nd in Vietnam.
        let evening = ReportTime(
            utcSeconds: Int64(CivilTime.days(year: 2026, month: 12, day: 1)) * 86_400 + 20 * 3_600 + 5 * 60,
            offsetSeconds: 7 * 3_600)
        #expect(ReportLanguage.vi.issued(evening) == "Lập lúc 03:05 ngày 02/12/2026")
        let html = CensusHTML.render(Self.report, language: .vi, generatedAt: Self.issued)
        #expect(html.contains("Lập lúc 10:42 ngày 02/12/2026") && !html.contains("2026-12-02T"))
        let markdown = CensusMarkdown.render(Self.report, language: .en, generatedAt: Self.issued)
        #expect(markdown.contains("\nGenerated at 10:42 on 2 December 2026\n"))
        let json = try #require(ReportFormat.json.render(Self.report, language: .vi, generatedAt: Self.issued).first)
        #expect(json.text.contains("\"generated_at\": \"2026-12-02T10:42:17+07:00\""))
    }

    /// The employee ids of a department's people table, in the order the page lists them.
    static func order(_ html: String, department code: String) throws -> [String] {
        let start = try #require(html.range(of: "id=\"dept-\(code)\""))
        let section = html[start.upperBound...]
        let end = section.range(of: "</section>")?.lowerBound ?? section.endIndex
        return section[..<end].matches(of: try Regex(#"data-employee="([^"]+)""#)).map {
            String($0.output[1].substring!)
        }
    }

    /// The employee ids of a Markdown people table, by the names `report` gives them.
    static func order(markdown: String, department code: String, in report: CensusReport) throws -> [String] {
        let department = try #require(report.departments.first { $0.code == code })
        let ids = Dictionary(uniqueKeysWithValues: department.staff.map { ($0.name, $0.employeeID) })
        let start = try #require(markdown.range(of: "## \(department.name)\n"))
        let rest = markdown[start.upperBound...]
        let end = rest.range(of: "\n## ")?.lowerBound ?? rest.endIndex
        return rest[..<end].split(separator: "\n").compactMap { line in
            guard line.hasPrefix("| ") else { return nil }
            let name = line.dropFirst(2).prefix { $0 != "|" }.trimmingCharacters(in: .whitespaces)
            return ids[name]
        }
    }

    @Test("people in the order to call them: webmail, dormant, no account, mixed, official; most webmail first")
    func callFirst() throws {
        // STTTT: Dung (webmail, 4 messages), Minh (webmail, 1), Cường and Nguyệt (dormant), Bình
        // (mixed), An (official).
        let expected = ["E04", "E05", "E03", "E06", "E02", "E01"]
        #expect(try Self.order(CensusHTML.render(Self.report, language: .vi), department: "STTTT") == expected)
        let markdown = CensusMarkdown.render(Self.report, language: .en)
        #expect(try Self.order(markdown: markdown, department: "STTTT", in: Self.report) == expected)
        // SNV: the hostile name (webmail), Lan and Oanh (dormant), Nam (no account), Hùng (official).
        #expect(
            try Self.order(CensusHTML.render(Self.report, language: .en), department: "SNV")
                == ["E10", "E08", "E11", "E09", "E07"])

        // Whatever order the census gives them in.
        var reversed = Self.report
        for index in reversed.departments.indices { reversed.departments[index].staff.reverse() }
        #expect(try Self.order(CensusHTML.render(reversed, language: .vi), department: "STTTT") == expected)
    }

    @Test("within a category, by given name as Vietnamese lists sort, not by family name")
    func byGivenName() throws {
        var report = Self.report
        let stttt = try #require(report.departments.firstIndex { $0.code == "STTTT" })
        let cuong = try #require(report.departments[stttt].staff.firstIndex { $0.employeeID == "E03" })
        // Bùi Văn Vinh and Hoàng Thị Ánh Nguyệt, both dormant: Nguyệt before Vinh.
        report.departments[stttt].staff[cuong].name = "Bùi Văn Vinh"
        #expect(
            try Self.order(CensusHTML.render(report, language: .vi), department: "STTTT").dropFirst(2).prefix(2) == [
                "E06", "E03",
            ])
        let markdown = CensusMarkdown.render(report, language: .vi)
        #expect(
            try Self.order(markdown: markdown, department: "STTTT", in: report).dropFirst(2).prefix(2) == [
                "E06", "E03",
            ])
    }

    @Test("a count of each category above a department's people, in the order they are listed")
    func categoryCounts() throws {
        let vi = CensusHTML.render(Self.report, language: .vi)
        let line = try #require(vi.firstMatch(of: try Regex(#"<p class="counts">(.*?)</p>"#))?.output[1].substring)
        let text = String(line).replacing(try Regex("<[^>]+>"), with: "")
        #expect(
            text == "Chỉ dùng thư cá nhân: 2 · Có hộp thư, không dùng: 2 · Dùng cả hai: 1 · Chỉ dùng thư công vụ: 1")
        let markdown = CensusMarkdown.render(Self.report, language: .en)
        #expect(markdown.contains("\n**Webmail only: 1 · Dormant: 2 · No account: 1 · Official only: 1**\n"))
    }

    @Test("the last use is of the official mailbox; without one, the page does not say the person is inactive")
    func lastUse() throws {
        let vi = CensusHTML.render(Self.report, language: .vi)
        #expect(vi.contains("Lần cuối dùng hộp thư công vụ") && !vi.contains("Hoạt động gần nhất"))
        #expect(!vi.contains(">chưa có<") && !vi.contains("never"))
        // Dung (no mailbox, on Gmail) and Cường (a mailbox never opened).
        let dung = try #require(vi.firstMatch(of: try Regex(#"data-employee="E04">.*?</tr>"#))?.output[0].substring)
        #expect(dung.contains(">chưa có hộp thư<"))
        let cuong = try #require(vi.firstMatch(of: try Regex(#"data-employee="E03">.*?</tr>"#))?.output[0].substring)
        #expect(cuong.contains(">không thấy trong nhật ký<"))
        let en = CensusMarkdown.render(Self.report, language: .en)
        #expect(en.contains("| Official mailbox last used |") && en.contains("| no mailbox |"))
    }

    @Test("the Vietnamese edition names every name shape in Vietnamese, and has no English wording")
    func noEnglish() throws {
        var shapes: Set<String> = []
        for name in ["Hoàng Thị Ánh Nguyệt", "Nguyễn Văn An", "Lê Quân"] {
            for key in NameShapes.keys(for: try #require(VietnameseName(name))) { shapes.insert(key.shape) }
        }
        #expect(shapes.count >= 9, "\(shapes)")
        var report = Self.report
        let stttt = try #require(report.departments.firstIndex { $0.code == "STTTT" })
        let dung = try #require(report.departments[stttt].staff.firstIndex { $0.employeeID == "E04" })
        report.departments[stttt].staff[dung].webmail = shapes.sorted().enumerated().map { index, shape in
            var attribution = Attribution(address: "dung\(index)@gmail.com", employeeID: "E04", kind: .inferred)
            attribution.evidence.nameShape = shape
            attribution.evidence.displayNameMessages = 1_200
            attribution.evidence.selfMessages = 2
            attribution.evidence.officialMessages = 4
            attribution.evidence.departmentMessages = 3
            return attribution
        }
        let html = CensusHTML.render(report, language: .vi, generatedAt: Self.issued)
        let markdown = CensusMarkdown.render(report, language: .vi, generatedAt: Self.issued)
        // What the page shows: text outside tags, attributes and the style sheet.
        let shown = html.replacing(try Regex("(?s)<style>.*?</style>"), with: "")
            .replacing(try Regex("<[^>]+>"), with: " ")
        for text in [shown, markdown] {
            for shape in shapes { #expect(text.range(of: shape) == nil, "\(shape)") }
            for word in [
                "family", "given", "middle", "initials", "inferred", "declared", "never", "Generated", "messages",
                "shaped", "pts", "Province", "Staff",
            ] {
                #expect(
                    text.range(of: "\\b\(word)\\b", options: [.regularExpression, .caseInsensitive]) == nil, "\(word)")
            }
        }
        #expect(
            html.contains("địa chỉ có dạng họ-đệm-tên") && html.contains("tên hiển thị đúng họ tên trong 1.200 thư"))
    }
}
