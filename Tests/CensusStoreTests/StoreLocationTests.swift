import Census
import Foundation
import GRDB
import MailLog
import MailLogTesting
import Testing

@testable import CensusStore

@Suite("Store locations, TLS and the SQLite migration to sources")
struct StoreLocationTests {
    @Test("a postgres:// URL: TLS verified unless disabled; no password in it; clear errors")
    func parsing() throws {
        let plain = try PostgresLocation("postgres://mailcensus@db.namdinh.gov.vn/census")
        #expect(plain.port == 5432 && plain.user == "mailcensus" && plain.database == "census")
        #expect(plain.tls == .verifyFull(caFile: nil), "TLS verified by default")
        let local = try PostgresLocation("postgresql://mc@127.0.0.1:15432/x?sslmode=disable")
        #expect(local.tls == .disable && local.port == 15432 && local.display == "postgres://127.0.0.1:15432/x")
        let ca = try PostgresLocation("postgres://mc@db/x?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(ca.tls == .verifyFull(caFile: "/etc/ca.pem"))
        for (url, message) in [
            ("postgres://mc:s3cret@db/x", "the URL holds a password"),
            ("postgres://db/x", "names no user"),
            ("postgres://mc@db", "names no database"),
            ("postgres://mc@db/x?sslmode=require", "sslmode=require is not supported"),
            ("postgres://mc@db/x?timeout=3", "unknown parameter timeout"),
        ] {
            let error = try #require(throws: StoreError.self) { try PostgresLocation(url) }
            #expect(error.description.contains(message), "\(url)")
            #expect(!error.description.contains("s3cret"), "the password never shows")
        }
    }

    @Test(
        "a URL that does not parse: never its user or password in the error, bad input",
        arguments: [
            "postgres://mailcensus:S3cret/PW2@db.namdinh.gov.vn/mailcensus",
            "postgres://mailcensus:S3cret#PW2@db.namdinh.gov.vn/mailcensus",
            "postgres://mailcensus:S3cret?PW2@db.namdinh.gov.vn/mailcensus",
            "postgresql://mailcensus:S3c@ret@PW2@db.namdinh.gov.vn/mailcensus?sslmode=disable",
            "postgres://mailcensus:S3cret\r\nPW2@db.namdinh.gov.vn/mailcensus",
            "postgres://mailcensus:S3cret/PW2",
        ])
    func redacted(_ url: String) throws {
        let error = try #require(throws: StoreError.self) { try Stores.open(url, environment: [:]) }
        #expect(error.code == .badLocation)
        for secret in ["S3c", "ret", "PW2"] { #expect(!error.description.contains(secret), "\(error)") }
        if url.contains("@") {
            #expect(error.description.contains("://…@db.namdinh.gov.vn/mailcensus: "), "\(error)")
        } else {
            #expect(error.description.hasPrefix("store postgres://…: "), "\(error)")
        }
    }

    @Test("the password: from the environment, or a file only its owner reads")
    func password() throws {
        let location = try PostgresLocation("postgres://mc@db/x")
        #expect(try location.password(file: nil, environment: [:]) == nil)
        #expect(try location.password(file: nil, environment: [Stores.passwordVariable: "p1"]) == "p1")
        let folder = TemporaryFolder()
        let file = folder.write("password", "p2\n")
        chmod(file, 0o644)
        let open = try #require(throws: StoreError.self) { try location.password(file: file, environment: [:]) }
        #expect(open.description.contains("chmod 600"))
        chmod(file, 0o600)
        #expect(try location.password(file: file, environment: [:]) == "p2")
    }

    @Test("PostgreSQL over TLS: verified against the test CA; refused without it")
    func tls() throws {
        let server = try PostgresTestServer.running()
        let database = try server.makeDatabase()
        let name = String(database.split(separator: "/").last!.split(separator: "?").first!)
        let verified = server.url(database: name, tls: true) + "&sslrootcert=\(server.caFile)"
        let store = try Stores.open(verified, environment: server.environment)
        #expect(try store.coverage() == nil)
        let error = try #require(throws: StoreError.self) {
            try Stores.open(server.url(database: name, tls: true), environment: server.environment)
        }
        #expect(error.description.contains("TLS: the server's certificate is not trusted"))
        let wrong = try #require(throws: StoreError.self) {
            try Stores.open(database, environment: [Stores.passwordVariable: "not-the-password-7f3a"])
        }
        #expect(wrong.description.contains("password authentication failed"))
        #expect(!wrong.description.contains("not-the-password-7f3a"))
    }

    @Test("a store made before sources keeps its data, as the source `default`")
    func migrationToSources() throws {
        let folder = TemporaryFolder()
        let path = folder.path("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try SQLiteSchema.migrator.migrate(queue, upTo: "v5: outbox")
            let statistics = String(decoding: try JSONEncoder().encode(IngestStatistics()), as: UTF8.self)
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO address (id, address) VALUES (1, 'annv@namdinh.gov.vn'), (2, 'x@gmail.com');
                        INSERT INTO daily_activity (address_id, day, submitted, received, first_seen, last_seen)
                            VALUES (1, 20000, 3, 4, 1728000000, 1728000100);
                        INSERT INTO daily_exchange VALUES (20000, 1, 2, 3, 1728000000, 1728000100);
                        INSERT INTO ingest_file VALUES ('f', 'h', 10, '/var/log/mail.log', 500, 7, NULL, 0);
                        INSERT INTO ingest_state VALUES (1, X'7B7D', ?, 25200);
                        """, arguments: [statistics])
            }
        }
        let store = try SQLiteStore(path: path)
        #expect(try store.sources().map(\.name) == [IngestSource.defaultName])
        let policy = Policy(province: "Test", officialDomains: ["namdinh.gov.vn"], loginDomain: "namdinh.gov.vn")
        let activity = try store.activity(
            from: nil, through: nil, classifier: AddressClassifier(policy: policy), sources: [IngestSource.defaultName])
        let annv = try #require(activity.first { $0.address == "annv@namdinh.gov.vn" })
        #expect(annv.submitted == 3 && annv.received == 4 && annv.webmailCorrespondents == 1)
        #expect(try store.utcOffset() == 25200)
        #expect(try store.checkpoints(lineHash: "h", source: 1).map(\.offset) == [500])
        // Of no province, the old data is every province's, until the first ingest adopts it.
        #expect(try store.coverage(sources: SourceSelection(province: "Nam Định")) == 20000...20000)
        _ = try store.sink(for: IngestSource(name: IngestSource.defaultName, province: "Nam Định"))
        #expect(try store.sources().map(\.province) == ["Nam Định"])
        #expect(try store.checkpoints(lineHash: "h", source: 1).map(\.offset) == [500], "the same source, adopted")
        #expect(try store.coverage(sources: SourceSelection(province: "Thái Bình")) == nil)
    }
}
