import ArgumentParser
import Basics
import Census
import CensusStore
import Foundation
import Provisioning
import Reports

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Roster against server accounts against activity: orphans, missing, disabled, dormant, full.",
        discussion: """
            Kinds: orphan (enabled, no active staff has it), no-account (active staff without one), \
            disabled (active staff, disabled account), never-active, dormant (no login or submission \
            for --dormant-days), quota-nearly-full (90% or more). Activity comes from the store. \
            JSON: {"server", "domain", "counts": {kind: n}, "findings": [{"kind", "address", \
            "employee_id", "detail"}]}. CSV starts with the UTF-8 byte-order mark, for Excel (--no-bom \
            leaves it out).
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text
        case csv
        case json
    }

    @OptionGroup var storeOptions: StoreOptions
    @OptionGroup var serverOptions: Provision.ServerOptions

    @Option(help: "HR's roster CSV.")
    var roster: String

    @Option(help: "Output: text, csv or json.")
    var format: Format = .text

    @Option(help: "Days without a login or submission after which an account is dormant.")
    var dormantDays = 90

    @OptionGroup var csvOptions: CSVOptions

    func run() async throws {
        try serverOptions.checkServer()
        let policy = try storeOptions.loadPolicy()
        let staff = try storeOptions.loadRoster(roster, policy: policy)
        guard let domain = policy.officialDomains.first else { throw ExitCode(2) }
        let admin = try serverOptions.admin()
        // An audit changes nothing: no store is created for it.
        let store = try storeOptions.openStoreIfPresent()
        let audit = Audit(
            roster: staff.members, accounts: try await admin.accounts(domain: domain),
            assigned: try store?.assignedAddresses() ?? [:], lastActive: try store?.lastActiveDays() ?? [:],
            shared: Set(policy.departments.flatMap(\.shared)), today: CivilTime.today(offsetSeconds: policy.utcOffset),
            dormantDays: dormantDays)
        switch format {
        case .text:
            var lines = ["Audit of \(serverOptions.server) (\(domain)): \(audit.findings.count) finding(s)."]
            for kind in Audit.Kind.allCases {
                let found = audit.findings.filter { $0.kind == kind }
                guard !found.isEmpty else { continue }
                lines.append("\(kind.rawValue) (\(found.count)):")
                for finding in found {
                    lines.append("  \(finding.address ?? finding.employeeID ?? "-"): \(finding.detail)")
                }
            }
            Terminal.output(lines.joined(separator: "\n") + "\n")
        case .csv:
            var csv = CSVWriter(byteOrderMark: csvOptions.byteOrderMark)
            csv.row(["kind", "address", "employee_id", "detail"])
            for finding in audit.findings {
                csv.row([finding.kind.rawValue, finding.address ?? "", finding.employeeID ?? "", finding.detail])
            }
            Terminal.output(csv.text)
        case .json:
            var json = JSONWriter()
            json.beginObject()
            json.value("server", serverOptions.server)
            json.value("domain", domain)
            json.beginObject("counts")
            for kind in Audit.Kind.allCases {
                json.value(kind.rawValue, audit.findings.filter { $0.kind == kind }.count)
            }
            json.endObject()
            json.beginArray("findings")
            for finding in audit.findings {
                json.beginObject()
                json.value("kind", finding.kind.rawValue)
                if let address = finding.address { json.value("address", address) }
                if let id = finding.employeeID { json.value("employee_id", id) }
                json.value("detail", finding.detail)
                json.endObject()
            }
            json.endArray()
            json.endObject()
            Terminal.output(json.text + "\n")
        }
    }
}
