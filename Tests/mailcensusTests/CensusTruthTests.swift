import Foundation
import TestSupport
import Testing

/// The census against the truth of a real capture (`Logs/captured-census/`, written by
/// `Scripts/capture-real-logs.sh` from a real Postfix and Dovecot over five days), person by
/// person: every staff member's category, every webmail address tied, in each syslog format, and
/// with the From header lines taken out (a server without header logging).
@Suite("The census against a real capture's truth, person by person")
struct CensusTruthTests {
    static let folder = CLI.root.appendingPathComponent("Logs/captured-census")
    let scratch = TemporaryFolder()

    struct Truth: Decodable {
        struct Used: Decodable {
            let address: String
            let declared: Bool
            let attributable: Bool
        }
        struct Member: Decodable {
            let employeeId: String
            let status: String
            let category: String?
            let webmailUsed: [Used]
        }
        struct Untied: Decodable {
            let address: String
        }
        let staff: [Member]
        let notAttributable: [Untied]
    }

    /// How the census did against the truth.
    struct Score: CustomStringConvertible {
        var staff = 0
        var rightCategory = 0
        var wrongCategories: [String] = []
        var wrongTies: [String] = []
        var undeclared = 0
        var undeclaredTied = 0

        var description: String {
            "categories right for \(rightCategory) of \(staff) staff; \(wrongTies.count) address(es) tied to a wrong "
                + "person; \(undeclaredTied) of \(undeclared) undeclared personal addresses tied to their owner"
                + (wrongCategories.isEmpty ? "" : "; wrong: \(wrongCategories.joined(separator: ", "))")
                + (wrongTies.isEmpty ? "" : "; wrong ties: \(wrongTies.joined(separator: ", "))")
        }
    }

    func truth() throws -> Truth {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Truth.self, from: Data(contentsOf: Self.folder.appendingPathComponent("truth.json")))
    }

    /// Ingests `log`, each line as `edit` makes it (nil: dropped), and scores the report against
    /// the truth.
    func score(_ log: String, editing edit: (Substring) -> String? = { String($0) }) throws -> Score {
        let text = try String(contentsOf: Self.folder.appendingPathComponent(log), encoding: .utf8)
        let copy = scratch.write(log, text.split(separator: "\n").compactMap(edit).joined(separator: "\n") + "\n")
        // Classic syslog has no year: the copy is dated the day after the capture.
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_796_256_000)], ofItemAtPath: copy)  // 2026-11-28
        let policy = Self.folder.appendingPathComponent("policy.yaml").path
        let store = scratch.path("\(log).sqlite")
        let ingest = try CLI.run(["ingest", "--store", store, "--policy", policy, copy])
        #expect(ingest.status == 0, "\(ingest.error)")
        let result = try CLI.run([
            "report", "--store", store, "--policy", policy, "--roster",
            Self.folder.appendingPathComponent("roster.csv").path, "--format", "json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        var categories: [String: String] = [:]
        for department in report["departments"] as? [[String: Any]] ?? [] {
            for person in department["staff"] as? [[String: Any]] ?? [] {
                categories[person["employee_id"] as! String] = person["category"] as? String
            }
        }
        let truth = try truth()
        var owner: [String: String] = [:]
        var undeclared: Set<String> = []
        for member in truth.staff {
            for used in member.webmailUsed where used.attributable {
                owner[used.address] = member.employeeId
                if !used.declared { undeclared.insert(used.address) }
            }
        }
        let untied = Set(truth.notAttributable.map(\.address))
        var score = Score()
        for member in truth.staff where member.status == "active" {
            score.staff += 1
            if categories[member.employeeId] == member.category {
                score.rightCategory += 1
            } else {
                score.wrongCategories.append(
                    "\(member.employeeId) \(categories[member.employeeId] ?? "absent") for \(member.category ?? "none")"
                )
            }
        }
        for attribution in report["attributions"] as? [[String: Any]] ?? [] {
            let address = attribution["address"] as! String
            let employee = attribution["employee_id"] as! String
            let kind = attribution["kind"] as! String
            // A declared address is the roster's word; any other tie must be the truth's owner.
            let right = kind == "declared" ? !untied.contains(address) : owner[address] == employee
            if !right { score.wrongTies.append("\(address) → \(employee) (\(kind))") }
            if undeclared.contains(address) && owner[address] == employee { score.undeclaredTied += 1 }
        }
        score.undeclared = undeclared.count
        #expect(score.staff > 50 && score.undeclared >= 10, "the capture is smaller than it should be")
        return score
    }

    @Test(
        "with From headers logged: categories right for 95%, no wrong tie, 80% of undeclared addresses found",
        arguments: ["mail.log", "mail-iso.log", "mail-rfc5424.log"])
    func withHeaders(_ log: String) throws {
        let score = try score(log)
        print("census truth, \(log): \(score)")
        #expect(score.rightCategory * 100 >= score.staff * 95, "\(score)")
        #expect(score.wrongTies.isEmpty, "\(score)")
        #expect(score.undeclaredTied * 100 >= score.undeclared * 80, "\(score)")
    }

    @Test("without header logging: still no address tied to a wrong person")
    func withoutHeaders() throws {
        let score = try score("mail.log") { $0.contains(": info: header From:") ? nil : String($0) }
        print("census truth, mail.log without From headers: \(score)")
        #expect(score.wrongTies.isEmpty, "\(score)")
        #expect(score.rightCategory * 100 >= score.staff * 90, "\(score)")
    }

    @Test("a server with smtputf8_enable = no, which logs each byte of UTF-8 in a header as ?")
    func mangledHeaders() throws {
        let score = try score("mail.log") { line in
            guard line.contains(": info: header From:") else { return String(line) }
            return String(decoding: line.utf8.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
        }
        print("census truth, mail.log with UTF-8 in headers logged as ?: \(score)")
        #expect(score.rightCategory * 100 >= score.staff * 95, "\(score)")
        #expect(score.wrongTies.isEmpty, "\(score)")
        #expect(score.undeclaredTied * 100 >= score.undeclared * 80, "\(score)")
    }
}
