import Basics
import MailLog

/// Feeds log lines through the classifier and correlator, as an ingest does, and keeps what
/// the recorder was told.
struct Scenario {
    struct Recorded: ActivityRecorder, Equatable {
        var submissions: [String] = []
        var receipts: [String] = []
        var exchanges: [String] = []
        var forwards: [String] = []
        var logins: [String] = []
        var failures: [String] = []
        var names: [String] = []

        mutating func recordSubmission(user: String, at time: Int64) { submissions.append(user) }
        mutating func recordReceipt(mailbox: String, at time: Int64) { receipts.append(mailbox) }
        mutating func recordExchange(sender: String, recipient: String, at time: Int64) {
            exchanges.append("\(sender)>\(recipient)")
        }
        mutating func recordForward(original: String, recipient: String, at time: Int64) {
            forwards.append("\(original)>\(recipient)")
        }
        mutating func recordLogin(user: String, service: LoginService, at time: Int64) {
            logins.append("\(service):\(user)")
        }
        mutating func recordFailedLogin(user: String, attempts: Int, at time: Int64) {
            failures.append("\(user)x\(attempts)")
        }
        mutating func recordDisplayName(address: String, name: String, at time: Int64) {
            names.append("\(address)=\(name)")
        }
    }

    var correlator: Correlator
    var recorded = Recorded()
    var resolver = YearResolver(
        utcOffset: 7 * 3600, anchorUTC: Int64(CivilTime.days(year: 2026, month: 12, day: 31)) * 86_400)
    var statistics = IngestStatistics()

    init(loginDomain: String? = nil, state: Correlator.State = Correlator.State()) {
        correlator = Correlator(state: state, loginDomain: loginDomain)
    }

    /// Runs `text`'s lines in order; every framed line's stamp goes through the year resolver.
    mutating func feed(_ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            String(line).withByteView { view in
                var stamp: LineTime?
                let verdict = LineClassifier.classify(view, stamp: &stamp)
                let time = stamp.map { resolver.resolve($0) }
                switch verdict {
                case .mail(let event):
                    correlator.countLines(read: 1, parsed: 1, otherPrograms: 0, unrecognised: 0)
                    if let event, let time { correlator.apply(event.event, at: time, to: &recorded) }
                case .otherProgram:
                    correlator.countLines(read: 1, parsed: 0, otherPrograms: 1, unrecognised: 0)
                case .unrecognised:
                    correlator.countLines(read: 1, parsed: 0, otherPrograms: 0, unrecognised: 1)
                case .unreadableHeader:
                    correlator.countLines(read: 1, parsed: 1, otherPrograms: 0, unrecognised: 0, unreadableHeaders: 1)
                }
            }
        }
        statistics += correlator.takeStatistics()
    }
}
