import Census
import CensusStore
import Foundation
public import Relay
public import Reports

/// `mailcensus relay send`: queue the period's notices (unless `queuedOnly`), then send all
/// that is due.
public struct RelaySendJob: Sendable {
    public var configuration: Configuration
    public var store: StoreAccess
    public var server: RelayServer
    public var query: CensusQuery
    /// nil for the policy's language.
    public var language: ReportLanguage?
    /// Send what is queued only.
    public var queuedOnly: Bool

    public init(
        configuration: Configuration, store: StoreAccess, server: RelayServer, query: CensusQuery = CensusQuery(),
        language: ReportLanguage? = nil, queuedOnly: Bool = false
    ) {
        self.configuration = configuration
        self.store = store
        self.server = server
        self.query = query
        self.language = language
        self.queuedOnly = queuedOnly
    }

    public struct Result: Sendable {
        /// What queuing did; nil when nothing was queued (`queuedOnly`).
        public var queued: RelayQueue.Result?
        public var sent: RelayOutcome

        /// What the command prints.
        public var text: String {
            (queued.map { "Queued \($0.queued) notice(s) (\($0.already) queued before).\n" } ?? "") + sent.line
        }
    }

    public func run(log: JobLog) async throws -> Result {
        let session = try server.session(configuration)
        let store = try store.open(mustExist: true)
        var queued: RelayQueue.Result?
        if !queuedOnly {
            let (report, roster) = try query.census(configuration: configuration, store: store, log: log)
            let context = try Relaying.context(
                configuration, language: language ?? configuration.report.language, now: CensusRun.now())
            queued = try RelayQueue.enqueueReport(
                report, roster: roster.members, policy: configuration.policy, context: context, into: store)
        }
        let sent = try await Relaying.sendDue(
            store, session: session, settings: configuration.relay, log: log)
        return Result(queued: queued, sent: sent)
    }
}

/// `mailcensus relay retry`: queue failed notices again (those `keys` names, or all), then
/// send all that is due.
public struct RelayRetryJob: Sendable {
    public var configuration: Configuration
    public var store: StoreAccess
    public var server: RelayServer
    /// The keys of the failed notices to queue again; empty for all of them.
    public var keys: [String]

    public init(configuration: Configuration, store: StoreAccess, server: RelayServer, keys: [String] = []) {
        self.configuration = configuration
        self.store = store
        self.server = server
        self.keys = keys
    }

    public struct Result: Sendable {
        public var requeued: Int
        public var sent: RelayOutcome

        public var text: String { "Queued \(requeued) failed notice(s) again.\n" + sent.line }
    }

    public func run(log: JobLog) async throws -> Result {
        let session = try server.session(configuration)
        let store = try store.open(mustExist: true)
        let count = try store.requeue(keys: keys.isEmpty ? nil : keys, at: CensusRun.now())
        let sent = try await Relaying.sendDue(
            store, session: session, settings: configuration.relay, log: log)
        return Result(requeued: count, sent: sent)
    }
}

/// `mailcensus relay status`: what the outbox holds.
public struct RelayStatusJob: Sendable {
    public var store: StoreAccess
    /// The offset the times are shown at: the policy's.
    public var utcOffset: Int
    /// List sent notices too.
    public var all: Bool

    public init(store: StoreAccess, utcOffset: Int, all: Bool = false) {
        self.store = store
        self.utcOffset = utcOffset
        self.all = all
    }

    public func run() throws -> RelayStatus {
        let entries = try store.open(mustExist: true).entries(status: nil)
        var counts: [OutboxEntry.Status: Int] = [:]
        for entry in entries { counts[entry.status, default: 0] += 1 }
        return RelayStatus(
            store: store.location, utcOffset: utcOffset, counts: counts,
            shown: all ? entries : entries.filter { $0.status != .sent })
    }
}

/// The outbox: its notices counted by status, and those to show.
public struct RelayStatus: Sendable {
    /// The store's location, for the text.
    public var store: String
    /// The offset the times are shown at.
    public var utcOffset: Int
    public var counts: [OutboxEntry.Status: Int]
    /// The notices not sent, or all of them.
    public var shown: [OutboxEntry]
}

/// `mailcensus relay preview`: the period's notices, and those queued, as `.eml` files; queues
/// and sends nothing.
public struct RelayPreviewJob: Sendable {
    public var configuration: Configuration
    public var store: StoreAccess
    public var query: CensusQuery
    public var language: ReportLanguage?
    /// The folder for the files.
    public var out: String

    public init(
        configuration: Configuration, store: StoreAccess, query: CensusQuery = CensusQuery(),
        language: ReportLanguage? = nil, out: String
    ) {
        self.configuration = configuration
        self.store = store
        self.query = query
        self.language = language
        self.out = out
    }

    public struct Result: Sendable {
        /// The files written.
        public var written: Set<String>
        public var folder: String

        public var text: String { "Wrote \(written.count) message(s) into \(folder)/ (nothing queued or sent).\n" }
    }

    public func run(log: JobLog) throws -> Result {
        let store = try store.open(mustExist: true)
        let (report, roster) = try query.census(configuration: configuration, store: store, log: log)
        let context = try Relaying.context(
            configuration, language: language ?? configuration.report.language, now: CensusRun.now())
        try ReportFiles.makeFolder(out)
        // A notice already queued is written once, as queued.
        var written: Set<String> = []
        try RelayQueue.forEachNotice(
            report, roster: roster.members, policy: configuration.policy, context: context,
            nudgeLimit: configuration.relay.nudges.perDay
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
        return Result(written: written, folder: out)
    }

    /// `department-report:2026-11-30:STTTT:x@y` → `OUT/department-report_2026-11-30_STTTT_x@y.eml`.
    public static func path(_ folder: String, _ key: String) -> String {
        let name = String(key.map { $0.isLetter || $0.isNumber || "@.-".contains($0) ? $0 : "_" })
        return (folder as NSString).appendingPathComponent(name + ".eml")
    }
}
