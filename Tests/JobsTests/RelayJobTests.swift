import Basics
import Census
import CensusStore
import Foundation
import Jobs
import Relay
import TestSupport
import Testing

/// The relay's jobs on the capture's logs and people: preview and status need no server;
/// sending goes to the real SMTP server on 127.0.0.1 (`Scripts/smtp-test-server.sh up`).
@Suite("Relay jobs: queue, send, status, preview")
struct RelayJobTests {
    let captured = Captured()
    /// In the sender's address of every message this test sends, to find them at the server.
    let tag = SMTPTestServer.tag()

    static let settings = SMTPTestServer.settings

    /// A policy whose relay is the test server (or `server`), its store with the capture.
    func setUp(server: String? = nil, enabled: Bool = false) throws -> (Configuration, StoreAccess) {
        let url = server ?? Self.settings["SMTP_TEST_STARTTLS_URL"] ?? "smtp://127.0.0.1:9"
        // Another server (one that is down) needs none of the test server's files, which exist
        // only once it was started.
        let testServer = server == nil ? Self.settings : [:]
        let configuration = try captured.configuration(
            """
            report: {formats: [html], folder: \(captured.folder.path("reports")), leadership: [dunglt@namdinh.gov.vn]}
            nightly: {logs: [\(Captured.log)], roster: \(captured.rosterPath)}
            relay:
              enabled: \(enabled)
              server: \(url)
              username: \(testServer["SMTP_TEST_USER"] ?? "baocao@namdinh.gov.vn")
              password_file: \(testServer["SMTP_TEST_PASSWORD_FILE"] ?? captured.folder.write("password", "x\n"))
              ca_file: \(testServer["SMTP_TEST_CA"] ?? "/dev/null")
              from: "Trung tâm CNTT <baocao+\(tag)@namdinh.gov.vn>"
              templates: \(TestServers.root.appendingPathComponent("Policies/templates").path)

            """)
        try? FileManager.default.setAttributes(
            [.posixPermissions: 0o600], ofItemAtPath: captured.folder.path("password"))
        return (configuration, try captured.ingested(configuration))
    }

    @Test("preview: the period's four notices as .eml files; nothing queued")
    func preview() throws {
        let (configuration, store) = try setUp()
        let out = captured.folder.path("preview")
        let result = try RelayPreviewJob(
            configuration: configuration, store: store, query: CensusQuery(rosterPath: captured.rosterPath),
            out: out
        ).run(log: .discarding)
        #expect(result.written.count == 4)
        #expect(result.text == "Wrote 4 message(s) into \(out)/ (nothing queued or sent).\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(files.count == 4 && files.allSatisfy { $0.hasSuffix(".eml") })
        let status = try RelayStatusJob(store: store, utcOffset: configuration.policy.utcOffset).run()
        #expect(status.shown.isEmpty && status.counts.isEmpty)
        #expect(status.text == "Outbox of \(store.location): 0 queued, 0 sent, 0 failed\n")
    }

    @Test("the preview's file names keep letters, digits, @ . -")
    func previewPath() {
        #expect(
            RelayPreviewJob.path("out", "department-report:2026-11-30:STTTT:x@y.vn")
                == "out/department-report_2026-11-30_STTTT_x@y.vn.eml")
    }

    @Test("no SMTP server in the policy nor given: the policy's key is named")
    func noServer() throws {
        let configuration = try captured.configuration()
        let error = #expect(throws: RelayError.self) { try RelayServer().session(configuration) }
        #expect(
            error?.description.contains("\(configuration.path): relay.server") == true, "\(String(describing: error))")
        #expect(FailureStatus(of: try #require(error)) == .badInput)
    }

    @Test("status of a store that does not exist: bad usage")
    func statusWithoutStore() {
        let error = #expect(throws: JobError.self) {
            try RelayStatusJob(store: StoreAccess(location: captured.folder.path("none.sqlite")), utcOffset: 0).run()
        }
        #expect(error?.code == .usage)
    }

    @Test("send with the server down: all queued, the stop in the log; status shows them")
    func serverDown() async throws {
        let (configuration, store) = try setUp(server: "smtp://127.0.0.1:9")
        let log = CollectedLog()
        let result = try await RelaySendJob(
            configuration: configuration, store: store, server: RelayServer(allowPlaintext: true),
            query: CensusQuery(rosterPath: captured.rosterPath)
        ).run(log: log.log)
        #expect(result.queued?.queued == 4)
        #expect(result.sent.isIncomplete && result.sent.run.sent.isEmpty)
        #expect(result.text.hasPrefix("Queued 4 notice(s) (0 queued before).\nRelay to smtp://127.0.0.1:9: 0 sent"))
        #expect(log.lines.contains { $0.hasPrefix("mailcensus: sending stopped: ") }, "\(log.lines)")
        let status = try RelayStatusJob(store: store, utcOffset: configuration.policy.utcOffset).run()
        #expect(status.counts[.queued] == 4 && status.shown.count == 4)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(status.json.utf8)) as? [String: Any])
        #expect((json["counts"] as? [String: Int])?["queued"] == 4)
    }

    @Test("send to the real server: each notice delivered once; a rerun sends nothing", .tags(.smtp), .needs(.smtp))
    func send() async throws {
        _ = try #require(
            Self.settings["SMTP_TEST_STARTTLS_URL"], "no SMTP test server: run `bash Scripts/smtp-test-server.sh up`")
        let (configuration, store) = try setUp()
        let job = RelaySendJob(
            configuration: configuration, store: store, server: RelayServer(),
            query: CensusQuery(rosterPath: captured.rosterPath))
        let log = CollectedLog()
        let first = try await job.run(log: log.log)
        #expect(first.queued?.queued == 4 && first.sent.run.sent.count == 4, "\(log.lines)")
        #expect(!first.sent.isIncomplete)
        let again = try await job.run(log: log.log)
        #expect(again.queued?.queued == 0 && again.queued?.already == 4 && again.sent.run.sent.isEmpty)
        #expect(try SMTPTestServer.received(tag: tag).count == 4)
        let retried = try await RelayRetryJob(configuration: configuration, store: store, server: RelayServer())
            .run(log: .discarding)
        #expect(retried.requeued == 0)
        #expect(retried.text.hasPrefix("Queued 0 failed notice(s) again.\nRelay to "))
    }

    @Test("the nightly run with the relay on: reports written and sent", .tags(.smtp), .needs(.smtp))
    func nightly() async throws {
        _ = try #require(
            Self.settings["SMTP_TEST_STARTTLS_URL"], "no SMTP test server: run `bash Scripts/smtp-test-server.sh up`")
        let (configuration, store) = try setUp(enabled: true)
        let result = try await NightlyJob(configuration: configuration, store: store).run(log: .discarding)
        guard case .sent(let queued, let outcome)? = result.relay else {
            Issue.record("not sent: \(String(describing: result.relay))")
            return
        }
        #expect(queued == 4 && outcome.run.sent.count == 4)
        // How many connections carried them depends on the server's idle timeout under load;
        // "many messages over one connection" checks the reuse itself.
        let line = result.text(quiet: true)
        #expect(line.contains("; relay: 4 queued, 4 sent over "), "\(line)")
        #expect(line.contains(" connection(s), 0 deferred, 0 failed"), "\(line)")
        #expect(!result.isIncomplete)
    }
}
