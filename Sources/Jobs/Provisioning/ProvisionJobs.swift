import Basics
import Census
public import CensusStore
import Foundation
public import Provisioning
import Relay
import Reports

/// A plan made from the policy, the roster, the server's accounts and the store's journal.
public struct ProvisionPlanned: Sendable {
    public let plan: ProvisioningPlan
    public let domain: String
    public let admin: ModoboaAdmin
    /// The store; nil for a plan when there is none yet (a plan creates no store).
    public let store: (any Store)?

    /// Plans; with `holding`, opens (or creates) the store and holds it for provisioning while
    /// `body` runs.
    ///
    /// - Throws: `JobError` (bad input) after each conflict with the journal is reported.
    static func make<T>(
        configuration: Configuration, store access: StoreAccess, server: AdminServer, roster path: String,
        holding: Bool, log: JobLog, _ body: (ProvisionPlanned) async throws -> T
    ) async throws -> T {
        let policy = configuration.policy
        let settings = configuration.provisioning
        let staff = try Inputs.roster(path, configuration: configuration, log: log)
        guard let domain = policy.officialDomains.first else { throw JobError(.stopped(.badInput)) }
        let admin = try server.admin()
        let store = holding ? try access.open(mustExist: false) : try access.openIfPresent()
        let hold = holding ? try store?.hold(.provisioning) : nil
        defer { withExtendedLifetime(hold) {} }
        let accounts = try await admin.accounts(domain: domain)
        let aliases = try await admin.aliases(domain: domain)
        let plan = ProvisioningPlan(
            roster: staff.members, accounts: accounts, aliases: aliases,
            assigned: try store?.assignedAddresses() ?? [:], unconfirmed: try store?.unconfirmedCreations() ?? [],
            rules: ProvisioningRules(
                domain: domain, template: settings.template, quotaByPosition: settings.quotaByPosition,
                massDisableShare: settings.massDisableShare,
                departmentLists: Dictionary(
                    policy.departments.compactMap { department in department.alias.map { (department.code, $0) } },
                    uniquingKeysWith: { first, _ in first })),
            today: CivilTime.today(offsetSeconds: policy.utcOffset))
        for conflict in plan.conflicts {
            log(
                "\(path):\(conflict.line): error: official_address \(conflict.address) was given to "
                    + "\(conflict.owner) by an earlier run, not to \(conflict.employeeID): a typo? Fix the roster")
        }
        if !plan.conflicts.isEmpty {
            throw JobError(.badInput, "nothing was planned or changed: fix the roster first")
        }
        return try await body(ProvisionPlanned(plan: plan, domain: domain, admin: admin, store: store))
    }
}

/// `mailcensus provision plan`: what provisioning would do, and why; changes nothing.
public struct ProvisionPlanJob: Sendable {
    public var configuration: Configuration
    public var store: StoreAccess
    public var server: AdminServer
    public var rosterPath: String

    public init(configuration: Configuration, store: StoreAccess, server: AdminServer, rosterPath: String) {
        self.configuration = configuration
        self.store = store
        self.server = server
        self.rosterPath = rosterPath
    }

    /// The plan, for `PlanText`.
    public struct Result: Sendable {
        public var plan: ProvisioningPlan
        public var server: String
        public var domain: String
    }

    public func run(log: JobLog) async throws -> Result {
        try await ProvisionPlanned.make(
            configuration: configuration, store: store, server: server, roster: rosterPath, holding: false,
            log: log
        ) { planned in
            Result(plan: planned.plan, server: server.url, domain: planned.domain)
        }
    }
}

/// `mailcensus provision apply`: the plan carried out on the server (never deleting), the
/// initial passwords in a new file, the welcome notices queued.
public struct ProvisionApplyJob: Sendable {
    public var configuration: Configuration
    public var store: StoreAccess
    public var server: AdminServer
    public var rosterPath: String
    /// A new file for the initial passwords; nil for `initial-passwords-SECONDS.csv`.
    public var passwordsPath: String?
    public var allowMassDisable: Bool
    public var allowMassRemoval: Bool
    public var allowPartialRoster: Bool
    public var byteOrderMark: Bool

    public init(
        configuration: Configuration, store: StoreAccess, server: AdminServer, rosterPath: String,
        passwordsPath: String? = nil, allowMassDisable: Bool = false, allowMassRemoval: Bool = false,
        allowPartialRoster: Bool = false, byteOrderMark: Bool = true
    ) {
        self.configuration = configuration
        self.store = store
        self.server = server
        self.rosterPath = rosterPath
        self.passwordsPath = passwordsPath
        self.allowMassDisable = allowMassDisable
        self.allowMassRemoval = allowMassRemoval
        self.allowPartialRoster = allowPartialRoster
        self.byteOrderMark = byteOrderMark
    }

    /// What the apply did.
    public struct Result: Sendable {
        /// The server's URL.
        public var server: String
        /// nil when the plan was empty: nothing changed.
        public var report: ApplyReport?
        /// The welcome notices queued; nil when none were (the relay sends none, or queuing failed).
        public var welcomed: Int?
        /// The file of the initial passwords, when it holds any.
        public var passwords: String?

        /// Whether an account failed (status 1).
        public var hasFailures: Bool { !(report?.failures.isEmpty ?? true) }

        /// The summary the command prints.
        public var text: String {
            guard let report else {
                return "Nothing to change on \(server): the server matches the roster.\n"
            }
            var summary = "Applied to \(server): \(report.created.count) created, "
            if !report.passwordsReset.isEmpty {
                summary += "\(report.passwordsReset.count) given a new initial password (theirs was lost), "
            }
            summary += "\(report.updated.count) updated, "
            if !report.lists.isEmpty { summary += "\(report.lists.count) department list(s) changed, " }
            summary += "\(report.disabled.count) disabled"
            summary += report.failures.isEmpty ? ".\n" : ", \(report.failures.count) failed (rerun to retry).\n"
            if let welcomed {
                summary +=
                    "Welcome notices: \(welcomed) queued (sent by `mailcensus relay send` or the nightly run).\n"
            }
            if let passwords {
                summary += "Initial passwords: \(passwords) (mode 0600): hand them to HR, then delete the file.\n"
            }
            return summary
        }
    }

    /// Applies the plan.
    ///
    /// - Throws: `JobError` (failed) when a guard refuses the plan (partial roster, mass
    ///   disable or removal); the plan's, the store's, the password file's errors.
    public func run(log: JobLog) async throws -> Result {
        try await ProvisionPlanned.make(
            configuration: configuration, store: store, server: server, roster: rosterPath, holding: true,
            log: log
        ) { planned in
            try await apply(planned, log: log)
        }
    }

    private func apply(_ planned: ProvisionPlanned, log: JobLog) async throws -> Result {
        let plan = planned.plan
        guard let store = planned.store else { throw JobError(.stopped(.failed)) }
        for item in plan.refused {
            log("mailcensus: warning: \(item.employeeID): \(ErrorText.oneLine(item.address)) is \(item.reason)")
        }
        // The guards against a roster that would do harm: each refuses the whole run.
        let refusals = [
            (
                plan.isPartialRoster && !allowPartialRoster,
                "the roster has \(plan.rosterSize) rows but the server \(plan.activeAccounts) active accounts: a "
                    + "partial file? nothing was changed. Check the roster, or rerun with --allow-partial-roster"
            ),
            (
                plan.exceedsRemovalLimit && !allowMassRemoval,
                "the plan takes \(plan.absentRemovals.count) people who are missing from the roster off "
                    + "department lists, more than the policy's limit of \(plan.disableLimit); nothing was "
                    + "changed. Check the roster, or rerun with --allow-mass-removal"
            ),
            (
                plan.exceedsDisableLimit && !allowMassDisable,
                "the plan disables \(plan.disables.count) of \(plan.accountCount) accounts, more than the "
                    + "policy's limit of \(plan.disableLimit); nothing was changed. Check the roster, or rerun "
                    + "with --allow-mass-disable"
            ),
        ]
        for (refused, message) in refusals where refused {
            throw JobError(.failed, message)
        }
        if plan.isEmpty { return Result(server: server.url) }
        let path = passwordsPath ?? "initial-passwords-\(Int(Date().timeIntervalSince1970)).csv"
        let file: PasswordFile? =
            plan.creates.isEmpty && plan.resets.isEmpty
            ? nil : try PasswordFile(path: path, byteOrderMark: byteOrderMark)
        let report = try await plan.apply(
            with: planned.admin, journal: store, passwords: file ?? DiscardedPasswords())
        for failure in report.failures {
            log("mailcensus: \(failure.address): \(failure.action) failed: \(failure.message)")
        }
        let welcomed = welcome(report.created, plan: plan, store: store, log: log)
        var passwords: String?
        if let file, !report.created.isEmpty || !report.passwordsReset.isEmpty {
            passwords = file.path
        } else if let file {
            // Every creation failed: no file of no passwords for HR.
            try? FileManager.default.removeItem(atPath: file.path)
        }
        return Result(server: server.url, report: report, welcomed: welcomed, passwords: passwords)
    }

    /// Queues the welcome notice of each account created, when the policy's relay sends them;
    /// the number queued, nil when none was.
    private func welcome(_ created: [String], plan: ProvisioningPlan, store: any Store, log: JobLog) -> Int? {
        let relay = configuration.relay
        guard !created.isEmpty, relay.from != nil, relay.notices.contains(.welcome) else { return nil }
        do {
            let context = try Relaying.context(
                configuration, language: configuration.report.language, now: CensusRun.now())
            let names = Dictionary(
                plan.creates.map { ($0.address, "\($0.lastName) \($0.firstName)") },
                uniquingKeysWith: { first, _ in first })
            let notices = created.map { Notices.welcome(address: $0, name: names[$0] ?? $0, context: context) }
            return try RelayQueue.enqueue(notices, sender: context.from.address, into: store, at: context.now).queued
        } catch {
            log("mailcensus: the welcome notices were not queued: \(error)")
            return nil
        }
    }
}

/// For a plan that creates nobody: no password file.
final class DiscardedPasswords: PasswordSink {
    func record(employeeID: String, address: String, password: String) throws {}
}
