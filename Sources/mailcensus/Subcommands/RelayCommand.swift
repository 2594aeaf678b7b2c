import ArgumentParser
import Census
import Jobs

struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "Queue and send reports and notices through the official mail service (SMTP).",
        discussion: """
            Every notice is queued in the store first, under a key (the period and the recipient) \
            that makes it unique, then sent: a rerun never sends a notice twice. A failed send \
            stays queued with the server's answer and is tried again later (5 minutes, doubling, \
            at most 6 hours); a permanent refusal (5xx) marks it failed, for `status` and `retry`.
            """,
        subcommands: [Send.self, Status.self, Retry.self, Preview.self])

    /// The SMTP server and how to reach it; the policy's `relay` settings unless given here.
    struct ServerOptions: ParsableArguments {
        @Option(help: "The SMTP server: smtp://host:587 (STARTTLS required) or smtps://host:465.")
        var server: String?

        @Option(help: "The SMTP user (its password: $MAILCENSUS_SMTP_PASSWORD or --password-file).")
        var username: String?

        @Option(help: "A file holding the SMTP password, readable only by you.")
        var passwordFile: String?

        @Option(help: "A CA bundle (PEM) to verify the server with.")
        var caFile: String?

        @Flag(help: "Do not verify the server's TLS certificate (warns).")
        var insecure = false

        @Flag(help: "Do not require STARTTLS (a relay on this machine only; warns).")
        var allowPlaintext = false

        /// The server as these options give it.
        var relayServer: RelayServer {
            RelayServer(
                url: server, username: username, passwordFile: passwordFile, caFile: caFile, insecure: insecure,
                allowPlaintext: allowPlaintext)
        }
    }

    struct Send: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue the period's reports (and nudges, as the policy says), then send all that is due.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var serverOptions: ServerOptions
        @OptionGroup var reportOptions: ReportOptions

        @Flag(help: "Send what is queued only: queue no report.")
        var queuedOnly = false

        func run() async throws {
            let configuration = try storeOptions.loadConfiguration()
            let job = RelaySendJob(
                configuration: configuration, store: storeOptions.access,
                server: serverOptions.relayServer, query: reportOptions.query(), language: reportOptions.lang,
                queuedOnly: queuedOnly)
            let result = try await job.run(log: Terminal.log)
            Terminal.output(result.text)
            if result.sent.isIncomplete { throw ExitCode(1) }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Queue failed notices again (all, or those --key names) and send all that is due.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var serverOptions: ServerOptions

        @Option(help: "The key of a failed notice (repeatable); default: every failed one.")
        var key: [String] = []

        func run() async throws {
            let configuration = try storeOptions.loadConfiguration()
            let job = RelayRetryJob(
                configuration: configuration, store: storeOptions.access,
                server: serverOptions.relayServer, keys: key)
            let result = try await job.run(log: Terminal.log)
            Terminal.output(result.text)
            if result.sent.isIncomplete { throw ExitCode(1) }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "What the outbox holds: counts by status and kind, and the notices not sent.",
            discussion: """
                JSON: {"counts": {"queued", "sent", "failed"}, "notices": [{"key", "kind", "recipient", \
                "subject", "status", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at"}]} \
                (notices not sent, or all with --all; times ISO 8601).
                """)

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text, json
        }

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "text or json.")
        var format: Format = .text

        @Flag(help: "List sent notices too.")
        var all = false

        func run() throws {
            let configuration = try storeOptions.loadConfiguration()
            let status = try RelayStatusJob(
                store: storeOptions.access, utcOffset: configuration.policy.utcOffset, all: all
            ).run()
            Terminal.output(format == .json ? status.json : status.text)
        }
    }

    struct Preview: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the period's notices, and those queued, as .eml files; queue and send nothing.")

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var reportOptions: ReportOptions

        @Option(help: "The folder for the .eml files.")
        var out = "relay-preview"

        func run() throws {
            let configuration = try storeOptions.loadConfiguration()
            let job = RelayPreviewJob(
                configuration: configuration, store: storeOptions.access,
                query: reportOptions.query(), language: reportOptions.lang, out: out)
            Terminal.output(try job.run(log: Terminal.log).text)
        }
    }
}
