import Basics
import Foundation
import TestSupport
import Testing

@testable import MailLog

/// Joining Dovecot's logins to their client's `ID`, as the correlator does it: what is recorded,
/// when, and what is kept waiting across a commit.
@Suite("Client evidence: logins joined to their ID")
struct ClientCorrelationTests {
    /// Keeps the client logins and evidence a correlator records, with strings.
    struct Clients: ActivityRecorder {
        var logins: [String] = []
        var evidence: [ClientEvidenceKind] = []

        mutating func recordSubmission(user: String, at time: Int64) {}
        mutating func recordReceipt(mailbox: String, at time: Int64) {}
        mutating func recordExchange(sender: String, recipient: String, at time: Int64) {}
        mutating func recordForward(original: String, recipient: String, at time: Int64) {}
        mutating func recordLogin(user: String, service: LoginService, at time: Int64) {}
        mutating func recordFailedLogin(user: String, attempts: Int, at time: Int64) {}
        mutating func recordDisplayName(address: String, name: String, at time: Int64) {}

        mutating func recordClientLogin(_ login: ClientLogin, at time: Int64, strings: StringTable) {
            let outcome = login.succeeded ? "ok" : "failed×\(login.attempts)"
            logins.append(
                "\(time) \(strings[login.user]) \(login.origin) \(strings[login.name])|\(strings[login.os]) \(outcome)")
        }

        mutating func recordClientEvidence(_ kind: ClientEvidenceKind, at time: Int64) { evidence.append(kind) }
    }

    static func login(_ user: String, session: String?, webmail: Bool = false, succeeded: Bool = true) -> MailEvent {
        .dovecotLogin(
            LoginEvent(
                user: user, service: .imap, succeeded: succeeded, attempts: succeeded ? 0 : 1,
                session: session.map(SessionKey.init), fromWebmailHost: webmail))
    }

    static func id(_ user: String?, session: String, name: String, os: String = "") -> MailEvent {
        .clientID(ClientIDEvent(user: user, session: SessionKey(session), name: name, os: os))
    }

    @Test("an ID after the login, before it, none before the session's end, none at all: each login once")
    func joins() {
        var correlator = Correlator()
        var clients = Clients()
        let events: [(Int64, MailEvent)] = [
            (1000, Self.login("a@x.vn", session: "s1")),
            (1001, Self.id("a@x.vn", session: "s1", name: "Thunderbird")),
            (1002, Self.id(nil, session: "s2", name: "Mac OS X Mail", os: "Mac OS X")),
            (1003, Self.login("b@x.vn", session: "s2")),
            (1004, Self.login("c@x.vn", session: "s3")),
            (1005, .sessionEnd(SessionKey("s3"))),
            (1006, Self.login("d@x.vn", session: nil)),
            (1007, Self.login("e@x.vn", session: "s5", webmail: true)),
            (1008, Self.login("f@x.vn", session: "s6", succeeded: false)),
            (1009, .webmailLogin(user: "g@x.vn", succeeded: true)),
            (1010, Self.login("h@x.vn", session: "s7")),
        ]
        for (time, event) in events { correlator.apply(event, at: time, to: &clients) }
        #expect(
            clients.logins == [
                "1000 a@x.vn imap Thunderbird| ok", "1003 b@x.vn imap Mac OS X Mail|Mac OS X ok",
                "1004 c@x.vn imap | ok", "1006 d@x.vn imap | ok", "1007 e@x.vn webmailHost | ok",
                "1008 f@x.vn imap | failed×1", "1009 g@x.vn webmail | ok",
            ])
        #expect(clients.evidence == [.clientID, .clientID, .webmailHost, .webmailLog])
        // h's session waits for its ID, until the window has passed in log time.
        #expect(correlator.state.clients.waiting == 1)
        correlator.apply(Self.login("i@x.vn", session: nil), at: 1010 + ClientSessions.window + 60, to: &clients)
        #expect(clients.logins.contains("1010 h@x.vn imap | ok"))
        #expect(correlator.state.clients.waiting == 0)
    }

    @Test("a session waiting for its ID is saved with the state and joined after a reload; old states read")
    func savedState() throws {
        var correlator = Correlator()
        var clients = Clients()
        correlator.apply(Self.login("a@x.vn", session: "s1"), at: 1000, to: &clients)
        correlator.apply(Self.id(nil, session: "s2", name: "Mac OS X Mail"), at: 1001, to: &clients)
        let saved = try JSONEncoder().encode(correlator.state)
        #expect(String(decoding: saved, as: UTF8.self).contains("\"clients\""))
        let state = try JSONDecoder().decode(Correlator.State.self, from: saved)
        #expect(state == correlator.state)
        var resumed = Correlator(state: state)
        resumed.apply(Self.id("a@x.vn", session: "s1", name: "K-9 Mail"), at: 1002, to: &clients)
        resumed.apply(Self.login("b@x.vn", session: "s2"), at: 1003, to: &clients)
        #expect(clients.logins == ["1000 a@x.vn imap K-9 Mail| ok", "1003 b@x.vn imap Mac OS X Mail| ok"])
        // Nothing waits: the state is saved as before client evidence, and such a state reads.
        let empty = String(decoding: try JSONEncoder().encode(resumed.state), as: UTF8.self)
        #expect(!empty.contains("clients"))
        let old = try JSONDecoder().decode(Correlator.State.self, from: Data(empty.utf8))
        #expect(old.clients.isEmpty)
    }

    @Test("at most ClientSessions.limit sessions wait: the oldest is recorded without its ID")
    func bounded() {
        var correlator = Correlator()
        var clients = Clients()
        for index in 0..<(ClientSessions.limit + 10) {
            correlator.apply(Self.login("a@x.vn", session: "s\(index)"), at: 1000, to: &clients)
        }
        #expect(correlator.state.clients.waiting == ClientSessions.limit)
        #expect(clients.logins.count == 10)
    }

    @Test("one address or client interned twice (folded and not) is one row of the aggregate")
    func oneRowPerText() {
        var aggregate = ActivityAggregate(utcOffset: 0)
        let strings = StringTable()
        let folded = "A@X.vn".withByteView { strings.intern($0, foldCase: true) }
        let plain = strings.intern("a@x.vn")
        let name = strings.intern("Thunderbird")
        for user in [folded, plain] {
            aggregate.recordClientLogin(
                ClientLogin(user: user, origin: .imap, name: name, succeeded: true, attempts: 0), at: 100,
                strings: strings)
        }
        #expect(aggregate.clients.addresses == ["a@x.vn"])
        #expect(aggregate.clients.rows.values.map(\.logins) == [2])
    }

    /// Commits of an ingest's client rows, added up by address, origin and client.
    final class ClientSink: IngestSink, @unchecked Sendable {
        var rows: [String: Int] = [:]
        var state: Correlator.State?
        var files: [String: FileCheckpoint] = [:]
        var waitingAtCommit = 0

        func checkpoints(lineHash: String) throws -> [FileCheckpoint] {
            files.values.filter { $0.lineHash == lineHash }
        }

        func correlatorState() throws -> Correlator.State? { state }

        func commit(_ batch: IngestBatch) throws {
            let clients = batch.activity.clients
            for (key, counters) in clients.rows {
                let name =
                    "\(clients.addresses[Int(key.address)]) \(key.origin) \(clients.texts[Int(key.name)])|"
                    + "\(clients.texts[Int(key.os)])"
                rows[name + " ok", default: 0] += counters.logins
                rows[name + " failed", default: 0] += counters.failed
            }
            waitingAtCommit += batch.state.clients.waiting
            files[batch.checkpoint.fingerprint] = batch.checkpoint
            state = try JSONDecoder().decode(Correlator.State.self, from: JSONEncoder().encode(batch.state))
        }
    }

    @Test("the clients capture in small commits: sessions wait across commits, the rows equal one commit's")
    func smallCommits() throws {
        let folder = TestServers.root.appendingPathComponent("Logs/captured-clients")
        let paths = ["mail.log", "userlogins.log"].map { folder.appendingPathComponent($0).path }
        var options = IngestOptions(utcOffset: 7 * 3600)
        options.webmailHosts = ["127.0.0.1"]
        let whole = ClientSink()
        _ = try Ingestor(sink: whole, options: options).run(paths: paths)
        options.chunkSize = 300
        options.commitInterval = 300
        options.workers = 1
        let small = ClientSink()
        _ = try Ingestor(sink: small, options: options).run(paths: paths)
        #expect(small.waitingAtCommit > 0)
        #expect(small.rows == whole.rows)
        #expect(whole.rows["hientt@namdinh.gov.vn imap Mac OS X Mail|Mac OS X ok"] == 2)
        #expect(whole.rows["annv@namdinh.gov.vn webmail | ok"] == 3)
        // Without webmail hosts, Roundcube's IMAP logins are IMAP logins without a client.
        options.webmailHosts = []
        let none = ClientSink()
        _ = try Ingestor(sink: none, options: options).run(paths: paths)
        #expect(none.rows.keys.allSatisfy { !$0.contains("webmailHost") })
        #expect(none.rows["annv@namdinh.gov.vn imap | ok"] == whole.rows["annv@namdinh.gov.vn webmailHost | ok"])
    }

    @Test("Dovecot's lines as events: a login with its session, ID lines before and after it, a session's end")
    func dovecotLines() {
        func event(_ line: String) -> MailEvent? {
            guard case .mail(let timed?) = line.withByteView({ LineClassifier.classify($0) }) else { return nil }
            return timed.event
        }
        #expect(
            event(
                "Nov 30 08:10:13 mail dovecot: imap-login: Login: user=<hanhtt@namdinh.gov.vn>, method=PLAIN, "
                    + "rip=127.0.20.1, lip=127.0.0.1, mpid=15065, session=<7RdtEnRhpeF/ABQB>")
                == .dovecotLogin(
                    LoginEvent(
                        user: "hanhtt@namdinh.gov.vn", service: .imap, succeeded: true, attempts: 0,
                        session: SessionKey("7RdtEnRhpeF/ABQB"), fromWebmailHost: false)))
        #expect(
            event(
                "Nov 30 08:10:13 mail dovecot: imap(hanhtt@namdinh.gov.vn)<15065><7RdtEnRhpeF/ABQB>: ID sent: "
                    + "name=iPhone Mail, version=21F90, os=iOS, os-version=17.5.1 (21F90)")
                == .clientID(
                    ClientIDEvent(
                        user: "hanhtt@namdinh.gov.vn", session: SessionKey("7RdtEnRhpeF/ABQB"), name: "iPhone Mail",
                        os: "iOS")))
        #expect(
            event(
                "Nov 30 08:10:56 mail dovecot: imap-login: ID sent: name=Mac OS X Mail, version=16.0, os=Mac OS X, "
                    + "vendor=Apple Inc.: user=<>, rip=127.0.10.10, lip=127.0.0.1, session=<1s35FHRhY65/AAoK>")
                == .clientID(
                    ClientIDEvent(
                        user: nil, session: SessionKey("1s35FHRhY65/AAoK"), name: "Mac OS X Mail", os: "Mac OS X")))
        for end in [
            "Nov 30 08:10:13 mail dovecot: imap(hanhtt@namdinh.gov.vn)<15065><7RdtEnRhpeF/ABQB>: Disconnected: "
                + "Logged out in=149 out=951",
            "Nov 30 08:10:13 mail dovecot: imap(hanhtt@namdinh.gov.vn)<15065><7RdtEnRhpeF/ABQB>: Logged out in=1",
        ] {
            #expect(event(end) == .sessionEnd(SessionKey("7RdtEnRhpeF/ABQB")), "\(end)")
        }
        // Dovecot's own log file: the user's process is the program.
        #expect(
            event("Nov 30 08:10:13 imap(a@b.vn)<15065><7RdtEnRhpeF/ABQB>: Info: ID sent: name=K-9 Mail, version=6.802")
                == .clientID(
                    ClientIDEvent(user: "a@b.vn", session: SessionKey("7RdtEnRhpeF/ABQB"), name: "K-9 Mail", os: "")))
        #expect(
            event("Nov 30 08:10:14 imap(a@b.vn)<15065><7RdtEnRhpeF/ABQB>: Info: Disconnected: Logged out in=1 out=2")
                == .sessionEnd(SessionKey("7RdtEnRhpeF/ABQB")))
        // A session's other lines, and a process without a session, are nothing.
        #expect(event("Nov 30 08:10:13 mail dovecot: imap(a@b.vn)<15065><7RdtEnRhpeF/ABQB>: Connection closed") == nil)
        #expect(event("Nov 30 08:10:13 mail dovecot: imap(a@b.vn)<15065>: Disconnected: Logged out") == nil)
    }

    @Test("Roundcube through syslog (log_driver = 'syslog') and in its own file: the same login")
    func roundcubeLines() {
        let file =
            "[30-Nov-2026 08:10:15 +0700]: <a4qrper0> Successful login for thangdq@namdinh.gov.vn (ID: 1) "
            + "from 127.0.30.2 in session a4qrper0hiuvlv1r"
        let syslog =
            "Nov 30 08:10:15 mail roundcube: <a4qrper0> Failed login for annv from 127.0.30.2 in session "
            + "a4qrper0hiuvlv1r (error: 0)"
        var stamp: LineTime?
        #expect(
            file.withByteView { LineClassifier.classify($0, stamp: &stamp) }
                == .mail(
                    TimedEvent(
                        time: .utc(1_796_001_015),
                        event: .webmailLogin(user: "thangdq@namdinh.gov.vn", succeeded: true))))
        #expect(stamp == .utc(1_796_001_015))
        guard case .mail(let event?) = syslog.withByteView({ LineClassifier.classify($0) }) else {
            Issue.record("not a mail line")
            return
        }
        #expect(event.event == .webmailLogin(user: "annv", succeeded: false))
        // Not a login, with Roundcube's stamp: unrecognised.
        #expect(
            "[30-Nov-2026 08:10:25 +0700]: <l1j78bhq> IMAP Error: Login failed for lanpt against 127.0.0.1"
                .withByteView { LineClassifier.classify($0) } == .unrecognised)
    }
}
