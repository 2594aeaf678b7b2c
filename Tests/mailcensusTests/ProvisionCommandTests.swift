import Foundation
import MailLogTesting
import Testing

/// `mailcensus provision plan` against the real Modoboa that `Scripts/modoboa.sh up` starts.
@Suite("mailcensus provision plan, against a real Modoboa")
struct ProvisionCommandTests {
    let folder = TemporaryFolder()

    /// MODOBOA_URL and MODOBOA_TOKEN_FILE, from the environment or `Scripts/modoboa.sh env`.
    static let settings: [String: String] = {
        var settings = ProcessInfo.processInfo.environment.filter { $0.key.hasPrefix("MODOBOA_") }
        if settings["MODOBOA_URL"] == nil {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/bash")
            process.arguments = [CLI.root.appendingPathComponent("Scripts/modoboa.sh").path, "env"]
            let output = Pipe()
            process.standardOutput = output
            try? process.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            for line in text.split(separator: "\n") where line.hasPrefix("export ") {
                let pair = line.dropFirst(7).split(separator: "=", maxSplits: 1)
                if pair.count == 2 { settings[String(pair[0])] = String(pair[1]) }
            }
        }
        return settings
    }()

    @Test("60 people with colliding names: every one a distinct address, numbered by the rule")
    func collidingRoster() throws {
        let url = try #require(Self.settings["MODOBOA_URL"], "no Modoboa: run `bash Scripts/modoboa.sh up` first")
        let tokenFile = try #require(Self.settings["MODOBOA_TOKEN_FILE"])
        // A rule of its own, so that accounts other tests left on the server do not collide.
        let tag = String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(5))
        let policy = folder.write(
            "policy.yaml",
            """
            official_domains: [namdinh.gov.vn]
            naming_rule: "{given}{initials}\(tag)"
            quota_by_position: {Chuyên viên: 1024, Giám đốc: 4096}
            """)
        let families = ["Nguyễn", "Ngô", "Nông"]
        let middles = ["Văn", "Việt", "Vũ", "Vân"]
        let givens = ["An", "Ân", "Ẩn", "Bình", "Bính"]
        var rows = [
            "employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date"
        ]
        for index in 0..<60 {
            let name = "\(families[index % 3]) \(middles[index % 4]) \(givens[index % 5])"
            rows.append(
                "E\(1000 + index),\(name),STTTT,Sở TT&TT,province,\(index == 0 ? "Giám đốc" : "Chuyên viên"),,,active,,"
            )
        }
        let roster = folder.write("roster.csv", rows.joined(separator: "\n") + "\n")
        let result = try CLI.run([
            "provision", "plan", "--roster", roster, "--server", url, "--token-file", tokenFile, "--policy", policy,
            "--format", "json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let creates = try #require(plan["create"] as? [[String: Any]])
        let addresses = creates.compactMap { $0["address"] as? String }
        #expect(creates.count == 60)
        #expect(Set(addresses).count == 60)
        #expect(addresses.contains("annv\(tag)@namdinh.gov.vn"))
        #expect(addresses.contains("annv\(tag)2@namdinh.gov.vn"))
        #expect(creates.first { $0["employee_id"] as? String == "E1000" }?["quota_mb"] as? Int == 4096)
        // The same roster planned again gives the same addresses.
        let again = try CLI.run([
            "provision", "plan", "--roster", roster, "--server", url, "--token-file", tokenFile, "--policy", policy,
            "--format", "json",
        ])
        #expect(again.output == result.output)
    }
}
