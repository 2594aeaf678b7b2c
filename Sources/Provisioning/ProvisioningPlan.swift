public import Census
import Foundation

/// What provisioning would change on the mail server, and why. Nothing here touches the server.
public struct ProvisioningPlan: Sendable {
    public struct Create: Sendable, Equatable {
        public var employeeID: String
        public var address: String
        public var firstName: String
        public var lastName: String
        public var quotaMB: Int?
        public var reason: String
    }

    public struct Update: Sendable, Equatable {
        public var employeeID: String
        public var accountID: String
        public var address: String
        public var changes: AccountChanges
        public var reasons: [String]
        /// The account's first or last name changes to another name, not merely to its spelling
        /// with diacritics or spaces: a different person, or a typo in `official_address`?
        public var isRename = false
    }

    /// An account an earlier run created whose initial password never reached HR's file.
    public struct PasswordReset: Sendable, Equatable {
        public var employeeID: String
        public var accountID: String
        public var address: String
        public var reason: String
    }

    /// A department's distribution list brought in line with its active staff.
    public struct ListChange: Sendable, Equatable {
        public var department: String
        public var address: String
        /// The server's id of the alias; nil: it is to be created.
        public var aliasID: String?
        /// The whole list after the change.
        public var recipients: [String]
        public var added: [String]
        public var removed: [String]
    }

    public struct Disable: Sendable, Equatable {
        public var employeeID: String
        public var accountID: String
        public var address: String
        public var reason: String
    }

    /// Staff whose address (given by the roster or an earlier run, or made by the naming rule)
    /// is not a plain mail address (`MailAddress.isValid`): nothing is done for them.
    public struct Refusal: Sendable, Equatable {
        public var employeeID: String
        public var address: String
        public var reason: String
    }

    /// A roster row whose `official_address` an earlier run gave to somebody else (the journal
    /// says whose): a typo would hand a colleague's mailbox over. Nothing is planned for the row;
    /// the roster must be fixed first.
    public struct Conflict: Sendable, Equatable {
        public var employeeID: String
        public var address: String
        /// The employee the journal gave the address to.
        public var owner: String
        public var line: Int
    }

    public var creates: [Create] = []
    public var conflicts: [Conflict] = []
    public var refused: [Refusal] = []
    public var resets: [PasswordReset] = []
    public var updates: [Update] = []
    public var lists: [ListChange] = []
    public var disables: [Disable] = []
    /// Accounts on the server when the plan was made (for the mass-disable guard).
    public var accountCount = 0
    /// The most accounts one run may disable without `--allow-mass-disable`; also the most people
    /// absent from the roster one run may take off department lists without `--allow-mass-removal`.
    public var disableLimit = 0
    /// Rows of the roster (active and leavers), and the server's active accounts: a roster with
    /// fewer rows than half the active accounts looks like a partial file.
    public var rosterSize = 0
    public var activeAccounts = 0
    /// Addresses taken off department lists whose owner (by the journal) is not in the roster at
    /// all: neither left nor moved, perhaps only missing from a partial file.
    public var absentRemovals: [String] = []

    public var isEmpty: Bool {
        creates.isEmpty && resets.isEmpty && updates.isEmpty && lists.isEmpty && disables.isEmpty
    }
    /// Whether the plan disables more accounts than the policy allows at once.
    public var exceedsDisableLimit: Bool { disables.count > disableLimit }
    /// Whether the plan takes more people absent from the roster off lists than the limit allows.
    public var exceedsRemovalLimit: Bool { absentRemovals.count > disableLimit }
    /// Whether the roster has fewer rows than half the server's active accounts.
    public var isPartialRoster: Bool { rosterSize * 2 < activeAccounts }
}

/// The rules a plan follows.
public struct ProvisioningRules: Sendable {
    public var domain: String
    public var template: AddressTemplate
    /// Mailbox quota in MB by position (lower case); nil: the domain's default.
    public var quotaByPosition: [String: Int]
    /// Share of the server's accounts one run may disable (0.05 = 5%), at least one account.
    public var massDisableShare: Double
    /// Each department's distribution list (department code → address), kept to its active
    /// staff: staff missing from it are added, roster staff no longer in the department (left,
    /// moved) are taken off, people the journal knows who are missing from the roster are taken
    /// off too (counted in `absentRemovals`, against the limit), and any other recipient is left
    /// alone.
    public var departmentLists: [String: String]

    public init(
        domain: String, template: AddressTemplate, quotaByPosition: [String: Int] = [:],
        massDisableShare: Double = 0.05,
        departmentLists: [String: String] = [:]
    ) {
        self.domain = domain.lowercased()
        self.template = template
        self.quotaByPosition = Dictionary(uniqueKeysWithValues: quotaByPosition.map { ($0.key.lowercased(), $0.value) })
        self.massDisableShare = massDisableShare
        self.departmentLists = departmentLists.mapValues { $0.lowercased() }
    }
}

extension ProvisioningPlan {
    /// Plans the changes that bring the server in line with the roster.
    ///
    /// - Parameters:
    ///   - assigned: addresses already given, by employee id (earlier runs); the roster's
    ///     `official_address` counts as given too.
    ///   - unconfirmed: employee ids whose creation an earlier run started but did not confirm;
    ///     those whose account exists get a new initial password.
    ///   - today: day number; staff whose end date has passed are treated as leavers.
    public init(
        roster: [StaffMember], accounts: [MailAccount], aliases: [MailAlias], assigned: [String: String],
        unconfirmed: Set<String> = [], rules: ProvisioningRules, today: Int
    ) {
        // The journal's owner of each address: a roster row claiming another's is a conflict.
        var owners: [String: String] = [:]
        for (employeeID, address) in assigned.sorted(by: { $0.key < $1.key }) where owners[address] == nil {
            owners[address] = employeeID
        }
        var given = assigned
        var conflicting: Set<String> = []
        for member in roster.sorted(by: { $0.employeeID < $1.employeeID }) {
            guard let address = member.officialAddress else { continue }
            if let owner = owners[address], owner != member.employeeID {
                conflicts.append(
                    Conflict(employeeID: member.employeeID, address: address, owner: owner, line: member.line))
                conflicting.insert(member.employeeID)
                continue
            }
            given[member.employeeID] = address
        }
        let byAddress = Dictionary(accounts.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        var allocator = AddressAllocator(
            template: rules.template, domain: rules.domain,
            taken: Set(accounts.map(\.address) + aliases.map(\.address) + rules.departmentLists.values), assigned: given
        )
        /// Addresses of active staff by department, and every address the roster's people hold.
        var staffOf: [String: [String]] = [:]
        var rosterAddresses = Set(given.values)
        accountCount = accounts.count
        activeAccounts = accounts.filter(\.isActive).count
        rosterSize = roster.count
        /// Addresses of the people in the roster (leavers too), as against those the journal alone knows.
        var memberAddresses = Set(roster.compactMap { given[$0.employeeID] })
        disableLimit = max(1, Int((Double(accounts.count) * rules.massDisableShare).rounded(.down)))
        for member in roster.sorted(by: { $0.employeeID < $1.employeeID })
        where !conflicting.contains(member.employeeID) {
            let leaving = member.status == .left || (member.endDay.map { $0 < today } ?? false)
            let names = ProvisioningPlan.names(member.fullName)
            let quota = rules.quotaByPosition[member.position.lowercased()]
            if leaving {
                guard let address = given[member.employeeID], let account = byAddress[address], account.isActive else {
                    continue
                }
                let why = member.status == .left ? "status left" : "end date passed"
                disables.append(
                    Disable(
                        employeeID: member.employeeID, accountID: account.id, address: address,
                        reason: "\(why) (roster line \(member.line))"))
                continue
            }
            // The roster checks names; staff made otherwise meet the same rule.
            var nameProblem: String?
            do { _ = try VietnameseName.normalize(member.fullName) } catch { nameProblem = error.message }
            let name = VietnameseName(member.fullName)
            if nameProblem == nil && name == nil && given[member.employeeID] == nil {
                nameProblem = "full_name has no letter the naming rule can use; give an official_address"
            }
            if let nameProblem {
                refused.append(
                    Refusal(
                        employeeID: member.employeeID, address: given[member.employeeID] ?? "",
                        reason: "\(nameProblem) (roster line \(member.line)); fix the roster"))
                continue
            }
            let address: String
            if let known = given[member.employeeID] {
                address = known
            } else if let name {
                address = allocator.address(employeeID: member.employeeID, name: name)
            } else {
                continue
            }
            memberAddresses.insert(address)
            guard MailAddress.isValid(address) else {
                refused.append(
                    Refusal(
                        employeeID: member.employeeID, address: address,
                        reason:
                            "not a plain mail address (roster line \(member.line)); fix the roster or the naming rule"))
                continue
            }
            guard address.hasSuffix("@" + rules.domain) || address.hasSuffix("." + rules.domain) else {
                refused.append(
                    Refusal(
                        employeeID: member.employeeID, address: address,
                        reason: "outside the official domain \(rules.domain) (roster line \(member.line)); fix the "
                            + "roster: a personal address goes in personal_addresses"))
                continue
            }
            staffOf[member.departmentCode, default: []].append(address)
            rosterAddresses.insert(address)
            guard let account = byAddress[address] else {
                let reason =
                    member.officialAddress == nil
                    ? "new staff with no official address (roster line \(member.line))"
                    : "the roster gives \(address) but the server has no such account (roster line \(member.line))"
                creates.append(
                    Create(
                        employeeID: member.employeeID, address: address, firstName: names.first, lastName: names.last,
                        quotaMB: quota, reason: reason))
                continue
            }
            if unconfirmed.contains(member.employeeID) {
                resets.append(
                    PasswordReset(
                        employeeID: member.employeeID, accountID: account.id, address: address,
                        reason: "created by a run that stopped before its initial password was saved "
                            + "(roster line \(member.line))"))
            }
            var changes = AccountChanges()
            var reasons: [String] = []
            var isRename = false
            if account.firstName != names.first || account.lastName != names.last {
                changes.firstName = names.first
                changes.lastName = names.last
                let old = "\(account.lastName) \(account.firstName)"
                let new = "\(names.last) \(names.first)"
                isRename = VietnameseName.fold(old) != VietnameseName.fold(new)
                reasons.append(
                    isRename
                        ? "rename \"\(old)\" → \"\(new)\": another name, check that it is the same person"
                        : "name \"\(old)\" → \"\(new)\"")
            }
            if let quota, account.quotaMB != quota {
                changes.quotaMB = quota
                reasons.append(
                    "quota \(account.quotaMB.map { "\($0) MB" } ?? "default") → \(quota) MB for \(member.position)")
            }
            if !reasons.isEmpty {
                updates.append(
                    Update(
                        employeeID: member.employeeID, accountID: account.id, address: address, changes: changes,
                        reasons: reasons, isRename: isRename))
            }
        }
        planLists(rules, aliases: aliases, staffOf: staffOf, rosterAddresses: rosterAddresses)
        absentRemovals = Set(lists.flatMap(\.removed)).subtracting(memberAddresses).sorted()
    }

    /// The list changes that bring each department's distribution list in line with its staff.
    mutating func planLists(
        _ rules: ProvisioningRules, aliases: [MailAlias], staffOf: [String: [String]], rosterAddresses: Set<String>
    ) {
        let byAddress = Dictionary(aliases.map { ($0.address, $0) }, uniquingKeysWith: { first, _ in first })
        for (department, address) in rules.departmentLists.sorted(by: { $0.key < $1.key }) {
            let staff = Set(staffOf[department] ?? [])
            let current = Set(byAddress[address]?.recipients.map { $0.lowercased() } ?? [])
            let removed = current.filter { rosterAddresses.contains($0) && !staff.contains($0) }
            let added = staff.subtracting(current)
            let recipients = current.subtracting(removed).union(added)
            guard !(added.isEmpty && removed.isEmpty), !recipients.isEmpty else { continue }
            lists.append(
                ListChange(
                    department: department, address: address, aliasID: byAddress[address]?.id,
                    recipients: recipients.sorted(), added: added.sorted(), removed: removed.sorted()))
        }
    }

    /// Modoboa's split of a Vietnamese name: the family name last, the rest first
    /// ("Nguyễn Văn An" → first "Văn An", last "Nguyễn"), diacritics kept; any Unicode space
    /// (a tab, a no-break space, a line break) separates words as one space does.
    static func names(_ fullName: String) -> (first: String, last: String) {
        let normalized = (try? VietnameseName.normalize(fullName)) ?? fullName.precomposedStringWithCanonicalMapping
        let words = normalized.split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count > 1 else { return (words.first ?? "", "") }
        return (words.dropFirst().joined(separator: " "), words[0])
    }
}
