import CensusStore
import Foundation
import TestSupport
import Testing

/// `mailcensus relay` and the nightly run's sending, against the real SMTP server on
/// 127.0.0.1 that `Scripts/smtp-test-server.sh up` starts (`make test` does), with the SQLite
/// store's outbox, on the capture's logs and people.
@Suite("mailcensus relay, against a real SMTP server", .tags(.smtp), .needs(.smtp))
struct RelayCommandTests {
    let folder = TemporaryFolder()
    /// In the sender's address of every message this test sends, to find them at the server.
    let tag = SMTPTestServer.tag()

    static let settings = SMTPTestServer.settings

    /// A store with the capture's logs, its roster, and a policy whose relay is the test server.
    func setUp(heads: [String: String] = [:], passwordFile: String? = nil, enabled: Bool = false) throws -> (
        store: String, policy: String
    ) {
        let url = try #require(
            Self.settings["SMTP_TEST_STARTTLS_URL"], "no SMTP test server: run `bash Scripts/smtp-test-server.sh up`")
        let store = folder.path("store.sqlite")
        #expect(try CLI.run(["ingest", "--store", store, ReportCommandTests.captured]).status == 0)
        _ = folder.write("roster.csv", ReportCommandTests.roster)
        let head = heads.merging(
            ["STTTT": "annv@namdinh.gov.vn", "SNV": "cuongpq@namdinh.gov.vn", "SYT": "lanpt@namdinh.gov.vn"],
            uniquingKeysWith: { first, _ in first })
        let policy = folder.write(
            "policy.yaml",
            """
            province: Nam Định
            official_domains: [namdinh.gov.vn]
            login_domain: namdinh.gov.vn
            departments:
              - {code: STTTT, name: Sở Thông tin và Truyền thông, heads: [\(head["STTTT"]!)]}
              - {code: SNV, name: Sở Nội vụ, heads: [\(head["SNV"]!)]}
              - {code: SYT, name: Sở Y tế, heads: [\(head["SYT"]!)]}
            report: {formats: [html], folder: reports, leadership: [dunglt@namdinh.gov.vn]}
            nightly: {logs: [\(ReportCommandTests.captured)], roster: roster.csv}
            relay:
              enabled: \(enabled)
              server: \(url)
              username: \(Self.settings["SMTP_TEST_USER"]!)
              password_file: \(passwordFile ?? Self.settings["SMTP_TEST_PASSWORD_FILE"]!)
              ca_file: \(Self.settings["SMTP_TEST_CA"]!)
              from: "Trung tâm CNTT <baocao+\(tag)@namdinh.gov.vn>"
              templates: \(CLI.root.appendingPathComponent("Policies/templates").path)
            """)
        return (store, policy)
    }

    /// The messages the server received from this test.
    func received() throws -> [SMTPTestServer.Received] { try SMTPTestServer.received(tag: tag).map(\.summary) }

    func status(_ store: String, _ policy: String) throws -> [String: Any] {
        let result = try CLI.run(["relay", "status", "--store", store, "--policy", policy, "--format", "json"])
        #expect(result.status == 0, "\(result.error)")
        return try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    }

    @Test("the server down: queued; the server up: each delivered once; a rerun sends nothing")
    func downThenUp() throws {
        let (store, policy) = try setUp()
        let down = try CLI.run([
            "relay", "send", "--store", store, "--policy", policy, "--server", "smtp://127.0.0.1:9",
        ])
        #expect(down.status == 1)
        #expect(down.output.contains("Queued 4 notice(s)"), "three heads and the leadership: \(down.output)")
        #expect(
            down.error.contains("sending stopped") && down.error.contains("4 notice(s) stay queued"), "\(down.error)")
        #expect((try status(store, policy)["counts"] as? [String: Int])?["queued"] == 4)
        // Another run sending: this one sends nothing, and says why.
        var sending: StoreLock? = try StoreLock(storePath: store, name: "relay")
        let held = try CLI.run(["relay", "send", "--store", store, "--policy", policy])
        #expect(held.status == 1 && held.error.contains("another mailcensus run is sending"), "\(held.error)")
        #expect(try received().isEmpty)
        withExtendedLifetime(sending) {}
        sending = nil
        let up = try CLI.run(["relay", "send", "--store", store, "--policy", policy])
        #expect(up.status == 0, "\(up.error)")
        #expect(up.output.contains("Queued 0 notice(s) (4 queued before)"))
        #expect(up.output.contains("4 sent over 1 connection(s)"), "\(up.output)")
        let messages = try received()
        #expect(messages.count == 4)
        #expect(
            Set(messages.flatMap(\.rcptTos)) == [
                "annv@namdinh.gov.vn", "cuongpq@namdinh.gov.vn", "lanpt@namdinh.gov.vn", "dunglt@namdinh.gov.vn",
            ])
        let stttt = try #require(messages.first { $0.rcptTos == ["annv@namdinh.gov.vn"] })
        #expect(stttt.subject.hasPrefix("Báo cáo sử dụng thư điện tử công vụ "))
        #expect(stttt.subject.hasSuffix(" — Sở Thông tin và Truyền thông"))
        #expect(stttt.text?.contains("Kính gửi Nguyễn Văn An,") == true)
        #expect(stttt.attachments.first?.filename?.hasPrefix("bao-cao-STTTT-") == true)
        #expect((stttt.attachments.first?.size ?? 0) > 10_000)
        let again = try CLI.run(["relay", "send", "--store", store, "--policy", policy])
        #expect(again.status == 0 && again.output.contains("0 sent"))
        #expect(try received().count == 4)
        #expect((try status(store, policy)["counts"] as? [String: Int])?["sent"] == 4)
    }

    @Test("refused credentials: one clear error with the server's answer, no password, everything stays queued")
    func wrongPassword() throws {
        let wrong = folder.write("wrong-password", "definitely-not-it\n")
        chmod(wrong, 0o600)
        let (store, policy) = try setUp(passwordFile: wrong)
        let result = try CLI.run(["relay", "send", "--store", store, "--policy", policy])
        #expect(result.status == 1)
        #expect(result.error.contains("535"), "\(result.error)")
        #expect(!result.error.contains("definitely-not-it") && !result.output.contains("definitely-not-it"))
        #expect((try status(store, policy)["counts"] as? [String: Int])?["queued"] == 4)
        #expect(try received().isEmpty)
    }

    @Test("a recipient refused with 550 is failed and shown by status; retry queues it again")
    func permanentRefusal() throws {
        let (store, policy) = try setUp(heads: ["SNV": "reject.head@namdinh.gov.vn"])
        let result = try CLI.run(["relay", "send", "--store", store, "--policy", policy])
        #expect(result.status == 1)
        #expect(result.error.contains("reject.head@namdinh.gov.vn: not sent") && result.error.contains("550"))
        let status = try status(store, policy)
        #expect((status["counts"] as? [String: Int]) == ["queued": 0, "sent": 3, "failed": 1])
        let failed = try #require((status["notices"] as? [[String: Any]])?.first)
        #expect((failed["last_error"] as? String)?.contains("Recipient address rejected") == true)
        let retry = try CLI.run(["relay", "retry", "--store", store, "--policy", policy])
        #expect(retry.output.contains("Queued 1 failed notice(s) again"))
        #expect(retry.status == 1)
        #expect(try received().count == 3)
    }

    @Test("preview writes the .eml files and queues nothing")
    func preview() throws {
        let (store, policy) = try setUp()
        let out = folder.path("preview")
        let result = try CLI.run(["relay", "preview", "--store", store, "--policy", policy, "--out", out])
        #expect(result.status == 0, "\(result.error)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.count == 4 && files.allSatisfy { $0.hasSuffix(".eml") })
        let sample = try String(contentsOfFile: "\(out)/\(files.sorted()[0])", encoding: .utf8)
        #expect(sample.contains("Subject: =?UTF-8?B?") && sample.contains("Auto-Submitted: auto-generated"))
        #expect((try status(store, policy)["counts"] as? [String: Int])?["queued"] == 0)
        #expect(try received().isEmpty)
    }

    @Test("nightly with the relay on: reports written and sent; the next night sends nothing again")
    func nightly() throws {
        let (store, policy) = try setUp(enabled: true)
        let first = try CLI.run(["nightly", "--store", store, "--policy", policy])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("relay: 4 queued, 4 sent over 1 connection(s)"), "\(first.output)")
        let second = try CLI.run(["nightly", "--store", store, "--policy", policy])
        #expect(second.status == 0)
        #expect(second.output.contains("relay: 0 queued, 0 sent"))
        #expect(try received().count == 4)
    }
}
