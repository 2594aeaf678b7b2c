import Basics
import Foundation

/// The encodings of Internet mail that `MailMessage` needs: RFC 2047 encoded words for
/// non-ASCII headers, RFC 2231 file names, base64 bodies, RFC 5322 dates, folded lines.
enum MIME {
    /// `text` for a header: as it is when it is plain ASCII, else UTF-8 encoded words (base64),
    /// each within 75 characters and never splitting a character, folded onto new lines.
    static func encodedWords(_ text: String) -> String {
        let printable = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        if printable && !text.contains("=?") { return text }
        var words: [String] = []
        var chunk: [UInt8] = []
        // 39 bytes make 52 base64 characters: with `=?UTF-8?B?` and `?=`, 64, room for `Subject: `.
        for character in text {
            let bytes = Array(String(character).utf8)
            if chunk.count + bytes.count > 39 && !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Data(chunk).base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `Nguyễn Văn An <annv@…>`, the name encoded or quoted as need be.
    static func mailbox(_ mailbox: Mailbox) -> String {
        guard let name = mailbox.name else { return mailbox.address }
        let ascii = name.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value < 0x7F }
        let display: String
        if !ascii || name.contains("=?") {
            display = encodedWords(name)
        } else if name.contains(where: { "()<>[]:;@\\,.\"".contains($0) }) {
            display =
                "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        } else {
            display = name
        }
        return "\(display) <\(mailbox.address)>"
    }

    /// A header line cut into lines of at most 78 characters where it may be cut: at the
    /// encoded words' own breaks, after the commas of an address list, at spaces.
    static func fold(_ line: String) -> [String] {
        var result: [String] = []
        for piece in line.components(separatedBy: "\r\n") {
            var rest = piece
            while rest.count > 78 {
                let limit = rest.index(rest.startIndex, offsetBy: 78)
                guard let space = rest[..<limit].lastIndex(of: " "), space > rest.index(after: rest.startIndex)
                else { break }
                result.append(String(rest[..<space]))
                rest = String(rest[space...])
            }
            result.append(rest)
        }
        return result
    }

    /// RFC 5322: `Tue, 01 Dec 2026 02:00:03 +0700`.
    static func date(_ utc: Int64, utcOffset: Int) -> String {
        let days = CivilTime.day(of: utc, offsetSeconds: utcOffset)
        let date = CivilTime.date(days: days)
        let second = Int(utc + Int64(utcOffset) - Int64(days) * 86_400)
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((days % 7) + 7) % 7]
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][date.month - 1]
        let sign = utcOffset < 0 ? "-" : "+"
        let offset = abs(utcOffset) / 60
        return String(
            format: "%@, %02d %@ %04d %02d:%02d:%02d %@%02d%02d", weekday, date.day, month, date.year, second / 3600,
            second / 60 % 60, second % 60, sign, offset / 60, offset % 60)
    }

    /// A boundary no base64 line or header can hold (`=_` never appears in base64), the same
    /// for the same message.
    static func boundary(for messageID: String) -> String {
        var hash: UInt64 = 14_695_981_039_346_656_037
        for byte in messageID.utf8 { hash = (hash ^ UInt64(byte)) &* 1_099_511_628_211 }
        return "=_mailcensus_" + String(hash, radix: 16)
    }

    /// `bytes` in base64, lines of 76 characters.
    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Data(bytes).base64EncodedString()
        var lines: [String] = []
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// A text part: its headers, a blank line, its body (UTF-8, CRLF line ends, base64).
    static func textPart(type: String, _ content: String) -> [String] {
        let normalised = content.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(
            of: "\n", with: "\r\n")
        return ["Content-Type: \(type); charset=utf-8", "Content-Transfer-Encoding: base64", ""]
            + base64Lines(Array(normalised.utf8))
    }

    /// An attachment part: its name in RFC 2231 form (and plain ASCII for old readers).
    static func attachmentPart(_ attachment: Attachment) -> [String] {
        let ascii = String(
            attachment.filename.unicodeScalars.map { scalar in
                scalar.isASCII && scalar.value >= 0x20 && !"\"\\".unicodeScalars.contains(scalar)
                    ? Character(scalar) : "_"
            })
        let allowed = CharacterSet.alphanumerics.intersection(
            CharacterSet(charactersIn: Unicode.Scalar(0)..<Unicode.Scalar(0x80))
        )
        .union(CharacterSet(charactersIn: "-._~"))
        let encoded = attachment.filename.addingPercentEncoding(withAllowedCharacters: allowed) ?? ascii
        // A plain ASCII name as it is; any other as RFC 2231 (`filename*`), and as an encoded
        // word in `name` for older readers.
        let isPlain = ascii == attachment.filename
        return [
            "Content-Type: \(attachment.contentType);",
            " name=\"\(isPlain ? ascii : encodedWords(attachment.filename))\"",
            "Content-Disposition: attachment;",
            isPlain ? " filename=\"\(ascii)\"" : " filename*=UTF-8''\(encoded)",
            "Content-Transfer-Encoding: base64", "",
        ] + base64Lines(attachment.data)
    }
}
