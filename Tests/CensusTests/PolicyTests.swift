import Census
import Foundation
import TestSupport
import Testing

@Suite("Policy and address classes")
struct PolicyTests {
    @Test("the shipped default policy loads")
    func defaultPolicy() throws {
        let root = TestServers.root.path
        let policy = try Policy.load(path: root + "/Policies/default.yaml")
        #expect(policy.officialDomains == ["namdinh.gov.vn"])
        #expect(policy.utcOffset == 7 * 3600)
        #expect(policy.loginDomain == "namdinh.gov.vn")
        #expect(policy.webmailDomains == Policy.defaultWebmailDomains)
        #expect(policy.departments.count >= 10)
        #expect(policy.departmentCodes.count == policy.departments.count)
        let stttt = try #require(policy.departments.first { $0.code == "STTTT" })
        #expect(stttt.name == "Sở Thông tin và Truyền thông" && stttt.level == .province)
        #expect(stttt.alias == "stttt@namdinh.gov.vn")
        #expect(policy.departments.contains { $0.level == .district })
        #expect(policy.activityWindowDays == 30)
        #expect(policy.attributions["giadinh.nguyen@gmail.com"] == .some(nil))
    }

    @Test("the sections other modules own: kept with their key paths, for those modules to check")
    func document() throws {
        let document = try PolicyDocument.parse(
            yaml: "official_domains: [a.vn]\nreport: {colour: red}\nrelay: {notices: [welcome, fax]}\n",
            location: "dir/p.yaml")
        #expect(document.policy.officialDomains == ["a.vn"])
        #expect(document.file == "dir/p.yaml" && document.directory == "dir")
        #expect(document["nightly"] == nil)
        let report = try #require(document["report"])
        #expect(report.path == "report")
        let unknown = #expect(throws: CensusError.self) { try report.mapping(known: ["language": "vi or en"]) }
        #expect(unknown?.description == "dir/p.yaml: report.colour: unknown key; known keys are language")
        let kinds = try #require(document["relay"]).mapping(known: ["notices": "a list"])["notices"]?.list()
        #expect(kinds?.map(\.path) == ["relay.notices[0]", "relay.notices[1]"])
        #expect(kinds?[1].failure("must be a notice kind").location == "dir/p.yaml: relay.notices[1]")
    }

    @Test("the sample roster's heads are the policy's, and every department code is the policy's")
    func sampleAgrees() throws {
        let root = TestServers.root.path
        let policy = try Policy.load(path: root + "/Policies/default.yaml")
        let roster = try Roster.load(path: root + "/Logs/sample/roster.csv", departments: policy.departmentCodes)
        #expect(!roster.hasFatalProblems, "\(roster.problems.prefix(3))")
        #expect(roster.members.count == 1900)
        let addresses = Set(roster.members.compactMap(\.officialAddress))
        for department in policy.departments {
            #expect(!department.heads.isEmpty && department.heads.allSatisfy(addresses.contains), "\(department.code)")
        }
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
            ("official_domains: [a.vn]\ndepartments: [{code: A}, {name: B}]", "p.yaml: departments[1]"),
            ("official_domains: [a.vn]\ndepartments: [{code: A, alias: nope}]", "p.yaml: departments[0].alias"),
            (
                "official_domains: [a.vn]\ndepartments: [{code: A, heads: [x@a.vn, y]}]",
                "p.yaml: departments[0].heads[1]"
            ),
            ("official_domains: [a.vn]\ndepartments: [{code: A, level: city}]", "p.yaml: departments[0].level"),
            ("official_domains: [a.vn]\ndepartments: [{code: A}, {code: A}]", "p.yaml: departments[1].code"),
            ("official_domains: [a.vn]\ndepartments: [{code: A, head: x@a.vn}]", "p.yaml: departments[0].head"),
            ("official_domains: [a.vn]\nactivity_window: a month", "p.yaml: activity_window"),
            ("official_domains: [a.vn]\nattributions: {not-an-address: E1}", "p.yaml: attributions.not-an-address"),
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
