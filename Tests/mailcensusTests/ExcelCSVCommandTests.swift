import Census
import Foundation
import Reports
import TestSupport
import Testing

/// Every CSV file the tool writes for people starts with the UTF-8 byte-order mark that Excel
/// on Windows needs to read Vietnamese; `--no-bom` (and `report.csv_bom: false` for `nightly`)
/// leaves it out for scripts; every CSV it reads may start with one.
@Suite("mailcensus CSV for Excel")
struct ExcelCSVCommandTests {
    let folder = TemporaryFolder()
    static let mark: [UInt8] = [0xEF, 0xBB, 0xBF]

    func ingested() throws -> (store: String, roster: String) {
        let store = folder.path("store.sqlite")
        let ingest = try CLI.run(["ingest", "--store", store, ReportCommandTests.captured])
        #expect(ingest.status == 0, "\(ingest.error)")
        return (store, folder.write("roster.csv", ReportCommandTests.roster))
    }

    func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("report --format csv: the report, its people and its candidates start with the mark; --no-bom leaves it out")
    func report() throws {
        let (store, roster) = try ingested()
        let out = folder.path("adoption.csv")
        let result = try CLI.run(["report", "--store", store, "--roster", roster, "--format", "csv", "--out", out])
        #expect(result.status == 0, "\(result.error)")
        for path in [out, folder.path("adoption-people.csv"), folder.path("adoption-candidates.csv")] {
            #expect(try bytes(path).starts(with: Self.mark), "\(path)")
        }
        let people = CSVReader(text: String(decoding: try bytes(folder.path("adoption-people.csv")), as: UTF8.self))
        // The client census's columns follow (the capture's Dovecot logins are client evidence).
        #expect(
            people.records.first?.fields.prefix(CensusCSV.peopleHeader.count).elementsEqual(CensusCSV.peopleHeader)
                == true)
        #expect(people.records.contains { $0.fields[1] == "Nguyễn Văn An" && $0.fields[2] == "STTTT" })

        let plain = folder.path("plain.csv")
        let scripted = try CLI.run([
            "report", "--store", store, "--roster", roster, "--format", "csv", "--out", plain, "--no-bom",
        ])
        #expect(scripted.status == 0, "\(scripted.error)")
        for (path, header) in [
            (plain, "code,"), (folder.path("plain-people.csv"), "employee_id,"),
            (folder.path("plain-candidates.csv"), "address,"),
        ] {
            #expect(try bytes(path).starts(with: header.utf8), "\(path)")
        }
        // To standard output too, as `> adoption.csv` would save it.
        let printed = try CLI.run(["report", "--store", store, "--roster", roster, "--format", "csv"])
        #expect(printed.output.hasPrefix("\u{FEFF}code,name,level,"))
    }

    @Test("the candidates file, with its mark, filled in and named by attributions_file, is accepted")
    func candidatesAccepted() throws {
        let (store, roster) = try ingested()
        let out = folder.path("r.csv")
        #expect(
            try CLI.run(["report", "--store", store, "--roster", roster, "--format", "csv", "--out", out]).status == 0)
        var candidates = try bytes(folder.path("r-candidates.csv"))
        #expect(candidates.starts(with: Self.mark + Array(Confirmations.columns.joined(separator: ",").utf8)))
        // IT adds its decision in Excel and saves as CSV UTF-8: the mark stays.
        candidates += Array("boss.dung@yahoo.com,E4,Lê Thị Dung,SNV,,2,có\r\n".utf8)
        _ = folder.write("decisions.csv", bytes: candidates)
        let policy = folder.write(
            "policy.yaml", "official_domains: [namdinh.gov.vn]\nattributions_file: decisions.csv\n")
        let result = try CLI.run([
            "report", "--store", store, "--roster", roster, "--policy", policy, "--format", "json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let attributions = try #require(json["attributions"] as? [[String: Any]])
        #expect(
            attributions.contains {
                $0["address"] as? String == "boss.dung@yahoo.com" && $0["employee_id"] as? String == "E4"
                    && $0["kind"] as? String == "policy"
            })
    }

    @Test("a roster saved by Excel as CSV UTF-8 (with the mark, CRLF) is read like any other")
    func rosterWithMark() throws {
        let text = ReportCommandTests.roster.replacingOccurrences(of: "\n", with: "\r\n")
        let roster = folder.write("roster.csv", bytes: Self.mark + Array(text.utf8))
        let policy = folder.write("policy.yaml", "official_domains: [namdinh.gov.vn]\n")
        let result = try CLI.run(["roster", "check", roster, "--policy", policy])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output.contains("11 staff read, 0 error(s)"))
    }

    @Test("activity --format csv starts with the mark; --no-bom leaves it out")
    func activity() throws {
        let (store, _) = try ingested()
        let marked = try CLI.run(["activity", "--store", store, "--format", "csv"])
        #expect(marked.status == 0, "\(marked.error)")
        #expect(marked.output.hasPrefix("\u{FEFF}address,submitted,"))
        let plain = try CLI.run(["activity", "--store", store, "--format", "csv", "--no-bom"])
        #expect(plain.output.hasPrefix("address,submitted,"))
        #expect(marked.output == "\u{FEFF}" + plain.output)
    }

    @Test("nightly: CSV with the mark by default; report.csv_bom: false leaves it out")
    func nightly() throws {
        let logs = folder.url.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: ReportCommandTests.captured, toPath: logs.appendingPathComponent("mail.log").path)
        _ = folder.write("roster.csv", ReportCommandTests.roster)
        for (setting, marked) in [("", true), (", csv_bom: false", false)] {
            let name = marked ? "marked" : "plain"
            let policy = folder.write(
                "\(name).yaml",
                """
                official_domains: [namdinh.gov.vn]
                login_domain: namdinh.gov.vn
                report: {formats: [csv], folder: \(name)\(setting)}
                nightly: {logs: [logs/mail.log*], roster: roster.csv}
                """)
            let result = try CLI.run(["nightly", "--store", folder.path("\(name).sqlite"), "--policy", policy])
            #expect(result.status == 0, "\(result.error)")
            let reports = folder.url.appendingPathComponent(name)
            let dated = try #require(try FileManager.default.contentsOfDirectory(atPath: reports.path).first)
            let day = reports.appendingPathComponent(dated)
            let files = try FileManager.default.contentsOfDirectory(atPath: day.path)
            #expect(Set(files) == ["report.csv", "report-people.csv", "candidates.csv"])
            for file in files {
                #expect(try bytes(day.appendingPathComponent(file).path).starts(with: Self.mark) == marked, "\(file)")
            }
        }
    }
}
