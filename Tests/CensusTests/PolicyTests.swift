import Census
import Foundation
import Testing

@Suite("Policy and address classes")
struct PolicyTests {
    @Test("the shipped default policy loads")
    func defaultPolicy() throws {
        let root = #filePath.components(separatedBy: "/Tests/").first!
        let policy = try Policy.load(path: root + "/Policies/default.yaml")
        #expect(policy.officialDomains == ["namdinh.gov.vn"])
        #expect(policy.utcOffset == 7 * 3600)
        #expect(policy.loginDomain == "namdinh.gov.vn")
        #expect(policy.webmailDomains == Policy.defaultWebmailDomains)
        #expect(policy.namingRule == "{given}{initials}")
        #expect(policy.quotaByPosition["Chuyên viên"] == 1024)
        #expect(policy.massDisableShare == 0.05)
    }

    @Test(
        "bad policies name the key at fault",
        arguments: [
            ("official_domains: [namdinh.gov.vn]\nutc_ofset: \"+07:00\"", "p.yaml: utc_ofset"),
            ("utc_offset: \"+07:00\"", "p.yaml: official_domains"),
            ("official_domains: [namdinh.gov.vn, \"not a domain\"]", "p.yaml: official_domains[1]"),
            ("official_domains: [namdinh.gov.vn]\nutc_offset: seven", "p.yaml: utc_offset"),
            ("official_domains: namdinh.gov.vn", "p.yaml: official_domains"),
            ("- just\n- a list", "p.yaml"),
            ("official_domains: [\n", "p.yaml"),
            ("official_domains: [a.vn]\nmass_disable_limit: five", "p.yaml: mass_disable_limit"),
            ("official_domains: [a.vn]\nquota_by_position: {Giám đốc: lots}", "p.yaml: quota_by_position.Giám đốc"),
        ])
    func invalid(_ yaml: String, _ location: String) {
        #expect {
            _ = try Policy.parse(yaml: yaml, location: "p.yaml")
        } throws: { error in
            (error as? CensusError)?.location == location
        }
    }

    @Test("addresses sort into official, webmail and other")
    func classes() {
        let classifier = AddressClassifier(
            policy: Policy(province: "T", officialDomains: ["namdinh.gov.vn"]))
        #expect(classifier.classify("annv@namdinh.gov.vn") == .official)
        #expect(classifier.classify("x@stttt.namdinh.gov.vn") == .official)
        #expect(classifier.classify("x@evilnamdinh.gov.vn") == .other)
        #expect(classifier.classify("x@gmail.com") == .webmail)
        #expect(classifier.classify("x@yahoo.com.vn") == .webmail)
        #expect(classifier.classify("x@hn.vnn.vn") == .webmail)
        #expect(classifier.classify("x@vnn.vn") == .webmail)
        #expect(classifier.classify("x@mail.gmail.com") == .other)
        #expect(classifier.classify("x@example.org") == .other)
        #expect(classifier.classify("root") == .other)
    }
}
