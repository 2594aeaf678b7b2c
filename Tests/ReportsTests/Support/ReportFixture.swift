import Basics
import Census
import Foundation
import TestSupport
import Testing

/// A small province, fixed once, for golden files: three departments (one of three people, for
/// privacy), October and November of logs, and a member whose name and addresses are hostile.
enum ReportFixture {
    static let firstDay = CivilTime.days(year: 2026, month: 11, day: 1)
    static let november = DayRange(days: 30, endingOn: firstDay + 29)
    static let hostileName = "=HYPERLINK(\"http://evil.example\",\"<script>alert(1)</script>\")\u{202E}gnp\u{200B}.exe"
    /// Hostile, yet a plain address as a roster must give one: `=`, `|`, `'`, `/`, `!` are all
    /// allowed in a local part.
    static let hostileWebmail = "=cmd|'/c_calc'!a0@gmail.com"
    /// An address as a log may carry it: nobody's, and first in its department's list.
    static let hostileLogAddress = "=2+5+cmd|' /c calc'!a0<img src=x>@gmail.com"

    static let policy: Policy = {
        var policy = Policy(province: "Nam Định", officialDomains: ["namdinh.gov.vn"])
        policy.departments = [
            Department(
                code: "STTTT", name: "Sở Thông tin và Truyền thông", level: .province,
                shared: ["vanthu.stttt@namdinh.gov.vn"]),
            Department(code: "SNV", name: "Sở Nội vụ <b>", level: .province),
            Department(code: "UBVUBAN", name: "UBND huyện Vụ Bản", level: .district),
        ]
        return policy
    }()

    static let rosterText = """
        employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date
        E01,Nguyễn Văn An,STTTT,,province,Giám đốc,annv@namdinh.gov.vn,,active,,
        E02,Trần Thị Bình,STTTT,,province,Chuyên viên,binhtt@namdinh.gov.vn,binh.tran@gmail.com,active,,
        E03,Lê Văn Cường,STTTT,,province,Chuyên viên,cuonglv@namdinh.gov.vn,,active,,
        E04,Phạm Thu Dung,STTTT,,province,Chuyên viên,,,active,,
        E05,Vũ Quang Minh,STTTT,,province,Chuyên viên,minhvq@namdinh.gov.vn,,active,,
        E06,Hoàng Thị Ánh Nguyệt,STTTT,,province,Chuyên viên,nguyetnta@namdinh.gov.vn,,active,,
        E07,Đặng Văn Hùng,SNV,,province,Trưởng phòng,hungdv@namdinh.gov.vn,,active,,
        E08,Bùi Thị Lan,SNV,,province,Chuyên viên,lanbt@namdinh.gov.vn,,active,,
        E09,Ngô Văn Nam,SNV,,province,Chuyên viên,,,active,,
        E10,Hostile Name,SNV,,province,Chuyên viên,,\(hostileWebmail),active,,
        E11,Đỗ Thị Oanh,SNV,,province,Chuyên viên,oanhdt@namdinh.gov.vn,,active,,
        E12,Lý Văn Phúc,SNV,,province,Chuyên viên,phuclv@namdinh.gov.vn,,left,,
        E13,Dương Thị Quyên,UBVUBAN,,district,Chủ tịch,quyendt@namdinh.gov.vn,,active,,
        E14,Mai Văn Sơn,UBVUBAN,,district,Chuyên viên,,,active,,
        E15,Cao Thị Tâm,UBVUBAN,,district,Chuyên viên,tamct@namdinh.gov.vn,,active,,

        """

    static var roster: [StaffMember] {
        let roster = Roster(csv: rosterText, departments: policy.departmentCodes)
        precondition(!roster.hasFatalProblems, "\(roster.problems)")
        // A roster refuses such a name; the reports must still keep any text they are given as data.
        return roster.members.map { member in
            var member = member
            if member.employeeID == "E10" { member.fullName = hostileName }
            return member
        }
    }

    /// The store's data: `day` counts from 1 November (negative: October).
    static var data: CensusData {
        var builder = CensusDataBuilder(firstDay: firstDay, coverage: (firstDay - 30)...(firstDay + 29))
        for day in [-20, -3, 4, 11, 18, 25] { builder.login("annv@namdinh.gov.vn", day: day, logins: 2, submitted: 1) }
        for day in [20, 27] { builder.login("binhtt@namdinh.gov.vn", day: day, logins: 2, submitted: 1) }
        builder.login("hungdv@namdinh.gov.vn", day: -10, logins: 2, submitted: 1)
        builder.login("hungdv@namdinh.gov.vn", day: 15, logins: 2, submitted: 1)
        builder.login("quyendt@namdinh.gov.vn", day: 9, logins: 2, submitted: 1)
        builder.login("minhvq@namdinh.gov.vn", day: -6, logins: 2, submitted: 1)
        builder.login("vanthu.stttt@namdinh.gov.vn", day: 5, logins: 2, submitted: 1)
        builder.message("annv@namdinh.gov.vn", "cuonglv@namdinh.gov.vn", 4, day: 4)
        builder.message("annv@namdinh.gov.vn", "hungdv@namdinh.gov.vn", 2, day: 11)
        builder.message("vanthu.stttt@namdinh.gov.vn", "congvan@mic.gov.vn", 3, day: 5)
        builder.message("binh.tran@gmail.com", "annv@namdinh.gov.vn", 2, day: 12)
        // Phạm Thu Dung has no account; her Gmail is inferred from her name and department.
        builder.message("phamthudung1990@gmail.com", "annv@namdinh.gov.vn", 3, day: 14)
        builder.message("cuonglv@namdinh.gov.vn", "phamthudung1990@gmail.com", 1, day: 15)
        // Minh forwards his official mail to Gmail.
        builder.forward("minhvq@namdinh.gov.vn", "minh.vu.nd@gmail.com", day: 16)
        builder.message("congvan@mic.gov.vn", "minhvq@namdinh.gov.vn", 1, day: 16)
        builder.message("congvan@mic.gov.vn", "minh.vu.nd@gmail.com", 1, day: 16)
        // Shaped like nobody's name: unattributed, listed for the department.
        builder.message("hoamai1990@yahoo.com", "lanbt@namdinh.gov.vn", 5, day: 8)
        builder.message(hostileWebmail, "oanhdt@namdinh.gov.vn", 1, day: 9)
        builder.message(hostileLogAddress, "lanbt@namdinh.gov.vn", 6, day: 9)
        builder.message("sontv@gmail.com", "quyendt@namdinh.gov.vn", 1, day: 10)
        builder.message("tamct.vuban@gmail.com", "quyendt@namdinh.gov.vn", 2, day: 22)
        return builder.data
    }

    static var report: CensusReport {
        AdoptionCensus(policy: policy, roster: roster, data: data).report(period: november, trendWeeks: 4)
    }
}

/// Golden files: the text must equal `Fixtures/golden/NAME`; `RECORD_SNAPSHOTS=1 swift test`
/// writes it anew (then review the diff).
func assertGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden/\(name)")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        // A recording run checks nothing: it must not pass for one that did.
        Issue.record(
            "recorded \(name): review the diff, then run again without RECORD_SNAPSHOTS", sourceLocation: sourceLocation
        )
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no golden file \(name): run RECORD_SNAPSHOTS=1 swift test", sourceLocation: sourceLocation)
        return
    }
    if text != expected {
        let ours = text.split(separator: "\n", omittingEmptySubsequences: false)
        let theirs = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let line =
            zip(ours, theirs).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(ours.count, theirs.count)
        Issue.record(
            "\(name) differs from its golden file at line \(line + 1):\n  got      \(line < ours.count ? String(ours[line]) : "(end)")\n  expected \(line < theirs.count ? String(theirs[line]) : "(end)")",
            sourceLocation: sourceLocation)
    }
}
