import Basics
import Census
import Foundation
import Jobs
import Provisioning
import Relay
import Reports
import TestSupport
import Testing

@Suite("Configuration: each module's settings read once from the policy, every error naming its key path")
struct ConfigurationTests {
    @Test("the shipped default policy: each module's settings, typed")
    func defaultPolicy() throws {
        let root = TestServers.root.path
        let configuration = try Configuration.load(path: root + "/Policies/default.yaml")
        #expect(configuration.path == root + "/Policies/default.yaml")
        #expect(configuration.policy.officialDomains == ["namdinh.gov.vn"])
        #expect(configuration.provisioning.template == (try AddressTemplate("{given}{initials}")))
        #expect(configuration.provisioning.quotaByPosition["Chuyên viên"] == 1024)
        #expect(configuration.provisioning.massDisableShare == 0.05)
        #expect(configuration.report.language == .vi)
        #expect(configuration.report.formats == [.html, .csv, .json, .md])
        // Paths are taken from the policy's folder.
        #expect(configuration.nightly.logs == [root + "/Logs/sample/mail.log*"])
        #expect(configuration.nightly.roster == root + "/Logs/sample/roster.csv")
        #expect(configuration.report.folder == root + "/out/reports")
    }

    @Test("a policy without the modules' keys: their defaults")
    func defaults() throws {
        let configuration = try Configuration.parse(yaml: "official_domains: [a.vn]\n", location: "p.yaml")
        #expect(configuration.report == ReportSettings())
        #expect(configuration.relay == RelaySettings())
        #expect(configuration.relay.notices == [.departmentReport, .provinceReport, .welcome])
        #expect(configuration.relay.nudges.categories == [.dormant, .webmail])
        #expect(configuration.nightly == NightlySettings())
        #expect(configuration.provisioning.quotaByPosition.isEmpty)
    }

    @Test("typed values: language, formats in order, notice kinds, nudge categories, the sender parsed")
    func typed() throws {
        let configuration = try Configuration.parse(
            yaml: """
                official_domains: [namdinh.gov.vn]
                naming_rule: "{family_initial}{given}"
                mass_disable_limit: "10%"
                quota_by_position: {Giám đốc: 4096}
                report: {language: EN, formats: [md, HTML], privacy: true, minimum_group: 3}
                relay:
                  from: "Trung tâm CNTT <baocao@namdinh.gov.vn>"
                  reply_to: hotro@namdinh.gov.vn
                  server: smtps://mail.namdinh.gov.vn:465
                  notices: [nudge, welcome]
                  nudges: {enabled: true, categories: [webmail]}
                """, location: "p.yaml")
        #expect(configuration.report.language == .en)
        #expect(configuration.report.formats == [.md, .html])
        #expect(configuration.report.privacy && configuration.report.minimumGroup == 3)
        #expect(configuration.relay.from == Mailbox(name: "Trung tâm CNTT", address: "baocao@namdinh.gov.vn"))
        #expect(configuration.relay.replyTo == Mailbox(address: "hotro@namdinh.gov.vn"))
        #expect(configuration.relay.notices == [.nudge, .welcome])
        #expect(configuration.relay.nudges.categories == [.webmail])
        #expect(configuration.provisioning.template == (try AddressTemplate("{family_initial}{given}")))
        #expect(configuration.provisioning.massDisableShare == 0.1)
        #expect(configuration.provisioning.quotaPositions == ["Giám đốc"])
    }

    @Test(
        "bad values and unknown keys of every module name the key at fault",
        arguments: [
            ("mass_disable_limit: five", "p.yaml: mass_disable_limit"),
            ("quota_by_position: {Giám đốc: lots}", "p.yaml: quota_by_position.Giám đốc"),
            ("naming_rule: \"{given}{nickname}\"", "p.yaml: naming_rule"),
            ("naming_rule: \"{initials}\"", "p.yaml: naming_rule"),
            ("report: {language: fr}", "p.yaml: report.language"),
            ("report: {formats: [html, pdf]}", "p.yaml: report.formats[1]"),
            ("report: {minimum_group: 0}", "p.yaml: report.minimum_group"),
            ("report: {privacy: maybe}", "p.yaml: report.privacy"),
            ("report: {colour: red}", "p.yaml: report.colour"),
            ("report: [html]", "p.yaml: report"),
            ("nightly: {log: [x]}", "p.yaml: nightly.log"),
            ("relay: {notices: [welcome, fax]}", "p.yaml: relay.notices[1]"),
            ("relay: {nudges: {categories: [dormant, official]}}", "p.yaml: relay.nudges.categories[1]"),
            ("relay: {nudges: {per_day: lots}}", "p.yaml: relay.nudges.per_day"),
            ("relay: {server: \"https://mail.a.vn\"}", "p.yaml: relay.server"),
            ("relay: {sever: \"smtp://mail.a.vn\"}", "p.yaml: relay.sever"),
            ("relay: {max_attempts: 0}", "p.yaml: relay.max_attempts"),
        ])
    func invalid(_ body: String, _ location: String) {
        let error = #expect(throws: CensusError.self) {
            try Configuration.parse(yaml: "official_domains: [a.vn]\n" + body, location: "p.yaml")
        }
        #expect(error?.location == location, "\(String(describing: error))")
        #expect(error.map { FailureStatus(of: $0) } == .badInput)
    }

    @Test("the naming rule's own complaint, at the key")
    func namingRuleMessage() {
        let error = #expect(throws: CensusError.self) {
            try Configuration.parse(yaml: "official_domains: [a.vn]\nnaming_rule: \"{initials}\"", location: "p.yaml")
        }
        #expect(error?.description == "p.yaml: naming_rule: it must use {given} or {family}")
    }

    @Test(
        "the report's and the relay's addresses: each checked, the error one line",
        arguments: [
            ("report:\n  leadership: [\"x>\\r\\nX-Injected:1\\r\\nX:<y@namdinh.gov.vn\"]", "report.leadership[0]"),
            ("relay:\n  reply_to: \"a>\\r\\nBcc:z\\r\\nX:<a@namdinh.gov.vn\"", "relay.reply_to"),
            ("relay:\n  from: \"CNTT <baocao@namdinh.gov.vn>\\r\\nBcc: z@evil.example\"", "relay.from"),
            ("relay:\n  from: \"CNTT <bao cao@namdinh.gov.vn>\"", "relay.from"),
            ("relay:\n  username: \"baocao\\r\\nRCPT TO:<z@evil.example>\"", "relay.username"),
            ("relay:\n  unsubscribe: \"mailto:a@namdinh.gov.vn>\\r\\nBcc: z@evil.example\"", "relay.unsubscribe"),
            ("relay:\n  server: \"smtp://mail.namdinh.gov.vn\\r\\n\"", "relay.server"),
        ])
    func addresses(_ body: String, key: String) throws {
        let error = try #require(throws: CensusError.self) {
            try Configuration.parse(yaml: "official_domains: [namdinh.gov.vn]\n" + body, location: "Policies/x.yaml")
        }
        #expect(error.description.hasPrefix("Policies/x.yaml: \(key)"), "\(error)")
        #expect(
            !error.description.contains("\r") && !error.description.contains("\n") && !error.description.contains("\0"))
    }

    @Test("plain senders and addresses load")
    func plainSenders() throws {
        let configuration = try Configuration.parse(
            yaml: """
                official_domains: [namdinh.gov.vn]
                report: {leadership: [dunglt@namdinh.gov.vn]}
                relay:
                  from: "Trung tâm CNTT <baocao@namdinh.gov.vn>"
                  reply_to: hotro@namdinh.gov.vn
                  username: baocao
                  unsubscribe: "mailto:hotro@namdinh.gov.vn?subject=stop"
                """, location: "Policies/x.yaml")
        #expect(configuration.relay.from?.address == "baocao@namdinh.gov.vn")
        #expect(configuration.relay.from?.name == "Trung tâm CNTT")
        #expect(configuration.report.leadership == ["dunglt@namdinh.gov.vn"])
        #expect(configuration.relay.unsubscribe == "mailto:hotro@namdinh.gov.vn?subject=stop")
    }
}
