import Basics
import Census
import Foundation
import Testing

/// The header of every roster here (a file-level constant: `@Test` arguments cannot name `Self`).
private let rosterHeader =
    "employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date"

@Suite("HR's roster CSV")
struct RosterTests {
    static let header = rosterHeader

    @Test("Excel's export: BOM, semicolons, quotes, a line break in a field, NFD names")
    func excel() throws {
        let nfd = "Nguyễn Thị Ánh Nguyệt".decomposedStringWithCanonicalMapping
        let text =
            "\u{FEFF}" + Self.header.replacingOccurrences(of: ",", with: ";") + "\r\n"
            + "E001;\(nfd);STTTT;\"Sở Thông tin; Truyền thông\";province;\"Chuyên viên\nphòng CNTT\";"
            + "NguyetNTA@NamDinh.gov.vn;\"nguyet85@gmail.com; anh.nguyet@yahoo.com\";active;2020-03-01;\r\n"
            + "E002;Trần Văn Bình;SNV;Sở Nội vụ;province;Trưởng phòng;;;left;01/02/2015;31/10/2026\r\n"
        let roster = Roster(csv: text)
        #expect(roster.problems.isEmpty)
        #expect(roster.members.count == 2)
        let first = roster.members[0]
        #expect(first.fullName == "Nguyễn Thị Ánh Nguyệt")
        #expect(first.departmentName == "Sở Thông tin; Truyền thông")
        #expect(first.position == "Chuyên viên\nphòng CNTT")
        #expect(first.officialAddress == "nguyetnta@namdinh.gov.vn")
        #expect(first.personalAddresses == ["nguyet85@gmail.com", "anh.nguyet@yahoo.com"])
        #expect(first.startDay == CivilTime.days(year: 2020, month: 3, day: 1))
        #expect(roster.members[1].status == .left)
        #expect(roster.members[1].line == 4)  // the quoted line break moves the next record down
        #expect(roster.members[1].endDay == CivilTime.days(year: 2026, month: 10, day: 31))
    }

    @Test("every problem with its line")
    func problems() {
        let text = [
            Self.header,
            "E001,Nguyễn Văn An,STTTT,Sở TT&TT,province,,annv@namdinh.gov.vn,,active,2020-01-01,",
            "E001,Lê Thị Hoa,STTTT,Sở TT&TT,province,,hoalt@namdinh.gov.vn,,active,,",
            "E003,Phạm Văn Cường,SNV,Sở Nội vụ,village,,annv@namdinh.gov.vn,not-an-address,retired,2020-02-30,",
            "E004,,SNV,Sở Nội vụ,district,,,,active,,",
            "E005,Vũ Thị Hằng,SYT,Sở Y tế,commune,,hangvt@@namdinh.gov.vn,,active,2024-05-01,2023-01-01",
        ].joined(separator: "\n")
        let roster = Roster(csv: text)
        let lines = roster.problems.map { "\($0.line) \($0.isFatal ? "F" : "w") \($0.message)" }
        #expect(lines.contains("3 F employee_id E001 is also on line 2"))
        #expect(lines.contains("4 F official_address annv@namdinh.gov.vn is also on line 2"))
        #expect(lines.contains("4 F personal address \"not-an-address\" is not an address"))
        #expect(lines.contains("4 F status \"retired\" is neither active nor left"))
        #expect(lines.contains("4 w level \"village\" is not province, district or commune"))
        #expect(lines.contains("4 F start_date \"2020-02-30\" is not a date (YYYY-MM-DD or DD/MM/YYYY)"))
        #expect(lines.contains("5 F no full_name"))
        #expect(lines.contains("6 F official_address \"hangvt@@namdinh.gov.vn\" is not an address"))
        #expect(lines.contains("6 F end_date is before start_date"))
        #expect(roster.hasFatalProblems)
        #expect(roster.members.map(\.employeeID) == ["E001"])
    }

    @Test("department codes the policy does not list are errors, when it lists any")
    func departments() {
        let text =
            Self.header
            + "\nE1,Nguyễn Văn An,STTTT,,,,,,active,,\nE2,Lê Thị Hoa,SOTT,,,,,,active,,\nE3,Lê Văn Ba,,,,,,,active,,\n"
        let checked = Roster(csv: text, departments: ["STTTT", "SNV"])
        #expect(
            checked.problems.map(\.description) == [
                "line 3: department_code SOTT is not among the policy's departments", "line 4: no department_code",
            ])
        #expect(checked.members.map(\.employeeID) == ["E1"])
        #expect(Roster(csv: text).members.map(\.employeeID) == ["E1", "E2"])
    }

    @Test("a missing column or an empty file is one clear problem")
    func header() {
        #expect(Roster(csv: "").problems.first?.message.contains("empty") == true)
        let missing = Roster(csv: "employee_id,full_name\nE1,An\n")
        #expect(missing.problems.first?.message.hasPrefix("missing column(s) department_code, status") == true)
    }

    @Test("old Mac line ends (a lone CR) end lines, as LF and CRLF do")
    func lonelyCarriageReturns() {
        let text =
            Self.header + "\rE1,Nguyễn Văn An,STTTT,,,\"Chuyên viên\rphòng CNTT\",,,active,,\r"
            + "E2,Lê Thị Hoa,SNV,,,,,,left,,\r"
        let roster = Roster(csv: text)
        #expect(roster.problems.isEmpty)
        #expect(roster.members.map(\.employeeID) == ["E1", "E2"])
        #expect(roster.members.map(\.line) == [2, 4])  // the quoted CR moves the next record down
        #expect(roster.members.first?.position == "Chuyên viên\rphòng CNTT")
        #expect(roster.members.last?.status == .left)
    }

    @Test(
        "a roster with no staff is an error",
        arguments: [
            (rosterHeader, "line 1: no staff: the roster has no rows"),
            (rosterHeader + "\r\n", "line 1: no staff: the roster has no rows"),
            (rosterHeader + "\r", "line 1: no staff: the roster has no rows"),
            (
                rosterHeader + "\nE1,Nguyễn Văn An,STTTT,,,,,,left,,\nE2,Lê Thị Hoa,SNV,,,,,,left,,",
                "line 1: no staff: none of the 2 rows read is active (status), so a report would count no one"
            ),
        ])
    func noStaff(text: String, problem: String) {
        let roster = Roster(csv: text)
        #expect(roster.problems.map(\.description) == [problem])
        #expect(roster.hasFatalProblems)
    }

    @Test("a column named twice is an error naming both positions; neither is read")
    func duplicateColumn() {
        let text =
            Self.header + ",Status\nE1,Nguyễn Văn An,STTTT,,,,,,active,,,left\nE2,Lê Thị Hoa,SNV,,,,,,active,,,left\n"
        let roster = Roster(csv: text)
        #expect(roster.problems.map(\.description) == ["line 1: column \"status\" appears twice (columns 9 and 12)"])
        #expect(roster.hasFatalProblems)
        #expect(roster.members.isEmpty)
        let twice = Roster(csv: "employee_id,full_name,full_name,department_code,status,employee_id\n")
        #expect(
            twice.problems.map(\.description) == [
                "line 1: column \"full_name\" appears twice (columns 2 and 3)",
                "line 1: column \"employee_id\" appears twice (columns 1 and 6)",
            ])
    }

    @Test("an unclosed quote is an error on the line it opened; the rows before it are still read")
    func unclosedQuote() {
        var rows = (1...20).map { "E\($0),Nguyễn Văn An,STTTT,,,,,,active,," }
        rows[4] = "E5,Lê Thị Hoa,STTTT,\"Sở TT&TT,,,,,active,,"  // line 6: the quote never closes
        let roster = Roster(csv: ([Self.header] + rows).joined(separator: "\n") + "\n")
        #expect(
            roster.problems.map(\.description) == [
                "line 6: a quote opened here is never closed; the rest of the file was read as one field"
            ])
        #expect(roster.problems.allSatisfy { $0.isFatal })
        #expect(roster.members.map(\.employeeID) == ["E1", "E2", "E3", "E4"])
    }

    @Test("hostile text stays data; in a name it is refused")
    func hostile() {
        let text =
            Self.header + "\nE9,Lê Thị Hoa,D,\"=HYPERLINK(\"\"http://x\"\")<script>\u{200B}\u{202E}\",,,,,active,,"
        let roster = Roster(csv: text)
        #expect(roster.members.first?.departmentName == "=HYPERLINK(\"http://x\")<script>\u{200B}\u{202E}")
        let named = Roster(csv: Self.header + "\nE9,\"=HYPERLINK(\"\"http://x\"\")<script>\u{202E}\",D,,,,,,active,,")
        #expect(named.members.isEmpty)
        #expect(
            named.problems.map(\.message) == [
                "full_name has \"=\" (U+003D): a name is letters separated by spaces, apostrophes or hyphens"
            ])
    }

    /// Names that are not letters: what a legacy program, a slip of the hand or a paste leaves.
    static let badNames: [(name: String, character: String)] = [
        ("Ph?m Thanh ??t", "\"?\" (U+003F)"),
        ("Nguy\u{FFFD}n V\u{FFFD}n An", "\"\u{FFFD}\" (U+FFFD)"),
        ("tranhuong85@gmail.com", "\"8\" (U+0038)"),
        ("Trần Hương <huong@gmail.com>", "\"<\" (U+003C)"),
        ("Đỗ Văn Quyết 2", "\"2\" (U+0032)"),
        ("Lê Văn\u{7}Nam", "U+0007"),
        ("Lê Văn\u{200B}Nam", "U+200B"),
        ("Lê \u{202E}Văn Nam", "U+202E"),
        ("Lê Văn Nam.", "\".\" (U+002E)"),
        ("Lê ' Văn", "\"'\" (U+0027)"),
        ("Lê Văn-", "\"-\" (U+002D)"),
    ]

    @Test("a name that is not letters, spaces, apostrophes and hyphens is a fatal error naming the character")
    func badName() {
        for (name, character) in Self.badNames {
            let quoted = "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let roster = Roster(csv: Self.header + "\nE1,\(quoted),STTTT,,,Chuyên viên,,,active,,\n")
            #expect(roster.members.isEmpty, "\(name) was accepted")
            let problem = roster.problems.first
            #expect(problem?.isFatal == true && problem?.line == 2)
            #expect(problem?.message.hasPrefix("full_name has") == true, "\(name): \(roster.problems)")
            #expect(problem?.message.contains(character) == true, "\(name): \(roster.problems)")
            #expect(problem?.description.contains(name) == false, "the name itself is not shown")
        }
        let lost = Roster(csv: Self.header + "\nE1,Ph?m Thanh ??t,STTTT,,,Chuy?n vi?n,,,active,,\n")
        #expect(lost.problems.first?.message.contains("export it again from the original as CSV UTF-8") == true)
    }

    @Test("every Unicode space between words is one space; the look-alike Ð is Đ; apostrophes and hyphens join letters")
    func spacesAndLookAlikes() {
        let names = [
            "Đỗ\tMạnh\tHùng", "Đỗ\u{A0}Mạnh\u{A0}Hùng", "Đỗ\u{2003}Mạnh\u{2009}Hùng", "Đỗ\u{3000}Mạnh Hùng",
            "Đỗ\nMạnh\r\nHùng", "Đỗ  \u{2028}Mạnh \u{202F}Hùng", "\u{A0}Đỗ Mạnh Hùng\u{3000}",
        ]
        for name in names {
            let quoted = "\"" + name + "\""
            let roster = Roster(csv: Self.header + "\nE1,\(quoted),STTTT,,,,,,active,,\n")
            #expect(roster.problems.isEmpty, "\(roster.problems)")
            #expect(roster.members.first?.fullName == "Đỗ Mạnh Hùng", "\(name.unicodeScalars.map(\.value))")
        }
        let eth = Roster(
            csv: Self.header + "\nE1,Ðặng Văn Lâm,STTTT,,,,,,active,,\nE2,ðỗ thị hoa,STTTT,,,,,,active,,\n")
        #expect(eth.members.map(\.fullName) == ["Đặng Văn Lâm", "đỗ thị hoa"])
        #expect(VietnameseName(eth.members[0].fullName) == VietnameseName("Đặng Văn Lâm"))
        let joined = Roster(
            csv: Self.header + "\nE1,H'Hen Niê,STTTT,,,,,,active,,\nE2,Nguyễn-Trần Văn An,STTTT,,,,,,active,,\n"
                + "E3,Y’Moan Ênuôl,STTTT,,,,,,active,,\nE4,ล้านนา คำ,STTTT,,,,,,active,,\n")
        #expect(joined.problems.isEmpty, "\(joined.problems)")
        #expect(joined.members.count == 4)
    }

    @Test("with the policy: an official address outside its domains is fatal; an unknown position a warning")
    func policyChecks() {
        let policy = Policy(province: "Nam Định", officialDomains: ["namdinh.gov.vn"])
        var roster = Roster(
            csv: Self.header
                + "\nE1,Trần Thị Hương,STTTT,,,Chuyên viên,tranhuong85@gmail.com,,active,,"
                + "\nE2,Lê Văn An,STTTT,,,chuyên viên,anlv@stttt.namdinh.gov.vn,,active,,"
                + "\nE3,Lê Văn Bình,STTTT,,,Văn thư,binhlv@namdinh.gov.vn,,active,,"
                + "\nE4,Lê Văn Cường,STTTT,,,Văn thư,,,active,,\n")
        #expect(!roster.hasFatalProblems)
        roster.check(policy: policy, quotaPositions: ["Chuyên viên", "Giám đốc"])
        let lines = roster.problems.map { "\($0.line) \($0.isFatal ? "F" : "w") \($0.message)" }
        #expect(
            lines == [
                "2 F official_address tranhuong85@gmail.com is not in the policy's official domains (namdinh.gov.vn); "
                    + "a personal address goes in personal_addresses",
                "4 w position \"Văn thư\" (2 rows) matches no quota_by_position rule of the policy: the mailbox gets "
                    + "the domain's default quota",
            ])
        #expect(roster.members.map(\.employeeID) == ["E2", "E3", "E4"])
    }
}
