import ArgumentParser
import Census
import Curl
import Foundation
import MailLog
import Provisioning
import Reports

struct Provision: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Give new staff mailboxes and close leavers', from HR's roster.", subcommands: [Plan.self])

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

        func admin() throws -> ModoboaAdmin {
            let token = try Secret.load(variable: "MAILCENSUS_ADMIN_TOKEN", file: tokenFile)
            let client = HTTPClient(tls: TLSOptions(caFile: caFile, insecure: insecure))
            return ModoboaAdmin(baseURL: server, token: token, client: client)
        }
    }

    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what provisioning would create, update and disable, and why; change nothing.",
            discussion: """
                JSON: {"server", "domain", "accounts", "disable_limit", "exceeds_disable_limit", \
                "create": [{"employee_id", "address", "first_name", "last_name", "quota_mb", "reason"}], \
                "update": [{"employee_id", "address", "reasons"}], "disable": [{"employee_id", "address", \
                "reason"}]}.
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
            let policy = try storeOptions.loadPolicy()
            let staff = try Roster.load(path: roster)
            for problem in staff.problems where problem.isFatal {
                Terminal.error("\(roster):\(problem.line): error: \(problem.message)")
            }
            if staff.hasFatalProblems {
                Terminal.error("mailcensus: fix the roster first (mailcensus roster check \(roster))")
                throw ExitCode(2)
            }
            guard let domain = policy.officialDomains.first else { throw ExitCode(2) }
            let template: AddressTemplate
            do {
                template = try AddressTemplate(policy.namingRule)
            } catch {
                throw CensusError(.policyInvalid, location: "\(storeOptions.policy): naming_rule", error.reason)
            }
            let admin = try serverOptions.admin()
            let accounts = try await admin.accounts(domain: domain)
            let aliases = try await admin.aliases(domain: domain)
            let now = Int64(Date().timeIntervalSince1970) + Int64(policy.utcOffset)
            let plan = ProvisioningPlan(
                roster: staff.members, accounts: accounts, aliases: aliases, assigned: [:],
                rules: ProvisioningRules(
                    domain: domain, template: template, quotaByPosition: policy.quotaByPosition,
                    massDisableShare: policy.massDisableShare),
                today: Int(now / 86_400))
            Terminal.output(format == .json ? json(plan, domain: domain) : text(plan, domain: domain))
        }

        func text(_ plan: ProvisioningPlan, domain: String) -> String {
            var lines = [
                "Plan for \(serverOptions.server) (\(domain), \(plan.accountCount) accounts): \(plan.creates.count) to create, "
                    + "\(plan.updates.count) to update, \(plan.disables.count) to disable."
            ]
            for item in plan.creates {
                let quota = item.quotaMB.map { ", quota \($0) MB" } ?? ""
                lines.append(
                    "  create  \(item.address)  \(item.employeeID) \(item.lastName) \(item.firstName)\(quota): \(item.reason)"
                )
            }
            for item in plan.updates {
                lines.append("  update  \(item.address)  \(item.employeeID): \(item.reasons.joined(separator: "; "))")
            }
            for item in plan.disables {
                lines.append("  disable \(item.address)  \(item.employeeID): \(item.reason)")
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
            json.value("disable_limit", plan.disableLimit)
            json.value("exceeds_disable_limit", plan.exceedsDisableLimit)
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
            json.beginArray("update")
            for item in plan.updates {
                json.beginObject()
                json.value("employee_id", item.employeeID)
                json.value("address", item.address)
                json.beginArray("reasons")
                for reason in item.reasons { json.value(nil, reason) }
                json.endArray()
                json.endObject()
            }
            json.endArray()
            json.beginArray("disable")
            for item in plan.disables {
                json.beginObject()
                json.value("employee_id", item.employeeID)
                json.value("address", item.address)
                json.value("reason", item.reason)
                json.endObject()
            }
            json.endArray()
            json.endObject()
            return json.text + "\n"
        }
    }
}
