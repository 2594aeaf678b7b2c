import Basics
import Census
import Foundation
import Logging
import Synchronization

/// The UTC offset log lines are stamped in: the policy's once it is read (the offset of every
/// other time the tool prints), the local zone's before.
enum LogClock {
    private static let policyOffset = Mutex<Int?>(nil)

    static var offsetSeconds: Int {
        get { policyOffset.withLock { $0 } ?? TimeZone.current.secondsFromGMT() }
        set { policyOffset.withLock { $0 = newValue } }
    }
}

/// The tool's log lines on stderr, one line each: `2026-12-02T15:04:05+07:00 warning
/// mailcensus.http: …`, stamped in `LogClock`'s offset.
struct StampedLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let stamp = CivilTime.iso8601(Int64(Date().timeIntervalSince1970), offsetSeconds: LogClock.offsetSeconds)
        var fields = metadata
        if let provided = metadataProvider?.get() { fields.merge(provided) { $1 } }
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        let context =
            fields.isEmpty ? "" : " " + fields.sorted { $0.key < $1.key }.map { "\($0)=\($1)" }.joined(separator: " ")
        let line = "\(stamp) \(event.level) \(label):\(context) \(event.message)"
        Terminal.error(line)
    }

    /// Makes every `Logger` of the process write through this handler.
    static func bootstrap() {
        LoggingSystem.bootstrap { StampedLogHandler(label: $0) }
    }
}
