import Census
import CensusStore
import Foundation
import MailLog
import MailLogTesting
import Testing

@Suite("SQLite store")
struct SQLiteStoreTests {
    static let log = SyntheticLog.make(messages: 200)
    static let policy = Policy(province: "Test", officialDomains: ["namdinh.gov.vn"], loginDomain: "namdinh.gov.vn")
    static var options: IngestOptions {
        var options = IngestOptions(utcOffset: policy.utcOffset, loginDomain: policy.loginDomain)
        options.chunkSize = 1500
        options.commitInterval = 4000
        return options
    }

    /// Passes commits on to a store until told to stop, as a process killed between two commits.
    final class FailingSink: IngestSink, @unchecked Sendable {
        let store: SQLiteStore
        var remaining: Int

        init(_ store: SQLiteStore, commits: Int) {
            self.store = store
            remaining = commits
        }

        func checkpoints(lineHash: String) throws -> [FileCheckpoint] { try store.checkpoints(lineHash: lineHash) }
        func correlatorState() throws -> Correlator.State? { try store.correlatorState() }
        func commit(_ batch: IngestBatch) throws {
            guard remaining > 0 else { throw MemorySink.Crash() }
            remaining -= 1
            try store.commit(batch)
        }
    }

    @Test("activity in the store adds up to what the ingest recorded")
    func activityMatchesIngest() throws {
        let folder = TemporaryFolder()
        let path = folder.write("mail.log", Self.log)
        let memory = MemorySink()
        _ = try Ingestor(sink: memory, options: Self.options).run(paths: [path])
        let store = try SQLiteStore(path: folder.path("store.sqlite"))
        _ = try Ingestor(sink: store, options: Self.options).run(paths: [path])
        let activity = try store.activity(from: nil, through: nil, classifier: AddressClassifier(policy: Self.policy))
        for item in activity {
            let counters = memory.totals.counters[item.address] ?? [0, 0, 0, 0, 0, 0]
            #expect(
                [
                    item.submitted, item.received, item.imapLogins, item.pop3Logins, item.submissionLogins,
                    item.failedLogins,
                ]
                    == counters, "\(item.address)")
        }
        // Every address with counters, and every correspondent, has a line of activity.
        let correspondents = memory.totals.exchanges.keys.flatMap { $0.split(separator: "|").map(String.init) }
        #expect(Set(activity.map(\.address)) == Set(memory.totals.counters.keys).union(correspondents))
        #expect(try store.statistics() == memory.totals.statistics)
        let annv = try #require(activity.first { $0.address == "annv@namdinh.gov.vn" })
        #expect(annv.submitted == 20)
        #expect(annv.officialCorrespondents == 2)  // hoanx (inbound), binhtt (outbound)
        #expect(annv.webmailCorrespondents == 4)  // friend0...2@gmail.com; boss1@yahoo.com (annv gets odd ids)
        #expect(annv.otherCorrespondents == 1)  // partner@example.org
    }

    @Test("a store reopened after a crash at any commit ends with one clean run's totals")
    func crashAndReopen() throws {
        let folder = TemporaryFolder()
        let path = folder.write("mail.log", Self.log)
        let clean = try SQLiteStore(path: folder.path("clean.sqlite"))
        _ = try Ingestor(sink: clean, options: Self.options).run(paths: [path])
        let classifier = AddressClassifier(policy: Self.policy)
        let expected = try clean.activity(from: nil, through: nil, classifier: classifier)
        for commits in [0, 1, 3, 7, 15] {
            let storePath = folder.path("crash-\(commits).sqlite")
            let first = try SQLiteStore(path: storePath)
            #expect(throws: MemorySink.Crash.self) {
                try Ingestor(sink: FailingSink(first, commits: commits), options: Self.options).run(paths: [path])
            }
            let reopened = try SQLiteStore(path: storePath)
            _ = try Ingestor(sink: reopened, options: Self.options).run(paths: [path])
            #expect(try reopened.activity(from: nil, through: nil, classifier: classifier) == expected)
            #expect(try reopened.statistics() == clean.statistics())
        }
    }

    @Test("days filter activity")
    func dayFilter() throws {
        let folder = TemporaryFolder()
        // 3,000 minutes: 20, 21 and 22 November.
        let path = folder.write("mail.log", SyntheticLog.make(messages: 3000))
        let store = try SQLiteStore(path: folder.path("store.sqlite"))
        _ = try Ingestor(sink: store, options: Self.options).run(paths: [path])
        let classifier = AddressClassifier(policy: Self.policy)
        let day21 = CivilTime.days(year: 2026, month: 11, day: 21)
        let all = try store.activity(from: nil, through: nil, classifier: classifier)
        let one = try store.activity(from: day21, through: day21, classifier: classifier)
        let total = all.reduce(0) { $0 + $1.submitted }
        let single = one.reduce(0) { $0 + $1.submitted }
        #expect(total == 1500)
        #expect(single == 720)  // 1,440 minutes, half of them submissions
        #expect(one.allSatisfy { CivilTime.iso8601($0.firstSeen, offsetSeconds: 7 * 3600).hasPrefix("2026-11-21") })
    }

    @Test("the provisioning journal: an address is unconfirmed until its password is saved, and survives a reopen")
    func journal() throws {
        let folder = TemporaryFolder()
        let path = folder.path("store.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try store.recordAssignment(employeeID: "E1", address: "annv@namdinh.gov.vn")
            try store.recordAssignment(employeeID: "E2", address: "binhtt@namdinh.gov.vn")
            try store.confirmCreation(employeeID: "E1")
        }
        let reopened = try SQLiteStore(path: path)
        #expect(
            try reopened.assignedAddresses() == ["E1": "annv@namdinh.gov.vn", "E2": "binhtt@namdinh.gov.vn"])
        #expect(try reopened.unconfirmedCreations() == ["E2"])
        // Recorded again (a new attempt): unconfirmed again.
        try reopened.recordAssignment(employeeID: "E1", address: "annv@namdinh.gov.vn")
        #expect(try reopened.unconfirmedCreations() == ["E1", "E2"])
    }
}
