import Census
import Foundation
import GRDB
import MailLog
import TestSupport
import Testing

@testable import CensusStore

@Suite("Store locations, TLS and the SQLite migration to sources")
struct StoreLocationTests {
    /// The parameters mailcensus hands libpq for `location`, by keyword, with no root
    /// certificate in a home of its own.
    static func parameters(_ location: String, _ environment: [String: String] = [:]) throws -> [String: String] {
        let home = TemporaryFolder()
        let parameters = try PostgresLocation(location).parameters(
            password: nil, environment: environment.merging(["HOME": home.path("home")]) { first, _ in first })
        return Dictionary(parameters.map { ($0.keyword, $0.value) }) { _, last in last }
    }

    @Test("libpq's URIs and keyword strings: TLS verified unless they say otherwise; no password in them")
    func parsing() throws {
        let plain = try Self.parameters("postgres://mailcensus@db.namdinh.gov.vn/census")
        #expect(plain["sslmode"] == "verify-full", "TLS verified by default")
        #expect(plain["sslrootcert"] == PostgresLocation.systemRoots.first, "against the system's roots")
        #expect(plain["dbname"] == "postgres://mailcensus@db.namdinh.gov.vn/census", "the URI, for libpq to expand")
        let local = try Self.parameters("postgresql://mc@127.0.0.1:15432/x?sslmode=disable")
        #expect(local["sslmode"] == nil && local["sslrootcert"] == nil)
        #expect(
            try PostgresLocation("postgresql://mc@127.0.0.1:15432/x").server.description
                == "postgres://127.0.0.1:15432/x")
        let ca = try Self.parameters("postgres://mc@db/x?sslmode=verify-full&sslrootcert=/etc/ca.pem")
        #expect(ca["sslmode"] == nil && ca["sslrootcert"] == nil, "the URI's own")
        let keywords = try Self.parameters("host=db.namdinh.gov.vn dbname=census sslmode=require")
        #expect(keywords["sslmode"] == nil && keywords["sslrootcert"] == nil)
        #expect(try Self.parameters("host=db dbname=census")["sslmode"] == "verify-full")
        #expect(try Self.parameters("host=db", ["PGSSLMODE": "disable"])["sslmode"] == nil, "the environment's")
        #expect(try Self.parameters("host=db", ["PGSSLROOTCERT": "/etc/ca.pem"])["sslrootcert"] == nil)
        #expect(try Self.parameters("postgres://mc@db/x", ["PGCONNECT_TIMEOUT": "3"])["connect_timeout"] == nil)
        #expect(try Self.parameters("postgres://mc@db/x")["connect_timeout"] == "10")
        for (location, message) in [
            ("postgres://mc:s3cret@db/x", "the URI holds a password"),
            ("postgres://mc@db/x?password=s3cret", "the location holds a password"),
            ("host=db password=s3cret dbname=x", "the location holds a password"),
            ("postgres://mc@db/x?timeout=3", "invalid URI query parameter: \"timeout\""),
            ("host=db bogus=1", "invalid connection option \"bogus\""),
            ("host=db password='s3cret", "libpq cannot parse it"),
        ] {
            let error = try #require(throws: StoreError.self) { try PostgresLocation(location) }
            #expect(error.code == .badLocation)
            #expect(error.description.contains(message), "\(location): \(error)")
            #expect(!error.description.contains("s3cret"), "the password never shows")
        }
    }

    @Test(
        "what names a PostgreSQL store: a URI, or keywords; anything else is a SQLite file",
        arguments: [
            ("postgres://mc@db/x", true), ("postgresql://db/x", true), ("service=census", true),
            ("host = db dbname=census", true), ("  dbname=census", true), ("mailcensus.sqlite", false),
            ("out/host=x.sqlite", false), ("./service=x.sqlite", false), ("/var/lib/a=b.sqlite", false),
            ("=x", false),
        ])
    func recognised(location: String, isPostgres: Bool) {
        #expect(Stores.isPostgres(location) == isPostgres)
    }

    @Test("a service's own sslmode and root certificate stand; mailcensus's defaults fill in the rest")
    func service() throws {
        let folder = TemporaryFolder()
        let file = folder.write(
            "services.conf",
            """
            # comments and blank lines as libpq allows them

            [plain]
            host=db.namdinh.gov.vn
            dbname=census
            [local]
            host=127.0.0.1
            sslmode=disable
            [own-ca]
            host=db.namdinh.gov.vn
            sslrootcert=/etc/ssl/namdinh-ca.pem

            """)
        let environment = ["PGSERVICEFILE": file]
        let plain = try Self.parameters("service=plain", environment)
        #expect(plain["sslmode"] == "verify-full" && plain["sslrootcert"] == PostgresLocation.systemRoots.first)
        let local = try Self.parameters("service=local", environment)
        #expect(local["sslmode"] == nil && local["sslrootcert"] == nil)
        let own = try Self.parameters("service=own-ca", environment)
        #expect(own["sslmode"] == "verify-full" && own["sslrootcert"] == nil)
        #expect(
            try Self.parameters("dbname=census", environment.merging(["PGSERVICE": "local"]) { $1 })["sslmode"] == nil)
        #expect(PostgresService.entry("local", in: "[local]\nhost=h\n[other]\nport=1\n") == ["host": "h"])
        #expect(PostgresService.entry("missing", in: "[local]\nhost=h\n") == nil)
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

    @Test(
        "PostgreSQL over TLS: verified against the test CA; refused without it; errors name the server",
        .tags(.postgres), .needs(.postgres))
    func tls() throws {
        let server = try PostgresTestServer.running()
        let database = try server.makeDatabase()
        let name = String(database.split(separator: "/").last!.split(separator: "?").first!)
        let verified = server.url(database: name, tls: true) + "&sslrootcert=\(server.caFile)"
        let store = try Stores.open(verified, environment: server.environment)
        #expect(try store.coverage() == nil)
        #expect(store.location == "postgres://localhost:15432/\(name)")
        let untrusted = try #require(throws: StoreError.self) {
            try Stores.open(server.url(database: name, tls: true), environment: server.environment)
        }
        #expect(untrusted.description.hasPrefix("store postgres://localhost:15432/\(name): cannot connect (TLS: "))
        #expect(untrusted.description.contains("the server's certificate is not trusted"))
        #expect(!untrusted.description.contains("\n"))
        let wrong = try #require(throws: StoreError.self) {
            try Stores.open(database, environment: [Stores.passwordVariable: "not-the-password-7f3a"])
        }
        #expect(wrong.description.hasPrefix("store postgres://127.0.0.1:15432/\(name): cannot connect ("))
        #expect(wrong.description.contains("password authentication failed"))
        #expect(!wrong.description.contains("not-the-password-7f3a") && !wrong.description.contains("\n"))
        let keywords = "host=127.0.0.1 port=15432 user=mailcensus dbname=\(name) sslmode=disable"
        #expect(try Stores.open(keywords, environment: server.environment).coverage() == nil)
    }

    @Test("an unreachable server: one line naming it, never the password")
    func unreachable() throws {
        let error = try #require(throws: StoreError.self) {
            try Stores.open(
                "postgresql://mc@127.0.0.1:1/census?sslmode=disable", environment: [Stores.passwordVariable: "pw-9c1e"])
        }
        #expect(error.code == .cannotOpen)
        #expect(error.description.hasPrefix("store postgres://127.0.0.1:1/census: cannot connect ("), "\(error)")
        #expect(error.description.contains("Connection refused"), "\(error)")
        #expect(!error.description.contains("pw-9c1e") && !error.description.contains("\n"))
    }

    @Test("a state saved by a newer mailcensus stops the ingest with what to do, and changes nothing")
    func newerState() throws {
        let folder = TemporaryFolder()
        let path = folder.path("store.sqlite")
        let log = folder.write("mail.log", SyntheticLog.make(messages: 20))
        var options = IngestOptions(utcOffset: 7 * 3600, loginDomain: "namdinh.gov.vn")
        options.workers = 1
        try SQLiteStore(path: path).ingest([log], options: options)
        // The binary form's tag, then a version after this one's (1).
        let newer = Data(Array("MCST".utf8) + [2, 0])
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE ingest_state SET correlator = ?", arguments: [newer])
        }
        let store = try SQLiteStore(path: path)
        let error = try #require(throws: StoreError.self) {
            try store.ingest([log], options: options)
        }
        #expect(error.code == .cannotOpen)
        #expect(error.description.contains("newer mailcensus") && error.description.contains("update mailcensus"))
        #expect(
            try DatabaseQueue(path: path).read { db in try Data.fetchOne(db, sql: "SELECT correlator FROM ingest_state")
            } == newer)
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
