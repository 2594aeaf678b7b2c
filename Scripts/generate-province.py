#!/usr/bin/env python3
"""The sample province of the default run: HR's roster and 60 days of the mail server's logs.

    python3 Scripts/generate-province.py [--out Logs/sample] [--seed 2026]

Deterministic (the same seed gives the same bytes). It writes, into the output folder:

- roster.csv: about 1,900 civil servants of Nam Định's departments and districts (the codes of
  Policies/default.yaml), as HR's Excel exports it (UTF-8 with a BOM, quoted where needed):
  Vietnamese names, positions, 1,200 official addresses by the policy's naming rule
  ({given}{initials}, collisions numbered), the personal Gmail or Yahoo addresses some staff
  declared, leavers and new starters;
- mail.log-YYYYMMDD.gz: Postfix and Dovecot lines in classic syslog form, one file a week,
  from 2026-10-02 to 2026-11-30: authenticated submissions on port 587, mail from Gmail and
  Yahoo arriving on port 25, LMTP deliveries, relays to the outside world, forwards of
  official mailboxes to Gmail, IMAP and POP3 logins and failed ones, with cron and amavis
  lines among them;
- heads.yaml: each department's head, for the policy's `heads`.

About a fifth of the account holders use their official mailbox (more of them by the end of
the period than at its start), a few forward it to Gmail, and most staff, with an account or
without, write to colleagues from Gmail or Yahoo. Nothing here is read by the tests as truth:
the real Postfix and Dovecot capture (Logs/captured) is.
"""

import argparse
import datetime
import gzip
import io
import os
import random
import unicodedata

DOMAIN = "namdinh.gov.vn"
START = datetime.date(2026, 10, 2)
DAYS = 60

# (code, level, staff, share of staff with an account, share of account holders active at the
# start, at the end) — the codes of Policies/default.yaml.
DEPARTMENTS = [
    ("VPUBND", "province", 72, 0.90, 0.30, 0.40),
    ("SNV", "province", 68, 0.85, 0.25, 0.35),
    ("STTTT", "province", 58, 0.97, 0.45, 0.60),
    ("SKHDT", "province", 70, 0.75, 0.18, 0.24),
    ("STC", "province", 74, 0.80, 0.20, 0.26),
    ("STP", "province", 52, 0.70, 0.15, 0.20),
    ("SCT", "province", 66, 0.65, 0.12, 0.18),
    ("SKHCN", "province", 48, 0.85, 0.28, 0.36),
    ("STNMT", "province", 88, 0.60, 0.10, 0.16),
    ("SNNPTNT", "province", 110, 0.55, 0.08, 0.14),
    ("SXD", "province", 60, 0.62, 0.10, 0.15),
    ("SGTVT", "province", 64, 0.58, 0.09, 0.13),
    ("SYT", "province", 96, 0.50, 0.10, 0.18),
    ("SGDDT", "province", 90, 0.72, 0.16, 0.22),
    ("SLDTBXH", "province", 62, 0.60, 0.12, 0.17),
    ("SVHTTDL", "province", 66, 0.55, 0.10, 0.15),
    ("TTT", "province", 40, 0.80, 0.22, 0.30),
    ("UBTP", "district", 96, 0.70, 0.14, 0.20),
    ("UBMYLOC", "district", 56, 0.52, 0.08, 0.12),
    ("UBVUBAN", "district", 66, 0.55, 0.09, 0.14),
    ("UBYYEN", "district", 74, 0.50, 0.07, 0.12),
    ("UBNAMTRUC", "district", 70, 0.54, 0.08, 0.13),
    ("UBTRUCNINH", "district", 68, 0.52, 0.08, 0.12),
    ("UBXUANTRUONG", "district", 62, 0.56, 0.09, 0.14),
    ("UBGIAOTHUY", "district", 70, 0.50, 0.07, 0.11),
    ("UBHAIHAU", "district", 78, 0.48, 0.06, 0.11),
    ("UBNGHIAHUNG", "district", 76, 0.50, 0.07, 0.12),
]
NAMES = {
    "VPUBND": "Văn phòng UBND tỉnh", "SNV": "Sở Nội vụ", "STTTT": "Sở Thông tin và Truyền thông",
    "SKHDT": "Sở Kế hoạch và Đầu tư", "STC": "Sở Tài chính", "STP": "Sở Tư pháp", "SCT": "Sở Công Thương",
    "SKHCN": "Sở Khoa học và Công nghệ", "STNMT": "Sở Tài nguyên và Môi trường",
    "SNNPTNT": "Sở Nông nghiệp và Phát triển nông thôn", "SXD": "Sở Xây dựng", "SGTVT": "Sở Giao thông vận tải",
    "SYT": "Sở Y tế", "SGDDT": "Sở Giáo dục và Đào tạo", "SLDTBXH": "Sở Lao động - Thương binh và Xã hội",
    "SVHTTDL": "Sở Văn hóa, Thể thao và Du lịch", "TTT": "Thanh tra tỉnh", "UBTP": "UBND thành phố Nam Định",
    "UBMYLOC": "UBND huyện Mỹ Lộc", "UBVUBAN": "UBND huyện Vụ Bản", "UBYYEN": "UBND huyện Ý Yên",
    "UBNAMTRUC": "UBND huyện Nam Trực", "UBTRUCNINH": "UBND huyện Trực Ninh",
    "UBXUANTRUONG": "UBND huyện Xuân Trường", "UBGIAOTHUY": "UBND huyện Giao Thủy",
    "UBHAIHAU": "UBND huyện Hải Hậu", "UBNGHIAHUNG": "UBND huyện Nghĩa Hưng",
}
# Shared unit mailboxes (the policy's `shared`), used by the department's clerks.
SHARED = {"VPUBND": "vanthu.vpubnd@" + DOMAIN, "STTTT": "vanthu.stttt@" + DOMAIN, "SNV": "vanthu.snv@" + DOMAIN}
# Addresses the policy gives departments' lists: never given to a person.
RESERVED = {code.lower() for code, *_ in DEPARTMENTS} | {
    "vpubnd", "thanhtra", "ubndtp", "myloc", "vuban", "yyen", "namtruc", "trucninh", "xuantruong", "giaothuy",
    "haihau", "nghiahung"}

FAMILY = [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Vũ", 4), ("Phan", 3), ("Đặng", 2.5),
          ("Bùi", 2.5), ("Đỗ", 2), ("Ngô", 1.5), ("Dương", 1.2), ("Đinh", 1.2), ("Hồ", 1), ("Đào", 1), ("Lưu", 0.6),
          ("Trịnh", 0.8), ("Mai", 0.6), ("Cao", 0.5), ("Tạ", 0.4), ("Lương", 0.4), ("Vương", 0.3), ("Quách", 0.2)]
MIDDLE_MALE = [("Văn", 30), ("Đức", 10), ("Minh", 8), ("Quang", 7), ("Hữu", 6), ("Xuân", 5), ("Thanh", 5),
               ("Ngọc", 3), ("Công", 4), ("Mạnh", 3), ("Trọng", 3), ("Tiến", 2), ("Viết", 2)]
MIDDLE_FEMALE = [("Thị", 45), ("Thu", 8), ("Thanh", 6), ("Ngọc", 6), ("Minh", 4), ("Hồng", 5), ("Thúy", 3),
                 ("Kim", 3), ("Bích", 2), ("Thị Thu", 5), ("Thị Minh", 3), ("Thị Ánh", 2), ("Phương", 3)]
GIVEN_MALE = ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh",
              "Khoa", "Kiên", "Lâm", "Long", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang",
              "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Hưng",
              "Thịnh", "Đạt", "Duy", "Hòa", "Lợi", "Tú", "Tâm", "Trường", "Hiển", "Thuận"]
GIVEN_FEMALE = ["Anh", "Ánh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hồng", "Huệ",
                "Hương", "Hường", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nguyệt",
                "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Tuyết",
                "Vân", "Yến", "Hảo", "Lụa", "Thơm", "Xuân", "Duyên", "Diệp"]
POSITIONS_HEAD = {"province": "Giám đốc", "district": "Chủ tịch"}
OUTSIDE = ["mic.gov.vn", "moha.gov.vn", "mof.gov.vn", "vnpt.vn", "viettel.com.vn", "fpt.com.vn", "vietcombank.com.vn",
           "agribank.com.vn", "dantri.com.vn", "baonamdinh.vn"]
WEBMAIL = [("gmail.com", 76), ("yahoo.com", 9), ("yahoo.com.vn", 7), ("outlook.com", 3), ("icloud.com", 2),
           ("vnn.vn", 2), ("hn.vnn.vn", 1)]
NICKNAMES = ["hoamai", "sunflower", "meocon", "bongbong", "thienthan", "hoangtu", "cogaimuadong", "langtu",
             "mattroi", "sao", "giotsuong", "cuccung", "baby", "hanoi", "namdinh", "kiemsi", "ronaldo", "messi"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def fold(text):
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in text if unicodedata.category(c) != "Mn").lower()


def weighted(rng, pairs):
    total = sum(weight for _, weight in pairs)
    pick = rng.uniform(0, total)
    for value, weight in pairs:
        pick -= weight
        if pick <= 0:
            return value
    return pairs[-1][0]


class Person:
    def __init__(self, **fields):
        self.__dict__.update(fields)


def make_people(rng):
    people, taken, number = [], set(RESERVED), 0
    for code, level, count, accounts, active_start, active_end in DEPARTMENTS:
        for index in range(count):
            number += 1
            female = rng.random() < 0.52
            family = weighted(rng, FAMILY)
            middle = weighted(rng, MIDDLE_FEMALE if female else MIDDLE_MALE)
            given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
            if index == 0:
                position = {"VPUBND": "Chánh Văn phòng", "TTT": "Chánh Thanh tra"}.get(code, POSITIONS_HEAD[level])
            elif index < 3:
                position = "Phó " + POSITIONS_HEAD[level].lower()
            elif index < 3 + count // 9:
                position = "Trưởng phòng"
            else:
                position = rng.choice(["Chuyên viên"] * 8 + ["Cán sự", "Văn thư"])
            people.append(Person(
                id="ND%04d" % number, family=family, middle=middle, given=given, code=code, level=level,
                position=position, head=index == 0,
                has_account=index < 3 or rng.random() < accounts,
                status="left" if index >= 3 and rng.random() < 0.025 else "active",
                start=None, end=None, active_start=active_start, active_end=active_end))
    # The naming rule, served in employee-id order as provisioning does: {given}{initials}.
    for person in sorted(people, key=lambda p: p.id):
        person.name = " ".join([person.family, person.middle, person.given])
        words = fold(person.name).split()
        base = words[-1] + "".join(w[0] for w in words[:-1])
        person.official = None
        if person.has_account:
            local, suffix = base, 1
            while local in taken:
                suffix += 1
                local = "%s%d" % (base, suffix)
            taken.add(local)
            person.official = "%s@%s" % (local, DOMAIN)
    for person in people:
        if person.status == "left":
            person.end = START + datetime.timedelta(days=rng.randint(-200, 40))
        elif rng.random() < 0.03:
            person.start = START + datetime.timedelta(days=rng.randint(5, DAYS - 5))
        elif rng.random() < 0.6:
            person.start = datetime.date(rng.randint(1995, 2024), rng.randint(1, 12), rng.randint(1, 28))
    return people


def webmail_address(rng, person, used):
    words = fold(person.name).split()
    family, middles, given = words[0], words[1:-1], words[-1]
    initials = "".join(w[0] for w in words[:-1])
    year = str(rng.randint(1968, 2000))
    shapes = [
        (30, lambda: family + "".join(middles) + given + rng.choice(["", year, year[2:]])),
        (15, lambda: given + "." + family),
        (15, lambda: given + initials + rng.choice([year[2:], year, "nd"])),
        (10, lambda: "".join(middles) + given + rng.choice(["", year[2:]])),
        (30, lambda: rng.choice(NICKNAMES) + rng.choice(["", ".", "_"]) + str(rng.randint(1, 9999))),
    ]
    domain = weighted(rng, WEBMAIL)
    while True:
        local = weighted(rng, [(shape, weight) for weight, shape in shapes])()
        address = "%s@%s" % (local, domain)
        if address not in used:
            used.add(address)
            return address


def plan_behaviour(rng, people):
    used = set()
    for person in people:
        person.webmail = None
        person.declared = False
        person.forwards = False
        person.adopt_day = None
        if person.status != "active":
            continue
        if person.official:
            roll = rng.random()
            share_start, share_end = person.active_start, person.active_end
            if roll < share_start:
                person.adopt_day = 0
            elif roll < share_end:
                person.adopt_day = rng.randint(1, DAYS - 1)
            webmail_share = 0.35 if person.adopt_day is not None else 0.78
        else:
            webmail_share = 0.74
        if rng.random() < webmail_share:
            person.webmail = webmail_address(rng, person, used)
            person.declared = rng.random() < 0.45
            if person.official and person.adopt_day is None and rng.random() < 0.09:
                person.forwards = True


def roster_csv(people):
    out = io.StringIO()
    out.write("\ufeffemployee_id,full_name,department_code,department_name,level,position,official_address,"
              "personal_addresses,status,start_date,end_date\r\n")
    for person in people:
        cells = [person.id, person.name, person.code, NAMES[person.code], person.level, person.position,
                 person.official or "", person.webmail if person.declared else "", person.status,
                 person.start.strftime("%d/%m/%Y") if person.start else "",
                 person.end.strftime("%Y-%m-%d") if person.end else ""]
        out.write(",".join('"%s"' % c if "," in c else c for c in cells) + "\r\n")
    return out.getvalue()


class Log:
    """One day's lines, sorted by time when the day is written."""

    def __init__(self, rng, day):
        self.rng, self.day, self.lines, self.ids = rng, day, [], set()

    def stamp(self, seconds):
        hour, rest = divmod(min(int(seconds), 86_399), 3600)
        return "%s %2d %02d:%02d:%02d" % (MONTHS[self.day.month - 1], self.day.day, hour, rest // 60, rest % 60)

    def add(self, seconds, program, text):
        self.lines.append((seconds, len(self.lines), "%s mail %s: %s" % (self.stamp(seconds), program, text)))

    def queue_id(self):
        while True:
            qid = "%010X" % self.rng.getrandbits(40)
            if qid not in self.ids:
                self.ids.add(qid)
                return qid

    def pid(self):
        return self.rng.randint(2000, 60000)

    def text(self):
        return "".join(line + "\n" for _, _, line in sorted(self.lines))


def working_second(rng):
    """A time of day staff write mail: mornings and afternoons, little at lunch or at night."""
    hour = weighted(rng, [(7, 5), (8, 14), (9, 16), (10, 15), (11, 10), (12, 3), (13, 6), (14, 12), (15, 12),
                          (16, 9), (17, 3), (19, 1), (21, 1)])
    return hour * 3600 + rng.randint(0, 3599)


def message(log, rng, start, sender, recipients, authenticated, forwards):
    """The Postfix lines of one message; `recipients` are final (aliases already resolved)."""
    qid, smtpd = log.queue_id(), log.pid()
    t = start
    if authenticated:
        ip = "113.160.%d.%d" % (rng.randint(0, 255), rng.randint(1, 254))
        program, client = "postfix/submission/smtpd[%d]" % smtpd, "unknown[%s]" % ip
        log.add(t, program, "connect from " + client)
        log.add(t, program, "%s: client=%s, sasl_method=PLAIN, sasl_username=%s" % (qid, client, sender))
    else:
        domain = sender.split("@")[1]
        if "yahoo" in domain:
            client = "sonic%d.mail.sg3.yahoo.com[106.10.%d.%d]" % (rng.randint(300, 330), rng.randint(0, 255),
                                                                 rng.randint(1, 254))
        elif domain in ("gmail.com",):
            client = "mail-%s-f%d.google.com[209.85.%d.%d]" % (rng.choice(["pj1", "wr1", "lf1", "ed1"]),
                                                               rng.randint(41, 99), rng.randint(128, 255),
                                                               rng.randint(1, 254))
        else:
            client = "mx.%s[%d.%d.%d.%d]" % (domain, rng.randint(14, 203), rng.randint(0, 255), rng.randint(0, 255),
                                             rng.randint(1, 254))
        program = "postfix/smtpd[%d]" % smtpd
        log.add(t, program, "connect from " + client)
        log.add(t, program, "%s: client=%s" % (qid, client))
    log.add(t, "postfix/cleanup[%d]" % log.pid(), "%s: message-id=<%x.%d@%s>" % (
        qid, rng.getrandbits(48), rng.randint(1, 99), sender.split("@")[1]))
    qmgr = "postfix/qmgr[1187]"
    log.add(t + 1, qmgr, "%s: from=<%s>, size=%d, nrcpt=%d (queue active)" % (
        qid, sender, rng.randint(2000, 900000), len(recipients)))
    log.add(t + 1, program, "disconnect from %s ehlo=2 starttls=1 %smail=1 rcpt=%d data=1 quit=1 commands=%d" % (
        client, "auth=1 " if authenticated else "", len(recipients), 7 + len(recipients)))
    t += 1
    for recipient in recipients:
        t += rng.choice([0, 0, 1])
        if recipient.endswith("@" + DOMAIN) or recipient.endswith("." + DOMAIN):
            log.add(t, "postfix/lmtp[%d]" % log.pid(),
                    "%s: to=<%s>, relay=mail.%s[private/dovecot-lmtp], delay=0.%d, delays=0.1/0/0/0.1, dsn=2.0.0, "
                    "status=sent (250 2.0.0 <%s> %x Saved)" % (qid, recipient, DOMAIN, rng.randint(1, 9), recipient,
                                                               rng.getrandbits(40)))
        targets = [(recipient, None)]
        if recipient in forwards:
            targets = [(forwards[recipient], recipient)]
        for target, original in targets:
            if target.endswith("@" + DOMAIN):
                continue
            domain = target.split("@")[1]
            relay = ("gmail-smtp-in.l.google.com[142.250.4.%d]:25" % rng.randint(26, 27)) if domain == "gmail.com" else \
                ("mta7.am0.yahoodns.net[67.195.204.%d]:25" % rng.randint(70, 80)) if "yahoo" in domain else \
                ("mx.%s[%d.%d.%d.%d]:25" % (domain, rng.randint(14, 203), rng.randint(0, 255), rng.randint(0, 255),
                                            rng.randint(1, 254)))
            orig = ", orig_to=<%s>" % original if original else ""
            if rng.random() < 0.03:
                log.add(t, "postfix/smtp[%d]" % log.pid(),
                        "%s: to=<%s>%s, relay=%s, delay=5, delays=0.1/0/5/0, dsn=4.4.2, status=deferred "
                        "(conversation with %s timed out while receiving the initial server greeting)"
                        % (qid, target, orig, relay, relay.split("[")[0]))
                t += rng.randint(300, 900)
            log.add(t, "postfix/smtp[%d]" % log.pid(),
                    "%s: to=<%s>%s, relay=%s, delay=%d.%d, delays=0.1/0/0.4/0.6, dsn=2.0.0, status=sent (%s)" % (
                        qid, target, orig, relay, rng.randint(0, 2), rng.randint(0, 9),
                        "250 2.0.0 OK  %d %x - gsmtp" % (1760000000 + rng.randint(0, 9999999), rng.getrandbits(40))
                        if domain == "gmail.com" else "250 ok dirdel" if "yahoo" in domain else
                        "250 2.0.0 Ok: queued as %X" % rng.getrandbits(36)))
    log.add(t, qmgr, "%s: removed" % qid)


def login(log, rng, seconds, person, failed=False):
    service = "imap-login" if rng.random() < 0.8 else "pop3-login"
    ip = "113.160.%d.%d" % (rng.randint(0, 255), rng.randint(1, 254))
    if failed:
        log.add(seconds, "dovecot", "%s: Disconnected (auth failed, %d attempts in %d secs): user=<%s>, "
                "method=PLAIN, rip=%s, lip=10.10.1.5, TLS, session=<%x>" % (
                    service, rng.randint(1, 3), rng.randint(2, 12), person.official, ip, rng.getrandbits(48)))
    else:
        log.add(seconds, "dovecot", "%s: Login: user=<%s>, method=PLAIN, rip=%s, lip=10.10.1.5, mpid=%d, TLS, "
                "session=<%x>" % (service, person.official, ip, rng.randint(1000, 99999), rng.getrandbits(48)))


def simulate_day(rng, day_index, people, by_code, forwards):
    day = START + datetime.timedelta(days=day_index)
    log = Log(rng, day)
    weekend = day.weekday() >= 5
    rate = 0.12 if weekend else 1.0
    active = [p for p in people if p.status == "active" and p.official and p.adopt_day is not None
              and p.adopt_day <= day_index and (p.start is None or p.start <= day)]
    for person in active:
        if rng.random() < 0.82 * rate:
            for _ in range(rng.choice([1, 1, 2, 3])):
                login(log, rng, working_second(rng), person)
        if rng.random() < 0.02:
            login(log, rng, working_second(rng), person, failed=True)
        for _ in range(sum(1 for _ in range(3) if rng.random() < 0.45 * rate)):
            recipients = set()
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                roll = rng.random()
                colleagues = by_code[person.code] if roll < 0.6 else people
                other = rng.choice(colleagues)
                if roll < 0.85 and other.official and other.status == "active":
                    recipients.add(other.official)
                elif roll < 0.93 and other.webmail:
                    recipients.add(other.webmail)
                else:
                    recipients.add("%s@%s" % (rng.choice(["vanphong", "hanhchinh", "info", "lienhe"]),
                                              rng.choice(OUTSIDE)))
            message(log, rng, working_second(rng), person.official, sorted(recipients), True, forwards)
    # Shared mailboxes: the clerks' office writes and receives every working day.
    for code, address in SHARED.items():
        if not weekend:
            clerk_login = Person(official=address)
            login(log, rng, working_second(rng), clerk_login)
            for _ in range(rng.randint(2, 6)):
                other = rng.choice(people)
                target = other.official if other.official and other.status == "active" else \
                    "vanthu@%s" % rng.choice(OUTSIDE)
                message(log, rng, working_second(rng), address, [target], True, forwards)
    # Webmail: staff write to colleagues' official addresses from Gmail or Yahoo.
    for person in people:
        if person.status != "active" or not person.webmail or (person.start and person.start > day):
            continue
        if rng.random() < 0.16 * rate:
            colleagues = by_code[person.code] if rng.random() < 0.8 else people
            targets = [c.official for c in rng.sample(colleagues, min(len(colleagues), rng.choice([1, 1, 2])))
                       if c.official and c.status == "active" and c is not person]
            if person.official and rng.random() < 0.1:
                targets.append(person.official)  # to their own official address
            if targets:
                message(log, rng, working_second(rng), person.webmail, sorted(set(targets)), False, forwards)
    # The outside world: newsletters and documents to official addresses.
    holders = [p for p in people if p.official and p.status == "active"]
    for _ in range(int(rng.randint(20, 40) * rate)):
        sender = "%s@%s" % (rng.choice(["congvan", "thongbao", "banbientap", "noreply"]), rng.choice(OUTSIDE))
        message(log, rng, working_second(rng), sender,
                sorted({p.official for p in rng.sample(holders, rng.choice([1, 2, 5]))}), False, forwards)
    # Other programs share the log.
    for hour in range(24):
        log.add(hour * 3600 + 17 * 60 + 1, "CRON[%d]" % log.pid(), "(root) CMD (   cd / && run-parts --report /etc/cron.hourly)")
        log.add(hour * 3600 + 1800, "amavis[%d]" % log.pid(), "(0%d-01) extra modules loaded after daemonizing/chrooting: "
                "Mail/SPF.pm" % rng.randint(1000, 9999))
    return day, log.text()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "Logs", "sample"))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    people = make_people(rng)
    plan_behaviour(rng, people)
    by_code = {}
    for person in people:
        by_code.setdefault(person.code, []).append(person)
    forwards = {p.official: p.webmail for p in people if p.forwards}
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.out):
        if name.startswith("mail.log"):
            os.remove(os.path.join(args.out, name))
    with open(os.path.join(args.out, "roster.csv"), "w", encoding="utf-8", newline="") as out:
        out.write(roster_csv(people))
    with open(os.path.join(args.out, "heads.yaml"), "w", encoding="utf-8") as out:
        out.write("# Each department's head in the sample roster, for the policy's `heads`.\n")
        for person in people:
            if person.head and person.official:
                out.write("%s: [%s]\n" % (person.code, person.official))
    week, texts, lines = [], [], 0
    for index in range(DAYS):
        day, text = simulate_day(rng, index, people, by_code, forwards)
        week.append(text)
        lines += text.count("\n")
        if day.weekday() == 6 or index == DAYS - 1:
            # logrotate's dateext: the file is named for the day after its last line.
            name = "mail.log-%s.gz" % (day + datetime.timedelta(days=1)).strftime("%Y%m%d")
            with open(os.path.join(args.out, name), "wb") as raw:
                with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
                    out.write("".join(week).encode("utf-8"))
            texts.append(name)
            week = []
    holders = sum(1 for p in people if p.official)
    print("generate-province.py: %d staff (%d with an official address), %d log lines in %d files in %s" % (
        len(people), holders, lines, len(texts), os.path.normpath(args.out)))


if __name__ == "__main__":
    main()
