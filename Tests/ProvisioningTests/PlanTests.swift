import Basics
import Census
import Foundation
import Provisioning
import Testing

@Suite("Provisioning plan")
struct PlanTests {
    static let header =
        "employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date\n"
    static let today = CivilTime.days(year: 2026, month: 11, day: 25)

    static func rules(share: Double = 0.05) throws -> ProvisioningRules {
        ProvisioningRules(
            domain: "namdinh.gov.vn", template: try AddressTemplate("{given}{initials}"),
            quotaByPosition: ["Giám đốc": 4096, "Chuyên viên": 1024], massDisableShare: share)
    }

    static func account(
        _ id: String, _ address: String, _ first: String, _ last: String, active: Bool = true, quota: Int? = 1024
    )
        -> MailAccount
    {
        MailAccount(id: id, address: address, firstName: first, lastName: last, isActive: active, quotaMB: quota)
    }

    @Test("creates, updates and disables, each with its reason")
    func plan() throws {
        let roster = Roster(
            csv: Self.header
                + "E1,Nguyễn Văn An,STTTT,,province,Chuyên viên,annv@namdinh.gov.vn,,active,,\n"
                + "E2,Ngô Việt An,STTTT,,province,Giám đốc,,,active,,\n"
                + "E3,Trần Thị Bình,SNV,,province,Chuyên viên,binhtt@namdinh.gov.vn,,left,,2026-10-31\n"
                + "E4,Lê Văn Cường,SNV,,province,Chuyên viên,cuonglv@namdinh.gov.vn,,active,2020-01-01,2026-11-01\n"
                + "E5,Phạm Thu Hà,SYT,,province,Chuyên viên,hapt@namdinh.gov.vn,,active,,\n")
        #expect(!roster.hasFatalProblems)
        let accounts =
            [
                Self.account("1", "annv@namdinh.gov.vn", "Văn An", "Nguyễn"),
                Self.account("2", "binhtt@namdinh.gov.vn", "Thị Bình", "Trần"),
                Self.account("3", "cuonglv@namdinh.gov.vn", "Văn Cường", "Lê"),
                Self.account("4", "hapt@namdinh.gov.vn", "Thu Ha", "Pham", quota: 500),
            ] + (5...40).map { Self.account("\($0)", "user\($0)@namdinh.gov.vn", "X", "Y") }
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: accounts, aliases: [], assigned: [:], rules: try Self.rules(),
            today: Self.today)
        #expect(plan.creates.map(\.address) == ["annv2@namdinh.gov.vn"])
        #expect(plan.creates.first?.quotaMB == 4096)
        #expect(plan.creates.first?.firstName == "Việt An" && plan.creates.first?.lastName == "Ngô")
        #expect(plan.disables.map(\.address) == ["binhtt@namdinh.gov.vn", "cuonglv@namdinh.gov.vn"])
        #expect(plan.disables[0].reason.hasPrefix("status left"))
        #expect(plan.disables[1].reason.hasPrefix("end date passed"))
        #expect(plan.updates.map(\.address) == ["hapt@namdinh.gov.vn"])
        #expect(plan.updates.first?.changes == AccountChanges(firstName: "Thu Hà", lastName: "Phạm", quotaMB: 1024))
        #expect(plan.updates.first?.reasons.count == 2)
        #expect(plan.disableLimit == 2 && !plan.exceedsDisableLimit)
    }

    @Test("a plan over a server already in line is empty; disabled leavers stay as they are")
    func idempotent() throws {
        let roster = Roster(
            csv: Self.header + "E1,Nguyễn Văn An,STTTT,,,Chuyên viên,,,active,,\n"
                + "E3,Trần Thị Bình,SNV,,,,binhtt@namdinh.gov.vn,,left,,\n")
        let accounts = [
            Self.account("1", "annv@namdinh.gov.vn", "Văn An", "Nguyễn"),
            Self.account("2", "binhtt@namdinh.gov.vn", "Thị Bình", "Trần", active: false),
        ]
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: accounts, aliases: [], assigned: ["E1": "annv@namdinh.gov.vn"],
            rules: try Self.rules(), today: Self.today)
        #expect(plan.isEmpty)
    }

    @Test("disabling more than the policy's share trips the guard")
    func massDisable() throws {
        let rows = (1...6).map { "E\($0),Nguyễn Văn An,D,,,,u\($0)@namdinh.gov.vn,,left,," }
        let roster = Roster(csv: Self.header + rows.joined(separator: "\n") + "\n")
        let accounts = (1...40).map { Self.account("\($0)", "u\($0)@namdinh.gov.vn", "A", "B") }
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: accounts, aliases: [], assigned: [:], rules: try Self.rules(),
            today: Self.today)
        #expect(plan.disables.count == 6)
        #expect(plan.disableLimit == 2)
        #expect(plan.exceedsDisableLimit)
    }

    @Test("department lists: staff added, leavers and movers taken off, other recipients kept")
    func departmentLists() throws {
        let roster = Roster(
            csv: Self.header + "E1,Nguyễn Văn An,STTTT,,,,annv@namdinh.gov.vn,,active,,\n"
                + "E2,Trần Thị Bình,STTTT,,,,binhtt@namdinh.gov.vn,,left,,\n"
                + "E3,Lê Văn Cường,SNV,,,,cuonglv@namdinh.gov.vn,,active,,\n"
                + "E4,Phạm Thu Hà,STTTT,,,,,,active,,\n")
        let accounts = [
            Self.account("1", "annv@namdinh.gov.vn", "Văn An", "Nguyễn", quota: nil),
            Self.account("2", "binhtt@namdinh.gov.vn", "Thị Bình", "Trần", active: false, quota: nil),
            Self.account("3", "cuonglv@namdinh.gov.vn", "Văn Cường", "Lê", quota: nil),
        ]
        // The old list still has the leaver and E3, who moved to SNV, and an outside address.
        let aliases = [
            MailAlias(
                id: "9", address: "stttt@namdinh.gov.vn",
                recipients: ["binhtt@namdinh.gov.vn", "cuonglv@namdinh.gov.vn", "vanthu@example.org"], isEnabled: true)
        ]
        var rules = try Self.rules()
        rules.departmentLists = ["STTTT": "stttt@namdinh.gov.vn", "SNV": "snv@namdinh.gov.vn"]
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: accounts, aliases: aliases, assigned: [:], rules: rules, today: Self.today
        )
        #expect(plan.creates.map(\.address) == ["hapt@namdinh.gov.vn"])
        #expect(plan.lists.count == 2)
        let snv = try #require(plan.lists.first { $0.department == "SNV" })
        #expect(snv.aliasID == nil && snv.recipients == ["cuonglv@namdinh.gov.vn"])
        let stttt = try #require(plan.lists.first { $0.department == "STTTT" })
        #expect(stttt.aliasID == "9")
        #expect(stttt.added == ["annv@namdinh.gov.vn", "hapt@namdinh.gov.vn"])
        #expect(stttt.removed == ["binhtt@namdinh.gov.vn", "cuonglv@namdinh.gov.vn"])
        #expect(stttt.recipients == ["annv@namdinh.gov.vn", "hapt@namdinh.gov.vn", "vanthu@example.org"])
        // Once in line, nothing more to do.
        let after = ProvisioningPlan(
            roster: roster.members,
            accounts: accounts + [Self.account("4", "hapt@namdinh.gov.vn", "Thu Hà", "Phạm", quota: nil)],
            aliases: [
                MailAlias(id: "9", address: "stttt@namdinh.gov.vn", recipients: stttt.recipients, isEnabled: true),
                MailAlias(id: "10", address: "snv@namdinh.gov.vn", recipients: snv.recipients, isEnabled: true),
            ], assigned: ["E4": "hapt@namdinh.gov.vn"], rules: rules, today: Self.today)
        #expect(after.isEmpty)
    }

    @Test("an account created by a run that stopped before saving its password gets a new one")
    func lostPassword() throws {
        let roster = Roster(
            csv: Self.header + "E1,Nguyễn Văn An,STTTT,,,,,,active,,\nE2,Ngô Việt An,STTTT,,,,,,active,,\n")
        let accounts = [Self.account("1", "annv@namdinh.gov.vn", "Văn An", "Nguyễn", quota: nil)]
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: accounts, aliases: [],
            assigned: ["E1": "annv@namdinh.gov.vn", "E2": "annv2@namdinh.gov.vn"], unconfirmed: ["E1", "E2"],
            rules: try Self.rules(), today: Self.today)
        #expect(plan.resets.map(\.address) == ["annv@namdinh.gov.vn"])
        #expect(plan.creates.map(\.address) == ["annv2@namdinh.gov.vn"])
        #expect(plan.updates.isEmpty)
    }

    /// 300 people in 30 departments of 10, all on the server and on their lists, as an earlier run left them.
    static func province() throws -> (
        rows: [String], accounts: [MailAccount], aliases: [MailAlias], rules: ProvisioningRules,
        assigned: [String: String]
    ) {
        let families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
        let givens = ["An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Minh", "Nam", "Oanh"]
        var rows: [String] = []
        var accounts: [MailAccount] = []
        var assigned: [String: String] = [:]
        var recipients: [String: [String]] = [:]
        for index in 0..<300 {
            let address = "u\(index)@namdinh.gov.vn"
            let family = families[index % 10]
            let given = givens[(index / 10) % 10]
            let department = "D\(index % 30)"
            rows.append("E\(1000 + index),\(family) Văn \(given),\(department),,,,,,active,,")
            accounts.append(Self.account("\(index)", address, "Văn \(given)", family, quota: nil))
            assigned["E\(1000 + index)"] = address
            recipients[department, default: []].append(address)
        }
        var rules = try Self.rules()
        rules.quotaByPosition = [:]
        rules.departmentLists = Dictionary(uniqueKeysWithValues: (0..<30).map { ("D\($0)", "d\($0)@namdinh.gov.vn") })
        let aliases = (0..<30).map { index in
            MailAlias(
                id: "a\(index)", address: "d\(index)@namdinh.gov.vn", recipients: recipients["D\(index)"] ?? [],
                isEnabled: true)
        }
        return (rows, accounts, aliases, rules, assigned)
    }

    @Test("a partial roster: list removals of people missing from it trip the guard, and the roster is too small")
    func partialRoster() throws {
        let province = try Self.province()
        let whole = Roster(csv: Self.header + province.rows.joined(separator: "\n") + "\n")
        #expect(!whole.hasFatalProblems)
        let inLine = ProvisioningPlan(
            roster: whole.members, accounts: province.accounts, aliases: province.aliases,
            assigned: province.assigned, rules: province.rules, today: Self.today)
        #expect(inLine.isEmpty && !inLine.isPartialRoster && !inLine.exceedsRemovalLimit)
        let partial = Roster(csv: Self.header + province.rows.prefix(30).joined(separator: "\n") + "\n")
        let plan = ProvisioningPlan(
            roster: partial.members, accounts: province.accounts, aliases: province.aliases,
            assigned: province.assigned, rules: province.rules, today: Self.today)
        #expect(plan.disables.isEmpty && plan.creates.isEmpty)
        #expect(plan.absentRemovals.count == 270)
        #expect(plan.disableLimit == 15)
        #expect(plan.exceedsRemovalLimit)
        #expect(plan.rosterSize == 30 && plan.activeAccounts == 300 && plan.isPartialRoster)
        // A mover and a leaver are roster staff: taken off their old list, within the limit.
        var rows = province.rows
        rows[0] = rows[0].replacingOccurrences(of: ",D0,", with: ",D1,")
        rows[1] = rows[1].replacingOccurrences(of: ",active,", with: ",left,")
        let moved = ProvisioningPlan(
            roster: Roster(csv: Self.header + rows.joined(separator: "\n") + "\n").members, accounts: province.accounts,
            aliases: province.aliases, assigned: province.assigned, rules: province.rules, today: Self.today)
        #expect(Set(moved.lists.flatMap(\.removed)) == ["u0@namdinh.gov.vn", "u1@namdinh.gov.vn"])
        #expect(moved.absentRemovals.isEmpty && !moved.exceedsRemovalLimit && !moved.isPartialRoster)
    }

    @Test("an official_address the journal gives to another person is a conflict: nobody's mailbox changes hands")
    func takeover() throws {
        let roster = Roster(
            csv: Self.header + "NB001,Nguyễn Văn An,STTTT,,,Chuyên viên,,,active,,\n"
                + "NB777,Trần Thị Bình,STTTT,,,Giám đốc,annv@namdinh.gov.vn,,active,,\n")
        #expect(!roster.hasFatalProblems)
        let accounts = [Self.account("1", "annv@namdinh.gov.vn", "Văn An", "Nguyễn")]
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: accounts, aliases: [], assigned: ["NB001": "annv@namdinh.gov.vn"],
            rules: try Self.rules(), today: Self.today)
        #expect(
            plan.conflicts.map { "\($0.employeeID) \($0.address) \($0.owner) \($0.line)" } == [
                "NB777 annv@namdinh.gov.vn NB001 3"
            ])
        #expect(plan.updates.isEmpty && plan.creates.isEmpty)
    }

    @Test("a name change is shown: a rename when the name is another, a spelling fix when only marks or spaces change")
    func rename() throws {
        let roster = Roster(
            csv: Self.header + "E1,Trần Thị Bình,STTTT,,,,annv@namdinh.gov.vn,,active,,\n"
                + "E2,Phạm Thu Hà,STTTT,,,,hapt@namdinh.gov.vn,,active,,\n")
        let accounts = [
            Self.account("1", "annv@namdinh.gov.vn", "Văn An", "Nguyễn", quota: nil),
            Self.account("2", "hapt@namdinh.gov.vn", "Thu Ha", "Pham", quota: nil),
        ]
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: accounts, aliases: [], assigned: [:], rules: try Self.rules(),
            today: Self.today)
        #expect(plan.updates.map(\.isRename) == [true, false])
        #expect(plan.updates.first?.reasons.first?.hasPrefix("rename \"Nguyễn Văn An\" → \"Trần Thị Bình\"") == true)
    }

    @Test("names with tabs, no-break or em spaces: the server gets the right first and last names")
    func spacedNames() throws {
        let roster = Roster(
            csv: Self.header + "E1,\"Đỗ\tMạnh\tHùng\",STTTT,,,,dmh@namdinh.gov.vn,,active,,\n"
                + "E2,\"Lê\u{A0}Thị\u{2003}Hoa\",STTTT,,,,,,active,,\n")
        // The account an older version made, with the whole name as its first name.
        let accounts = [Self.account("1", "dmh@namdinh.gov.vn", "Đỗ\tMạnh\tHùng", "", quota: nil)]
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: accounts, aliases: [], assigned: [:], rules: try Self.rules(),
            today: Self.today)
        #expect(plan.updates.first?.changes == AccountChanges(firstName: "Mạnh Hùng", lastName: "Đỗ"))
        #expect(plan.updates.first?.isRename == false)
        #expect(plan.creates.map(\.address) == ["hoalt@namdinh.gov.vn"])
        #expect(plan.creates.first.map { [$0.firstName, $0.lastName] } == ["Thị Hoa", "Lê"])
    }

    @Test("an address outside the official domain is refused, never created")
    func outsideDomain() throws {
        let roster = Roster(csv: Self.header + "E1,Trần Thị Hương,STTTT,,,,tranhuong85@gmail.com,,active,,\n")
        let plan = ProvisioningPlan(
            roster: roster.members, accounts: [], aliases: [], assigned: [:], rules: try Self.rules(),
            today: Self.today)
        #expect(plan.creates.isEmpty)
        #expect(plan.refused.first?.reason.contains("outside the official domain") == true)
    }
}
