public import Census

/// Roster against server accounts against activity: what an auditor asks about.
public struct Audit: Sendable {
    public enum Kind: String, Sendable, CaseIterable {
        /// An enabled account with no active roster entry.
        case orphan
        /// Active staff with no account on the server.
        case noAccount = "no-account"
        /// Active staff whose account is disabled.
        case disabled
        /// An enabled account never seen logging in or submitting mail.
        case neverActive = "never-active"
        /// An enabled account last active more than the dormancy period ago.
        case dormant
        /// A mailbox at or above 90% of its quota.
        case quotaNearlyFull = "quota-nearly-full"
    }

    public struct Finding: Sendable, Equatable {
        public var kind: Kind
        public var address: String?
        public var employeeID: String?
        public var detail: String
    }

    public private(set) var findings: [Finding] = []

    /// - Parameters:
    ///   - assigned: addresses given by provisioning, by employee id (the roster's own
    ///     `official_address` wins).
    ///   - lastActive: the last day (day number) each address logged in or submitted mail.
    ///   - shared: shared mailboxes the policy gives departments: nobody's, and no orphans.
    ///   - today: day number.
    public init(
        roster: [StaffMember], accounts: [MailAccount], assigned: [String: String], lastActive: [String: Int],
        shared: Set<String> = [], today: Int, dormantDays: Int = 90
    ) {
        let byAddress = Dictionary(accounts.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var staffAddresses: Set<String> = []
        for member in roster.sorted(by: { $0.employeeID < $1.employeeID }) {
            let leaving = member.status == .left || (member.endDay.map { $0 < today } ?? false)
            guard !leaving else { continue }
            guard let address = member.officialAddress ?? assigned[member.employeeID], let account = byAddress[address]
            else {
                findings.append(
                    Finding(
                        kind: .noAccount, address: member.officialAddress ?? assigned[member.employeeID],
                        employeeID: member.employeeID,
                        detail: "\(member.fullName) (roster line \(member.line)) has no account"))
                continue
            }
            staffAddresses.insert(address)
            if !account.isActive {
                findings.append(
                    Finding(
                        kind: .disabled, address: address, employeeID: member.employeeID,
                        detail: "\(member.fullName) is active in the roster but the account is disabled"))
            }
        }
        for account in accounts.sorted(by: { $0.address < $1.address }) where account.isActive {
            if !staffAddresses.contains(account.address) && !shared.contains(account.address) {
                findings.append(
                    Finding(
                        kind: .orphan, address: account.address, employeeID: nil,
                        detail: "enabled, but no active staff member has it"))
            }
            if let day = lastActive[account.address] {
                if today - day > dormantDays {
                    findings.append(
                        Finding(
                            kind: .dormant, address: account.address, employeeID: nil,
                            detail: "last active \(today - day) days ago"))
                }
            } else {
                findings.append(
                    Finding(
                        kind: .neverActive, address: account.address, employeeID: nil,
                        detail: "never seen logging in or sending in the logs ingested"))
            }
            if let used = account.usedMB, let quota = account.quotaMB, quota > 0, used * 10 >= quota * 9 {
                findings.append(
                    Finding(
                        kind: .quotaNearlyFull, address: account.address, employeeID: nil,
                        detail: "\(used) of \(quota) MB used"))
            }
        }
    }
}
