import CensusStore
import Curl
import Foundation
import MailLogTesting
import Provisioning
import Testing

/// `mailcensus provision plan` against the real Modoboa that `Scripts/modoboa.sh up` starts.
@Suite("mailcensus provision plan and apply, against a real Modoboa")
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

    func provision(_ command: String, _ policy: String, _ roster: String, _ extra: [String] = []) throws -> CLI.Result {
        let url = try #require(Self.settings["MODOBOA_URL"], "no Modoboa: run `bash Scripts/modoboa.sh up` first")
        let tokenFile = try #require(Self.settings["MODOBOA_TOKEN_FILE"])
        return try CLI.run(
            [
                "provision", command, "--roster", roster, "--server", url, "--token-file", tokenFile, "--policy",
                policy,
                "--store", folder.path("store.sqlite"),
            ] + extra)
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

    @Test("new accounts get a welcome through the relay: the address and how to log in, never the password")
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
        let (policy, roster, tag) = try setUp(count: 40)
        let arguments = [
            "provision", "apply", "--roster", roster, "--server", url, "--token-file", tokenFile, "--policy", policy,
            "--store", folder.path("store.sqlite"),
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
        #expect(accounts.count == 40)
        #expect(Set(accounts).count == 40)
        // Every account's initial password is in one of the two files, once: one the server
        // created as it died, unanswered, was given a new password by the second run.
        let written = try [folder.path("first.csv"), folder.path("second.csv")].flatMap { path in
            try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map {
                String($0.split(separator: ",")[1])
            }
        }
        #expect(written.count == 40)
        #expect(Set(written) == Set(accounts))
        #expect(try CLI.run(arguments).output.contains("Nothing to change"))
    }

    struct FixtureFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
