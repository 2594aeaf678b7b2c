import Census
import Foundation
import GRDB
import TestSupport
import Testing

@testable import CensusStore

/// Reports read a store they may not write. The tests run as root in CI, and root ignores file
/// modes, so a 0444 file does not by itself show that nothing is written: each test also checks
/// that the folder holds no new file (`-wal`, `-shm`, `.lock`) and that the file's bytes are the
/// same, and that SQLite itself refuses a write through the connection (it opens it with
/// `SQLITE_OPEN_READONLY`, which holds for root too).
@Suite("A SQLite store opened only to read")
struct ReadOnlyStoreTests {
    static let policy = Policy(province: "Nam Định", officialDomains: ["namdinh.gov.vn"], loginDomain: "namdinh.gov.vn")

    /// A store with one source, and annv's activity and mail to a Gmail address on one day.
    static func fill(_ store: SQLiteStore) throws {
        _ = try store.sink(for: IngestSource(name: "portal", province: "Nam Định"))
        try store.write("fill") { db in
            try db.execute(
                sql: """
                    INSERT INTO address (id, address) VALUES (1, 'annv@namdinh.gov.vn'), (2, 'an.nguyen@gmail.com');
                    INSERT INTO daily_activity (day, source_id, address_id, submitted, received, first_seen, last_seen)
                        VALUES (20000, 1, 1, 3, 4, 1728000000, 1728000100);
                    INSERT INTO daily_exchange (day, source_id, sender_id, recipient_id, messages, first_seen, last_seen)
                        VALUES (20000, 1, 1, 2, 2, 1728000000, 1728000100);
                    """)
        }
    }

    /// A filled store in `folder`, its writer still open.
    static func filled(in folder: TemporaryFolder) throws -> (path: String, writer: SQLiteStore) {
        let path = folder.path("store.sqlite")
        let writer = try SQLiteStore(path: path)
        try fill(writer)
        return (path, writer)
    }

    static func files(_ folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
    }

    static func submitted(_ store: SQLiteStore) throws -> Int? {
        try store.activity(from: nil, through: nil, classifier: AddressClassifier(policy: policy))
            .first { $0.address == "annv@namdinh.gov.vn" }?.submitted
    }

    @Test("a 0444 file in a 0555 folder: read as it is, with no file made beside it and no write")
    func unwritable() throws {
        let folder = TemporaryFolder()
        let path = folder.path("store.sqlite")
        try Self.fill(try SQLiteStore(path: path))
        #expect(try Self.files(folder) == ["store.sqlite"], "the writer closed: no -wal left")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(chmod(path, 0o444) == 0 && chmod(folder.url.path, 0o555) == 0)
        defer { _ = chmod(folder.url.path, 0o755) }

        #expect(SQLiteStore.readingLocation(path).hasSuffix("store.sqlite?immutable=1"))
        let store = try SQLiteStore(path: path, readOnly: true)
        #expect(try store.sources().map(\.name) == ["portal"])
        #expect(try Self.submitted(store) == 3)
        #expect(try store.coverage() == 20000...20000)
        let refused = try #require(throws: StoreError.self) {
            try store.sink(for: IngestSource(name: "other", province: "Nam Định"))
        }
        #expect(refused.description.contains("readonly"), "SQLite refuses the write, whoever runs it")
        #expect(try Self.files(folder) == ["store.sqlite"], "no -wal, -shm or .lock made")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("while a writer has the store open (its -wal beside it), a reader sees what it committed")
    func beside() throws {
        let folder = TemporaryFolder()
        let (path, writer) = try Self.filled(in: folder)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(SQLiteStore.readingLocation(path) == path, "not immutable: the file is being written")
        let reader = try SQLiteStore(path: path, readOnly: true)
        #expect(try Self.submitted(reader) == 3)
        try writer.write("more") { db in try db.execute(sql: "UPDATE daily_activity SET submitted = 5") }
        #expect(try Self.submitted(reader) == 5, "a later commit is seen by the next read")
        #expect(throws: StoreError.self) { try reader.sink(for: IngestSource(name: "other", province: "Nam Định")) }
    }

    @Test("two reads at once, on two connections, see one snapshot: a commit made while they run is in neither")
    func oneSnapshot() throws {
        let folder = TemporaryFolder()
        let (path, writer) = try Self.filled(in: folder)
        let reader = try SQLiteStore(path: path, readOnly: true)
        let sql = "SELECT SUM(submitted) FROM daily_activity"
        for round in 1...20 {
            let (first, second) = try reader.snapshot(
                "read",
                { query -> Int64? in
                    // Committed while the second read runs, or before it starts its snapshot.
                    try writer.write("more") { db in
                        try db.execute(sql: "UPDATE daily_activity SET submitted = submitted + 1")
                    }
                    return try query.first(sql) { try $0.int(0) }
                },
                { query -> Int64? in
                    // A snapshot of its own, started now, would see the commit.
                    Thread.sleep(forTimeInterval: 0.002)
                    return try query.first(sql) { try $0.int(0) }
                })
            #expect(first == Int64(2 + round) && second == first, "round \(round): both before its commit")
        }
        #expect(try Self.submitted(reader) == 23, "the next read sees every commit")
        let (data, expected) = (
            try reader.censusData(from: 0, through: 30000), try writer.censusData(from: 0, through: 30000)
        )
        #expect(data.activity == expected.activity && data.exchanges == expected.exchanges)
        #expect(data.exchanges.count == 1 && data.addresses == ["annv@namdinh.gov.vn", "an.nguyen@gmail.com"])
    }

    @Test("a store of an older schema is not upgraded by a read: it says to run ingest once with write access")
    func older() throws {
        let folder = TemporaryFolder()
        let path = folder.path("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(queue, upTo: "v6: sources")
        }
        let error = try #require(throws: StoreError.self) { try SQLiteStore(path: path, readOnly: true) }
        #expect(error.code == .needsUpgrade)
        let versions = SQLiteSchema.migrator.migrations.count
        #expect(
            error.description
                == "store \(path): needs an upgrade (it has 6 of this mailcensus's \(versions) schema versions): "
                + "run mailcensus ingest once with write access to it")
        let applied = try DatabaseQueue(path: path).read { db in try SQLiteSchema.migrator.appliedIdentifiers(db) }
        #expect(applied.count == 6, "left as it was")
        _ = try SQLiteStore(path: path)
        #expect(try Self.submitted(try SQLiteStore(path: path, readOnly: true)) == nil, "upgraded, it reads")
    }
}
