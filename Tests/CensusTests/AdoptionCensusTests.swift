import Basics
import Census
import TestSupport
import Testing

/// The definitions of DESIGN.md, one edge at a time, on hand-made store data.
@Suite("Adoption census: categories, attribution, department figures")
struct AdoptionCensusTests {
    static let header =
        "employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date\n"
    static let firstDay = CivilTime.days(year: 2026, month: 11, day: 1)
    /// November 2026.
    static let november = DayRange(from: firstDay, through: firstDay + 29)

    static let policy: Policy = {
        var policy = Policy(province: "Nam Định", officialDomains: ["namdinh.gov.vn"])
        policy.departments = [
            Department(code: "STTTT", name: "Sở Thông tin và Truyền thông", shared: ["vanthu.stttt@namdinh.gov.vn"]),
            Department(code: "SNV", name: "Sở Nội vụ"),
        ]
        return policy
    }()

    /// Store data of November: `day` is the day of the month.
    static func novemberData() -> CensusDataBuilder {
        CensusDataBuilder(firstDay: firstDay, coverage: firstDay...(firstDay + 29))
    }

    func report(
        _ rows: [String], _ data: CensusDataBuilder, policy: Policy = AdoptionCensusTests.policy,
        confirmations: String? = nil
    ) -> CensusReport {
        let roster = Roster(csv: Self.header + rows.joined(separator: "\n") + "\n", departments: policy.departmentCodes)
        #expect(!roster.hasFatalProblems, "\(roster.problems)")
        let decisions = confirmations.map {
            Confirmations(csv: $0, employees: Set(roster.members.map(\.employeeID)))
        }
        #expect(decisions?.problems.isEmpty ?? true)
        return AdoptionCensus(
            policy: policy, roster: roster.members, data: data.data, confirmations: decisions ?? Confirmations()
        ).report(period: Self.november)
    }

    func person(_ report: CensusReport, _ id: String) -> StaffFigures? {
        report.departments.flatMap(\.staff).first { $0.employeeID == id }
    }

    @Test("categories: official, mixed, webmail, dormant, no-account")
    func categories() throws {
        var data = Self.novemberData()
        data.login("annv@namdinh.gov.vn", day: 10)
        data.login("binhtt@namdinh.gov.vn", day: 10)
        data.message("binh.tran@gmail.com", "annv@namdinh.gov.vn", day: 10)
        data.message("cuong.le@yahoo.com", "annv@namdinh.gov.vn", day: 10)
        // Mail merely arriving does not make an account active.
        data.received("dungpt@namdinh.gov.vn", day: 10)
        data.message("x@example.org", "dungpt@namdinh.gov.vn", day: 10)
        let result = report(
            [
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,",
                "E2,Trần Thị Bình,STTTT,,,,binhtt@namdinh.gov.vn,binh.tran@gmail.com,active,,",
                "E3,Lê Văn Cường,STTTT,,,,,cuong.le@yahoo.com,active,,",
                "E4,Phạm Thu Dung,SNV,,,,dungpt@namdinh.gov.vn,,active,,",
                "E5,Vũ Minh Hải,SNV,,,,,,active,,",
            ], data)
        #expect(person(result, "E1")?.category == .official)
        #expect(person(result, "E2")?.category == .mixed)
        #expect(person(result, "E3")?.category == .webmail)
        #expect(person(result, "E4")?.category == .dormant)
        #expect(person(result, "E5")?.category == .noAccount)
        let stttt = try #require(result.departments.first { $0.code == "STTTT" })
        #expect(stttt.headcount == 3 && stttt.accounts == 2)
        #expect(stttt.categories[.official] == 1 && stttt.categories[.mixed] == 1 && stttt.categories[.webmail] == 1)
        #expect(result.total.headcount == 5)
        #expect(result.total.officialActive == 2)
        #expect(result.total.officialActivePercent == 40)
    }

    @Test("a member who left, or who starts after the period, is not counted")
    func leavers() {
        var data = Self.novemberData()
        data.login("annv@namdinh.gov.vn", day: 10)
        let result = report(
            [
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,left,,",
                "E2,Trần Thị Bình,STTTT,,,,,,active,2026-12-15,",
                "E3,Lê Văn Cường,STTTT,,,,,,active,2020-01-01,2026-11-15",
                "E4,Phạm Thu Dung,STTTT,,,,,,active,,",
            ], data)
        #expect(result.total.headcount == 1)
        #expect(person(result, "E1") == nil)
    }

    @Test("a webmail address is inferred from the name and the department, with its evidence")
    func inferred() throws {
        var data = Self.novemberData()
        // nguyenvanan1985@gmail.com writes mostly to STTTT: inferred for Nguyễn Văn An (STTTT).
        data.message("nguyenvanan1985@gmail.com", "binhtt@namdinh.gov.vn", 3, day: 10)
        data.message("nguyenvanan1985@gmail.com", "vanthu.stttt@namdinh.gov.vn", 1, day: 10)
        data.message("dungpt@namdinh.gov.vn", "nguyenvanan1985@gmail.com", 1, day: 10)
        // binh.tran@gmail.com matches Trần Thị Bình's name but writes only to SNV: not hers.
        data.message("binh.tran@gmail.com", "dungpt@namdinh.gov.vn", 2, day: 10)
        let result = report(
            [
                // One who left, first: the staff the report weighs (and their names) start after him.
                "E0,Lê Văn Cường,STTTT,,,,cuonglv@namdinh.gov.vn,,left,,",
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,",
                "E2,Trần Thị Bình,STTTT,,,,binhtt@namdinh.gov.vn,,active,,",
                "E4,Phạm Thu Dung,SNV,,,,dungpt@namdinh.gov.vn,,active,,",
            ], data)
        let an = try #require(person(result, "E1"))
        #expect(an.category == .webmail)
        let attribution = try #require(an.webmail.first)
        #expect(attribution.kind == .inferred && attribution.address == "nguyenvanan1985@gmail.com")
        #expect(attribution.evidence.nameShape == "family-middle-given")
        // Per message: on day 10 it wrote to two STTTT mailboxes, 3 and 1 messages: at least 3.
        #expect(attribution.evidence.officialMessages == 4 && attribution.evidence.departmentMessages == 3)
        #expect(person(result, "E2")?.webmail.isEmpty == true)
        // Not tied, but listed for IT with its evidence: the name, and no mail with her department.
        let binh = try #require(result.candidates.first { $0.address == "binh.tran@gmail.com" })
        #expect(!binh.isTied && binh.employeeID == "E2" && binh.evidence.departmentMessages == 0)
        let snv = try #require(result.departments.first { $0.code == "SNV" })
        #expect(snv.topUnattributed.map(\.address) == ["binh.tran@gmail.com"])
    }

    @Test("the top unattributed: most messages first, by address on a tie, five a department and ten in all")
    func topUnattributed() throws {
        var data = Self.novemberData()
        let counts = [
            "k.x@gmail.com": 3, "b.x@gmail.com": 5, "c.x@gmail.com": 3, "d.x@gmail.com": 1, "a.x@gmail.com": 3,
            "f.x@gmail.com": 3, "g.x@gmail.com": 7,
        ]
        for (address, messages) in counts { data.message(address, "annv@namdinh.gov.vn", messages, day: 10) }
        for (address, messages) in [("s1.y@yahoo.com", 2), ("s2.y@yahoo.com", 9), ("s3.y@yahoo.com", 3)] {
            data.message(address, "dungpt@namdinh.gov.vn", messages, day: 10)
        }
        // Mail with both departments: each counts its own, the province both.
        data.message("both.z@gmail.com", "annv@namdinh.gov.vn", 1, day: 10)
        data.message("both.z@gmail.com", "dungpt@namdinh.gov.vn", 4, day: 10)
        let result = report(
            [
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,",
                "E4,Phạm Thu Dung,SNV,,,,dungpt@namdinh.gov.vn,,active,,",
            ], data)
        let stttt = try #require(result.departments.first { $0.code == "STTTT" })
        #expect(
            stttt.topUnattributed.map { "\($0.address) \($0.messages)" } == [
                "g.x@gmail.com 7", "b.x@gmail.com 5", "a.x@gmail.com 3", "c.x@gmail.com 3", "f.x@gmail.com 3",
            ])
        let snv = try #require(result.departments.first { $0.code == "SNV" })
        #expect(
            snv.topUnattributed.map { "\($0.address) \($0.messages)" } == [
                "s2.y@yahoo.com 9", "both.z@gmail.com 4", "s3.y@yahoo.com 3", "s1.y@yahoo.com 2",
            ])
        #expect(
            result.total.topUnattributed.map { "\($0.address) \($0.messages)" } == [
                "s2.y@yahoo.com 9", "g.x@gmail.com 7", "b.x@gmail.com 5", "both.z@gmail.com 5", "a.x@gmail.com 3",
                "c.x@gmail.com 3", "f.x@gmail.com 3", "k.x@gmail.com 3", "s3.y@yahoo.com 3", "s1.y@yahoo.com 2",
            ])
    }

    @Test("a name two staff of one department share is not attributed: it is listed, with its rivals")
    func ambiguous() throws {
        var data = Self.novemberData()
        data.message("annv85@gmail.com", "binhtt@namdinh.gov.vn", 2, day: 10)
        let result = report(
            [
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,",
                "E2,Ngô Văn An,STTTT,,,,annv2@namdinh.gov.vn,,active,,",
                "E3,Trần Thị Bình,STTTT,,,,binhtt@namdinh.gov.vn,,active,,",
            ], data)
        #expect(result.attributions.isEmpty)
        let stttt = try #require(result.departments.first { $0.code == "STTTT" })
        #expect(
            stttt.topUnattributed == [UnattributedAddress(address: "annv85@gmail.com", messages: 2, matchingStaff: 2)])
        #expect(person(result, "E1")?.category == .dormant)
        #expect(result.candidates.map(\.employeeID) == ["E1", "E2"] && !result.candidates.contains(where: \.isTied))
    }

    @Test("same name: self-mail picks the owner, then the display name, then the department")
    func tieBreaks() throws {
        let rows = [
            "E1,Trần Hữu Toàn,STTTT,,,,toanth@namdinh.gov.vn,,active,,",
            "E2,Trần Văn Toàn,SNV,,,,toantv@namdinh.gov.vn,,active,,",
            "E3,Lê Văn Việt,STTTT,,,,vietlv@namdinh.gov.vn,,active,,",
            "E4,Lê Xuân Việt,SNV,,,,vietlx@namdinh.gov.vn,,active,,",
            "E5,Phạm Thu Dung,SNV,,,,dungpt@namdinh.gov.vn,,active,,",
            "E6,Vũ Minh Hải,STTTT,,,,haivm@namdinh.gov.vn,,active,,",
        ]
        var data = Self.novemberData()
        // toantran90: both Toàns by shape; it mails Trần Văn Toàn's own address.
        data.message("toantran90@gmail.com", "toantv@namdinh.gov.vn", day: 3)
        data.message("haivm@namdinh.gov.vn", "toantran90@gmail.com", 2, day: 4)
        // leviet.nd: both Việts by shape (a place code after it); the display name says Lê Xuân Việt.
        data.message("leviet.nd@gmail.com", "haivm@namdinh.gov.vn", day: 5)
        data.message("leviet.nd@gmail.com", "dungpt@namdinh.gov.vn", day: 6)
        data.displayName("leviet.nd@gmail.com", "Lê Xuân Việt")
        // vietle: both Việts again, no display name: it writes to SNV only, Lê Xuân Việt's.
        data.message("vietle@yahoo.com", "dungpt@namdinh.gov.vn", 3, day: 7)
        let result = report(rows, data)
        let ties = Dictionary(uniqueKeysWithValues: result.attributions.map { ($0.address, $0.employeeID) })
        #expect(ties["toantran90@gmail.com"] == "E2")
        #expect(ties["leviet.nd@gmail.com"] == "E4")
        #expect(ties["vietle@yahoo.com"] == "E4")
        let toan = try #require(result.attributions.first { $0.address == "toantran90@gmail.com" })
        #expect(toan.evidence.selfMessages == 1 && toan.evidence.nameShape == "given-family")
    }

    @Test("a display name ties a nickname; a shared address and a stranger's display name tie nobody")
    func displayNames() throws {
        let rows = [
            "E1,Lê Công Quân,STTTT,,,,quanlc@namdinh.gov.vn,,active,,",
            "E2,Nguyễn Thu Hương,STTTT,,,,huongnt@namdinh.gov.vn,,active,,",
            "E3,Phạm Thu Dung,SNV,,,,dungpt@namdinh.gov.vn,,active,,",
            "E4,Vũ Minh Hải,STTTT,,,,haivm@namdinh.gov.vn,,active,,",
        ]
        var data = Self.novemberData()
        data.message("chuotnhat_1702@gmail.com", "haivm@namdinh.gov.vn", 2, day: 3)
        data.displayName("chuotnhat_1702@gmail.com", "Lê Công Quân", messages: 2)
        // Used by two people of the roster.
        data.message("giadinh@gmail.com", "haivm@namdinh.gov.vn", 2, day: 3)
        data.displayName("giadinh@gmail.com", "Le Cong Quan")
        data.displayName("giadinh@gmail.com", "Hương Nguyễn Thu")
        // Shaped like Nguyễn Thu Hương (given-family-middle), but signed by somebody else.
        data.message("huong.nguyenthu@gmail.com", "haivm@namdinh.gov.vn", day: 3)
        data.displayName("huong.nguyenthu@gmail.com", "Trần Văn Bảo")
        // The same shape, no display name: hers.
        data.message("huong.nguyenthu.86@yahoo.com", "haivm@namdinh.gov.vn", day: 3)
        // A unit beside the full name still names him; another middle name is another person.
        data.message("vp.ubnd.2024@gmail.com", "haivm@namdinh.gov.vn", day: 3)
        data.displayName("vp.ubnd.2024@gmail.com", "Lê Công Quân - VP UBND")
        data.message("quanle@gmail.com", "haivm@namdinh.gov.vn", day: 3)
        data.displayName("quanle@gmail.com", "Lê Văn Quân")
        // A long unit after the full name; a unit's code after a name shape (hers, no display name).
        data.message("hoso.2025@gmail.com", "haivm@namdinh.gov.vn", day: 4)
        data.displayName("hoso.2025@gmail.com", "Nguyễn Thu Hương - Phòng Tổ chức cán bộ")
        data.message("huongnt.stttt@yahoo.com", "haivm@namdinh.gov.vn", day: 4)
        // A server with smtputf8_enable = no logs the name's UTF-8 bytes as `?`.
        data.message("meoden.bk@gmail.com", "haivm@namdinh.gov.vn", day: 4)
        data.data.displayNames.append(
            .init(address: data.id("meoden.bk@gmail.com"), name: "nguy???n thu h????ng", messages: 1))
        // The same person in UTF-8 and as `?` is one person, not two.
        data.displayName("meoden.bk@gmail.com", "Nguyễn Thu Hương")
        // Signed by a staff member once and by somebody off the roster twice: tied to nobody.
        data.message("nhasach.abc@gmail.com", "haivm@namdinh.gov.vn", 3, day: 4)
        data.displayName("nhasach.abc@gmail.com", "Lê Công Quân")
        data.displayName("nhasach.abc@gmail.com", "Đỗ Thị Lan", messages: 2)
        let result = report(rows, data)
        let ties = Dictionary(uniqueKeysWithValues: result.attributions.map { ($0.address, $0.employeeID) })
        #expect(
            ties == [
                "chuotnhat_1702@gmail.com": "E1", "huong.nguyenthu.86@yahoo.com": "E2", "vp.ubnd.2024@gmail.com": "E1",
                "hoso.2025@gmail.com": "E2", "huongnt.stttt@yahoo.com": "E2", "meoden.bk@gmail.com": "E2",
            ])
        let quan = try #require(result.attributions.first { $0.address == "chuotnhat_1702@gmail.com" })
        #expect(quan.evidence.displayNameMessages == 2 && quan.evidence.nameShape == nil)
        #expect(result.candidates.filter { $0.address == "giadinh@gmail.com" }.map(\.employeeID) == ["E1", "E2"])
        #expect(person(result, "E1")?.category == .webmail)
    }

    @Test("IT's confirmations: yes ties as the policy would, no is never inferred again")
    func confirmations() throws {
        let rows = [
            "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,",
            "E2,Trần Thị Bình,STTTT,,,,binhtt@namdinh.gov.vn,,active,,",
        ]
        var data = Self.novemberData()
        data.message("nguyenvanan@gmail.com", "binhtt@namdinh.gov.vn", day: 3)
        data.message("cobe.xinh@gmail.com", "annv@namdinh.gov.vn", day: 3)
        #expect(report(rows, data).attributions.map(\.address) == ["nguyenvanan@gmail.com"])
        let decided = report(
            rows, data,
            confirmations: Confirmations.columns.joined(separator: ",") + "\n"
                + "nguyenvanan@gmail.com,E1,Nguyễn Văn An,STTTT,,1,no\n"
                + "Cobe.Xinh@gmail.com,E2,Trần Thị Bình,STTTT,,1,có\n")
        #expect(decided.attributions.map(\.address) == ["cobe.xinh@gmail.com"])
        #expect(decided.attributions.first?.kind == .policy && decided.attributions.first?.employeeID == "E2")
        #expect(person(decided, "E1")?.category == .dormant)
    }

    @Test("bad rows of the confirmations file are named by line")
    func badConfirmations() {
        let csv =
            Confirmations.columns.joined(separator: ",") + "\n" + "a@gmail.com,E9,,,,,yes\n"
            + "a@gmail.com,E1,,,,,maybe\n"
            + "not-an-address,E1,,,,,yes\n" + "b@gmail.com,E1,,,,,yes\n" + "b@gmail.com,E1,,,,,no\n"
            + "c@gmail.com,E1,,,,,\n"
        let decisions = Confirmations(csv: csv, employees: ["E1"])
        #expect(decisions.problems.map(\.line) == [2, 3, 4, 6])
        #expect(decisions.problems[0].message.contains("E9"))
        #expect(decisions.confirmed == ["b@gmail.com": "E1"])
        #expect(Confirmations(csv: "address,employee_id\n", employees: []).hasFatalProblems)
    }

    @Test("the official share counts mailboxes in use; mail into unopened ones is a figure of its own")
    func unopened() throws {
        var data = Self.novemberData()
        data.login("annv@namdinh.gov.vn", day: 10)
        data.message("annv@namdinh.gov.vn", "partner@example.org", 3, day: 10)
        // Bình never opens her mailbox: 5 messages arrive, none of it is use.
        data.message("news@example.org", "binhtt@namdinh.gov.vn", 5, day: 10)
        data.received("binhtt@namdinh.gov.vn", day: 10, messages: 5)
        data.message("an.nguyen@gmail.com", "dungpt@namdinh.gov.vn", 1, day: 10)
        let result = report(
            [
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,an.nguyen@gmail.com,active,,",
                "E2,Trần Thị Bình,STTTT,,,,binhtt@namdinh.gov.vn,,active,,",
                "E4,Phạm Thu Dung,SNV,,,,dungpt@namdinh.gov.vn,,active,,",
            ], data)
        let stttt = try #require(result.departments.first { $0.code == "STTTT" })
        #expect(stttt.officialMessages == 3 && stttt.webmailMessages == 1)
        #expect(stttt.officialSharePercent == 75)
        #expect(stttt.unopenedMessages == 5 && stttt.unopenedMailboxes == 1)
        #expect(result.total.unopenedMessages == 5 && result.total.unopenedMailboxes == 1)
        #expect(person(result, "E2")?.received == 5)
    }

    @Test("declared wins over inferred; the policy can tie an address to staff, or to nobody")
    func declaredAndPolicy() throws {
        var data = Self.novemberData()
        data.message("nguyenvanan@gmail.com", "binhtt@namdinh.gov.vn", day: 10)
        data.message("tranthibinh@gmail.com", "annv@namdinh.gov.vn", day: 10)
        data.message("family.tran@yahoo.com", "binhtt@namdinh.gov.vn", day: 10)
        var policy = Self.policy
        policy.attributions = ["tranthibinh@gmail.com": String?.none, "family.tran@yahoo.com": "E2"]
        let result = report(
            [
                // E2 declared nguyenvanan@gmail.com (a shared family account, say): it is hers.
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,",
                "E2,Trần Thị Bình,STTTT,,,,binhtt@namdinh.gov.vn,nguyenvanan@gmail.com,active,,",
            ], data, policy: policy)
        #expect(person(result, "E1")?.webmail.isEmpty == true)
        let binh = try #require(person(result, "E2"))
        #expect(Set(binh.webmail.map(\.kind)) == [.declared, .policy])
        #expect(binh.category == .webmail)
        // Tied to nobody: neither inferred nor listed as unattributed.
        #expect(result.departments.flatMap(\.topUnattributed).isEmpty)
    }

    @Test("forwarding to Gmail is a webmail signal with the flag, and attributes the Gmail address")
    func forwarding() throws {
        var data = Self.novemberData()
        data.login("minhvq@namdinh.gov.vn", day: 10)
        data.forward("minhvq@namdinh.gov.vn", "minhvq.nd@gmail.com", day: 10)
        data.message("boss@yahoo.com", "minhvq@namdinh.gov.vn", day: 10)
        data.message("boss@yahoo.com", "minhvq.nd@gmail.com", day: 10)
        // An alias expanding to mailboxes is not forwarding to webmail.
        data.forward("vanphong@namdinh.gov.vn", "minhvq@namdinh.gov.vn", day: 10)
        let result = report(["E1,Vũ Quang Minh,STTTT,,,,minhvq@namdinh.gov.vn,,active,,"], data)
        let minh = try #require(person(result, "E1"))
        #expect(minh.forwards && minh.webmailSignal && minh.category == .mixed)
        #expect(minh.webmail.map(\.kind) == [.forwarding])
        #expect(minh.webmail.first?.forwardedMessages == 1)
        #expect(minh.officialMessages == 1 && minh.webmailMessages == 1)
        #expect(result.total.officialSharePercent == 50)
    }

    @Test("a shared unit mailbox counts for nobody's category, nor for the share of staff correspondence")
    func sharedMailbox() throws {
        var data = Self.novemberData()
        data.login("vanthu.stttt@namdinh.gov.vn", day: 10)
        data.message("vanthu.stttt@namdinh.gov.vn", "partner@example.org", 3, day: 10)
        data.message("an.nguyen@gmail.com", "vanthu.stttt@namdinh.gov.vn", 1, day: 10)
        let result = report(["E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,an.nguyen@gmail.com,active,,"], data)
        let stttt = try #require(result.departments.first { $0.code == "STTTT" })
        #expect(person(result, "E1")?.category == .webmail)
        // The shared mailbox's mail is nobody's; the 1 message from the declared Gmail is webmail.
        #expect(stttt.officialMessages == 0 && stttt.webmailMessages == 1)
        #expect(stttt.officialSharePercent == 0)
    }

    @Test("no log data for the period: unknown, not dormant; the previous period and the trend compare")
    func unknownAndComparison() throws {
        var data = Self.novemberData()
        data.data.coverage = nil
        let empty = report(["E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,"], data)
        #expect(person(empty, "E1")?.category == .unknown)
        #expect(empty.trend.isEmpty && empty.total.previous == nil)

        var two = Self.novemberData()
        two.data.coverage = (Self.firstDay - 30)...(Self.firstDay + 29)
        // October: only An logged in. November: An and Bình.
        two.login("annv@namdinh.gov.vn", day: -5)
        two.login("annv@namdinh.gov.vn", day: 20)
        two.login("binhtt@namdinh.gov.vn", day: 28)
        let compared = report(
            [
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,",
                "E2,Trần Thị Bình,STTTT,,,,binhtt@namdinh.gov.vn,,active,,",
            ], two)
        #expect(compared.total.officialActivePercent == 100)
        #expect(compared.total.previous?.officialActivePercent == 50)
        #expect(compared.total.officialActiveChange == 50)
        #expect(compared.trend.count == 8)
        #expect(compared.trend.last?.days == DayRange(days: 7, endingOn: Self.november.through))
        #expect(compared.trend.last?.officialActivePercent == 50)  // only Bình in the last week
        #expect(person(compared, "E1")?.lastActiveDay == Self.firstDay + 19)
    }

    @Test("an official address outside the official domains cannot be judged: unknown")
    func foreignOfficialAddress() {
        var data = Self.novemberData()
        data.login("an@other.vn", day: 10)
        let result = report(["E1,Nguyễn Văn An,STTTT,,,,an@other.vn,,active,,"], data)
        #expect(person(result, "E1")?.category == .unknown)
    }

    @Test("name shapes people use for their Gmail match; short keys do not")
    func shapes() throws {
        let name = try #require(VietnameseName("Nguyễn Thị Ánh Nguyệt"))
        let keys = Set(NameShapes.keys(for: name).map(\.key))
        for address in [
            "nguyenthianhnguyet@gmail.com", "Nguyet.Nguyen@yahoo.com", "nguyetnta85@gmail.com",
            "anh_nguyet+work@gmail.com", "1985nguyen.nguyet@gmail.com",
        ] {
            #expect(keys.contains(NameShapes.key(ofAddress: address)), "\(address)")
        }
        // Given-family-middle, a place code before or after, digits anywhere.
        let huong = try #require(VietnameseName("Nguyễn Thu Hương"))
        let huongKeys = Set(NameShapes.keys(for: huong).map(\.key))
        let codes: Set<String> = ["nd", "hn"]
        for address in [
            "huong.nguyenthu@gmail.com", "nguyenhuong.nd@gmail.com", "hn.huongnguyen88@gmail.com",
            "nguyen19huong86nd@yahoo.com",
        ] {
            #expect(
                NameShapes.keys(ofAddress: address, placeCodes: codes).contains(where: huongKeys.contains), "\(address)"
            )
        }
        #expect(
            NameShapes.keys(ofAddress: "nguyenhuong.nd@gmail.com", placeCodes: codes) == [
                "nguyenhuongnd", "nguyenhuong",
            ])
        #expect(NameShapes.keys(ofAddress: "quanle.it@gmail.com", placeCodes: codes) == ["quanleit", "quanle"])
        // A longer word glued on is not dropped unless it is a code.
        #expect(NameShapes.keys(ofAddress: "quanleabcd@gmail.com", placeCodes: codes) == ["quanleabcd"])
        let short = try #require(VietnameseName("Lê An"))
        #expect(!NameShapes.keys(for: short).map(\.key).contains("anl"))
    }
}
