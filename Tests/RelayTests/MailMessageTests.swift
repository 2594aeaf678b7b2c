import Foundation
import Relay
import TestSupport
import Testing

@Suite("Mail messages: MIME, encoded headers, attachments")
struct MailMessageTests {
    static let subject = "Báo cáo sử dụng thư điện tử công vụ 01/11/2026 – 30/11/2026 — Sở Thông tin và Truyền thông"

    static func message(attachments: [Relay.Attachment] = []) -> MailMessage {
        MailMessage(
            from: Mailbox(name: "Trung tâm CNTT tỉnh Nam Định", address: "baocao@namdinh.gov.vn"),
            to: [Mailbox(name: "Nguyễn Thị Ánh Nguyệt", address: "nguyetnta@namdinh.gov.vn")],
            subject: subject, text: "Kính gửi chị Nguyệt,\n\nđây là báo cáo.\n.\nMột dòng chỉ có dấu chấm ở trên.",
            html: "<p>Kính gửi chị Nguyệt,</p>", attachments: attachments,
            messageID: "<mailcensus.test@namdinh.gov.vn>", date: 1_796_083_200, utcOffset: 7 * 3600,
            listUnsubscribe: "mailto:baocao@namdinh.gov.vn?subject=stop")
    }

    /// Header lines of a rendered message, unfolded.
    static func headers(_ bytes: [UInt8]) -> [String: String] {
        let text = String(decoding: bytes, as: UTF8.self)
        let head = text.components(separatedBy: "\r\n\r\n")[0].replacingOccurrences(of: "\r\n ", with: " ")
        var result: [String: String] = [:]
        for line in head.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    /// Decodes RFC 2047 B-encoded words, as a mail reader does.
    static func decodeWords(_ value: String) -> String {
        value.split(separator: " ").map { word -> String in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
                let data = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
            else { return String(word) }
            return String(decoding: data, as: UTF8.self)
        }.joined()
    }

    @Test("headers: Vietnamese encoded and intact once decoded, every line within 78 characters, CRLF only")
    func headers() throws {
        let bytes = try Self.message().rendered()
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "the message is 7-bit")
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.count <= 78, "\(line)")
            #expect(!line.contains("\n") && !line.contains("\r"))
        }
        let headers = Self.headers(bytes)
        #expect(Self.decodeWords(try #require(headers["Subject"])) == Self.subject)
        #expect(Self.decodeWords(try #require(headers["From"])).hasPrefix("Trung tâm CNTT tỉnh Nam Định"))
        #expect(headers["Date"] == "Tue, 01 Dec 2026 07:00:00 +0700")
        #expect(headers["Message-ID"] == "<mailcensus.test@namdinh.gov.vn>")
        #expect(headers["Auto-Submitted"] == "auto-generated")
        #expect(headers["List-Unsubscribe"] == "<mailto:baocao@namdinh.gov.vn?subject=stop>")
        #expect(headers["MIME-Version"] == "1.0")
        #expect(headers["Content-Type"]?.hasPrefix("multipart/alternative") == true)
    }

    @Test("an attachment travels in base64 and decodes to the same bytes; its name in RFC 2231 form")
    func attachment() throws {
        let data = (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let message = Self.message(attachments: [
            Relay.Attachment(filename: "báo-cáo STTTT.html", contentType: "text/html; charset=utf-8", data: data)
        ])
        let text = String(decoding: try message.rendered(), as: UTF8.self)
        #expect(try Self.headers(message.rendered())["Content-Type"]?.hasPrefix("multipart/mixed") == true)
        #expect(text.contains("filename*=UTF-8''b%C3%A1o-c%C3%A1o%20STTTT.html"))
        let parts = text.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n")
        let encoded = try #require(parts.last).components(separatedBy: "\r\n--")[0].replacingOccurrences(
            of: "\r\n", with: "")
        #expect(Data(base64Encoded: encoded).map(Array.init) == data)
    }

    @Test("addresses with display names parse; bad ones do not")
    func mailboxes() {
        #expect(
            Mailbox(parsing: "Trung tâm CNTT <baocao@namdinh.gov.vn>")
                == Mailbox(name: "Trung tâm CNTT", address: "baocao@namdinh.gov.vn"))
        #expect(Mailbox(parsing: "\"Nam, Định\" <a@b.vn>")?.name == "Nam, Định")
        #expect(Mailbox(parsing: "a@b.vn")?.address == "a@b.vn")
        #expect(Mailbox(parsing: "not an address") == nil)
        #expect(Mailbox(parsing: "x <a@b.vn\r\nBcc: evil@x.com>") == nil)
    }

    @Test("templates: placeholders filled, a subject stays one line, an unknown placeholder named with its line")
    func templates() throws {
        let template = try NoticeTemplate.parse(
            "Subject: Hộp thư của {{name}}\n\nKính gửi {{name}},\nđịa chỉ: {{address}}\n", kind: .welcome,
            location: "t.txt")
        let filled = template.render(["name": "An\r\nBcc: x@y.z", "address": "annv@namdinh.gov.vn"])
        #expect(filled.subject == "Hộp thư của An  Bcc: x@y.z")
        #expect(filled.body.contains("địa chỉ: annv@namdinh.gov.vn"))
        #expect(throws: RelayError.self) {
            try NoticeTemplate.parse("Subject: x\n\n{{nme}}\n", kind: .welcome, location: "t.txt")
        }
        let password = try #require(throws: RelayError.self) {
            try NoticeTemplate.parse("Subject: x\n\nline\n{{password}}\n", kind: .welcome, location: "t.txt")
        }
        #expect(password.subject == "t.txt:4", "a welcome never carries the password; the line is named")
        for kind in NoticeKind.allCases {
            for language in ["vi", "en"] {
                let folder = TestServers.root.appendingPathComponent("Policies/templates").path
                _ = try NoticeTemplate.load(folder: folder, kind: kind, language: language)
            }
        }
    }
}
