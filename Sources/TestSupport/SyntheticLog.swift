/// Small deterministic Postfix + Dovecot logs for ingest tests.
public enum SyntheticLog {
    public static let users = ["annv", "binhtt", "cuongpq", "dunglt", "hoanx"]

    /// `count` messages from minute `start` on, of four kinds in turn: an authenticated
    /// submission to a colleague and to Gmail; inbound from Yahoo through a content filter; a
    /// deferral then delivery; and IMAP logins with a failure. Lines of neighbouring messages
    /// interleave.
    public static func make(messages count: Int, start: Int = 0) -> String {
        var lines: [String] = []
        for index in start..<(start + count) {
            let user = users[index % users.count]
            let colleague = users[(index + 1) % users.count]
            let id = "A\(String(index, radix: 16, uppercase: true).leftPadded(to: 8))"
            let child = "B\(String(index, radix: 16, uppercase: true).leftPadded(to: 8))"
            let stamp = time(minute: index)
            switch index % 4 {
            case 0:
                lines += [
                    "\(stamp) mail postfix/submission/smtpd[10]: \(id): client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=\(user)@namdinh.gov.vn",
                    "\(stamp) mail postfix/cleanup[11]: \(id): message-id=<\(index)@namdinh.gov.vn>",
                    "\(stamp) mail postfix/qmgr[12]: \(id): from=<\(user)@namdinh.gov.vn>, size=900, nrcpt=2 (queue active)",
                    "\(stamp) mail postfix/lmtp[13]: \(id): to=<\(colleague)@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)",
                    "\(stamp) mail opendkim[99]: \(id): DKIM-Signature field added",
                    "\(stamp) mail postfix/smtp[14]: \(id): to=<friend\(index % 3)@gmail.com>, relay=gmail[142.250.1.27]:25, delay=1, delays=0/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 OK)",
                    "\(stamp) mail postfix/qmgr[12]: \(id): removed",
                ]
            case 1:
                lines += [
                    "\(stamp) mail postfix/smtpd[20]: \(id): client=mx.yahoo.com[98.136.1.1]",
                    "\(stamp) mail postfix/qmgr[12]: \(id): from=<boss\(index % 2)@yahoo.com>, size=500, nrcpt=1 (queue active)",
                    "\(stamp) mail postfix/smtpd[22]: \(child): client=localhost[127.0.0.1]",
                    "\(stamp) mail postfix/qmgr[12]: \(child): from=<boss\(index % 2)@yahoo.com>, size=800, nrcpt=1 (queue active)",
                    "\(stamp) mail postfix/smtp[21]: \(id): to=<\(user)@namdinh.gov.vn>, relay=127.0.0.1[127.0.0.1]:10024, delay=1, delays=0/0/0/1, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as \(child))",
                    "\(stamp) mail postfix/qmgr[12]: \(id): removed",
                    "\(stamp) mail postfix/lmtp[13]: \(child): to=<\(user)@namdinh.gov.vn>, relay=mail[private/dovecot-lmtp], delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Saved)",
                    "\(stamp) mail postfix/qmgr[12]: \(child): removed",
                ]
            case 2:
                lines += [
                    "\(stamp) mail postfix/submission/smtpd[10]: \(id): client=pc[10.0.0.5], sasl_method=PLAIN, sasl_username=\(user)",
                    "\(stamp) mail postfix/qmgr[12]: \(id): from=<\(user)@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)",
                    "\(stamp) mail postfix/smtp[14]: \(id): to=<partner@example.org>, relay=mx[1.2.3.4]:25, delay=1, delays=0/0/0/1, dsn=4.7.0, status=deferred (host mx[1.2.3.4] said: 421 try later)",
                ]
            // Delivered with the next message, so that the message can span chunks and runs.
            default:
                lines += [
                    "\(stamp) mail dovecot: imap-login: Login: user=<\(user)@namdinh.gov.vn>, method=PLAIN, rip=10.0.0.5",
                    "\(stamp) mail dovecot: pop3-login: Disconnected (auth failed, 2 attempts in 4 secs): user=<\(colleague)@namdinh.gov.vn>, method=PLAIN",
                ]
                if index - 1 >= start {
                    // The deferred message before this one goes out now.
                    let earlier = "A\(String(index - 1, radix: 16, uppercase: true).leftPadded(to: 8))"
                    lines += [
                        "\(stamp) mail postfix/qmgr[12]: \(earlier): from=<\(users[(index - 1) % users.count])@namdinh.gov.vn>, size=900, nrcpt=1 (queue active)",
                        "\(stamp) mail postfix/smtp[14]: \(earlier): to=<partner@example.org>, relay=mx[1.2.3.4]:25, delay=61, delays=60/0/0/1, dsn=2.0.0, status=sent (250 ok)",
                        "\(stamp) mail postfix/qmgr[12]: \(earlier): removed",
                    ]
                }
                lines.append("\(stamp) mail CRON[1]: (root) CMD (true)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func time(minute: Int) -> String {
        let day = 20 + minute / 1440
        let hour = minute / 60 % 24
        let min = minute % 60
        return "Nov \(day) \(hour.leftPadded(to: 2)):\(min.leftPadded(to: 2)):00"
    }
}

extension BinaryInteger {
    public func leftPadded(to width: Int) -> String { String(self).leftPadded(to: width) }
}

extension String {
    public func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
