import Census
import Foundation
import TestSupport
import Testing

/// Addresses are checked as RFC 5321 mailboxes wherever they enter: a CR LF in one would add
/// a header to a notice, or a command to the SMTP session.
@Suite("Mail addresses: one strict check, wherever they enter")
struct AddressSafetyTests {
    static let header =
        "employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date\n"
    /// The address of the attack: a header and a second address smuggled in.
    static let injected = "x>\r\nX-Injected:header1\r\nX:<y@namdinh.gov.vn"

    @Test(
        "plain addresses pass",
        arguments: [
            "annv@namdinh.gov.vn", "an.nv@stttt.namdinh.gov.vn", "an+report@namdinh.gov.vn", "o'brien@example.com",
            "a!#$%&'*+/=?^_`{|}~-b@x-y.vn", String(repeating: "a", count: 64) + "@namdinh.gov.vn",
        ])
    func valid(_ address: String) {
        #expect(MailAddress.isValid(address))
        #expect(Roster.isAddress(address))
    }

    @Test(
        "anything that could break a header or an SMTP command is refused",
        arguments: [
            injected, "a@namdinh.gov.vn\r\n", "a\r\nb@namdinh.gov.vn", "a\n@namdinh.gov.vn", "a\u{0}b@namdinh.gov.vn",
            "a@namdinh.gov.vn\u{0}", "\"a b\"@namdinh.gov.vn", "\"a\"@namdinh.gov.vn", "a b@namdinh.gov.vn",
            "<a@namdinh.gov.vn>", "a>@namdinh.gov.vn", "a@namdinh.gov.vn>", "a,b@namdinh.gov.vn", "a;b@namdinh.gov.vn",
            "a(b)@namdinh.gov.vn", "a\\b@namdinh.gov.vn", ".a@namdinh.gov.vn", "a.@namdinh.gov.vn",
            "a..b@namdinh.gov.vn", "@namdinh.gov.vn", "a@", "a@localhost", "a@-x.vn", "a@x-.vn", "a@x..vn",
            "a@[127.0.0.1]", "a@b@namdinh.gov.vn", "an\u{2028}@namdinh.gov.vn", "ấn@namdinh.gov.vn",
            "a\t@namdinh.gov.vn", String(repeating: "a", count: 65) + "@namdinh.gov.vn",
            "a@" + String(repeating: "b", count: 64) + ".vn",
            "a@" + Array(repeating: String(repeating: "b", count: 60), count: 5).joined(separator: ".") + ".vn",
        ])
    func invalid(_ address: String) {
        #expect(!MailAddress.isValid(address))
        #expect(!Roster.isAddress(address))
    }

    @Test("the roster: a CR LF in an official or personal address is an error of its line, shown escaped")
    func roster() {
        let csv =
            Self.header
            + "E1,Nguyễn Văn An,STTTT,,province,,\"\(Self.injected)\",,active,,\n"
            + "E2,Lê Thị Hoa,STTTT,,province,,hoalt@namdinh.gov.vn,\"hoa>\r\nBcc:z\r\nX:<hoa@gmail.com\",active,,\n"
            + "E3,Trần Văn Bình,STTTT,,province,,\"binhtv\r\nBcc:z@namdinh.gov.vn\",,active,,\n"
        let roster = Roster(csv: csv)
        #expect(roster.members.isEmpty, "\(roster.members.map(\.officialAddress))")
        let fatal = roster.problems.filter(\.isFatal)
        #expect(fatal.count == 3 && fatal.first?.line == 2)
        for problem in fatal {
            #expect(problem.message.contains("is not an address"))
            #expect(!problem.description.contains("\r") && !problem.description.contains("\n"))
        }
        #expect(fatal[0].description.contains("x>\\r\\nX-Injected:header1\\r\\nX:<y@namdinh.gov.vn"))
    }

    static func policy(_ body: String) -> String {
        "official_domains: [namdinh.gov.vn]\n" + body
    }

    @Test(
        "the policy: every address it names is checked, and the error is one line",
        arguments: [
            (
                "departments:\n  - {code: STTTT, heads: [\"x>\\r\\nBcc:z\\r\\nX:<annv@namdinh.gov.vn\"]}",
                "departments[0].heads[0]"
            ),
            ("departments:\n  - {code: STTTT, alias: \"stttt\\nX:y@namdinh.gov.vn\"}", "departments[0].alias"),
            ("departments:\n  - {code: STTTT, shared: [\"vt\\r@namdinh.gov.vn\"]}", "departments[0].shared[0]"),
            ("attributions:\n  \"a\\r\\nX:y@gmail.com\": E1", "attributions"),
        ])
    func policy(_ body: String, key: String) throws {
        let error = try #require(throws: CensusError.self) {
            try Policy.parse(yaml: Self.policy(body), location: "Policies/x.yaml")
        }
        #expect(error.description.hasPrefix("Policies/x.yaml: \(key)"), "\(error)")
        #expect(
            !error.description.contains("\r") && !error.description.contains("\n") && !error.description.contains("\0"))
    }

    @Test("the policy: plain addresses and senders still load")
    func plainPolicy() throws {
        let policy = try Policy.parse(
            yaml: Self.policy(
                """
                departments:
                  - {code: STTTT, alias: stttt@namdinh.gov.vn, heads: [annv@namdinh.gov.vn]}
                """), location: "Policies/x.yaml")
        #expect(policy.departments[0].heads == ["annv@namdinh.gov.vn"])
    }

    @Test("error text: control characters shown escaped, on one line")
    func oneLine() {
        #expect(ErrorText.oneLine("a\r\nb\0c\u{1B}[2Jd") == "a\\r\\nb\\0c\\u{1B}[2Jd")
        #expect(ErrorText.oneLine("Nguyễn Văn An") == "Nguyễn Văn An")
        #expect(ErrorText.oneLine("gnp\u{202E}exe.\u{2028}x") == "gnp\\u{202E}exe.\\u{2028}x")
    }
}
