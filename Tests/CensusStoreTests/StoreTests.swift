import Basics
import Census
import CensusStore
import Foundation
import MailLog
import Provisioning
import Relay
import TestSupport
import Testing

/// A backend of the store, and fresh stores of it.
enum Backend: String, CaseIterable, Sendable {
    case sqlite, postgres

    /// A new, empty store's location, in `folder` for SQLite.
    func newLocation(_ folder: TemporaryFolder, _ name: String = "store") throws -> String {
        switch self {
        case .sqlite: folder.path("\(name).sqlite")
        case .postgres: try PostgresTestServer.running().makeDatabase()
        }
    }

    /// Opens the store at `location` as a command would.
    func open(_ location: String) throws -> any Store {
        switch self {
        case .sqlite: try Stores.open(location)
        case .postgres: try Stores.open(location, environment: try PostgresTestServer.running().environment)
        }
    }

    func newStore(_ folder: TemporaryFolder, _ name: String = "store") throws -> any Store {
        try open(try newLocation(folder, name))
    }
}

extension Store {
    /// The sink of the default source.
    var defaultSink: any IngestSink {
        get throws { try sink(for: IngestSource(name: IngestSource.defaultName, province: "Test")) }
    }

    func ingest(
        _ paths: [String], options: IngestOptions, source: String = IngestSource.defaultName,
        province: String = "Test"
    ) throws {
        func run(_ sink: some IngestSink) throws { _ = try Ingestor(sink: sink, options: options).run(paths: paths) }
        try run(try sink(for: IngestSource(name: source, province: province)))
    }
}

/// The store's tests, each run on SQLite by `SQLiteStoreTests` and on PostgreSQL by
/// `PostgreSQLStoreTests`.
struct StoreTests {
    static let log = SyntheticLog.make(messages: 200)
    static let policy = Policy(province: "Test", officialDomains: ["namdinh.gov.vn"], loginDomain: "namdinh.gov.vn")
    static var options: IngestOptions {
        var options = IngestOptions(utcOffset: policy.utcOffset, loginDomain: policy.loginDomain)
        options.chunkSize = 1500
        options.commitInterval = 4000
        return options
    }

    /// Passes commits on to a store until told to stop, as a process killed between two commits.
    ///
    /// `@unchecked Sendable`: one ingest uses it, and commits from one thread at a time, so
    /// `remaining` is never written by two at once.
    final class FailingSink: IngestSink, @unchecked Sendable {
        let sink: any IngestSink
        var remaining: Int

        init(_ store: any Store, commits: Int) throws {
            sink = try store.defaultSink
            remaining = commits
        }

        func checkpoints(lineHash: String) throws -> [FileCheckpoint] { try sink.checkpoints(lineHash: lineHash) }
        func correlatorState() throws -> Correlator.State? { try sink.correlatorState() }
        func commit(_ batch: IngestBatch) throws {
            guard remaining > 0 else { throw MemorySink.Crash() }
            remaining -= 1
            try sink.commit(batch)
        }
        func prepare(addresses: [String]) throws {
            prepared += addresses.count
            try sink.prepare(addresses: addresses)
        }
        /// Addresses handed to `prepare`.
        var prepared = 0
    }

    func activityMatchesIngest(backend: Backend) throws {
        let folder = TemporaryFolder()
        let path = folder.write("mail.log", Self.log)
        let memory = MemorySink()
        _ = try Ingestor(sink: memory, options: Self.options).run(paths: [path])
        let store = try backend.newStore(folder)
        try store.ingest([path], options: Self.options)
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

    func crashAndReopen(backend: Backend) throws {
        let folder = TemporaryFolder()
        let path = folder.write("mail.log", Self.log)
        let clean = try backend.newStore(folder, "clean")
        try clean.ingest([path], options: Self.options)
        let classifier = AddressClassifier(policy: Self.policy)
        let expected = try clean.activity(from: nil, through: nil, classifier: classifier)
        // Also with addresses stored ahead of each commit (`IngestOptions.addressesAhead`): a
        // commit every third batch of two chunks, any new address stored at once in between.
        var ahead = Self.options
        ahead.workers = 1
        ahead.commitInterval = Int64(6 * ahead.chunkSize)
        ahead.addressesAhead = 1
        for (name, options, crashes) in [("", Self.options, [0, 1, 3, 7, 15]), ("ahead-", ahead, [0, 1, 3, 7])] {
            for commits in crashes {
                let location = try backend.newLocation(folder, "crash-\(name)\(commits)")
                let first = try backend.open(location)
                let failing = try FailingSink(first, commits: commits)
                #expect(throws: MemorySink.Crash.self) {
                    try Ingestor(sink: failing, options: options).run(paths: [path])
                }
                #expect(name.isEmpty || commits == 0 || failing.prepared > 0, "\(name)\(commits)")
                let reopened = try backend.open(location)
                try reopened.ingest([path], options: options)
                #expect(
                    try reopened.activity(from: nil, through: nil, classifier: classifier) == expected,
                    "\(name)\(commits)")
                #expect(try reopened.statistics() == clean.statistics(), "\(name)\(commits)")
            }
        }
    }

    func dayFilter(backend: Backend) throws {
        let folder = TemporaryFolder()
        // 3,000 minutes: 20, 21 and 22 November.
        let path = folder.write("mail.log", SyntheticLog.make(messages: 3000))
        let store = try backend.newStore(folder)
        try store.ingest([path], options: Self.options)
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

    func journal(backend: Backend) throws {
        let folder = TemporaryFolder()
        let path = try backend.newLocation(folder)
        do {
            let store = try backend.open(path)
            try store.recordAssignment(employeeID: "E1", address: "annv@namdinh.gov.vn")
            try store.recordAssignment(employeeID: "E2", address: "binhtt@namdinh.gov.vn")
            try store.confirmCreation(employeeID: "E1")
        }
        let reopened = try backend.open(path)
        #expect(
            try reopened.assignedAddresses() == ["E1": "annv@namdinh.gov.vn", "E2": "binhtt@namdinh.gov.vn"])
        #expect(try reopened.unconfirmedCreations() == ["E2"])
        // Recorded again (a new attempt): unconfirmed again.
        try reopened.recordAssignment(employeeID: "E1", address: "annv@namdinh.gov.vn")
        #expect(try reopened.unconfirmedCreations() == ["E1", "E2"])
    }

    func outbox(backend: Backend) throws {
        let folder = TemporaryFolder()
        let store = try backend.newStore(folder)
        func notice(_ key: String, kind: NoticeKind = .nudge) -> Notice {
            let to = Mailbox(address: "\(key)@namdinh.gov.vn")
            return Notice(
                key: key, kind: kind, recipient: to,
                message: MailMessage(
                    from: Mailbox(name: "Trung tâm CNTT", address: "baocao@namdinh.gov.vn"), to: [to],
                    subject: "Báo cáo \(key)", text: "Xin chào", messageID: "<\(key)@namdinh.gov.vn>", date: 1000,
                    utcOffset: 7 * 3600))
        }
        for key in ["a", "b", "c"] {
            #expect(try store.enqueue(notice(key), sender: "baocao@namdinh.gov.vn", at: 1000))
        }
        #expect(try !store.enqueue(notice("a"), sender: "baocao@namdinh.gov.vn", at: 1000), "a key is queued once")
        #expect(try store.enqueue(notice("w", kind: .welcome), sender: "baocao@namdinh.gov.vn", at: 5000))
        #expect(try store.due(at: 999, limit: 10).isEmpty)
        let due = try store.due(at: 1000, limit: 2)
        #expect(due.map(\.key) == ["a", "b"])
        #expect(
            String(decoding: try store.message(id: due[0].id), as: UTF8.self).contains("Message-ID: <a@namdinh.gov.vn>")
        )
        try store.markSent(id: due[0].id, at: 1100)
        try store.markDeferred(id: due[1].id, error: "421 try later", retryAt: 2000, counting: true)
        let third = try #require(try store.due(at: 1100, limit: 10).first)
        #expect(third.key == "c")
        try store.markFailed(id: third.id, error: "550 no such user")
        let entries = Dictionary(uniqueKeysWithValues: try store.entries(status: nil).map { ($0.key, $0) })
        #expect(entries["a"]?.status == .sent && entries["a"]?.sentAt == 1100 && entries["a"]?.attempts == 1)
        #expect(entries["b"]?.status == .queued && entries["b"]?.nextAttemptAt == 2000)
        #expect(entries["b"]?.lastError == "421 try later" && entries["b"]?.attempts == 1)
        #expect(entries["c"]?.status == .failed && entries["c"]?.lastError == "550 no such user")
        #expect(entries["w"]?.subject == "Báo cáo w" && entries["w"]?.kind == "welcome")
        #expect(try store.entries(status: .failed).map(\.key) == ["c"])
        #expect(try store.requeue(keys: ["a", "c"], at: 3000) == 1, "only a failed notice is queued again")
        #expect(try store.entries(status: .queued).map(\.key) == ["b", "c", "w"])
        #expect(try store.requeue(keys: nil, at: 3000) == 0)
        #expect(try store.queuedCount(kind: .nudge, since: 1000) == 3)
        #expect(try store.queuedCount(kind: .welcome, since: 5001) == 0)
    }

    func commitsAddUp(backend: Backend) throws {
        let folder = TemporaryFolder()
        // Three days, so that commits of 4,000 bytes add to rows of a day another commit began.
        let path = folder.write("mail.log", SyntheticLog.make(messages: 3000))
        var once = Self.options
        once.commitInterval = 1 << 40
        let whole = try backend.newStore(folder, "whole")
        try whole.ingest([path], options: once)
        let pieces = try backend.newStore(folder, "pieces")
        try pieces.ingest([path], options: Self.options)
        let classifier = AddressClassifier(policy: Self.policy)
        let expected = try whole.activity(from: nil, through: nil, classifier: classifier)
        #expect(expected.count >= 5 && expected.contains { $0.lastSeen - $0.firstSeen > 86_400 })
        #expect(try pieces.activity(from: nil, through: nil, classifier: classifier) == expected)
        func rows(_ store: any Store) throws -> [String] {
            let data = try store.censusData(from: 0, through: 100_000)
            let name = { (index: Int32) in data.addresses[Int(index)] }
            return
                (data.activity.map {
                    "activity \($0.day) \(name($0.address)) \($0.submitted) \($0.received) \($0.logins) \($0.failedLogins)"
                } + data.exchanges.map { "exchange \($0.day) \(name($0.from)) \(name($0.to)) \($0.messages)" }
                + data.forwards.map { "forward \($0.day) \(name($0.from)) \(name($0.to)) \($0.messages)" }
                + data.displayNames.map { "name \(name($0.address)) \($0.name) \($0.messages)" }).sorted()
        }
        #expect(try rows(pieces) == rows(whole), "exchanges, forwards and display names too")
    }

    func outboxBytes(backend: Backend) throws {
        let folder = TemporaryFolder()
        let store = try backend.newStore(folder)
        // Every byte value, NUL and CR LF among them: stored and read back as they were queued.
        let bytes = (0...255).map(UInt8.init) + Array("\r\n.\r\n".utf8)
        let message = OutboxMessage(
            key: "k", kind: .welcome, recipient: "annv@namdinh.gov.vn", sender: "baocao@namdinh.gov.vn",
            subject: "Chào mừng", bytes: bytes)
        #expect(try store.enqueue(message, at: 1000))
        #expect(try !store.enqueue(message, at: 1000), "a key is queued once")
        let entry = try #require(try store.due(at: 1000, limit: 10).first)
        #expect(try store.message(id: entry.id) == bytes)
        #expect(
            entry
                == OutboxEntry(
                    id: entry.id, key: "k", kind: "welcome", recipient: "annv@namdinh.gov.vn",
                    sender: "baocao@namdinh.gov.vn", subject: "Chào mừng", status: .queued, attempts: 0,
                    nextAttemptAt: 1000, lastError: nil, createdAt: 1000, sentAt: nil))
        #expect(try store.message(id: entry.id + 1000) == [], "no such entry: no bytes")
        for key in ["a", "b"] {
            var other = message
            other.key = key
            #expect(try store.enqueue(other, at: 1000))
        }
        for entry in try store.entries(status: nil) { try store.markFailed(id: entry.id, error: "550") }
        #expect(try store.requeue(keys: ["a", "b", "missing"], at: 2000) == 2, "each failed key counted once")
        #expect(try store.requeue(keys: nil, at: 2000) == 1)
    }

    func sources(backend: Backend) throws {
        let folder = TemporaryFolder()
        let portal = folder.write("portal.log", SyntheticLog.make(messages: 400))
        let schools = folder.write("schools.log", SyntheticLog.make(messages: 300, start: 2000))
        let store = try backend.newStore(folder)
        try store.ingest([portal], options: Self.options, source: "portal")
        try store.ingest([schools], options: Self.options, source: "giaoduc")
        // The same file again, as each source: nothing new for the first, all new for another.
        try store.ingest([portal], options: Self.options, source: "portal")
        let classifier = AddressClassifier(policy: Self.policy)
        func submitted(_ sources: SourceSelection) throws -> Int {
            try store.activity(from: nil, through: nil, classifier: classifier, sources: sources).reduce(0) {
                $0 + $1.submitted
            }
        }
        #expect(try submitted(["portal"]) == 200)
        #expect(try submitted(["giaoduc"]) == 150)
        #expect(try submitted(.all) == 350)
        #expect(try submitted(SourceSelection(province: "Test")) == 350)
        #expect(try submitted(SourceSelection(province: "Thái Bình")) == 0, "another province has none of it")
        #expect(try submitted(["portal", "giaoduc"]) == 350)
        #expect(
            try store.statistics(sources: ["portal"]).linesRead
                == SyntheticLog.make(messages: 400).split(separator: "\n").count)
        #expect(
            try store.statistics().linesRead
                == store.statistics(sources: ["portal"]).linesRead + store.statistics(sources: ["giaoduc"]).linesRead)
        let merged = try store.censusData(from: 0, through: 100_000)
        let one = try store.censusData(from: 0, through: 100_000, sources: ["giaoduc"])
        #expect(merged.activity.reduce(0) { $0 + Int($1.submitted) } == 350)
        #expect(one.activity.reduce(0) { $0 + Int($1.submitted) } == 150)
        #expect(
            try store.coverage(sources: ["giaoduc"])?.lowerBound ?? 0 > store.coverage(sources: ["portal"])?.lowerBound
                ?? 0)
        let listed = try store.sources()
        #expect(listed.map(\.name) == ["giaoduc", "portal"])
        #expect(listed.allSatisfy { $0.province == "Test" && $0.coverage != nil })
        #expect(try listed.first { $0.name == "portal" }?.statistics == store.statistics(sources: ["portal"]))
        let error = try #require(throws: StoreError.self) { try submitted(["xuantruong"]) }
        #expect(error.code == .unknownSource)
        #expect(error.description.contains("no source named xuantruong (it has: giaoduc, portal)"))
        // The same source again, with the other log: both counted once.
        try store.ingest([schools, portal], options: Self.options, source: "portal")
        #expect(try submitted(["portal"]) == 350)
    }

    /// Two sources with the same log: every daily row has a twin of the same day and
    /// addresses, which the reads add up in memory.
    func mergedSources(backend: Backend) throws {
        let folder = TemporaryFolder()
        let log = folder.write("mail.log", SyntheticLog.make(messages: 300))
        let store = try backend.newStore(folder)
        try store.ingest([log], options: Self.options, source: "portal")
        try store.ingest([log], options: Self.options, source: "giaoduc")
        let classifier = AddressClassifier(policy: Self.policy)
        let one = try store.activity(from: nil, through: nil, classifier: classifier, sources: ["portal"])
        let both = try store.activity(from: nil, through: nil, classifier: classifier)
        #expect(!one.isEmpty)
        #expect(both.map(\.address) == one.map(\.address))
        #expect(both.map(\.address) == both.map(\.address).sorted())
        for (merged, single) in zip(both, one) {
            #expect(merged.submitted == 2 * single.submitted && merged.received == 2 * single.received)
            #expect(merged.imapLogins == 2 * single.imapLogins)
            #expect(merged.officialCorrespondents == single.officialCorrespondents, "distinct, not added")
            #expect(merged.webmailCorrespondents == single.webmailCorrespondents)
            #expect(merged.firstSeen == single.firstSeen && merged.lastSeen == single.lastSeen)
        }
        #expect(try store.mailboxDomains(sources: .all) == ["namdinh.gov.vn"])
        #expect(try store.mailboxDomains(sources: ["portal"]) == store.mailboxDomains(sources: ["giaoduc"]))
        let single = try store.censusData(from: 0, through: 100_000, sources: ["portal"])
        let merged = try store.censusData(from: 0, through: 100_000)
        #expect(!single.activity.isEmpty && !single.exchanges.isEmpty)
        #expect(merged.addresses == single.addresses)
        #expect(merged.activity.map { [$0.day, $0.address] } == single.activity.map { [$0.day, $0.address] })
        #expect(merged.activity.map(\.submitted) == single.activity.map { 2 * $0.submitted })
        #expect(merged.activity.map(\.logins) == single.activity.map { 2 * $0.logins })
        #expect(
            merged.exchanges.map { [$0.day, $0.from, $0.to] } == single.exchanges.map { [$0.day, $0.from, $0.to] })
        #expect(merged.exchanges.map(\.messages) == single.exchanges.map { 2 * $0.messages })
        let keys = merged.exchanges.map { [$0.day, $0.from, $0.to] }
        #expect(keys == keys.sorted { $0.lexicographicallyPrecedes($1) }, "in key order, each key once")
        #expect(Set(keys).count == keys.count)
        #expect(merged.coverage == single.coverage && merged.coverage != nil)
        // The last active days look before the span: read from the rows when the span starts at
        // the first day, by a query of their own when it starts later.
        let first = try #require(merged.coverage?.lowerBound)
        let later = try store.censusData(from: first + 1, through: 100_000)
        #expect(!merged.lastActive.isEmpty)
        #expect(later.lastActive == merged.lastActive)
    }

    func holds(backend: Backend) throws {
        let folder = TemporaryFolder()
        let location = try backend.newLocation(folder)
        let first = try backend.open(location)
        let second = try backend.open(location)
        let portal = IngestSource(name: "portal", province: "Test")
        var held: AnyObject? = try first.hold(.ingest(portal))
        let busy = try #require(throws: StoreError.self) { try second.hold(.ingest(portal)) }
        #expect(busy.code == .busy)
        switch backend {
        case .sqlite:
            // One writer at a time: the file is held whatever the purpose.
            #expect(throws: StoreError.self) { try second.hold(.provisioning) }
        case .postgres:
            // Other sources ingest alongside; provisioning too.
            _ = try second.hold(.ingest(IngestSource(name: "giaoduc", province: "Test")))
            _ = try second.hold(.ingest(IngestSource(name: "portal", province: "Thái Bình")))
            _ = try second.hold(.provisioning)
        }
        // Sending is held apart from writing, on both.
        let sending = try second.hold(.relay)
        let twice = try #require(throws: StoreError.self) { try first.hold(.relay) }
        #expect(twice.code == .busy && twice.description.contains("sending this store's notices"))
        withExtendedLifetime(sending) {}
        withExtendedLifetime(held) {}
        held = nil
        _ = try second.hold(.ingest(portal))
    }

    func provinces(backend: Backend) throws {
        let folder = TemporaryFolder()
        let log = folder.write("mail.log", SyntheticLog.make(messages: 400))
        let store = try backend.newStore(folder)
        try store.ingest([log], options: Self.options, province: "Nam Định")
        // The same file, as another province's server of the same name: counted for it too.
        try store.ingest([log], options: Self.options, province: "Thái Bình")
        try store.ingest([log], options: Self.options, province: "Nam Định")
        let classifier = AddressClassifier(policy: Self.policy)
        func submitted(_ province: String?) throws -> Int {
            try store.activity(
                from: nil, through: nil, classifier: classifier, sources: SourceSelection(province: province)
            ).reduce(0) { $0 + $1.submitted }
        }
        #expect(try submitted("Nam Định") == 200)
        #expect(try submitted("Thái Bình") == 200)
        #expect(try submitted(nil) == 400)
        #expect(try store.sources().map(\.province).sorted() == ["Nam Định", "Thái Bình"])
        let error = try #require(throws: StoreError.self) {
            try store.coverage(sources: SourceSelection(province: "Thái Bình", names: ["portal"]))
        }
        #expect(error.description.contains("has no source named portal in Thái Bình (it has: default)"))
    }
}

/// The store on SQLite: a file in a temporary folder.
@Suite("The store on SQLite")
struct SQLiteStoreTests {
    @Test("activity in the store adds up to what the ingest recorded")
    func activityMatchesIngest() throws { try StoreTests().activityMatchesIngest(backend: .sqlite) }

    @Test("a store reopened after a crash at any commit ends with one clean run's totals")
    func crashAndReopen() throws { try StoreTests().crashAndReopen(backend: .sqlite) }

    @Test("days filter activity")
    func dayFilter() throws { try StoreTests().dayFilter(backend: .sqlite) }

    @Test("the provisioning journal: an address is unconfirmed until its password is saved, and survives a reopen")
    func journal() throws { try StoreTests().journal(backend: .sqlite) }

    @Test("the outbox: a key is queued once; sent, deferred, failed and queued again")
    func outbox() throws { try StoreTests().outbox(backend: .sqlite) }

    @Test("many small commits leave the rows one commit leaves: counts added, first and last seen widened")
    func commitsAddUp() throws { try StoreTests().commitsAddUp(backend: .sqlite) }

    @Test("the outbox keeps a message's bytes as they were queued, every byte value")
    func outboxBytes() throws { try StoreTests().outboxBytes(backend: .sqlite) }

    @Test("sources: kept apart, merged by reports, filtered by name; checkpoints are per source")
    func sources() throws { try StoreTests().sources(backend: .sqlite) }

    @Test("two runs cannot hold one source at once")
    func holds() throws { try StoreTests().holds(backend: .sqlite) }

    @Test("sources with the same rows: reads add them up, in key order, correspondents counted once")
    func mergedSources() throws { try StoreTests().mergedSources(backend: .sqlite) }

    @Test("two provinces' sources of one name are kept apart: figures, checkpoints and reports")
    func provinces() throws { try StoreTests().provinces(backend: .sqlite) }
}

/// The store on PostgreSQL: a fresh database on the test server for each test.
@Suite("The store on PostgreSQL", .tags(.postgres), .needs(.postgres))
struct PostgreSQLStoreTests {
    @Test("activity in the store adds up to what the ingest recorded")
    func activityMatchesIngest() throws { try StoreTests().activityMatchesIngest(backend: .postgres) }

    @Test("a store reopened after a crash at any commit ends with one clean run's totals")
    func crashAndReopen() throws { try StoreTests().crashAndReopen(backend: .postgres) }

    @Test("days filter activity")
    func dayFilter() throws { try StoreTests().dayFilter(backend: .postgres) }

    @Test("the provisioning journal: an address is unconfirmed until its password is saved, and survives a reopen")
    func journal() throws { try StoreTests().journal(backend: .postgres) }

    @Test("the outbox: a key is queued once; sent, deferred, failed and queued again")
    func outbox() throws { try StoreTests().outbox(backend: .postgres) }

    @Test("many small commits leave the rows one commit leaves: counts added, first and last seen widened")
    func commitsAddUp() throws { try StoreTests().commitsAddUp(backend: .postgres) }

    @Test("the outbox keeps a message's bytes as they were queued, every byte value")
    func outboxBytes() throws { try StoreTests().outboxBytes(backend: .postgres) }

    @Test("sources: kept apart, merged by reports, filtered by name; checkpoints are per source")
    func sources() throws { try StoreTests().sources(backend: .postgres) }

    @Test("two runs cannot hold one source at once")
    func holds() throws { try StoreTests().holds(backend: .postgres) }

    @Test("sources with the same rows: reads add them up, in key order, correspondents counted once")
    func mergedSources() throws { try StoreTests().mergedSources(backend: .postgres) }

    @Test("two provinces' sources of one name are kept apart: figures, checkpoints and reports")
    func provinces() throws { try StoreTests().provinces(backend: .postgres) }
}
