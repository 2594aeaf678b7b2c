import Basics

/// Why a logged From header gave no name to keep.
public enum HeaderProblem: String, Sendable, Equatable, CaseIterable {
    /// An encoded word (RFC 2047) or bytes that do not decode: an unknown charset, bad base64.
    case undecodable = "undecodable text"
    /// A display name longer than `FromHeader.nameLimit` characters after decoding.
    case tooLong = "display name too long"
    /// No address, or not one that can be read.
    case noAddress = "no address"
    /// Postfix cut the logged header (`%.200s`) before its name or address ended.
    case truncated = "cut short by Postfix"
    /// A name with no letters or digits once folded (only punctuation, or a script folding drops).
    case foldsToNothing = "no letters once folded"
}

/// What cleanup's `info: header From: …` line (from `header_checks` `/^From:/ INFO`) says.
public enum FromHeaderLine: Sendable, Equatable {
    /// The header's address, lower-cased, and its display name, decoded and folded.
    case name(address: String, name: String)
    /// Nothing to keep: a bare address, a name that is an address, or a bounce notification (`from=<>`).
    case noName
    /// The header could not be read; the message itself counts as before.
    case unreadable(HeaderProblem)
}

/// Reads the From header that cleanup logs for each message when the administrator adds
/// `/^From:/ INFO` to `header_checks`:
/// `QUEUEID: info: header From: "Lê Công Quân" <x@gmail.com> from host[ip]; from=<x@gmail.com> to=<…> proto=ESMTP helo=<…>`.
///
/// It understands quoted names (with `\"` escapes), unquoted names, RFC 2047 encoded words
/// (B and Q; UTF-8, US-ASCII, ISO-8859-1, windows-1252 and windows-1258; adjacent words joined,
/// mixed with plain text, even inside quotes as some clients write them), the old form
/// `x@gmail.com (Name)`, raw UTF-8, folded headers (Postfix logs the line break as `?`, rsyslog
/// may write `#012`), and Postfix's cut of the logged header at 200 bytes: an address whose
/// closing `>` was cut is taken from the envelope sender when it begins the same way.
public enum FromHeader {
    /// The longest display name kept, in characters after decoding.
    public static let nameLimit = 128
    /// Postfix logs at most this many bytes of a header (`%.200s` in cleanup).
    static let loggedLimit = 200

    /// What the text after `QUEUEID: ` says, when it is `info: header From: …`; nil for any other line.
    public static func parse(_ rest: ByteView) -> FromHeaderLine? {
        guard rest.matches("info: header "), let valueStart = fromValueStart(rest, at: 13) else { return nil }
        // The tail: ` from CLIENT; from=<SENDER> to=<…> …`; the client (`host[ip]`, `local`) has no space.
        var tail: Range<Int>?
        var search = valueStart
        while let found = rest.firstRange(of: "; from=<", from: search) {
            tail = found
            search = found.upperBound
        }
        var contentEnd = rest.count
        if let tail {
            let close = rest.firstIndex(of: UInt8(ascii: ">"), from: tail.upperBound) ?? rest.count
            // A bounce notification: nobody's name.
            if close == tail.upperBound { return .noName }
            contentEnd = tail.lowerBound
            var index = tail.lowerBound - 7
            while index >= valueStart {
                if rest.matches(" from ", at: index) {
                    contentEnd = index
                    break
                }
                index -= 1
            }
        }
        let envelope = tail.map { tail in
            rest[tail.upperBound..<(rest.firstIndex(of: UInt8(ascii: ">"), from: tail.upperBound) ?? rest.count)]
        }
        let truncated = contentEnd - 13 >= loggedLimit
        return read(
            value: Array(UnsafeBufferPointer(start: rest.base + valueStart, count: contentEnd - valueStart)),
            truncated: truncated, envelope: envelope?.lowercasedString)
    }

    /// The offset after `From:` and its blanks, when the header at `offset` is From (in any case).
    static func fromValueStart(_ rest: ByteView, at offset: Int) -> Int? {
        guard offset + 5 <= rest.count, rest[offset] | 0x20 == UInt8(ascii: "f"),
            rest[offset + 1] | 0x20 == UInt8(ascii: "r"), rest[offset + 2] | 0x20 == UInt8(ascii: "o"),
            rest[offset + 3] | 0x20 == UInt8(ascii: "m")
        else { return nil }
        var index = offset + 4
        while index < rest.count && (rest[index] == 0x20 || rest[index] == 0x09) { index += 1 }
        guard index < rest.count, rest[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        while index < rest.count && (rest[index] == 0x20 || rest[index] == 0x09) { index += 1 }
        return index
    }

    /// Reads a From header's value: `phrase <address>`, `address (comment)` or `address`.
    ///
    /// - Parameters:
    ///   - value: the header's value as logged.
    ///   - truncated: whether Postfix cut the logged header, possibly inside this value.
    ///   - envelope: the envelope sender, lower-cased, to complete an address whose end was cut.
    public static func read(value raw: [UInt8], truncated: Bool, envelope: String?) -> FromHeaderLine {
        let value = unfolded(raw)
        // The first `<` outside quotes and comments starts the address.
        var index = 0
        var quoted = false
        var depth = 0
        var angle: Int?
        var comments: [Range<Int>] = []
        var commentStart = 0
        while index < value.count {
            let byte = value[index]
            if quoted {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "\"") {
                    quoted = false
                }
            } else if depth > 0 {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == UInt8(ascii: "(") {
                    depth += 1
                } else if byte == UInt8(ascii: ")") {
                    depth -= 1
                    if depth == 0 { comments.append(commentStart..<index) }
                }
            } else if byte == UInt8(ascii: "\"") {
                quoted = true
            } else if byte == UInt8(ascii: "(") {
                depth = 1
                commentStart = index + 1
            } else if byte == UInt8(ascii: "<") {
                angle = index
                break
            }
            index += 1
        }
        var address: String
        var phrase: ArraySlice<UInt8>
        if let angle {
            if let close = value[(angle + 1)...].firstIndex(of: UInt8(ascii: ">")) {
                address = lowercased(value[(angle + 1)..<close])
            } else {
                // `>` cut off: the envelope sender is the address when it starts the same way.
                let partial = lowercased(value[(angle + 1)...])
                guard truncated, let envelope, !partial.isEmpty, envelope.hasPrefix(partial) else {
                    return .unreadable(truncated ? .truncated : .noAddress)
                }
                address = envelope
            }
            phrase = value[..<angle]
        } else {
            if depth > 0 || quoted { return .unreadable(truncated ? .truncated : .undecodable) }
            // `address (Name)` or a bare address.
            var end = 0
            while end < value.count && value[end] != 0x20 && value[end] != UInt8(ascii: "(") { end += 1 }
            address = lowercased(value[..<end])
            guard isAddress(address) else { return .unreadable(truncated ? .truncated : .noAddress) }
            guard let comment = comments.first else { return .noName }
            phrase = value[comment]
        }
        guard isAddress(address) else { return .unreadable(.noAddress) }
        guard let name = decodePhrase(phrase) else { return .unreadable(.undecodable) }
        guard !name.isEmpty, !name.contains("@") else { return .noName }
        guard name.count <= nameLimit else { return .unreadable(.tooLong) }
        // Postfix logs each byte of UTF-8 as `?` when smtputf8_enable = no: kept for comparison.
        let folded = NameFolding.fold(name, keeping: name.contains("?") ? ["?"] : [])
        guard !folded.isEmpty else { return .unreadable(.foldsToNothing) }
        return .name(address: address, name: folded)
    }

    /// Line breaks of a folded header, as Postfix (`?`) or rsyslog (`#012`, `#011`, `#015`)
    /// logged them, and tabs, as spaces.
    static func unfolded(_ raw: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            // A `?` where Postfix logged a line break follows an encoded word, a quote or an
            // angle bracket; one after a letter or another `?` is a byte of UTF-8 it could not log.
            if byte == UInt8(ascii: "?"), index + 1 < raw.count, raw[index + 1] == 0x20 || raw[index + 1] == 0x09,
                index == 0
                    || [UInt8(ascii: "="), UInt8(ascii: "\""), UInt8(ascii: ">"), UInt8(ascii: ")"), 0x20]
                        .contains(raw[index - 1])
            {
                result.append(0x20)
            } else if byte == UInt8(ascii: "#"), index + 3 < raw.count, raw[index + 1] == UInt8(ascii: "0"),
                raw[index + 2] == UInt8(ascii: "1"),
                raw[index + 3] == UInt8(ascii: "1") || raw[index + 3] == UInt8(ascii: "2")
                    || raw[index + 3] == UInt8(ascii: "5")
            {
                result.append(0x20)
                index += 3
            } else if byte < 0x20 {
                result.append(0x20)
            } else {
                result.append(byte)
            }
            index += 1
        }
        return result
    }

    static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        var trimmed = bytes
        while let first = trimmed.first, first == 0x20 { trimmed = trimmed.dropFirst() }
        while let last = trimmed.last, last == 0x20 { trimmed = trimmed.dropLast() }
        return String(decoding: trimmed.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    /// `local@domain`, without blanks, quotes or angle brackets.
    static func isAddress(_ text: String) -> Bool {
        guard let at = text.lastIndex(of: "@"), at != text.startIndex, text.index(after: at) != text.endIndex
        else { return false }
        return !text.contains { $0 == " " || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "(" || $0 == ")" }
    }

    /// A display name: quoted strings unquoted, encoded words decoded, blanks between encoded
    /// words dropped, other runs of blanks made one space, comments left out; nil when some of
    /// it does not decode.
    static func decodePhrase(_ phrase: ArraySlice<UInt8>) -> String? {
        var result = ""
        var literal: [UInt8] = []
        var blank = false
        var lastWasEncoded = false
        func flush() -> Bool {
            guard !literal.isEmpty else { return true }
            guard let text = String(validating: literal, as: UTF8.self) else { return false }
            result += text
            literal.removeAll(keepingCapacity: true)
            return true
        }
        var index = phrase.startIndex
        var quoted = false
        var depth = 0
        while index < phrase.endIndex {
            let byte = phrase[index]
            if depth > 0 {
                if byte == UInt8(ascii: "\\") { index += 1 }
                if byte == UInt8(ascii: "(") { depth += 1 }
                if byte == UInt8(ascii: ")") { depth -= 1 }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\"") {
                quoted.toggle()
                index += 1
                continue
            }
            if !quoted && byte == UInt8(ascii: "(") {
                depth = 1
                index += 1
                continue
            }
            if byte == 0x20 {
                blank = true
                index += 1
                continue
            }
            if byte == UInt8(ascii: "="), index + 1 < phrase.endIndex, phrase[index + 1] == UInt8(ascii: "?") {
                guard let (text, end) = encodedWord(phrase, at: index), flush() else { return nil }
                if blank && !lastWasEncoded && !result.isEmpty { result += " " }
                result += text
                blank = false
                lastWasEncoded = true
                index = end
                continue
            }
            if blank {
                if !literal.isEmpty || !result.isEmpty { literal.append(0x20) }
                blank = false
            }
            if quoted && byte == UInt8(ascii: "\\") && index + 1 < phrase.endIndex {
                index += 1
            }
            literal.append(phrase[index])
            lastWasEncoded = false
            index += 1
        }
        guard flush() else { return nil }
        return result
    }

    /// `=?charset?B|Q?text?=` at `start`: its text and the offset after it; nil when it is
    /// malformed, cut short, or in a charset or encoding not known.
    static func encodedWord(_ bytes: ArraySlice<UInt8>, at start: Int) -> (String, Int)? {
        var index = start + 2
        let charsetStart = index
        while index < bytes.endIndex && bytes[index] != UInt8(ascii: "?") { index += 1 }
        guard index + 2 < bytes.endIndex, bytes[index + 2] == UInt8(ascii: "?") else { return nil }
        var charset = String(decoding: bytes[charsetStart..<index], as: UTF8.self).lowercased()
        if let star = charset.firstIndex(of: "*") { charset = String(charset[..<star]) }  // RFC 2231 language
        let encoding = bytes[index + 1] | 0x20
        let textStart = index + 3
        index = textStart
        while index + 1 < bytes.endIndex
            && !(bytes[index] == UInt8(ascii: "?") && bytes[index + 1] == UInt8(ascii: "="))
        {
            guard bytes[index] != 0x20 else { return nil }
            index += 1
        }
        guard index + 1 < bytes.endIndex else { return nil }
        let text = bytes[textStart..<index]
        let decoded: [UInt8]?
        switch encoding {
        case UInt8(ascii: "b"): decoded = base64(text)
        case UInt8(ascii: "q"): decoded = quotedPrintable(text)
        default: decoded = nil
        }
        guard let decoded, let string = Charsets.decode(decoded, charset: charset) else { return nil }
        return (string, index + 2)
    }

    static func base64(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    static func quotedPrintable(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        var output: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte == UInt8(ascii: "_") {
                output.append(0x20)
            } else if byte == UInt8(ascii: "=") {
                guard index + 2 < text.endIndex, let high = hex(text[index + 1]), let low = hex(text[index + 2]) else {
                    return nil
                }
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        return output
    }

    static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }
}

/// The charsets From headers are found encoded in, decoded without Foundation.
enum Charsets {
    /// `bytes` in `charset` (lower case), or nil when the charset is unknown or the bytes are not valid in it.
    static func decode(_ bytes: [UInt8], charset: String) -> String? {
        switch charset {
        case "utf-8", "utf8":
            return String(validating: bytes, as: UTF8.self)
        case "us-ascii", "ascii":
            return bytes.allSatisfy { $0 < 0x80 } ? String(decoding: bytes, as: UTF8.self) : nil
        case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1":
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        case "windows-1252", "cp1252":
            return singleByte(bytes, high: windows1252)
        case "windows-1258", "cp1258":
            return singleByte(bytes, high: windows1258)
        default:
            return nil
        }
    }

    /// A single-byte charset: ASCII below 0x80, `high` (128 scalars, 0 where undefined) above.
    static func singleByte(_ bytes: [UInt8], high: [UInt32]) -> String? {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            if byte < 0x80 {
                scalars.append(Unicode.Scalar(byte))
            } else {
                guard let scalar = Unicode.Scalar(high[Int(byte) - 0x80]), scalar.value != 0 else { return nil }
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// windows-1252 from 0x80: its own 0x80–0x9F, then ISO-8859-1.
    static let windows1252: [UInt32] =
        [
            0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
            0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
            0x0153, 0, 0x017E, 0x0178,
        ] + (0xA0...0xFF).map { UInt32($0) }

    /// windows-1258 (Vietnamese): like windows-1252, with Ă Đ Ơ Ư ă đ ơ ư ₫ and combining tones.
    static let windows1258: [UInt32] = {
        var table = windows1252
        for (byte, scalar): (Int, UInt32) in [
            (0x8A, 0), (0x8E, 0), (0x9A, 0), (0x9E, 0), (0xC3, 0x0102), (0xCC, 0x0300), (0xD0, 0x0110),
            (0xD2, 0x0309), (0xD5, 0x01A0), (0xDD, 0x01AF), (0xDE, 0x0303), (0xE3, 0x0103), (0xEC, 0x0301),
            (0xF0, 0x0111), (0xF2, 0x0323), (0xF5, 0x01A1), (0xFD, 0x01B0), (0xFE, 0x20AB),
        ] {
            table[byte - 0x80] = scalar
        }
        return table
    }()
}
