import Census
import Foundation
import Provisioning
import TestSupport
import Testing

@Suite("Provisioning: addresses checked, HR's password file safe to open")
struct PlanSafetyTests {
    @Test("an address that is not a plain mailbox is refused, never created")
    func refused() throws {
        let roster = Roster(
            csv: PlanTests.header + "E1,Nguyễn Văn An,STTTT,,,Chuyên viên,,,active,,\n"
                + "E2,Lê Thị Hoa,STTTT,,,Chuyên viên,,,active,,\n")
        #expect(!roster.hasFatalProblems)
        // E1's address as an earlier run (or a tampered store) recorded it; E2's from the rule.
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: [], aliases: [],
            assigned: ["E1": "x>\r\nX-Injected:1\r\nX:<annv@namdinh.gov.vn"], rules: try PlanTests.rules(),
            today: PlanTests.today)
        #expect(plan.creates.map(\.address) == ["hoalt@namdinh.gov.vn"])
        #expect(plan.refused.map(\.employeeID) == ["E1"])
        #expect(plan.refused.first?.reason.contains("not a plain mail address") == true)

        let dotted = ProvisioningPlan(
            roster: roster.members, accounts: [], aliases: [], assigned: [:],
            rules: ProvisioningRules(domain: "namdinh.gov.vn", template: try AddressTemplate("{given}{middle}.")),
            today: PlanTests.today)
        #expect(dotted.creates.isEmpty, "\(dotted.creates.map(\.address))")
        #expect(dotted.refused.map(\.address) == ["anvan.@namdinh.gov.vn", "hoathi.@namdinh.gov.vn"])
    }

    @Test("initial passwords start with a letter: never a formula in HR's spreadsheet")
    func passwordsStartWithALetter() {
        let passwords = (0..<2000).map { _ in InitialPassword.make() }
        #expect(passwords.allSatisfy { $0.count == 16 })
        let formulas = passwords.filter { $0.first?.isLetter != true }
        #expect(formulas.isEmpty, "\(formulas.prefix(3))")
    }

    @Test("the password file: roster values neutralised, a line break quoted, the password intact")
    func passwordFile() throws {
        let folder = TemporaryFolder()
        let path = folder.path("passwords.csv")
        let file = try PasswordFile(path: path)
        try file.record(employeeID: "E1\r\n=cmd|' /C calc'!A0", address: "annv@namdinh.gov.vn", password: "-Xy,z\"1")
        try file.record(employeeID: "@E2", address: "hoalt@namdinh.gov.vn", password: "=abc")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(
            text == "employee_id,address,password\n\"E1\r\n'=cmd|' /C calc'!A0\",annv@namdinh.gov.vn,\"-Xy,z\"\"1\"\n"
                + "'@E2,hoalt@namdinh.gov.vn,=abc\n")
    }
}
