#!/usr/bin/env python3
"""Generate large, realistic Postfix + Dovecot logs for benchmarks, deterministically.

Usage:
    python3 Scripts/generate-logs.py --size 1G --out .bench-data/mail-1G.log
    python3 Scripts/generate-logs.py --size 100M --users 20000 --seed 7 --start 2026-11-01 --out x.log

The same arguments always give the same bytes. The log is classic syslog, lines in time
order, many sessions interleaved: authenticated submissions, inbound mail through postscreen,
every message through an amavis-style content filter (re-injected on 127.0.0.1:10025 under a
new queue id), deliveries by LMTP to Dovecot and by SMTP to remote hosts, deferrals retried
later, bounces with their notifications, alias expansion, NOQUEUE rejects, Dovecot logins and
failed logins, and a few percent of lines from other programs (opendkim, amavis, policyd-spf,
CRON, kernel). About 20% of the official users are active in a given week; each user writes to
a small, stable set of correspondents.
"""

import argparse
import datetime
import heapq
import random
import sys

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
GIVEN = ["an", "binh", "cuong", "dung", "giang", "ha", "hoa", "hung", "huong", "khanh", "lan", "linh",
         "long", "mai", "minh", "nam", "nga", "ngoc", "phong", "phuong", "quang", "son", "tam", "thanh",
         "thao", "thu", "trang", "tuan", "van", "viet", "yen", "hai", "hien", "hoang", "kien", "loan"]
FAMILY = ["nguyen", "tran", "le", "pham", "hoang", "phan", "vu", "vo", "dang", "bui", "do", "ho", "ngo",
          "duong", "ly"]
MIDDLE = ["van", "thi", "duc", "minh", "ngoc", "thanh", "quoc", "huu", "xuan", "kim"]
WEBMAIL = ["gmail.com"] * 6 + ["yahoo.com"] * 2 + ["yahoo.com.vn", "hotmail.com", "outlook.com"]
OTHER = ["vnpt.vn", "viettel.com.vn", "example.org", "company.com.vn", "edu.vn", "bank.com.vn"]
MX = {"gmail.com": ("gmail-smtp-in.l.google.com", "142.250.4.27"),
      "yahoo.com": ("mta7.am0.yahoodns.net", "67.195.204.72"),
      "yahoo.com.vn": ("mta5.am0.yahoodns.net", "98.136.96.74"),
      "hotmail.com": ("hotmail-com.olc.protection.outlook.com", "52.101.68.0"),
      "outlook.com": ("outlook-com.olc.protection.outlook.com", "52.101.41.1")}
DOMAIN = "namdinh.gov.vn"


def draw_user(rng, seen):
    """One user's (family, middle, given, mailbox name); `seen` counts the names drawn so far,
    so that a name drawn again gets a number. Scripts/bench-reads.sh makes its roster with it."""
    family, middle, given = rng.choice(FAMILY), rng.choice(MIDDLE), rng.choice(GIVEN)
    shape = rng.random()
    if shape < 0.6:
        local = given + family[0] + middle[0]
    elif shape < 0.85:
        local = family + middle + given
    else:
        local = given + "." + family
    seen[local] = seen.get(local, 0) + 1
    if seen[local] > 1:
        local += str(seen[local])
    return family, middle, given, local


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if text[-1].upper() in units:
        return int(float(text[:-1]) * units[text[-1].upper()])
    return int(text)


class Generator:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.users = self.make_users(args.users)
        self.start = datetime.datetime.fromisoformat(args.start)
        self.now = 0.0  # seconds since start
        self.queue_counter = 0
        self.pid = 1000
        self.pending = []  # (time, sequence, [lines]) for deferred retries and late events
        self.sequence = 0
        self.stamp_cache = (None, "")
        self.stats = {"messages": 0, "logins": 0, "failed": 0, "deferrals": 0, "bounces": 0}

    def make_users(self, count):
        seen = {}
        return [draw_user(self.rng, seen)[3] + "@" + DOMAIN for _ in range(count)]

    # Time and identifiers.
    def stamp(self, offset=0.0):
        second = int(self.now + offset)
        if self.stamp_cache[0] != second:
            moment = self.start + datetime.timedelta(seconds=second)
            text = "%s %2d %02d:%02d:%02d" % (MONTHS[moment.month - 1], moment.day, moment.hour, moment.minute,
                                               moment.second)
            self.stamp_cache = (second, text)
        return self.stamp_cache[1]

    def queue_id(self):
        self.queue_counter += 1
        value = (self.queue_counter * 2654435761) & 0xFFFFFFFFFF
        return "%010X" % value

    def next_pid(self):
        self.pid = 1000 + (self.pid * 7 + 13) % 60000
        return self.pid

    def contacts(self, user_index):
        # A stable handful of correspondents per user.
        rng = random.Random(user_index * 7919)
        official = [self.users[rng.randrange(len(self.users))] for _ in range(4)]
        personal = ["%s%d@%s" % (rng.choice(GIVEN), rng.randrange(1, 99), rng.choice(WEBMAIL)) for _ in range(3)]
        partners = ["contact%d@%s" % (rng.randrange(500), rng.choice(OTHER)) for _ in range(2)]
        return official, personal, partners

    def active_user(self):
        # About 20% of users are active in a given week: the week picks which.
        week = int(self.now // (7 * 86400))
        slot = self.rng.randrange(len(self.users) // 5)
        return (slot * 5 + week % 5) % len(self.users)

    # Flows. Each returns a list of (offset seconds, line text without stamp).
    def filter_and_deliver(self, parent, sender, recipients, host):
        """Parent hands the message to amavis; the copy comes back as child and is delivered."""
        child = self.queue_id()
        lines, relay_pid, cleanup_pid = [], self.next_pid(), self.next_pid()
        lines.append((0.4, "mail postfix/smtpd[%d]: connect from localhost[127.0.0.1]" % relay_pid))
        lines.append((0.4, "mail postfix/smtpd[%d]: %s: client=localhost[127.0.0.1]" % (relay_pid, child)))
        lines.append((0.4, "mail postfix/cleanup[%d]: %s: message-id=<%s@%s>" % (cleanup_pid, child, parent.lower(), host)))
        lines.append((0.4, "mail postfix/qmgr[812]: %s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (
            child, sender, self.rng.randrange(2000, 90000), len(recipients))))
        lines.append((0.5, "mail amavis[%d]: (%05d-%02d) Passed CLEAN {RelayedInbound}, [%s] <%s> -> %s, Queue-ID: %s, "
                      "Message-ID: <%s@%s>, mail_id: x%s, Hits: -1.1, size: 4242, queued_as: %s, 1203 ms" % (
                          self.next_pid(), self.pid, self.rng.randrange(99), "10.0.0.1", sender,
                          ",".join("<%s>" % r for r, _ in recipients), parent, parent.lower(), host, child, child)))
        for recipient, _ in recipients:
            lines.append((0.5, "mail postfix/smtp[%d]: %s: to=<%s>, relay=127.0.0.1[127.0.0.1]:10024, delay=1.3, "
                          "delays=0.1/0/0/1.2, dsn=2.0.0, status=sent (250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): "
                          "250 2.0.0 Ok: queued as %s)" % (self.next_pid(), parent, recipient, child)))
        lines.append((0.5, "mail postfix/qmgr[812]: %s: removed" % parent))
        lines.append((0.6, "mail postfix/smtpd[%d]: disconnect from localhost[127.0.0.1] ehlo=1 mail=1 rcpt=%d data=1 "
                      "quit=1 commands=5" % (relay_pid, len(recipients))))
        deferred_later = []
        for recipient, orig in recipients:
            domain = recipient.split("@")[1]
            orig_part = ", orig_to=<%s>" % orig if orig else ""
            if domain == DOMAIN:
                lines.append((0.7, "mail postfix/lmtp[%d]: %s: to=<%s>%s, relay=mail.%s[private/dovecot-lmtp], "
                              "delay=0.21, delays=0.1/0.01/0.02/0.08, dsn=2.0.0, status=sent (250 2.0.0 <%s> "
                              "x4RkGmk3Z2U2OwAAnl2FDw Saved)" % (self.next_pid(), child, recipient, orig_part, DOMAIN,
                                                                recipient)))
                lines.append((0.7, "mail dovecot: lmtp(%s)<%d><x4RkGmk3Z2U2OwAAnl2FDw>: msgid=<%s@%s>: saved mail to "
                              "INBOX" % (recipient, self.pid, parent.lower(), host)))
                continue
            mx, ip = MX.get(domain, ("mx.%s" % domain, "203.113.%d.%d" % (len(domain), len(recipient) % 250)))
            roll = self.rng.random()
            if roll < 0.04:
                self.stats["deferrals"] += 1
                lines.append((1.5, "mail postfix/smtp[%d]: %s: to=<%s>%s, relay=%s[%s]:25, delay=2.1, "
                              "delays=0.1/0/1.5/0.5, dsn=4.7.0, status=deferred (host %s[%s] said: 421 4.7.0 Try again "
                              "later (in reply to end of DATA command))" % (self.next_pid(), child, recipient,
                                                                             orig_part, mx, ip, mx, ip)))
                deferred_later.append((recipient, orig_part, mx, ip))
            elif roll < 0.05:
                self.stats["bounces"] += 1
                notice = self.queue_id()
                lines.append((1.5, "mail postfix/smtp[%d]: %s: to=<%s>%s, relay=%s[%s]:25, delay=2.1, "
                              "delays=0.1/0/1.5/0.5, dsn=5.1.1, status=bounced (host %s[%s] said: 550 5.1.1 User "
                              "unknown (in reply to RCPT TO command))" % (self.next_pid(), child, recipient, orig_part,
                                                                         mx, ip, mx, ip)))
                lines.append((1.5, "mail postfix/cleanup[%d]: %s: message-id=<%s.%s@mail.%s>" % (
                    cleanup_pid, notice, self.stamp().replace(" ", ""), notice, DOMAIN)))
                lines.append((1.5, "mail postfix/bounce[%d]: %s: sender non-delivery notification: %s" % (
                    self.next_pid(), child, notice)))
                lines.append((1.5, "mail postfix/qmgr[812]: %s: from=<>, size=4433, nrcpt=1 (queue active)" % notice))
                if sender.endswith("@" + DOMAIN):
                    lines.append((1.6, "mail postfix/lmtp[%d]: %s: to=<%s>, relay=mail.%s[private/dovecot-lmtp], "
                                  "delay=0.05, delays=0/0/0.01/0.04, dsn=2.0.0, status=sent (250 2.0.0 <%s> Saved)" % (
                                      self.next_pid(), notice, sender, DOMAIN, sender)))
                lines.append((1.6, "mail postfix/qmgr[812]: %s: removed" % notice))
            else:
                lines.append((1.5, "mail postfix/smtp[%d]: Trusted TLS connection established to %s[%s]:25: TLSv1.3 "
                              "with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)" % (self.pid, mx, ip)))
                lines.append((1.6, "mail postfix/smtp[%d]: %s: to=<%s>%s, relay=%s[%s]:25, delay=1.9, "
                              "delays=0.1/0.01/0.6/1.2, dsn=2.0.0, status=sent (250 2.0.0 OK  1700000000 "
                              "a640c23a62f3a-%s - gsmtp)" % (self.pid, child, recipient, orig_part, mx, ip,
                                                            child.lower())))
        if deferred_later:
            retry = self.rng.uniform(300, 3600)
            later = [(0.0, "mail postfix/qmgr[812]: %s: from=<%s>, size=4242, nrcpt=%d (queue active)" % (
                child, sender, len(deferred_later)))]
            for recipient, orig_part, mx, ip in deferred_later:
                later.append((0.8, "mail postfix/smtp[%d]: %s: to=<%s>%s, relay=%s[%s]:25, delay=%d, "
                              "delays=%d/0.01/0.5/0.3, dsn=2.0.0, status=sent (250 ok)" % (
                                  self.next_pid(), child, recipient, orig_part, mx, ip, retry, retry)))
            later.append((0.9, "mail postfix/qmgr[812]: %s: removed" % child))
            self.schedule(retry, later)
        else:
            lines.append((1.8, "mail postfix/qmgr[812]: %s: removed" % child))
        return lines

    def submission(self):
        index = self.active_user()
        user = self.users[index]
        official, personal, partners = self.contacts(index)
        pool = official * 3 + personal * 2 + partners
        recipients = []
        for _ in range(1 if self.rng.random() < 0.7 else self.rng.randrange(2, 4)):
            recipient = self.rng.choice(pool)
            if recipient != user and recipient not in [r for r, _ in recipients]:
                recipients.append((recipient, None))
        if not recipients:
            return []
        parent, pid = self.queue_id(), self.next_pid()
        client = "10.%d.%d.%d" % (index % 250, index // 250 % 250, 10 + index % 200)
        lines = [
            (0.0, "mail postfix/submission/smtpd[%d]: connect from unknown[%s]" % (pid, client)),
            (0.1, "mail postfix/submission/smtpd[%d]: Anonymous TLS connection established from unknown[%s]: TLSv1.3 "
                  "with cipher TLS_AES_256_GCM_SHA384 (256/256 bits)" % (pid, client)),
            (0.2, "mail postfix/submission/smtpd[%d]: %s: client=unknown[%s], sasl_method=PLAIN, sasl_username=%s" % (
                pid, parent, client, user)),
            (0.2, "mail postfix/cleanup[%d]: %s: message-id=<%s@%s>" % (self.next_pid(), parent, parent.lower(),
                                                                       DOMAIN)),
            (0.2, "mail opendkim[%d]: %s: DKIM-Signature field added (s=mail, d=%s)" % (self.next_pid(), parent,
                                                                                      DOMAIN)),
            (0.3, "mail postfix/qmgr[812]: %s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (
                parent, user, self.rng.randrange(2000, 90000), len(recipients))),
            (0.3, "mail postfix/submission/smtpd[%d]: disconnect from unknown[%s] ehlo=2 starttls=1 auth=1 mail=1 "
                  "rcpt=%d data=1 quit=1 commands=%d" % (pid, client, len(recipients), 6 + len(recipients))),
        ]
        self.stats["messages"] += 1
        return lines + self.filter_and_deliver(parent, user, recipients, DOMAIN)

    def inbound(self):
        index = self.rng.randrange(len(self.users))
        user = self.users[index]
        official, personal, partners = self.contacts(index)
        sender = self.rng.choice(personal * 3 + partners * 2 + official)
        if sender == user:
            return []
        recipients = [(user, None)]
        if self.rng.random() < 0.05:
            # Mail to a department alias expands to two mailboxes.
            alias = "vanphong%d@%s" % (index % 40, DOMAIN)
            second = self.users[(index + 1) % len(self.users)]
            recipients = [(user, alias), (second, alias)]
        parent, pid = self.queue_id(), self.next_pid()
        domain = sender.split("@")[1]
        host, ip = MX.get(domain, ("mail.%s" % domain, "113.160.%d.%d" % (len(domain), len(sender) % 250)))
        host = "mail-" + host
        port = self.rng.randrange(30000, 65000)
        lines = [
            (0.0, "mail postfix/postscreen[%d]: CONNECT from [%s]:%d to [10.0.0.1]:25" % (811, ip, port)),
            (0.0, "mail postfix/postscreen[%d]: PASS OLD [%s]:%d" % (811, ip, port)),
            (0.0, "mail postfix/smtpd[%d]: connect from %s[%s]" % (pid, host, ip)),
            (0.1, "mail policyd-spf[%d]: prepend Received-SPF: Pass (mailfrom) identity=mailfrom; client-ip=%s; "
                  "helo=%s; envelope-from=%s; receiver=%s" % (self.next_pid(), ip, host, sender, user)),
            (0.1, "mail postfix/smtpd[%d]: %s: client=%s[%s]" % (pid, parent, host, ip)),
            (0.1, "mail postfix/cleanup[%d]: %s: message-id=<%s@%s>" % (self.next_pid(), parent, parent.lower(),
                                                                       domain)),
            (0.2, "mail postfix/qmgr[812]: %s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (
                parent, sender, self.rng.randrange(2000, 200000), len(recipients))),
            (0.2, "mail postfix/smtpd[%d]: disconnect from %s[%s] ehlo=1 mail=1 rcpt=1 data=1 quit=1 commands=5" % (
                pid, host, ip)),
        ]
        self.stats["messages"] += 1
        return lines + self.filter_and_deliver(parent, sender, recipients, domain)

    def reject(self):
        ip = "%d.%d.%d.%d" % (self.rng.randrange(1, 223), self.rng.randrange(256), self.rng.randrange(256),
                              self.rng.randrange(1, 255))
        pid = self.next_pid()
        return [
            (0.0, "mail postfix/smtpd[%d]: connect from unknown[%s]" % (pid, ip)),
            (0.3, "mail postfix/smtpd[%d]: NOQUEUE: reject: RCPT from unknown[%s]: 554 5.7.1 <x%d@%s>: Relay access "
                  "denied; from=<spam%d@spam.example> to=<x%d@%s> proto=ESMTP helo=<spam.example>" % (
                      pid, ip, pid, "other.example", pid, pid, "other.example")),
            (0.4, "mail postfix/smtpd[%d]: disconnect from unknown[%s] ehlo=1 mail=1 rcpt=0/1 quit=1 commands=3/4" % (
                pid, ip)),
        ]

    def login(self):
        index = self.active_user()
        user = self.users[index]
        ip = "10.%d.%d.%d" % (index % 250, index // 250 % 250, 10 + index % 200)
        session = "%016x" % self.rng.getrandbits(64)
        service = "imap" if self.rng.random() < 0.8 else "pop3"
        pid = self.next_pid()
        if self.rng.random() < 0.08:
            self.stats["failed"] += 1
            return [(0.0, "mail dovecot: %s-login: Disconnected: Connection closed (auth failed, %d attempts in 4 secs): "
                          "user=<%s>, method=PLAIN, rip=%s, lip=10.0.0.1, TLS, session=<%s>" % (
                              service, self.rng.randrange(1, 4), user, ip, session[:12]))]
        self.stats["logins"] += 1
        return [
            (0.0, "mail dovecot: %s-login: Login: user=<%s>, method=PLAIN, rip=%s, lip=10.0.0.1, mpid=%d, TLS, "
                  "session=<%s>" % (service, user, ip, pid, session[:12])),
            (self.rng.uniform(5, 50), "mail dovecot: %s(%s)<%d><%s>: Logged out in=%d out=%d deleted=0 expunged=0 "
                                      "trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0" % (
                                          service, user, pid, session[:12], self.rng.randrange(100, 5000),
                                          self.rng.randrange(500, 90000))),
        ]

    def noise(self):
        choice = self.rng.random()
        if choice < 0.4:
            return [(0.0, "mail CRON[%d]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)" %
                     self.next_pid())]
        if choice < 0.7:
            return [(0.0, "mail kernel: [%d.%06d] IPv4: martian source 10.0.0.1 from 10.0.0.%d, on dev eth0" % (
                int(self.now), self.rng.randrange(10 ** 6), self.rng.randrange(255)))]
        return [(0.0, "mail postfix/anvil[%d]: statistics: max connection rate 1/60s for (smtp:%d.%d.%d.%d) at %s" % (
            self.next_pid(), self.rng.randrange(1, 223), self.rng.randrange(256), self.rng.randrange(256),
            self.rng.randrange(256), self.stamp()))]

    def schedule(self, delay, lines):
        self.sequence += 1
        heapq.heappush(self.pending, (self.now + delay, self.sequence, lines))

    def run(self, limit, out):
        flows = [(self.submission, 28), (self.inbound, 40), (self.login, 22), (self.reject, 5), (self.noise, 5)]
        choices, weights = [f for f, _ in flows], [w for _, w in flows]
        written, batch = 0, []
        # About 40,000 flows a day, so that a gigabyte covers some two weeks.
        gap = 86400 / 40000
        while written < limit:
            # A handful of flows in flight at once: their lines interleave in time order.
            group = []
            for _ in range(8):
                self.now += self.rng.expovariate(1 / gap)
                flow = self.rng.choices(choices, weights)[0]()
                base = self.now
                group.extend((base + offset, text) for offset, text in flow)
            while self.pending and self.pending[0][0] <= self.now:
                when, _, lines = heapq.heappop(self.pending)
                group.extend((when + offset, text) for offset, text in lines)
            group.sort(key=lambda item: item[0])
            saved = self.now
            for when, text in group:
                self.now = when
                line = "%s %s\n" % (self.stamp(), text)
                batch.append(line)
                written += len(line)
                if written >= limit:
                    break
            self.now = saved
            if len(batch) > 20000:
                out.write("".join(batch))
                batch = []
        out.write("".join(batch))
        return written


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="100M", help="stop at this many bytes: 100M, 1G, or a number")
    parser.add_argument("--users", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", default="2026-11-01")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    generator = Generator(args)
    with open(args.out, "w", encoding="utf-8", newline="\n") as out:
        written = generator.run(parse_size(args.size), out)
    stats = generator.stats
    print("%s: %d bytes, %d messages, %d logins, %d failed logins, %d deferrals, %d bounces, %.1f days" % (
        args.out, written, stats["messages"], stats["logins"], stats["failed"], stats["deferrals"], stats["bounces"],
        generator.now / 86400), file=sys.stderr)


if __name__ == "__main__":
    main()
