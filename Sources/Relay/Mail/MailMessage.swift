import Census
import Foundation

/// A mail address with an optional display name: `Nguyễn Văn An <annv@namdinh.gov.vn>`.
public struct Mailbox: Sendable, Equatable {
    public var name: String?
    public var address: String

    public init(name: String? = nil, address: String) {
        self.name = name?.isEmpty == true ? nil : name
        self.address = address
    }

    /// Parses `Name <address>` or a bare `address`.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if name.hasPrefix("\"") && name.hasSuffix("\"") && name.count >= 2 {
                name = String(name.dropFirst().dropLast())
            }
            self.init(name: name, address: address)
        } else {
            self.init(address: trimmed)
        }
        guard Mailbox.isAddress(address) else { return nil }
    }

    /// An address as the roster takes them (`MailAddress.isValid`), with nothing that could
    /// break a header or an SMTP command.
    static func isAddress(_ text: String) -> Bool {
        MailAddress.isValid(text)
    }
}

/// A file sent with a message.
public struct Attachment: Sendable, Equatable {
    public var filename: String
    public var contentType: String
    public var data: [UInt8]

    public init(filename: String, contentType: String, data: [UInt8]) {
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }
}

/// A message as mailcensus sends it: UTF-8 headers encoded (RFC 2047) so that Vietnamese
/// subjects and names arrive intact, text with an HTML alternative, attachments, and the
/// headers an automatic sender owes (`Message-ID`, `Date`, `Auto-Submitted`,
/// `List-Unsubscribe` for nudges).
public struct MailMessage: Sendable, Equatable {
    public var from: Mailbox
    public var to: [Mailbox]
    public var replyTo: Mailbox?
    public var subject: String
    public var text: String
    public var html: String?
    public var attachments: [Attachment]
    /// `<id@domain>`.
    public var messageID: String
    /// UTC seconds, shown at `utcOffset` (seconds).
    public var date: Int64
    public var utcOffset: Int
    /// A `mailto:` (or `https:`) address to stop receiving such messages.
    public var listUnsubscribe: String?

    public init(
        from: Mailbox, to: [Mailbox], replyTo: Mailbox? = nil, subject: String, text: String, html: String? = nil,
        attachments: [Attachment] = [], messageID: String, date: Int64, utcOffset: Int, listUnsubscribe: String? = nil
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.attachments = attachments
        self.messageID = messageID
        self.date = date
        self.utcOffset = utcOffset
        self.listUnsubscribe = listUnsubscribe
    }

    /// A new `Message-ID` in `domain`, unique (random).
    public static func makeMessageID(domain: String) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<4).map { _ in String(generator.next() as UInt32, radix: 36) }.joined(separator: ".")
        return "<mailcensus.\(random)@\(domain)>"
    }

    /// The message as it goes over SMTP: headers and MIME body, CRLF line ends, no line over
    /// 78 characters but in headers that cannot be folded.
    ///
    /// - Throws: `RelayError` (`.unsafeMessage`) when an address is not a plain mail address
    ///   or a header would hold a CR, LF or NUL of its own (which would add a header, a `Bcc:`),
    ///   wherever the value came from.
    public func rendered() throws(RelayError) -> [UInt8] {
        let mailboxes = [("From", from)] + to.map { ("To", $0) } + (replyTo.map { [("Reply-To", $0)] } ?? [])
        for (name, mailbox) in mailboxes {
            guard Mailbox.isAddress(mailbox.address) else {
                throw RelayError(
                    .unsafeMessage, subject: "header \(name)",
                    "\"\(ErrorText.oneLine(mailbox.address))\" is not a plain mail address (name@domain); "
                        + "the message is not sent")
            }
        }
        var lines: [String] = []
        var unsafe: String?
        func header(_ name: String, _ value: String) {
            let folded = MIME.fold("\(name): \(value)")
            // Only the folds made here break a header: a CR, LF or NUL left in a line, or a
            // line that does not start with white space, came from the value itself.
            let broken = folded.enumerated().contains { index, line in
                line.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\0" }
                    || (index > 0 && !(line.hasPrefix(" ") || line.hasPrefix("\t")))
            }
            if broken && unsafe == nil { unsafe = "header \(name): \"\(ErrorText.oneLine(value))\"" }
            lines.append(contentsOf: folded)
        }
        header("From", MIME.mailbox(from))
        header("To", to.map(MIME.mailbox).joined(separator: ", "))
        if let replyTo { header("Reply-To", MIME.mailbox(replyTo)) }
        header("Subject", MIME.encodedWords(subject))
        header("Date", MIME.date(date, utcOffset: utcOffset))
        header("Message-ID", messageID)
        header("MIME-Version", "1.0")
        header("Auto-Submitted", "auto-generated")
        header("X-Auto-Response-Suppress", "All")
        if let listUnsubscribe { header("List-Unsubscribe", "<\(listUnsubscribe)>") }
        if let unsafe {
            throw RelayError(
                .unsafeMessage, subject: unsafe, "holds a CR, LF or NUL, which would add lines to the message; not sent"
            )
        }
        let boundary = MIME.boundary(for: messageID)
        var body: [String] = []
        let alternative: (headers: [String], body: [String])
        if let html {
            let inner = boundary + ".alt"
            var parts: [String] = []
            for (type, content) in [("text/plain", text), ("text/html", html)] {
                parts += ["--\(inner)"] + MIME.textPart(type: type, content) + [""]
            }
            alternative = (
                ["Content-Type: multipart/alternative;", " boundary=\"\(inner)\""], parts + ["--\(inner)--"]
            )
        } else {
            let part = MIME.textPart(type: "text/plain", text)
            let split = part.firstIndex(of: "") ?? part.count
            alternative = (Array(part[..<split]), Array(part[split...].dropFirst()))
        }
        if attachments.isEmpty {
            lines += alternative.headers
            body = alternative.body
        } else {
            lines += ["Content-Type: multipart/mixed;", " boundary=\"\(boundary)\""]
            body =
                ["This is a multi-part message in MIME format.", "", "--\(boundary)"] + alternative.headers + [""]
                + alternative.body + [""]
            for attachment in attachments {
                body += ["--\(boundary)"] + MIME.attachmentPart(attachment) + [""]
            }
            body.append("--\(boundary)--")
        }
        let text = (lines + [""] + body).joined(separator: "\r\n") + "\r\n"
        return Array(text.utf8)
    }
}
