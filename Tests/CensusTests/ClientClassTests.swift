import Census
import Foundation
import MailLog
import TestSupport
import Testing

@Suite("Client classes")
struct ClientClassTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String?
        let os: String?
        let expected: ClientClass
        var testDescription: String { "\(name ?? "nil") / \(os ?? "nil")" }
    }

    // The names the clients capture's clients sent, and others of the table.
    static let names: [Case] = [
        Case(name: "Microsoft Outlook", os: nil, expected: .desktop),
        Case(name: "Thunderbird", os: nil, expected: .desktop),
        Case(name: "Mac OS X Mail", os: "Mac OS X", expected: .desktop),
        Case(name: "iPhone Mail", os: "iOS", expected: .phone),
        Case(name: "com.apple.email.maild", os: "iOS", expected: .phone),
        Case(name: "com.google.android.gm", os: "android", expected: .phone),
        Case(name: "com.samsung.android.email.provider", os: "android", expected: .phone),
        Case(name: "K-9 Mail", os: nil, expected: .phone),
        Case(name: "Thunderbird for Android", os: nil, expected: .phone),
        Case(name: "imapsync", os: "linux", expected: .other),
        Case(name: "Mail \"Pro", os: nil, expected: .other),
        Case(name: "MAIL ?? PRO", os: nil, expected: .other),
        // Case does not matter; an unknown app on a phone system is a phone.
        Case(name: "THUNDERBIRD", os: nil, expected: .desktop),
        Case(name: "Some New App", os: "Android", expected: .phone),
        Case(name: "Mail", os: "Windows", expected: .desktop),
        Case(name: "Mail", os: "Linux", expected: .other),
        Case(name: "Roundcube", os: "Linux", expected: .webmail),
        Case(name: nil, os: "iOS", expected: .unknown),
        Case(name: "", os: nil, expected: .unknown),
    ]

    @Test("folds client names into classes", arguments: names)
    func folds(_ sample: Case) {
        #expect(ClientClassTable.standard.classify(name: sample.name, os: sample.os) == sample.expected)
    }

    @Test("a policy's rules come first, and its webmail hosts make webmail logins")
    func extended() {
        let table = ClientClassTable.standard.extended(
            with: [
                .init(name: "Thunderbird", clientClass: .other),
                .init(name: "VNPT Mail*", clientClass: .phone),
            ], webmailHosts: ["127.0.0.1"])
        #expect(table.classify(name: "thunderbird") == .other)
        #expect(table.classify(name: "VNPT Mail 2.1") == .phone)
        #expect(table.classify(name: "K-9 Mail") == .phone)
        #expect(table.classify(remoteIP: "127.0.0.1", pop3: false, clientName: nil) == .webmail)
        #expect(ClientClassTable.standard.classify(remoteIP: "127.0.0.1", pop3: false, clientName: nil) == .unknown)
        #expect(table.classify(remoteIP: "10.0.0.3", pop3: true, clientName: "Thunderbird") == .pop3)
        #expect(table.classify(remoteIP: "10.0.0.3", pop3: false, clientName: "K-9 Mail") == .phone)
    }

    @Test("classes sort in the report's order")
    func order() {
        #expect(ClientClass.allCases.sorted() == [.webmail, .desktop, .phone, .other, .pop3, .unknown])
        #expect(ClientClass.phone < ClientClass.pop3)
    }

    // --- the whole capture against its truth ---------------------------------------------------

    /// Per person, the classes of the capture's logs: Dovecot's logins (joined to their ID by
    /// session), Roundcube's successful logins, and whether all the person's logins failed.
    static func classesFromLogs(
        file: String = "mail.log", withIDLines: Bool = true, withRoundcube: Bool = true
    ) throws -> (
        classes: [String: Set<ClientClass>], tried: Set<String>, ok: Set<String>, last: [String: [ClientClass: Int64]]
    ) {
        let folder = TestServers.root.appendingPathComponent("Logs/captured-clients")
        let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
        let table = ClientClassTable.standard.extended(with: [], webmailHosts: ["127.0.0.1"])
        var logins: [(DovecotLogin, String?, Int64?)] = []
        var identities: [String: ClientIdentity] = [:]
        var tried = Set<String>()
        var ok = Set<String>()
        for line in text.split(separator: "\n") where withIDLines || !line.contains("ID sent: ") {
            String(line).withByteView { bytes in
                guard let frame = SyslogFramer.frame(bytes) else { return }
                let program = bytes[frame.program]
                let body = bytes[frame.body]
                if let login = DovecotLoginDetails.parse(program: program, body: body), let user = login.user {
                    tried.insert(user)
                    if login.succeeded {
                        ok.insert(user)
                        var utc: Int64?
                        if case .utc(let seconds) = frame.time { utc = seconds }
                        logins.append((login, login.session, utc))
                    }
                }
                switch DovecotClientID.parse(program: program, body: body) {
                case .afterLogin(_, let session?, let identity), .beforeLogin(let session?, _, let identity):
                    identities[session] = identity
                default: break
                }
            }
        }
        var classes: [String: Set<ClientClass>] = [:]
        var last: [String: [ClientClass: Int64]] = [:]
        for (login, session, utc) in logins {
            let identity = session.flatMap { identities[$0] }
            let klass = table.classify(
                remoteIP: login.remoteIP, pop3: login.service == .pop3, clientName: identity?.name, os: identity?.os)
            classes[login.user!, default: []].insert(klass)
            if let utc { last[login.user!, default: [:]][klass] = max(utc, last[login.user!]?[klass] ?? utc) }
        }
        let userlogins =
            withRoundcube ? try [UInt8](Data(contentsOf: folder.appendingPathComponent("userlogins.log"))) : []
        for login in RoundcubeLoginLog.parse(contents: userlogins).logins {
            tried.insert(login.user)
            if login.succeeded {
                ok.insert(login.user)
                classes[login.user, default: []].insert(.webmail)
                last[login.user, default: [:]][.webmail] = max(
                    login.utcSeconds, last[login.user]?[.webmail] ?? login.utcSeconds)
            }
        }
        return (classes, tried, ok, last)
    }

    @Test("on the clients capture, every person's classes and failed-only finding equal the truth")
    func capture() throws {
        let folder = TestServers.root.appendingPathComponent("Logs/captured-clients")
        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("truth.json")))
                as? [String: Any])
        let staff = try #require(truth["staff"] as? [[String: Any]])
        let (classes, tried, ok, _) = try Self.classesFromLogs()
        #expect(staff.count == 25)
        for person in staff {
            guard let address = person["official_address"] as? String else { continue }
            let expected = Set((person["classes"] as? [String] ?? []).compactMap(ClientClass.init(rawValue:)))
            #expect(classes[address] ?? [] == expected, "\(person["employee_id"] ?? "")")
            let failedOnly = tried.contains(address) && !ok.contains(address)
            #expect(failedOnly == (person["failed_only"] as? Bool), "\(person["employee_id"] ?? "")")
        }
        // Per department and class, the number of staff.
        let departments = try #require(truth["departments"] as? [[String: Any]])
        for department in departments {
            let code = department["code"] as? String
            let members = staff.filter { $0["department_code"] as? String == code }
                .compactMap { $0["official_address"] as? String }
            let byClass = try #require(department["by_class"] as? [String: Int])
            for klass in ClientClass.allCases {
                #expect(members.filter { classes[$0]?.contains(klass) == true }.count == byClass[klass.rawValue])
            }
        }
    }

    @Test("on the clients capture (ISO stamps), the last login of each class lies where the truth puts it")
    func lastLogins() throws {
        let folder = TestServers.root.appendingPathComponent("Logs/captured-clients")
        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("truth.json")))
                as? [String: Any])
        let staff = try #require(truth["staff"] as? [[String: Any]])
        let (classes, _, _, last) = try Self.classesFromLogs(file: "mail-iso.log")
        let iso = ISO8601DateFormatter()
        var checked = 0
        for person in staff {
            guard let address = person["official_address"] as? String,
                let perClass = person["per_class"] as? [String: [String: Any]]
            else { continue }
            #expect(Set(perClass.keys) == Set((classes[address] ?? []).map(\.rawValue)))
            for (name, entry) in perClass {
                let klass = try #require(ClientClass(rawValue: name))
                let from = try #require((entry["last"] as? String).flatMap(iso.date(from:)))
                let until = try #require((entry["last_until"] as? String).flatMap(iso.date(from:)))
                let found = try #require(last[address]?[klass], "\(person["employee_id"] ?? "") \(name)")
                // The servers stamp to the second what the driver timed to the second.
                #expect(Int64(from.timeIntervalSince1970) - 1 <= found, "\(person["employee_id"] ?? "") \(name)")
                #expect(found <= Int64(until.timeIntervalSince1970) + 1, "\(person["employee_id"] ?? "") \(name)")
                checked += 1
            }
        }
        #expect(checked == 31)
    }

    @Test(
        "without imap_id_log, IMAP clients are unknown and the rest is unchanged; without Roundcube's log, nothing changes"
    )
    func missingEvidence() throws {
        let full = try Self.classesFromLogs()
        let withoutID = try Self.classesFromLogs(withIDLines: false)
        let withoutRoundcube = try Self.classesFromLogs(withRoundcube: false)
        #expect(withoutRoundcube.classes == full.classes)
        #expect(withoutRoundcube.tried == full.tried)
        #expect(withoutRoundcube.ok == full.ok)
        #expect(withoutID.tried == full.tried)
        #expect(withoutID.ok == full.ok)
        for (address, classes) in full.classes {
            let folded = Set(classes.map { [.desktop, .phone, .other].contains($0) ? ClientClass.unknown : $0 })
            #expect(withoutID.classes[address] == folded, "\(address)")
        }
        #expect(full.classes.values.contains { $0.contains(.phone) })
    }
}
