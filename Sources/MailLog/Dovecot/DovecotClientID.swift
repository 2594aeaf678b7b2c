/// A mail client as it named itself in IMAP's `ID` command (RFC 2971), as Dovecot logged it.
///
/// Every value is bounded (`DovecotClientID.maximumValueLength` characters) and valid UTF-8:
/// whatever a client sent, what is kept is a short, printable text.
public struct ClientIdentity: Sendable, Equatable, Hashable {
    /// `name`: the client (`Thunderbird`, `iPhone Mail`, `com.google.android.gm`); nil when the
    /// ID had none, or an empty one.
    public var name: String?
    /// `version`.
    public var version: String?
    /// `os` (`iOS`, `android`, `Mac OS X`).
    public var os: String?
    /// `os-version`.
    public var osVersion: String?
    /// `vendor`.
    public var vendor: String?
    /// Whether a value was cut: by Dovecot (which ends a long value with `...`) or here.
    public var truncated: Bool
    /// Whether the logged text held bytes that are not UTF-8 (replaced by U+FFFD here) or
    /// control characters (replaced by `?`).
    public var repaired: Bool

    public init(
        name: String? = nil, version: String? = nil, os: String? = nil, osVersion: String? = nil,
        vendor: String? = nil, truncated: Bool = false, repaired: Bool = false
    ) {
        self.name = name
        self.version = version
        self.os = os
        self.osVersion = osVersion
        self.vendor = vendor
        self.truncated = truncated
        self.repaired = repaired
    }
}

/// What a Dovecot `ID sent:` line says.
public enum DovecotIDLine: Sendable, Equatable {
    /// Sent after the login, logged by the user's `imap` process:
    /// `imap(annv@…)<4242><jBCG09+1huxPakVq>: ID sent: name=Thunderbird, version=128.5.1`.
    /// `session` ties it to the `Login:` line with the same `session=<…>`.
    case afterLogin(user: String, session: String?, identity: ClientIdentity)
    /// Sent before the login, logged by `imap-login` with the login fields after it:
    /// `imap-login: ID sent: name=Mac OS X Mail, …: user=<>, rip=…, lip=…, session=<…>`.
    /// The `Login:` line that follows has the same `session`.
    case beforeLogin(session: String?, remoteIP: String?, identity: ClientIdentity)
    /// `ID sent:` with nothing Dovecot could log (the client sent `ID NIL` or no field the
    /// `imap_id_log` setting names): there is no identity, but the client did send `ID`.
    case empty(session: String?)
}

/// Reads Dovecot 2.3's `imap_id_log` lines: `ID sent: key=value, key=value`.
///
/// Dovecot logs the fields the setting names (`*`: all) in the order the client sent them, a
/// long value cut to 77 characters and `...`, control characters and bytes that are not UTF-8
/// as `?` (seen in the clients capture); values are not quoted, so a value may itself hold `, `
/// or `"`. A separator is a `, ` followed by a
/// key (letters, digits, `-`, `_`, `.`, at most 64) and `=`.
public enum DovecotClientID {
    /// The longest value kept, in characters; longer ones are cut and marked `truncated`.
    public static let maximumValueLength = 200
    /// The most bytes of a line's ID fields read; the rest is ignored and marked `truncated`.
    public static let maximumFieldsLength = 8192

    /// What the line says, or nil when it is not an `ID sent:` line of IMAP.
    ///
    /// - Parameters:
    ///   - program: the syslog program (`dovecot`, or `imap-login`/`imap` in Dovecot's own log file).
    ///   - body: the text after it.
    public static func parse(program: ByteView, body: ByteView) -> DovecotIDLine? {
        guard let marker = body.firstRange(of: "ID sent: ", from: 0), marker.lowerBound < 512 else { return nil }
        var head = body[0..<marker.lowerBound]
        // Dovecot's own log file puts a level before the text.
        if head.count >= 6, head.matches("Info: ", at: head.count - 6) { head = head[0..<(head.count - 6)] }
        let fieldsStart = marker.upperBound
        // After the login: `imap(U)<pid><session>: ` heads the body (syslog), or is the program.
        let process: ByteView? =
            head.isEmpty
            ? (program.matches("imap(") ? program : nil)
            : (head.matches("imap(") && head.count > 2 && head.matches(": ", at: head.count - 2)
                ? head[0..<(head.count - 2)] : nil)
        if let process {
            guard let user = imapUser(process) else { return nil }
            let (identity, hasField) = identity(body[fieldsStart..<body.count])
            guard hasField else { return .empty(session: user.session) }
            return .afterLogin(user: user.name, session: user.session, identity: identity)
        }
        guard
            (head.isEmpty && program.matches("imap-login") && program.count == 10)
                || (head.count == 12 && head.matches("imap-login: "))
        else {
            return nil
        }
        // `ID sent: FIELDS: user=<…>, rip=…, session=<…>`: the login fields follow the last `: user=<`.
        var fieldsEnd = body.count
        var search = fieldsStart
        while let found = body.firstRange(of: ": user=<", from: search) {
            fieldsEnd = found.lowerBound
            search = found.upperBound
        }
        let tail = body[fieldsEnd..<body.count]
        let session = DovecotLoginDetails.value(of: "session=<", in: tail, closing: UInt8(ascii: ">"))
        let remoteIP = DovecotLoginDetails.value(of: "rip=", in: tail, closing: UInt8(ascii: ","))
        let (identity, hasField) = identity(body[fieldsStart..<fieldsEnd])
        guard hasField else { return .empty(session: session) }
        return .beforeLogin(session: session, remoteIP: remoteIP, identity: identity)
    }

    /// The identity in `name=…, version=…` text, and whether it held any field.
    public static func identity(_ fields: ByteView) -> (ClientIdentity, Bool) {
        var result = ClientIdentity()
        var cut = false
        var text = fields
        if text.count > maximumFieldsLength {
            text = text[0..<maximumFieldsLength]
            cut = true
        }
        var any = false
        var start = 0
        while start < text.count {
            guard let equals = keyEnd(text, from: start) else { break }
            let valueStart = equals + 1
            let valueEnd = nextSeparator(text, from: valueStart) ?? text.count
            let key = text[start..<equals].lowercasedString
            let (value, valueCut, repaired) = clean(text[valueStart..<valueEnd])
            any = true
            if valueCut { result.truncated = true }
            if repaired { result.repaired = true }
            switch key {
            case "name": result.name = value
            case "version": result.version = value
            case "os": result.os = value
            case "os-version": result.osVersion = value
            case "vendor": result.vendor = value
            default: break
            }
            start = valueEnd + 2
        }
        if cut { result.truncated = true }
        return (result, any)
    }

    /// The `=` that ends the key starting at `start`, or nil when no key starts there.
    static func keyEnd(_ text: ByteView, from start: Int) -> Int? {
        var index = start
        while index < text.count, index - start <= 64 {
            let byte = text[index]
            if byte == UInt8(ascii: "=") { return index > start ? index : nil }
            guard isKeyByte(byte) else { return nil }
            index += 1
        }
        return nil
    }

    /// The next `, ` that is followed by a key and `=`, at or after `start`.
    static func nextSeparator(_ text: ByteView, from start: Int) -> Int? {
        var search = start
        while let comma = text.firstIndex(of: UInt8(ascii: ","), from: search) {
            if comma + 1 < text.count, text[comma + 1] == 0x20, keyEnd(text, from: comma + 2) != nil { return comma }
            search = comma + 1
        }
        return nil
    }

    static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            return true
        default: return false
        }
    }

    /// A value as kept: UTF-8 repaired, control characters as `?`, surrounding double quotes
    /// removed when they balance, Dovecot's `...` cut mark taken off (and noted), at most
    /// `maximumValueLength` characters; nil when empty or `NIL`.
    static func clean(_ raw: ByteView) -> (String?, truncated: Bool, repaired: Bool) {
        var repaired = !raw.isCleanText
        var truncated = false
        var scalars = String.UnicodeScalarView()
        var count = 0
        for scalar in raw.string.unicodeScalars {
            if count == maximumValueLength {
                truncated = true
                break
            }
            if scalar.value < 0x20 || scalar.value == 0x7F {
                scalars.append("?")
                repaired = true
            } else {
                scalars.append(scalar)
            }
            count += 1
        }
        var value = String(scalars)
        // Dovecot cuts a long value to 77 characters and `...`.
        if value.hasSuffix("...") && value.count >= 80 {
            value.removeLast(3)
            truncated = true
        }
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            value = String(value.dropFirst().dropLast())
        }
        if value.isEmpty || value == "NIL" { return (nil, truncated, repaired) }
        return (value, truncated, repaired)
    }

    /// `imap(USER)<pid><session>`, exactly: the user (lower-cased) and the session.
    static func imapUser(_ text: ByteView) -> (name: String, session: String?)? {
        guard text.matches("imap(") else { return nil }
        // The user ends at the last `)` that is followed by `<` or ends the text (a user name may hold `)`).
        var close = -1
        var index = 5
        while index < text.count {
            if text[index] == UInt8(ascii: ")"), index + 1 == text.count || text[index + 1] == UInt8(ascii: "<") {
                close = index
            }
            index += 1
        }
        guard close > 5 else { return nil }
        let name = text[5..<close].lowercasedString
        // `<pid><session>`, `<pid>` or nothing.
        let rest = text.suffix(from: close + 1)
        if rest.isEmpty { return (name, nil) }
        guard rest[0] == UInt8(ascii: "<"), rest[rest.count - 1] == UInt8(ascii: ">"),
            let firstClose = rest.firstIndex(of: UInt8(ascii: ">"))
        else { return nil }
        if firstClose == rest.count - 1 { return (name, nil) }
        guard rest[firstClose + 1] == UInt8(ascii: "<") else { return nil }
        let session = rest[(firstClose + 2)..<(rest.count - 1)]
        guard session.firstIndex(of: UInt8(ascii: ">")) == nil, !session.isEmpty else { return nil }
        return (name, session.string)
    }
}
