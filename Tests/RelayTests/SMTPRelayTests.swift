import Basics
import Foundation
import Relay
import TestSupport
import Testing

@testable import Curl

/// The relay against a real SMTP server on 127.0.0.1 (aiosmtpd, started by
/// `Scripts/smtp-test-server.sh up`; `make test` starts it): STARTTLS with a test CA, AUTH,
/// 4xx and 5xx answers, and what the server received, read back by Python's email package.
@Suite("SMTP relay, against a real server on 127.0.0.1", .tags(.smtp), .needs(.smtp))
struct SMTPRelayTests {
    static let settings = SMTPTestServer.settings

    static func server(url key: String = "SMTP_TEST_STARTTLS_URL", password: String? = nil, ca: Bool = true) throws
        -> SMTPServer
    {
        let url = try #require(settings[key], "no SMTP test server: run `bash Scripts/smtp-test-server.sh up`")
        let secret =
            try password.map { try Secret.load(variable: "P", file: nil, environment: ["P": $0]) }
            ?? Secret.load(variable: "SMTP_TEST_UNSET", file: settings["SMTP_TEST_PASSWORD_FILE"])
        return SMTPServer(
            url: url, username: settings["SMTP_TEST_USER"], password: secret,
            tls: TLSOptions(caFile: ca ? settings["SMTP_TEST_CA"] : nil), timeout: 30)
    }

    static func received(tag: String) throws -> [(summary: SMTPTestServer.Received, raw: Data)] {
        try SMTPTestServer.received(tag: tag)
    }

    static func message(tag: String, to recipient: String, attachments: [Relay.Attachment] = []) -> MailMessage {
        MailMessage(
            from: Mailbox(name: "Trung tâm CNTT tỉnh Nam Định", address: "baocao@namdinh.gov.vn"),
            to: [Mailbox(name: "Nguyễn Thị Ánh Nguyệt", address: recipient)],
            subject: "Báo cáo tháng 11/2026 — Sở Thông tin và Truyền thông (Đặng, Nguyễn, ư ơ ữ ặ)",
            text: "Kính gửi chị Nguyệt,\n\n.\nMột dòng chỉ có dấu chấm ở trên.\n", html: "<p>Kính gửi chị Nguyệt,</p>",
            attachments: attachments, messageID: "<\(tag)@namdinh.gov.vn>", date: 1_796_083_200,
            utcOffset: 7 * 3600)
    }

    static func tag() -> String { SMTPTestServer.tag() }

    @Test(
        "a Vietnamese subject, text, HTML and an attachment arrive byte for byte, over STARTTLS and over TLS",
        arguments: ["SMTP_TEST_STARTTLS_URL", "SMTP_TEST_SMTPS_URL"])
    func byteCorrect(_ url: String) async throws {
        let tag = Self.tag()
        let report = Array(
            String(repeating: "<tr><td>Nguyễn Văn An</td><td>dùng thư công vụ</td></tr>\n", count: 3000).utf8)
        let message = Self.message(
            tag: tag, to: "nguyetnta@namdinh.gov.vn",
            attachments: [
                Relay.Attachment(filename: "báo-cáo-STTTT.html", contentType: "text/html; charset=utf-8", data: report)
            ])
        let session = SMTPSession(server: try Self.server(url: url))
        try await session.send(
            from: "baocao@namdinh.gov.vn", to: ["nguyetnta@namdinh.gov.vn"], message: message.rendered())
        let received = try Self.received(tag: tag)
        let (summary, raw) = try #require(received.first)
        #expect(received.count == 1)
        #expect(try raw == Data(message.rendered()), "the server received exactly the bytes sent")
        #expect(summary.subject == message.subject)
        #expect(summary.fromName == "Trung tâm CNTT tỉnh Nam Định")
        #expect(summary.text?.replacingOccurrences(of: "\r\n", with: "\n") == message.text)
        #expect(summary.html == "<p>Kính gửi chị Nguyệt,</p>")
        #expect(summary.attachments.first?.filename == "báo-cáo-STTTT.html")
        #expect(summary.attachments.first?.size == report.count)
        #expect(summary.attachments.first?.sha256 == SHA256Hex.of(report))
        #expect(summary.tls && summary.user == Self.settings["SMTP_TEST_USER"])
        #expect(summary.mailFrom == "baocao@namdinh.gov.vn" && summary.rcptTos == ["nguyetnta@namdinh.gov.vn"])
        #expect(summary.autoSubmitted == "auto-generated")
        #expect(summary.defects.isEmpty, "\(summary.defects)")
    }

    @Test("TLS is verified: without the test CA the send fails; --insecure passes (and warns)")
    func verifiedTLS() async throws {
        let tag = Self.tag()
        let untrusting = SMTPSession(server: try Self.server(ca: false))
        await #expect {
            try await untrusting.send(
                from: "baocao@namdinh.gov.vn", to: ["a@namdinh.gov.vn"],
                message: Self.message(tag: tag, to: "a@namdinh.gov.vn").rendered())
        } throws: { error in
            (error as? SMTPError)?.code == .tls
        }
        #expect(try Self.received(tag: tag).isEmpty)
        var insecure = try Self.server(ca: false)
        insecure.tls.insecure = true
        try await SMTPSession(server: insecure).send(
            from: "baocao@namdinh.gov.vn", to: ["a@namdinh.gov.vn"],
            message: Self.message(tag: tag, to: "a@namdinh.gov.vn").rendered())
        #expect(try Self.received(tag: tag).count == 1)
    }

    @Test(
        "refusals: a wrong password, a 550, a 451, nobody listening — each its kind, with the server's answer, no secret"
    )
    func refusals() async throws {
        let message = try Self.message(tag: Self.tag(), to: "a@namdinh.gov.vn").rendered()
        let wrong = SMTPSession(server: try Self.server(password: "not-the-password"))
        do {
            try await wrong.send(from: "baocao@namdinh.gov.vn", to: ["a@namdinh.gov.vn"], message: message)
            Issue.record("a wrong password was accepted")
        } catch let error as SMTPError {
            #expect(error.code == .authentication)
            #expect(!error.description.contains("not-the-password"))
            #expect(error.description.contains("535"), "\(error)")
        }
        let session = SMTPSession(server: try Self.server())
        for (recipient, code, reply) in [
            ("reject.x@namdinh.gov.vn", SMTPError.Code.permanent, "550"),
            ("defer.x@namdinh.gov.vn", .temporary, "451"),
        ] {
            do {
                try await session.send(from: "baocao@namdinh.gov.vn", to: [recipient], message: message)
                Issue.record("\(recipient) was accepted")
            } catch let error as SMTPError {
                #expect(error.code == code, "\(error)")
                #expect(error.reply?.hasPrefix(reply) == true, "\(error)")
            }
        }
        var closed = try Self.server()
        closed.url = "smtp://127.0.0.1:9"
        await #expect {
            try await SMTPSession(server: closed).send(
                from: "baocao@namdinh.gov.vn", to: ["a@namdinh.gov.vn"], message: message)
        } throws: { error in
            (error as? SMTPError)?.code == .unavailable
        }
    }

    @Test("many messages over one connection")
    func connectionReuse() throws {
        let tag = Self.tag()
        let session = SMTPSession(server: try Self.server())
        // One after another with no suspension between them (this session is this test's alone):
        // on a loaded run, a task waiting for a thread of the cooperative pool could leave the
        // connection idle longer than libcurl reuses one (118 s), and it would be opened anew.
        for index in 0..<30 {
            try session.sendBlocking(
                from: "baocao@namdinh.gov.vn", to: ["a\(index)@namdinh.gov.vn"],
                message: Self.message(tag: "\(tag)-\(index)", to: "a\(index)@namdinh.gov.vn").rendered())
        }
        #expect(session.connections == 1)
        #expect(try Self.received(tag: tag).count == 30)
    }

    @Test(
        "the sender: a 5xx fails the notice, a 4xx defers it with a backoff, refused credentials stop the run and keep it queued"
    )
    func sender() async throws {
        let tag = Self.tag()
        let outbox = MemoryOutbox()
        let from = "baocao@namdinh.gov.vn"
        for (index, recipient) in [
            "ok1@namdinh.gov.vn", "reject.1@namdinh.gov.vn", "defer.1@namdinh.gov.vn", "ok2@namdinh.gov.vn",
        ].enumerated() {
            let notice = Notice(
                key: "test:\(tag):\(index)", kind: .nudge, recipient: Mailbox(address: recipient),
                message: Self.message(tag: "\(tag)-\(index)", to: recipient))
            #expect(try outbox.enqueue(notice, sender: from, at: 1000))
            #expect(try !outbox.enqueue(notice, sender: from, at: 1000), "a key is queued once")
        }
        let locked = RelaySender(outbox: outbox, transport: SMTPSession(server: try Self.server(password: "wrong")))
        let refused = try await locked.sendDue(now: { 2000 })
        #expect(refused.stopped?.code == .authentication)
        #expect(refused.sent.isEmpty && refused.stillQueued == 4)
        #expect(try outbox.entries(status: .queued).allSatisfy { $0.attempts == 0 })
        let sender = RelaySender(outbox: outbox, transport: SMTPSession(server: try Self.server()), maxAttempts: 3)
        let run = try await sender.sendDue(now: { 3000 })
        #expect(run.sent == ["ok1@namdinh.gov.vn", "ok2@namdinh.gov.vn"])
        #expect(run.failed.map(\.recipient) == ["reject.1@namdinh.gov.vn"])
        #expect(run.deferred.map(\.recipient) == ["defer.1@namdinh.gov.vn"])
        let deferred = try #require(try outbox.entries(status: .queued).first)
        #expect(deferred.nextAttemptAt == 3000 + 300 && deferred.attempts == 1)
        #expect(deferred.lastError?.contains("451") == true)
        // Nothing is due before the backoff; a rerun sends nothing again.
        #expect(try await sender.sendDue(now: { 3100 }).sent.isEmpty)
        _ = try await sender.sendDue(now: { 3000 + 300 })
        let last = try await sender.sendDue(now: { 3000 + 300 + 600 })
        #expect(last.failed.first?.error.contains("gave up after 3 attempts") == true)
        #expect(try Self.received(tag: tag).count == 2)
    }
}

/// An outbox in memory, for the sender's tests (the stores' own are tested on SQLite and PostgreSQL).
///
/// `@unchecked Sendable`: `rows` is read and written only under `lock`.
final class MemoryOutbox: Outbox, @unchecked Sendable {
    var rows: [(entry: OutboxEntry, message: [UInt8])] = []
    let lock = NSLock()

    func enqueue(_ message: OutboxMessage, at time: Int64) throws -> Bool {
        lock.withLock {
            guard !rows.contains(where: { $0.entry.key == message.key }) else { return false }
            let entry = OutboxEntry(
                id: Int64(rows.count + 1), key: message.key, kind: message.kind.rawValue, recipient: message.recipient,
                sender: message.sender, subject: message.subject, status: .queued, attempts: 0, nextAttemptAt: time,
                lastError: nil, createdAt: time, sentAt: nil)
            rows.append((entry, message.bytes))
            return true
        }
    }

    func due(at time: Int64, limit: Int) throws -> [OutboxEntry] {
        lock.withLock {
            Array(rows.map(\.entry).filter { $0.status == .queued && $0.nextAttemptAt <= time }.prefix(limit))
        }
    }

    func message(id: Int64) throws -> [UInt8] { lock.withLock { rows[Int(id) - 1].message } }

    func update(_ id: Int64, _ change: (inout OutboxEntry) -> Void) {
        lock.withLock { change(&rows[Int(id) - 1].entry) }
    }

    func markSent(id: Int64, at time: Int64) throws {
        update(id) {
            $0.status = .sent
            $0.sentAt = time
            $0.attempts += 1
        }
    }

    func markDeferred(id: Int64, error: String, retryAt: Int64, counting: Bool) throws {
        update(id) {
            $0.lastError = error
            $0.nextAttemptAt = retryAt
            if counting { $0.attempts += 1 }
        }
    }

    func markFailed(id: Int64, error: String) throws {
        update(id) {
            $0.status = .failed
            $0.lastError = error
            $0.attempts += 1
        }
    }

    func entries(status: OutboxEntry.Status?) throws -> [OutboxEntry] {
        lock.withLock { rows.map(\.entry).filter { status == nil || $0.status == status } }
    }

    func requeue(keys: [String]?, at time: Int64) throws -> Int { 0 }

    func queuedCount(kind: NoticeKind, since time: Int64) throws -> Int {
        lock.withLock { rows.filter { $0.entry.kind == kind.rawValue && $0.entry.createdAt >= time }.count }
    }
}

/// SHA-256 of bytes, in hex, with `sha256sum` (the server reports its own).
enum SHA256Hex {
    static func of(_ bytes: [UInt8]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(Data(bytes))
        try? input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return String(text.prefix(64))
    }
}
