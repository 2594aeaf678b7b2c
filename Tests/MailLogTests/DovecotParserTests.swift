import MailLog
import TestSupport
import Testing

@Suite("Dovecot lines")
struct DovecotParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let program: String
        let body: String
        let expected: Expected
        var testDescription: String { String(body.prefix(50)) }
    }

    enum Expected: Sendable, Equatable {
        case login(LoginService, String)
        case failed(LoginService, String?, Int)
        case other
    }

    static let cases: [Case] = [
        Case(
            program: "dovecot",
            body: "imap-login: Login: user=<annv@namdinh.gov.vn>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, "
                + "mpid=4242, TLS, session=<abc>",
            expected: .login(.imap, "annv@namdinh.gov.vn")),
        Case(
            program: "dovecot", body: "pop3-login: Login: user=<binhtt>, method=PLAIN, rip=127.0.0.1",
            expected: .login(.pop3, "binhtt")),
        Case(
            program: "dovecot", body: "submission-login: Login: user=<a@b.vn>, method=PLAIN",
            expected: .login(.submission, "a@b.vn")),
        // Dovecot's own log file names the service as the program, with a level.
        Case(
            program: "imap-login", body: "Info: Login: user=<a@b.vn>, method=PLAIN", expected: .login(.imap, "a@b.vn")),
        // 2.3.x failures, in the shapes Dovecot has used.
        Case(
            program: "dovecot",
            body: "imap-login: Disconnected: Connection closed (auth failed, 3 attempts in 10 secs): user=<a@b.vn>, "
                + "method=PLAIN, rip=1.2.3.4",
            expected: .failed(.imap, "a@b.vn", 3)),
        Case(
            program: "dovecot",
            body: "pop3-login: Aborted login (auth failed, 1 attempts in 2 secs): user=<x@b.vn>, method=PLAIN",
            expected: .failed(.pop3, "x@b.vn", 1)),
        Case(
            program: "dovecot",
            body: "imap-login: Login aborted: Connection closed (auth failed, 2 attempts in 4 secs) (auth_failed): "
                + "user=<y@b.vn>, method=PLAIN",
            expected: .failed(.imap, "y@b.vn", 2)),
        Case(
            program: "dovecot",
            body: "imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<>, rip=1.2.3.4",
            expected: .failed(.imap, nil, 1)),
        // Odd login names are read whole, up to the `>` that closes the field.
        Case(
            program: "dovecot", body: "imap-login: Login: user=<x,y@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5",
            expected: .login(.imap, "x,y@namdinh.gov.vn")),
        Case(
            program: "dovecot", body: "imap-login: Login: user=<\"quoted name\"@namdinh.gov.vn>, method=PLAIN",
            expected: .login(.imap, "\"quoted name\"@namdinh.gov.vn")),
        Case(
            program: "dovecot", body: "imap-login: Login: user=<a>b@namdinh.gov.vn>, method=PLAIN",
            expected: .login(.imap, "a>b@namdinh.gov.vn")),
        Case(
            program: "imap-login", body: "Info: Login: user=<a\\>, b@namdinh.gov.vn>",
            expected: .login(.imap, "a\\>, b@namdinh.gov.vn")),
        Case(
            program: "dovecot",
            body: "pop3-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<x, y@b.vn>, method=PLAIN",
            expected: .failed(.pop3, "x, y@b.vn", 1)),
        // Not logins.
        Case(
            program: "dovecot",
            body: "imap(a@b.vn)<19430><jBCG09+1huxPakVq>: Logged out in=21756 out=588 deleted=0 expunged=0",
            expected: .other),
        Case(
            program: "dovecot", body: "lmtp(a@b.vn)<1><x>: msgid=<m@x>: saved mail to INBOX", expected: .other),
        Case(program: "dovecot", body: "auth: passwd-file(x@b.vn,1.2.3.4): unknown user", expected: .other),
        Case(
            program: "dovecot", body: "imap-login: Disconnected (no auth attempts in 0 secs): user=<>, rip=1.2.3.4",
            expected: .other),
        Case(program: "dovecot", body: "managesieve-login: Login: user=<a@b.vn>", expected: .other),
    ]

    @Test("reads logins and failures", arguments: cases)
    func parses(_ sample: Case) {
        sample.program.withByteView { program in
            sample.body.withByteView { body in
                let actual: Expected
                switch DovecotParser.parse(program: program, body: body) {
                case .login(let service, let user): actual = .login(service, body[user].string)
                case .loginFailed(let service, let user, let attempts):
                    actual = .failed(service, user.map { body[$0].string }, attempts)
                case .other: actual = .other
                }
                #expect(actual == sample.expected)
            }
        }
    }
}
