public import Foundation
public import MailLog

/// An in-memory ingest sink that adds up what it is given, and can be told to fail, as a
/// crashing process would, after a number of commits.
///
/// `@unchecked Sendable`: an ingest commits from one thread at a time, one commit after the
/// other, and a test reads what it holds only after the ingest has returned.
public final class MemorySink: IngestSink, @unchecked Sendable {
    /// What the sink was given, added up: counters per address (submitted, received, imap,
    /// pop3, submission, failed), messages per `sender|recipient`, statistics.
    public struct Totals: Equatable {
        public var counters: [String: [Int]] = [:]
        public var exchanges: [String: Int] = [:]
        /// Messages forwarded, per `original|recipient`.
        public var forwards: [String: Int] = [:]
        /// Messages per `address|folded name` of their From header.
        public var displayNames: [String: Int] = [:]
        public var statistics = IngestStatistics()

        public init() {}
    }

    public init() {}

    public struct Crash: Error {
        public init() {}
    }

    public var totals = Totals()
    public var files: [String: FileCheckpoint] = [:]
    public var state: Correlator.State?
    public var commits = 0
    /// Commits that succeed before every later one throws.
    public var failAfter: Int?

    public func checkpoints(lineHash: String) throws -> [FileCheckpoint] {
        files.values.filter { $0.lineHash == lineHash }
    }

    public func correlatorState() throws -> Correlator.State? { state }

    public func commit(_ batch: IngestBatch) throws {
        if let failAfter, commits >= failAfter { throw Crash() }
        commits += 1
        let activity = batch.activity
        for (key, value) in activity.days {
            let address = activity.addresses[Int(key.address)]
            let row = [value.submitted, value.received, value.imap, value.pop3, value.submission, value.failed]
            totals.counters[address] = zip(totals.counters[address] ?? Array(repeating: 0, count: 6), row).map(+)
        }
        for (key, counters) in activity.pairs {
            let name = "\(activity.addresses[Int(key.sender)])|\(activity.addresses[Int(key.recipient)])"
            totals.exchanges[name, default: 0] += counters.messages
        }
        for (key, counters) in activity.forwards {
            let name = "\(activity.addresses[Int(key.sender)])|\(activity.addresses[Int(key.recipient)])"
            totals.forwards[name, default: 0] += counters.messages
        }
        for (key, messages) in activity.displayNames {
            let name = "\(activity.addresses[Int(key.address)])|\(activity.displayNameTexts[Int(key.name)])"
            totals.displayNames[name, default: 0] += messages
        }
        totals.statistics += batch.statistics
        files[batch.checkpoint.fingerprint] = batch.checkpoint
        // The state is stored encoded, as a real store keeps it.
        state = try Correlator.State(encoded: batch.state.encoded())
    }
}

/// A temporary folder, removed when the value goes.
public final class TemporaryFolder {
    public let url: URL

    public init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("mailcensus-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    @discardableResult
    public func write(_ name: String, _ text: String) -> String {
        let path = path(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) -> String {
        let path = path(name)
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Compresses `name` in place with the system's gzip, giving `name.gz`.
    @discardableResult
    public func gzip(_ name: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-f", "-n", path(name)]
        try process.run()
        process.waitUntilExit()
        return path(name + ".gz")
    }
}
