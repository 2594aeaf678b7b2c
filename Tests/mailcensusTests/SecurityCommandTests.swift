import Foundation
import TestSupport
import Testing

/// What the tool prints when its inputs are hostile: errors on one line, no secret, the right
/// exit status, and no policy that takes the machine's memory.
@Suite("Hostile inputs at the command line")
struct SecurityCommandTests {
    let folder = TemporaryFolder()

    @Test(
        "a store URL that does not parse: its password never printed, exit 2",
        arguments: [
            "postgres://mailcensus:S3cret/PW2@db.namdinh.gov.vn/mailcensus",
            "postgres://mailcensus:S3cret#PW2@db.namdinh.gov.vn/mailcensus",
            "postgres://mailcensus:S3cret?PW2@db.namdinh.gov.vn/mailcensus",
            "postgres://mailcensus:S3cretPW2@db.namdinh.gov.vn/mailcensus",
            "postgresql://mailcensus:S3cret@PW2@db.namdinh.gov.vn/mailcensus?sslmode=disable",
        ])
    func storePassword(_ url: String) throws {
        let result = try CLI.run(["activity", "--store", url, "--format", "json"])
        #expect(result.status == 2, "\(result.error)")
        #expect(!result.error.contains("S3cret") && !result.error.contains("PW2"), "\(result.error)")
        #expect(!result.output.contains("S3cret") && !result.output.contains("PW2"))
        #expect(result.error.contains("$MAILCENSUS_STORE_PASSWORD"), "\(result.error)")
        #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
    }

    @Test("a file that is not a store, or a folder: exit 2, one line naming it")
    func notAStore() throws {
        let result = try CLI.run(["activity", "--store", "/etc/passwd", "--format", "json"])
        #expect(result.status == 2, "\(result.error)")
        #expect(result.error.hasPrefix("mailcensus: store /etc/passwd: is not a mailcensus store"), "\(result.error)")
        #expect(result.error.split(separator: "\n").count == 1, "\(result.error)")
        let folder = try CLI.run(["activity", "--store", self.folder.url.path, "--format", "json"])
        #expect(folder.status == 2, "\(folder.error)")
        #expect(
            folder.error
                == "mailcensus: store \(self.folder.url.path): is a folder, not a mailcensus store; name one with --store\n"
        )
    }

    @Test("roster check: an address with CR LF is an error, shown escaped on its one line")
    func rosterInjection() throws {
        let path = folder.write(
            "roster.csv",
            RosterCommandTests.header
                + "E1,Nguyễn Văn An,STTTT,,,,\"x>\r\nX-Injected:header1\r\nX:<y@namdinh.gov.vn\",,active,,\n")
        let result = try CLI.run(["roster", "check", path])
        #expect(result.status == 2)
        #expect(result.output.contains("0 staff read, 1 error(s)"), "\(result.output)")
        let lines = result.error.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1, "\(result.error)")
        #expect(lines.allSatisfy { $0.hasPrefix(path) && !$0.contains("\r") }, "\(result.error)")
        #expect(result.error.contains("x>\\r\\nX-Injected:header1\\r\\nX:<y@namdinh.gov.vn"))
    }

    @Test("a policy that is not UTF-8: exit 2, naming the file")
    func policyNotUTF8() throws {
        let roster = folder.write("roster.csv", RosterCommandTests.header + "E1,Nguyễn Văn An,STTTT,,,,,,active,,\n")
        let policy = folder.path("policy.yaml")
        // "Nam Đinh" as a Windows editor may save it (Latin-1 Ð, 0xD0): not UTF-8.
        let bytes = Array("official_domains: [namdinh.gov.vn]\nprovince: Nam ".utf8) + [0xD0] + Array("inh\n".utf8)
        try #require(FileManager.default.createFile(atPath: policy, contents: Data(bytes)))
        let result = try CLI.run(["roster", "check", "--policy", policy, roster])
        #expect(result.status == 2)
        #expect(result.error == "mailcensus: \(policy): is not UTF-8 text; save the policy as UTF-8\n")
    }

    @Test("the classic billion laughs: refused at once, in bounded memory (exit 2, not killed)")
    func billionLaughs() throws {
        var lines = ["official_domains: [namdinh.gov.vn]", "province: &a0 \"lol\""]
        for level in 1...9 {
            lines.append(
                "l\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ",") + "]")
        }
        let policy = folder.write("bomb.yaml", lines.joined(separator: "\n") + "\n")
        let roster = folder.write("roster.csv", RosterCommandTests.header)
        // The tool runs under a 2 GB address-space limit: unfixed, it would be killed, not exit 2.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [
            "-c", "ulimit -v 2000000; exec \"$0\" \"$@\"", CLI.executable.path, "roster", "check", "--policy", policy,
            roster,
        ]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let error = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 2, "\(error)")
        #expect(
            error == "mailcensus: \(policy): uses YAML anchors or aliases (&, *), which a policy may not; "
                + "write each value out\n")
    }
}
