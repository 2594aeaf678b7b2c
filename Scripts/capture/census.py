#!/usr/bin/env python3
"""The census scenario of the capture: a small province, person by person, and the truth of who
used which mailbox (standard library only).

    census.py setup RUN_DIR POSTFIX_DIR OUT_DIR
        Writes Dovecot's passwd-file (RUN_DIR/users), Postfix's maps
        (POSTFIX_DIR/mailcensus-{mailboxes,virtual,transport}), the sink's arguments
        (RUN_DIR/sink-args), and HR's roster and the province's policy (OUT_DIR/roster.csv,
        OUT_DIR/policy.yaml).

    census.py sessions
        Prints one line per simulated working session: "NUMBER EPOCH ISO-START" (the capture
        script starts the servers under faketime at EPOCH for each).

    census.py session NUMBER CLOCK_OFFSET RUN_DIR
        Sends that session's messages and makes its logins against Postfix and Dovecot on
        127.0.0.1 (CLOCK_OFFSET: seconds the servers' clock is moved by, for the Date headers),
        waits for an empty queue, and appends what was done to RUN_DIR/done.jsonl.

    census.py truth RUN_DIR TRUTH_JSON SCENARIO_MD
        Checks that every session was done as planned, and writes the truth (from this
        script's own bookkeeping, never from the logs) and a description for the README.

The plan is fixed (a seeded generator makes the routine traffic): every run sends the same
messages and makes the same logins.
"""

import base64
import csv
import datetime
import json
import os
import random
import smtplib
import subprocess
import sys
import time
import unicodedata
from email.header import Header
from email.utils import format_datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from drive import (HOST, PASSWORD, PORT_MTA, PORT_SUBMISSION, SINK, kind,  # noqa: E402
                   log_in, wait_for_empty_queue, with_correspondent_counts,
                   write_server_maps)

DOMAIN = "namdinh.gov.vn"
SUB = "stttt." + DOMAIN
VN = datetime.timezone(datetime.timedelta(hours=7))
FIRST_DAY = datetime.date(2026, 11, 23)          # a Monday; five working days
DAYS = 5

# --- the province ---------------------------------------------------------------------------

DEPARTMENTS = [
    # code, name, level, alias, head's employee id
    ("VPUBND", "Văn phòng UBND tỉnh", "province", "vanphong@" + DOMAIN, "ND101"),
    ("SNV", "Sở Nội vụ", "province", "snv@" + DOMAIN, "ND201"),
    ("STTTT", "Sở Thông tin và Truyền thông", "province", "stttt@" + DOMAIN, "ND301"),
    ("STC", "Sở Tài chính", "province", "stc@" + DOMAIN, "ND401"),
    ("UBMYLOC", "UBND huyện Mỹ Lộc", "district", "myloc@" + DOMAIN, "ND501"),
    ("XMYTHANH", "UBND xã Mỹ Thành", "commune", "mythanh@" + DOMAIN, "ND601"),
]
DEPARTMENT = {d[0]: d for d in DEPARTMENTS}
SHARED = {"VPUBND": ["vanthu.vpubnd@" + DOMAIN]}   # the clerks' mailbox: nobody's category

# Roles: what the person is meant to be (the truth is computed from what was done, and must
# come out as meant): O official, M mixed, W webmail, D dormant, N no account, L left.
# sends: how many messages a working day from the official address (routine traffic to
# colleagues); reads: how the official mailbox is opened. F marks an official address that is
# a forwarding alias ("fwd": only to Gmail; "copy": keeps a copy too).
# (id, full name, department, position, official address, account, role, sends, reads,
#  declared personal addresses, start date, status, end date)
P = []


def person(eid, name, dept, position, address, role, sends=0, reads=None, declared=(),
           start="", status="active", end="", account=True, forward=None):
    P.append(dict(id=eid, name=name, dept=dept, position=position, official=address,
                  account=bool(address) and account and forward != "fwd", role=role,
                  sends=sends, reads=reads, declared=list(declared), start=start,
                  status=status, end=end, forward=forward))


def gov(local, domain=DOMAIN):
    return "%s@%s" % (local, domain)


person("ND101", "Trần Thu Hạnh", "VPUBND", "Chánh Văn phòng", gov("hanhtt"), "O", 3, "imap", start="12/03/2004")
person("ND102", "Đỗ Quang Thắng", "VPUBND", "Phó Chánh Văn phòng", gov("thangdq"), "M", 1, "imap",
       declared=["thangdq.1978@gmail.com"], start="01/08/2006")
person("ND103", "Nguyễn Văn An", "VPUBND", "Chuyên viên", gov("annv"), "W", start="15/09/2015")
person("ND104", "Vũ Thị Mai", "VPUBND", "Chuyên viên", gov("maivt"), "W", start="2019-02-11")
person("ND105", "Lê Văn Hòa", "VPUBND", "Trưởng phòng", gov("hoalv"), "O", 1, "imap", start="04/03/1998")
person("ND106", "Phạm Thị Lan", "VPUBND", "Chuyên viên", gov("lanpt"), "M", 1, None, start="20/04/2013")
person("ND107", "Hoàng Văn Thuận", "VPUBND", "Chuyên viên", gov("thuanhv"), "D",
       declared=["thuanhv1991@gmail.com"], start="23/12/2015")
person("ND108", "Mai Văn Tài", "VPUBND", "Chuyên viên", gov("taimv"), "D")
person("ND109", "Lưu Minh Tâm", "VPUBND", "Chuyên viên", "", "N", start="20/04/2023")
person("ND110", "Ngô Văn Tuyến", "VPUBND", "Chuyên viên", gov("tuyennv"), "L",
       start="02/01/1999", status="left", end="2026-10-31")
person("ND111", "Đỗ Thị Ánh Trang", "VPUBND", "Văn thư", gov("trangdta"), "O", 0, "pop3-once", start="23/10/2024")
person("ND112", "Trần Minh Bình", "VPUBND", "Chuyên viên", gov("binhtm"), "O", 0, None, start="22/09/1996")

person("ND201", "Trần Thị Hiền", "SNV", "Giám đốc", gov("hientt"), "O", 1, "imap", start="01/06/2001")
person("ND202", "Nguyễn Thị Hương", "SNV", "Trưởng phòng", gov("huongnt"), "O", 1, "pop3", start="10/10/2005")
person("ND203", "Nguyễn Thị Hương", "SNV", "Chuyên viên", gov("huongnt2"), "W", start="03/03/2020")
person("ND204", "Phạm Văn Hùng", "SNV", "Phó Giám đốc", gov("hungpv"), "O", 1, "imap", start="14/07/2003")
person("ND205", "Nguyễn Thị Phương Thảo", "SNV", "Trưởng phòng", gov("thaontp"), "M", 0, "imap-some", start="2010-05-17")
person("ND206", "Đặng Minh Hằng", "SNV", "Chuyên viên", gov("hangdm"), "W",
       declared=["minhhang_nd@yahoo.com.vn"], start="01/09/2016")
person("ND207", "Phan Văn Khải", "SNV", "Chuyên viên", "", "W", declared=["meoden.bk@gmail.com"], start="05/01/2022")
person("ND208", "Lý Thị Ngọc", "SNV", "Chuyên viên", gov("ngoclt"), "D", start="18/03/2017")
person("ND209", "Tạ Quang Huy", "SNV", "Chuyên viên", "", "N", start="01/11/2026")
person("ND210", "Vương Thị Yến", "SNV", "Chuyên viên", gov("yenvt"), "O", 1, "imap", start="09/02/2012")

person("ND301", "Nguyễn Thị Loan", "STTTT", "Giám đốc", gov("loannt", SUB), "O", 3, "imap", start="01/01/2008")
person("ND302", "Lê Công Quân", "STTTT", "Trưởng phòng", gov("quanlc", SUB), "M", 1, "imap", start="12/06/2011")
person("ND303", "Hoàng Ngọc Tuấn", "STTTT", "Chuyên viên", gov("tuanhn", SUB), "M", 0, "imap",
       declared=["hn.tuan88@gmail.com"], start="2014-09-01")
person("ND304", "Bùi Thị Duyên", "STTTT", "Chuyên viên", gov("duyenbt", SUB), "W", forward="fwd", start="02/05/2018")
person("ND305", "Cao Văn Đức", "STTTT", "Chuyên viên", gov("duccv", SUB), "D", start="15/08/2019")
person("ND306", "Trịnh Thị Hà", "STTTT", "Chuyên viên", gov("hatt", SUB), "O", 1, "pop3", start="07/07/2015")
person("ND307", "Đoàn Văn Sơn", "STTTT", "Kỹ sư", gov("sondv", SUB), "O", 1, "submission", start="21/02/2017")
person("ND308", "Kiều Thị Oanh", "STTTT", "Chuyên viên", "", "W", start="01/10/2025")

person("ND401", "Phạm Thị Thanh Yến", "STC", "Giám đốc", gov("yenptt"), "O", 1, "imap", start="11/11/2002")
person("ND402", "Lê Văn Việt", "STC", "Phó Giám đốc", gov("vietlv"), "O", 1, "imap", start="28/01/1996")
person("ND403", "Nguyễn Minh Quân", "STC", "Trưởng phòng", gov("quannm"), "M", 1, None, start="19/05/2009")
person("ND404", "Nguyễn Thu Hương", "STC", "Chuyên viên", gov("huongnt3"), "W", start="2021-03-15")
person("ND405", "Trần Đức Toàn", "STC", "Chuyên viên", gov("toantd"), "M", 0, "imap",
       declared=["toantran90@gmail.com"], start="06/06/2016")
person("ND406", "Đinh Văn Khoa", "STC", "Trưởng phòng", gov("khoadv"), "M", 0, "imap", forward="copy",
       declared=["khoadv.stc@gmail.com"], start="30/09/2007")
person("ND407", "Hồ Thị Thu", "STC", "Chuyên viên", gov("thuht"), "D", start="12/12/2018")
person("ND408", "Quách Văn Lâm", "STC", "Chuyên viên", "", "N")
person("ND409", "Dương Thị Nhung", "STC", "Kế toán", gov("nhungdt"), "O", 0, "imap-once", start="03/04/2014")

person("ND501", "Hà Đức Phúc", "UBMYLOC", "Chủ tịch", gov("phuchd"), "O", 1, "imap", start="01/07/2005")
person("ND502", "Lê Xuân Việt", "UBMYLOC", "Phó Chủ tịch", gov("vietlx"), "W", start="16/04/2010")
person("ND503", "Lê Thanh Bình", "UBMYLOC", "Chánh Văn phòng", gov("binhlt"), "M", 0, "pop3", start="08/08/2012")
person("ND504", "Trần Thị Nga", "UBMYLOC", "Kế toán", gov("ngatt"), "M", 0, "imap",
       declared=["ngatt.1990@yahoo.com"], start="25/02/2015")
person("ND505", "Bùi Văn Long", "UBMYLOC", "Chuyên viên", "", "W", declared=["buivanlong@gmail.com"], start="10/01/2020")
person("ND506", "Vũ Văn Hải", "UBMYLOC", "Chuyên viên", gov("haivv"), "D", start="17/11/2017")
person("ND507", "Đỗ Thị Lụa", "UBMYLOC", "Chuyên viên", gov("luadt"), "D", declared=["dtlua@gmail.com"], start="04/04/2019")
person("ND508", "Mạc Văn Toản", "UBMYLOC", "Chuyên viên", "", "N")
person("ND509", "Phùng Thị Hoa", "UBMYLOC", "Chuyên viên", gov("hoapt"), "O", 1, "pop3", start="13/05/2016")

person("ND601", "Nguyễn Văn Bảo", "XMYTHANH", "Chủ tịch UBND xã", gov("baonv"), "O", 0, None, start="01/07/2021")
person("ND602", "Trần Văn Cường", "XMYTHANH", "Phó Chủ tịch UBND xã", gov("cuongtv"), "D", start="01/07/2021")
person("ND603", "Lã Thị Hồng", "XMYTHANH", "Công chức Văn phòng - Thống kê", "", "W", start="15/03/2018")
person("ND604", "Phạm Văn Chiến", "XMYTHANH", "Công chức Địa chính - Xây dựng", "", "N")
person("ND605", "Đỗ Văn Tiến", "XMYTHANH", "Công chức Tư pháp - Hộ tịch", "", "W", start="01/02/2023")
person("ND606", "Ngô Thị Tâm", "XMYTHANH", "Công chức Văn hóa - Xã hội", "", "N")
person("ND607", "Vũ Đình Khánh", "XMYTHANH", "Chỉ huy trưởng Quân sự", "", "N")

BY_ID = {p["id"]: p for p in P}
ROLE_CATEGORY = {"O": "official", "M": "mixed", "W": "webmail", "D": "dormant", "N": "no-account", "L": None}


def off(eid):
    return BY_ID[eid]["official"]


# Webmail addresses really used, by whom, and how their From header names them.
# style: utf8 ("Lê Công Quân" <a>), utf8-bare (Lê Công Quân <a>), b (=?UTF-8?B?…?= <a>),
# b-folded (the same, folded onto a second line before <a>), q (=?UTF-8?Q?…?= <a>),
# ascii ("Le Cong Quan" <a>), plain (Quan Le <a>), angle (<a>), bare (a).
# display: the display name when it is not the person's full name as is.
WEBMAIL = {
    "thangdq.1978@gmail.com": dict(owner="ND102", style="b"),
    "nguyenvanan@gmail.com": dict(owner="ND103", style="utf8"),
    "chuotnhat_1702@gmail.com": dict(owner="ND104", style="q"),
    "lan.pham@gmail.com": dict(owner="ND106", style="ascii"),
    "nguyenthihuong.snv@gmail.com": dict(owner="ND203", style="utf8-bare"),
    "phuongthao.snv@gmail.com": dict(owner="ND205", style="b-folded",
                                     display="Nguyễn Thị Phương Thảo - Phòng Tổ chức cán bộ"),
    "minhhang_nd@yahoo.com.vn": dict(owner="ND206", style="angle"),
    "meoden.bk@gmail.com": dict(owner="ND207", style="bare"),
    "quanle.it@gmail.com": dict(owner="ND302", style="plain", display="Quan Le"),
    "hn.tuan88@gmail.com": dict(owner="ND303", style="b"),
    "duyenbui.stttt@gmail.com": dict(owner="ND304", style="ascii"),
    "kieuoanh2000@gmail.com": dict(owner="ND308", style="utf8"),
    "nguyenquan.nd@gmail.com": dict(owner="ND403", style="q"),
    "huong.nguyenthu@gmail.com": dict(owner="ND404", style="b"),
    "toantran90@gmail.com": dict(owner="ND405", style="ascii"),
    "khoadv.stc@gmail.com": dict(owner="ND406", style=None),      # forwarding target only
    "leviet.nd@gmail.com": dict(owner="ND502", style="utf8"),
    "lebinh.nd@yahoo.com": dict(owner="ND503", style="bare"),
    "ngatt.1990@yahoo.com": dict(owner="ND504", style="ascii"),
    "buivanlong@gmail.com": dict(owner="ND505", style="b"),
    "hongla.mt@gmail.com": dict(owner="ND603", style="q"),
    "tiendv.mythanh@yahoo.com": dict(owner="ND605", style=None),  # receives only
}
# Webmail addresses that must be tied to nobody, and why. A shared address's From name is that
# of whoever wrote (ids below); outsiders' From names are their own.
SHARED_WEBMAIL = {"phongtckh.myloc@gmail.com": {"ND504": "utf8", "ND505": "b"}}
OUTSIDERS = {
    "phamvanhung@gmail.com": dict(name="Phạm Văn Hùng", style="utf8",
                                  reason="an outsider (a contractor) whose name and address match staff member "
                                         "ND204 Phạm Văn Hùng of SNV; he writes to VPUBND and STC, never to SNV"),
    "nguoidan.myloc@gmail.com": dict(name=None, style="angle",
                                     reason="a citizen writing to the district; no staff member"),
    "hopthucu.vpubnd@gmail.com": dict(name=None, style=None,
                                      reason="an old office address that no longer exists (the sink refuses it "
                                             "with 550: bounce)"),
}
OTHERS = {"vanthu@thaibinh.gov.vn": "Văn thư UBND tỉnh Thái Bình",
          "hotro@vnpt-software.example.com": "VNPT Hỗ trợ",
          "marketing@example.com": "Khuyến mãi"}

REJECTED = "hopthucu.vpubnd@gmail.com"        # the sink answers 550: bounce to the sender
DEFER_ONCE = "toantran90@gmail.com"            # the sink answers 451 once
REFUSED = {gov("tiepdan")}                     # no such address: Postfix refuses at RCPT
TRANSPORT = {d: SINK for d in ("gmail.com", "yahoo.com", "yahoo.com.vn", "example.com",
                               "vnpt-software.example.com", "thaibinh.gov.vn")}


def mailboxes():
    boxes = [p["official"] for p in P if p["account"]]
    return boxes + [a for shared in SHARED.values() for a in shared]


FORWARDS = {"ND304": "duyenbui.stttt@gmail.com", "ND406": "khoadv.stc@gmail.com"}


def aliases():
    table = {}
    for code, _, _, alias, _ in DEPARTMENTS:
        # The department's list: its active staff with an official address (as provisioning
        # keeps it), and the clerks' mailbox.
        table[alias] = [p["official"] for p in P
                        if p["dept"] == code and p["official"] and p["status"] == "active"] + SHARED.get(code, [])
    for p in P:
        if p["forward"]:
            table[p["official"]] = ([p["official"]] if p["forward"] == "copy" else []) + [FORWARDS[p["id"]]]
    return table


ALIASES = aliases()
MAILBOXES = mailboxes()


def expand(recipient, seen=()):
    """Postfix's virtual alias expansion, recursive; an address naming itself stops there."""
    if recipient in REFUSED:
        return []
    if recipient not in ALIASES:
        return [recipient]
    result = []
    for target in ALIASES[recipient]:
        if target == recipient or target in seen:
            result.append(target)
        else:
            result.extend(expand(target, seen + (recipient,)))
    return result


def finals(recipients):
    """[(original recipient, final recipient)] after expansion, refusing what Postfix refuses."""
    pairs = []
    for recipient in recipients:
        for target in expand(recipient):
            if any(target == t for _, t in pairs):
                raise SystemExit("plan error: %s reached twice in one message" % target)
            pairs.append((recipient, target))
    return pairs


# --- names and From headers -----------------------------------------------------------------

def ascii_name(name):
    name = name.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", name) if unicodedata.category(c) != "Mn")


def b_word(text):
    return "=?UTF-8?B?%s?=" % base64.b64encode(text.encode()).decode()


def q_word(text):
    out = []
    for byte in text.encode():
        char = chr(byte)
        if char == " ":
            out.append("_")
        elif char.isascii() and (char.isalnum() or char in "!*+-/"):
            out.append(char)
        else:
            out.append("=%02X" % byte)
    return "=?UTF-8?Q?%s?=" % "".join(out)


def from_header(address, style, display):
    """The From header's value, exactly as sent, and the display name a reader sees (None)."""
    if style in ("angle", None):
        return "<%s>" % address, None
    if style == "bare":
        return address, None
    if style == "utf8":
        return '"%s" <%s>' % (display, address), display
    if style == "utf8-bare":
        return "%s <%s>" % (display, address), display
    if style == "b":
        return "%s <%s>" % (b_word(display), address), display
    if style == "b-folded":
        return "%s\r\n <%s>" % (b_word(display), address), display
    if style == "q":
        return "%s <%s>" % (q_word(display), address), display
    if style == "ascii":
        return '"%s" <%s>' % (ascii_name(display), address), ascii_name(display)
    if style == "plain":
        return "%s <%s>" % (display, address), display
    raise ValueError(style)


OFFICIAL_STYLES = ["utf8", "b", "q", "utf8", "b", "angle"]   # what the staff's mail clients do


def sender_header(sender, writer=None):
    """From header of a message whose envelope sender is SENDER (writer: for a shared address)."""
    for p in P:
        if p["official"] == sender:
            style = OFFICIAL_STYLES[int(p["id"][2:]) % len(OFFICIAL_STYLES)]
            return from_header(sender, style, p["name"])
    if sender in MAILBOXES:                                       # the clerks' mailbox
        return from_header(sender, "utf8", "Văn thư Văn phòng UBND tỉnh")
    if sender in WEBMAIL:
        w = WEBMAIL[sender]
        return from_header(sender, w["style"], w.get("display") or BY_ID[w["owner"]]["name"])
    if sender in SHARED_WEBMAIL:
        return from_header(sender, SHARED_WEBMAIL[sender][writer], BY_ID[writer]["name"])
    if sender in OUTSIDERS:
        o = OUTSIDERS[sender]
        return from_header(sender, o["style"], o["name"])
    if sender in OTHERS:
        return from_header(sender, "b", OTHERS[sender])
    raise ValueError(sender)


# --- the plan ---------------------------------------------------------------------------------

def session_start(number):
    day, half = divmod(number, 2)
    date = FIRST_DAY + datetime.timedelta(days=day)
    hour, minute = (8, 2 + 3 * day) if half == 0 else (14, 10 + 4 * day)
    return datetime.datetime(date.year, date.month, date.day, hour, minute, tzinfo=VN)


def plan():
    """[session] = list of events: ("mail", sender, [recipients], port, writer, note) and
    ("login", address, protocol, right password?, attempts, how it leaves)."""
    sessions = [[] for _ in range(2 * DAYS)]
    rng = random.Random(20261123)

    def mail(day, half, sender, recipients, note="", writer=None):
        port = PORT_SUBMISSION if kind(sender) == "official" else PORT_MTA
        sessions[2 * day + half].append(("mail", sender, list(recipients), port, writer, note))

    def login(day, half, address, protocol, good=True, attempts=1, leave="logout"):
        sessions[2 * day + half].append(("login", address, protocol, good, attempts, leave))

    # Scripted webmail use, outsiders, the bounce, the forwarders, the leaver.
    A = off
    mail(0, 0, "thangdq.1978@gmail.com", [A("ND105"), A("ND106")], "declared Gmail to two colleagues")
    mail(2, 1, "thangdq.1978@gmail.com", ["vanphong@" + DOMAIN], "declared Gmail to the department list")
    mail(3, 1, A("ND101"), ["thangdq.1978@gmail.com"], "official to a colleague's Gmail")
    mail(0, 1, "nguyenvanan@gmail.com", [A("ND101")], "undeclared Gmail, full name shape")
    mail(1, 0, "nguyenvanan@gmail.com", ["vanphong@" + DOMAIN], "to the department list (his own mailbox is on it)")
    mail(1, 1, A("ND101"), ["nguyenvanan@gmail.com"])
    mail(2, 0, "nguyenvanan@gmail.com", [A("ND105"), A("ND106")])
    mail(3, 0, A("ND105"), ["nguyenvanan@gmail.com"])
    mail(3, 1, "nguyenvanan@gmail.com", [A("ND101")])
    mail(1, 0, "chuotnhat_1702@gmail.com", [A("ND104")], "nickname Gmail to her own official address")
    mail(3, 0, "chuotnhat_1702@gmail.com", [A("ND104"), A("ND106")], "to herself and a colleague")
    mail(4, 0, "chuotnhat_1702@gmail.com", [A("ND101")])
    mail(2, 0, A("ND106"), ["lan.pham@gmail.com"], "official to her own Gmail")
    mail(2, 1, "lan.pham@gmail.com", [A("ND101")], "given.family Gmail, ASCII name")
    mail(4, 0, "lan.pham@gmail.com", [A("ND108")])
    mail(0, 0, "nguyenthihuong.snv@gmail.com", [A("ND203")], "to her own official address (huongnt2, not huongnt)")
    mail(1, 1, "nguyenthihuong.snv@gmail.com", [A("ND201"), A("ND210")])
    mail(3, 0, "nguyenthihuong.snv@gmail.com", [A("ND201")])
    mail(3, 1, A("ND201"), ["nguyenthihuong.snv@gmail.com"])
    mail(4, 1, "nguyenthihuong.snv@gmail.com", [A("ND203")])
    mail(1, 1, "phuongthao.snv@gmail.com", [A("ND201"), A("ND210")], "long name with her office, folded From")
    mail(3, 0, "phuongthao.snv@gmail.com", [A("ND204")])
    mail(0, 1, "minhhang_nd@yahoo.com.vn", [A("ND201")], "declared Yahoo, no display name")
    mail(2, 1, "minhhang_nd@yahoo.com.vn", [A("ND202")])
    mail(4, 0, A("ND204"), ["minhhang_nd@yahoo.com.vn"])
    mail(1, 0, "meoden.bk@gmail.com", [A("ND210")], "declared nickname, no display name, no account")
    mail(3, 0, "meoden.bk@gmail.com", [A("ND202")])
    mail(3, 1, A("ND210"), ["meoden.bk@gmail.com"])
    mail(0, 0, "quanle.it@gmail.com", [A("ND302")], "to himself at work, given name first")
    mail(0, 1, A("ND302"), ["quanle.it@gmail.com"], "and back to his Gmail")
    mail(2, 0, "quanle.it@gmail.com", [A("ND301"), A("ND306")])
    mail(4, 1, A("ND302"), ["quanle.it@gmail.com"])
    mail(1, 0, "hn.tuan88@gmail.com", ["stttt@" + DOMAIN], "declared Gmail to the department list")
    mail(2, 1, A("ND301"), ["hn.tuan88@gmail.com"])
    mail(3, 1, "hn.tuan88@gmail.com", [A("ND301")])
    mail(0, 0, A("ND301"), [A("ND304")], "to a forwarding-only address")
    mail(2, 0, A("ND306"), [A("ND304")])
    mail(3, 0, "duyenbui.stttt@gmail.com", [A("ND301")], "the forwarder answers from Gmail")
    mail(2, 0, "kieuoanh2000@gmail.com", [A("ND307")], "her one message (low volume), no account")
    mail(0, 1, "nguyenquan.nd@gmail.com", [A("ND401")], "family+given.place code")
    mail(1, 0, "nguyenquan.nd@gmail.com", ["stc@" + DOMAIN])
    mail(3, 1, "nguyenquan.nd@gmail.com", [A("ND402")])
    mail(1, 1, "huong.nguyenthu@gmail.com", [A("ND401")], "given.family+middle")
    mail(2, 0, "huong.nguyenthu@gmail.com", [A("ND404")], "to herself (huongnt3)")
    mail(4, 0, "huong.nguyenthu@gmail.com", [A("ND401"), A("ND402")])
    mail(4, 1, A("ND401"), ["huong.nguyenthu@gmail.com"])
    mail(1, 0, A("ND401"), ["toantran90@gmail.com"], "deferred once (451), delivered on retry")
    for day in range(DAYS):
        for half in range(2):
            mail(day, half, "toantran90@gmail.com",
                 [rng.choice([A("ND401"), A("ND402"), A("ND403"), A("ND407"), A("ND409")])],
                 "high volume from a declared Gmail")
    mail(2, 1, "toantran90@gmail.com", [A("ND405")], "to himself at work")
    mail(0, 1, A("ND402"), [A("ND406")], "to a mailbox that keeps a copy and forwards")
    mail(2, 0, A("ND401"), [A("ND406")])
    mail(0, 0, "leviet.nd@gmail.com", [A("ND502")], "to himself (vietlx, not vietlv of STC)")
    mail(1, 0, "leviet.nd@gmail.com", [A("ND501"), A("ND503")])
    mail(1, 1, "leviet.nd@gmail.com", ["myloc@" + DOMAIN], "to his department's list (his mailbox is on it)")
    mail(2, 1, A("ND501"), ["leviet.nd@gmail.com"])
    mail(3, 0, "leviet.nd@gmail.com", [A("ND503")])
    mail(1, 0, "lebinh.nd@yahoo.com", [A("ND501")], "family+given.place code, no display name")
    mail(2, 0, A("ND503"), ["lebinh.nd@yahoo.com"], "official to his own Yahoo")
    mail(3, 1, "lebinh.nd@yahoo.com", [A("ND504")])
    mail(0, 0, "ngatt.1990@yahoo.com", [A("ND501")], "declared Yahoo")
    mail(2, 1, A("ND501"), ["ngatt.1990@yahoo.com"])
    mail(1, 1, "phongtckh.myloc@gmail.com", [A("ND501")], "shared address written by Trần Thị Nga", writer="ND504")
    mail(3, 0, "phongtckh.myloc@gmail.com", ["myloc@" + DOMAIN], "shared address written by Bùi Văn Long",
         writer="ND505")
    mail(4, 0, A("ND501"), ["phongtckh.myloc@gmail.com"])
    mail(0, 1, "buivanlong@gmail.com", [A("ND509")], "declared Gmail, no account")
    mail(2, 0, "buivanlong@gmail.com", [A("ND501"), A("ND506")])
    mail(4, 1, A("ND501"), ["buivanlong@gmail.com"])
    mail(1, 1, "hongla.mt@gmail.com", [A("ND601")], "commune clerk, no account")
    mail(3, 0, "hongla.mt@gmail.com", ["mythanh@" + DOMAIN])
    mail(0, 0, A("ND601"), ["mythanh@" + DOMAIN], "the commune chairman's first of two messages")
    mail(3, 1, A("ND601"), ["tiendv.mythanh@yahoo.com"], "to a colleague's Yahoo he never writes from")
    # Outsiders and others.
    mail(1, 0, "phamvanhung@gmail.com", ["stc@" + DOMAIN], "outsider named like ND204")
    mail(2, 0, "phamvanhung@gmail.com", [A("ND101")])
    mail(2, 1, A("ND401"), ["phamvanhung@gmail.com"])
    mail(2, 0, "nguoidan.myloc@gmail.com", ["myloc@" + DOMAIN, gov("tiepdan")],
         "a citizen; tiepdan@ does not exist (refused at RCPT)")
    mail(1, 1, "vanthu@thaibinh.gov.vn", ["vanphong@" + DOMAIN], "another province (other)")
    mail(2, 0, SHARED["VPUBND"][0], ["vanthu@thaibinh.gov.vn"], "the clerks' mailbox answers")
    mail(3, 1, "hotro@vnpt-software.example.com", [A("ND307"), A("ND305")])
    mail(1, 0, A("ND101"), [REJECTED], "refused by the far end (550): bounce notification back to hanhtt")
    mail(4, 1, "marketing@example.com", [gov("tiepdan")], "refused whole at RCPT: no message")
    mail(0, 0, A("ND105"), [A("ND110")], "to the leaver's mailbox, still there")
    login(0, 0, A("ND110"), "imap")
    login(3, 0, A("ND110"), "imap", good=False)
    login(1, 0, A("ND208"), "imap", good=False, attempts=2)   # dormant: a failed try is no use
    login(2, 0, A("ND210"), "imap", good=False)
    login(0, 0, SHARED["VPUBND"][0], "imap")
    login(2, 0, SHARED["VPUBND"][0], "imap")
    # Cross-department circulars (never to one's own list: that would write to oneself).
    mail(0, 1, A("ND201"), ["vanphong@" + DOMAIN, "stc@" + DOMAIN], "SNV circular to two department lists")
    mail(2, 1, A("ND101"), ["snv@" + DOMAIN], "VPUBND to the SNV list")
    mail(3, 0, A("ND101"), ["stttt@" + DOMAIN], "VPUBND to the STTTT list (reaches the forwarder's Gmail)")
    mail(4, 0, A("ND301"), ["stc@" + DOMAIN], "STTTT to the STC list (reaches Khoa's forward)")
    mail(1, 1, A("ND501"), ["mythanh@" + DOMAIN], "district to the commune list")
    # Low volume official users.
    mail(2, 1, A("ND112"), [A("ND105")], "his only message of the week")
    login(3, 0, A("ND111"), "pop3")
    login(1, 0, A("ND409"), "imap")

    # Routine: each user sends `sends` messages a day to a colleague of the department, and
    # reads the mailbox as `reads` says.
    for day in range(DAYS):
        for p in P:
            if not p["account"] or p["status"] != "active":
                continue
            colleagues = [q["official"] for q in P if q["dept"] == p["dept"] and q["official"]
                          and q["status"] == "active" and q is not p]
            for n in range(p["sends"]):
                half = n % 2 if p["sends"] > 1 else rng.randrange(2)
                if rng.random() < 0.15:
                    other = rng.choice([d for d in DEPARTMENTS if d[0] != p["dept"]])
                    target = off(other[4]) if rng.random() < 0.5 else other[3]
                else:
                    target = rng.choice(colleagues)
                mail(day, half, p["official"], [target], None)       # routine: not described
            reads = p["reads"]
            if reads in ("imap", "pop3", "submission"):
                login(day, 0, p["official"], reads)
                if p["sends"] >= 3:
                    login(day, 1, p["official"], reads)
                if reads == "submission":
                    login(day, 1, p["official"], "imap")
            elif reads == "imap-some" and day in (1, 3):
                login(day, 1, p["official"], "imap")
    return sessions


PLAN = plan()


# --- setup ------------------------------------------------------------------------------------

def setup(run_dir, postfix_dir, out_dir):
    write_server_maps(run_dir, postfix_dir, MAILBOXES, ALIASES, TRANSPORT, DEFER_ONCE, REJECTED)
    os.makedirs(out_dir, exist_ok=True)
    with open(out_dir + "/roster.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["employee_id", "full_name", "department_code", "department_name", "level", "position",
                         "official_address", "personal_addresses", "status", "start_date", "end_date"])
        for p in P:
            d = DEPARTMENT[p["dept"]]
            writer.writerow([p["id"], p["name"], d[0], d[1], d[2], p["position"], p["official"],
                             ";".join(p["declared"]), p["status"], p["start"], p["end"]])
    with open(out_dir + "/policy.yaml", "w", encoding="utf-8") as out:
        out.write(POLICY_HEAD)
        for code, name, level, alias, head in DEPARTMENTS:
            shared = ", shared: [%s]" % ", ".join(SHARED[code]) if code in SHARED else ""
            out.write("  - {code: %s, name: %s, level: %s, alias: %s, heads: [%s]%s}\n"
                      % (code, name, level, alias, off(head), shared))
        out.write(POLICY_TAIL)


POLICY_HEAD = """\
# Policy of the census capture's province (Logs/captured-census): what a new user writes from
# README.md ("Policy") for a server like the one the capture ran.
province: Nam Định

official_domains:
  - namdinh.gov.vn

# The mail server's clock (the capture's rsyslog wrote its stamps at +07:00).
utc_offset: "+07:00"

login_domain: namdinh.gov.vn

naming_rule: "{given}{initials}"

# The departments of roster.csv, in report order. The clerks' mailbox of the provincial office
# is shared: its mail counts for the department and for nobody's category.
departments:
"""
POLICY_TAIL = """
# The whole capture (five working days) lies inside one window.
activity_window: 30d

report:
  language: vi
  formats: [html, csv, json, md]
  folder: reports

nightly:
  logs: [mail.log]
  roster: roster.csv
"""


# --- driving ----------------------------------------------------------------------------------

HELO = {"gmail.com": "mail-sor-f41.google.com", "yahoo.com": "sonic314-21.consmr.mail.sg3.yahoo.com",
        "yahoo.com.vn": "sonic309-14.consmr.mail.sg3.yahoo.com", "thaibinh.gov.vn": "mail.thaibinh.gov.vn",
        "vnpt-software.example.com": "mx.vnpt-software.example.com", "example.com": "mail.example.com"}


def message_bytes(number, sender, recipients, header, clock_offset):
    when = datetime.datetime.fromtimestamp(time.time() + clock_offset, VN)
    subject = Header("Công văn số %d/%s" % (number, when.strftime("%Y")), "utf-8").encode()
    lines = ["From: " + header, "To: " + ", ".join(recipients), "Subject: " + subject,
             "Date: " + format_datetime(when), "Message-ID: <census-%d.%s>" % (number, sender.replace("@", "@m.")),
             "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit",
             "", "Kính gửi anh chị,", "", "Xin gửi công văn số %d để anh chị xem xét." % number, ""]
    return "\r\n".join(lines).encode()


def numbered():
    """Every mail event with its number (1, 2, … over the whole plan) and session."""
    number = 0
    for session, events in enumerate(PLAN):
        for event in events:
            if event[0] == "mail":
                number += 1
                yield number, session, event


def run_session(session, clock_offset, run_dir):
    done = []
    for number, s, (_, sender, recipients, port, writer, note) in numbered():
        if s != session:
            continue
        header = sender_header(sender, writer)[0]
        domain = sender.rsplit("@", 1)[1]
        helo = HELO.get(domain, "pc-%s.%s" % (sender.split("@")[0].replace(".", "-"), DOMAIN))
        with smtplib.SMTP(HOST, port, local_hostname=helo, timeout=60) as client:
            client.ehlo(helo)
            if port == PORT_SUBMISSION:
                client.login(sender, PASSWORD)
            try:
                refused = client.sendmail(sender, recipients,
                                          message_bytes(number, sender, recipients, header, clock_offset),
                                          mail_options=["BODY=8BITMIME"])
            except smtplib.SMTPRecipientsRefused as error:
                refused = error.recipients
            expected = {r for r in recipients if r in REFUSED}
            if set(refused) != expected:
                raise SystemExit("census message %d: refused %r, expected %r" % (number, refused, expected))
        done.append({"session": session, "message": number})
        time.sleep(0.15)
    wait_for_empty_queue()
    for event in PLAN[session]:
        if event[0] == "login":
            log_in(*event[1:])
            done.append({"session": session, "login": list(event[1:])})
            time.sleep(0.1)
    wait_for_empty_queue()
    with open(run_dir + "/done.jsonl", "a", encoding="utf-8") as out:
        for item in done:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print("census: session %d (%s): %d messages, %d logins"
          % (session, session_start(session).isoformat(), sum(1 for d in done if "message" in d),
             sum(1 for d in done if "login" in d)), file=sys.stderr)


# --- the truth --------------------------------------------------------------------------------

def activity(messages, logins):
    """Per address, in the shape of Logs/captured/truth.json (DESIGN.md's definitions)."""
    people = {}

    def entry(address):
        address = address.lower()
        return people.setdefault(address, {
            "address": address, "submitted": 0, "received": 0,
            "logins": {"imap": 0, "pop3": 0, "submission": 0, "failed": 0}, "correspondents": set()})

    count = bounces = 0
    forwards = {}
    for sender, recipients, port in messages:
        pairs = finals(recipients)
        if not pairs:
            continue
        count += 1
        if port == PORT_SUBMISSION:
            entry(sender)["submitted"] += 1
        for original, target in pairs:
            if original != target:
                forwards[(original, target)] = forwards.get((original, target), 0) + 1
            if target in MAILBOXES:
                entry(target)["received"] += 1
            entry(sender)["correspondents"].add(target)
            entry(target)["correspondents"].add(sender)
        if any(t == REJECTED for _, t in pairs):
            bounces += 1
            if sender in MAILBOXES:
                entry(sender)["received"] += 1     # the notification, delivered by LMTP
    for address, protocol, good, attempts, _ in logins:
        e = entry(address)
        if good:
            e["logins"][protocol] += 1
        else:
            e["logins"]["failed"] += attempts
    return {"addresses": with_correspondent_counts(people), "messages": count, "bounce_notifications": bounces,
            "forwards": [{"original": o, "recipient": r, "messages": n} for (o, r), n in sorted(forwards.items())]}


def truth(run_dir, truth_path, scenario_path):
    done = []
    with open(run_dir + "/done.jsonl", encoding="utf-8") as source:
        done = [json.loads(line) for line in source]
    planned_mail = [{"session": s, "message": n} for n, s, _ in numbered()]
    planned_logins = [{"session": s, "login": list(e[1:])} for s, events in enumerate(PLAN)
                      for e in events if e[0] == "login"]
    if [d for d in done if "message" in d] != planned_mail or [d for d in done if "login" in d] != planned_logins:
        raise SystemExit("census.py: the sessions done differ from the plan (%d of %d messages, %d of %d logins)"
                         % (sum(1 for d in done if "message" in d), len(planned_mail),
                            sum(1 for d in done if "login" in d), len(planned_logins)))
    mails = [(n, s, e) for n, s, e in numbered()]
    logins = [e[1:] for events in PLAN for e in events if e[0] == "login"]
    result = activity([(e[1], e[2], e[3]) for _, _, e in mails], logins)

    # Per webmail address: what passed between it and official addresses.
    usage = {}

    def use(address):
        return usage.setdefault(address, {"to_official": 0, "from_official": 0, "names": set(),
                                          "self": False, "forwarded": 0, "bare": 0})
    for n, s, (_, sender, recipients, port, writer, note) in mails:
        pairs = finals(recipients)
        if not pairs:
            continue
        header, display = sender_header(sender, writer)
        targets = [t for _, t in pairs]
        if kind(sender) == "webmail" and any(kind(t) == "official" for t in targets):
            u = use(sender)
            u["to_official"] += 1
            if display:
                u["names"].add(display)
            owner = WEBMAIL.get(sender, {}).get("owner")
            if owner and off(owner) in targets:
                u["self"] = True
        if kind(sender) == "official":
            for original, target in pairs:
                if kind(target) != "webmail":
                    continue
                u = use(target)
                if original == target:
                    u["from_official"] += 1
                    owner = WEBMAIL.get(target, {}).get("owner")
                    if owner and off(owner) == sender:
                        u["self"] = True
                else:
                    u["forwarded"] += 1
        elif kind(sender) == "webmail":
            for original, target in pairs:
                if kind(target) == "webmail" and original != target:
                    use(target)["forwarded"] += 1
    submitted = {e["address"] for e in result["addresses"] if e["submitted"]}
    logged_in = {e["address"] for e in result["addresses"]
                 if e["logins"]["imap"] + e["logins"]["pop3"] + e["logins"]["submission"]}
    staff, counts = [], {}
    for p in P:
        used = []
        for address, w in WEBMAIL.items():
            if w["owner"] != p["id"] or address not in usage:
                continue
            u = usage[address]
            used.append({"address": address, "declared": address in p["declared"],
                         "display_name_logged": bool(u["names"]), "display_names": sorted(u["names"]),
                         "attributable": True, "messages_to_official": u["to_official"],
                         "messages_from_official": u["from_official"], "forwarded_messages": u["forwarded"],
                         "self_mail": u["self"]})
        for address, writers in SHARED_WEBMAIL.items():
            if p["id"] in writers and address in usage:
                used.append({"address": address, "declared": address in p["declared"],
                             "display_name_logged": True, "display_names": [p["name"]], "attributable": False,
                             "messages_to_official": None, "messages_from_official": None,
                             "forwarded_messages": 0, "self_mail": False})
        active = p["official"] in submitted or p["official"] in logged_in
        signal = any(u["attributable"] for u in used)
        if p["status"] != "active":
            category = None
        elif active:
            category = "mixed" if signal else "official"
        elif signal:
            category = "webmail"
        else:
            category = "dormant" if p["account"] or p["forward"] else "no-account"
        if category != ROLE_CATEGORY[p["role"]]:
            raise SystemExit("census.py: plan error: %s %s came out %s, meant %s"
                             % (p["id"], p["name"], category, ROLE_CATEGORY[p["role"]]))
        counts[category or "left"] = counts.get(category or "left", 0) + 1
        staff.append({"employee_id": p["id"], "full_name": p["name"], "department_code": p["dept"],
                      "status": p["status"], "official_address": p["official"] or None,
                      "account": p["account"], "forwards": bool(p["forward"]),
                      "official_active": active, "webmail_signal": signal, "category": category,
                      "webmail_used": sorted(used, key=lambda u: u["address"]),
                      "declared_unused": [a for a in p["declared"] if a not in usage]})
    never = []
    for address, writers in SHARED_WEBMAIL.items():
        never.append({"address": address, "used_by": sorted(writers),
                      "display_names": sorted(BY_ID[w]["name"] for w in writers),
                      "reason": "shared by two members of staff (different From names): nobody's alone"})
    for address, o in OUTSIDERS.items():
        never.append({"address": address, "used_by": [], "display_names": [o["name"]] if o["name"] else [],
                      "reason": o["reason"]})
    # The From headers as sent, per envelope sender, for check.py.
    headers = {}
    for n, s, (_, sender, recipients, port, writer, note) in mails:
        if finals(recipients):
            key = (sender, sender_header(sender, writer)[0], sender_header(sender, writer)[1])
            headers[key] = headers.get(key, 0) + 1
    per_day = {}
    for n, s, (_, sender, recipients, port, writer, note) in mails:
        if finals(recipients):
            day = session_start(s).date().isoformat()
            per_day[day] = per_day.get(day, 0) + 1
    result.update({
        "period": {"from": session_start(0).date().isoformat(), "until": session_start(2 * DAYS - 1).date().isoformat(),
                   "utc_offset": "+07:00"},
        "categories": dict(sorted(counts.items())),
        "staff": staff,
        "not_attributable": never,
        "from_headers": [{"envelope_sender": a, "header": h, "display_name": d, "messages": c}
                         for (a, h, d), c in sorted(headers.items())],
        "messages_per_day": dict(sorted(per_day.items())),
    })
    with open(truth_path, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=1, ensure_ascii=False)
        out.write("\n")
    with open(scenario_path, "w", encoding="utf-8") as out:
        out.write(describe(result))


def describe(result):
    staff = result["staff"]
    used = [u for p in staff for u in p["webmail_used"] if u["attributable"]]
    lines = ["Categories (active staff; DESIGN.md's definitions over the five days): " +
             ", ".join("%s %d" % (k, v) for k, v in result["categories"].items()) + ".",
             "",
             "Webmail addresses really used by staff and attributable: %d (%d declared in the roster, %d undeclared; "
             "%d with a display name logged, %d without).  Messages: %d accepted, %d bounce notification(s)."
             % (len(used), sum(u["declared"] for u in used), sum(not u["declared"] for u in used),
                sum(u["display_name_logged"] for u in used), sum(not u["display_name_logged"] for u in used),
                result["messages"], result["bounce_notifications"]),
             "",
             "| id | name | dept | official address | category | webmail used (declared? / From name logged? / self-mail?) |",
             "|---|---|---|---|---|---|"]
    for p in staff:
        webmail = "; ".join("`%s` (%s / %s / %s)%s" % (
            u["address"], "declared" if u["declared"] else "undeclared",
            ("name: " + ", ".join(u["display_names"])) if u["display_name_logged"] else "no name",
            "self" if u["self_mail"] else "-", "" if u["attributable"] else " **not attributable**")
            for u in p["webmail_used"])
        if p["forwards"]:
            webmail = (webmail + "; " if webmail else "") + "official address forwards to Gmail"
        lines.append("| %s | %s | %s | %s | %s | %s |" % (
            p["employee_id"], p["full_name"], p["department_code"], p["official_address"] or "—",
            p["category"] or "left (not counted)", webmail or ""))
    lines += ["", "Addresses to be tied to nobody:", ""]
    for item in result["not_attributable"]:
        lines.append("- `%s`: %s" % (item["address"], item["reason"]))
    lines += ["", "Sessions (Asia/Ho_Chi_Minh time; each one a restart of rsyslog, Postfix and Dovecot under "
              "faketime): " + ", ".join(session_start(s).strftime("%a %d %b %H:%M") for s in range(2 * DAYS)) + ".",
              "", "Scripted messages (the routine ones between colleagues are left out):", "",
              "| # | session start | from | to (envelope) | note |", "|---|---|---|---|---|"]
    for n, s, (_, sender, recipients, port, writer, note) in numbered():
        if note is not None:
            lines.append("| %d | %s | %s | %s | %s |" % (n, session_start(s).strftime("%d/%m %H:%M"), sender,
                                                       ", ".join(recipients), note))
    return "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    if len(args) == 4 and args[0] == "setup":
        setup(*args[1:])
    elif args == ["sessions"]:
        for s in range(2 * DAYS):
            start = session_start(s)
            print(s, int(start.timestamp()), start.isoformat())
    elif len(args) == 4 and args[0] == "session":
        run_session(int(args[1]), int(args[2]), args[3])
    elif len(args) == 4 and args[0] == "truth":
        truth(*args[1:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
