import Census
import Foundation
import Jobs
import Reports
import TestSupport
import Testing

@Suite("ReportJob: the adoption report, to standard output or files")
struct ReportJobTests {
    let captured = Captured()

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("to standard output: the report's JSON, its people in their categories")
    func standardOutput() throws {
        let configuration = try captured.configuration()
        let store = try captured.ingested(configuration)
        let job = ReportJob(
            configuration: configuration, store: store, query: CensusQuery(rosterPath: captured.rosterPath),
            format: .json, out: nil)
        guard case .text(let text) = try job.run(log: .discarding) else {
            Issue.record("not to standard output")
            return
        }
        let total = try #require(try json(text)["province_total"] as? [String: Any])
        #expect(total["headcount"] as? Int == 10)
        #expect((total["official_active"] as? [String: Any])?["count"] as? Int == 8)
    }

    @Test("to files: the report, CSV's people beside it, the candidates; the line says what was written")
    func files() throws {
        let configuration = try captured.configuration()
        let store = try captured.ingested(configuration)
        let out = captured.folder.path("report.csv")
        let job = ReportJob(
            configuration: configuration, store: store, query: CensusQuery(rosterPath: captured.rosterPath, days: 28),
            format: .csv,
            out: out, byteOrderMark: false)
        let result = try job.run(log: .discarding)
        guard case .files(let written, let report) = result else {
            Issue.record("no files")
            return
        }
        #expect(
            written == [out, captured.folder.path("report-people.csv"), captured.folder.path("report-candidates.csv")])
        for path in written { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        #expect(report.period.days == 28)
        // Then the client census's line (the capture's Dovecot logged no client IDs).
        #expect(
            result.text.hasPrefix(
                "Wrote \(written.joined(separator: ", ")): 3 departments, 10 staff, "
                    + "\(CensusRun.describe(report.period)).\nOfficial-active staff by way of access: "))
        let csv = try String(contentsOfFile: out, encoding: .utf8)
        #expect(!csv.hasPrefix("\u{FEFF}"), "no byte-order mark asked for")
    }

    @Test("privacy: no candidates file beside a published edition")
    func privacy() throws {
        let configuration = try captured.configuration()
        let store = try captured.ingested(configuration)
        let out = captured.folder.path("report.html")
        let job = ReportJob(
            configuration: configuration, store: store,
            query: CensusQuery(rosterPath: captured.rosterPath, privacy: true),
            format: .html, out: out)
        guard case .files(let written, let report) = try job.run(log: .discarding) else {
            Issue.record("no files")
            return
        }
        #expect(written == [out])
        #expect(report.isPrivate)
    }

    @Test("--out in a folder that does not exist: bad input, naming the folder")
    func missingFolder() {
        let error = #expect(throws: JobError.self) { try ReportJob.checkOut("/nonexistent-folder/report.html") }
        #expect(error?.code == .badInput)
        #expect(
            error?.message
                == "--out /nonexistent-folder/report.html: the folder /nonexistent-folder does not exist; create it first"
        )
        #expect(throws: Never.self) { try ReportJob.checkOut(nil) }
    }

    @Test("no roster named, none in the policy: bad usage")
    func noRoster() throws {
        let configuration = try captured.configuration()
        let store = try captured.ingested(configuration)
        let error = #expect(throws: JobError.self) {
            try ReportJob(configuration: configuration, store: store, query: CensusQuery(), format: .json, out: nil)
                .run(
                    log: .discarding)
        }
        #expect(error?.code == .usage)
        #expect(error?.message == "name the roster with --roster FILE (or nightly.roster in the policy)")
    }

    @Test("a roster with errors: each in the log with its line, then bad input")
    func badRoster() throws {
        let configuration = try captured.configuration()
        let store = try captured.ingested(configuration)
        let roster = captured.folder.write(
            "bad.csv", Captured.roster.replacingOccurrences(of: "E2,Trần Thị Bình,STTTT", with: "E2,Trần Thị Bình,NOPE")
        )
        let log = CollectedLog()
        let error = #expect(throws: JobError.self) {
            try ReportJob(
                configuration: configuration, store: store, query: CensusQuery(rosterPath: roster), format: .json,
                out: nil
            )
            .run(log: log.log)
        }
        #expect(error?.code == .badInput)
        #expect(error?.message == "fix the roster first (mailcensus roster check \(roster))")
        #expect(log.lines.count == 1 && log.lines[0].hasPrefix("\(roster):3: error: "), "\(log.lines)")
    }

    @Test("no store: bad usage, saying to ingest first")
    func noStore() throws {
        let configuration = try captured.configuration()
        let error = #expect(throws: JobError.self) {
            try ReportJob(
                configuration: configuration, store: captured.store,
                query: CensusQuery(rosterPath: captured.rosterPath),
                format: .json, out: nil
            ).run(log: .discarding)
        }
        #expect(error?.code == .usage)
        #expect(
            error?.message.hasPrefix("no store at \(captured.store.location): run `mailcensus ingest LOG…`") == true)
        #expect(!FileManager.default.fileExists(atPath: captured.store.location), "a report creates no store")
    }
}

@Suite("RosterCheckJob: every problem of a roster")
struct RosterCheckJobTests {
    let captured = Captured()

    @Test("a good roster: its staff counted, nothing logged")
    func good() throws {
        let configuration = try captured.configuration()
        let log = CollectedLog()
        let result = try RosterCheckJob(configuration: configuration, rosterPath: captured.rosterPath).run(log: log.log)
        #expect(result.staff == 11, "the leaver is read too")
        #expect(!result.hasFatalProblems && result.errors == 0)
        #expect(result.text == "\(captured.rosterPath): 11 staff read, 0 error(s), \(result.warnings) warning(s)\n")
    }

    @Test("an unknown department: an error with its line")
    func unknownDepartment() throws {
        let configuration = try captured.configuration()
        let roster = captured.folder.write(
            "bad.csv", Captured.roster.replacingOccurrences(of: "E4,Lê Thị Dung,SNV", with: "E4,Lê Thị Dung,XYZ"))
        let log = CollectedLog()
        let result = try RosterCheckJob(configuration: configuration, rosterPath: roster).run(log: log.log)
        #expect(result.hasFatalProblems && result.errors == 1)
        #expect(log.lines.contains { $0.hasPrefix("\(roster):5: error: ") }, "\(log.lines)")
    }
}
