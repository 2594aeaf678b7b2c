import Basics
import CensusStore
import Curl
import Foundation
import Provisioning
import TestSupport
import Testing

/// `mailcensus provision plan` against the real Modoboa that `Scripts/modoboa.sh up` starts.
@Suite("mailcensus provision plan and apply, against a real Modoboa", .tags(.modoboa), .needs(.modoboa))
struct ProvisionCommandTests {
    let folder = TemporaryFolder()

    /// MODOBOA_URL and MODOBOA_TOKEN_FILE, from the environment or `Scripts/modoboa.sh env`.
    static let settings = TestServers.settings(prefix: "MODOBOA_", required: "MODOBOA_URL", script: "modoboa.sh")

    @Test("60 people with colliding names: every one a distinct address, numbered by the rule")
    func collidingRoster() throws {
        let url = try #require(Self.settings["MODOBOA_URL"], "no Modoboa: run `bash Scripts/modoboa.sh up` first")
        let tokenFile = try #require(Self.settings["MODOBOA_TOKEN_FILE"])
        // A rule of its own, so that accounts other tests left on the server do not collide.
        let tag = String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(5))
        let policy = folder.write(
            "policy.yaml",
            """
            official_domains: [namdinh.gov.vn]
            naming_rule: "{given}{initials}\(tag)"
            quota_by_position: {Chuyên viên: 1024, Giám đốc: 4096}
            """)
        let families = ["Nguyễn", "Ngô", "Nông"]
        let middles = ["Văn", "Việt", "Vũ", "Vân"]
        let givens = ["An", "Ân", "Ẩn", "Bình", "Bính"]
        var rows = [
            "employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date"
        ]
        for index in 0..<60 {
            let name = "\(families[index % 3]) \(middles[index % 4]) \(givens[index % 5])"
            rows.append(
                "E\(1000 + index),\(name),STTTT,Sở TT&TT,province,\(index == 0 ? "Giám đốc" : "Chuyên viên"),,,active,,"
            )
        }
        let roster = folder.write("roster.csv", rows.joined(separator: "\n") + "\n")
        let result = try CLI.run([
            "provision", "plan", "--roster", roster, "--server", url, "--token-file", tokenFile, "--policy", policy,
            "--format", "json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let creates = try #require(plan["create"] as? [[String: Any]])
        let addresses = creates.compactMap { $0["address"] as? String }
        #expect(creates.count == 60)
        #expect(Set(addresses).count == 60)
        #expect(addresses.contains("annv\(tag)@namdinh.gov.vn"))
        #expect(addresses.contains("annv\(tag)2@namdinh.gov.vn"))
        #expect(creates.first { $0["employee_id"] as? String == "E1000" }?["quota_mb"] as? Int == 4096)
        // The same roster planned again gives the same addresses.
        let again = try CLI.run([
            "provision", "plan", "--roster", roster, "--server", url, "--token-file", tokenFile, "--policy", policy,
            "--format", "json",
        ])
        let againPlan = try #require(try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any])
        let againAddresses = (againPlan["create"] as? [[String: Any]])?.compactMap { $0["address"] as? String }
        #expect(againAddresses == addresses)
    }

    static let header =
        "employee_id,full_name,department_code,department_name,level,position,official_address,personal_addresses,status,start_date,end_date"

    /// A policy with a naming rule of its own, and a roster of `count` people with colliding names.
    func setUp(count: Int, leavers: Set<Int> = []) throws -> (policy: String, roster: String, tag: String) {
        let tag = String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(5))
        let policy = folder.write(
            "policy-\(tag).yaml", "official_domains: [namdinh.gov.vn]\nnaming_rule: \"{given}{initials}\(tag)\"\n")
        return (policy, try roster(count: count, leavers: leavers, tag: tag), tag)
    }

    func roster(count: Int, leavers: Set<Int> = [], tag: String) throws -> String {
        let names = ["Nguyễn Văn An", "Ngô Việt An", "Nông Văn Ẩn", "Trần Thị Bình", "Trịnh Thu Bình"]
        let rows = (0..<count).map { index in
            "E\(index),\(names[index % names.count]),STTTT,Sở TT&TT,province,Chuyên viên,,,"
                + (leavers.contains(index) ? "left" : "active") + ",,"
        }
        return folder.write("roster-\(tag)-\(leavers.count).csv", ([Self.header] + rows).joined(separator: "\n") + "\n")
    }

    /// `provision COMMAND` against the test server. The tests share its domain, whose accounts
    /// the others' rosters lack: apply is told `--allow-partial-roster` unless `partial` says no.
    func provision(
        _ command: String, _ policy: String, _ roster: String, _ extra: [String] = [], partial: Bool = true,
        environment: [String: String] = [:]
    ) throws -> CLI.Result {
        let url = try #require(Self.settings["MODOBOA_URL"], "no Modoboa: run `bash Scripts/modoboa.sh up` first")
        let tokenFile = try #require(Self.settings["MODOBOA_TOKEN_FILE"])
        return try CLI.run(
            [
                "provision", command, "--roster", roster, "--server", url, "--token-file", tokenFile, "--policy",
                policy,
                "--store", folder.path("store.sqlite"),
            ] + (command == "apply" && partial ? ["--allow-partial-roster"] : []) + extra, environment: environment)
    }

    func admin() throws -> ModoboaAdmin {
        let url = try #require(Self.settings["MODOBOA_URL"], "no Modoboa: run `bash Scripts/modoboa.sh up` first")
        return ModoboaAdmin(
            baseURL: url,
            token: try Secret.load(variable: "MAILCENSUS_TEST_UNSET", file: Self.settings["MODOBOA_TOKEN_FILE"]),
            client: HTTPClient())
    }

    func json(_ result: CLI.Result) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any], "\(result)")
    }

    @Test("a partial roster after a whole one: refused, lists untouched, until told both flags")
    func partialRoster() async throws {
        let tag = String(UUID().uuidString.lowercased().filter(\.isLetter).prefix(5))
        let departments = (0..<12).map {
            "  - {code: P\($0)\(tag), name: Phòng \($0), alias: p\($0)\(tag)@namdinh.gov.vn}"
        }
        let policy = folder.write(
            "partial-\(tag).yaml",
            "official_domains: [namdinh.gov.vn]\nnaming_rule: \"{given}{initials}\(tag)\"\ndepartments:\n"
                + departments.joined(separator: "\n") + "\n")
        let families = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
        let rows = (0..<120).map { index in
            "E\(1000 + index),\(families[index % 10]) Văn \(["An", "Bình", "Cường"][index % 3]),P\(index % 12)\(tag),,,,,,active,,"
        }
        let whole = folder.write("whole-\(tag).csv", ([Self.header] + rows).joined(separator: "\n") + "\n")
        let first = try provision("apply", policy, whole, ["--passwords", folder.path("partial.csv")])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("120 created"), "\(first.output)")
        let admin = try admin()
        func lists() async throws -> [String: [String]] {
            var lists: [String: [String]] = [:]
            for alias in try await admin.aliases(domain: "namdinh.gov.vn") where alias.address.contains(tag) {
                lists[alias.address] = alias.recipients.sorted()
            }
            return lists
        }
        let before = try await lists()
        #expect(before.count == 12 && before.values.allSatisfy { $0.count == 10 })
        // The first 12 rows only: nobody left or moved.
        let partial = folder.write("first-\(tag).csv", ([Self.header] + rows.prefix(12)).joined(separator: "\n") + "\n")
        let plan = try json(try provision("plan", policy, partial, ["--format", "json"]))
        #expect(plan["partial_roster"] as? Bool == true)
        #expect(plan["absent_removals"] as? Int == 108)
        #expect(plan["exceeds_removal_limit"] as? Bool == true)
        #expect((plan["disable"] as? [Any])?.isEmpty == true)
        let refused = try provision("apply", policy, partial, partial: false)
        #expect(refused.status == 1)
        #expect(refused.error.contains("a partial file? nothing was changed"), "\(refused.error)")
        #expect(refused.error.split(separator: "\n").count == 1)
        let stillRefused = try provision("apply", policy, partial)
        #expect(stillRefused.status == 1)
        #expect(stillRefused.error.contains("108 people who are missing from the roster"), "\(stillRefused.error)")
        #expect(stillRefused.error.contains("--allow-mass-removal"))
        #expect(try await lists() == before)
        let told = try provision("apply", policy, partial, ["--allow-mass-removal"])
        #expect(told.status == 0, "\(told.error)")
        #expect(try await lists().values.allSatisfy { $0.count == 1 })
    }

    @Test("a roster that lost its Vietnamese letters, or has addresses and numbers for names: refused, nothing planned")
    func corruptedNames() throws {
        let (policy, _, tag) = try setUp(count: 0)
        let quotas = folder.write(
            "quotas-\(tag).yaml",
            try String(contentsOfFile: policy, encoding: .utf8) + "quota_by_position: {Chuyên viên: 1024}\n")
        let lost = folder.write(
            "lost-\(tag).csv",
            [
                Self.header, "E1,Ph?m Thanh ??t,STTTT,,,Chuy?n vi?n,,,active,,",
                "E2,\u{110}\u{FFFD} M\u{FFFD}nh H\u{FFFD}ng,STTTT,,,Chuyên viên,,,active,,",
                "E3,tranhuong85@gmail.com,STTTT,,,Chuyên viên,,,active,,",
                "E4,Đỗ Văn Quyết 2,STTTT,,,Chuyên viên,,,active,,", "E5,Lê Văn An,STTTT,,,Chuy?n vi?n,,,active,,",
            ].joined(separator: "\n") + "\n")
        let check = try CLI.run(["roster", "check", "--policy", quotas, lost])
        #expect(check.status == 2)
        #expect(check.output.contains("1 staff read, 4 error(s), 1 warning(s)"), "\(check.output)")
        #expect(check.error.contains(":2: error: full_name has \"?\" (U+003F)"), "\(check.error)")
        #expect(check.error.contains(":3: error: full_name has \"\u{FFFD}\" (U+FFFD)"))
        #expect(check.error.contains(":5: error: full_name has \"2\" (U+0032)"))
        #expect(check.error.contains(":6: warning: position \"Chuy?n vi?n\" matches no quota_by_position rule"))
        let plan = try provision("plan", quotas, lost)
        #expect(plan.status == 2)
        #expect(!plan.output.contains("create"))
        // The look-alike Ð is read as Đ: Ðặng Văn Lâm is lamdv, not lamav.
        let eth = folder.write("eth-\(tag).csv", Self.header + "\nE1,Ðặng Văn Lâm,STTTT,,,Chuyên viên,,,active,,\n")
        let planned = try json(try provision("plan", quotas, eth, ["--format", "json"]))
        let creates = try #require(planned["create"] as? [[String: Any]])
        #expect(creates.first?["address"] as? String == "lamdv\(tag)@namdinh.gov.vn")
        #expect(creates.first?["last_name"] as? String == "Đặng")
        #expect(creates.first?["quota_mb"] as? Int == 1024)
    }

    @Test("a typo in official_address: another's mailbox is never taken over; a rename is shown as one")
    func takeover() async throws {
        let (policy, roster, tag) = try setUp(count: 2)
        #expect(try provision("apply", policy, roster, ["--passwords", folder.path("t.csv")]).status == 0)
        let owner = "annv\(tag)@namdinh.gov.vn"
        let typo = folder.write(
            "typo-\(tag).csv",
            try String(contentsOfFile: roster, encoding: .utf8)
                + "NB777,Trần Thị Bình,STTTT,,,Giám đốc,\(owner),,active,,\n")
        let check = try CLI.run(["roster", "check", "--policy", policy, typo])
        #expect(check.status == 0, "the journal is not the roster's: \(check.error)")
        for command in ["plan", "apply"] {
            let result = try provision(command, policy, typo)
            #expect(result.status == 2, "\(command): \(result.output)")
            #expect(
                result.error.contains(":4: error: official_address \(owner) was given to E0 by an earlier run"),
                "\(result.error)")
        }
        let account = try await admin().accounts(domain: "namdinh.gov.vn").first { $0.address == owner }
        #expect(account?.firstName == "Văn An" && account?.lastName == "Nguyễn")
        #expect(try provision("plan", policy, roster).output.contains("0 to create, 0 to update, 0 to disable"))
        // HR renames E0 (a marriage, a correction): shown as a rename, not a quiet update.
        let renamed = folder.write(
            "renamed-\(tag).csv",
            try String(contentsOfFile: roster, encoding: .utf8).replacingOccurrences(
                of: "Nguyễn Văn An", with: "Lê Thị An"))
        let plan = try provision("plan", policy, renamed)
        #expect(plan.output.contains("1 to update (1 renamed)"), "\(plan.output)")
        #expect(
            plan.output.contains("  rename  \(owner)  E0: rename \"Nguyễn Văn An\" → \"Lê Thị An\""), "\(plan.output)")
    }

    @Test("plain http: refused to another host, straight to this one whatever http_proxy says, warned when allowed")
    func plaintext() throws {
        let (policy, roster, _) = try setUp(count: 1)
        let tokenFile = try #require(Self.settings["MODOBOA_TOKEN_FILE"])
        for server in [
            "http://mail.namdinh.gov.vn", "HTTP://10.0.0.5:8000", "http://127.0.0.1.nip.io", "ftp://127.0.0.1/",
        ] {
            let refused = try CLI.run([
                "provision", "plan", "--roster", roster, "--server", server, "--token-file", tokenFile, "--policy",
                policy, "--store", folder.path("store.sqlite"),
            ])
            #expect(refused.status == 2, "\(server)")
            #expect(refused.error.split(separator: "\n").count == 1, "\(refused.error)")
            #expect(refused.error.contains(server), "\(refused.error)")
        }
        // A proxy that is not there: plain http to this machine never goes through it.
        let proxies = [
            "http_proxy": "http://127.0.0.1:9", "HTTP_PROXY": "http://127.0.0.1:9", "ALL_PROXY": "http://127.0.0.1:9",
        ]
        let direct = try provision("plan", policy, roster, environment: proxies)
        #expect(direct.status == 0, "\(direct.error)")
        #expect(direct.output.contains("1 to create"))
        let allowed = try CLI.run(
            [
                "provision", "plan", "--roster", roster, "--server", "http://mail.namdinh.invalid", "--token-file",
                tokenFile, "--policy", policy, "--store", folder.path("store.sqlite"), "--allow-plaintext",
            ])
        #expect(allowed.error.contains("warning: --allow-plaintext: the admin token and every change go unencrypted"))
        #expect(allowed.status == 1)
    }

    @Test("names with tabs, no-break and em spaces, line breaks: right first and last names, old wrong ones corrected")
    func spacedNames() async throws {
        let (policy, _, tag) = try setUp(count: 0)
        let admin = try admin()
        // What an older version made of "Đỗ\tMạnh\tHùng": its whole name as the first name.
        let old = "dmh\(tag)@namdinh.gov.vn"
        _ = try await admin.createAccount(
            NewAccount(
                address: old, firstName: "Đỗ\tMạnh\tHùng", lastName: "", password: InitialPassword.make(), quotaMB: nil)
        )
        let roster = folder.write(
            "spaces-\(tag).csv",
            [
                Self.header, "E1,\"Đỗ\tMạnh\tHùng\",STTTT,,,,\(old),,active,,",
                "E2,\"Lê\u{A0}Thị\u{2003}Hoa\",STTTT,,,,,,active,,", "E3,\"Trần\u{3000}Văn\nBình\",STTTT,,,,,,active,,",
                "E4,\"Vũ\tThị\tLan\u{7}\",STTTT,,,,,,active,,",
            ].joined(separator: "\n") + "\n")
        let check = try CLI.run(["roster", "check", "--policy", policy, roster])
        #expect(check.error.contains(":6: error: full_name has U+0007: a control character"), "\(check.error)")
        let fixed = folder.write(
            "spaces-fixed-\(tag).csv",
            try String(contentsOfFile: roster, encoding: .utf8).replacingOccurrences(of: "Lan\u{7}", with: "Lan"))
        let applied = try provision("apply", policy, fixed, ["--passwords", folder.path("s.csv")])
        #expect(applied.status == 0, "\(applied.error)")
        #expect(applied.output.contains("3 created, 1 updated"), "\(applied.output)")
        let accounts = try await admin.accounts(domain: "namdinh.gov.vn").filter { $0.address.contains(tag) }
        let names = Set(accounts.map { "\($0.lastName)|\($0.firstName)" })
        #expect(names == ["Đỗ|Mạnh Hùng", "Lê|Thị Hoa", "Trần|Văn Bình", "Vũ|Thị Lan"])
        #expect(try provision("apply", policy, fixed).output.contains("Nothing to change"))
    }

    @Test("a Gmail address as official_address is a roster error; a plan creates no store")
    func gmailAndNoStore() throws {
        let (policy, roster, tag) = try setUp(count: 1)
        let gmail = folder.write(
            "gmail-\(tag).csv", Self.header + "\nE1,Trần Thị Hương,STTTT,,,,tranhuong85@gmail.com,,active,,\n")
        let check = try CLI.run(["roster", "check", "--policy", policy, gmail])
        #expect(check.status == 2)
        #expect(
            check.error.contains(
                ":2: error: official_address tranhuong85@gmail.com is not in the policy's official domains"))
        let apply = try provision("apply", policy, gmail, ["--passwords", folder.path("g.csv")])
        #expect(apply.status == 2)
        #expect(!FileManager.default.fileExists(atPath: folder.path("g.csv")))
        let plan = try provision("plan", policy, roster)
        #expect(plan.status == 0, "\(plan.error)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("store.sqlite")), "plan created the store")
    }

    @Test("apply creates 50, passwords only in a 0600 file; a rerun changes nothing; a leaver is disabled")
    func applyRerunLeaver() throws {
        let (policy, roster, tag) = try setUp(count: 50)
        let passwords = folder.path("passwords.csv")
        let first = try provision("apply", policy, roster, ["--passwords", passwords])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("50 created, 0 updated, 0 disabled"))
        let attributes = try FileManager.default.attributesOfItem(atPath: passwords)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let lines = try String(contentsOfFile: passwords, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 51)
        let somePassword = String(lines[1].split(separator: ",")[2])
        #expect(somePassword.count == 16)
        #expect(!first.output.contains(somePassword) && !first.error.contains(somePassword))
        #expect(try provision("apply", policy, roster).output.contains("Nothing to change"))
        let leaving = try self.roster(count: 50, leavers: [7], tag: tag)
        let plan = try provision("plan", policy, leaving)
        #expect(plan.output.contains("0 to create, 0 to update, 1 to disable"))
        let disable = try provision("apply", policy, leaving)
        #expect(disable.output.contains("0 created, 0 updated, 1 disabled"), "\(disable.error)")
        #expect(try provision("apply", policy, leaving).output.contains("Nothing to change"))
    }

    @Test("disabling more than the policy's share is refused, then allowed when told")
    func massDisableGuard() throws {
        let (policy, roster, tag) = try setUp(count: 40)
        // A limit of 1% of the server's accounts: 30 disables exceed it unless the server holds
        // over 3,000 accounts (`make test` starts from an empty one).
        let strict = folder.write(
            "strict-\(tag).yaml", try String(contentsOfFile: policy, encoding: .utf8) + "mass_disable_limit: \"1%\"\n")
        #expect(try provision("apply", strict, roster, ["--passwords", folder.path("p.csv")]).status == 0)
        let leaving = try self.roster(count: 40, leavers: Set(0..<30), tag: tag)
        let refused = try provision("apply", strict, leaving)
        #expect(refused.status == 1)
        #expect(refused.error.contains("nothing was changed"))
        let allowed = try provision("apply", strict, leaving, ["--allow-mass-disable"])
        #expect(allowed.status == 0, "\(allowed.error)")
        #expect(allowed.output.contains("30 disabled"))
    }

    @Test("a run that stopped midway resumes: nobody is created twice, everyone keeps their address")
    func resumeAfterCrash() async throws {
        let (policy, roster, tag) = try setUp(count: 10)
        // What a run killed after its fifth journal entry leaves: five addresses recorded, and
        // the server had created the first three.
        let store = try SQLiteStore(path: folder.path("store.sqlite"))
        let url = try #require(Self.settings["MODOBOA_URL"])
        let admin = ModoboaAdmin(
            baseURL: url,
            token: try Secret.load(variable: "MAILCENSUS_TEST_UNSET", file: Self.settings["MODOBOA_TOKEN_FILE"]),
            client: HTTPClient())
        let planned = try provision("plan", policy, roster, ["--format", "json"])
        let plan = try #require(try JSONSerialization.jsonObject(with: Data(planned.output.utf8)) as? [String: Any])
        let creates = try #require(plan["create"] as? [[String: Any]])
        #expect(creates.count == 10)
        for (index, item) in creates.prefix(5).enumerated() {
            let id = item["employee_id"] as! String
            let address = item["address"] as! String
            try store.recordAssignment(employeeID: id, address: address)
            if index < 3 {
                _ = try await admin.createAccount(
                    NewAccount(
                        address: address, firstName: "A", lastName: "B", password: InitialPassword.make(), quotaMB: nil)
                )
            }
        }
        let resumed = try provision("apply", policy, roster, ["--passwords", folder.path("resume.csv")])
        #expect(resumed.status == 0, "\(resumed.error)")
        // The three already there get a new initial password (theirs never reached HR) and
        // their roster names; seven are created.
        #expect(resumed.output.contains("7 created, 3 given a new initial password (theirs was lost), 3 updated"))
        let written = try String(contentsOfFile: folder.path("resume.csv"), encoding: .utf8).split(separator: "\n")
        #expect(written.count == 11)
        let accounts = try await admin.accounts(domain: "namdinh.gov.vn").map(\.address).filter { $0.contains(tag) }
        #expect(Set(accounts) == Set(creates.map { $0["address"] as! String }))
        #expect(accounts.count == 10)
    }

    @Test("audit after apply: the leaver's enabled account is an orphan, the new accounts never active")
    func audit() throws {
        let (policy, roster, tag) = try setUp(count: 6)
        #expect(try provision("apply", policy, roster, ["--passwords", folder.path("a.csv")]).status == 0)
        let url = try #require(Self.settings["MODOBOA_URL"])
        let tokenFile = try #require(Self.settings["MODOBOA_TOKEN_FILE"])
        // E2 left, but nobody disabled the account yet.
        let leaving = try self.roster(count: 6, leavers: [2], tag: tag)
        let result = try CLI.run([
            "audit", "--roster", leaving, "--server", url, "--token-file", tokenFile, "--policy", policy, "--store",
            folder.path("store.sqlite"), "--format", "json",
        ])
        #expect(result.status == 0, "\(result.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let findings = try #require(report["findings"] as? [[String: Any]])
        let mine = findings.filter { ($0["address"] as? String)?.contains(tag) == true }
        #expect(mine.filter { $0["kind"] as? String == "orphan" }.count == 1)
        #expect(mine.filter { $0["kind"] as? String == "never-active" }.count == 6)
        #expect(mine.filter { $0["kind"] as? String == "no-account" }.isEmpty)
    }

    @Test("a department's list on the server follows its staff: created, then the leaver taken off")
    func departmentList() async throws {
        let (plain, roster, tag) = try setUp(count: 5)
        let policy = folder.write(
            "lists-\(tag).yaml",
            try String(contentsOfFile: plain, encoding: .utf8)
                + "departments:\n  - {code: STTTT, name: Sở TT&TT, alias: list\(tag)@namdinh.gov.vn}\n")
        let first = try provision("apply", policy, roster, ["--passwords", folder.path("lists.csv")])
        #expect(first.status == 0, "\(first.error)")
        #expect(first.output.contains("5 created, 0 updated, 1 department list(s) changed"))
        let url = try #require(Self.settings["MODOBOA_URL"])
        let admin = ModoboaAdmin(
            baseURL: url,
            token: try Secret.load(variable: "MAILCENSUS_TEST_UNSET", file: Self.settings["MODOBOA_TOKEN_FILE"]),
            client: HTTPClient())
        func members() async throws -> [String] {
            try await admin.aliases(domain: "namdinh.gov.vn").first { $0.address == "list\(tag)@namdinh.gov.vn" }?
                .recipients.sorted() ?? []
        }
        let accounts = try await admin.accounts(domain: "namdinh.gov.vn").map(\.address).filter { $0.contains(tag) }
        #expect(try await members() == accounts.sorted())
        let leaving = try self.roster(count: 5, leavers: [1], tag: tag)
        let plan = try provision("plan", policy, leaving)
        #expect(plan.output.contains("1 department list(s) to change, 1 to disable"), "\(plan.output)")
        #expect(try provision("apply", policy, leaving).status == 0)
        let left = try #require(
            try await admin.accounts(domain: "namdinh.gov.vn").first { !$0.isActive && $0.address.contains(tag) })
        #expect(try await members() == accounts.filter { $0 != left.address }.sorted())
        #expect(try provision("apply", policy, leaving).output.contains("Nothing to change"))
    }

    @Test(
        "new accounts get a welcome through the relay: the address and how to log in, never the password", .tags(.smtp),
        .needs(.smtp))
    func welcome() throws {
        let (plain, roster, tag) = try setUp(count: 3)
        let smtp = SMTPTestServer.settings
        let url = try #require(
            smtp["SMTP_TEST_STARTTLS_URL"], "no SMTP test server: run `bash Scripts/smtp-test-server.sh up`")
        let policy = folder.write(
            "welcome-\(tag).yaml",
            try String(contentsOfFile: plain, encoding: .utf8) + """
                relay:
                  server: \(url)
                  username: \(smtp["SMTP_TEST_USER"]!)
                  password_file: \(smtp["SMTP_TEST_PASSWORD_FILE"]!)
                  ca_file: \(smtp["SMTP_TEST_CA"]!)
                  from: "Trung tâm CNTT <baocao+\(tag)@namdinh.gov.vn>"
                  templates: \(CLI.root.appendingPathComponent("Policies/templates").path)
                  webmail_url: https://mail.namdinh.gov.vn
                """)
        let passwords = folder.path("welcome-passwords.csv")
        let applied = try provision("apply", policy, roster, ["--passwords", passwords])
        #expect(applied.status == 0, "\(applied.error)")
        #expect(applied.output.contains("Welcome notices: 3 queued"), "\(applied.output)")
        let sent = try CLI.run([
            "relay", "send", "--queued-only", "--store", folder.path("store.sqlite"), "--policy", policy,
        ])
        #expect(sent.status == 0, "\(sent.error)")
        #expect(sent.output.contains("3 sent"))
        let secrets = try String(contentsOfFile: passwords, encoding: .utf8).split(separator: "\n").dropFirst().map {
            String($0.split(separator: ",")[2])
        }
        #expect(secrets.count == 3 && secrets.allSatisfy { $0.count >= 12 })
        let received = try SMTPTestServer.received(tag: tag)
        #expect(received.count == 3)
        for (summary, raw) in received {
            let message = String(decoding: raw, as: UTF8.self)
            let read = summary.subject + (summary.text ?? "") + (summary.html ?? "")
            #expect(read.contains("https://mail.namdinh.gov.vn") && read.contains("Hộp thư công vụ"))
            for secret in secrets {
                #expect(!message.contains(secret) && !read.contains(secret), "a welcome never carries the password")
            }
        }
    }

    @Test("the server stopped mid-apply, then restarted: apply completes, nothing duplicated")
    func serverStoppedMidApply() async throws {
        // A server of its own, on the same installation and database, so that stopping it leaves
        // the other tests alone. It is this test's child: started and stopped here.
        let port = 18_001
        let python = try #require(Self.settings["MODOBOA_PYTHON"], "no Modoboa: run `bash Scripts/modoboa.sh up` first")
        let instance = try #require(Self.settings["MODOBOA_INSTANCE"])
        let url = "http://127.0.0.1:\(port)"
        let tokenFile = try #require(Self.settings["MODOBOA_TOKEN_FILE"])
        let admin = ModoboaAdmin(
            baseURL: url, token: try Secret.load(variable: "MAILCENSUS_TEST_UNSET", file: tokenFile),
            client: HTTPClient(retry: RetryPolicy(maxAttempts: 1)))
        // SIGKILL: the server dies as in a crash. (A child of a test inherits the signal mask
        // of the thread that started it, where SIGTERM is blocked.)
        func stop(_ server: Process) {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        func startServer() async throws -> Process {
            let server = Process()
            server.executableURL = URL(fileURLWithPath: python)
            server.arguments = ["manage.py", "runserver", "--noreload", "127.0.0.1:\(port)"]
            server.currentDirectoryURL = URL(fileURLWithPath: instance)
            server.standardOutput = FileHandle.nullDevice
            server.standardError = FileHandle.nullDevice
            try server.run()
            for _ in 0..<120 {
                if (try? await admin.aliases(domain: "namdinh.gov.vn")) != nil { return server }
                try await Task.sleep(nanoseconds: 250_000_000)
            }
            stop(server)
            throw FixtureFailure(message: "a second Modoboa server on port \(port) did not start")
        }
        let server = try await startServer()
        // Enough people that the run is still creating accounts when the server is killed, however
        // slowly the machine answers the poll below.
        let people = 150
        let (policy, roster, tag) = try setUp(count: people)
        let arguments = [
            "provision", "apply", "--roster", roster, "--server", url, "--token-file", tokenFile, "--policy", policy,
            "--store", folder.path("store.sqlite"), "--allow-partial-roster",  // the domain is shared by the tests
        ]
        let first = try CLI.start(arguments + ["--passwords", folder.path("first.csv")])
        // Killed once a few accounts exist: mid-run, perhaps mid-request.
        var created = 0
        for _ in 0..<200 where created < 3 {
            try await Task.sleep(nanoseconds: 50_000_000)
            created =
                (try? await admin.accounts(domain: "namdinh.gov.vn").filter { $0.address.contains(tag) }.count) ?? 0
        }
        stop(server)
        let firstOutput = String(
            decoding: (first.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        first.waitUntilExit()
        #expect(first.terminationStatus == 1, "the first run should have been cut short: \(firstOutput)")
        let restarted = try await startServer()
        defer { stop(restarted) }
        let second = try CLI.run(arguments + ["--passwords", folder.path("second.csv")])
        #expect(second.status == 0, "\(second.error)")
        let accounts = try await admin.accounts(domain: "namdinh.gov.vn").map(\.address).filter { $0.contains(tag) }
        #expect(accounts.count == people)
        #expect(Set(accounts).count == people)
        // Every account's initial password is in one of the two files, once: one the server
        // created as it died, unanswered, was given a new password by the second run.
        let written = try [folder.path("first.csv"), folder.path("second.csv")].flatMap { path in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map {
                String($0.split(separator: ",")[1])
            }
        }
        #expect(written.count == people)
        #expect(Set(written) == Set(accounts))
        #expect(try CLI.run(arguments).output.contains("Nothing to change"))
    }

    struct FixtureFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
