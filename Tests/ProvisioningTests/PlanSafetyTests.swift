import Census
import Foundation
import MailLog
import MailLogTesting
import Provisioning
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
}
