import Foundation
import TestSupport
import Testing

/// The tool as it is installed and run outside the checkout: `make install`, cron's `nightly`
/// from `/`, the policy looked for where an installed tool would, the store from
/// `$MAILCENSUS_STORE`.
@Suite("mailcensus installed and run outside the checkout")
struct InstalledToolTests {
    let folder = TemporaryFolder()

    /// Runs `program arguments…` in `directory`, with `environment` over this process's.
    func run(
        _ program: String, _ arguments: [String], in directory: String = "/", environment: [String: String] = [:]
    ) throws -> CLI.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return CLI.Result(
            status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
            error: String(decoding: err, as: UTF8.self))
    }

    /// `make install DESTDIR=… PREFIX=/usr/local` of the binary `swift build` made; the
    /// installed executable.
    func install() throws -> String {
        let destination = folder.path("root")
        let make = try run(
            "/usr/bin/make",
            [
                "-C", CLI.root.path, "install", "DESTDIR=\(destination)", "PREFIX=/usr/local",
                "BINARY=\(CLI.executable.path)",
            ])
        #expect(make.status == 0, "\(make.error)")
        let share = destination + "/usr/local/share/mailcensus"
        #expect(FileManager.default.fileExists(atPath: share + "/policy.example.yaml"))
        #expect(FileManager.default.fileExists(atPath: share + "/templates/welcome.vi.txt"))
        #expect(!FileManager.default.fileExists(atPath: destination + "/etc/mailcensus/policy.yaml"))
        let installed = destination + "/usr/local/bin/mailcensus"
        #expect(FileManager.default.isExecutableFile(atPath: installed))
        return installed
    }

    /// A policy naming the capture's log, a roster and a report folder in the temporary folder,
    /// by absolute paths, as /etc/mailcensus/policy.yaml would.
    func policy() throws -> String {
        let logs = folder.url.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: ReportCommandTests.captured, toPath: logs.appendingPathComponent("mail.log").path)
        let roster = folder.write("roster.csv", ReportCommandTests.roster)
        return folder.write(
            "policy.yaml",
            """
            province: Nam Định
            official_domains: [namdinh.gov.vn]
            login_domain: namdinh.gov.vn
            report: {formats: [html, csv], folder: \(folder.path("reports"))}
            nightly: {logs: [\(logs.path)/mail.log*], roster: \(roster)}
            """)
    }

    /// No policy named, and none in `/etc/mailcensus` (a machine that has one finds it instead).
    static let noPolicy = ["MAILCENSUS_POLICY": "", "MAILCENSUS_STORE": ""]
    static var systemPolicyInstalled: Bool { FileManager.default.fileExists(atPath: "/etc/mailcensus/policy.yaml") }

    @Test("make install puts the binary in PREFIX/bin; it runs nightly from / as cron would")
    func installedNightly() throws {
        let mailcensus = try install()
        let policy = try policy()
        let store = folder.path("census.sqlite")
        let result = try run(mailcensus, ["nightly", "--policy", policy], environment: ["MAILCENSUS_STORE": store])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("reports in \(folder.path("reports"))/"))
        #expect(FileManager.default.fileExists(atPath: store))
        let dated = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path("reports")).first)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("reports") + "/" + dated)
        #expect(Set(files) == ["report.html", "report.csv", "report-people.csv", "candidates.csv"])
    }

    @Test("outside a checkout: activity and sources need no policy; the others name every place looked at")
    func withoutPolicy() throws {
        let mailcensus = try install()
        let policy = try policy()
        let store = folder.path("census.sqlite")
        let ingest = try run(mailcensus, ["ingest", "--policy", policy, "--store", store, ReportCommandTests.captured])
        #expect(ingest.status == 0, "\(ingest.error)")
        guard !Self.systemPolicyInstalled else { return }

        let activity = try run(mailcensus, ["activity", "--store", store], environment: Self.noPolicy)
        #expect(activity.status == 0, "\(activity.error)")
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(activity.output.utf8)) as? [String: Any])
        let addresses = try #require(json["addresses"] as? [[String: Any]])
        let annv = try #require(addresses.first { $0["address"] as? String == "annv@namdinh.gov.vn" })
        // The store's own mailboxes' domain is official without a policy, and times keep +07:00.
        let correspondents = try #require(annv["correspondents"] as? [String: Int])
        #expect((correspondents["official"] ?? 0) > 0)
        #expect((annv["first_seen"] as? String)?.hasSuffix("+07:00") == true)
        let sources = try run(mailcensus, ["sources", "--store", store], environment: Self.noPolicy)
        #expect(sources.status == 0, "\(sources.error)")
        #expect(sources.output.contains("default"))

        let report = try run(
            mailcensus, ["report", "--store", store, "--roster", folder.path("roster.csv")], environment: Self.noPolicy)
        #expect(report.status == 2)
        let lines = report.error.split(separator: "\n")
        #expect(lines.count == 1, "\(report.error)")
        for place in ["--policy", "$MAILCENSUS_POLICY", "/etc/mailcensus/policy.yaml", "Policies/default.yaml"] {
            #expect(report.error.contains(place), "\(place): \(report.error)")
        }
        let named = try run(
            mailcensus, ["report", "--store", store, "--roster", folder.path("roster.csv"), "--format", "json"],
            environment: ["MAILCENSUS_POLICY": policy])
        #expect(named.status == 0, "\(named.error)")
        #expect(named.output.contains("\"province\": \"Nam Định\""))
    }

    @Test("the binary in .build finds its checkout's Policies/default.yaml from any folder")
    func checkoutPolicy() throws {
        guard !Self.systemPolicyInstalled else { return }
        let roster = folder.write("roster.csv", ReportCommandTests.roster)
        let result = try run(CLI.executable.path, ["roster", "check", roster], environment: Self.noPolicy)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("11 staff read, 0 error(s)"))
    }

    @Test("$MAILCENSUS_STORE is the default store, said in --help; make run ends with the commands to use")
    func storeFromEnvironment() throws {
        let store = folder.path("out.sqlite")
        let ingest = try CLI.run(["ingest", "--store", store, ReportCommandTests.captured])
        #expect(ingest.status == 0, "\(ingest.error)")
        let activity = try run(
            CLI.executable.path, ["activity", "--format", "csv"], in: folder.url.path,
            environment: ["MAILCENSUS_STORE": store])
        #expect(activity.status == 0, "\(activity.error)")
        #expect(activity.output.contains("annv@namdinh.gov.vn"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("mailcensus.sqlite")))
        let help = try CLI.run(["activity", "--help"], environment: ["MAILCENSUS_STORE": ""])
        #expect(help.output.contains("$MAILCENSUS_STORE"))
        #expect(try CLI.run(["--help"]).output.contains("$MAILCENSUS_STORE"))
        let make = try run("/usr/bin/make", ["-n", "-C", CLI.root.path, "run"])
        #expect(make.output.contains("mailcensus activity --store out/mailcensus.sqlite"))
        #expect(make.output.contains("Reports: out/reports/2026-11-30/"))
    }
}
