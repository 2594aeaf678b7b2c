import ArgumentParser
import Jobs

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

        /// The server as these options give it.
        var adminServer: AdminServer {
            AdminServer(
                url: server, tokenFile: tokenFile, caFile: caFile, insecure: insecure, allowPlaintext: allowPlaintext)
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
            let server = serverOptions.adminServer
            try server.check(log: Terminal.log)
            let job = ProvisionApplyJob(
                configuration: try storeOptions.loadConfiguration(), store: storeOptions.access,
                server: server, rosterPath: roster, passwordsPath: passwords, allowMassDisable: allowMassDisable,
                allowMassRemoval: allowMassRemoval, allowPartialRoster: allowPartialRoster,
                byteOrderMark: csvOptions.byteOrderMark)
            let result = try await job.run(log: Terminal.log)
            Terminal.output(result.text)
            if result.hasFailures { throw ExitCode(1) }
        }
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
            let server = serverOptions.adminServer
            try server.check(log: Terminal.log)
            let job = ProvisionPlanJob(
                configuration: try storeOptions.loadConfiguration(), store: storeOptions.access,
                server: server, rosterPath: roster)
            let result = try await job.run(log: Terminal.log)
            Terminal.output(format == .json ? result.json : result.text)
        }
    }
}
