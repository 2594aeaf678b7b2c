import Census
import MailLog
import MailLogTesting
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

    func report(_ rows: [String], _ data: CensusDataBuilder, policy: Policy = AdoptionCensusTests.policy)
        -> CensusReport
    {
        let roster = Roster(csv: Self.header + rows.joined(separator: "\n") + "\n", departments: policy.departmentCodes)
        #expect(!roster.hasFatalProblems, "\(roster.problems)")
        return AdoptionCensus(policy: policy, roster: roster.members, data: data.data).report(period: Self.november)
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
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,",
                "E2,Trần Thị Bình,STTTT,,,,binhtt@namdinh.gov.vn,,active,,",
                "E4,Phạm Thu Dung,SNV,,,,dungpt@namdinh.gov.vn,,active,,",
            ], data)
        let an = try #require(person(result, "E1"))
        #expect(an.category == .webmail)
        let attribution = try #require(an.webmail.first)
        #expect(attribution.kind == .inferred && attribution.address == "nguyenvanan1985@gmail.com")
        #expect(attribution.nameShape == "family-middle-given")
        #expect(attribution.officialMessages == 5 && attribution.departmentMessages == 4)
        #expect(person(result, "E2")?.webmail.isEmpty == true)
        let snv = try #require(result.departments.first { $0.code == "SNV" })
        #expect(snv.topUnattributed.map(\.address) == ["binh.tran@gmail.com"])
    }

    @Test("a name two staff share is not attributed: it is listed, with how many it matches")
    func ambiguous() throws {
        var data = Self.novemberData()
        data.message("annv85@gmail.com", "annv@namdinh.gov.vn", 2, day: 10)
        let result = report(
            [
                "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,",
                "E2,Ngô Văn An,STTTT,,,,annv2@namdinh.gov.vn,,active,,",
            ], data)
        #expect(result.attributions.isEmpty)
        let stttt = try #require(result.departments.first { $0.code == "STTTT" })
        #expect(
            stttt.topUnattributed == [UnattributedAddress(address: "annv85@gmail.com", messages: 2, matchingStaff: 2)])
        #expect(person(result, "E1")?.category == .dormant)
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

    @Test("a shared unit mailbox counts for the department's share, and for nobody's category")
    func sharedMailbox() throws {
        var data = Self.novemberData()
        data.login("vanthu.stttt@namdinh.gov.vn", day: 10)
        data.message("vanthu.stttt@namdinh.gov.vn", "partner@example.org", 3, day: 10)
        data.message("an.nguyen@gmail.com", "vanthu.stttt@namdinh.gov.vn", 1, day: 10)
        let result = report(["E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,an.nguyen@gmail.com,active,,"], data)
        let stttt = try #require(result.departments.first { $0.code == "STTTT" })
        #expect(person(result, "E1")?.category == .webmail)
        // 4 messages on the shared mailbox are official; the 1 from the declared Gmail is webmail.
        #expect(stttt.officialMessages == 4 && stttt.webmailMessages == 1)
        #expect(stttt.officialSharePercent == 80)
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
        let short = try #require(VietnameseName("Lê An"))
        #expect(!NameShapes.keys(for: short).map(\.key).contains("anl"))
    }
}
