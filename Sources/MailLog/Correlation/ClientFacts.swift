/// The lines that are client evidence, as facts: Dovecot's logins with their session and
/// origin, its `ID sent:` lines and its sessions' ends, and Roundcube's login log.
extension LineClassifier {
    /// The fact of a Dovecot line, if it has one.
    static func dovecotFact(program: ByteView, body: ByteView, _ context: FactContext) -> MailFact? {
        switch DovecotParser.parse(program: program, body: body) {
        case .login(let service, let user):
            return .login(
                loginFact(
                    service: service, user: context.login(body[user]), after: user.upperBound, succeeded: true,
                    attempts: 0, body, context))
        case .loginFailed(let service, let user, let attempts):
            return .login(
                loginFact(
                    service: service, user: user.map { context.login(body[$0]) }, after: user?.upperBound ?? 0,
                    succeeded: false, attempts: attempts, body, context))
        case .other:
            // `ID sent:` and session ends are the IMAP processes' (`dovecot: imap(U)…`,
            // `dovecot: imap-login: …`, or those as the program in Dovecot's own log file).
            guard body.matches("imap") || program.matches("imap") else { return nil }
            if let session = sessionEnd(program: program, body: body) { return .sessionEnd(session) }
            return DovecotClientID.parse(program: program, body: body).map { clientIDFact($0, context) }
        }
    }

    static func loginFact(
        service: LoginService, user: StringID?, after userEnd: Int, succeeded: Bool, attempts: Int, _ body: ByteView,
        _ context: FactContext
    ) -> LoginFact {
        // The fields after the user's, so that a user name holding `rip=` cannot mislead.
        let tail = body.suffix(from: userEnd)
        var fromWebmailHost = false
        if !context.webmailHosts.isEmpty,
            let ip = DovecotLoginDetails.field("rip=", in: tail, closing: UInt8(ascii: ","))
        {
            fromWebmailHost = context.webmailHosts.contains { host in
                host.count == ip.count && host.indices.allSatisfy { host[$0] == ip[$0] }
            }
        }
        return LoginFact(
            user: user, service: service, succeeded: succeeded, fromWebmailHost: fromWebmailHost,
            attempts: Int32(clamping: attempts),
            session: DovecotLoginDetails.field("session=<", in: tail, closing: UInt8(ascii: ">")).map(SessionKey.init))
    }

    static func clientIDFact(_ line: DovecotIDLine, _ context: FactContext) -> MailFact {
        switch line {
        case .afterLogin(let user, let session, let identity):
            return .clientID(
                ClientIDFact(
                    user: context.loginName(user), session: session.map(SessionKey.init),
                    name: context.strings.intern(identity.name ?? ""), os: context.strings.intern(identity.os ?? "")))
        case .beforeLogin(let session, _, let identity):
            return .clientID(
                ClientIDFact(
                    user: 0, session: session.map(SessionKey.init), name: context.strings.intern(identity.name ?? ""),
                    os: context.strings.intern(identity.os ?? "")))
        case .empty(let session):
            return .clientID(ClientIDFact(user: 0, session: session.map(SessionKey.init), name: 0, os: 0))
        }
    }

    /// The session of `imap(U)<pid><session>: Disconnected: …` (syslog), or of a line whose
    /// program is `imap(U)<pid><session>` and whose text is `Disconnected: …` (Dovecot's own file).
    static func sessionEnd(program: ByteView, body: ByteView) -> SessionKey? {
        var head = program
        var text = body
        if !program.matches("imap(") {
            guard body.matches("imap("), let colon = body.firstRange(of: ">: ", from: 5) else { return nil }
            head = body[0..<(colon.lowerBound + 1)]
            text = body.suffix(from: colon.upperBound)
        }
        if text.matches("Info: ") { text = text.suffix(from: 6) }
        guard text.matches("Disconnected") || text.matches("Logged out") else { return nil }
        // `…)<pid><session>`: the session is in the last `<…>`, after the pid's.
        guard head.count > 2, head[head.count - 1] == UInt8(ascii: ">") else { return nil }
        var open = head.count - 2
        while open > 0, head[open] != UInt8(ascii: "<") { open -= 1 }
        guard open > 0, head[open - 1] == UInt8(ascii: ">"), open + 1 < head.count - 1 else { return nil }
        return SessionKey(head[(open + 1)..<(head.count - 1)])
    }

    // MARK: Roundcube

    /// A line that starts with `[` and no syslog frame: Roundcube's `userlogins.log`, or not.
    ///
    /// A Roundcube line that cannot be read (another `log_date_format`, a date that does not
    /// exist, a line that is not a login) is unrecognised with the reason, not its text.
    static func roundcubeVerdict(_ line: ByteView, stamp: inout LineTime?, _ context: FactContext) -> FactVerdict {
        switch RoundcubeLoginLog.parse(line: line, number: 0) {
        case .login(let login):
            stamp = .utc(login.utcSeconds)
            return .mail(TimedFact(time: .utc(login.utcSeconds), fact: webmailFact(login, context)))
        case .blank:
            return .unrecognised
        case .problem(let problem):
            switch problem.code {
            case .unknownStamp where line.firstRange(of: "login for ") == nil,
                .notText where line.firstRange(of: "login for ") == nil:
                return .unrecognised
            case .unknownStamp, .invalidDate, .notALogin, .notText:
                return .unreadableRoundcube(problem.code)
            }
        }
    }

    /// What an unreadable Roundcube line's sample shows: its stamp (up to the first `]`, when
    /// short and printable) and what is wrong, never the rest, which names people.
    static func roundcubeSample(_ line: ByteView, _ code: RoundcubeLogProblem.Code) -> String {
        let end = line.firstIndex(of: UInt8(ascii: "]")).map { $0 + 1 } ?? 0
        let head = line[0..<(end <= 40 ? end : 0)]
        let shown = (0..<head.count).allSatisfy { head[$0] >= 0x20 && head[$0] < 0x7F } ? head.string : ""
        return (shown.isEmpty ? "" : shown + " ") + "Roundcube's login log: "
            + RoundcubeLogProblem(line: 0, code: code).explanation
    }

    /// The login of a Roundcube line that syslog stamped (`log_driver = 'syslog'`).
    static func roundcubeFact(_ body: ByteView, _ context: FactContext) -> MailFact? {
        RoundcubeLoginLog.message(body, utcSeconds: 0, utcOffset: 0).map { webmailFact($0, context) }
    }

    static func webmailFact(_ login: RoundcubeLogin, _ context: FactContext) -> MailFact {
        .webmailLogin(user: context.loginName(login.user), succeeded: login.succeeded)
    }
}

extension FactContext {
    /// A login name already made a `String` as an address: lower case, with the login domain
    /// when bare (lowered as Unicode lowers it, not only its ASCII capitals).
    func loginName(_ name: String) -> StringID {
        let lowered = name.lowercased()
        guard let loginSuffix, !lowered.isEmpty, !lowered.contains("@") else { return strings.intern(lowered) }
        return strings.intern(lowered + String(decoding: loginSuffix, as: UTF8.self))
    }
}
