import Census
import Foundation
import TestSupport
import Testing

@Suite("Policy files: aliases refused, not UTF-8 named, errors on one line")
struct PolicySafetyTests {
    let folder = TemporaryFolder()

    /// A "billion laughs" of `levels` levels of ten aliases each: 10^levels strings once
    /// expanded, from a few hundred bytes.
    static func bomb(levels: Int) -> String {
        var lines = ["official_domains: [namdinh.gov.vn]", "province: &a0 \"lol\""]
        for level in 1...levels {
            lines.append(
                "l\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ",") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test("a billion-laughs policy is refused before it is expanded, naming the file")
    func bomb() throws {
        // 10^6 strings if expanded: enough to see, small enough not to sink the test without the fix.
        let text = Self.bomb(levels: 6)
        #expect(text.utf8.count < 400)
        let error = try #require(throws: CensusError.self) { try Policy.parse(yaml: text, location: "Policies/x.yaml") }
        #expect(
            error.description == "Policies/x.yaml: uses YAML anchors or aliases (&, *), which a policy may not; "
                + "write each value out")
    }

    @Test("any anchor or alias is refused, even a harmless one")
    func anyAlias() throws {
        for text in [
            "official_domains: &d [namdinh.gov.vn]\nwebmail_domains: *d\n",
            "official_domains: [namdinh.gov.vn]\nprovince: &p Nam Định\n",
            "official_domains: [namdinh.gov.vn]\nrelay: &r {enabled: false}\nnightly:\n  <<: *r\n",
        ] {
            let error = try #require(throws: CensusError.self) { try Policy.parse(yaml: text, location: "p.yaml") }
            #expect(error.description.contains("uses YAML anchors or aliases"), "\(text)")
        }
        // An `&` or `*` inside a value is no anchor.
        let policy = try Policy.parse(
            yaml: "official_domains: [namdinh.gov.vn]\nprovince: \"Sở TT&TT *\"\n", location: "p.yaml")
        #expect(policy.province == "Sở TT&TT *")
    }

    @Test("a policy that is not UTF-8 says so and names the file")
    func notUTF8() throws {
        let path = folder.path("latin1.yaml")
        let text = "official_domains: [namdinh.gov.vn]\nprovince: Nam \u{110}\u{1ECB}nh\n"
        try #require(FileManager.default.createFile(atPath: path, contents: text.data(using: .utf16)))
        let error = try #require(throws: CensusError.self) { try Policy.load(path: path) }
        #expect(error.description == "\(path): is not UTF-8 text; save the policy as UTF-8")
        let missing = try #require(throws: CensusError.self) { try Policy.load(path: folder.path("none.yaml")) }
        #expect(missing.code == .policyUnreadable && missing.description.hasPrefix(folder.path("none.yaml")))
    }

    @Test("a YAML syntax error is one line, with its line and column")
    func syntax() throws {
        let error = try #require(throws: CensusError.self) {
            try Policy.parse(yaml: "official_domains: [namdinh.gov.vn\nprovince: x\n", location: "p.yaml")
        }
        #expect(error.description.hasPrefix("p.yaml: is not valid YAML ("))
        #expect(error.description.contains("at line "))
        #expect(!error.description.contains("\n"))
    }
}
