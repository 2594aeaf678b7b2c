import Basics
import Census
import CensusStore
import Foundation
import MailLog
import TestSupport
import Testing

/// Client evidence from the clients capture (Logs/captured-clients: Dovecot's logins and `ID`
/// lines, Roundcube's `userlogins.log`) through a real ingest into a real store, against the
/// driver's truth. Each run on SQLite and on PostgreSQL by the suites below.
struct ClientEvidenceStoreTests {
    static let folder = TestServers.root.appendingPathComponent("Logs/captured-clients")
    static func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    static var options: IngestOptions {
        var options = IngestOptions(utcOffset: 7 * 3600, loginDomain: "namdinh.gov.vn")
        options.webmailHosts = ["127.0.0.1"]
        return options
    }

    /// What one person's rows say, added up over the days.
    struct Person: Equatable {
        var webmail = 0
        var webmailFailed = 0
        var webmailHost = 0
        var webmailHostFailed = 0
        var pop3 = 0
        var pop3Failed = 0
        var imap = 0
        var imapFailed = 0
        /// IMAP logins that named no client.
        var imapWithoutID = 0
        var clients: Set<String> = []
        var lastWebmail: Int64?
    }

    static func people(_ data: ClientData) -> [String: Person] {
        var people: [String: Person] = [:]
        for row in data.logins {
            let address = data.addresses[Int(row.address)]
            var person = people[address] ?? Person()
            let logins = Int(row.logins)
            let failed = Int(row.failed)
            switch row.origin {
            case .webmail:
                person.webmail += logins
                person.webmailFailed += failed
                if logins > 0 { person.lastWebmail = max(person.lastWebmail ?? row.lastSeen, row.lastSeen) }
            case .webmailHost:
                person.webmailHost += logins
                person.webmailHostFailed += failed
            case .pop3:
                person.pop3 += logins
                person.pop3Failed += failed
            case .imap:
                person.imap += logins
                person.imapFailed += failed
                if row.clientName.isEmpty { person.imapWithoutID += logins }
                if logins > 0 && !row.clientName.isEmpty { person.clients.insert(row.clientName) }
            }
            people[address] = person
        }
        return people
    }

    /// Rows keyed by address text, so that stores that numbered addresses in another order compare.
    static func normalised(_ data: ClientData) -> [String] {
        data.logins.map {
            "\($0.day) \(data.addresses[Int($0.address)]) \($0.origin) \($0.clientName)|\($0.clientOS) "
                + "\($0.logins)/\($0.failed) \($0.lastSeen)"
        }.sorted()
    }

    /// A client name as the truth has it (cut to 200 characters, bad bytes as U+FFFD) and as
    /// Dovecot logs it (cut to 77 characters, bad bytes as `?`): the same client.
    static func sameClient(logged: String, truth: String) -> Bool {
        let folded = truth.replacingOccurrences(of: "\u{FFFD}", with: "?")
        return logged == folded || (logged.count >= 70 && folded.hasPrefix(logged))
    }

    func capture(backend: Backend) throws {
        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.folder.appendingPathComponent("truth.json")))
                as? [String: Any])
        let staff = try #require(truth["staff"] as? [[String: Any]])
        let temporary = TemporaryFolder()
        let store = try backend.newStore(temporary)
        try store.ingest([Self.path("mail.log"), Self.path("userlogins.log")], options: Self.options)
        let data = try store.clientData(from: nil, through: nil, sources: .all)
        let people = Self.people(data)
        let iso = ISO8601DateFormatter()
        var checked = 0
        var totals = (webmail: 0, imap: 0, pop3: 0, failed: 0)
        for person in staff {
            guard let address = person["official_address"] as? String else { continue }
            let id = person["employee_id"] as? String ?? ""
            let perClass = person["per_class"] as? [String: [String: Any]] ?? [:]
            let failed = person["failed_logins"] as? [String: Int] ?? [:]
            let found = people[address] ?? Person()
            func logins(_ name: String) -> Int { perClass[name]?["logins"] as? Int ?? 0 }
            // Roundcube's logins, once each, from its own log.
            #expect(found.webmail == logins("webmail"), "\(id) webmail")
            #expect(found.webmailFailed == failed["webmail"] ?? 0, "\(id) webmail failures")
            // Each Roundcube failure is one refused IMAP login from the webmail's host; each
            // success several logins from there, never counted as IMAP clients.
            #expect(found.webmailHostFailed == failed["webmail"] ?? 0, "\(id) webmail host failures")
            #expect((found.webmailHost >= found.webmail) && (found.webmailHost > 0) == (found.webmail > 0), "\(id)")
            #expect(found.pop3 == logins("pop3"), "\(id) pop3")
            #expect(found.pop3Failed == failed["pop3"] ?? 0, "\(id) pop3 failures")
            let imapClasses = ["desktop", "phone", "other", "unknown"]
            #expect(found.imap == imapClasses.map(logins).reduce(0, +), "\(id) imap")
            #expect(found.imapWithoutID == logins("unknown"), "\(id) imap without ID")
            #expect(found.imapFailed == imapClasses.map { failed[$0] ?? 0 }.reduce(0, +), "\(id) imap failures")
            let truthClients = imapClasses.flatMap { perClass[$0]?["clients"] as? [String] ?? [] }
            #expect(found.clients.count == Set(truthClients).count, "\(id) clients")
            for name in found.clients {
                #expect(truthClients.contains { Self.sameClient(logged: name, truth: $0) }, "\(id) \(name)")
            }
            if let entry = perClass["webmail"], let last = found.lastWebmail {
                let from = try #require((entry["last"] as? String).flatMap(iso.date(from:)))
                let until = try #require((entry["last_until"] as? String).flatMap(iso.date(from:)))
                #expect(Int64(from.timeIntervalSince1970) - 1 <= last && last <= Int64(until.timeIntervalSince1970) + 1)
            }
            totals.webmail += found.webmail
            totals.imap += found.imap
            totals.pop3 += found.pop3
            totals.failed += found.webmailFailed + found.pop3Failed + found.imapFailed
            checked += 1
        }
        #expect(checked == 24)
        // The truth's totals: 51 logins (webmail 15, pop3 8, IMAP 28), 12 failed.
        #expect(totals.webmail == 15 && totals.pop3 == 8 && totals.imap == 28 && totals.failed == 12)
        // Three days, each with every kind of evidence.
        let first = Int32(CivilTime.days(year: 2026, month: 11, day: 30))
        let all: ClientEvidence = [.clientIDs, .webmailLog, .webmailHosts]
        #expect(data.evidence == [first: all, first + 1: all, first + 2: all])
        // A day range reads those days only.
        let middle = try store.clientData(from: Int(first) + 1, through: Int(first) + 1, sources: .all)
        #expect(Set(middle.logins.map(\.day)) == [first + 1])
        #expect(middle.evidence.keys.sorted() == [first + 1])

        // The files in the other order, and the ISO-stamped log: the same rows.
        let expected = Self.normalised(data)
        for files in [["userlogins.log", "mail.log"], ["mail-iso.log", "userlogins.log"]] {
            let other = try backend.newStore(temporary, files[0])
            try other.ingest(files.map(Self.path), options: Self.options)
            #expect(Self.normalised(try other.clientData(from: nil, through: nil, sources: .all)) == expected)
        }
    }

    /// Killed at any commit and run again: the same rows as one clean run (sessions waiting for
    /// their client's `ID` are saved with the state).
    func crashAndResume(backend: Backend) throws {
        let temporary = TemporaryFolder()
        var options = Self.options
        options.chunkSize = 2000
        options.commitInterval = 6000
        let paths = [Self.path("mail.log"), Self.path("userlogins.log")]
        let clean = try backend.newStore(temporary, "clean")
        try clean.ingest(paths, options: options)
        let expected = Self.normalised(try clean.clientData(from: nil, through: nil, sources: .all))
        #expect(expected.count > 50)
        for commits in [1, 2, 4, 7, 10] {
            let location = try backend.newLocation(temporary, "crash-\(commits)")
            let failing = try StoreTests.FailingSink(try backend.open(location), commits: commits)
            #expect(throws: MemorySink.Crash.self) { try Ingestor(sink: failing, options: options).run(paths: paths) }
            let reopened = try backend.open(location)
            try reopened.ingest(paths, options: options)
            #expect(Self.normalised(try reopened.clientData(from: nil, through: nil, sources: .all)) == expected)
        }
    }

    /// A class's last login is a login, not a failed attempt after it, in one commit or across
    /// several; a row of failures only keeps the last failure.
    func lastLogin(backend: Backend) throws {
        let temporary = TemporaryFolder()
        let log = temporary.write(
            "mail.log",
            """
            Nov 30 07:00:00 mail dovecot: pop3-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<a@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5, lip=10.0.0.1, session=<s1>
            Nov 30 08:00:00 mail dovecot: pop3-login: Login: user=<a@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5, lip=10.0.0.1, mpid=2, session=<s2>
            Nov 30 09:00:00 mail dovecot: pop3-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<b@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.6, lip=10.0.0.1, session=<s3>
            Nov 30 17:00:00 mail dovecot: pop3-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<a@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5, lip=10.0.0.1, session=<s4>
            Nov 30 18:00:00 mail dovecot: pop3-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<b@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.6, lip=10.0.0.1, session=<s5>

            """)
        // 30 November 2026 at 00:00 in Vietnam's time, in UTC seconds.
        let midnight = Int64(CivilTime.days(year: 2026, month: 11, day: 30)) * 86_400 - 7 * 3600
        for commitInterval: Int64 in [1 << 30, 1] {
            var options = Self.options
            // One line a chunk, two chunks a batch: a commit every two lines when asked.
            (options.chunkSize, options.workers, options.commitInterval) = (100, 1, commitInterval)
            let store = try backend.newStore(temporary, "last-\(commitInterval)")
            try store.ingest([log], options: options)
            let data = try store.clientData(from: nil, through: nil, sources: .all)
            func row(_ address: String) -> ClientLogins? {
                data.logins.first { data.addresses[Int($0.address)] == address }
            }
            #expect(row("a@namdinh.gov.vn")?.logins == 1 && row("a@namdinh.gov.vn")?.failed == 2)
            #expect(row("a@namdinh.gov.vn")?.lastSeen == midnight + 8 * 3600, "commit every \(commitInterval) bytes")
            #expect(row("b@namdinh.gov.vn")?.lastSeen == midnight + 18 * 3600, "commit every \(commitInterval) bytes")
        }
    }

    /// Client names that are too long, not UTF-8 or badly quoted, and a Roundcube log in another
    /// date format: the lines that can be read count, the others are shown by path and line.
    func badInput(backend: Backend) throws {
        let temporary = TemporaryFolder()
        let long = String(repeating: "X", count: 10_000)
        var mail = Data()
        func line(_ text: String) { mail.append(contentsOf: Array((text + "\n").utf8)) }
        func login(_ second: Int, _ user: String, _ session: String) {
            line(
                "Nov 30 09:00:\(10 + second) mail dovecot: imap-login: Login: user=<\(user)>, method=PLAIN, "
                    + "rip=10.0.0.\(second), lip=10.0.0.1, mpid=1\(second), session=<\(session)>")
        }
        login(1, "a@namdinh.gov.vn", "sessionOne")
        line(
            "Nov 30 09:00:11 mail dovecot: imap(a@namdinh.gov.vn)<11><sessionOne>: ID sent: name=\(long), version=1.0")
        login(2, "b@namdinh.gov.vn", "sessionTwo")
        // Bytes that are not UTF-8 in the name: the line cannot be read, the login counts.
        mail.append(
            contentsOf: Array(
                "Nov 30 09:00:12 mail dovecot: imap(b@namdinh.gov.vn)<12><sessionTwo>: ID sent: name=Mail ".utf8))
        mail.append(contentsOf: [0xFF, 0xFE])
        line(" Pro, version=2.0")
        line(
            "Nov 30 09:00:12 mail dovecot: imap(b@namdinh.gov.vn)<12><sessionTwo>: Disconnected: Logged out in=1 out=2")
        login(3, "c@namdinh.gov.vn", "sessionThree")
        line(
            "Nov 30 09:00:13 mail dovecot: imap(c@namdinh.gov.vn)<13><sessionThree>: ID sent: name=\"Mail \"Pro, version=3.0 \"beta"
        )
        let mailPath = temporary.path("mail.log")
        try mail.write(to: URL(fileURLWithPath: mailPath))
        let roundcube = temporary.write(
            "userlogins.log",
            """
            [30-Nov-2026 08:10:15 +0700]: <a4qrper0> Successful login for d@namdinh.gov.vn (ID: 1) from 10.0.1.1 in session a4qrper0hiuvlv1r
            [2026-11-30 08:11:15 +0700]: <b4qrper0> Successful login for e@namdinh.gov.vn (ID: 2) from 10.0.1.2 in session b4qrper0hiuvlv1r
            [30-Nov-2026 08:12:15 +0700]: <c4qrper0> Failed login for f@namdinh.gov.vn from 10.0.1.3 in session c4qrper0hiuvlv1r (error: 0)
            [31-Nov-2026 08:13:15 +0700]: <d4qrper0> Successful login for g@namdinh.gov.vn (ID: 3) from 10.0.1.4 in session d4qrper0hiuvlv1r

            """)
        // A name in another encoding (Latin-1): not counted, and its sample does not show it.
        var latin = try Data(contentsOf: URL(fileURLWithPath: roundcube))
        latin.append(contentsOf: Array("[30-Nov-2026 08:14:15 +0700]: <e4qrper0> Successful login for ph".utf8))
        latin.append(contentsOf: [0xF9, 0x6F, 0x6E, 0x67])
        latin.append(contentsOf: Array("@namdinh.gov.vn (ID: 4) from 10.0.1.5 in session e4qrper0hiuvlv1r\n".utf8))
        try latin.write(to: URL(fileURLWithPath: roundcube))
        let store = try backend.newStore(temporary)
        func run(_ sink: some IngestSink) throws -> IngestReport {
            try Ingestor(sink: sink, options: Self.options).run(paths: [mailPath, roundcube])
        }
        let report = try run(try store.defaultSink)
        let data = try store.clientData(from: nil, through: nil, sources: .all)
        let people = Self.people(data)
        let longName = try #require(people["a@namdinh.gov.vn"]?.clients.first)
        #expect(longName.count == DovecotClientID.maximumValueLength && longName.allSatisfy { $0 == "X" })
        #expect(people["b@namdinh.gov.vn"]?.imap == 1 && people["b@namdinh.gov.vn"]?.imapWithoutID == 1)
        #expect(people["c@namdinh.gov.vn"]?.clients == ["\"Mail \"Pro"])
        #expect(people["d@namdinh.gov.vn"]?.webmail == 1)
        #expect(people["f@namdinh.gov.vn"]?.webmailFailed == 1)
        #expect(people["e@namdinh.gov.vn"] == nil && people["g@namdinh.gov.vn"] == nil)
        let mailOutcome = try #require(report.files.first { $0.path == mailPath })
        #expect(mailOutcome.unrecognised == 1)
        #expect(mailOutcome.samples.count == 1 && mailOutcome.samples[0].hasPrefix("\(mailPath):4: "))
        let roundcubeOutcome = try #require(report.files.first { $0.path == roundcube })
        #expect(roundcubeOutcome.unrecognised == 3)
        let otherFormat =
            "\(roundcube):2: [2026-11-30 08:11:15 +0700] Roundcube's login log: the line does not start with "
            + "Roundcube's default stamp [02-Dec-2026 10:42:13 +0700]; set $config['log_date_format'] = "
            + "'d-M-Y H:i:s O' (Roundcube's default) in Roundcube's config.inc.php, or convert the file; the "
            + "line was not counted"
        let noSuchDay =
            "\(roundcube):4: [31-Nov-2026 08:13:15 +0700] Roundcube's login log: the stamp names a date or time "
            + "that does not exist; the line was not counted"
        let notText =
            "\(roundcube):5: [30-Nov-2026 08:14:15 +0700] Roundcube's login log: the line is not UTF-8 text; "
            + "the line was not counted"
        #expect(roundcubeOutcome.samples == [otherFormat, noSuchDay, notText])
        // Nothing lost: every line is read, parsed or counted as unrecognised.
        let statistics = try store.statistics()
        #expect(statistics.linesRead == 12 && statistics.linesUnrecognised == 4)
    }
}

@Suite("Client evidence in the store, on SQLite")
struct SQLiteClientEvidenceTests {
    @Test("the clients capture: per person, webmail (once), POP3, IMAP clients and failures equal the truth")
    func capture() throws { try ClientEvidenceStoreTests().capture(backend: .sqlite) }

    @Test("killed at any commit and run again: the same client rows as one clean run")
    func crashAndResume() throws { try ClientEvidenceStoreTests().crashAndResume(backend: .sqlite) }

    @Test("long, broken and badly quoted client names; a Roundcube log in another date format")
    func badInput() throws { try ClientEvidenceStoreTests().badInput(backend: .sqlite) }

    @Test("a class's last login is a login, not a failed attempt after it, in one commit or several")
    func lastLogin() throws { try ClientEvidenceStoreTests().lastLogin(backend: .sqlite) }
}

@Suite("Client evidence in the store, on PostgreSQL", .tags(.postgres), .needs(.postgres))
struct PostgreSQLClientEvidenceTests {
    @Test("the clients capture: per person, webmail (once), POP3, IMAP clients and failures equal the truth")
    func capture() throws { try ClientEvidenceStoreTests().capture(backend: .postgres) }

    @Test("killed at any commit and run again: the same client rows as one clean run")
    func crashAndResume() throws { try ClientEvidenceStoreTests().crashAndResume(backend: .postgres) }

    @Test("long, broken and badly quoted client names; a Roundcube log in another date format")
    func badInput() throws { try ClientEvidenceStoreTests().badInput(backend: .postgres) }

    @Test("a class's last login is a login, not a failed attempt after it, in one commit or several")
    func lastLogin() throws { try ClientEvidenceStoreTests().lastLogin(backend: .postgres) }
}
