import ArgumentParser
import Basics
import Census
import CensusStore
import Curl
import Foundation
import Provisioning
import Relay
import Reports

struct Provision: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Give new staff mailboxes and close leavers', from HR's roster.",
        subcommands: [Plan.self, Apply.self])

    /// Where the mail server is and how to reach it.
    struct ServerOptions: ParsableArguments {
        @Option(help: "The mail server's admin base URL (Modoboa), e.g. https://mail.namdinh.gov.vn.")
        var server: String

        @Option(help: "A file holding the admin API token, readable only by you (else $MAILCENSUS_ADMIN_TOKEN).")
        var tokenFile: String?

        @Option(help: "A CA bundle (PEM) to verify the server with.")
        var caFile: String?

        @Flag(help: "Do not verify the server's TLS certificate (warns).")
        var insecure = false

        @Flag(
            help: """
                Allow plain http:// to a server that is not this machine, and through a proxy of \
                http_proxy (warns): the admin token then travels unencrypted.
                """)
        var allowPlaintext = false

        /// Refuses, before anything is read or sent, a server URL the token may not go to: one
        /// without `https://` (or `http://` to this machine), or refused by
        /// `HTTPClient.transport(for:allowPlaintext:)`.
        ///
        /// - Throws: `ExitCode(2)` with one line on stderr.
        func checkServer() throws {
            let scheme = server.prefix { $0 != ":" && $0 != "/" }.lowercased()
            guard server.contains("://"), scheme == "https" || scheme == "http" else {
                Terminal.error(
                    "mailcensus: --server \(server): give the admin URL with its scheme, like "
                        + "https://\(server.contains("://") ? "mail.example.gov.vn" : server) (http:// only to this machine)"
                )
                throw ExitCode(2)
            }
            switch Result(catching: { () throws(CurlError) in
                try HTTPClient.transport(for: server, allowPlaintext: allowPlaintext)
            }) {
            case .failure(let error):
                Terminal.error("mailcensus: --server \(error)")
                throw ExitCode(2)
            case .success(.plaintext):
                Terminal.error(
                    "mailcensus: warning: --allow-plaintext: the admin token and every change go unencrypted to "
                        + "\(server), and through any proxy that http_proxy or ALL_PROXY names")
            case .success:
                break
            }
        }

        /// The admin client, for a URL `checkServer` accepted.
        ///
        /// - Throws: `ExitCode(2)` with one line on stderr when there is no token.
        func admin() throws -> ModoboaAdmin {
            let token: Secret
            do {
                token = try Secret.load(variable: "MAILCENSUS_ADMIN_TOKEN", file: tokenFile)
            } catch {
                guard tokenFile == nil else { throw error }
                Terminal.error(
                    "mailcensus: no admin token: set $MAILCENSUS_ADMIN_TOKEN, or give --token-file FILE "
                        + "(a file only you can read, mode 0600)")
                throw ExitCode(2)
            }
            let client = HTTPClient(tls: TLSOptions(caFile: caFile, insecure: insecure), allowPlaintext: allowPlaintext)
            return ModoboaAdmin(baseURL: server, token: token, client: client)
        }
    }

    /// A plan made from the policy, the roster, the server's accounts and the store's journal.
    struct Planned {
        let plan: ProvisioningPlan
        let domain: String
        let admin: ModoboaAdmin
        let policy: Policy
        /// The store; nil for a plan when there is none yet (a plan creates no store).
        let store: (any Store)?
        /// The store held for an apply; nil for a plan.
        let hold: AnyObject?

        init(storeOptions: StoreOptions, serverOptions: ServerOptions, roster path: String, holding: Bool = false)
            async throws
        {
            try serverOptions.checkServer()
            policy = try storeOptions.loadPolicy()
            let staff = try storeOptions.loadRoster(path, policy: policy)
            guard let domain = policy.officialDomains.first else { throw ExitCode(2) }
            let template: AddressTemplate
            do {
                template = try AddressTemplate(policy.namingRule)
            } catch {
                throw CensusError(.policyInvalid, location: "\(storeOptions.policyPath): naming_rule", error.reason)
            }
            admin = try serverOptions.admin()
            let store = holding ? try storeOptions.openStore(mustExist: false) : try storeOptions.openStoreIfPresent()
            self.store = store
            hold = holding ? try store?.hold(.provisioning) : nil
            let accounts = try await admin.accounts(domain: domain)
            let aliases = try await admin.aliases(domain: domain)
            plan = ProvisioningPlan(
                roster: staff.members, accounts: accounts, aliases: aliases,
                assigned: try store?.assignedAddresses() ?? [:], unconfirmed: try store?.unconfirmedCreations() ?? [],
                rules: ProvisioningRules(
                    domain: domain, template: template, quotaByPosition: policy.quotaByPosition,
                    massDisableShare: policy.massDisableShare,
                    departmentLists: Dictionary(
                        policy.departments.compactMap { department in department.alias.map { (department.code, $0) } },
                        uniquingKeysWith: { first, _ in first })),
                today: CivilTime.today(offsetSeconds: policy.utcOffset))
            self.domain = domain
            for conflict in plan.conflicts {
                Terminal.error(
                    "\(path):\(conflict.line): error: official_address \(conflict.address) was given to "
                        + "\(conflict.owner) by an earlier run, not to \(conflict.employeeID): a typo? Fix the roster")
            }
            if !plan.conflicts.isEmpty {
                Terminal.error("mailcensus: nothing was planned or changed: fix the roster first")
                throw ExitCode(2)
            }
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Carry out the plan on the server: create, update, disable (never delete).",
            discussion: """
                Safe to rerun: a rerun changes nothing, and one that stopped midway resumes (the \
                addresses given are kept in the store's journal first). Initial passwords go only to \
                a new file of mode 0600 for HR. One failing account never stops the others; each \
                failure is printed with the server's answer and the exit status is 1.
                """)

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var serverOptions: ServerOptions

        @Option(help: "HR's roster CSV.")
        var roster: String

        @Option(help: "A new file for the initial passwords (mode 0600).")
        var passwords: String?

        @Flag(help: "Disable more accounts than the policy's mass_disable_limit allows.")
        var allowMassDisable = false

        @Flag(
            help: """
                Take more people who are missing from the roster (neither left nor moved) off department \
                lists than the policy's mass_disable_limit allows.
                """)
        var allowMassRemoval = false

        @Flag(help: "Apply a roster with fewer rows than half the server's active accounts.")
        var allowPartialRoster = false

        @OptionGroup var csvOptions: CSVOptions

        func run() async throws {
            let planned = try await Planned(
                storeOptions: storeOptions, serverOptions: serverOptions, roster: roster, holding: true)
            defer { withExtendedLifetime(planned.hold) {} }
            let plan = planned.plan
            guard let store = planned.store else { throw ExitCode(1) }
            for item in plan.refused {
                Terminal.error(
                    "mailcensus: warning: \(item.employeeID): \(ErrorText.oneLine(item.address)) is \(item.reason)")
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
                Terminal.error("mailcensus: " + message)
                throw ExitCode(1)
            }
            if plan.isEmpty {
                Terminal.output("Nothing to change on \(serverOptions.server): the server matches the roster.\n")
                return
            }
            let path = passwords ?? "initial-passwords-\(Int(Date().timeIntervalSince1970)).csv"
            let file: PasswordFile? =
                plan.creates.isEmpty && plan.resets.isEmpty
                ? nil : try PasswordFile(path: path, byteOrderMark: csvOptions.byteOrderMark)
            let report = try await plan.apply(
                with: planned.admin, journal: store, passwords: file ?? DiscardedPasswords())
            for failure in report.failures {
                Terminal.error("mailcensus: \(failure.address): \(failure.action) failed: \(failure.message)")
            }
            var summary = "Applied to \(serverOptions.server): \(report.created.count) created, "
            if !report.passwordsReset.isEmpty {
                summary += "\(report.passwordsReset.count) given a new initial password (theirs was lost), "
            }
            summary += "\(report.updated.count) updated, "
            if !report.lists.isEmpty { summary += "\(report.lists.count) department list(s) changed, " }
            summary += "\(report.disabled.count) disabled"
            summary += report.failures.isEmpty ? ".\n" : ", \(report.failures.count) failed (rerun to retry).\n"
            summary += welcome(report.created, plan: plan, policy: planned.policy, store: store)
            if let file, !report.created.isEmpty || !report.passwordsReset.isEmpty {
                summary += "Initial passwords: \(file.path) (mode 0600): hand them to HR, then delete the file.\n"
            } else if let file {
                // Every creation failed: no file of no passwords for HR.
                try? FileManager.default.removeItem(atPath: file.path)
            }
            Terminal.output(summary)
            if !report.failures.isEmpty { throw ExitCode(1) }
        }

        /// Queues the welcome notice of each account created, when the policy's relay sends them.
        func welcome(_ created: [String], plan: ProvisioningPlan, policy: Policy, store: any Store) -> String {
            guard !created.isEmpty, policy.relay.from != nil, policy.relay.notices.contains(NoticeKind.welcome.rawValue)
            else { return "" }
            do {
                let context = try RelayCommand.context(
                    policy: policy, policyPath: storeOptions.policyPath,
                    language: ReportLanguage(policy: policy))
                let names = Dictionary(
                    plan.creates.map { ($0.address, "\($0.lastName) \($0.firstName)") },
                    uniquingKeysWith: { first, _ in first })
                let notices = created.map { Notices.welcome(address: $0, name: names[$0] ?? $0, context: context) }
                let queued = try RelayQueue.enqueue(notices, sender: context.from.address, into: store, at: context.now)
                return
                    "Welcome notices: \(queued.queued) queued (sent by `mailcensus relay send` or the nightly run).\n"
            } catch {
                Terminal.error("mailcensus: the welcome notices were not queued: \(error)")
                return ""
            }
        }
    }

    /// For a plan that creates nobody: no password file.
    final class DiscardedPasswords: PasswordSink {
        func record(employeeID: String, address: String, password: String) throws {}
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what provisioning would create, update and disable, and why; change nothing.",
            discussion: """
                JSON: {"server", "domain", "accounts", "active_accounts", "roster_rows", "partial_roster", \
                "disable_limit", "exceeds_disable_limit", "absent_removals", "exceeds_removal_limit", \
                "create": [{"employee_id", "address", "first_name", "last_name", "quota_mb", "reason"}], \
                "reset_password": [{"employee_id", "address", "reason"}], \
                "update": [{"employee_id", "address", "rename", "reasons"}], "lists": [{"department", "address", \
                "create", "recipients", "add", "remove"}], "refused": [{"employee_id", "address", "reason"}], \
                "disable": [{"employee_id", "address", "reason"}]}. A plan creates no store.
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text
            case json
        }

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var serverOptions: ServerOptions

        @Option(help: "HR's roster CSV.")
        var roster: String

        @Option(help: "Output: text or json.")
        var format: Format = .text

        func run() async throws {
            let planned = try await Planned(storeOptions: storeOptions, serverOptions: serverOptions, roster: roster)
            Terminal.output(
                format == .json
                    ? json(planned.plan, domain: planned.domain) : text(planned.plan, domain: planned.domain))
        }

        func text(_ plan: ProvisioningPlan, domain: String) -> String {
            var lines = [
                "Plan for \(serverOptions.server) (\(domain), \(plan.accountCount) accounts): \(plan.creates.count) to create, "
                    + (plan.resets.isEmpty ? "" : "\(plan.resets.count) to get a new initial password, ")
                    + "\(plan.updates.count) to update"
                    + (plan.updates.contains(where: \.isRename)
                        ? " (\(plan.updates.filter(\.isRename).count) renamed), " : ", ")
                    + (plan.lists.isEmpty ? "" : "\(plan.lists.count) department list(s) to change, ")
                    + "\(plan.disables.count) to disable."
            ]
            for item in plan.creates {
                let quota = item.quotaMB.map { ", quota \($0) MB" } ?? ""
                lines.append(
                    "  create  \(item.address)  \(item.employeeID) \(item.lastName) \(item.firstName)\(quota): \(item.reason)"
                )
            }
            for item in plan.resets {
                lines.append("  reset   \(item.address)  \(item.employeeID): \(item.reason)")
            }
            for item in plan.updates {
                let verb = item.isRename ? "rename " : "update "
                lines.append("  \(verb) \(item.address)  \(item.employeeID): \(item.reasons.joined(separator: "; "))")
            }
            for item in plan.lists {
                var change = item.aliasID == nil ? "create with \(item.recipients.count) staff" : "change"
                if item.aliasID != nil && !item.added.isEmpty {
                    change += "; add \(item.added.joined(separator: ", "))"
                }
                if !item.removed.isEmpty { change += "; take off \(item.removed.joined(separator: ", "))" }
                lines.append("  list    \(item.address)  department \(item.department): \(change)")
            }
            for item in plan.disables {
                lines.append("  disable \(item.address)  \(item.employeeID): \(item.reason)")
            }
            for item in plan.refused {
                lines.append("  refuse  \(ErrorText.oneLine(item.address))  \(item.employeeID): \(item.reason)")
            }
            if plan.isPartialRoster {
                lines.append(
                    "Warning: the roster has \(plan.rosterSize) rows but the server \(plan.activeAccounts) active "
                        + "accounts (a partial file?); apply will refuse without --allow-partial-roster.")
            }
            if plan.exceedsRemovalLimit {
                lines.append(
                    "Warning: \(plan.absentRemovals.count) people missing from the roster (neither left nor moved) "
                        + "would be taken off department lists, more than the policy's limit of \(plan.disableLimit); "
                        + "apply will refuse without --allow-mass-removal.")
            }
            if plan.exceedsDisableLimit {
                lines.append(
                    "Warning: \(plan.disables.count) disables exceed the policy's limit of \(plan.disableLimit); "
                        + "apply will refuse without --allow-mass-disable.")
            }
            return lines.joined(separator: "\n") + "\n"
        }

        func json(_ plan: ProvisioningPlan, domain: String) -> String {
            var json = JSONWriter()
            json.beginObject()
            json.value("server", serverOptions.server)
            json.value("domain", domain)
            json.value("accounts", plan.accountCount)
            json.value("active_accounts", plan.activeAccounts)
            json.value("roster_rows", plan.rosterSize)
            json.value("partial_roster", plan.isPartialRoster)
            json.value("disable_limit", plan.disableLimit)
            json.value("exceeds_disable_limit", plan.exceedsDisableLimit)
            json.value("absent_removals", plan.absentRemovals.count)
            json.value("exceeds_removal_limit", plan.exceedsRemovalLimit)
            json.beginArray("create")
            for item in plan.creates {
                json.beginObject()
                json.value("employee_id", item.employeeID)
                json.value("address", item.address)
                json.value("first_name", item.firstName)
                json.value("last_name", item.lastName)
                if let quota = item.quotaMB { json.value("quota_mb", quota) }
                json.value("reason", item.reason)
                json.endObject()
            }
            json.endArray()
            /// An array of (employee, address, reason) entries.
            func entries(_ key: String, _ items: [(employeeID: String, address: String, reason: String)]) {
                json.beginArray(key)
                for item in items {
                    json.beginObject()
                    json.value("employee_id", item.employeeID)
                    json.value("address", item.address)
                    json.value("reason", item.reason)
                    json.endObject()
                }
                json.endArray()
            }
            entries("reset_password", plan.resets.map { ($0.employeeID, $0.address, $0.reason) })
            json.beginArray("update")
            for item in plan.updates {
                json.beginObject()
                json.value("employee_id", item.employeeID)
                json.value("address", item.address)
                json.value("rename", item.isRename)
                json.beginArray("reasons")
                for reason in item.reasons { json.value(nil, reason) }
                json.endArray()
                json.endObject()
            }
            json.endArray()
            json.beginArray("lists")
            for item in plan.lists {
                json.beginObject()
                json.value("department", item.department)
                json.value("address", item.address)
                json.value("create", item.aliasID == nil)
                for (key, addresses) in [
                    ("recipients", item.recipients), ("add", item.added), ("remove", item.removed),
                ] {
                    json.beginArray(key)
                    for address in addresses { json.value(nil, address) }
                    json.endArray()
                }
                json.endObject()
            }
            json.endArray()
            entries("refused", plan.refused.map { ($0.employeeID, $0.address, $0.reason) })
            entries("disable", plan.disables.map { ($0.employeeID, $0.address, $0.reason) })
            json.endObject()
            return json.text + "\n"
        }
    }
}
