import Census
import CensusStore
import Foundation
import MailLog
import TestSupport
import Testing

@Suite("Several mail servers ingesting into one PostgreSQL store at once", .tags(.postgres), .needs(.postgres))
struct PostgresIngestTests {
    let folder = TemporaryFolder()
    let policy = CLI.root.appendingPathComponent("Policies/default.yaml").path

    /// A generated log of a mail server; the three share many staff addresses.
    func log(seed: Int) throws -> String {
        let path = folder.path("server\(seed).log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", CLI.root.appendingPathComponent("Scripts/generate-logs.py").path, "--size", "3M", "--users",
            "1500", "--seed", "\(seed)", "--out", path,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "generate-logs.py failed")
        return path
    }

    /// Counts by address strings (ids differ between stores): activity per day and address,
    /// messages per day and pair.
    static func totals(_ data: CensusData) -> [String: [Int32]] {
        var totals: [String: [Int32]] = [:]
        func add(_ key: String, _ values: [Int32]) {
            totals[key] = zip(totals[key] ?? Array(repeating: 0, count: values.count), values).map { $0 + $1 }
        }
        for row in data.activity {
            add(
                "\(row.day) \(data.addresses[Int(row.address)])",
                [row.submitted, row.received, row.logins, row.failedLogins])
        }
        for (kind, pairs) in [("exchange", data.exchanges), ("forward", data.forwards)] {
            for pair in pairs {
                add(
                    "\(kind) \(pair.day) \(data.addresses[Int(pair.from)]) \(data.addresses[Int(pair.to)])",
                    [pair.messages])
            }
        }
        return totals
    }

    static func merge(_ parts: [[String: [Int32]]]) -> [String: [Int32]] {
        parts.reduce(into: [:]) { total, part in
            total.merge(part) { zip($0, $1).map { $0 + $1 } }
        }
    }

    @Test("three concurrent ingests give exactly the sum of three separate SQLite runs; a rerun adds nothing")
    func concurrentIngests() throws {
        let server = try PostgresTestServer.running()
        let store = try server.makeDatabase()
        let logs = try [1, 2, 3].map { try log(seed: $0) }
        var separate: [[String: [Int32]]] = []
        var lines = 0
        for (index, log) in logs.enumerated() {
            let path = folder.path("server\(index + 1).sqlite")
            let result = try CLI.run(["ingest", "--store", path, "--policy", policy, "--quiet", log])
            try #require(result.status == 0, "\(result.error)")
            let sqlite = try Stores.open(path)
            separate.append(Self.totals(try sqlite.censusData(from: 0, through: 100_000)))
            lines += try sqlite.statistics().linesRead
        }
        // Small commits, so that the three interleave many times.
        func ingestAll() throws -> [CLI.Result] {
            let processes = try logs.enumerated().map { index, log in
                try CLI.start(
                    [
                        "ingest", "--store", store, "--policy", policy, "--source", "server\(index + 1)",
                        "--commit-interval", "65536", log,
                    ], environment: server.environment)
            }
            return processes.map { process in
                let output = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
                let error = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return CLI.Result(
                    status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
                    error: String(decoding: error, as: UTF8.self))
            }
        }
        for result in try ingestAll() {
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains("(source server"))
        }
        let shared = try Stores.open(store, environment: server.environment)
        let merged = Self.totals(try shared.censusData(from: 0, through: 100_000))
        #expect(merged.count > 1000)
        #expect(merged.keys.contains { $0.hasPrefix("forward ") }, "the generated logs' aliases are compared too")
        #expect(merged == Self.merge(separate))
        for index in 0..<3 {
            #expect(
                Self.totals(try shared.censusData(from: 0, through: 100_000, sources: ["server\(index + 1)"]))
                    == separate[index])
        }
        #expect(try shared.statistics().linesRead == lines)
        for result in try ingestAll() {
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains("Ingested 0 new lines"))
        }
        #expect(Self.totals(try shared.censusData(from: 0, through: 100_000)) == merged)
        #expect(try shared.statistics().linesRead == lines)
    }

    @Test("the report of one server, and of all; a source that is not there is bad input")
    func reportsBySource() throws {
        let server = try PostgresTestServer.running()
        let store = try server.makeDatabase()
        for seed in [1, 2] {
            let result = try CLI.run(
                ["ingest", "--store", store, "--policy", policy, "--source", "s\(seed)", try log(seed: seed)],
                environment: server.environment)
            try #require(result.status == 0, "\(result.error)")
        }
        let roster = CLI.root.appendingPathComponent("Logs/sample/roster.csv").path
        func report(_ extra: [String]) throws -> CLI.Result {
            try CLI.run(
                ["report", "--store", store, "--policy", policy, "--roster", roster, "--format", "json"] + extra,
                environment: server.environment)
        }
        func submitted(_ extra: [String]) throws -> Int {
            let result = try CLI.run(
                ["activity", "--store", store, "--policy", policy] + extra, environment: server.environment)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
            let addresses = try #require(json["addresses"] as? [[String: Any]])
            return addresses.reduce(0) { $0 + ($1["submitted"] as? Int ?? 0) }
        }
        #expect(try submitted(["--source", "s1"]) > 0 && submitted(["--source", "s2"]) > 0)
        #expect(try submitted([]) == submitted(["--source", "s1"]) + submitted(["--source", "s2"]))
        for extra in [[], ["--source", "s1"], ["--source", "s1", "--source", "s2"]] {
            let result = try report(extra)
            #expect(result.status == 0, "\(extra): \(result.error)")
            #expect(result.output.contains("\"province_total\""))
        }
        let listed = try CLI.run(
            ["sources", "--store", store, "--policy", policy, "--format", "json"], environment: server.environment)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [String: Any])
        let sources = try #require(json["sources"] as? [[String: Any]])
        #expect(sources.map { $0["name"] as? String } == ["s1", "s2"])
        #expect(sources.allSatisfy { ($0["lines_read"] as? Int ?? 0) > 0 && $0["province"] as? String == "Nam Định" })
        #expect(sources.allSatisfy { $0["first_day"] as? String == "2026-11-01" })
        let text = try CLI.run(["sources", "--store", store, "--policy", policy], environment: server.environment)
        #expect(text.output.hasPrefix("source  lines read  days\ns1") && text.output.contains("(Nam Định)"))
        let missing = try report(["--source", "s9"])
        #expect(missing.status == 2)
        #expect(missing.error.contains("has no source named s9 in Nam Định (it has: s1, s2)"))
        let bad = try CLI.run(["ingest", "--store", store, "--source", "Cổng", folder.path("x.log")])
        #expect(bad.status == 2 && bad.error.contains("--source Cổng"))
        let noPassword = try CLI.run(["activity", "--store", store])
        #expect(noPassword.status == 1)
        #expect(noPassword.error.contains("cannot connect; no password was given: set $MAILCENSUS_STORE_PASSWORD"))
    }

    @Test("libpq's conventions: a service from PGSERVICEFILE, TLS verified unless it says otherwise")
    func service() throws {
        let server = try PostgresTestServer.running()
        let name = String(try server.makeDatabase().split(separator: "/").last!.split(separator: "?").first!)
        let services = folder.write(
            "pg_service.conf",
            """
            [census]
            host=127.0.0.1
            port=15432
            user=mailcensus
            dbname=\(name)
            sslmode=disable

            [census-tls]
            host=localhost
            port=15432
            user=mailcensus
            dbname=\(name)
            sslrootcert=\(server.caFile)

            [census-untrusted]
            host=localhost
            port=15432
            user=mailcensus
            dbname=\(name)
            """)
        let environment = server.environment.merging(["PGSERVICEFILE": services]) { $1 }
        let plain = try CLI.run(
            ["sources", "--store", "service=census", "--policy", policy], environment: environment)
        #expect(plain.status == 0, "\(plain.error)")
        let tls = try CLI.run(
            ["sources", "--store", "service=census-tls", "--policy", policy], environment: environment)
        #expect(tls.status == 0, "\(tls.error)")
        let untrusted = try CLI.run(
            ["sources", "--store", "service=census-untrusted", "--policy", policy], environment: environment)
        #expect(untrusted.status == 1)
        #expect(
            untrusted.error.contains("store postgres://localhost:15432/\(name): cannot connect (TLS: "),
            "\(untrusted.error)")
        #expect(untrusted.error.split(separator: "\n").count == 1, "\(untrusted.error)")
    }

    @Test("the password from PGPASSFILE, which libpq ignores when others may read it")
    func passwordFile() throws {
        let server = try PostgresTestServer.running()
        let store = try server.makeDatabase()
        let passwords = folder.write("pgpass", "127.0.0.1:15432:*:mailcensus:\(server.password)\n")
        chmod(passwords, 0o600)
        let read = try CLI.run(
            ["sources", "--store", store, "--policy", policy], environment: ["PGPASSFILE": passwords])
        #expect(read.status == 0, "\(read.error)")
        chmod(passwords, 0o644)
        let ignored = try CLI.run(
            ["sources", "--store", store, "--policy", policy], environment: ["PGPASSFILE": passwords])
        #expect(ignored.status == 1)
        #expect(ignored.error.contains("no password was given"), "\(ignored.error)")
        #expect(ignored.error.contains("\(passwords) is ignored: others may read it"), "\(ignored.error)")
        #expect(!ignored.error.contains(server.password))
    }

    @Test("a password in the URI is refused, exit 2, and never shown")
    func passwordInURI() throws {
        let server = try PostgresTestServer.running()
        let store = try server.makeDatabase().replacingOccurrences(
            of: "mailcensus@", with: "mailcensus:\(server.password)@")
        let result = try CLI.run(["sources", "--store", store, "--policy", policy], environment: server.environment)
        #expect(result.status == 2)
        #expect(result.error.contains("the URI holds a password"), "\(result.error)")
        #expect(!result.error.contains(server.password))
    }
}
