import Census
import CensusStore
import Foundation
import Jobs
import MailLog
import Reports
import TestSupport
import Testing

@Suite("ActivityJob and SourcesJob: what the store holds")
struct StoreJobTests {
    let captured = Captured()

    @Test("activity without a policy: the store's own mailboxes are official; JSON and CSV")
    func activityWithoutPolicy() throws {
        let configuration = try captured.configuration()
        let store = try captured.ingested(configuration)
        let result = try ActivityJob(policy: nil, store: store).run()
        #expect(result.utcOffset == 7 * 3600, "the store's offset")
        let annv = try #require(result.activity.first { $0.address == "annv@namdinh.gov.vn" })
        #expect(annv.submitted > 0)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.json.utf8)) as? [String: Any])
        #expect((json["addresses"] as? [Any])?.count == result.activity.count)
        #expect((json["lines"] as? [String: Int])?["read"] == result.lines.read)
        #expect(result.csv(byteOrderMark: true).hasPrefix("\u{FEFF}"))
        #expect(!result.csv(byteOrderMark: false).hasPrefix("\u{FEFF}"))
    }

    @Test("activity within days, with the policy's classes; a source the store lacks is named")
    func activityWithPolicy() throws {
        let configuration = try captured.configuration()
        let policy = configuration.policy
        let store = try captured.ingested(configuration)
        let all = try ActivityJob(policy: policy, store: store).run()
        let none = try ActivityJob(policy: policy, store: store, since: 1, until: 2).run()
        #expect(!all.activity.isEmpty)
        #expect(none.activity.isEmpty)
        let error = #expect(throws: (any Error).self) {
            try ActivityJob(policy: policy, store: store, sources: ["elsewhere"]).run()
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("has no source named elsewhere"))
    }

    @Test("sources: the one ingested, in text and JSON; an empty store says what to do")
    func sources() throws {
        let configuration = try captured.configuration()
        let empty = captured.folder.path("empty.sqlite")
        _ = try StoreAccess(location: empty).open(mustExist: false)
        let none = try SourcesJob(store: StoreAccess(location: empty)).run()
        #expect(none.text == "No logs in \(empty) yet: run `mailcensus ingest --source NAME LOG…`.\n")
        #expect(none.json == "{\"sources\":[]}\n" || none.json.contains("\"sources\""))
        let store = try captured.ingested(configuration)
        let list = try SourcesJob(store: store).run()
        #expect(list.sources.map(\.name) == [IngestSource.defaultName])
        let lines = list.text.split(separator: "\n")
        #expect(lines.first == "source   lines read  days")
        #expect(lines.count == 2 && lines[1].hasSuffix("(Nam Định)"), "\(list.text)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(list.json.utf8)) as? [String: [[String: Any]]])
        #expect(json["sources"]?.first?["lines_read"] as? Int == list.sources[0].statistics.linesRead)
    }
}
