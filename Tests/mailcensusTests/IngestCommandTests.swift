import CensusStore
import Foundation
import TestSupport
import Testing

@Suite("mailcensus ingest and activity, end to end")
struct IngestCommandTests {
    let folder = TemporaryFolder()
    var store: String { folder.path("store.sqlite") }
    let policy = CLI.root.appendingPathComponent("Policies/default.yaml").path

    @Test("a missing file or a directory alone: exit 2, one line naming it")
    func nothingReadable() throws {
        let missing = try CLI.run(["ingest", "--store", store, "--policy", policy, folder.path("nope.log")])
        #expect(missing.status == 2)
        #expect(missing.error.contains("\(folder.path("nope.log")): no such file"))
        let directory = try CLI.run(["ingest", "--store", store, "--policy", policy, folder.url.path])
        #expect(directory.status == 2)
        #expect(directory.error.contains("is not a regular file"))
    }

    @Test("one good file among bad ones: exit 0, the bad ones named, the good one counted")
    func partly() throws {
        let good = folder.write("mail.log", SyntheticLog.make(messages: 40))
        let result = try CLI.run(["ingest", "--store", store, "--policy", policy, folder.path("nope.log"), good])
        #expect(result.status == 0)
        #expect(result.error.contains("nope.log: no such file"))
        #expect(result.output.contains("Ingested"))
        #expect(result.output.contains("30 accepted (20 authenticated submissions)"))
    }

    @Test("activity JSON has DESIGN.md's shape")
    func activityJSON() throws {
        let log = SyntheticLog.make(messages: 40).replacingOccurrences(of: "<annv@", with: "<AnNV@")
        try CLI.run(["ingest", "--store", store, "--policy", policy, folder.write("mail.log", log)])
        let result = try CLI.run(["activity", "--store", store, "--policy", policy, "--format", "json"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let lines = try #require(json["lines"] as? [String: Int])
        #expect(lines["read"] == lines["parsed"]! + lines["skipped"]!)
        #expect(lines["skipped"]! > 0)
        let addresses = try #require(json["addresses"] as? [[String: Any]])
        let annv = try #require(addresses.first { $0["address"] as? String == "annv@namdinh.gov.vn" })
        #expect(annv["submitted"] as? Int == 4)
        #expect((annv["logins"] as? [String: Int])?.keys.sorted() == ["failed", "imap", "pop3", "submission"])
        #expect((annv["correspondents"] as? [String: Int])?.keys.sorted() == ["official", "other", "webmail"])
        let firstSeen = try #require(annv["first_seen"] as? String)
        #expect(firstSeen.hasSuffix("+07:00") && firstSeen.hasPrefix("2026-11-20T"))
        #expect(addresses.allSatisfy { ($0["address"] as? String) == ($0["address"] as? String)?.lowercased() })
    }

    @Test("activity CSV neutralises formulas; bad usage exits 2")
    func activityCSV() throws {
        let log = SyntheticLog.make(messages: 8).replacingOccurrences(
            of: "boss1@yahoo.com", with: "=HYPERLINK(x)@yahoo.com")
        try CLI.run(["ingest", "--store", store, "--policy", policy, folder.write("mail.log", log)])
        let result = try CLI.run(["activity", "--store", store, "--policy", policy, "--format", "csv"])
        #expect(result.status == 0)
        #expect(result.output.hasPrefix("\u{FEFF}address,submitted,received,"))
        #expect(result.output.contains("\n'=hyperlink(x)@yahoo.com,"))
        #expect(try CLI.run(["activity", "--store", store, "--format", "xml"]).status == 2)
        #expect(try CLI.run(["activity", "--store", folder.path("none.sqlite")]).status == 2)
        #expect(try CLI.run(["activity", "--store", store, "--since", "2026-13-01"]).status == 2)
    }

    @Test("a second ingest on a store in use is refused, and counts nothing")
    func overlappingRuns() throws {
        let log = folder.write("mail.log", SyntheticLog.make(messages: 40))
        let holder = try StoreLock(storePath: store)
        let refused = try CLI.run(["ingest", "--store", store, "--policy", policy, log])
        #expect(refused.status == 1)
        #expect(refused.error.contains("another mailcensus run is using this store"))
        withExtendedLifetime(holder) {}
    }

    @Test("progress shows on a terminal, and only there")
    func progress() throws {
        let log = folder.write("mail.log", SyntheticLog.make(messages: 6000))
        let piped = try CLI.run(["ingest", "--store", store, "--policy", policy, log])
        #expect(!piped.error.contains("lines/s"))
        // util-linux's `script` gives the command a terminal.
        let command = [CLI.executable.path, "ingest", "--store", folder.path("tty.sqlite"), "--policy", policy, log]
        let terminal = Process()
        terminal.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        terminal.arguments = ["-qec", command.map { "'\($0)'" }.joined(separator: " "), "/dev/null"]
        let output = Pipe()
        terminal.standardOutput = output
        terminal.standardInput = FileHandle.nullDevice
        try terminal.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        terminal.waitUntilExit()
        #expect(terminal.terminationStatus == 0)
        #expect(text.contains(" lines/s"))
        #expect(text.contains("Ingested"))
    }

    @Test("killed with SIGKILL again and again, ingest ends with the totals of one clean run")
    func killNine() throws {
        try killNine(store: store)
    }

    @Test(
        "killed with SIGKILL again and again, ingest into PostgreSQL ends with the totals of one clean run",
        .tags(.postgres), .needs(.postgres))
    func killNinePostgres() throws {
        let server = try PostgresTestServer.running()
        try killNine(store: try server.makeDatabase(), environment: server.environment)
    }

    /// Kills ingests into `store` until one finishes, then compares its activity with a clean run's.
    func killNine(store: String, environment: [String: String] = [:]) throws {
        let log = folder.write("mail.log", SyntheticLog.make(messages: 12_000))
        let clean = folder.path("clean.sqlite")
        try CLI.run(["ingest", "--store", clean, "--policy", policy, log])
        let expected = try CLI.run(["activity", "--store", clean, "--policy", policy]).output
        var generator = SystemRandomNumberGenerator()
        var kills = 0
        for _ in 0..<40 {
            let process = try CLI.start(
                ["ingest", "--quiet", "--commit-interval", "20000", "--store", store, "--policy", policy, log],
                quietly: true, environment: environment)
            usleep(UInt32.random(in: 20_000...150_000, using: &generator))
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                kills += 1
            }
            process.waitUntilExit()
            if process.terminationReason == .exit && process.terminationStatus == 0 { break }
        }
        // PostgreSQL lets go of a killed run's lock once it sees the connection gone: a moment.
        var finish = try CLI.run(["ingest", "--store", store, "--policy", policy, log], environment: environment)
        for _ in 0..<20 where finish.error.contains("another mailcensus run") {
            usleep(100_000)
            finish = try CLI.run(["ingest", "--store", store, "--policy", policy, log], environment: environment)
        }
        #expect(finish.status == 0, "\(finish.error)")
        #expect(kills > 0, "the ingest always finished before it could be killed; make the log bigger")
        let activity = try CLI.run(["activity", "--store", store, "--policy", policy], environment: environment)
        #expect(activity.output == expected)
    }
}
