import Basics
import Census
import Foundation
import Testing

@Suite("Client census")
struct ClientCensusTests {
    static func people(_ report: CensusReport) -> [String: StaffFigures] {
        Dictionary(
            uniqueKeysWithValues: report.departments.flatMap(\.staff).map { ($0.employeeID, $0) })
    }

    @Test("on the clients capture, every person's classes, logins and failed-only finding equal the truth")
    func people() throws {
        let report = try ClientCapture.report()
        let truth = try ClientCapture.truth()
        let staff = try #require(truth["staff"] as? [[String: Any]])
        let people = Self.people(report)
        #expect(people.count == 25)
        let iso = ISO8601DateFormatter()
        var lastChecked = 0
        for entry in staff {
            let id = try #require(entry["employee_id"] as? String)
            let person = try #require(people[id])
            let usage = try #require(person.clients, "\(id)")
            let expected = (entry["classes"] as? [String] ?? []).compactMap(ClientClass.init(rawValue:))
            #expect(usage.classesUsed == expected.sorted(), "\(id)")
            #expect(person.failedOnly == (entry["failed_only"] as? Bool), "\(id)")
            let perClass = entry["per_class"] as? [String: [String: Any]] ?? [:]
            for (name, detail) in perClass {
                let clientClass = try #require(ClientClass(rawValue: name))
                // Roundcube's logins counted once: its own log, not its IMAP logins.
                #expect(usage.logins(clientClass) == detail["logins"] as? Int, "\(id) \(name)")
                let from = try #require((detail["last"] as? String).flatMap(iso.date(from:)))
                let until = try #require((detail["last_until"] as? String).flatMap(iso.date(from:)))
                let last = try #require(usage.classes[clientClass]?.lastSeen)
                #expect(Int64(from.timeIntervalSince1970) - 1 <= last && last <= Int64(until.timeIntervalSince1970) + 1)
                lastChecked += 1
            }
            let names = Set(perClass.values.flatMap { $0["clients"] as? [String] ?? [] })
            #expect(
                Set(usage.clientNames.map { String($0.prefix(77)) }) == Set(names.map { String($0.prefix(77)) })
                    || id == "ND209", "\(id)")
        }
        #expect(lastChecked == 31)
    }

    @Test("on the clients capture, each department's official-active staff per class equal the truth")
    func departments() throws {
        let report = try ClientCapture.report()
        let truth = try ClientCapture.truth()
        let departments = try #require(truth["departments"] as? [[String: Any]])
        #expect(departments.count == report.departments.count)
        for expected in departments {
            let code = try #require(expected["code"] as? String)
            let figures = try #require(report.departments.first { $0.code == code })
            let byClass = try #require(expected["by_class"] as? [String: Int])
            for clientClass in ClientClass.allCases {
                #expect(
                    report.clientStaff(figures, clientClass) == byClass[clientClass.rawValue], "\(code) \(clientClass)")
            }
            #expect(report.failedOnly(figures) == expected["failed_only"] as? Int, "\(code)")
            #expect(figures.officialActive == expected["active"] as? Int, "\(code)")
            #expect(figures.headcount == expected["staff"] as? Int, "\(code)")
        }
        let byClass = try #require(truth["staff_by_class"] as? [String: Int])
        let logins = try #require((truth["logins"] as? [String: Any])?["by_class"] as? [String: Int])
        for clientClass in ClientClass.allCases {
            #expect(report.clientStaff(report.total, clientClass) == byClass[clientClass.rawValue], "\(clientClass)")
            // Webmail counted once: 15 Roundcube logins, not its 45 IMAP logins.
            #expect(report.clientLogins(report.total, clientClass) == logins[clientClass.rawValue], "\(clientClass)")
        }
        let failedOnly = try #require(truth["failed_only"] as? [String])
        #expect(report.departments.flatMap(\.staff).filter(\.failedOnly).map(\.employeeID).sorted() == failedOnly)
        #expect(report.clientEvidence?.missing == [])
        #expect(report.clientEvidence?.clientIDDays == 3 && report.clientEvidence?.webmailLogDays == 3)
    }

    @Test("without Roundcube's log, webmail is counted from the webmail's IMAP logins, and the report says so")
    func withoutRoundcube() throws {
        let full = try ClientCapture.report()
        let report = try ClientCapture.report(withRoundcube: false)
        #expect(report.clientEvidence?.missing == [.webmailLog])
        for clientClass in ClientClass.allCases {
            #expect(report.clientStaff(report.total, clientClass) == full.clientStaff(full.total, clientClass))
        }
        // One a person and day for Roundcube's 45 IMAP logins: the capture's 15 (no one logged
        // into the webmail twice in a day).
        #expect(report.clientLogins(report.total, .webmail) == 15)
        let people = Self.people(report)
        #expect(people.values.filter(\.failedOnly).count == 4)
    }

    @Test("without imap_id_log, IMAP clients are unknown, desktop and phone not measured, the rest unchanged")
    func withoutIDs() throws {
        let full = Self.people(try ClientCapture.report())
        let report = try ClientCapture.report(withIDLines: false)
        #expect(report.clientEvidence?.missing == [.clientIDs])
        for clientClass in [ClientClass.desktop, .phone, .other] {
            #expect(report.clientStaff(report.total, clientClass) == nil)
        }
        #expect(report.clientStaff(report.total, .webmail) == 10)
        #expect(report.clientStaff(report.total, .pop3) == 4)
        for (id, person) in Self.people(report) {
            let before = Set(full[id]?.clients?.classesUsed ?? [])
            let folded = Set(before.map { [.desktop, .phone, .other].contains($0) ? ClientClass.unknown : $0 })
            #expect(Set(person.clients?.classesUsed ?? []) == folded, "\(id)")
            #expect(person.failedOnly == full[id]?.failedOnly, "\(id)")
        }
    }

    @Test("with neither the webmail's log nor webmail_hosts, webmail is not measured")
    func withoutWebmail() throws {
        let report = try ClientCapture.report(withRoundcube: false, webmailHosts: [])
        #expect(report.clientEvidence?.missing == [.webmail])
        #expect(report.clientStaff(report.total, .webmail) == nil)
        // Roundcube's IMAP logins are then IMAP logins without an ID.
        #expect(Self.people(report)["ND103"]?.clients?.classesUsed == [.unknown])
    }

    @Test("an empty ClientData: the evidence is missing, no class is given, failed-only still from the daily logins")
    func empty() throws {
        let (_, census) = try ClientCapture.load()
        let adoption = AdoptionCensus(
            policy: ClientCapture.policy(), roster: try ClientCapture.roster(), data: census, clients: ClientData())
        let report = adoption.report(period: ClientCapture.period)
        #expect(report.clientEvidence?.missing == [.noClientData])
        #expect(report.clientEvidence?.isMeasured == false)
        for clientClass in ClientClass.allCases {
            #expect(report.clientStaff(report.total, clientClass) == nil)
            #expect(report.clientLogins(report.total, clientClass) == nil)
        }
        // Dovecot's failed attempts alone: ND106 (Roundcube's wrong password), ND205, ND207, ND606.
        #expect(
            Self.people(report).values.filter(\.failedOnly).map(\.employeeID).sorted() == [
                "ND106", "ND205", "ND207", "ND606",
            ])
        // Without the client census, the report is as before.
        let plain = try ClientCapture.report(clients: false)
        #expect(plain.clientEvidence == nil && plain.total.clients == nil)
        #expect(plain.departments.flatMap(\.staff).allSatisfy { $0.clients == nil && !$0.failedOnly })
        var stripped = report
        stripped.clientEvidence = nil
        stripped.total.clients = nil
        for index in stripped.departments.indices {
            stripped.departments[index].clients = nil
            for person in stripped.departments[index].staff.indices {
                stripped.departments[index].staff[person].clients = nil
                stripped.departments[index].staff[person].failedOnly = false
            }
        }
        #expect(stripped == plain)
    }

    @Test(
        "the counting rule: webmail host logins show presence on a person's days in the webmail's log, one login on others"
    )
    func countingRule() {
        let table = ClientClassTable.standard.extended(with: [], webmailHosts: ["127.0.0.1"])
        let data = ClientData(
            addresses: ["a@x.vn"],
            logins: [
                ClientLogins(day: 1, address: 0, origin: .webmail, logins: 1, failed: 1, lastSeen: 100),
                ClientLogins(day: 1, address: 0, origin: .webmailHost, logins: 4, failed: 1, lastSeen: 160),
                ClientLogins(day: 2, address: 0, origin: .webmailHost, logins: 3, failed: 0, lastSeen: 200),
                ClientLogins(day: 3, address: 0, origin: .webmailHost, logins: 2, failed: 0, lastSeen: 300),
                ClientLogins(
                    day: 3, address: 0, origin: .imap, clientName: "Roundcube", logins: 2, failed: 0, lastSeen: 310),
                ClientLogins(
                    day: 3, address: 0, origin: .imap, clientName: "iPhone Mail", clientOS: "iOS", logins: 1,
                    failed: 2, lastSeen: 320),
                ClientLogins(day: 3, address: 0, origin: .pop3, logins: 0, failed: 1, lastSeen: 330),
            ],
            evidence: [1: [.webmailLog, .webmailHosts], 2: [.webmailHosts], 3: [.webmailLog, .clientIDs]])
        let census = ClientCensus(data: data, table: table)
        let usage = census.usageByAddress(over: DayRange(from: 1, through: 3))["a@x.vn"]
        // Day 1: Roundcube's line; day 2: one for the host's 3; day 3: one for the host's and
        // the Roundcube client's 4 (the person has no line in the webmail's log that day).
        #expect(usage?.logins(.webmail) == 1 + 1 + 1)
        #expect(usage?.classes[.webmail]?.lastSeen == 310)
        #expect(usage?.logins(.phone) == 1)
        #expect(usage?.classes[.pop3] == nil)
        #expect(usage?.failed == 1 + 2 + 1)
        #expect(usage?.clientNames == ["Roundcube", "iPhone Mail"])
        let onlyDay2 = census.usageByAddress(over: DayRange(from: 2, through: 2))["a@x.vn"]
        #expect(onlyDay2?.logins(.webmail) == 1)
        let evidence = census.evidence(over: DayRange(from: 1, through: 5), utcOffset: 0)
        #expect(evidence.days == 5 && evidence.daysWithData == 3)
        #expect(evidence.clientIDDays == 1 && evidence.webmailLogDays == 2 && evidence.webmailHostDays == 2)
        #expect(evidence.missing.isEmpty)
    }

    @Test("privacy: client classes with fewer people than the minimum group are hidden, and no one is named")
    func privacy() throws {
        let report = try ClientCapture.report().redacted(minimumGroup: 5)
        #expect(report.departments.allSatisfy { $0.staff.isEmpty })
        // Each department has 7 to 9 staff: shown, but no class reaches 5 people.
        for figures in report.departments {
            for clientClass in ClientClass.allCases {
                let count = try #require(figures.clients).staff[clientClass] ?? 0
                #expect(report.clientStaff(figures, clientClass) == (count == 0 ? 0 : nil))
            }
            #expect(report.failedOnly(figures) == nil)
        }
        #expect(report.clientStaff(report.total, .webmail) == 10)
        #expect(report.clientStaff(report.total, .other) == nil)
        #expect(report.failedOnly(report.total) == nil)
    }

    @Test(
        "privacy: the province's figure of a class is hidden when the departments' hidden cells of it sum to fewer than the minimum group"
    )
    func privacyComplement() throws {
        let report = try ClientCapture.report().redacted(minimumGroup: 4)
        let code = { (department: String) in try #require(report.departments.first { $0.code == department }) }
        // Phone: VPUBND 4 and SNV 4 shown, XMYTHANH's 2 hidden: the province's 10 would give them away.
        #expect(report.clientStaff(try code("VPUBND"), .phone) == 4)
        #expect(report.clientStaff(try code("XMYTHANH"), .phone) == nil)
        #expect(report.clientStaff(report.total, .phone) == nil)
        // Webmail: SNV's 3 and XMYTHANH's 3 hidden, 6 together: the province's 10 is shown.
        #expect(report.clientStaff(report.total, .webmail) == 10)
        // Desktop: 2, 3 and 0, every cell hidden, 5 together.
        #expect(report.clientStaff(report.total, .desktop) == 5)
        // Failed-only: 1, 2, 1, hidden each, 4 together.
        #expect(report.failedOnly(report.total) == 4)
    }
}
