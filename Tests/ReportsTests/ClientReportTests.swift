import Basics
import Census
import Foundation
import Reports
import Testing

/// The fixture's province with client evidence for November: the client census's figures in
/// every report.
enum ClientFixture {
    static let hostileClient = "=HYPERLINK(\"http://evil.example\")<script>alert(1)</script>"

    static func day(_ offset: Int) -> Int32 { Int32(ReportFixture.firstDay + offset) }

    /// UTC seconds of `hour`:05 on the server's clock (+07:00) on November's day `offset`.
    static func at(_ offset: Int, hour: Int) -> Int64 {
        Int64(ReportFixture.firstDay + offset) * 86_400 + Int64(hour * 3600 + 300) - 7 * 3600
    }

    static let data: ClientData = {
        let addresses = [
            "annv@namdinh.gov.vn", "binhtt@namdinh.gov.vn", "hungdv@namdinh.gov.vn", "quyendt@namdinh.gov.vn",
            "cuonglv@namdinh.gov.vn",
        ]
        let logins = [
            // An: Thunderbird, then the webmail (one login in Roundcube's log, three IMAP logins of it).
            ClientLogins(
                day: day(4), address: 0, origin: .imap, clientName: "Thunderbird", logins: 2, failed: 0,
                lastSeen: at(4, hour: 8)),
            ClientLogins(day: day(25), address: 0, origin: .webmail, logins: 1, failed: 0, lastSeen: at(25, hour: 9)),
            ClientLogins(
                day: day(25), address: 0, origin: .webmailHost, logins: 3, failed: 0, lastSeen: at(25, hour: 9)),
            // Bình: a phone whose name is hostile, then POP3.
            ClientLogins(
                day: day(20), address: 1, origin: .imap, clientName: hostileClient, clientOS: "iOS", logins: 2,
                failed: 0, lastSeen: at(20, hour: 14)),
            ClientLogins(day: day(27), address: 1, origin: .pop3, logins: 2, failed: 0, lastSeen: at(27, hour: 7)),
            // Hùng: an IMAP client that sends no ID.
            ClientLogins(day: day(15), address: 2, origin: .imap, logins: 2, failed: 0, lastSeen: at(15, hour: 10)),
            // Quyên: the webmail.
            ClientLogins(day: day(9), address: 3, origin: .webmail, logins: 1, failed: 0, lastSeen: at(9, hour: 16)),
            ClientLogins(
                day: day(9), address: 3, origin: .webmailHost, logins: 2, failed: 1, lastSeen: at(9, hour: 16)),
            // Cường: three wrong passwords in the webmail, nothing else.
            ClientLogins(day: day(10), address: 4, origin: .webmail, logins: 0, failed: 3, lastSeen: at(10, hour: 8)),
            ClientLogins(
                day: day(10), address: 4, origin: .webmailHost, logins: 0, failed: 3, lastSeen: at(10, hour: 8)),
        ]
        var evidence: [Int32: ClientEvidence] = [:]
        for offset in 0..<30 { evidence[day(offset)] = [.webmailLog, .webmailHosts, .clientIDs] }
        return ClientData(addresses: addresses, logins: logins, evidence: evidence)
    }()

    static var policy: Policy {
        var policy = ReportFixture.policy
        policy.webmailHosts = ["127.0.0.1"]
        return policy
    }

    static func report(_ clients: ClientData = data) -> CensusReport {
        AdoptionCensus(policy: policy, roster: ReportFixture.roster, data: ReportFixture.data, clients: clients)
            .report(period: ReportFixture.november, trendWeeks: 4)
    }
}

@Suite("Reports: how staff reach their mailbox")
struct ClientReportTests {
    @Test("golden files with the client census: HTML, Markdown, JSON, CSV, in Vietnamese and English")
    func golden() throws {
        let report = ClientFixture.report()
        try assertGolden(CensusHTML.render(report, language: .vi), "clients.vi.html")
        try assertGolden(CensusHTML.render(report, language: .en), "clients.en.html")
        try assertGolden(CensusMarkdown.render(report, language: .vi), "clients.vi.md")
        try assertGolden(CensusMarkdown.render(report, language: .en), "clients.en.md")
        try assertGolden(CensusJSON.render(report), "clients.json")
        try assertGolden(CensusCSV.departments(report), "clients.csv")
        try assertGolden(CensusCSV.people(report), "clients-people.csv")
        try assertGolden(CensusJSON.render(report.redacted(minimumGroup: 2)), "clients-public.json")
    }

    @Test("the figures: official-active staff by class per department, failed-only staff, webmail counted once")
    func figures() throws {
        let report = ClientFixture.report()
        let stttt = try #require(report.departments.first { $0.code == "STTTT" })
        #expect(report.clientStaff(stttt, .webmail) == 1)
        #expect(report.clientStaff(stttt, .desktop) == 1)
        #expect(report.clientStaff(stttt, .phone) == 1)
        #expect(report.clientStaff(stttt, .pop3) == 1)
        #expect(report.clientStaff(stttt, .unknown) == 0)
        #expect(report.clientLogins(stttt, .webmail) == 1)
        #expect(report.failedOnly(stttt) == 1)
        #expect(report.clientStaff(report.total, .webmail) == 2)
        #expect(report.clientLogins(report.total, .webmail) == 2)
        #expect(report.clientStaff(report.total, .unknown) == 1)
        let cuong = try #require(stttt.staff.first { $0.employeeID == "E03" })
        #expect(cuong.failedOnly && cuong.clients?.failed == 3)

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(CensusJSON.render(report).utf8)) as? [String: Any])
        let evidence = try #require(json["client_evidence"] as? [String: Any])
        #expect(evidence["missing"] as? [String] == [])
        let departments = try #require(json["departments"] as? [[String: Any]])
        let clients = try #require(departments.first?["clients"] as? [String: Any])
        #expect((clients["staff"] as? [String: Int])?["phone"] == 1)
        #expect(clients["failed_only"] as? Int == 1)
        let people = try #require(departments.first?["staff"] as? [[String: Any]])
        let an = try #require(people.first { $0["employee_id"] as? String == "E01" })
        let byClass = try #require((an["clients"] as? [String: Any])?["by_class"] as? [String: [String: Any]])
        #expect(byClass["webmail"]?["logins"] as? Int == 1)
        #expect(byClass["webmail"]?["last"] as? String == "2026-11-26T09:05:00+07:00")

        for language in ReportLanguage.allCases {
            let html = CensusHTML.render(report, language: language)
            #expect(html.contains("id=\"clients\""))
            #expect(html.contains("data-dept=\"STTTT\" data-field=\"clients.staff.phone\">1<"))
            #expect(html.contains("data-dept=\"_province\" data-field=\"clients.failed_only\">1<"))
            #expect(html.contains("data-employee=\"E03\""))
            #expect(!html.contains("<script>alert"))
            let markdown = CensusMarkdown.render(report, language: language)
            #expect(markdown.contains(language == .vi ? "Đăng nhập không được" : "Tried and could not log in"))
            #expect(markdown.contains(language == .vi ? "26/11/2026 09:05" : "2026-11-26 09:05"))
        }
        let csv = CensusCSV.departments(report)
        #expect(csv.split(whereSeparator: \.isNewline).first?.hasSuffix("failed_only,client_evidence_missing") == true)
        let peopleCSV = CensusCSV.people(report)
        #expect(peopleCSV.contains("'=HYPERLINK"))
        #expect(!peopleCSV.contains(",=HYPERLINK"))
    }

    @Test("without client evidence the reports say so, and give no class as if it were measured")
    func empty() throws {
        let report = ClientFixture.report(ClientData())
        #expect(report.clientEvidence?.missing == [.noClientData])
        for language in ReportLanguage.allCases {
            let html = CensusHTML.render(report, language: language)
            #expect(
                html.contains(
                    language == .vi
                        ? "Kho dữ liệu chưa có thông tin về cách truy cập" : "The store holds no client evidence"))
            #expect(html.contains("data-dept=\"STTTT\" data-field=\"clients.staff.webmail\">—<"))
            #expect(!html.contains("class=\"cbars\""))
            let markdown = CensusMarkdown.render(report, language: language)
            #expect(markdown.contains(language == .vi ? "Kho dữ liệu chưa có" : "The store holds no client evidence"))
        }
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(CensusJSON.render(report).utf8)) as? [String: Any])
        #expect((json["client_evidence"] as? [String: Any])?["missing"] as? [String] == ["no_client_data"])
        let total = try #require((json["province_total"] as? [String: Any])?["clients"] as? [String: Any])
        #expect((total["staff"] as? [String: Any])?["webmail"] is NSNull)
        let row = try #require(CensusCSV.departments(report).split(whereSeparator: \.isNewline).last)
        #expect(row.hasSuffix(",,,,,,,,,,,,,0,no_client_data"))
    }

    @Test("a report made without the client census renders as before")
    func unchanged() {
        let before = ReportFixture.report
        var with = ClientFixture.report()
        #expect(with.clientEvidence != nil)
        with.clientEvidence = nil
        with.total.clients = nil
        for index in with.departments.indices {
            with.departments[index].clients = nil
        }
        // Only the client census's own fields differ from a report made without it.
        #expect(CensusJSON.render(with) == CensusJSON.render(before))
        #expect(CensusHTML.render(with, language: .vi) == CensusHTML.render(before, language: .vi))
        #expect(CensusCSV.departments(with) == CensusCSV.departments(before))
    }

    @Test("activity: per-class logins after the existing columns, with the counting rule; null without evidence")
    func activity() throws {
        var an = AddressActivity(address: "annv@namdinh.gov.vn", firstSeen: 0, lastSeen: 60)
        an.imapLogins = 5
        let other = AddressActivity(address: "x@gmail.com", firstSeen: 0, lastSeen: 0)
        let renderer = ActivityRenderer(utcOffset: 7 * 3600)
        let lines = LineTotals(read: 3, parsed: 2, skipped: 1)
        let clients = ActivityClients(
            data: ClientFixture.data, table: ClientFixture.policy.clientClasses, days: ReportFixture.november,
            utcOffset: 7 * 3600)
        let plain = renderer.json([an, other], lines: lines)
        let json = renderer.json([an, other], lines: lines, clients: clients)
        // The existing text is kept, the new keys come after the others.
        let stripped = json.replacing(#/, "clients": \{[^}]*\}/#, with: "")
            .replacing(#/, "client_evidence": \{[^}]*\}/#, with: "")
        #expect(stripped == plain)
        #expect(json.contains("\"last_seen\": \"1970-01-01T07:01:00+07:00\", \"clients\": {\"webmail\": 1, "))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let rows = try #require(parsed["addresses"] as? [[String: Any]])
        let counts = try #require(rows.first?["clients"] as? [String: Int])
        #expect(counts == ["webmail": 1, "desktop": 2, "phone": 0, "other": 0, "pop3": 0, "unknown": 0])
        #expect((rows.last?["clients"] as? [String: Int])?["webmail"] == 0)
        #expect((parsed["client_evidence"] as? [String: Any])?["missing"] as? [String] == [])
        // The report's shape: what can be measured is said too.
        #expect(
            (parsed["client_evidence"] as? [String: Any])?["measured"] as? [String]
                == ClientClass.allCases.map(\.rawValue))
        let plainCSV = renderer.csv([an, other])
        let csv = renderer.csv([an, other], clients: clients)
        let header = try #require(csv.split(whereSeparator: \.isNewline).first)
        #expect(header == (ActivityRenderer.csvHeader + ActivityRenderer.clientColumns).joined(separator: ","))
        #expect(
            ActivityRenderer.clientColumns == [
                "logins_webmail", "logins_desktop", "logins_phone", "logins_other", "logins_pop3", "logins_unknown",
            ])
        for (ours, theirs) in zip(
            csv.split(whereSeparator: \.isNewline).dropFirst(), plainCSV.split(whereSeparator: \.isNewline).dropFirst())
        {
            #expect(ours.hasPrefix(theirs + ","))
        }
        #expect(csv.split(whereSeparator: \.isNewline)[1].hasSuffix(",1,2,0,0,0,0"))
        // Without any client evidence: null and empty cells, not zeros.
        let none = ActivityClients(
            data: ClientData(), table: .standard, days: ReportFixture.november, utcOffset: 7 * 3600)
        let empty = try #require(
            try JSONSerialization.jsonObject(with: Data(renderer.json([an], lines: lines, clients: none).utf8))
                as? [String: Any])
        #expect((empty["addresses"] as? [[String: Any]])?.first?["clients"] is NSNull)
        #expect((empty["client_evidence"] as? [String: Any])?["missing"] as? [String] == ["no_client_data"])
        #expect(renderer.csv([an], clients: none).split(whereSeparator: \.isNewline)[1].hasSuffix(",,,,,,"))
        // Without the client IDs: the classes they tell apart are null.
        var noIDs = ClientFixture.data
        noIDs.evidence = noIDs.evidence.mapValues { $0.subtracting(.clientIDs) }
        let partial = ActivityClients(
            data: noIDs, table: ClientFixture.policy.clientClasses, days: ReportFixture.november, utcOffset: 0)
        #expect(partial.logins("annv@namdinh.gov.vn", .desktop) == nil)
        #expect(partial.logins("annv@namdinh.gov.vn", .webmail) == 1)
        #expect(partial.evidence.missing == [.clientIDs])
    }
}

@Suite("Reports: the client census's line for a command's output")
struct ClientSummaryTests {
    @Test("the province's counts by class and the failed-only staff; what was missing; nothing without the census")
    func line() {
        #expect(
            ClientSummary.line(ClientFixture.report())
                == "Official-active staff by way of access: webmail 2, desktop 1, phone 1, other 0, pop3 1, "
                + "unknown 1; 1 tried and could not log in.")
        let empty = ClientSummary.line(ClientFixture.report(ClientData()))
        #expect(empty?.hasPrefix("The store holds no client evidence") == true)
        // The fixture's daily counts hold no failed login: nobody.
        #expect(empty?.hasSuffix(" 0 tried and could not log in.") == true)
        var noIDs = ClientFixture.data
        noIDs.evidence = noIDs.evidence.mapValues { $0.subtracting(.clientIDs) }
        let partial = ClientSummary.line(ClientFixture.report(noIDs))
        #expect(partial?.contains("desktop —, phone —") == true)
        #expect(partial?.contains("Dovecot logged no client IDs (imap_id_log)") == true)
        #expect(ClientSummary.line(ReportFixture.report) == nil)
    }
}
