import Census
import Foundation
import TestSupport
import Testing

/// `mailcensus report` and `nightly` end to end, on the logs of the real Postfix and Dovecot
/// (`Logs/captured`), whose truth is known, with a roster of the capture's province.
@Suite("mailcensus report and nightly")
struct ReportCommandTests {
    let folder = TemporaryFolder()
    static let captured = CLI.root.appendingPathComponent("Logs/captured/mail.log").path

    static let roster = CapturedProvince.roster

    func ingested() throws -> (store: String, roster: String) {
        let store = folder.path("store.sqlite")
        let ingest = try CLI.run(["ingest", "--store", store, Self.captured])
        #expect(ingest.status == 0, "\(ingest.error)")
        return (store, folder.write("roster.csv", Self.roster))
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test("the capture's people fall in the categories the definitions give")
    func categories() throws {
        let (store, roster) = try ingested()
        let result = try CLI.run(["report", "--store", store, "--roster", roster, "--format", "json"])
        #expect(result.status == 0, "\(result.error)")
        let report = try json(result.output)
        let departments = try #require(report["departments"] as? [[String: Any]])
        var people: [String: [String: Any]] = [:]
        for department in departments {
            for person in department["staff"] as? [[String: Any]] ?? [] {
                people[person["employee_id"] as! String] = person
            }
        }
        func category(_ id: String) -> String? { people[id]?["category"] as? String }
        // Submissions or logins: official. annv also writes with his declared Gmail: mixed.
        #expect(category("E1") == "mixed")
        for id in ["E2", "E3", "E4", "E5", "E6", "E8", "E9"] { #expect(category(id) == "official", "\(id)") }
        // minhvq only failed to log in, and his mailbox forwards to Gmail: webmail, flagged.
        #expect(category("E7") == "webmail")
        #expect(people["E7"]?["forwards"] as? Bool == true)
        #expect(category("E11") == "no-account")
        #expect(people["E10"] == nil, "a leaver is not counted")
        let total = try #require(report["province_total"] as? [String: Any])
        #expect(total["headcount"] as? Int == 10)
        #expect((total["official_active"] as? [String: Any])?["count"] as? Int == 8)
        let attributions = try #require(report["attributions"] as? [[String: Any]])
        #expect(
            attributions.contains {
                $0["address"] as? String == "minhvq.nd@gmail.com" && $0["kind"] as? String == "forwarding"
            })
    }

    @Test("every format, to files: CSV writes its people beside it; Vietnamese by default")
    func files() throws {
        let (store, roster) = try ingested()
        for format in ["html", "csv", "json", "md"] {
            let out = folder.path("report.\(format)")
            let result = try CLI.run([
                "report", "--store", store, "--roster", roster, "--format", format, "--out", out, "--period", "4w",
            ])
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.hasPrefix("Wrote \(out)"))
            #expect(FileManager.default.fileExists(atPath: out))
        }
        #expect(FileManager.default.fileExists(atPath: folder.path("report-people.csv")))
        let html = try String(contentsOfFile: folder.path("report.html"), encoding: .utf8)
        #expect(html.contains("<html lang=\"vi\">") && html.contains("(28 ngày)"))
        let english = try CLI.run(["report", "--store", store, "--roster", roster, "--format", "md", "--lang", "en"])
        #expect(english.output.hasPrefix("# Official mail adoption report"))
        let published = try CLI.run([
            "report", "--store", store, "--roster", roster, "--format", "html", "--privacy",
        ])
        #expect(!published.output.contains("Nguyễn Văn An") && !published.output.contains("annv@"))
    }

    @Test("the sample's official share and mail into unopened mailboxes add up from report-people.csv by hand")
    func sampleFiguresAddUp() throws {
        let sample = CLI.root.appendingPathComponent("Logs/sample")
        let logs = try CLI.sampleLogs(in: folder)
        let store = folder.path("store.sqlite")
        #expect(try CLI.run(["ingest", "--store", store] + logs).status == 0)
        let out = folder.path("report.csv")
        let result = try CLI.run([
            "report", "--store", store, "--roster", sample.appendingPathComponent("roster.csv").path, "--format",
            "csv", "--out", out,
        ])
        #expect(result.status == 0, "\(result.error)")
        func table(_ path: String) throws -> [[String: String]] {
            let records = CSVReader(text: try String(contentsOfFile: path, encoding: .utf8)).records
            let header = try #require(records.first).fields
            return records.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0.fields)) }
        }
        let province = try #require(try table(out).first { $0["code"] == "" })
        let people = try table(folder.path("report-people.csv"))
        #expect(people.count > 1000)
        func sum(_ column: String, where keep: ([String: String]) -> Bool) -> Int {
            people.filter(keep).compactMap { Int($0[column] ?? "") }.reduce(0, +)
        }
        let official = sum("official_messages") { $0["official_active"] == "true" }
        let webmail = sum("webmail_messages") { _ in true }
        let unopened = sum("received") { $0["official_active"] == "false" && $0["official_address"] != "" }
        let mailboxes = people.filter {
            $0["official_active"] == "false" && $0["official_address"] != "" && Int($0["received"] ?? "") ?? 0 > 0
        }.count
        #expect(Int(province["official_messages"] ?? "") == official)
        #expect(Int(province["webmail_messages"] ?? "") == webmail)
        #expect(Int(province["unopened_messages"] ?? "") == unopened && unopened > 0)
        #expect(Int(province["unopened_mailboxes"] ?? "") == mailboxes)
        let share = Double(official) * 100 / Double(official + webmail)
        #expect(abs((Double(province["official_share_pct"] ?? "") ?? -1) - share) < 0.05)
        // Candidates for IT beside the report, in the columns of the attributions file.
        let candidates = try Data(contentsOf: URL(fileURLWithPath: folder.path("report-candidates.csv")))
        #expect(candidates.starts(with: ("\u{FEFF}" + Confirmations.columns.joined(separator: ",")).utf8))
    }

    @Test("IT's decisions: the candidates file filled in and named by attributions_file ties as the policy would")
    func confirmations() throws {
        let (store, roster) = try ingested()
        let header = "address,employee_id,full_name,department,evidence,messages,decision\n"
        _ = folder.write("decisions.csv", header + "boss.dung@yahoo.com,E4,Lê Thị Dung,SNV,,2,yes\n")
        let policy = folder.write(
            "policy.yaml", "official_domains: [namdinh.gov.vn]\nattributions_file: decisions.csv\n")
        let result = try CLI.run([
            "report", "--store", store, "--roster", roster, "--policy", policy, "--format", "json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let attributions = try #require(try json(result.output)["attributions"] as? [[String: Any]])
        #expect(
            attributions.contains {
                $0["address"] as? String == "boss.dung@yahoo.com" && $0["employee_id"] as? String == "E4"
                    && $0["kind"] as? String == "policy"
            })
        // A bad row stops the report with its file and line, as a bad roster does.
        let decisions = folder.write("decisions.csv", header + "boss.dung@yahoo.com,E99,,,,,yes\n")
        let refused = try CLI.run(["report", "--store", store, "--roster", roster, "--policy", policy])
        #expect(refused.status == 2)
        #expect(refused.error.contains("\(decisions):2: error: employee_id \"E99\" is not in the roster"))
    }

    @Test("bad input: a roster with errors, no store, a bad period — exit 2 with one clear line")
    func badInput() throws {
        let (store, roster) = try ingested()
        let broken = folder.write("broken.csv", Self.roster.replacingOccurrences(of: "E2,", with: "E1,"))
        let result = try CLI.run(["report", "--store", store, "--roster", broken])
        #expect(result.status == 2)
        #expect(result.error.contains("\(broken):3: error: employee_id E1 is also on line 2"))
        let headerOnly = folder.write("header.csv", String(Self.roster.prefix { $0 != "\n" }) + "\n")
        let empty = try CLI.run(["report", "--store", store, "--roster", headerOnly, "--out", folder.path("r.html")])
        #expect(empty.status == 2)
        #expect(empty.error.contains("\(headerOnly):1: error: no staff: the roster has no rows"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("r.html")))
        let noStore = try CLI.run(["report", "--store", folder.path("none.sqlite"), "--roster", roster])
        #expect(noStore.status == 2 && noStore.error.contains("no store at"))
        let badPeriod = try CLI.run(["report", "--store", store, "--roster", roster, "--period", "soon"])
        #expect(badPeriod.status == 2 && badPeriod.error.contains("--period"))
    }

    @Test("a store nobody may write (0444 in a 0555 folder) serves report, activity and sources, untouched")
    func readOnlyStore() throws {
        let (store, roster) = try ingested()
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("mailcensus-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(chmod(out.path, 0o777) == 0)
        let writable = try CLI.run(["activity", "--store", store, "--format", "csv"])
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted()
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        #expect(chmod(store, 0o444) == 0 && chmod(roster, 0o444) == 0 && chmod(folder.url.path, 0o555) == 0)
        defer { _ = chmod(folder.url.path, 0o755) }

        let report = try CLI.runUnprivileged([
            "report", "--store", store, "--roster", roster, "--format", "json", "--out",
            out.appendingPathComponent("r.json").path,
        ])
        #expect(report.status == 0, "\(report.error)")
        #expect(report.output.contains("10 staff"))
        let activity = try CLI.runUnprivileged(["activity", "--store", store, "--format", "csv"])
        #expect(activity.status == 0, "\(activity.error)")
        #expect(activity.output == writable.output && activity.output.contains("annv@namdinh.gov.vn"))
        let sources = try CLI.runUnprivileged(["sources", "--store", store])
        #expect(sources.status == 0, "\(sources.error)")
        #expect(sources.output.contains("default"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path).sorted() == files)
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
    }

    @Test("nightly: ingests the policy's logs, writes every report into a dated folder, one line for cron")
    func nightly() throws {
        let logs = folder.url.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.captured, toPath: logs.appendingPathComponent("mail.log").path)
        _ = folder.write("roster.csv", Self.roster)
        let policy = folder.write(
            "policy.yaml",
            """
            province: Nam Định
            official_domains: [namdinh.gov.vn]
            login_domain: namdinh.gov.vn
            report: {formats: [html, json], folder: reports}
            nightly: {logs: [logs/mail.log*], roster: roster.csv}
            """)
        let store = folder.path("store.sqlite")
        let first = try CLI.run(["nightly", "--store", store, "--policy", policy])
        #expect(first.status == 0, "\(first.error)")
        let lines = try String(contentsOfFile: Self.captured, encoding: .utf8).split(separator: "\n").count
        #expect(first.output.contains("\(lines) new log lines from 1 file(s)"))
        let reports = folder.url.appendingPathComponent("reports")
        let dated = try FileManager.default.contentsOfDirectory(atPath: reports.path)
        #expect(dated.count == 1)
        let files = try FileManager.default.contentsOfDirectory(
            atPath: reports.appendingPathComponent(dated[0]).path)
        #expect(Set(files) == ["report.html", "report.json", "candidates.csv"])
        #expect(first.output.contains("reports in \(reports.path)/\(dated[0])/"))
        let second = try CLI.run(["nightly", "--store", store, "--policy", policy])
        #expect(second.status == 0)
        #expect(second.output.contains("0 new log lines"))
        let noLogs = folder.write("nologs.yaml", "official_domains: [namdinh.gov.vn]\n")
        let refused = try CLI.run(["nightly", "--store", store, "--policy", noLogs])
        #expect(refused.status == 2)
        #expect(refused.error.contains("\(noLogs): nightly.logs: names no logs"))
    }
}
