import Foundation
import MailLog
import TestSupport
import Testing

/// Roundcube's `userlogins.log`, as the clients capture (Logs/captured-clients) logged it.
@Suite("Roundcube's login log")
struct RoundcubeLogTests {
    static func parse(_ text: String) -> (logins: [RoundcubeLogin], problems: [RoundcubeLogProblem]) {
        RoundcubeLoginLog.parse(contents: Array(text.utf8))
    }

    /// 30 November 2026 08:10:09 at +07:00, in UTC seconds.
    static let nov30at081009: Int64 = 1_796_001_009

    @Test("reads a successful login, its Roundcube user number, address and session")
    func success() throws {
        let (logins, problems) = Self.parse(
            "[30-Nov-2026 08:10:09 +0700]: <hiddco6u> Successful login for thangdq@namdinh.gov.vn (ID: 1) from "
                + "127.0.30.2 in session hiddco6u3ijhegmq\n")
        #expect(problems.isEmpty)
        let login = try #require(logins.first)
        #expect(
            login
                == RoundcubeLogin(
                    utcSeconds: Self.nov30at081009, utcOffset: 25_200, user: "thangdq@namdinh.gov.vn",
                    remoteAddress: "127.0.30.2", session: "hiddco6u3ijhegmq", outcome: .succeeded(userID: 1)))
        #expect(login.succeeded)
    }

    @Test("reads a failed login and its error code")
    func failure() throws {
        let (logins, problems) = Self.parse(
            "[30-Nov-2026 08:10:17 +0700]: <2jfpie2j> Failed login for lanpt@namdinh.gov.vn from 127.0.30.6 in "
                + "session 2jfpie2jaqqc7dtq (error: 0)")
        #expect(problems.isEmpty)
        let login = try #require(logins.first)
        #expect(login.user == "lanpt@namdinh.gov.vn")
        #expect(login.outcome == .failed(errorCode: 0))
        #expect(login.utcSeconds == Self.nov30at081009 + 8)
        #expect(!login.succeeded)
    }

    @Test("behind a reverse proxy, the forwarded address is read apart")
    func proxied() throws {
        let (logins, _) = Self.parse(
            "[02-Dec-2026 09:05:05 +0700]: <2l57mkdf> Successful login for hanhtt@namdinh.gov.vn (ID: 9) from "
                + "127.0.30.1 (X-Forwarded-For: 10.20.1.1) in session 2l57mkdfkrs3tmcl\n"
                + "[02-Dec-2026 09:05:06 +0700]: Successful login for a@b.vn (ID: 3) from 10.0.0.2 "
                + "(X-Real-IP: 203.0.113.9,X-Forwarded-For: 203.0.113.9, 10.0.0.1) in session abc\n")
        #expect(logins.count == 2)
        #expect(logins.first?.remoteAddress == "127.0.30.1")
        #expect(logins.first?.forwardedFor == "10.20.1.1")
        #expect(logins.first?.realIP == nil)
        #expect(logins.last?.realIP == "203.0.113.9")
        #expect(logins.last?.forwardedFor == "203.0.113.9, 10.0.0.1")
        #expect(logins.last?.session == "abc")
    }

    @Test("a failed login name is whatever was typed: spaces, `from`, parentheses")
    func oddNames() throws {
        let (logins, problems) = Self.parse(
            "[01-Dec-2026 23:59:59 -0130]: <x> Failed login for Admin from home (ID: 4) from 127.0.0.9 in session "
                + "s1 (error: 2)")
        #expect(problems.isEmpty)
        let login = try #require(logins.first)
        #expect(login.user == "admin from home (id: 4)")
        #expect(login.outcome == .failed(errorCode: 2))
        #expect(login.utcOffset == -5_400)
    }

    @Test("another date format is a numbered problem that says what to do; the other lines are read")
    func otherDateFormat() throws {
        let text =
            "[30-Nov-2026 08:10:09 +0700]: <a> Successful login for a@b.vn (ID: 1) from 127.0.0.2 in session a1\n"
            + "[2026-11-30 08:10:10 +0700]: <b> Successful login for b@b.vn (ID: 2) from 127.0.0.3 in session b1\n"
            + "\n"
            + "[31-Feb-2026 08:10:11 +0700]: <c> Successful login for c@b.vn (ID: 3) from 127.0.0.4 in session c1\n"
            + "[30-Nov-2026 08:10:12 +0700]: <d> PHP Error: something else\n"
            + "[30-Nov-2026 08:10:13 +0700]: <e> Failed login for e@b.vn from 127.0.0.5 in session e1 (error: 0)\n"
        let (logins, problems) = Self.parse(text)
        #expect(logins.map(\.user) == ["a@b.vn", "e@b.vn"])
        #expect(
            problems == [
                RoundcubeLogProblem(line: 2, code: .unknownStamp), RoundcubeLogProblem(line: 4, code: .invalidDate),
                RoundcubeLogProblem(line: 5, code: .notALogin),
            ])
        let message = problems[0].description
        #expect(message.hasPrefix("line 2: "))
        #expect(message.contains("log_date_format"))
        // No personal data in what is printed.
        for problem in problems { #expect(!problem.description.contains("@b.vn")) }
    }

    @Test("bytes that are not UTF-8, a NUL, a cut line: numbered problems, never a crash")
    func badBytes() {
        var bytes = Array("[30-Nov-2026 08:10:09 +0700]: <a> Successful login for ".utf8) + [0xFF, 0xFE]
        bytes += Array(" (ID: 1) from 127.0.0.2 in session a1\r\n".utf8)
        bytes += Array("[30-Nov-2026 08:10:09 +0700]: x\u{0}y\n".utf8)
        bytes += Array("[30-Nov-2026 08:10:09 +0700]: <a> Successful login for a@b.vn (ID: 1) from".utf8)
        bytes += Array("\n[30-Nov".utf8)
        let (logins, problems) = RoundcubeLoginLog.parse(contents: bytes)
        #expect(logins.isEmpty)
        #expect(
            problems == [
                RoundcubeLogProblem(line: 1, code: .notText), RoundcubeLogProblem(line: 2, code: .notText),
                RoundcubeLogProblem(line: 3, code: .notALogin), RoundcubeLogProblem(line: 4, code: .unknownStamp),
            ])
    }

    @Test("the text after the stamp reads alone, as Roundcube sends it to syslog")
    func syslogMessage() throws {
        let text =
            "<32q685pe> Failed login for lanpt@namdinh.gov.vn from 127.0.30.6 in session 32q685perolmvr0f (error: 0)"
        let login = try #require(
            text.withByteView { RoundcubeLoginLog.message($0, utcSeconds: 0, utcOffset: 25_200) })
        #expect(login.session == "32q685perolmvr0f")
        #expect("no login here".withByteView { RoundcubeLoginLog.message($0, utcSeconds: 0, utcOffset: 0) } == nil)
    }

    @Test("the whole capture: every line read, one per Roundcube login of the truth")
    func wholeCapture() throws {
        let folder = TestServers.root.appendingPathComponent("Logs/captured-clients")
        let contents = try [UInt8](Data(contentsOf: folder.appendingPathComponent("userlogins.log")))
        let (logins, problems) = RoundcubeLoginLog.parse(contents: contents)
        #expect(problems.isEmpty)
        let truth = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("truth.json")))
                as? [String: Any])
        let roundcube = try #require(truth["roundcube"] as? [String: Int])
        #expect(logins.filter(\.succeeded).count == roundcube["successful"])
        #expect(logins.filter { !$0.succeeded }.count == roundcube["failed"])
        // Per person, the same successes and failures as the driver made through the webmail.
        let done = try #require(truth["logins_done"] as? [[String: Any]])
        var expected: [String: [Bool]] = [:]
        for login in done where login["channel"] as? String == "webmail" {
            expected[login["address"] as? String ?? "", default: []].append(login["good"] as? Bool ?? false)
        }
        var actual: [String: [Bool]] = [:]
        for login in logins { actual[login.user, default: []].append(login.succeeded) }
        #expect(actual == expected)
        // Every stamp lies in the capture's three days, in Vietnam's time.
        for login in logins {
            #expect(login.utcOffset == 25_200)
            #expect(login.utcSeconds >= Self.nov30at081009 - 9 && login.utcSeconds < Self.nov30at081009 + 3 * 86_400)
        }
    }
}
