import Census
import Foundation
import MailLog
import TestSupport
import Testing

@testable import CensusStore

/// What a thread ended with.
///
/// `@unchecked Sendable`: `stored` is read and written only under `lock`.
final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?

    var error: (any Error)? { lock.withLock { stored } }

    func set(_ error: any Error) { lock.withLock { stored = error } }
}

@Suite("The PostgreSQL store's own paths: COPY, racing address inserts", .tags(.postgres), .needs(.postgres))
struct PostgresStoreTests {
    static let policy = Policy(province: "Test", officialDomains: ["namdinh.gov.vn"], loginDomain: "namdinh.gov.vn")

    /// A connection of its own to the store at `location`, as the store makes them.
    static func connect(_ location: String, _ server: PostgresTestServer) throws -> PostgresConnection {
        var name = PostgresServerName(host: "", port: "", database: "")
        return try PostgresConnection(
            parameters: try PostgresLocation(location).parameters(
                password: server.password, environment: ProcessInfo.processInfo.environment),
            server: &name)
    }

    @Test("an address another ingest is inserting at the same time: the commit waits, then takes its id")
    func racingAddress() throws {
        let server = try PostgresTestServer.running()
        let location = try server.makeDatabase()
        let folder = TemporaryFolder()
        let log = folder.write("mail.log", SyntheticLog.make(messages: 200))
        var options = IngestOptions(utcOffset: Self.policy.utcOffset, loginDomain: Self.policy.loginDomain)
        options.chunkSize = 1500
        let expected = try Stores.open(folder.path("clean.sqlite"))
        try expected.ingest([log], options: options)
        let store = try Stores.open(location, environment: server.environment)
        // Another session inserts one of the log's addresses and holds it, uncommitted.
        let other = try Self.connect(location, server)
        try other.execute("BEGIN")
        try other.execute("INSERT INTO address (address) VALUES ('annv@namdinh.gov.vn')")
        let finished = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        Thread { [options] in
            do { try store.ingest([log], options: options) } catch { outcome.set(error) }
            finished.signal()
        }.start()
        #expect(finished.wait(timeout: .now() + 0.5) == .timedOut, "the ingest waits for the other session")
        try other.execute("COMMIT")
        #expect(finished.wait(timeout: .now() + 30) == .success)
        if let error = outcome.error { throw error }
        let classifier = AddressClassifier(policy: Self.policy)
        #expect(
            try store.activity(from: nil, through: nil, classifier: classifier)
                == expected.activity(from: nil, through: nil, classifier: classifier))
    }

    @Test("text with tabs, newlines and backslashes goes through COPY unchanged")
    func copyEscapes() throws {
        let server = try PostgresTestServer.running()
        let connection = try Self.connect(try server.makeDatabase(), server)
        try connection.execute("CREATE TABLE t (n BIGINT, s TEXT)")
        let texts = ["tab\there", "line\nbreak\r\n", "back\\slash \\N \\.", "Nguyễn Văn An", ""]
        try connection.copy(into: "t (n, s)") { copy throws(PostgresFailure) in
            for (index, text) in texts.enumerated() {
                copy.int(Int64(index) - 2)
                copy.text(text)
                try copy.endRow()
            }
        }
        let result = try connection.execute("SELECT n, s FROM t ORDER BY n")
        #expect(try result.rows.map { try $0.int(0) } == [-2, -1, 0, 1, 2])
        #expect(try result.rows.map { try $0.text(1) } == texts)
        let refused = try #require(throws: PostgresFailure.self) {
            try connection.copy(into: "t (n, s)") { copy throws(PostgresFailure) in
                copy.text("not a number")
                copy.text("x")
                try copy.endRow()
            }
        }
        #expect(refused.state == "22P02" && refused.description.contains("invalid input syntax"))
        #expect(try connection.execute("SELECT count(*) FROM t").first?.int(0) == 5, "the connection goes on")
    }
}
