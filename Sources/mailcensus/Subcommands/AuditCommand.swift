import ArgumentParser
import Jobs

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
        let server = serverOptions.adminServer
        try server.check(log: Terminal.log)
        let job = AuditJob(
            configuration: try storeOptions.loadConfiguration(), store: storeOptions.access, server: server,
            rosterPath: roster,
            dormantDays: dormantDays)
        let result = try await job.run(log: Terminal.log)
        switch format {
        case .text: Terminal.output(result.text)
        case .csv: Terminal.output(result.csv(byteOrderMark: csvOptions.byteOrderMark))
        case .json: Terminal.output(result.json)
        }
    }
}
