import Basics
import Census
import Foundation
import Jobs
import MailLog
import TestSupport
import Testing

@Suite("NightlyJob: ingest, reports, the one line")
struct NightlyJobTests {
    let captured = Captured()

    func policy(logs: [String]? = nil, roster: Bool = true, formats: String = "[html, csv]", privacy: Bool = false)
        throws -> Configuration
    {
        let reports = captured.folder.path("reports")
        var nightly = "nightly:\n  logs: [\((logs ?? [Captured.log]).joined(separator: ", "))]\n"
        if roster { nightly += "  roster: \(captured.rosterPath)\n" }
        return try captured.configuration(
            "report: {formats: \(formats), folder: \(reports), privacy: \(privacy)}\n" + nightly)
    }

    @Test("the capture's night: reports in the day's folder, the candidates beside them, the line")
    func night() async throws {
        let policy = try self.policy()
        let job = NightlyJob(configuration: policy, store: captured.store, until: nil)
        let log = CollectedLog()
        let result = try await job.run(log: log.log)
        #expect(!result.isIncomplete, "\(log.lines)")
        #expect(result.files == 1 && result.unreadable == 0)
        #expect(result.folder.hasPrefix(captured.folder.path("reports") + "/"))
        let names = result.written.map { ($0 as NSString).lastPathComponent }
        #expect(names == ["report.html", "report.csv", "report-people.csv", "candidates.csv"])
        for file in result.written { #expect(FileManager.default.fileExists(atPath: file)) }
        #expect(result.relay == nil)
        let text = result.text(quiet: false)
        #expect(
            text.hasPrefix(
                "mailcensus nightly: \(result.ingest.statistics.linesRead) new log lines from 1 file(s); "
                    + "\(CensusRun.describe(result.report.period)): 10 staff, 80.0% using official mail; "
                    + "reports in \(result.folder)/ (report.html, report.csv, report-people.csv, candidates.csv)\n"),
            "\(text)")
        #expect(text.hasSuffix("Open \(result.folder)/report.html\n"))
        #expect(!result.text(quiet: true).contains("Open "))
        // The next night reads nothing new and writes the same files again.
        let again = try await job.run(log: .discarding)
        #expect(again.ingest.statistics.linesRead == 0)
        #expect(again.written == result.written)
    }

    @Test("a published edition on disk: no candidates file")
    func published() async throws {
        let policy = try self.policy(formats: "[json]", privacy: true)
        let result = try await NightlyJob(configuration: policy, store: captured.store).run(
            log: .discarding)
        #expect(result.written.map { ($0 as NSString).lastPathComponent } == ["report.json"])
        #expect(result.report.isPrivate)
    }

    @Test("no logs in the policy, or no roster: the policy's key is named")
    func policyGaps() async throws {
        let noLogs = try policy(logs: [])
        let logsError = await #expect(throws: CensusError.self) {
            try await NightlyJob(configuration: noLogs, store: captured.store).run(log: .discarding)
        }
        #expect(
            logsError?.description.contains("\(noLogs.path): nightly.logs") == true, "\(String(describing: logsError))")
        let noRoster = try policy(roster: false)
        let rosterError = await #expect(throws: CensusError.self) {
            try await NightlyJob(configuration: noRoster, store: captured.store).run(log: .discarding)
        }
        #expect(rosterError?.description.contains("nightly.roster") == true)
    }

    @Test("no log file matches: bad input naming the patterns; none readable: stopped, bad input")
    func noLogs() async throws {
        let pattern = captured.folder.path("none/mail.log*")
        let policy = try self.policy(logs: [pattern])
        let error = await #expect(throws: JobError.self) {
            try await NightlyJob(configuration: policy, store: captured.store).run(log: .discarding)
        }
        #expect(error?.code == .badInput)
        #expect(error?.message == "no log file matches \(pattern)")
        let unreadable = captured.folder.path("unreadable.log")
        try FileManager.default.createDirectory(atPath: unreadable, withIntermediateDirectories: true)
        let folderPolicy = try self.policy(logs: [unreadable])
        let log = CollectedLog()
        let stopped = await #expect(throws: JobError.self) {
            try await NightlyJob(configuration: folderPolicy, store: captured.store).run(log: log.log)
        }
        #expect(stopped?.code == .stopped(.badInput), "\(log.lines)")
        #expect(log.lines.contains { $0.hasPrefix("mailcensus: ") && $0.contains("unreadable.log") })
    }
}
