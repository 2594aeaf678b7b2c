import Foundation
import TestSupport
import Testing

@testable import MailLog

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

    @Test("a bounce and its notification: the notification is a receipt, nobody's correspondence")
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
        #expect(scenario.statistics.delivered == 1)
        #expect(scenario.recorded.receipts == ["annv@namdinh.gov.vn"])
        #expect(scenario.recorded.exchanges == ["annv@namdinh.gov.vn>nobody@example.com"])
        #expect(scenario.recorded.forwards.isEmpty)
    }

    @Test(
        "a notification is one receipt per mailbox, however its lines are ordered, and never an exchange or a forward",
        arguments: [true, false])
    func notificationReceipt(noticeFirst: Bool) {
        var scenario = Scenario()
        let notice = "Nov 25 11:00:01 mail postfix/bounce[15]: DDDD44444: sender non-delivery notification: EEEE55555"
        let active = "Nov 25 11:00:01 mail postfix/qmgr[12]: EEEE55555: from=<>, size=2000, nrcpt=1 (queue active)"
        scenario.feed(
            """
            Nov 25 11:00:01 mail postfix/cleanup[11]: EEEE55555: message-id=<bounce@mail>
            \(noticeFirst ? notice + "\n" + active : active + "\n" + notice)
            Nov 25 11:00:02 mail postfix/lmtp[13]: EEEE55555: to=<annv@namdinh.gov.vn>, orig_to=<vanphong@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=4.2.0, status=deferred (try later)
            Nov 25 11:10:02 mail postfix/lmtp[13]: EEEE55555: to=<annv@namdinh.gov.vn>, orig_to=<vanphong@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            Nov 25 11:10:02 mail postfix/lmtp[13]: EEEE55555: to=<annv@namdinh.gov.vn>, orig_to=<vanphong@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            Nov 25 11:10:02 mail postfix/qmgr[12]: EEEE55555: removed
            """)
        #expect(scenario.statistics.notifications == 1)
        #expect(scenario.statistics.messages == 0)
        #expect(scenario.statistics.delivered == 1)
        #expect(scenario.statistics.deferred == 0)
        #expect(scenario.recorded.receipts == ["annv@namdinh.gov.vn"])
        #expect(scenario.recorded.exchanges.isEmpty)
        #expect(scenario.recorded.forwards.isEmpty)
    }

    // MARK: local(8) forwarding

    static let forwardedInbound = """
        Nov 25 15:00:00 mail postfix/smtpd[20]: 3F2A1B2C3: client=mx.yahoo.com[98.136.1.1]
        Nov 25 15:00:00 mail postfix/qmgr[12]: 3F2A1B2C3: from=<boss@yahoo.com>, size=500, nrcpt=1 (queue active)
        """
    /// bob's `.forward` sends his mail to Gmail: local(8) re-queues it as 7B8C9D0E1.
    static let forwardHop = """
        Nov 25 15:00:01 mail postfix/local[30]: 3F2A1B2C3: to=<bob@mail.namdinh.gov.vn>, relay=local, delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (forwarded as 7B8C9D0E1)
        Nov 25 15:00:01 mail postfix/qmgr[12]: 3F2A1B2C3: removed
        """
    static let forwardedCopy = """
        Nov 25 15:00:01 mail postfix/cleanup[11]: 7B8C9D0E1: message-id=<m15@yahoo.com>
        Nov 25 15:00:01 mail postfix/qmgr[12]: 7B8C9D0E1: from=<boss@yahoo.com>, size=700, nrcpt=1 (queue active)
        Nov 25 15:00:02 mail postfix/smtp[14]: 7B8C9D0E1: to=<bob.personal@gmail.com>, orig_to=<bob@mail.namdinh.gov.vn>, relay=gmail-smtp-in.l.google.com[142.250.1.27]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK)
        Nov 25 15:00:02 mail postfix/qmgr[12]: 7B8C9D0E1: removed
        """

    @Test("local(8)'s `forwarded as` line is parsed as a hop to the new queue id")
    func forwardedAsParsed() throws {
        let line =
            "Nov 25 15:00:01 mail postfix/local[30]: 3F2A1B2C3: to=<bob@mail.namdinh.gov.vn>, orig_to=<vanthu@namdinh.gov.vn>, relay=local, delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (forwarded as 7B8C9D0E1)"
        try line.withByteView { view in
            guard case .mail(let timed?) = LineClassifier.classify(view),
                case .delivery(let id, let delivery) = timed.event
            else {
                Issue.record("not a delivery")
                return
            }
            #expect(id.description == "3F2A1B2C3")
            #expect(delivery.handoff?.description == "7B8C9D0E1")
            #expect(delivery.status == .sent)
            #expect(delivery.agent == .mailbox)
            #expect(delivery.recipient == "bob@mail.namdinh.gov.vn")
            #expect(delivery.originalRecipient == "vanthu@namdinh.gov.vn")
            let fields = PostfixParser.parse(view[try #require(SyslogFramer.frame(view)).body])
            #expect(fields.forwardedAs != nil)
            #expect(fields.queuedAs == nil)
        }
    }

    @Test(
        "a `.forward` is a hop: one message, no receipt for the hop, the forward recorded once, in either order",
        arguments: [true, false])
    func localForward(hopFirst: Bool) {
        var scenario = Scenario()
        scenario.feed(Self.forwardedInbound)
        scenario.feed(
            hopFirst ? Self.forwardHop + "\n" + Self.forwardedCopy : Self.forwardedCopy + "\n" + Self.forwardHop)
        #expect(scenario.statistics.messages == 1)
        #expect(scenario.statistics.delivered == 0)
        #expect(scenario.statistics.relayed == 1)
        #expect(scenario.recorded.receipts.isEmpty)
        #expect(scenario.recorded.forwards == ["bob@mail.namdinh.gov.vn>bob.personal@gmail.com"])
        #expect(scenario.recorded.exchanges == ["boss@yahoo.com>bob.personal@gmail.com"])
        #expect(scenario.correlator.state.openMessages == 0)
    }

    @Test(
        "an alias expanded by local(8) into a mailbox: one message, one receipt, one forward", arguments: [true, false])
    func localAlias(hopFirst: Bool) {
        let hop = """
            Nov 25 16:00:01 mail postfix/local[30]: 5A5A5A5A5: to=<vanthu@mail.namdinh.gov.vn>, orig_to=<vanthu@namdinh.gov.vn>, relay=local, delay=0.2, delays=0.1/0/0/0.1, dsn=2.0.0, status=sent (forwarded as 6B6B6B6B6)
            Nov 25 16:00:01 mail postfix/qmgr[12]: 5A5A5A5A5: removed
            """
        let copy = """
            Nov 25 16:00:01 mail postfix/qmgr[12]: 6B6B6B6B6: from=<boss@yahoo.com>, size=700, nrcpt=1 (queue active)
            Nov 25 16:00:02 mail postfix/lmtp[13]: 6B6B6B6B6: to=<annv@namdinh.gov.vn>, orig_to=<vanthu@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            Nov 25 16:00:02 mail postfix/qmgr[12]: 6B6B6B6B6: removed
            """
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 16:00:00 mail postfix/smtpd[20]: 5A5A5A5A5: client=mx.yahoo.com[98.136.1.1]
            Nov 25 16:00:00 mail postfix/qmgr[12]: 5A5A5A5A5: from=<boss@yahoo.com>, size=500, nrcpt=1 (queue active)
            """)
        scenario.feed(hopFirst ? hop + "\n" + copy : copy + "\n" + hop)
        #expect(scenario.statistics.messages == 1)
        #expect(scenario.statistics.delivered == 1)
        #expect(scenario.recorded.receipts == ["annv@namdinh.gov.vn"])
        #expect(
            scenario.recorded.forwards == [
                "vanthu@namdinh.gov.vn>vanthu@mail.namdinh.gov.vn", "vanthu@namdinh.gov.vn>annv@namdinh.gov.vn",
            ]
                || scenario.recorded.forwards == [
                    "vanthu@namdinh.gov.vn>annv@namdinh.gov.vn", "vanthu@namdinh.gov.vn>vanthu@mail.namdinh.gov.vn",
                ])
        #expect(scenario.recorded.exchanges == ["boss@yahoo.com>annv@namdinh.gov.vn"])
    }

    // MARK: From display names

    static func fromHeader(_ id: String, _ time: String = "09:00:00", sender: String = "friend@gmail.com") -> String {
        "Nov 25 \(time) mail postfix/cleanup[11]: \(id): info: header From: \"Lê Công Quân\" <\(sender)> from "
            + "mail-ed1.google.com[209.85.208.1]; from=<\(sender)> to=<annv@namdinh.gov.vn> proto=ESMTP helo=<mail-ed1>"
    }

    static let inboundWithHeader = """
        Nov 25 09:00:00 mail postfix/smtpd[20]: AAAA11111: client=mail-ed1.google.com[209.85.208.1]
        \(fromHeader("AAAA11111"))
        Nov 25 09:00:00 mail postfix/qmgr[12]: AAAA11111: from=<friend@gmail.com>, size=500, nrcpt=1 (queue active)
        """
    static let reinjectedWithHeader = """
        Nov 25 09:00:01 mail postfix/smtpd[22]: BBBB22222: client=localhost[127.0.0.1]
        \(fromHeader("BBBB22222", "09:00:01"))
        Nov 25 09:00:01 mail postfix/qmgr[12]: BBBB22222: from=<friend@gmail.com>, size=800, nrcpt=1 (queue active)
        Nov 25 09:00:01 mail postfix/lmtp[13]: BBBB22222: to=<annv@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
        Nov 25 09:00:01 mail postfix/qmgr[12]: BBBB22222: removed
        """
    /// A line more than the hop window later, after which no hop can name a removed message.
    static let later =
        "Nov 25 11:00:00 mail dovecot: imap-login: Login: user=<binhtt@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.6"

    @Test(
        "a From name is recorded once per message, when both copies of a content filter log it, in either order",
        arguments: [true, false])
    func displayNameOnceWithContentFilter(hopFirst: Bool) {
        var scenario = Scenario()
        scenario.feed(Self.inboundWithHeader)
        #expect(scenario.recorded.names == ["friend@gmail.com=le cong quan"])
        scenario.feed(
            hopFirst ? Self.hop + "\n" + Self.reinjectedWithHeader : Self.reinjectedWithHeader + "\n" + Self.hop)
        scenario.feed(Self.later)
        #expect(scenario.recorded.names == ["friend@gmail.com=le cong quan"])
        #expect(scenario.statistics.displayNames == 1)
        #expect(scenario.statistics.messages == 1)
    }

    @Test("a From name only the re-injected copy logged is the message's, once")
    func displayNameOnlyOnTheCopy() {
        var scenario = Scenario()
        scenario.feed(Self.inbound)
        scenario.feed(Self.reinjectedWithHeader + "\n" + Self.hop)
        scenario.feed(Self.later)
        #expect(scenario.recorded.names == ["friend@gmail.com=le cong quan"])
        #expect(scenario.statistics.messages == 1)
    }

    @Test("a message from this machine with no login waits until it cannot be a re-injection")
    func displayNameWaitsForTheHopWindow() {
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 09:00:00 mail postfix/pickup[9]: CCCC33333: uid=0 from=<root>
            Nov 25 09:00:00 mail postfix/cleanup[11]: CCCC33333: info: header From: Quan Tri <root@mail.namdinh.gov.vn> from local; from=<root@mail.namdinh.gov.vn> to=<annv@namdinh.gov.vn>
            Nov 25 09:00:00 mail postfix/qmgr[12]: CCCC33333: from=<root@mail.namdinh.gov.vn>, size=500, nrcpt=1 (queue active)
            Nov 25 09:00:01 mail postfix/lmtp[13]: CCCC33333: to=<annv@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            Nov 25 09:00:01 mail postfix/qmgr[12]: CCCC33333: removed
            Nov 25 09:30:00 mail CRON[1]: (root) CMD (true)
            """)
        #expect(scenario.recorded.names.isEmpty)
        scenario.feed(Self.later)
        #expect(scenario.recorded.names == ["root@mail.namdinh.gov.vn=quan tri"])
    }

    @Test("no From name for a notification, a rejected message, or a second header line of one message")
    func noDisplayName() {
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 09:00:00 mail postfix/cleanup[11]: EEEE55555: info: header From: Mail Delivery System <MAILER-DAEMON@mail.namdinh.gov.vn> from local; from=<root@x> to=<annv@namdinh.gov.vn>
            Nov 25 09:00:00 mail postfix/bounce[15]: DDDD44444: sender non-delivery notification: EEEE55555
            Nov 25 09:00:00 mail postfix/qmgr[12]: EEEE55555: from=<>, size=2000, nrcpt=1 (queue active)
            Nov 25 09:00:01 mail postfix/qmgr[12]: EEEE55555: removed
            Nov 25 09:05:00 mail postfix/smtpd[20]: 99999ABCD: client=spam[6.6.6.6]
            \(Self.fromHeader("99999ABCD", "09:05:00", sender: "s@spam.com"))
            Nov 25 09:05:00 mail postfix/cleanup[11]: 99999ABCD: milter-reject: END-OF-MESSAGE from spam[6.6.6.6]: 5.7.1 Spam; from=<s@spam.com> to=<annv@namdinh.gov.vn> proto=ESMTP helo=<spam>
            Nov 25 09:06:00 mail postfix/smtpd[20]: FFFF66666: client=mx.yahoo.com[98.136.1.1]
            \(Self.fromHeader("FFFF66666", "09:06:00", sender: "boss@yahoo.com"))
            Nov 25 09:06:00 mail postfix/cleanup[11]: FFFF66666: info: header From: "Someone Else" <boss@yahoo.com> from mx.yahoo.com[98.136.1.1]; from=<boss@yahoo.com> to=<annv@namdinh.gov.vn> proto=ESMTP helo=<mx>
            Nov 25 09:06:00 mail postfix/qmgr[12]: FFFF66666: from=<boss@yahoo.com>, size=500, nrcpt=1 (queue active)
            Nov 25 09:06:01 mail postfix/qmgr[12]: FFFF66666: removed
            """)
        scenario.feed(Self.later)
        #expect(scenario.recorded.names == ["boss@yahoo.com=le cong quan"])
        #expect(scenario.statistics.rejected == 1)
        #expect(scenario.statistics.notifications == 1)
    }

    @Test("an unreadable From header: the message counts as before, the line is counted apart")
    func unreadableHeader() {
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 09:00:00 mail postfix/smtpd[20]: AAAA11111: client=mail-ed1.google.com[209.85.208.1]
            Nov 25 09:00:00 mail postfix/cleanup[11]: AAAA11111: info: header From: =?koi8-r?B?8NLJ18XU?= <friend@gmail.com> from mail-ed1.google.com[209.85.208.1]; from=<friend@gmail.com> to=<annv@namdinh.gov.vn> proto=ESMTP helo=<mail-ed1>
            Nov 25 09:00:00 mail postfix/qmgr[12]: AAAA11111: from=<friend@gmail.com>, size=500, nrcpt=1 (queue active)
            Nov 25 09:00:01 mail postfix/lmtp[13]: AAAA11111: to=<annv@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            Nov 25 09:00:01 mail postfix/qmgr[12]: AAAA11111: removed
            """)
        scenario.feed(Self.later)
        #expect(scenario.recorded.names.isEmpty)
        #expect(scenario.statistics.messages == 1)
        #expect(scenario.recorded.receipts == ["annv@namdinh.gov.vn"])
        #expect(scenario.statistics.unreadableHeaders == 1)
        #expect(scenario.statistics.linesParsed == 6)
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

    @Test(
        "state saved between two runs gives what one run gives",
        arguments: [
            inbound + "\n" + hop + "\n" + reinjected + "\n" + submission,
            // From headers on both copies, the copy first, a pickup message waiting for the hop window.
            inboundWithHeader + "\n" + reinjectedWithHeader + "\n" + hop + "\n" + submission + "\n"
                + "Nov 25 09:10:00 mail postfix/pickup[9]: CCCC33333: uid=0 from=<root>\n"
                + fromHeader("CCCC33333", "09:10:00", sender: "root@mail.namdinh.gov.vn") + "\n"
                + "Nov 25 09:10:00 mail postfix/qmgr[12]: CCCC33333: from=<root@mail.namdinh.gov.vn>, size=1, nrcpt=1 (queue active)\n"
                + "Nov 25 09:10:01 mail postfix/qmgr[12]: CCCC33333: removed\n" + later + "\n" + forwardedInbound + "\n"
                + forwardedCopy + "\n" + forwardHop,
        ])
    func stateRoundTrip(_ log: String) throws {
        let lines = log.split(separator: "\n").map(String.init)
        var whole = Scenario()
        whole.feed(lines.joined(separator: "\n"))
        for cut in 1..<lines.count {
            var first = Scenario()
            first.feed(lines[..<cut].joined(separator: "\n"))
            // The form commits save, and the JSON older versions saved.
            let binary = try Correlator.State(encoded: first.correlator.state.encoded())
            let json = try JSONDecoder().decode(
                Correlator.State.self, from: JSONEncoder().encode(first.correlator.state))
            for (form, state) in [("binary", binary), ("JSON", json)] {
                #expect(state == first.correlator.state, "\(form), cut at line \(cut)")
                var second = Scenario(state: state)
                second.recorded = first.recorded
                second.statistics = first.statistics
                second.feed(lines[cut...].joined(separator: "\n"))
                #expect(second.recorded == whole.recorded, "\(form), cut at line \(cut)")
                #expect(second.statistics == whole.statistics, "\(form), cut at line \(cut)")
            }
        }
        #expect(!whole.recorded.receipts.isEmpty)
    }

    @Test("a saved state cut short, with bytes after its end, or not a state at all is refused, never misread")
    func damagedStateRefused() throws {
        var scenario = Scenario()
        scenario.feed(Self.inboundWithHeader + "\n" + Self.reinjectedWithHeader + "\n" + Self.submission)
        scenario.feed(Self.forwardedInbound + "\n" + Self.forwardedCopy)
        let bytes = scenario.correlator.state.encoded()
        #expect(Correlator.State.isEncoded(bytes))
        #expect(!Correlator.State.isEncoded(Array(try JSONEncoder().encode(scenario.correlator.state))))
        #expect(try Correlator.State(encoded: bytes) == scenario.correlator.state)
        #expect(try Correlator.State(encoded: bytes).openMessages > 0)
        for length in 0..<bytes.count {
            #expect(throws: StateFormatError.self, "cut at byte \(length)") {
                try Correlator.State(encoded: Array(bytes[..<length]))
            }
        }
        #expect(throws: StateFormatError.self) { try Correlator.State(encoded: bytes + [0]) }
        var wrongCount = bytes
        wrongCount[Correlator.State.magic.count] = 0x7F
        #expect(throws: StateFormatError.self) { try Correlator.State(encoded: wrongCount) }
        // A later version of the form: refused as such, so that the store can say to update.
        var newer = bytes
        newer[Correlator.State.tag.count] += 1
        #expect(Correlator.State.isEncoded(newer))
        let error = try #require(throws: StateFormatError.self) { try Correlator.State(encoded: newer) }
        #expect(error.isNewer)
        // A string that is not UTF-8 (the byte before an address's `@` spoilt).
        let at = try #require(bytes.firstIndex(of: UInt8(ascii: "@")))
        var spoilt = bytes
        spoilt[at - 1] = 0xFF
        let textError = try #require(throws: StateFormatError.self) { try Correlator.State(encoded: spoilt) }
        #expect(!textError.isNewer && textError.description.contains("UTF-8"))
    }

    @Test("a state saved before From names were read decodes")
    func oldStateDecodes() throws {
        var scenario = Scenario()
        scenario.feed(Self.inbound + "\n" + Self.reinjected)
        let saved = try JSONEncoder().encode(scenario.correlator.state)
        var object = try #require(try JSONSerialization.jsonObject(with: saved) as? [String: Any])
        // Drop the new keys from every open message, as an older version wrote it.
        let open = try #require(object["open"] as? [Any])
        object["open"] = open.map { item -> Any in
            guard var message = item as? [String: Any] else { return item }
            for key in ["isExternal", "hasName", "pendingName"] { message.removeValue(forKey: key) }
            return message
        }
        let old = try JSONSerialization.data(withJSONObject: object)
        let decoded = try JSONDecoder().decode(Correlator.State.self, from: old)
        #expect(decoded.openMessages == 1)
        let statistics = try JSONDecoder().decode(IngestStatistics.self, from: Data(#"{"messages": 3}"#.utf8))
        #expect(statistics.messages == 3)
        #expect(statistics.displayNames == 0)
    }

    /// Lines of one message from annv to `count` recipients, each through the alias `all@`,
    /// delivered into its mailbox; `first` numbers the first recipient.
    static func manyRecipients(_ count: Int, from first: Int = 0, second: Int = 2) -> String {
        (first..<(first + count)).map { index in
            "Nov 25 11:00:0\(second) mail postfix/lmtp[13]: DDDD44444: to=<u\(index)@namdinh.gov.vn>, "
                + "orig_to=<all@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, "
                + "delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)"
        }.joined(separator: "\n")
    }

    @Test("a message to 30,000 recipients counts each once, also across a saved state and repeated lines")
    func thirtyThousandRecipients() throws {
        let count = 30_000
        var first = Scenario()
        first.feed(
            """
            Nov 25 11:00:00 mail postfix/submission/smtpd[10]: DDDD44444: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn
            Nov 25 11:00:01 mail postfix/qmgr[12]: DDDD44444: from=<annv@namdinh.gov.vn>, size=900, nrcpt=30000 (queue active)
            """)
        first.feed(Self.manyRecipients(count / 2))
        // The state is saved with a checkpoint and read back, as a second run would.
        var second = Scenario(state: try Correlator.State(encoded: first.correlator.state.encoded()))
        #expect(second.correlator.state == first.correlator.state)
        second.statistics = first.statistics
        second.recorded = first.recorded
        // The rest, then every recipient logged a second time (a repeated line), then the end.
        second.feed(Self.manyRecipients(count - count / 2, from: count / 2))
        second.feed(Self.manyRecipients(count, second: 3))
        second.feed("Nov 25 11:00:04 mail postfix/qmgr[12]: DDDD44444: removed")
        let recipients = Set((0..<count).map { "u\($0)@namdinh.gov.vn" })
        #expect(second.statistics.messages == 1)
        #expect(second.statistics.delivered == count)
        #expect(second.recorded.receipts.count == count)
        #expect(Set(second.recorded.receipts) == recipients)
        #expect(second.recorded.exchanges.count == count)
        #expect(Set(second.recorded.exchanges) == Set(recipients.map { "annv@namdinh.gov.vn>\($0)" }))
        #expect(second.recorded.forwards.count == count)
        #expect(second.correlator.state.openMessages == 0)
    }

    @Test("recipients are saved as plain arrays, and arrays saved by older versions decode, small and large")
    func recipientArraysDecode() throws {
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 11:00:00 mail postfix/submission/smtpd[10]: DDDD44444: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn
            Nov 25 11:00:01 mail postfix/qmgr[12]: DDDD44444: from=<annv@namdinh.gov.vn>, size=900, nrcpt=3 (queue active)
            """)
        scenario.feed(Self.manyRecipients(1))
        let saved = try JSONEncoder().encode(scenario.correlator.state)
        var object = try #require(try JSONSerialization.jsonObject(with: saved) as? [String: Any])
        let open = try #require(object["open"] as? [Any])
        // The table is saved as [id, message, …]: the message is the object with `lastSeen`.
        let message = try #require(open.compactMap { $0 as? [String: Any] }.first { $0["lastSeen"] != nil })
        #expect(message["delivered"] as? [String] == ["u0@namdinh.gov.vn"])
        #expect(message["exchanged"] as? [String] == ["u0@namdinh.gov.vn"])
        #expect(message["forwarded"] as? [String] == ["u0@namdinh.gov.vn"])
        // As an older version wrote it: 100 recipients delivered, in arrays, without `isDelivered`.
        let hundred = (0..<100).map { "u\($0)@namdinh.gov.vn" }
        object["open"] = open.map { item -> Any in
            guard var message = item as? [String: Any], message["lastSeen"] != nil else { return item }
            message["delivered"] = hundred
            message["exchanged"] = hundred
            message["forwarded"] = hundred
            message.removeValue(forKey: "isDelivered")
            return message
        }
        let old = try JSONSerialization.data(withJSONObject: object)
        var resumed = Scenario(state: try JSONDecoder().decode(Correlator.State.self, from: old))
        resumed.feed(Self.manyRecipients(101))
        #expect(resumed.statistics.delivered == 1)
        #expect(resumed.recorded.receipts == ["u100@namdinh.gov.vn"])
        #expect(resumed.recorded.exchanges == ["annv@namdinh.gov.vn>u100@namdinh.gov.vn"])
        #expect(resumed.recorded.forwards == ["all@namdinh.gov.vn>u100@namdinh.gov.vn"])
    }

    /// One submission by annv under queue id `id` to binhtt, with no `removed` line.
    static func submissionWithoutRemoved(_ id: String, minute: Int, pickup: Bool = false) -> String {
        let stamp = "Nov 25 12:\(minute < 10 ? "0" : "")\(minute)"
        let client =
            pickup
            ? "\(stamp):00 mail postfix/pickup[9]: \(id): uid=1000 from=<annv>"
            : "\(stamp):00 mail postfix/submission/smtpd[10]: \(id): client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn"
        return """
            \(client)
            \(stamp):01 mail postfix/qmgr[12]: \(id): from=<annv@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)
            \(stamp):02 mail postfix/lmtp[13]: \(id): to=<binhtt@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
            """
    }

    @Test(
        "a queue id reused without its removed line: each new client after a delivery is a new message",
        arguments: [false, true])
    func reusedQueueID(pickup: Bool) {
        var scenario = Scenario()
        for minute in [1, 5, 9] {
            scenario.feed(Self.submissionWithoutRemoved("EEEE55555", minute: minute, pickup: pickup))
        }
        #expect(scenario.statistics.messages == 3)
        #expect(scenario.statistics.submissions == (pickup ? 0 : 3))
        #expect(scenario.recorded.submissions.count == (pickup ? 0 : 3))
        #expect(scenario.statistics.delivered == 3)
        #expect(scenario.recorded.receipts == Array(repeating: "binhtt@namdinh.gov.vn", count: 3))
        #expect(scenario.recorded.exchanges == Array(repeating: "annv@namdinh.gov.vn>binhtt@namdinh.gov.vn", count: 3))
        #expect(scenario.correlator.state.openMessages == 1)
    }

    @Test("a client line for a message not yet delivered (repeated, or after a deferral) does not split it")
    func clientForOpenMessage() {
        var scenario = Scenario()
        scenario.feed(
            """
            Nov 25 13:00:00 mail postfix/submission/smtpd[10]: FFFF66666: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn
            Nov 25 13:00:01 mail postfix/qmgr[12]: FFFF66666: from=<annv@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)
            Nov 25 13:00:01 mail postfix/submission/smtpd[10]: FFFF66666: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn
            Nov 25 13:00:02 mail postfix/smtp[14]: FFFF66666: to=<x@yahoo.com>, relay=mx[1.2.3.4]:25, delay=1, delays=0/0/0/1, dsn=4.7.0, status=deferred (421 try later)
            Nov 25 13:00:03 mail postfix/submission/smtpd[10]: FFFF66666: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn
            Nov 25 13:10:01 mail postfix/smtp[14]: FFFF66666: to=<x@yahoo.com>, relay=mx[1.2.3.4]:25, delay=601, delays=600/0/0/1, dsn=2.0.0, status=sent (250 ok)
            Nov 25 13:10:01 mail postfix/qmgr[12]: FFFF66666: removed
            """)
        #expect(scenario.statistics.messages == 1)
        #expect(scenario.statistics.submissions == 1)
        #expect(scenario.statistics.relayed == 1)
        #expect(scenario.recorded.exchanges == ["annv@namdinh.gov.vn>x@yahoo.com"])
    }

    @Test(
        "both queue ids of a content filter's hop reused without removed lines: three messages, each once",
        arguments: [true, false])
    func reusedThroughContentFilter(hopFirst: Bool) {
        var scenario = Scenario()
        for minute in [1, 5, 9] {
            let stamp = "Nov 25 14:0\(minute)"
            let original = """
                \(stamp):00 mail postfix/submission/smtpd[10]: AAAA77777: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=annv@namdinh.gov.vn
                \(stamp):00 mail postfix/qmgr[12]: AAAA77777: from=<annv@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)
                """
            let hop =
                "\(stamp):01 mail postfix/smtp[21]: AAAA77777: to=<binhtt@namdinh.gov.vn>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as BBBB77777)"
            // The copy's client line comes before the hop (the filter re-injects it before it answers).
            let copyClient = "\(stamp):01 mail postfix/smtpd[22]: BBBB77777: client=localhost[127.0.0.1]"
            let copy = """
                \(stamp):01 mail postfix/qmgr[12]: BBBB77777: from=<annv@namdinh.gov.vn>, size=1200, nrcpt=1 (queue active)
                \(stamp):02 mail postfix/lmtp[13]: BBBB77777: to=<binhtt@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)
                """
            scenario.feed(([original, copyClient] + (hopFirst ? [hop, copy] : [copy, hop])).joined(separator: "\n"))
        }
        #expect(scenario.statistics.messages == 3)
        #expect(scenario.statistics.submissions == 3)
        #expect(scenario.statistics.delivered == 3)
        #expect(scenario.statistics.relayed == 0)
        #expect(scenario.recorded.exchanges == Array(repeating: "annv@namdinh.gov.vn>binhtt@namdinh.gov.vn", count: 3))
    }

    @Test(
        "odd login names are read whole and lower-cased, from smtpd's SASL name and from Dovecot",
        arguments: [
            "x,y@namdinh.gov.vn", "\"quoted name\"@namdinh.gov.vn", "a>b@namdinh.gov.vn", "X, Y@NamDinh.gov.vn",
        ])
    func oddLoginNames(_ name: String) {
        var scenario = Scenario(loginDomain: "namdinh.gov.vn")
        scenario.feed(
            """
            Nov 25 15:00:00 mail postfix/submission/smtpd[10]: ABCD12345: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=\(name)
            Nov 25 15:00:00 mail postfix/qmgr[12]: ABCD12345: from=<annv@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)
            Nov 25 15:00:01 mail postfix/submission/smtpd[10]: ABCD12346: client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=\(name), sasl_sender=annv@namdinh.gov.vn
            Nov 25 15:00:01 mail postfix/qmgr[12]: ABCD12346: from=<annv@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)
            Nov 25 15:00:02 mail dovecot: imap-login: Login: user=<\(name)>, method=PLAIN, rip=10.0.0.5, lip=10.0.0.1
            Nov 25 15:00:03 mail dovecot: pop3-login: Disconnected (auth failed, 2 attempts in 4 secs): user=<\(name)>, method=PLAIN
            """)
        let whole = name.lowercased()
        #expect(scenario.recorded.submissions == [whole, whole])
        #expect(scenario.recorded.logins == ["imap:\(whole)"])
        #expect(scenario.recorded.failures == ["\(whole)x2"])
    }
}

@Suite("The tables the correlation works with")
struct CorrelationTableTests {
    @Test("equal strings get equal ids, addresses lowered, from several threads at once")
    func stringTable() {
        let table = StringTable()
        let addresses = (0..<2000).map { "User\($0).Name@Example\($0 % 7).GOV.vn" }
        let results = ResultsBox(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { thread in
            // Each thread interns every address, in its own order, half of them as logged in lower case.
            let order = thread % 2 == 0 ? Array(addresses.indices) : addresses.indices.reversed()
            var ids = [StringID](repeating: 0, count: addresses.count)
            for index in order {
                let text = thread < 2 ? addresses[index] : addresses[index].lowercased()
                ids[index] = text.withByteView { table.intern($0, foldCase: true) }
            }
            results.set(thread, ids)
        }
        let first = results.values[0]
        for ids in results.values { #expect(ids == first) }
        #expect(Set(first).count == addresses.count)
        #expect(!first.contains(0))
        for (index, id) in first.enumerated() { #expect(table[id] == addresses[index].lowercased()) }
        // Kept as given when not folded: a name differs from its lower-case form.
        let name = table.intern("Le Cong Quan")
        #expect(name != table.intern("le cong quan"))
        #expect(table[name] == "Le Cong Quan")
        #expect(table.intern("") == 0 && table[0].isEmpty)
    }

    @Test("a parsing thread's own memory of addresses gives the shared table's ids, through its growth")
    func localInterns() {
        let table = StringTable()
        let contexts = (0..<2).map { _ in FactContext(strings: table, loginDomain: "NamDinh.gov.vn") }
        // More than its first size holds, each address met in several cases, by both contexts.
        let addresses = (0..<3000).map { "Staff\($0)@NamDinh.GOV.vn" }
        for round in 0..<3 {
            for (index, address) in addresses.enumerated() {
                let logged = round == 1 ? address.uppercased() : round == 2 ? address.lowercased() : address
                let expected = table.intern(address.lowercased())
                for context in contexts {
                    #expect(logged.withByteView { context.address($0) } == expected, "\(logged)")
                }
                // A bare login name takes the login domain, lower case, and is the same address.
                let bare = "Staff\(index)"
                #expect(bare.withByteView { contexts[round % 2].login($0) } == expected, "\(bare)")
            }
        }
        // A longer or shorter address with the same beginning is another one.
        let one = "a@b.vn".withByteView { contexts[0].address($0) }
        #expect(one != "a@b.vnx".withByteView { contexts[0].address($0) })
        #expect(one != "a@b.v".withByteView { contexts[0].address($0) })
        #expect("".withByteView { contexts[0].address($0) } == 0)
    }

    /// Per-thread results, each slot written by one thread, read after all are done;
    /// `@unchecked Sendable`: `slots` is read and written only under `lock`.
    final class ResultsBox: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [[StringID]]

        init(count: Int) { slots = Array(repeating: [], count: count) }

        func set(_ index: Int, _ value: [StringID]) { lock.withLock { slots[index] = value } }

        var values: [[StringID]] { lock.withLock { slots } }
    }

    @Test("the queue-id table agrees with a dictionary through inserts, updates, removals and growth")
    func queueTable() {
        var table = QueueTable<Int>()
        var reference: [QueueID: Int] = [:]
        // A fixed pseudo-random sequence over few ids, so that runs collide, wrap and are removed.
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        let ids = (0..<3000).map { (index: Int) -> QueueID in
            let high: UInt64 = index % 3 == 0 ? 1 : 0
            return QueueID(high: high, low: UInt64(index / 3 + 1), host: UInt32(index % 2))
        }
        for step in 0..<60_000 {
            let id = ids[Int(next() % UInt64(step < 30_000 ? ids.count : 300))]
            switch next() % 4 {
            case 0:
                #expect(table.removeValue(forKey: id) == reference.removeValue(forKey: id))
            case 1:
                if var value = table.take(id) {
                    value += 1
                    table[id] = value
                    reference[id]! += 1
                } else {
                    #expect(reference[id] == nil)
                }
            default:
                table[id] = step
                reference[id] = step
            }
            #expect(table.count == reference.count)
        }
        for id in ids { #expect(table[id] == reference[id]) }
        #expect(Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0.value) }) == reference)
        table.filter { $0 % 2 == 0 }
        #expect(
            Dictionary(uniqueKeysWithValues: table.map { ($0.key, $0.value) }) == reference.filter { $0.value % 2 == 0 }
        )
    }
}
