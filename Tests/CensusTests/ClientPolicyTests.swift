import Census
import Foundation
import TestSupport
import Testing

@Suite("Policy: webmail hosts and client classes")
struct ClientPolicyTests {
    @Test("the shipped policy names the webmail's hosts, and keeps the built-in table")
    func defaultPolicy() throws {
        let policy = try Policy.load(path: TestServers.root.path + "/Policies/default.yaml")
        #expect(policy.webmailHosts == ["127.0.0.1", "::1"])
        #expect(policy.clientClassRules.isEmpty)
        #expect(policy.clientClasses.webmailHosts == ["127.0.0.1", "::1"])
        #expect(policy.clientClasses.rules == ClientClassTable.defaultRules)
    }

    @Test("without the keys: no webmail host, the built-in table")
    func absent() throws {
        let policy = try Policy.parse(yaml: "official_domains: [a.vn]", location: "p.yaml")
        #expect(policy.webmailHosts.isEmpty)
        #expect(policy.clientClasses == ClientClassTable.standard)
    }

    @Test("client_classes come before the built-in table; IPv6 hosts are written as Dovecot writes them")
    func rules() throws {
        let yaml = """
            official_domains: [a.vn]
            webmail_hosts: [10.0.0.5, "::1", "2001:DB8:0:0:0:0:0:1"]
            client_classes:
              - {name: "Foo Mail*", os: iOS, class: phone}
              - {name: Thunderbird, class: other}
              - {name: SnappyMail, class: Webmail}
            """
        let policy = try Policy.parse(yaml: yaml, location: "p.yaml")
        #expect(policy.webmailHosts == ["10.0.0.5", "::1", "2001:db8::1"])
        let table = policy.clientClasses
        #expect(table.rules.count == ClientClassTable.defaultRules.count + 3)
        #expect(table.classify(name: "Foo Mail 2.0", os: "iOS 17") == .phone)
        // The os is required by the rule: elsewhere the built-in table decides.
        #expect(table.classify(name: "Foo Mail 2.0", os: "Windows") == .other)
        #expect(table.classify(name: "thunderbird") == .other)
        #expect(table.classify(name: "SnappyMail") == .webmail)
        #expect(table.classify(name: "K-9 Mail") == .phone)
        #expect(table.classify(remoteIP: "2001:db8::1", pop3: false, clientName: nil) == .webmail)
    }

    @Test(
        "bad webmail_hosts and client_classes name the key at fault",
        arguments: [
            ("webmail_hosts: 127.0.0.1", "p.yaml: webmail_hosts", "must be a list"),
            ("webmail_hosts: [127.0.0.1, localhost]", "p.yaml: webmail_hosts[1]", "is not an IP address"),
            ("webmail_hosts: [\"256.1.1.1\"]", "p.yaml: webmail_hosts[0]", "is not an IP address"),
            ("webmail_hosts: [\"::1::2\"]", "p.yaml: webmail_hosts[0]", "is not an IP address"),
            ("client_classes: {name: X, class: phone}", "p.yaml: client_classes", "must be a list"),
            ("client_classes: [{class: phone}]", "p.yaml: client_classes[0]", "needs a name"),
            ("client_classes: [{name: X}]", "p.yaml: client_classes[0]", "needs a class"),
            ("client_classes: [{name: X, class: tablet}]", "p.yaml: client_classes[0].class", "must be webmail"),
            ("client_classes: [{name: X, class: pop3}]", "p.yaml: client_classes[0].class", "must be webmail"),
            ("client_classes: [{name: X, klass: phone}]", "p.yaml: client_classes[0].klass", "unknown key"),
            ("client_classes: [{name: \"\", class: phone}]", "p.yaml: client_classes[0].name", "must be"),
            ("client_classes: [{name: \"a\\nb\", class: phone}]", "p.yaml: client_classes[0].name", "one line"),
            (
                "client_classes: [{name: X, class: phone}, {name: \(String(repeating: "y", count: 201)), class: other}]",
                "p.yaml: client_classes[1].name", "longer than 200"
            ),
        ])
    func invalid(_ yaml: String, _ location: String, _ message: String) throws {
        let error = #expect(throws: CensusError.self) {
            _ = try Policy.parse(yaml: "official_domains: [a.vn]\n" + yaml, location: "p.yaml")
        }
        #expect(error?.location == location)
        #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    }
}
