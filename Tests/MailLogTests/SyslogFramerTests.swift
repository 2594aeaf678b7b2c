import Basics
import MailLog
import TestSupport
import Testing

@Suite("Syslog framing")
struct SyslogFramerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let line: String
        let time: LineTime
        let host: String
        let program: String
        let pid: String?
        let body: String
        var testDescription: String { String(line.prefix(40)) }
    }

    static let cases: [Case] = [
        Case(
            line: "Nov 25 08:09:01 mail postfix/smtpd[123]: connect from x[1.2.3.4]",
            time: .yearless(month: 11, day: 25, secondOfDay: 8 * 3600 + 9 * 60 + 1), host: "mail",
            program: "postfix/smtpd", pid: "123", body: "connect from x[1.2.3.4]"),
        Case(
            line: "Nov  5 23:59:59 mail postfix/submission/smtpd[9]: ABC123: client=a[1.1.1.1]",
            time: .yearless(month: 11, day: 5, secondOfDay: 86_399), host: "mail",
            program: "postfix/submission/smtpd", pid: "9", body: "ABC123: client=a[1.1.1.1]"),
        // A one-digit day after a single space.
        Case(
            line: "Mar 7 02:09:33 host postfix/qmgr[77]: ABC123: removed",
            time: .yearless(month: 3, day: 7, secondOfDay: 2 * 3600 + 9 * 60 + 33), host: "host",
            program: "postfix/qmgr", pid: "77", body: "ABC123: removed"),
        Case(
            line: "<22>Mar 7 02:09:33.25 host postfix/smtpd[5]: connect from x[1.2.3.4]",
            time: .yearless(month: 3, day: 7, secondOfDay: 2 * 3600 + 9 * 60 + 33), host: "host",
            program: "postfix/smtpd", pid: "5", body: "connect from x[1.2.3.4]"),
        Case(
            line: "Mar 07 02:09:33 host postfix/qmgr[77]: ABC123: removed",
            time: .yearless(month: 3, day: 7, secondOfDay: 2 * 3600 + 9 * 60 + 33), host: "host",
            program: "postfix/qmgr", pid: "77", body: "ABC123: removed"),
        // Postfix's own maillog_file, with microseconds.
        Case(
            line: "Mar  3 13:49:38.123456 mail postfix/qmgr[77]: ABC123: removed",
            time: .yearless(month: 3, day: 3, secondOfDay: 13 * 3600 + 49 * 60 + 38), host: "mail",
            program: "postfix/qmgr", pid: "77", body: "ABC123: removed"),
        // rsyslog high precision.
        Case(
            line: "2026-11-25T08:09:01.123456+07:00 mail dovecot: imap-login: Login: user=<a@b.vn>",
            time: .utc(Int64(CivilTime.days(year: 2026, month: 11, day: 25)) * 86_400 + 3600 + 9 * 60 + 1),
            host: "mail", program: "dovecot", pid: nil, body: "imap-login: Login: user=<a@b.vn>"),
        // journalctl -o short-iso: offset without a colon.
        Case(
            line: "2026-11-25T08:09:01+0700 mail postfix/qmgr[5]: ABC123: removed",
            time: .utc(Int64(CivilTime.days(year: 2026, month: 11, day: 25)) * 86_400 + 3600 + 9 * 60 + 1),
            host: "mail", program: "postfix/qmgr", pid: "5", body: "ABC123: removed"),
        Case(
            line: "2026-11-25T01:09:01Z mail postfix/qmgr[5]: ABC123: removed",
            time: .utc(Int64(CivilTime.days(year: 2026, month: 11, day: 25)) * 86_400 + 3600 + 9 * 60 + 1),
            host: "mail", program: "postfix/qmgr", pid: "5", body: "ABC123: removed"),
        // RFC 5424 as rsyslog's RSYSLOG_SyslogProtocol23Format writes it.
        Case(
            line: "<22>1 2026-11-25T08:09:01.5+07:00 mail postfix/smtp 4242 - - ABC123: to=<x@y.vn>, status=sent (ok)",
            time: .utc(Int64(CivilTime.days(year: 2026, month: 11, day: 25)) * 86_400 + 3600 + 9 * 60 + 1),
            host: "mail", program: "postfix/smtp", pid: "4242", body: "ABC123: to=<x@y.vn>, status=sent (ok)"),
        Case(
            line: "<30>1 2026-11-25T08:09:01+07:00 mail dovecot - - [meta x=\"1\\]\"] pop3-login: Login: user=<a>",
            time: .utc(Int64(CivilTime.days(year: 2026, month: 11, day: 25)) * 86_400 + 3600 + 9 * 60 + 1),
            host: "mail", program: "dovecot", pid: nil, body: "pop3-login: Login: user=<a>"),
        // rsyslog's RFC 5424 output by default: the program cut at its first `/`, and a space of
        // its own before the message.
        Case(
            line: "<22>1 2026-11-25T05:09:31.941324+00:00 mail postfix 22850 - -  E5CB5FC260: removed",
            time: .utc(Int64(CivilTime.days(year: 2026, month: 11, day: 25)) * 86_400 + 5 * 3600 + 9 * 60 + 31),
            host: "mail", program: "postfix", pid: "22850", body: "E5CB5FC260: removed"),
        // RFC 3164 with a priority.
        Case(
            line: "<22>Nov 25 08:09:01 mail postfix/pickup[1]: ABC123: uid=0 from=<root>",
            time: .yearless(month: 11, day: 25, secondOfDay: 8 * 3600 + 9 * 60 + 1), host: "mail",
            program: "postfix/pickup", pid: "1", body: "ABC123: uid=0 from=<root>"),
        // Dovecot's own log file: no host.
        Case(
            line: "Nov 25 08:09:01 imap-login: Info: Login: user=<a@b.vn>, method=PLAIN",
            time: .yearless(month: 11, day: 25, secondOfDay: 8 * 3600 + 9 * 60 + 1), host: "",
            program: "imap-login", pid: nil, body: "Info: Login: user=<a@b.vn>, method=PLAIN"),
        // ISO stamp without zone: the server's local time.
        Case(
            line: "2026-11-25 08:09:01 mail postfix/qmgr[5]: ABC123: removed",
            time: .local(Int64(CivilTime.days(year: 2026, month: 11, day: 25)) * 86_400 + 8 * 3600 + 9 * 60 + 1),
            host: "mail", program: "postfix/qmgr", pid: "5", body: "ABC123: removed"),
    ]

    @Test("frames every supported format", arguments: cases)
    func frames(_ sample: Case) throws {
        try sample.line.withByteView { line in
            let frame = try #require(SyslogFramer.frame(line))
            #expect(frame.time == sample.time)
            #expect(line[frame.host].string == sample.host)
            #expect(line[frame.program].string == sample.program)
            #expect(frame.pid.map { line[$0].string } == sample.pid)
            #expect(line[frame.body].string == sample.body)
        }
    }

    @Test(
        "rejects what is not a log line",
        arguments: [
            "", "garbage", "Foo 25 08:09:01 mail prog: x", "Nov 32 08:09:01 mail prog: x",
            "Nov 25 25:09:01 mail prog: x", "2026-02-30T08:09:01Z mail prog: x", "Nov 25 08:09:01 mail no colon here",
            "\u{FF}\u{FE}\u{00} binary", "last message repeated 3 times", "Mar 0 02:09:33 host prog: x",
            "Mar 7 2:09:33 host prog: x", "Mar 7  02:09:33 host prog: x",
        ])
    func rejects(_ text: String) {
        text.withByteView { line in
            #expect(SyslogFramer.frame(line) == nil)
        }
    }

    @Test("a classic log crossing New Year moves on to the next year")
    func newYear() {
        // The file was last written on 2 January 2027.
        let anchor = Int64(CivilTime.days(year: 2027, month: 1, day: 2)) * 86_400
        var resolver = YearResolver(utcOffset: 0, anchorUTC: anchor)
        let december = resolver.resolve(.yearless(month: 12, day: 31, secondOfDay: 86_390))
        let january = resolver.resolve(.yearless(month: 1, day: 1, secondOfDay: 5))
        // A line a few seconds out of order across midnight stays in the old year.
        let late = resolver.resolve(.yearless(month: 12, day: 31, secondOfDay: 86_399))
        let later = resolver.resolve(.yearless(month: 1, day: 1, secondOfDay: 60))
        #expect(CivilTime.date(days: Int(december / 86_400)).year == 2026)
        #expect(CivilTime.date(days: Int(january / 86_400)).year == 2027)
        #expect(CivilTime.date(days: Int(late / 86_400)).year == 2026)
        #expect(CivilTime.date(days: Int(later / 86_400)).year == 2027)
    }

    @Test("a first stamp after the file's modification time belongs to the year before")
    func firstStampBeforeAnchor() {
        let anchor = Int64(CivilTime.days(year: 2027, month: 1, day: 3)) * 86_400
        var resolver = YearResolver(utcOffset: 7 * 3600, anchorUTC: anchor)
        let time = resolver.resolve(.yearless(month: 11, day: 25, secondOfDay: 0))
        #expect(time == Int64(CivilTime.days(year: 2026, month: 11, day: 25)) * 86_400 - 7 * 3600)
    }

    @Test("one full-date stamp years off among classic ones does not move the year; two in a row do")
    func fullDateJump() {
        let anchor = Int64(CivilTime.days(year: 2026, month: 11, day: 27)) * 86_400
        var resolver = YearResolver(utcOffset: 7 * 3600, anchorUTC: anchor)
        let year = { (time: Int64) in CivilTime.date(days: Int((time + 7 * 3600) / 86_400)).year }
        let first = resolver.resolve(.yearless(month: 11, day: 25, secondOfDay: 3600))
        #expect(year(first) == 2026)
        let wrong = Int64(CivilTime.days(year: 2003, month: 1, day: 1)) * 86_400 + 5 - 7 * 3600
        // The wrong stamp is counted at the time of the line before it, and moves nothing after it;
        // a stamp in a far future neither.
        #expect(resolver.resolve(.utc(wrong)) == first)
        #expect(year(resolver.resolve(.yearless(month: 11, day: 26, secondOfDay: 0))) == 2026)
        let future = Int64(CivilTime.days(year: 2099, month: 11, day: 26)) * 86_400
        #expect(year(resolver.resolve(.local(future))) == 2026)
        #expect(year(resolver.resolve(.yearless(month: 11, day: 26, secondOfDay: 0))) == 2026)
        #expect(year(resolver.lastLocal!) == 2026)
        // A full date near the last stamp settles it as before.
        let near = Int64(CivilTime.days(year: 2026, month: 12, day: 31)) * 86_400
        _ = resolver.resolve(.local(near))
        #expect(year(resolver.resolve(.yearless(month: 1, day: 2, secondOfDay: 0))) == 2027)
        // Two full dates in a row that agree: the log really moved on.
        let moved = Int64(CivilTime.days(year: 2028, month: 6, day: 1)) * 86_400
        _ = resolver.resolve(.local(moved))
        _ = resolver.resolve(.local(moved + 60))
        #expect(year(resolver.resolve(.yearless(month: 6, day: 2, secondOfDay: 0))) == 2028)
    }

    @Test("civil dates round-trip and format with their offset")
    func civil() {
        for days in stride(from: -800_000, through: 800_000, by: 997) {
            let (year, month, day) = CivilTime.date(days: days)
            #expect(CivilTime.days(year: year, month: month, day: day) == days)
        }
        let time = Int64(CivilTime.days(year: 2026, month: 11, day: 25)) * 86_400 + 3600
        #expect(CivilTime.iso8601(time, offsetSeconds: 7 * 3600) == "2026-11-25T08:00:00+07:00")
        #expect(CivilTime.iso8601(time, offsetSeconds: -5 * 3600 - 1800) == "2026-11-24T19:30:00-05:30")
    }
}
