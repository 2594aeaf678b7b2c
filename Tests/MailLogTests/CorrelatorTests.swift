import Foundation
import MailLog
import MailLogTesting
import Testing

@Suite("Correlation of lines into messages and logins")
struct CorrelatorTests {
    static let submission = """
        Nov 25 08:00:01 mail postfix/submission/smtpd[10]: 1A2B3C4D5E: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn
        Nov 25 08:00:01 mail postfix/cleanup[11]: 1A2B3C4D5E: message-id=<m1@namdinh.gov.vn>
        Nov 25 08:00:01 mail postfix/qmgr[12]: 1A2B3C4D5E: from=<annv@namdinh.gov.vn>, size=900, nrcpt=2 (queue active)
        Nov 25 08:00:02 mail postfix/lmtp[13]: 1A2B3C4D5E: to=<binhtt@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 <binhtt@namdinh.gov.vn> Saved)
        Nov 25 08:00:03 mail postfix/smtp[14]: 1A2B3C4D5E: to=<friend@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK)
        Nov 25 08:00:03 mail postfix/qmgr[12]: 1A2B3C4D5E: removed
        """

    @Test("an authenticated submission to a mailbox and to Gmail")
    func submissionAndDeliveries() {
        var scenario = Scenario()
        scenario.feed(Self.submission)
        #expect(scenario.recorded.submissions == ["annv@namdinh.gov.vn"])
        #expect(scenario.recorded.receipts == ["binhtt@namdinh.gov.vn"])
        #expect(
            scenario.recorded.exchanges == [
                "annv@namdinh.gov.vn>binhtt@namdinh.gov.vn", "annv@namdinh.gov.vn>friend@gmail.com",
            ])
        #expect(scenario.statistics.messages == 1)
        #expect(scenario.statistics.delivered == 1)
        #expect(scenario.statistics.relayed == 1)
        #expect(scenario.correlator.state.openMessages == 0)
    }

    static let inbound = """
        Nov 25 09:00:00 mail postfix/smtpd[20]: AAAA11111: client=mail-ed1.google.com[209.85.208.1]
        Nov 25 09:00:00 mail postfix/qmgr[12]: AAAA11111: from=<friend@gmail.com>, size=500, nrcpt=1 (queue active)
        """
    static let hop = """
        Nov 25 09:00:01 mail postfix/smtp[21]: AAAA11111: to=<annv@namdinh.gov.vn>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as BBBB22222)
        Nov 25 09:00:01 mail postfix/qmgr[12]: AAAA11111: removed
        """
    static let reinjected = """
        Nov 25 09:00:01 mail postfix/smtpd[22]: BBBB22222: client=localhost[127.0.0.1]
        Nov 25 09:00:01 mail postfix/qmgr[12]: BBBB22222: from=<friend@gmail.com>, size=800, nrcpt=1 (queue active)
        Nov 25 09:00:01 mail postfix/lmtp[13]: BBBB22222: to=<annv@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
        Nov 25 09:00:01 mail postfix/qmgr[12]: BBBB22222: removed
        """

    @Test(
        "a message re-injected by a content filter counts once, whichever queue id is logged first",
        arguments: [true, false])
    func contentFilter(hopFirst: Bool) {
        var scenario = Scenario()
        scenario.feed(Self.inbound)
        scenario.feed(hopFirst ? Self.hop + "\n" + Self.reinjected : Self.reinjected + "\n" + Self.hop)
        #expect(scenario.statistics.messages == 1)
        #expect(scenario.statistics.delivered == 1)
        #expect(scenario.statistics.relayed == 0)
        #expect(scenario.recorded.receipts == ["annv@namdinh.gov.vn"])
        #expect(scenario.recorded.exchanges == ["friend@gmail.com>annv@namdinh.gov.vn"])
    }

    @Test("a deferred recipient delivered later is one delivery and one exchange")
    func deferredThenSent() {
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 10:00:00 mail postfix/submission/smtpd[10]: CCCC33333: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv
            Nov 25 10:00:00 mail postfix/qmgr[12]: CCCC33333: from=<annv@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)
            Nov 25 10:00:01 mail postfix/smtp[14]: CCCC33333: to=<x@yahoo.com>, relay=mx[1.2.3.4]:25, delay=1, delays=0/0/0/1, dsn=4.7.0, status=deferred (host mx[1.2.3.4] said: 421 try later)
            Nov 25 10:10:00 mail postfix/qmgr[12]: CCCC33333: from=<annv@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)
            Nov 25 10:10:01 mail postfix/smtp[14]: CCCC33333: to=<x@yahoo.com>, relay=mx[1.2.3.4]:25, delay=601, delays=600/0/0/1, dsn=2.0.0, status=sent (250 ok)
            Nov 25 10:10:01 mail postfix/qmgr[12]: CCCC33333: removed
            """)
        #expect(scenario.statistics.messages == 1)
        #expect(scenario.statistics.deferred == 1)
        #expect(scenario.statistics.relayed == 1)
        // The bare SASL name takes the login domain.
        #expect(scenario.recorded.submissions == ["annv@namdinh.gov.vn"] || scenario.recorded.submissions == ["annv"])
        #expect(scenario.recorded.exchanges == ["annv@namdinh.gov.vn>x@yahoo.com"])
    }

    @Test("bare login names take the policy's domain")
    func loginDomain() {
        var scenario = Scenario(loginDomain: "namdinh.gov.vn")
        scenario.feed(
            """
            Nov 25 10:00:00 mail postfix/submission/smtpd[10]: CCCC33333: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=AnNV
            Nov 25 10:00:00 mail postfix/qmgr[12]: CCCC33333: from=<annv@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)
            Nov 25 10:00:05 mail dovecot: imap-login: Login: user=<binhtt>, method=PLAIN, rip=10.0.0.6
            """)
        #expect(scenario.recorded.submissions == ["annv@namdinh.gov.vn"])
        #expect(scenario.recorded.logins == ["imap:binhtt@namdinh.gov.vn"])
    }

    @Test("a bounce and its notification: the notification is nobody's correspondence")
    func bounce() {
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 11:00:00 mail postfix/submission/smtpd[10]: DDDD44444: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn
            Nov 25 11:00:00 mail postfix/qmgr[12]: DDDD44444: from=<annv@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)
            Nov 25 11:00:01 mail postfix/smtp[14]: DDDD44444: to=<nobody@example.com>, relay=mx[1.2.3.4]:25, delay=1, delays=0/0/0/1, dsn=5.1.1, status=bounced (host mx[1.2.3.4] said: 550 5.1.1 no such user)
            Nov 25 11:00:01 mail postfix/cleanup[11]: EEEE55555: message-id=<bounce@mail>
            Nov 25 11:00:01 mail postfix/bounce[15]: DDDD44444: sender non-delivery notification: EEEE55555
            Nov 25 11:00:01 mail postfix/qmgr[12]: EEEE55555: from=<>, size=2000, nrcpt=1 (queue active)
            Nov 25 11:00:01 mail postfix/qmgr[12]: DDDD44444: removed
            Nov 25 11:00:02 mail postfix/lmtp[13]: EEEE55555: to=<annv@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            Nov 25 11:00:02 mail postfix/qmgr[12]: EEEE55555: removed
            """)
        #expect(scenario.statistics.messages == 1)
        #expect(scenario.statistics.notifications == 1)
        #expect(scenario.statistics.bounced == 1)
        #expect(scenario.statistics.delivered == 0)
        #expect(scenario.recorded.receipts.isEmpty)
        #expect(scenario.recorded.exchanges == ["annv@namdinh.gov.vn>nobody@example.com"])
    }

    @Test("an alias counts once for each final mailbox")
    func alias() {
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 12:00:00 mail postfix/smtpd[20]: FFFF66666: client=mx[1.2.3.4]
            Nov 25 12:00:00 mail postfix/qmgr[12]: FFFF66666: from=<boss@yahoo.com>, size=500, nrcpt=1 (queue active)
            Nov 25 12:00:01 mail postfix/lmtp[13]: FFFF66666: to=<annv@namdinh.gov.vn>, orig_to=<vanphong@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            Nov 25 12:00:01 mail postfix/lmtp[13]: FFFF66666: to=<binhtt@namdinh.gov.vn>, orig_to=<vanphong@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            Nov 25 12:00:01 mail postfix/qmgr[12]: FFFF66666: removed
            """)
        #expect(scenario.recorded.receipts == ["annv@namdinh.gov.vn", "binhtt@namdinh.gov.vn"])
        #expect(scenario.statistics.messages == 1)
        #expect(
            scenario.recorded.forwards == [
                "vanphong@namdinh.gov.vn>annv@namdinh.gov.vn", "vanphong@namdinh.gov.vn>binhtt@namdinh.gov.vn",
            ])
    }

    @Test("a queue id used again after `removed` is a new message; a cleanup reject is none")
    func reuseAndReject() {
        var scenario = Scenario()
        let message = """
            Nov 25 13:00:00 mail postfix/smtpd[20]: ABCDE1234: client=mx[1.2.3.4]
            Nov 25 13:00:00 mail postfix/qmgr[12]: ABCDE1234: from=<a@gmail.com>, size=500, nrcpt=1 (queue active)
            Nov 25 13:00:01 mail postfix/lmtp[13]: ABCDE1234: to=<annv@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            Nov 25 13:00:01 mail postfix/qmgr[12]: ABCDE1234: removed
            """
        scenario.feed(message + "\n" + message)
        scenario.feed(
            """
            Nov 25 13:05:00 mail postfix/smtpd[20]: 99999ABCD: client=spam[6.6.6.6]
            Nov 25 13:05:00 mail postfix/cleanup[11]: 99999ABCD: milter-reject: END-OF-MESSAGE from spam[6.6.6.6]: 5.7.1 Spam; from=<s@spam.com> to=<annv@namdinh.gov.vn> proto=ESMTP helo=<spam>
            Nov 25 13:05:01 mail postfix/smtpd[20]: NOQUEUE: reject: RCPT from spam[6.6.6.6]: 554 5.7.1 Relay access denied; from=<s@spam.com> to=<x@other.org> proto=ESMTP helo=<spam>
            """)
        #expect(scenario.statistics.messages == 2)
        #expect(scenario.statistics.rejected == 2)
        #expect(scenario.recorded.receipts.count == 2)
        #expect(scenario.correlator.state.openMessages == 0)
    }

    @Test("logins, failed attempts, other programs and garbage")
    func loginsAndSkips() {
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 14:00:00 mail dovecot: imap-login: Login: user=<annv@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5
            Nov 25 14:00:01 mail dovecot: pop3-login: Login: user=<annv@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5
            Nov 25 14:00:02 mail dovecot: imap-login: Disconnected: Connection closed (auth failed, 2 attempts in 4 secs): user=<annv@namdinh.gov.vn>, method=PLAIN
            Nov 25 14:00:03 mail opendkim[99]: ABCDE1234: DKIM-Signature field added
            Nov 25 14:00:04 mail CRON[1]: (root) CMD (true)
            \u{1}\u{2}garbage that is no log line
            """)
        #expect(scenario.recorded.logins == ["imap:annv@namdinh.gov.vn", "pop3:annv@namdinh.gov.vn"])
        #expect(scenario.recorded.failures == ["annv@namdinh.gov.vn" + "x2"])
        #expect(scenario.statistics.linesRead == 6)
        #expect(scenario.statistics.linesParsed == 3)
        #expect(scenario.statistics.linesSkipped == 3)
        #expect(scenario.statistics.linesUnrecognised == 1)
        #expect(scenario.statistics.loginFailures == 2)
    }

    @Test("state saved between two runs gives what one run gives")
    func stateRoundTrip() throws {
        let lines = (Self.inbound + "\n" + Self.hop + "\n" + Self.reinjected + "\n" + Self.submission)
            .split(separator: "\n").map(String.init)
        var whole = Scenario()
        whole.feed(lines.joined(separator: "\n"))
        for cut in 1..<lines.count {
            var first = Scenario()
            first.feed(lines[..<cut].joined(separator: "\n"))
            let saved = try JSONEncoder().encode(first.correlator.state)
            var second = Scenario(state: try JSONDecoder().decode(Correlator.State.self, from: saved))
            second.recorded = first.recorded
            second.statistics = first.statistics
            second.feed(lines[cut...].joined(separator: "\n"))
            #expect(second.recorded == whole.recorded, "cut at line \(cut)")
            #expect(second.statistics == whole.statistics, "cut at line \(cut)")
        }
    }
}
