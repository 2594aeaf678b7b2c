import Census
import Curl
import Foundation
import Relay
import Testing

/// Whatever a value's origin (a roster, a policy, a store), no CR, LF or NUL reaches a header
/// line or an SMTP command of its own.
@Suite("Header and SMTP command injection refused")
struct HeaderInjectionTests {
    static let injected = "x>\r\nBcc:evil@attacker.example\r\nX:<y@namdinh.gov.vn"

    static func message(
        from: Mailbox = Mailbox(name: "Trung tâm CNTT", address: "baocao@namdinh.gov.vn"),
        to: Mailbox = Mailbox(address: "annv@namdinh.gov.vn"), replyTo: Mailbox? = nil,
        messageID: String = "<mailcensus.test@namdinh.gov.vn>", unsubscribe: String? = nil
    ) -> MailMessage {
        MailMessage(
            from: from, to: [to], replyTo: replyTo, subject: "Báo cáo", text: "Kính gửi anh An,",
            messageID: messageID, date: 1_796_083_200, utcOffset: 7 * 3600, listUnsubscribe: unsubscribe)
    }

    @Test(
        "a CR, LF or NUL in an address or a raw header value stops the message, with a clear error",
        arguments: [
            message(to: Mailbox(address: injected)),
            message(to: Mailbox(name: "An", address: "annv@namdinh.gov.vn\r\nBcc:evil@attacker.example")),
            message(from: Mailbox(address: "baocao@namdinh.gov.vn\0")),
            message(replyTo: Mailbox(address: "a\nb@namdinh.gov.vn")),
            message(messageID: "<id@namdinh.gov.vn>\r\nBcc: evil@attacker.example"),
            message(unsubscribe: "mailto:a@namdinh.gov.vn>\r\nBcc: evil@attacker.example\r\nX: <y"),
            message(unsubscribe: "mailto:a@namdinh.gov.vn\nBcc: evil@attacker.example"),
            message(messageID: "<id@namdinh.gov.vn>\0"),
        ])
    func refused(_ message: MailMessage) throws {
        let error = try #require(throws: RelayError.self) { try message.rendered() }
        #expect(error.code == .unsafeMessage)
        #expect(!error.description.contains("\r") && !error.description.contains("\n"))
        #expect(
            error.description.contains("\\r") || error.description.contains("\\n") || error.description.contains("\\0"))
    }

    @Test("a display name with CR LF is encoded, never a header of its own")
    func names() throws {
        let message = Self.message(to: Mailbox(name: "Trần Long\r\nBcc: evil@attacker.example", address: "a@b.vn"))
        let text = String(decoding: try message.rendered(), as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0]
        #expect(!head.contains("Bcc"))
        for line in head.components(separatedBy: "\r\n").dropFirst() {
            #expect(line.first == " " || line.contains(":"), "\(line)")
        }
    }

    @Test("the SMTP client refuses a CR, LF, NUL, < or > in the envelope before connecting")
    func envelope() async throws {
        // Port 1 on loopback: were the envelope not checked first, the error would be "unavailable".
        let session = SMTPSession(
            server: SMTPServer(url: "smtp://127.0.0.1:1", allowPlaintext: true, connectTimeout: 2))
        for (from, to) in [
            ("baocao@namdinh.gov.vn", Self.injected), ("baocao@namdinh.gov.vn", "a@b.vn\r\nRCPT TO:<evil@x.example>"),
            ("baocao@namdinh.gov.vn\r\nRCPT TO:<evil@x.example>", "a@b.vn"), ("baocao@namdinh.gov.vn", "a\0@b.vn"),
            ("baocao@namdinh.gov.vn", "a@b.vn> NOTIFY=NEVER"), ("baocao@namdinh.gov.vn", ""),
        ] {
            await #expect {
                try await session.send(from: from, to: [to], message: Array("Subject: x\r\n\r\nx\r\n".utf8))
            } throws: { error in
                guard let error = error as? SMTPError else { return false }
                return error.code == .unsafeAddress && !error.description.contains("\r")
                    && !error.description.contains("\n") && !error.isTransient
            }
        }
        #expect(session.connections == 0)
    }

    /// Sends through a real SMTP client's envelope check, and keeps what passes it.
    ///
    /// `@unchecked Sendable`: one relay run uses it, and sends one message after another
    /// (each `send` awaited before the next), so `sent` is never written by two at once.
    final class CheckingTransport: MailTransport, @unchecked Sendable {
        let session = SMTPSession(server: SMTPServer(url: "smtp://127.0.0.1:1", allowPlaintext: true))
        var sent: [String] = []

        func send(from: String, to recipients: [String], message: [UInt8]) async throws {
            if recipients.allSatisfy({ !$0.contains("\r") && !$0.contains("\n") }) {
                sent += recipients
                return
            }
            try await session.send(from: from, to: recipients, message: message)
        }
    }

    @Test("an outbox entry with a CR LF recipient fails alone; the run goes on")
    func outboxEntry() async throws {
        let outbox = MemoryOutbox()
        for (index, address) in ["a@namdinh.gov.vn", "b@namdinh.gov.vn"].enumerated() {
            let notice = Notice(
                key: "n\(index)", kind: .nudge, recipient: Mailbox(address: address),
                message: Self.message(to: Mailbox(address: address)))
            #expect(try outbox.enqueue(notice, sender: "baocao@namdinh.gov.vn", at: 1000))
        }
        // As a store written before the checks could hold it.
        outbox.update(1) { $0.recipient = Self.injected }
        let transport = CheckingTransport()
        let run = try await RelaySender(outbox: outbox, transport: transport).sendDue(now: { 2000 })
        #expect(run.stopped == nil)
        #expect(run.failed.map(\.key) == ["n0"])
        #expect(run.failed.first?.error.contains("holds a CR, LF, NUL, < or >") == true)
        #expect(run.sent == ["b@namdinh.gov.vn"] && transport.sent == ["b@namdinh.gov.vn"])
    }
}
