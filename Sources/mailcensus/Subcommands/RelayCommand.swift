import ArgumentParser
import Basics
import Census
import CensusStore
import Curl
import Foundation
import Relay
import Reports

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

        func session(policy: Policy, policyPath: String) throws -> SMTPSession {
            try RelayCommand.session(policy: policy, policyPath: policyPath, overriding: self)
        }
    }

    /// The session with the policy's SMTP server, as `options` (when given) change it.
    static func session(policy: Policy, policyPath: String, overriding options: ServerOptions? = nil) throws
        -> SMTPSession
    {
        let relay = policy.relay
        guard let url = options?.server ?? relay.server else {
            throw RelayError(
                .settings, subject: "\(policyPath): relay.server", "names no SMTP server; give one, or --server")
        }
        let user = options?.username ?? relay.username
        let passwordFile = options?.passwordFile ?? relay.passwordFile
        let password: Secret?
        do {
            password = try user.map { _ in try Secret.load(variable: "MAILCENSUS_SMTP_PASSWORD", file: passwordFile) }
        } catch {
            guard passwordFile == nil else { throw error }
            throw RelayError(
                .settings, subject: "\(policyPath): relay.username",
                "no SMTP password: set $MAILCENSUS_SMTP_PASSWORD, or give --password-file FILE (or relay.password_file), "
                    + "a file only you can read")
        }
        return SMTPSession(
            server: SMTPServer(
                url: url, username: user, password: password,
                tls: TLSOptions(caFile: options?.caFile ?? relay.caFile, insecure: options?.insecure ?? false),
                allowPlaintext: options?.allowPlaintext == true || relay.allowPlaintext))
    }

    /// The notice context of the policy, in `language`.
    static func context(policy: Policy, policyPath: String, language: ReportLanguage) throws -> NoticeContext {
        try NoticeContext(
            policy: policy, policyPath: policyPath, language: language, now: Int64(Date().timeIntervalSince1970))
    }

    /// Sends what is due and prints what happened; a stopped run or a failed notice exits 1.
    static func sendDue(_ store: any Store, session: SMTPSession, policy: Policy) async throws -> RelayRun {
        let hold = try store.hold(.relay)
        defer { withExtendedLifetime(hold) {} }
        let sender = RelaySender(outbox: store, transport: session, maxAttempts: policy.relay.maxAttempts)
        let run = try await sender.sendDue(now: { Int64(Date().timeIntervalSince1970) })
        for problem in run.deferred {
            Terminal.error("mailcensus: \(problem.recipient): deferred, will be tried again: \(problem.error)")
        }
        for problem in run.failed { Terminal.error("mailcensus: \(problem.recipient): not sent: \(problem.error)") }
        if let stopped = run.stopped {
            Terminal.error(
                "mailcensus: sending stopped: \(stopped); \(run.stillQueued) notice(s) stay queued for the next run")
        }
        return run
    }

    /// Sends what is due, prints the run's line, and exits 1 if anything was left unsent.
    static func sendAndReport(_ store: any Store, session: SMTPSession, policy: Policy) async throws {
        let run = try await sendDue(store, session: session, policy: policy)
        Terminal.output("Relay to \(session.server.url): \(summary(run, session: session)).\n")
        if run.stopped != nil || !run.failed.isEmpty { throw ExitCode(1) }
    }

    static func summary(_ run: RelayRun, session: SMTPSession) -> String {
        "\(run.sent.count) sent over \(session.connections) connection(s), \(run.deferred.count) deferred, "
            + "\(run.failed.count) failed" + (run.stopped == nil ? "" : ", \(run.stillQueued) left queued")
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
            let policy = try storeOptions.loadPolicy()
            let session = try serverOptions.session(policy: policy, policyPath: storeOptions.policyPath)
            let store = try storeOptions.openStore(mustExist: true)
            if !queuedOnly {
                let (report, roster) = try reportOptions.census(storeOptions, policy: policy, store: store)
                let context = try RelayCommand.context(
                    policy: policy, policyPath: storeOptions.policyPath, language: reportOptions.language(policy))
                let queued = try RelayQueue.enqueueReport(
                    report, roster: roster.members, policy: policy, context: context, into: store)
                Terminal.output("Queued \(queued.queued) notice(s) (\(queued.already) queued before).\n")
            }
            try await RelayCommand.sendAndReport(store, session: session, policy: policy)
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
            let policy = try storeOptions.loadPolicy()
            let session = try serverOptions.session(policy: policy, policyPath: storeOptions.policyPath)
            let store = try storeOptions.openStore(mustExist: true)
            let count = try store.requeue(keys: key.isEmpty ? nil : key, at: Int64(Date().timeIntervalSince1970))
            Terminal.output("Queued \(count) failed notice(s) again.\n")
            try await RelayCommand.sendAndReport(store, session: session, policy: policy)
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
            let policy = try storeOptions.loadPolicy()
            let store = try storeOptions.openStore(mustExist: true)
            let entries = try store.entries(status: nil)
            let shown = all ? entries : entries.filter { $0.status != .sent }
            var counts: [OutboxEntry.Status: Int] = [:]
            for entry in entries { counts[entry.status, default: 0] += 1 }
            func time(_ seconds: Int64?) -> String? {
                seconds.map { CivilTime.iso8601($0, offsetSeconds: policy.utcOffset) }
            }
            if format == .json {
                var json = JSONWriter()
                json.beginObject()
                json.beginObject("counts")
                for status in OutboxEntry.Status.allCases { json.value(status.rawValue, counts[status] ?? 0) }
                json.endObject()
                json.beginArray("notices")
                for entry in shown {
                    json.beginObject()
                    json.value("key", entry.key)
                    json.value("kind", entry.kind)
                    json.value("recipient", entry.recipient)
                    json.value("subject", entry.subject)
                    json.value("status", entry.status.rawValue)
                    json.value("attempts", entry.attempts)
                    json.value("next_attempt_at", time(entry.nextAttemptAt))
                    json.value("last_error", entry.lastError)
                    json.value("created_at", time(entry.createdAt))
                    json.value("sent_at", time(entry.sentAt))
                    json.endObject()
                }
                json.endArray()
                json.endObject()
                Terminal.output(json.text + "\n")
                return
            }
            var lines = [
                "Outbox of \(storeOptions.store): "
                    + OutboxEntry.Status.allCases.map { "\(counts[$0] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
            ]
            for entry in shown {
                var line = "  \(entry.status.rawValue)  \(entry.key)  → \(entry.recipient)"
                if entry.status == .queued, entry.attempts > 0 {
                    line += " (attempt \(entry.attempts + 1) at \(time(entry.nextAttemptAt) ?? ""))"
                }
                if let error = entry.lastError, entry.status != .sent { line += ": \(error)" }
                lines.append(line)
            }
            Terminal.output(lines.joined(separator: "\n") + "\n")
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
            let policy = try storeOptions.loadPolicy()
            let store = try storeOptions.openStore(mustExist: true)
            let (report, roster) = try reportOptions.census(storeOptions, policy: policy, store: store)
            let context = try RelayCommand.context(
                policy: policy, policyPath: storeOptions.policyPath, language: reportOptions.language(policy))
            try ReportFiles.makeFolder(out)
            // A notice already queued is written once, as queued.
            var written: Set<String> = []
            try RelayQueue.forEachNotice(
                report, roster: roster.members, policy: policy, context: context,
                nudgeLimit: policy.relay.nudges.perDay
            ) { notice in
                let path = Self.path(out, notice.key)
                try ReportFiles.write(bytes: notice.message.rendered(), to: path)
                return written.insert(path).inserted
            }
            for entry in try store.entries(status: .queued) {
                let path = Self.path(out, entry.key)
                try ReportFiles.write(bytes: try store.message(id: entry.id), to: path)
                written.insert(path)
            }
            Terminal.output("Wrote \(written.count) message(s) into \(out)/ (nothing queued or sent).\n")
        }

        /// `department-report:2026-11-30:STTTT:x@y` → `OUT/department-report_2026-11-30_STTTT_x@y.eml`.
        static func path(_ folder: String, _ key: String) -> String {
            let name = String(key.map { $0.isLetter || $0.isNumber || "@.-".contains($0) ? $0 : "_" })
            return (folder as NSString).appendingPathComponent(name + ".eml")
        }
    }
}
