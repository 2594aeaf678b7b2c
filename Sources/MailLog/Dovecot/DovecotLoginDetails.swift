/// A Dovecot login, with where it came from: what client evidence needs beyond `DovecotLine`.
public struct DovecotLogin: Sendable, Equatable {
    /// IMAP, POP3 or submission: the login process that logged it (`imap-login`, `pop3-login`).
    public var service: LoginService
    /// The login name as logged (lower-cased); nil for a failure before any name was given.
    public var user: String?
    /// Whether the login succeeded (`Login:`) or failed (`auth failed`).
    public var succeeded: Bool
    /// Failed attempts the line reports (0 for a success).
    public var failedAttempts: Int
    /// `rip=`: the client's address (the webmail host's for a webmail's logins); nil when the
    /// line has none (`login_log_format_elements` without `%r`).
    public var remoteIP: String?
    /// `lip=`: the server's address the client reached.
    public var localIP: String?
    /// `session=<…>`: ties the login to the `ID sent:` lines of the same connection.
    public var session: String?

    public init(
        service: LoginService, user: String?, succeeded: Bool, failedAttempts: Int, remoteIP: String?,
        localIP: String?, session: String?
    ) {
        self.service = service
        self.user = user
        self.succeeded = succeeded
        self.failedAttempts = failedAttempts
        self.remoteIP = remoteIP
        self.localIP = localIP
        self.session = session
    }
}

/// Reads a Dovecot login line whole: the service (POP3 is a client class of its own), the
/// user, success or failure, and the `rip=`, `lip=` and `session=<…>` fields of Dovecot's
/// default `login_log_format_elements` (`user=<%u> method=%m rip=%r lip=%l mpid=%e %c
/// session=<%{session}>`).
public enum DovecotLoginDetails {
    /// The login the line reports, or nil when it reports none (see `DovecotParser.parse`).
    public static func parse(program: ByteView, body: ByteView) -> DovecotLogin? {
        let userRange: Range<Int>?
        let service: LoginService
        let succeeded: Bool
        let attempts: Int
        switch DovecotParser.parse(program: program, body: body) {
        case .login(let loginService, let user):
            (service, userRange, succeeded, attempts) = (loginService, user, true, 0)
        case .loginFailed(let loginService, let user, let failed):
            (service, userRange, succeeded, attempts) = (loginService, user, false, failed)
        case .other:
            return nil
        }
        // The fields after the user's, so that a user name holding `rip=` cannot mislead.
        let tail = body.suffix(from: userRange?.upperBound ?? 0)
        return DovecotLogin(
            service: service, user: userRange.map { body[$0].lowercasedString }, succeeded: succeeded,
            failedAttempts: attempts, remoteIP: value(of: "rip=", in: tail, closing: UInt8(ascii: ",")),
            localIP: value(of: "lip=", in: tail, closing: UInt8(ascii: ",")),
            session: value(of: "session=<", in: tail, closing: UInt8(ascii: ">")))
    }

    /// The text after the first `field` (at the start or after a space) up to `closing`, a
    /// space or the end; nil when absent or empty. At most 128 bytes are kept.
    static func value(of field: StaticString, in text: ByteView, closing: UInt8) -> String? {
        Self.field(field, in: text, closing: closing)?.string
    }

    /// The bytes after the first `name` (at the start or after a space) up to `closing` (or a
    /// space, unless `closing` is `>`), nil when absent or empty; at most 128 bytes.
    static func field(_ name: StaticString, in text: ByteView, closing: UInt8) -> ByteView? {
        var search = 0
        while let found = text.firstRange(of: name, from: search) {
            search = found.upperBound
            guard found.lowerBound == 0 || text[found.lowerBound - 1] == 0x20 else { continue }
            var end = found.upperBound
            while end < text.count, text[end] != closing, text[end] != 0x20 || closing == UInt8(ascii: ">") {
                end += 1
            }
            guard end > found.upperBound else { return nil }
            return text[found.upperBound..<min(end, found.upperBound + 128)]
        }
        return nil
    }
}
