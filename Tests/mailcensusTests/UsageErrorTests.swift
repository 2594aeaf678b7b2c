import Foundation
import TestSupport
import Testing

/// Bad usage as people meet it: the usage line of the command they typed, one clear line for a
/// server URL without its scheme, a missing token or a missing folder, and log lines stamped in
/// the policy's offset.
@Suite("mailcensus usage errors")
struct UsageErrorTests {
    let folder = TemporaryFolder()

    func policy(_ extra: String = "") -> String {
        folder.write("policy.yaml", "official_domains: [namdinh.gov.vn]\nutc_offset: \"+07:00\"\n" + extra)
    }

    @Test(
        "a parse error prints the usage of the subcommand typed, exit 2",
        arguments: [
            (["report", "--format", "xls"], "mailcensus report"),
            (["activity", "--since", "yesterday"], "mailcensus activity"),
            (["provision", "plan", "--server", "https://mail.namdinh.gov.vn"], "mailcensus provision plan"),
            (["relay", "status", "--format", "xml"], "mailcensus relay status"),
        ])
    func parseError(arguments: [String], command: String) throws {
        let result = try CLI.run(arguments)
        #expect(result.status == 2)
        #expect(result.error.contains("Usage: \(command) "), "\(result.error)")
        #expect(result.error.contains("See '\(command) --help'"), "\(result.error)")
        #expect(!result.error.contains("<subcommand>"), "\(result.error)")
    }

    @Test("a usage error thrown while the command runs prints that command's usage, exit 2")
    func runError() throws {
        let result = try CLI.run([
            "report", "--store", folder.path("none.sqlite"), "--roster", folder.path("r.csv"), "--policy", policy(),
        ])
        #expect(result.status == 2)
        #expect(result.error.hasPrefix("Error: no store at "), "\(result.error)")
        #expect(result.error.contains("Usage: mailcensus report "), "\(result.error)")
        #expect(result.error.contains("See 'mailcensus report --help'"), "\(result.error)")
        #expect(!result.error.contains("<subcommand>"))
    }

    @Test(
        "--server without https:// is refused at once, in one line, exit 2",
        arguments: ["mail.namdinh.gov.vn", "mail.namdinh.gov.vn:443", "ftp://mail.namdinh.gov.vn"])
    func serverWithoutScheme(server: String) throws {
        let started = Date()
        for command in [["provision", "plan"], ["audit"]] {
            let result = try CLI.run(
                command + ["--roster", folder.path("none.csv"), "--server", server, "--policy", policy()],
                environment: ["MAILCENSUS_ADMIN_TOKEN": "token"])
            #expect(result.status == 2)
            #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
            #expect(result.error.contains("--server \(server)") && result.error.contains("https://"), "\(result.error)")
            #expect(!result.error.contains("retrying"))
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }

    @Test("no admin token: the error names --token-file and $MAILCENSUS_ADMIN_TOKEN")
    func missingToken() throws {
        let roster = folder.write("roster.csv", ReportCommandTests.roster)
        let result = try CLI.run(
            ["provision", "plan", "--roster", roster, "--server", "https://127.0.0.1:9", "--policy", policy()],
            environment: ["MAILCENSUS_ADMIN_TOKEN": ""])
        #expect(result.status == 2)
        #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
        #expect(result.error.contains("--token-file") && result.error.contains("$MAILCENSUS_ADMIN_TOKEN"))
    }

    @Test("report --out into a folder that does not exist says which folder, in one line, exit 2")
    func missingFolder() throws {
        let result = try CLI.run([
            "report", "--store", folder.path("none.sqlite"), "--roster", folder.path("r.csv"), "--out",
            "/no/such/dir/r.html",
        ])
        #expect(result.status == 2)
        #expect(
            result.error == "mailcensus: --out /no/such/dir/r.html: the folder /no/such/dir does not exist; "
                + "create it first\n")
    }

    @Test("the HTTP client's retry lines are stamped in the policy's UTC offset")
    func retryStamps() throws {
        let roster = folder.write("roster.csv", ReportCommandTests.roster)
        // Nothing listens on port 9 of this machine: every attempt is refused, and retried.
        let result = try CLI.run(
            ["provision", "plan", "--roster", roster, "--server", "http://127.0.0.1:9", "--policy", policy()],
            environment: ["MAILCENSUS_ADMIN_TOKEN": "token"])
        #expect(result.status != 0)
        let retries = result.error.split(separator: "\n").filter { $0.contains("retrying") }
        #expect(!retries.isEmpty, "\(result.error)")
        for line in retries {
            let stamp = line.prefix { $0 != " " }
            #expect(stamp.count == 25 && stamp.hasSuffix("+07:00"), "\(line)")
        }
    }
}
