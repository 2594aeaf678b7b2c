import Basics
import Census
import Provisioning
import Testing

@Suite("Audit: roster, accounts and activity")
struct AuditTests {
    @Test("each kind of finding, once, where it belongs")
    func findings() {
        let today = CivilTime.days(year: 2026, month: 11, day: 25)
        let roster = Roster(
            csv: "employee_id,full_name,department_code,status,official_address\n"
                + "E1,Nguyễn Văn An,D,active,annv@namdinh.gov.vn\n"
                + "E2,Trần Thị Bình,D,active,\n"
                + "E3,Lê Văn Cường,D,active,cuonglv@namdinh.gov.vn\n"
                + "E4,Phạm Thu Hà,D,left,hapt@namdinh.gov.vn\n"
                + "E5,Vũ Minh Đức,D,active,\n")
        let accounts = [
            MailAccount(
                id: "1", address: "annv@namdinh.gov.vn", firstName: "", lastName: "", isActive: true, quotaMB: 1000,
                usedMB: 950),
            MailAccount(
                id: "3", address: "cuonglv@namdinh.gov.vn", firstName: "", lastName: "", isActive: false, quotaMB: nil),
            MailAccount(
                id: "4", address: "hapt@namdinh.gov.vn", firstName: "", lastName: "", isActive: true, quotaMB: nil),
            MailAccount(
                id: "5", address: "ducvm@namdinh.gov.vn", firstName: "", lastName: "", isActive: true, quotaMB: nil),
        ]
        let audit = Audit(
            roster: roster.members, accounts: accounts, assigned: ["E5": "ducvm@namdinh.gov.vn"],
            lastActive: ["annv@namdinh.gov.vn": today - 3, "hapt@namdinh.gov.vn": today - 200], today: today)
        let found = audit.findings.map { "\($0.kind.rawValue) \($0.address ?? $0.employeeID ?? "")" }
        #expect(
            Set(found) == [
                "no-account E2", "disabled cuonglv@namdinh.gov.vn", "orphan hapt@namdinh.gov.vn",
                "dormant hapt@namdinh.gov.vn", "never-active ducvm@namdinh.gov.vn",
                "quota-nearly-full annv@namdinh.gov.vn",
            ])
        #expect(found.count == 6)
    }
}
