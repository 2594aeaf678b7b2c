import Foundation
import MailLog
import TestSupport
import Testing

/// Lightmeter's production logs (`../shared/corpus/lightmeter`): each ingests without a crash,
/// and its message and delivery counts equal those in `Fixtures/lightmeter-expected.json`,
/// found by reading each file (the flow of each is described there) and cross-checked with an
/// independent script.
@Suite("Lightmeter production logs")
struct LightmeterConformanceTests {
    struct Expected: Decodable, Sendable {
        let messages: Int
        let bounceNotifications: Int
        let submissions: Int
        let delivered: Int
        let relayed: Int
        let bounced: Int
        let expired: Int
        let deferred: Int
        let rejected: Int
        let logins: Int
        let loginFailures: Int
        let unrecognised: Int
        let why: String
    }

    static let expected: [String: Expected] = {
        guard let data = try? Data(contentsOf: Paths.fixture("lightmeter-expected.json")) else { return [:] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return (try? decoder.decode([String: Expected].self, from: data)) ?? [:]
    }()

    static let directory = Paths.corpus.appendingPathComponent("lightmeter")

    /// The corpus paths for a key: a file name, or `logs_sample/a+b` for a rotated pair read in order.
    static func paths(for key: String) -> [String] {
        if key.hasPrefix("logs_sample/") {
            return key.dropFirst("logs_sample/".count).split(separator: "+").map {
                directory.appendingPathComponent("logs_sample/\($0)").path
            }
        }
        return [directory.appendingPathComponent("individual_files/\(key)").path]
    }

    @Test("every corpus file has hand-checked counts")
    func complete() throws {
        let files = try FileManager.default.contentsOfDirectory(
            atPath: Self.directory.appendingPathComponent("individual_files").path)
        #expect(files.filter { $0.hasSuffix(".log") }.count == 36)
        #expect(Set(files.filter { $0.hasSuffix(".log") }).isSubset(of: Set(Self.expected.keys)))
    }

    @Test("counts equal the hand-checked ones", arguments: expected.keys.sorted())
    func counts(_ key: String) throws {
        let expected = try #require(Self.expected[key])
        let sink = MemorySink()
        var options = IngestOptions(utcOffset: 0)
        options.chunkSize = 64 << 10
        let report = try Ingestor(sink: sink, options: options).run(paths: Self.paths(for: key))
        #expect(report.files.allSatisfy { $0.status == .read && $0.error == nil })
        let stats = sink.totals.statistics
        #expect(stats.messages == expected.messages, "messages — \(expected.why)")
        #expect(stats.notifications == expected.bounceNotifications, "notifications — \(expected.why)")
        #expect(stats.submissions == expected.submissions, "submissions — \(expected.why)")
        #expect(stats.delivered == expected.delivered, "delivered — \(expected.why)")
        #expect(stats.relayed == expected.relayed, "relayed — \(expected.why)")
        #expect(stats.bounced == expected.bounced, "bounced — \(expected.why)")
        #expect(stats.expired == expected.expired, "expired — \(expected.why)")
        #expect(stats.deferred == expected.deferred, "deferred — \(expected.why)")
        #expect(stats.rejected == expected.rejected, "rejected — \(expected.why)")
        #expect(stats.logins == expected.logins, "logins — \(expected.why)")
        #expect(stats.loginFailures == expected.loginFailures, "login failures — \(expected.why)")
        #expect(stats.linesUnrecognised == expected.unrecognised, "unrecognised — \(expected.why)")
    }
}
