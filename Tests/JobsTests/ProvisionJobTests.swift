import Basics
import Census
import CensusStore
import Foundation
import Jobs
import Provisioning
import TestSupport
import Testing

@Suite("AdminServer: the admin URL and token, checked before anything is sent")
struct AdminServerTests {
    @Test("a URL without its scheme: bad input, saying what to give")
    func noScheme() {
        let error = #expect(throws: JobError.self) {
            try AdminServer(url: "mail.namdinh.gov.vn").check(log: .discarding)
        }
        #expect(error?.code == .badInput)
        #expect(
            error?.message
                == "--server mail.namdinh.gov.vn: give the admin URL with its scheme, like https://mail.namdinh.gov.vn "
                + "(http:// only to this machine)")
    }

    @Test("plain http:// to another machine: refused unless allowed, and then a warning")
    func plaintext() throws {
        let error = #expect(throws: JobError.self) {
            try AdminServer(url: "http://mail.namdinh.gov.vn").check(log: .discarding)
        }
        #expect(error?.code == .badInput && error?.message.hasPrefix("--server ") == true)
        let log = CollectedLog()
        try AdminServer(url: "http://mail.namdinh.gov.vn", allowPlaintext: true).check(log: log.log)
        #expect(log.lines.count == 1 && log.lines[0].hasPrefix("mailcensus: warning: --allow-plaintext: "))
        let quiet = CollectedLog()
        try AdminServer(url: "https://mail.namdinh.gov.vn").check(log: quiet.log)
        try AdminServer(url: "http://127.0.0.1:8000").check(log: quiet.log)
        #expect(quiet.lines.isEmpty)
    }

    @Test("a token file that does not exist: its own error, not the advice for none")
    func tokenFile() {
        #expect(throws: (any Error).self) {
            try AdminServer(url: "https://x.gov.vn", tokenFile: "/nonexistent/token").admin()
        }
    }
}

/// Provisioning's jobs against the real Modoboa that `Scripts/modoboa.sh up` starts.
@Suite("Provisioning jobs: plan, apply, audit, against a real Modoboa", .tags(.modoboa), .needs(.modoboa))
struct ProvisionJobTests {
    let folder = TemporaryFolder()

    static let settings = TestServers.settings(prefix: "MODOBOA_", required: "MODOBOA_URL", script: "modoboa.sh")

    static let header =
        "employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date"

    /// A policy with a naming rule of its own (the tests share the server's domain), a roster
    /// of `count` people, and the server.
    func setUp(count: Int) throws -> (configuration: Configuration, roster: String, server: AdminServer, tag: String) {
        let url = try #require(Self.settings["MODOBOA_URL"], "no Modoboa: run `bash Scripts/modoboa.sh up` first")
        let tag = String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(5))
        let path = folder.write(
            "policy.yaml",
            "official_domains: [namdinh.gov.vn]\nnaming_rule: \"{given}{initials}\(tag)\"\n"
                + "quota_by_position: {Chuyên viên: 1024}\n")
        let names = ["Nguyễn Văn An", "Ngô Việt An", "Trần Thị Bình"]
        let rows = (0..<count).map {
            "E\($0),\(names[$0 % names.count]),STTTT,Sở TT&TT,province,Chuyên viên,,,active,,"
        }
        let roster = folder.write("roster.csv", ([Self.header] + rows).joined(separator: "\n") + "\n")
        let server = AdminServer(url: url, tokenFile: Self.settings["MODOBOA_TOKEN_FILE"])
        return (try Configuration.load(path: path), roster, server, tag)
    }

    @Test("plan, apply, plan again: created once, passwords for HR, then nothing to change; audit sees them")
    func applyOnce() async throws {
        let (configuration, roster, server, tag) = try setUp(count: 3)
        let store = StoreAccess(location: folder.path("store.sqlite"))
        let planned = try await ProvisionPlanJob(
            configuration: configuration, store: store, server: server, rosterPath: roster
        ).run(log: .discarding)
        #expect(
            Set(planned.plan.creates.map(\.address)) == [
                "annv\(tag)@namdinh.gov.vn", "annv\(tag)2@namdinh.gov.vn", "binhtt\(tag)@namdinh.gov.vn",
            ])
        #expect(planned.text.hasPrefix("Plan for \(server.url) (namdinh.gov.vn, "))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(planned.json.utf8)) as? [String: Any])
        #expect((json["create"] as? [[String: Any]])?.first?["quota_mb"] as? Int == 1024)
        #expect(!FileManager.default.fileExists(atPath: store.location), "a plan creates no store")

        let passwords = folder.path("passwords.csv")
        let apply = ProvisionApplyJob(
            configuration: configuration, store: store, server: server, rosterPath: roster,
            passwordsPath: passwords, allowPartialRoster: true)
        let applied = try await apply.run(log: .discarding)
        #expect(applied.report?.created.count == 3 && !applied.hasFailures)
        #expect(applied.passwords == passwords)
        #expect(applied.text.hasPrefix("Applied to \(server.url): 3 created, 0 updated, 0 disabled.\n"))
        #expect(
            applied.text.hasSuffix(
                "Initial passwords: \(passwords) (mode 0600): hand them to HR, then delete the file.\n"))
        let again = try await apply.run(log: .discarding)
        let unchanged = again.report == nil || again.report?.created.isEmpty == true
        #expect(unchanged, "\(again.text)")

        let audit = try await AuditJob(configuration: configuration, store: store, server: server, rosterPath: roster)
            .run(
                log: .discarding)
        let mine = audit.audit.findings.filter { $0.address?.contains(tag) == true }
        #expect(mine.allSatisfy { $0.kind == .neverActive }, "\(mine)")
        #expect(audit.text.hasPrefix("Audit of \(server.url) (namdinh.gov.vn): "))
        #expect(
            audit.csv(byteOrderMark: true).hasPrefix("\u{FEFF}kind,address,employee_id,detail\r\n")
                || audit.csv(byteOrderMark: true).hasPrefix("\u{FEFF}kind,address,employee_id,detail\n"))
    }

    @Test("a roster smaller than half the server's active accounts: refused, nothing changed")
    func partialRoster() async throws {
        // Three active accounts on the server, whatever other tests have left there, so that a
        // roster of one is less than half of them.
        let (seeded, seedRoster, server, _) = try setUp(count: 3)
        let seed = try await ProvisionApplyJob(
            configuration: seeded, store: StoreAccess(location: folder.path("seed.sqlite")), server: server,
            rosterPath: seedRoster, passwordsPath: folder.path("seed-passwords.csv"), allowPartialRoster: true
        ).run(log: .discarding)
        try #require(seed.report?.created.count == 3, "\(seed.text)")
        let (configuration, roster, _, tag) = try setUp(count: 1)
        let store = StoreAccess(location: folder.path("partial.sqlite"))
        let planned = try await ProvisionPlanJob(
            configuration: configuration, store: store, server: server, rosterPath: roster
        ).run(log: .discarding)
        try #require(planned.plan.isPartialRoster, "\(planned.plan.activeAccounts) active accounts")
        let error = await #expect(throws: JobError.self) {
            try await ProvisionApplyJob(
                configuration: configuration, store: store, server: server, rosterPath: roster
            ).run(log: .discarding)
        }
        #expect(error?.code == .failed)
        #expect(error?.message.contains("rerun with --allow-partial-roster") == true)
        let after = try await ProvisionPlanJob(
            configuration: configuration, store: store, server: server, rosterPath: roster
        ).run(log: .discarding)
        #expect(after.plan.creates.map(\.address) == ["annv\(tag)@namdinh.gov.vn"])
    }
}
