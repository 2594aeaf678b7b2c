import Basics
import Census
import Foundation
import Jobs
import Reports
import TestSupport
import Testing

/// The clients capture (`Logs/captured-clients`: real Dovecot with `imap_id_log`, real Roundcube)
/// through the commands' jobs: ingest with the policy's `webmail_hosts`, then the report and
/// `activity`, against the driver's truth.
@Suite("Client census end to end: ingest, report and activity of the clients capture against its truth")
struct ClientsJobTests {
    static let capture = TestServers.root.appendingPathComponent("Logs/captured-clients")
    let folder = TemporaryFolder()

    var store: StoreAccess { StoreAccess(location: folder.path("store.sqlite")) }

    func configuration(webmailHosts: String = "[127.0.0.1]") throws -> Configuration {
        try Configuration.load(
            path: folder.write(
                "policy.yaml",
                """
                province: Nam Định
                utc_offset: "+07:00"
                official_domains: [namdinh.gov.vn]
                login_domain: namdinh.gov.vn
                webmail_hosts: \(webmailHosts)

                """))
    }

    func truth() throws -> [String: Any] {
        let data = try Data(contentsOf: Self.capture.appendingPathComponent("truth.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The report's JSON for the capture's three days, the logs given in `files` order.
    func report(_ configuration: Configuration, files: [String]) throws -> [String: Any] {
        let paths = files.map { $0.hasPrefix("/") ? $0 : Self.capture.appendingPathComponent($0).path }
        _ = try IngestJob(files: paths).run(
            policy: configuration.policy, store: try store.open(mustExist: false), log: .discarding)
        let query = CensusQuery(
            rosterPath: Self.capture.appendingPathComponent("roster.csv").path, days: 3,
            until: CivilTime.days(year: 2026, month: 12, day: 2))
        let job = ReportJob(configuration: configuration, store: store, query: query, format: .json, out: nil)
        guard case .text(let text) = try job.run(log: .discarding) else { throw Stop() }
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    struct Stop: Error {}

    static func staff(_ figures: Any?) -> [String: Int] {
        let clients = (figures as? [String: Any])?["clients"] as? [String: Any]
        // A class the evidence cannot show is null, and left out here.
        return ((clients?["staff"] as? [String: Any]) ?? [:]).compactMapValues { $0 as? Int }
    }

    @Test(
        "every department's official-active staff by class and its failed-only staff equal the truth, in either file order",
        arguments: [["mail.log", "userlogins.log"], ["userlogins.log", "mail-iso.log"]])
    func departments(files: [String]) throws {
        let report = try report(try configuration(), files: files)
        let truth = try truth()
        let truthDepartments = try #require(truth["departments"] as? [[String: Any]])
        let departments = try #require(report["departments"] as? [[String: Any]])
        #expect(departments.count == truthDepartments.count)
        for expected in truthDepartments {
            let code = try #require(expected["code"] as? String)
            let department = try #require(departments.first { $0["code"] as? String == code }, "\(code)")
            #expect(Self.staff(department) == expected["by_class"] as? [String: Int], "\(code)")
            let clients = department["clients"] as? [String: Any]
            #expect(clients?["failed_only"] as? Int == expected["failed_only"] as? Int, "\(code)")
        }
        #expect(Self.staff(report["province_total"]) == truth["staff_by_class"] as? [String: Int])
        // Roundcube's logins counted once: its own lines, not its IMAP logins from the webmail host.
        let logins = (report["province_total"] as? [String: Any]).flatMap { $0["clients"] as? [String: Any] }
        let truthLogins = (truth["logins"] as? [String: Any])?["by_class"] as? [String: Int]
        #expect(logins?["logins"] as? [String: Int] == truthLogins)
        let evidence = report["client_evidence"] as? [String: Any]
        #expect(evidence?["missing"] as? [String] == [])
    }

    @Test("every person's classes and logins per class are the truth's")
    func people() throws {
        let report = try report(try configuration(), files: ["mail.log", "userlogins.log"])
        let people = (report["departments"] as? [[String: Any]] ?? []).flatMap {
            $0["staff"] as? [[String: Any]] ?? []
        }
        let truth = try #require(try truth()["staff"] as? [[String: Any]])
        #expect(people.count == truth.count)
        for expected in truth {
            let id = try #require(expected["employee_id"] as? String)
            let person = try #require(people.first { $0["employee_id"] as? String == id }, "\(id)")
            let clients = person["clients"] as? [String: Any]
            #expect(Set(clients?["classes"] as? [String] ?? []) == Set(expected["classes"] as? [String] ?? []), "\(id)")
            let byClass = clients?["by_class"] as? [String: [String: Any]] ?? [:]
            for (name, figures) in expected["per_class"] as? [String: [String: Any]] ?? [:] {
                #expect(byClass[name]?["logins"] as? Int == figures["logins"] as? Int, "\(id) \(name)")
            }
        }
    }

    @Test(
        "a server without imap_id_log, Roundcube or webmail_hosts: the same census, logins unknown, the evidence named missing"
    )
    func withoutEvidence() throws {
        let full = try report(try configuration(), files: ["mail.log", "userlogins.log"])
        // Dovecot's lines without its ID lines, into a store of their own.
        let plain = folder.write(
            "plain.log",
            try String(contentsOf: Self.capture.appendingPathComponent("mail.log"), encoding: .utf8)
                .split(separator: "\n").filter { !$0.contains("ID sent:") }.joined(separator: "\n") + "\n")
        let bare = ClientsJobTests()
        let report = try bare.report(try bare.configuration(webmailHosts: "[]"), files: [plain])
        func categories(_ report: [String: Any]) -> [String: String] {
            var found: [String: String] = [:]
            for department in report["departments"] as? [[String: Any]] ?? [] {
                for person in department["staff"] as? [[String: Any]] ?? [] {
                    found[person["employee_id"] as? String ?? ""] = person["category"] as? String
                }
            }
            return found
        }
        #expect(!categories(report).isEmpty)
        #expect(categories(report) == categories(full))
        let staff = Self.staff(report["province_total"])
        #expect(staff["unknown"] ?? 0 > 0)
        #expect(staff["pop3"] == 4)
        #expect(staff["desktop"] == nil && staff["phone"] == nil, "not measured without client IDs")
        let missing = (report["client_evidence"] as? [String: Any])?["missing"] as? [String]
        #expect(missing == ["no_client_ids", "no_webmail"])
    }

    @Test("the failed-only staff are the truth's, by employee id")
    func failedOnly() throws {
        let report = try report(try configuration(), files: ["mail.log", "userlogins.log"])
        let people = (report["departments"] as? [[String: Any]] ?? []).flatMap {
            $0["staff"] as? [[String: Any]] ?? []
        }
        let failed = people.filter { $0["failed_only"] as? Bool == true }.compactMap { $0["employee_id"] as? String }
        #expect(failed.sorted() == (try truth()["failed_only"] as? [String])?.sorted())
    }

    @Test(
        "without Roundcube's log the webmail is counted from its host's logins, and the report says the log was missing"
    )
    func withoutRoundcube() throws {
        let report = try report(try configuration(), files: ["mail.log"])
        #expect(Self.staff(report["province_total"])["webmail"] == 10)
        // One a person and day from Roundcube's 45 IMAP logins.
        let clients = (report["province_total"] as? [String: Any])?["clients"] as? [String: Any]
        #expect((clients?["logins"] as? [String: Any])?["webmail"] as? Int == 15)
        let missing = (report["client_evidence"] as? [String: Any])?["missing"] as? [String]
        #expect(missing == ["no_webmail_log"])
    }

    @Test("activity: logins per class per address, Roundcube's counted once")
    func activity() throws {
        let configuration = try configuration()
        _ = try report(configuration, files: ["mail.log", "userlogins.log"])
        let result = try ActivityJob(policy: configuration.policy, store: store).run()
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(result.json.utf8)) as? [String: Any])
        let addresses = try #require(json["addresses"] as? [[String: Any]])
        var total: [String: Int] = [:]
        for address in addresses {
            for (name, logins) in (address["clients"] as? [String: Int]) ?? [:] { total[name, default: 0] += logins }
        }
        #expect(total == (try truth()["logins"] as? [String: Any])?["by_class"] as? [String: Int])

        // From 2 December on (no last day named: the store's): that day's Roundcube logins.
        let since = CivilTime.days(year: 2026, month: 12, day: 2)
        let lastDay = try ActivityJob(policy: configuration.policy, store: store, since: since).run()
        let dayJSON = try #require(
            try JSONSerialization.jsonObject(with: Data(lastDay.json.utf8)) as? [String: Any])
        let webmail = (dayJSON["addresses"] as? [[String: Any]] ?? []).reduce(0) {
            $0 + ((($1["clients"] as? [String: Any])?["webmail"] as? Int) ?? 0)
        }
        let roundcube = try String(contentsOf: Self.capture.appendingPathComponent("userlogins.log"), encoding: .utf8)
            .split(separator: "\n").filter { $0.hasPrefix("[02-Dec-2026") && $0.contains("Successful login") }.count
        #expect(roundcube > 0)
        #expect(webmail == roundcube)
    }
}
