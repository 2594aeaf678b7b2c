/// The mail protocols whose logins mailcensus counts.
public enum LoginService: UInt8, Sendable, Codable, CaseIterable {
    case imap
    case pop3
    case submission
}

/// What a Dovecot log line says about a login.
public enum DovecotLine: Sendable, Equatable {
    /// `imap-login: Login: user=<U>, …`
    case login(service: LoginService, user: Range<Int>)
    /// `imap-login: Disconnected (auth failed, 2 attempts in 4 secs): user=<U>, …`; `user` is nil
    /// when the client never named one.
    case loginFailed(service: LoginService, user: Range<Int>?, attempts: Int)
    /// Any other Dovecot line (sessions, LMTP saves, auth details, master notices).
    case other
}

/// Parses Dovecot's log lines, as syslog gives them (`dovecot: imap-login: …`) or as its own
/// `log_path` file does (`imap-login: Info: …`).
public enum DovecotParser {
    /// Whether `program` is Dovecot's, so that its lines count as parsed mail lines.
    public static func isDovecot(program: ByteView) -> Bool {
        program.matches("dovecot") || loginService(program) != nil || program.matches("auth")
    }

    /// What the line says; `program` is the syslog program, `body` the text after it.
    public static func parse(program: ByteView, body: ByteView) -> DovecotLine {
        var offset = 0
        var service = loginService(program)
        if service == nil {
            // `dovecot: imap-login: …`: the service leads the body.
            guard let colon = body.firstIndex(of: UInt8(ascii: ":")), colon < 40 else { return .other }
            guard let found = loginService(body[0..<colon]) else { return .other }
            service = found
            offset = colon + 2
        }
        guard let service, offset < body.count else { return .other }
        if body.matches("Info: ", at: offset) { offset += 6 }
        if body.matches("Login: ", at: offset) {
            guard let user = userField(body, from: offset) else { return .other }
            return .login(service: service, user: user)
        }
        if let failed = body.firstRange(of: "(auth failed, ", from: offset) {
            var attempts = 1
            var end = failed.upperBound
            while end < body.count, body[end] &- 0x30 < 10 { end += 1 }
            if let count = body[failed.upperBound..<end].decimalValue, count > 0 { attempts = count }
            let user = userField(body, from: failed.upperBound)
            return .loginFailed(service: service, user: user.flatMap { $0.isEmpty ? nil : $0 }, attempts: attempts)
        }
        return .other
    }

    static func loginService(_ name: ByteView) -> LoginService? {
        switch name.count {
        case 10 where name.matches("imap-login"): return .imap
        case 10 where name.matches("pop3-login"): return .pop3
        case 16 where name.matches("submission-login"): return .submission
        default: return nil
        }
    }

    /// The range inside `user=<…>` at or after `start`, whole: up to the `>` that ends the field
    /// (followed by `,`, a space or the end of the line), past any `>` inside the name or one
    /// escaped with `\`; names such as `x,y@…` or `"quoted name"@…` are kept as logged.
    static func userField(_ body: ByteView, from start: Int) -> Range<Int>? {
        guard let field = body.firstRange(of: "user=<", from: start) else { return nil }
        var index = field.upperBound
        var close = -1
        while index < body.count {
            let byte = body[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if byte == UInt8(ascii: ">") {
                close = index
                let after = index + 1
                if after == body.count || body[after] == UInt8(ascii: ",") || body[after] == 0x20 { break }
            }
            index += 1
        }
        return close >= 0 ? field.upperBound..<close : nil
    }
}
