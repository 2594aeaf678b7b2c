import Foundation
import MailLog
import TestSupport
import Testing

/// Dovecot 2.3's `imap_id_log` lines and its login lines with `rip=`, as the clients capture
/// (Logs/captured-clients) logged them.
@Suite("Dovecot ID lines and login origins")
struct DovecotIDTests {
    /// The frame of a whole syslog line, and what the parsers make of it.
    static func idLine(_ line: String) -> DovecotIDLine? {
        line.withByteView { bytes in
            guard let frame = SyslogFramer.frame(bytes) else { return nil }
            return DovecotClientID.parse(program: bytes[frame.program], body: bytes[frame.body])
        }
    }

    static func idLine(bytes: [UInt8]) -> DovecotIDLine? {
        bytes.withUnsafeBufferPointer { buffer in
            let view = ByteView(base: buffer.baseAddress!, count: buffer.count)
            guard let frame = SyslogFramer.frame(view) else { return nil }
            return DovecotClientID.parse(program: view[frame.program], body: view[frame.body])
        }
    }

    static func login(_ line: String) -> DovecotLogin? {
        line.withByteView { bytes in
            guard let frame = SyslogFramer.frame(bytes) else { return nil }
            return DovecotLoginDetails.parse(program: bytes[frame.program], body: bytes[frame.body])
        }
    }

    struct IDCase: Sendable, CustomTestStringConvertible {
        let line: String
        let user: String
        let session: String
        let identity: ClientIdentity
        var testDescription: String { identity.name ?? "(no name)" }
    }

    // Real lines of a run of the clients capture (pids, sessions and seconds change from run to
    // run; the committed files are read whole below): the ID each client sent after its login.
    static let afterLoginCases: [IDCase] = [
        IDCase(
            line: "Nov 30 08:10:06 mail dovecot: imap(hanhtt@namdinh.gov.vn)<334><oScGEnRhfaF/AAoB>: ID sent: "
                + "name=Microsoft Outlook, version=16.0",
            user: "hanhtt@namdinh.gov.vn", session: "oScGEnRhfaF/AAoB",
            identity: ClientIdentity(name: "Microsoft Outlook", version: "16.0")),
        IDCase(
            line: "Nov 30 08:10:07 mail dovecot: imap(hanhtt@namdinh.gov.vn)<397><308XEnRhhb5/ABQB>: ID sent: "
                + "name=iPhone Mail, version=21F90, os=iOS, os-version=17.5.1 (21F90)",
            user: "hanhtt@namdinh.gov.vn", session: "308XEnRhhb5/ABQB",
            identity: ClientIdentity(name: "iPhone Mail", version: "21F90", os: "iOS", osVersion: "17.5.1 (21F90)")),
        IDCase(
            line: "Dec  1 08:15:16 mail dovecot: imap(hientt@namdinh.gov.vn)<2947><KolRQohhs5V/ABQK>: ID sent: "
                + "name=com.apple.email.maild, version=3826.300.87.2.22, os=iOS, os-version=18.2.1 (22C161), "
                + "vendor=Apple Inc, event=NIL",
            user: "hientt@namdinh.gov.vn", session: "KolRQohhs5V/ABQK",
            identity: ClientIdentity(
                name: "com.apple.email.maild", version: "3826.300.87.2.22", os: "iOS", osVersion: "18.2.1 (22C161)",
                vendor: "Apple Inc")),
        // `os-version` holds a `;`, and the Android fields come after it.
        IDCase(
            line: "Nov 30 08:10:45 mail dovecot: imap(huongnt@namdinh.gov.vn)<1256><ethTFHRh+ZV/ABQL>: ID sent: "
                + "name=com.samsung.android.email.provider, os=android, os-version=13; TP1A.220624.014, "
                + "vendor=samsung, x-android-device-model=SM-A325F, AGUID=t2bX1aLr9c0kqWm8p3ZsXh5eJqE=",
            user: "huongnt@namdinh.gov.vn", session: "ethTFHRh+ZV/ABQL",
            identity: ClientIdentity(
                name: "com.samsung.android.email.provider", os: "android", osVersion: "13; TP1A.220624.014",
                vendor: "samsung")),
        IDCase(
            line: "Dec  1 08:15:15 mail dovecot: imap(taimv@namdinh.gov.vn)<2877><VeM/QohhrYp/ABQI>: ID sent: "
                + "name=com.google.android.gm, os=android, os-version=14; UP1A.231005.007, vendor=samsung, "
                + "x-android-device-model=SM-A546E, AGUID=kq3Cg5RzKQy0CqXYDm1n3w5SGcY=",
            user: "taimv@namdinh.gov.vn", session: "VeM/QohhrYp/ABQI",
            identity: ClientIdentity(
                name: "com.google.android.gm", os: "android", osVersion: "14; UP1A.231005.007", vendor: "samsung")),
        IDCase(
            line: "Nov 30 08:10:48 mail dovecot: imap(hungpv@namdinh.gov.vn)<1314><KSZ8FHRhba1/ABQN>: ID sent: "
                + "name=Thunderbird for Android, version=9.0",
            user: "hungpv@namdinh.gov.vn", session: "KSZ8FHRhba1/ABQN",
            identity: ClientIdentity(name: "Thunderbird for Android", version: "9.0")),
        IDCase(
            line: "Nov 30 08:10:56 mail dovecot: imap(tiendv@namdinh.gov.vn)<1821><iO77FHRhV9N/ABQX>: ID sent: "
                + "name=K-9 Mail, version=6.802",
            user: "tiendv@namdinh.gov.vn", session: "iO77FHRhV9N/ABQX",
            identity: ClientIdentity(name: "K-9 Mail", version: "6.802")),
        // Bad input, as Dovecot logged it: a 10,000-character name cut to 77 characters and
        // `...`; invalid UTF-8 bytes (sent as a literal) logged as `?`; an unbalanced quote.
        IDCase(
            line: "Nov 30 08:10:52 mail dovecot: imap(sondv@namdinh.gov.vn)<1385><1XjBFHRhB5p/AAoS>: ID sent: name="
                + String(repeating: "X", count: 77) + "..., version=1.0",
            user: "sondv@namdinh.gov.vn", session: "1XjBFHRhB5p/AAoS",
            identity: ClientIdentity(name: String(repeating: "X", count: 77), version: "1.0", truncated: true)),
        IDCase(
            line: "Dec  1 08:15:40 mail dovecot: imap(sondv@namdinh.gov.vn)<3707></je7Q4hhXZF/AAoS>: ID sent: "
                + "name=Mail ?? Pro, version=2.0",
            user: "sondv@namdinh.gov.vn", session: "/je7Q4hhXZF/AAoS",
            identity: ClientIdentity(name: "Mail ?? Pro", version: "2.0")),
        IDCase(
            line: "Dec  1 08:15:41 mail dovecot: imap(sondv@namdinh.gov.vn)<3747><M9zMQ4hhW75/AAoS>: ID sent: "
                + "name=Mail \"Pro, version=3.0 \"beta",
            user: "sondv@namdinh.gov.vn", session: "M9zMQ4hhW75/AAoS",
            identity: ClientIdentity(name: "Mail \"Pro", version: "3.0 \"beta")),
    ]

    @Test("reads the ID a client sent after its login", arguments: afterLoginCases)
    func afterLogin(_ sample: IDCase) {
        #expect(
            Self.idLine(sample.line)
                == .afterLogin(user: sample.user, session: sample.session, identity: sample.identity))
    }

    @Test("reads the ID Apple Mail sent before its login, with the login's session and rip")
    func beforeLogin() throws {
        let idLine =
            "Nov 30 08:10:44 mail dovecot: imap-login: ID sent: name=Mac OS X Mail, version=16.0 (3826.300.87.2.22), "
            + "os=Mac OS X, os-version=15.2 (24C101), vendor=Apple Inc.: user=<>, rip=127.0.10.10, lip=127.0.0.1, "
            + "session=<AFlCFHRh9bV/AAoK>"
        let identity = ClientIdentity(
            name: "Mac OS X Mail", version: "16.0 (3826.300.87.2.22)", os: "Mac OS X", osVersion: "15.2 (24C101)",
            vendor: "Apple Inc.")
        #expect(
            Self.idLine(idLine)
                == .beforeLogin(session: "AFlCFHRh9bV/AAoK", remoteIP: "127.0.10.10", identity: identity))
        let login = try #require(
            Self.login(
                "Nov 30 08:10:44 mail dovecot: imap-login: Login: user=<hientt@namdinh.gov.vn>, method=PLAIN, "
                    + "rip=127.0.10.10, lip=127.0.0.1, mpid=1210, session=<AFlCFHRh9bV/AAoK>"))
        #expect(login.session == "AFlCFHRh9bV/AAoK")
        #expect(login.user == "hientt@namdinh.gov.vn")
    }

    @Test("an ID with no field Dovecot logs is an ID without identity")
    func emptyID() {
        #expect(
            Self.idLine("Nov 30 08:10:06 mail dovecot: imap(a@b.vn)<334><oScGEnRhfaF/AAoB>: ID sent: ")
                == .empty(session: "oScGEnRhfaF/AAoB"))
    }

    @Test("other Dovecot lines are not ID lines")
    func notID() {
        #expect(
            Self.idLine(
                "Nov 30 08:10:06 mail dovecot: imap-login: Login: user=<a@b.vn>, method=PLAIN, rip=127.0.10.1, "
                    + "lip=127.0.0.1, mpid=334, session=<oScGEnRhfaF/AAoB>") == nil)
        #expect(
            Self.idLine(
                "Nov 30 08:10:06 mail dovecot: imap(a@b.vn)<334><x>: Disconnected: Logged out in=29 out=560 ID sent: x")
                == nil)
        #expect(Self.idLine("Nov 30 08:10:06 mail postfix/smtpd[1]: ID sent: name=x") == nil)
    }

    // Bad input that Dovecot 2.3 does not log, but another version or a copy of the log may hold.
    @Test("a 10,000-character name uncut in the log is kept to the bounded length")
    func longName() throws {
        let line =
            "Nov 30 08:10:52 mail dovecot: imap(sondv@namdinh.gov.vn)<1><s>: ID sent: name="
            + String(repeating: "Y", count: 10_000) + ", version=1.0"
        guard case .afterLogin(_, _, let identity) = try #require(Self.idLine(line)) else {
            Issue.record("not an ID after login")
            return
        }
        #expect(identity.name == String(repeating: "Y", count: DovecotClientID.maximumValueLength))
        #expect(identity.truncated)
        // The version lies beyond the bytes read: cut, not mistaken.
        #expect(identity.version == nil)
    }

    @Test("invalid UTF-8 in the name is repaired, never a crash")
    func invalidUTF8() throws {
        var bytes = Array("Nov 30 08:10:52 mail dovecot: imap(sondv@namdinh.gov.vn)<1><s>: ID sent: name=Mail ".utf8)
        bytes += [0xFF, 0xFE, 0xC3]
        bytes += Array(" Pro, version=2.0, os=\u{1}x".utf8)
        guard case .afterLogin(let user, _, let identity) = try #require(Self.idLine(bytes: bytes)) else {
            Issue.record("not an ID after login")
            return
        }
        #expect(user == "sondv@namdinh.gov.vn")
        #expect(identity.name == "Mail \u{FFFD}\u{FFFD}\u{FFFD} Pro")
        #expect(identity.version == "2.0")
        #expect(identity.os == "?x")
        #expect(identity.repaired)
    }

    @Test("quotes: balanced ones around a value are taken off, unbalanced ones kept")
    func quotes() throws {
        let line = "Nov 30 08:10:52 mail dovecot: imap(a@b.vn)<1><s>: ID sent: name=\"Quoted Mail\", version=\"2"
        guard case .afterLogin(_, _, let identity) = try #require(Self.idLine(line)) else {
            Issue.record("not an ID after login")
            return
        }
        #expect(identity.name == "Quoted Mail")
        #expect(identity.version == "\"2")
    }

    @Test("a value holding `, ` is kept whole unless a key and `=` follow")
    func commaInValue() {
        let line = "Nov 30 08:10:52 mail dovecot: imap(a@b.vn)<1><s>: ID sent: name=Mail, the app, version=1, os=x"
        #expect(
            Self.idLine(line)
                == .afterLogin(
                    user: "a@b.vn", session: "s", identity: ClientIdentity(name: "Mail, the app", version: "1", os: "x")
                ))
    }

    // --- logins, with where they came from ----------------------------------------------------

    struct LoginCase: Sendable, CustomTestStringConvertible {
        let line: String
        let expected: DovecotLogin
        var testDescription: String { String(line.dropFirst(30).prefix(60)) }
    }

    static let loginCases: [LoginCase] = [
        LoginCase(
            line: "Nov 30 08:10:06 mail dovecot: imap-login: Login: user=<hanhtt@namdinh.gov.vn>, method=PLAIN, "
                + "rip=127.0.10.1, lip=127.0.0.1, mpid=334, session=<oScGEnRhfaF/AAoB>",
            expected: DovecotLogin(
                service: .imap, user: "hanhtt@namdinh.gov.vn", succeeded: true, failedAttempts: 0,
                remoteIP: "127.0.10.1", localIP: "127.0.0.1", session: "oScGEnRhfaF/AAoB")),
        // Roundcube's login: from the webmail host, `secured` (loopback).
        LoginCase(
            line: "Nov 30 08:10:09 mail dovecot: imap-login: Login: user=<thangdq@namdinh.gov.vn>, method=PLAIN, "
                + "rip=127.0.0.1, lip=127.0.0.1, mpid=28475, secured, session=<bNgnEnRhyul/AAAB>",
            expected: DovecotLogin(
                service: .imap, user: "thangdq@namdinh.gov.vn", succeeded: true, failedAttempts: 0,
                remoteIP: "127.0.0.1", localIP: "127.0.0.1", session: "bNgnEnRhyul/AAAB")),
        LoginCase(
            line: "Nov 30 08:10:12 mail dovecot: pop3-login: Login: user=<hoalv@namdinh.gov.vn>, method=PLAIN, "
                + "rip=127.0.10.5, lip=127.0.0.1, mpid=28518, session=<NgtjEnRhibd/AAoF>",
            expected: DovecotLogin(
                service: .pop3, user: "hoalv@namdinh.gov.vn", succeeded: true, failedAttempts: 0,
                remoteIP: "127.0.10.5", localIP: "127.0.0.1", session: "NgtjEnRhibd/AAoF")),
        LoginCase(
            line: "Dec  1 08:15:26 mail dovecot: imap-login: Disconnected: Aborted login by logging out (auth failed, "
                + "1 attempts in 2 secs): user=<thaontp@namdinh.gov.vn>, method=PLAIN, rip=127.0.20.14, "
                + "lip=127.0.0.1, session=<lV/OQohh4c5/ABQO>",
            expected: DovecotLogin(
                service: .imap, user: "thaontp@namdinh.gov.vn", succeeded: false, failedAttempts: 1,
                remoteIP: "127.0.20.14", localIP: "127.0.0.1", session: "lV/OQohh4c5/ABQO")),
        LoginCase(
            line: "Dec  1 08:15:36 mail dovecot: pop3-login: Disconnected: Aborted login by logging out (auth failed, "
                + "1 attempts in 2 secs): user=<ngoclt@namdinh.gov.vn>, method=PLAIN, rip=127.0.10.16, "
                + "lip=127.0.0.1, session=<mGRjQ4hhVbJ/AAoQ>",
            expected: DovecotLogin(
                service: .pop3, user: "ngoclt@namdinh.gov.vn", succeeded: false, failedAttempts: 1,
                remoteIP: "127.0.10.16", localIP: "127.0.0.1", session: "mGRjQ4hhVbJ/AAoQ")),
        // A user name holding `rip=` does not mislead; a format without rip gives none.
        LoginCase(
            line: "Nov 30 08:10:06 mail dovecot: imap-login: Login: user=<x rip=6.6.6.6@b.vn>, method=PLAIN, "
                + "rip=10.0.0.7, lip=10.0.0.1",
            expected: DovecotLogin(
                service: .imap, user: "x rip=6.6.6.6@b.vn", succeeded: true, failedAttempts: 0,
                remoteIP: "10.0.0.7", localIP: "10.0.0.1", session: nil)),
        LoginCase(
            line: "Nov 30 08:10:06 mail dovecot: imap-login: Login: user=<a@b.vn>, method=PLAIN",
            expected: DovecotLogin(
                service: .imap, user: "a@b.vn", succeeded: true, failedAttempts: 0, remoteIP: nil, localIP: nil,
                session: nil)),
    ]

    @Test("reads logins with their service, rip, lip and session", arguments: loginCases)
    func logins(_ sample: LoginCase) {
        #expect(Self.login(sample.line) == sample.expected)
    }

    // --- the whole capture ----------------------------------------------------------------------

    static let capture = TestServers.root.appendingPathComponent("Logs/captured-clients")

    @Test("every ID line of the capture is read, its user and session those of a login")
    func wholeCapture() throws {
        let text = try String(contentsOf: Self.capture.appendingPathComponent("mail.log"), encoding: .utf8)
        var sessions = Set<String>()
        var ids: [DovecotIDLine] = []
        var idLines = 0
        var pop3 = 0
        for line in text.split(separator: "\n") {
            let line = String(line)
            if let login = Self.login(line), login.succeeded, let session = login.session {
                sessions.insert(session)
                if login.service == .pop3 { pop3 += 1 }
                #expect(login.remoteIP?.hasPrefix("127.0.") == true)
            }
            if line.contains("ID sent: ") {
                idLines += 1
                if let id = Self.idLine(line) { ids.append(id) }
            }
        }
        #expect(idLines > 20)
        #expect(ids.count == idLines)
        #expect(pop3 == 8)
        for id in ids {
            switch id {
            case .afterLogin(let user, let session, let identity):
                #expect(user.hasSuffix("@namdinh.gov.vn"))
                #expect(session.map(sessions.contains) == true)
                #expect(identity.name != nil)
            case .beforeLogin(let session, let remoteIP, let identity):
                #expect(session.map(sessions.contains) == true)
                #expect(remoteIP?.hasPrefix("127.0.10.") == true)
                #expect(identity.name == "Mac OS X Mail")
            case .empty:
                Issue.record("an empty ID in the capture")
            }
        }
    }
}
