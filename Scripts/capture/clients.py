#!/usr/bin/env python3
"""The clients scenario of the capture: how staff reach their official mailbox (webmail through
a real Roundcube, desktop and phone IMAP clients that send the ID command, POP3), with the truth
of who used which class of client (standard library only).

    clients.py setup RUN_DIR POSTFIX_DIR OUT_DIR
        Writes Dovecot's passwd-file (RUN_DIR/users), Postfix's maps, the sink's arguments
        (RUN_DIR/sink-args) and HR's roster (OUT_DIR/roster.csv).

    clients.py sessions
        Prints one line per simulated working session: "NUMBER EPOCH ISO-START" (the capture
        script starts the servers and Roundcube under faketime at EPOCH for each).

    clients.py session NUMBER CLOCK_OFFSET RUN_DIR
        Makes that session's logins: over HTTP into Roundcube (127.0.0.1:8080), by IMAP with the
        ID command of the client each person uses, by POP3; appends what was done, with the
        (moved) clock of each login, to RUN_DIR/done.jsonl.

    clients.py truth RUN_DIR TRUTH_JSON SCENARIO_MD
        Checks that every session was done as planned and writes the truth (from this script's
        own bookkeeping, never from the logs) and a description for the README.

Every login leaves from an address of its own on the loopback network, as from a different
machine: desktops from 127.0.10.N, phones from 127.0.20.N, browsers from 127.0.30.N (N: the
person's number); Roundcube itself talks to Dovecot from 127.0.0.1, the webmail host.
"""

import csv
import datetime
import http.client
import imaplib
import json
import os
import poplib
import re
import smtplib
import socket
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from drive import HOST, PASSWORD, PORT_MTA, SINK, wait_for_empty_queue, write_server_maps  # noqa: E402

DOMAIN = "namdinh.gov.vn"
VN = datetime.timezone(datetime.timedelta(hours=7))
WRONG_PASSWORD = "wrong-password"
WEBMAIL_PORT = 8080
WEBMAIL_HOST = "127.0.0.1"
# Monday 30 November to Wednesday 2 December 2026, one working session a day (Vietnam's time).
SESSIONS = [datetime.datetime(2026, 11, 30, 8, 10, tzinfo=VN), datetime.datetime(2026, 12, 1, 8, 15, tzinfo=VN),
            datetime.datetime(2026, 12, 2, 9, 5, tzinfo=VN)]

# --- what real clients send in the IMAP ID command (RFC 2971) ----------------------------------
# (class, when it is sent: "before" or "after" the login, the ID list as the client sends it).
# Sources: see Logs/captured-clients/README.md ("What the clients send").
CLIENTS = {
    "thunderbird": ("desktop", "after", [("name", "Thunderbird"), ("version", "128.5.1")]),
    "apple-mail-mac": ("desktop", "before", [
        ("name", "Mac OS X Mail"), ("version", "16.0 (3826.300.87.2.22)"), ("os", "Mac OS X"),
        ("os-version", "15.2 (24C101)"), ("vendor", "Apple Inc.")]),
    "outlook-windows": ("desktop", "after", [("name", "Microsoft Outlook"), ("version", "16.0")]),
    "iphone-mail": ("phone", "after", [
        ("name", "iPhone Mail"), ("version", "21F90"), ("os", "iOS"), ("os-version", "17.5.1 (21F90)")]),
    "ios-maild": ("phone", "after", [
        ("name", "com.apple.email.maild"), ("version", "3826.300.87.2.22"), ("os", "iOS"),
        ("os-version", "18.2.1 (22C161)"), ("vendor", "Apple Inc"), ("event", None)]),
    "gmail-android": ("phone", "after", [
        ("name", "com.google.android.gm"), ("os", "android"), ("os-version", "14; UP1A.231005.007"),
        ("vendor", "samsung"), ("x-android-device-model", "SM-A546E"), ("AGUID", "kq3Cg5RzKQy0CqXYDm1n3w5SGcY=")]),
    "samsung-email": ("phone", "after", [
        ("name", "com.samsung.android.email.provider"), ("os", "android"), ("os-version", "13; TP1A.220624.014"),
        ("vendor", "samsung"), ("x-android-device-model", "SM-A325F"), ("AGUID", "t2bX1aLr9c0kqWm8p3ZsXh5eJqE=")]),
    "k9": ("phone", "after", [("name", "K-9 Mail"), ("version", "6.802")]),
    "thunderbird-android": ("phone", "after", [("name", "Thunderbird for Android"), ("version", "9.0")]),
    "imapsync": ("other", "after", [("name", "imapsync"), ("version", "2.229"), ("os", "linux")]),
    "no-id": ("unknown", None, None),
    # Bad input, as a broken or hostile client may send it: Dovecot logs what it keeps of it.
    "long-name": ("other", "after", [("name", "X" * 10000), ("version", "1.0")]),
    "bad-utf8": ("other", "after", [("name", b"Mail \xff\xfe Pro"), ("version", "2.0")]),
    "quotes": ("other", "after", [("name", 'Mail "Pro'), ("version", '3.0 "beta')]),
}
CLASSES = ["webmail", "desktop", "phone", "pop3", "other", "unknown"]

# --- the province ---------------------------------------------------------------------------
DEPARTMENTS = [
    ("VPUBND", "Văn phòng UBND tỉnh", "province"),
    ("SNV", "Sở Nội vụ", "province"),
    ("XMYTHANH", "UBND xã Mỹ Thành", "commune"),
]
DEPARTMENT = {d[0]: d for d in DEPARTMENTS}
P = []


def person(eid, name, dept, position, local, uses, start=""):
    """uses: per session (0, 1, 2), a list of (channel, client, right password?); channel is
    webmail, imap or pop3, client a key of CLIENTS (imap) or None."""
    P.append(dict(id=eid, number=len(P) + 1, name=name, dept=dept, position=position,
                  official="%s@%s" % (local, DOMAIN) if local else "", uses=uses, start=start))


W, I, POP = "webmail", "imap", "pop3"
every = lambda *events: {0: list(events), 1: list(events), 2: list(events)}  # noqa: E731

person("ND101", "Trần Thu Hạnh", "VPUBND", "Chánh Văn phòng", "hanhtt",
       {0: [(I, "outlook-windows", True), (I, "iphone-mail", True)], 1: [(I, "outlook-windows", True)],
        2: [(I, "iphone-mail", True), (W, None, True)]}, "12/03/2004")
person("ND102", "Đỗ Quang Thắng", "VPUBND", "Phó Chánh Văn phòng", "thangdq",
       {0: [(W, None, True)], 2: [(I, "ios-maild", True)]}, "01/08/2006")
person("ND103", "Nguyễn Văn An", "VPUBND", "Chuyên viên", "annv", every((W, None, True)), "15/09/2015")
person("ND104", "Vũ Thị Mai", "VPUBND", "Chuyên viên", "maivt",
       {0: [(I, "thunderbird", True)], 1: [(I, "thunderbird", True), (I, "k9", True)]}, "2019-02-11")
person("ND105", "Lê Văn Hòa", "VPUBND", "Trưởng phòng", "hoalv", every((POP, None, True)), "04/03/1998")
person("ND106", "Phạm Thị Lan", "VPUBND", "Chuyên viên", "lanpt",
       {0: [(W, None, False), (W, None, False)], 1: [(W, None, False)]}, "20/04/2013")
person("ND107", "Hoàng Văn Thuận", "VPUBND", "Chuyên viên", "thuanhv", {}, "23/12/2015")
person("ND108", "Mai Văn Tài", "VPUBND", "Chuyên viên", "taimv",
       {1: [(I, "gmail-android", True)], 2: [(I, "gmail-android", True)]})
person("ND109", "Đỗ Thị Ánh Trang", "VPUBND", "Văn thư", "trangdta",
       {0: [(W, None, False), (W, None, True)], 2: [(POP, None, True)]}, "23/10/2024")

person("ND201", "Trần Thị Hiền", "SNV", "Giám đốc", "hientt",
       {0: [(I, "apple-mail-mac", True)], 1: [(I, "ios-maild", True)], 2: [(I, "apple-mail-mac", True)]}, "01/06/2001")
person("ND202", "Nguyễn Thị Hương", "SNV", "Trưởng phòng", "huongnt",
       {0: [(I, "samsung-email", True)], 1: [(W, None, True)], 2: [(I, "samsung-email", True)]}, "10/10/2005")
person("ND203", "Nguyễn Thị Hương", "SNV", "Chuyên viên", "huongnt2", every((W, None, True)), "03/03/2020")
person("ND204", "Phạm Văn Hùng", "SNV", "Phó Giám đốc", "hungpv",
       {0: [(I, "thunderbird-android", True)], 2: [(I, "thunderbird", True)]}, "14/07/2003")
person("ND205", "Nguyễn Thị Phương Thảo", "SNV", "Trưởng phòng", "thaontp",
       {1: [(I, "iphone-mail", False), (I, "iphone-mail", False)], 2: [(I, "iphone-mail", False)]}, "2010-05-17")
person("ND206", "Đặng Minh Hằng", "SNV", "Chuyên viên", "hangdm", {0: [(I, "no-id", True)], 2: [(I, "no-id", True)]},
       "01/09/2016")
person("ND207", "Lý Thị Ngọc", "SNV", "Chuyên viên", "ngoclt", {1: [(POP, None, False)]}, "18/03/2017")
person("ND208", "Vương Thị Yến", "SNV", "Chuyên viên", "yenvt",
       {0: [(POP, None, True)], 1: [(W, None, True), (I, "iphone-mail", True)]}, "09/02/2012")
person("ND209", "Đoàn Văn Sơn", "SNV", "Kỹ sư", "sondv",
       {0: [(I, "imapsync", True), (I, "long-name", True)], 1: [(I, "bad-utf8", True), (I, "quotes", True)],
        2: [(I, "thunderbird", True)]}, "21/02/2017")

person("ND601", "Nguyễn Văn Bảo", "XMYTHANH", "Chủ tịch UBND xã", "baonv",
       {0: [(W, None, True)], 2: [(W, None, True), (I, "gmail-android", True)]}, "01/07/2021")
person("ND602", "Trần Văn Cường", "XMYTHANH", "Phó Chủ tịch UBND xã", "cuongtv", {}, "01/07/2021")
person("ND603", "Lã Thị Hồng", "XMYTHANH", "Công chức Văn phòng - Thống kê", "honglt",
       every((POP, None, True)), "15/03/2018")
person("ND604", "Phạm Văn Chiến", "XMYTHANH", "Công chức Địa chính - Xây dựng", "chienpv",
       {1: [(W, None, False), (W, None, False), (W, None, True)]})
person("ND605", "Đỗ Văn Tiến", "XMYTHANH", "Công chức Tư pháp - Hộ tịch", "tiendv",
       {0: [(I, "k9", True)], 1: [(I, "samsung-email", True)], 2: [(W, None, True)]}, "01/02/2023")
person("ND606", "Ngô Thị Tâm", "XMYTHANH", "Công chức Văn hóa - Xã hội", "tamnt",
       {2: [(I, "outlook-windows", False), (POP, None, False)]})
person("ND607", "Vũ Đình Khánh", "XMYTHANH", "Chỉ huy trưởng Quân sự", "", {})

BY_ADDRESS = {p["official"]: p for p in P if p["official"]}
MAILBOXES = [p["official"] for p in P if p["official"]]
# Webmail users behind the province's reverse proxy: Roundcube logs the X-Forwarded-For header.
PROXIED = {"hanhtt@" + DOMAIN, "baonv@" + DOMAIN}


def plan():
    """[session] = list of (address, channel, client, right password?) in order."""
    sessions = []
    for s in range(len(SESSIONS)):
        events = []
        for p in P:
            for channel, client, good in p["uses"].get(s, []):
                events.append((p["official"], channel, client, good))
        sessions.append(events)
    return sessions


PLAN = plan()


def ip(p, channel, client):
    if channel == W:
        return "127.0.30.%d" % p["number"]
    if channel == I and CLIENTS[client][0] == "phone":
        return "127.0.20.%d" % p["number"]
    return "127.0.10.%d" % p["number"]


def login_class(channel, client):
    if channel == W:
        return "webmail"
    if channel == POP:
        return "pop3"
    return CLIENTS[client][0]


# --- setup ------------------------------------------------------------------------------------

def setup(run_dir, postfix_dir, out_dir):
    write_server_maps(run_dir, postfix_dir, MAILBOXES, {}, {"gmail.com": SINK}, "nobody@gmail.com",
                      "nobody.either@gmail.com")
    os.makedirs(out_dir, exist_ok=True)
    with open(out_dir + "/roster.csv", "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["employee_id", "full_name", "department_code", "department_name", "level", "position",
                         "official_address", "personal_addresses", "status", "start_date", "end_date"])
        for p in P:
            d = DEPARTMENT[p["dept"]]
            writer.writerow([p["id"], p["name"], d[0], d[1], d[2], p["position"], p["official"], "", "active",
                             p["start"], ""])


# --- IMAP and POP3 from a given address ----------------------------------------------------------

class IMAPFrom(imaplib.IMAP4):
    def __init__(self, source, host, port):
        self.source = source
        super().__init__(host, port)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout or 30, source_address=(self.source, 0))


class POP3From(poplib.POP3):
    def __init__(self, source, host, port):
        self.source = source
        super().__init__(host, port)

    def _create_socket(self, timeout):
        return socket.create_connection((self.host, self.port), timeout, source_address=(self.source, 0))


def imap_string(value):
    """An IMAP string for the ID list: quoted (with \\ and \" escaped), or a LITERAL+ literal
    for 8-bit bytes, as clients do."""
    if value is None:
        return b"NIL"
    data = value if isinstance(value, bytes) else value.encode("utf-8")
    if any(b >= 0x80 for b in data):
        return b"{%d+}\r\n" % len(data) + data
    return b'"' + data.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def send_id(client, fields):
    """Sends ID; returns whether the server answered OK (a broken client goes on either way)."""
    items = b" ".join(imap_string(k) + b" " + imap_string(v) for k, v in fields)
    tag = client._new_tag()
    client.send(tag + b" ID (" + items + b")\r\n")
    while True:
        line = client.readline()
        if line.startswith(tag + b" "):
            return line.startswith(tag + b" OK")


def imap_login(p, client_key, good):
    klass, when, fields = CLIENTS[client_key]
    client = IMAPFrom(ip(p, I, client_key), HOST, 143)
    accepted = None
    if when == "before":
        accepted = send_id(client, fields)
    try:
        client.login(p["official"], PASSWORD if good else WRONG_PASSWORD)
        if not good:
            raise SystemExit("IMAP login of %s should have failed" % p["official"])
        if when == "after":
            accepted = send_id(client, fields)
        client.select("INBOX")
        client.fetch("1:*", "(FLAGS)")
    except imaplib.IMAP4.error:
        if good:
            raise
    client.logout()
    return accepted


def pop3_login(p, good):
    client = POP3From(ip(p, POP, None), HOST, 110)
    try:
        client.user(p["official"])
        client.pass_(PASSWORD if good else WRONG_PASSWORD)
        if not good:
            raise SystemExit("POP3 login of %s should have failed" % p["official"])
        client.stat()
    except poplib.error_proto:
        if good:
            raise
    client.quit()


# --- Roundcube over HTTP, as a browser ------------------------------------------------------------

class Browser:
    USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"

    def __init__(self, source, forwarded_for=None):
        self.source, self.forwarded_for, self.cookies = source, forwarded_for, {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(WEBMAIL_HOST, WEBMAIL_PORT, timeout=60,
                                                source_address=(self.source, 0))
        all_headers = {"User-Agent": self.USER_AGENT, "Host": "mail.%s" % DOMAIN}
        if self.cookies:
            all_headers["Cookie"] = "; ".join("%s=%s" % item for item in self.cookies.items())
        if self.forwarded_for:
            all_headers["X-Forwarded-For"] = self.forwarded_for
        all_headers.update(headers or {})
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read().decode("utf-8", "replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie = value.split(";", 1)[0]
                key, _, val = cookie.partition("=")
                if val in ("", "deleted") or "expires=Thu, 01-Jan-1970" in value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = val
        connection.close()
        return response.status, response.getheader("Location"), data

    @staticmethod
    def token(page):
        found = re.search(r'name="_token" value="([^"]+)"', page) or re.search(r'"request_token":"([^"]+)"', page)
        if not found:
            raise SystemExit("Roundcube: no request token in the page")
        return found.group(1)


def webmail_login(p, good):
    forwarded = "10.20.%d.%d" % (DEPARTMENTS.index(DEPARTMENT[p["dept"]]) + 1, p["number"]) \
        if p["official"] in PROXIED else None
    browser = Browser(ip(p, W, None), forwarded)
    status, _, page = browser.request("GET", "/?_task=login")
    if status != 200:
        raise SystemExit("Roundcube: GET /?_task=login answered %d" % status)
    form = urllib.parse.urlencode({
        "_token": browser.token(page), "_task": "login", "_action": "login", "_timezone": "Asia/Ho_Chi_Minh",
        "_url": "", "_user": p["official"], "_pass": PASSWORD if good else WRONG_PASSWORD})
    status, location, page = browser.request("POST", "/?_task=login", form,
                                             {"Content-Type": "application/x-www-form-urlencoded"})
    if not good:
        if status != 401 and not (status == 200 and "_task=login" in page):
            raise SystemExit("Roundcube: a wrong password for %s answered %d %s" % (p["official"], status, location))
        return
    if status not in (301, 302) or not location or "_task=mail" not in location:
        raise SystemExit("Roundcube: the login of %s answered %d %s" % (p["official"], status, location))
    status, _, page = browser.request("GET", location if location.startswith("/") else "/" + location.split("/", 3)[-1])
    if status != 200:
        raise SystemExit("Roundcube: the inbox of %s answered %d" % (p["official"], status))
    token = browser.token(page)
    status, _, _ = browser.request("GET", "/?_task=mail&_action=list&_mbox=INBOX&_page=1&_remote=1",
                                   headers={"X-Roundcube-Request": token, "X-Requested-With": "XMLHttpRequest"})
    if status != 200:
        raise SystemExit("Roundcube: the message list of %s answered %d" % (p["official"], status))
    browser.request("GET", "/?_task=logout&_token=" + urllib.parse.quote(token))


# --- a session ----------------------------------------------------------------------------------

def welcome_mail(clock_offset):
    """One message into every mailbox on the first day, so that there is an inbox to open."""
    when = datetime.datetime.fromtimestamp(time.time() + clock_offset, VN)
    with smtplib.SMTP(HOST, PORT_MTA, local_hostname="mail.thaibinh.gov.vn", timeout=60) as client:
        client.ehlo("mail.thaibinh.gov.vn")
        for address in MAILBOXES:
            body = ("From: vanthu@thaibinh.gov.vn\r\nTo: %s\r\nSubject: Thong bao\r\nDate: %s\r\n"
                    "Message-ID: <clients-%s>\r\n\r\nKinh gui anh chi.\r\n"
                    % (address, when.strftime("%a, %d %b %Y %H:%M:%S +0700"), address.replace("@", ".")))
            client.sendmail("vanthu@thaibinh.gov.vn", [address], body.encode())


def run_session(session, clock_offset, run_dir):
    if session == 0:
        welcome_mail(clock_offset)
        wait_for_empty_queue()
    done = []
    for address, channel, client, good in PLAN[session]:
        p = BY_ADDRESS[address]
        stamp = datetime.datetime.fromtimestamp(round(time.time() + clock_offset), VN)
        if channel == W:
            webmail_login(p, good)
        elif channel == I:
            id_accepted = imap_login(p, client, good)
        else:
            pop3_login(p, good)
        until = datetime.datetime.fromtimestamp(round(time.time() + clock_offset + 0.5), VN)
        item = {"session": session, "address": address, "channel": channel, "client": client, "good": good,
                "at": stamp.isoformat(), "until": until.isoformat()}
        if channel == I and client != "no-id" and good:
            item["id_accepted"] = id_accepted
        done.append(item)
        time.sleep(1.1)      # one login a second at most: "last login" is then unambiguous
    with open(run_dir + "/done.jsonl", "a", encoding="utf-8") as out:
        for item in done:
            out.write(json.dumps(item, ensure_ascii=False) + "\n")
    print("clients: session %d (%s): %d logins" % (session, SESSIONS[session].isoformat(), len(done)), file=sys.stderr)


# --- the truth ------------------------------------------------------------------------------------

def client_name(client):
    if client is None or CLIENTS[client][2] is None:
        return None
    name = dict(CLIENTS[client][2])["name"]
    return name.decode("utf-8", "replace") if isinstance(name, bytes) else name


def truth(run_dir, truth_path, scenario_path):
    with open(run_dir + "/done.jsonl", encoding="utf-8") as source:
        done = [json.loads(line) for line in source]
    planned = [(s, a, c, k, g) for s, events in enumerate(PLAN) for a, c, k, g in events]
    if [(d["session"], d["address"], d["channel"], d["client"], d["good"]) for d in done] != planned:
        raise SystemExit("clients.py: the sessions done differ from the plan (%d of %d logins)"
                         % (len(done), len(planned)))
    staff = []
    totals = {k: 0 for k in CLASSES}
    failed_total = 0
    for p in P:
        mine = [d for d in done if d["address"] == p["official"]] if p["official"] else []
        good = [d for d in mine if d["good"]]
        classes = {}
        for d in good:
            klass = login_class(d["channel"], d["client"])
            entry = classes.setdefault(klass, {"logins": 0, "last": None, "last_until": None, "clients": []})
            entry["logins"] += 1
            entry["last"], entry["last_until"] = d["at"], d["until"]
            name = client_name(d["client"])
            if d["channel"] == I and name is not None and name[:200] not in entry["clients"]:
                entry["clients"].append(name[:200])
        failed = {}
        for d in mine:
            if not d["good"]:
                klass = login_class(d["channel"], d["client"])
                failed[klass] = failed.get(klass, 0) + 1
        for klass in classes:
            totals[klass] += 1
        failed_total += sum(failed.values())
        staff.append({
            "employee_id": p["id"], "full_name": p["name"], "department_code": p["dept"],
            "official_address": p["official"] or None, "account": bool(p["official"]),
            "classes": sorted(classes, key=CLASSES.index),
            "per_class": {k: classes[k] for k in sorted(classes, key=CLASSES.index)},
            "failed_logins": {k: failed[k] for k in sorted(failed, key=CLASSES.index)},
            "failed_only": bool(mine) and not good,
            "last_login": good[-1]["at"] if good else None,
        })
    departments = []
    for code, name, level in DEPARTMENTS:
        members = [s for s in staff if s["department_code"] == code]
        departments.append({
            "code": code, "staff": len(members),
            "active": sum(1 for s in members if s["classes"]),
            "by_class": {k: sum(1 for s in members if k in s["classes"]) for k in CLASSES},
            "failed_only": sum(1 for s in members if s["failed_only"])})
    roundcube = [d for d in done if d["channel"] == W]
    result = {
        "period": {"first_day": SESSIONS[0].date().isoformat(), "last_day": SESSIONS[-1].date().isoformat()},
        "utc_offset": "+07:00",
        "webmail_hosts": [WEBMAIL_HOST],
        "classes": CLASSES,
        "logins": {"successful": sum(1 for d in done if d["good"]), "failed": sum(1 for d in done if not d["good"]),
                   "by_class": {k: sum(1 for d in done if d["good"] and login_class(d["channel"], d["client"]) == k)
                                for k in CLASSES}},
        "roundcube": {"successful": sum(1 for d in roundcube if d["good"]),
                      "failed": sum(1 for d in roundcube if not d["good"])},
        "staff_by_class": totals,
        "failed_only": [s["employee_id"] for s in staff if s["failed_only"]],
        "departments": departments,
        "staff": staff,
        "logins_done": done,
    }
    with open(truth_path, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=1, ensure_ascii=False)
        out.write("\n")
    with open(truth_path.replace(".json", ".csv"), "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["employee_id", "official_address", "department_code", "classes", "clients", "failed_only"]
                        + ["last_" + k for k in CLASSES])
        for s in staff:
            writer.writerow([s["employee_id"], s["official_address"] or "", s["department_code"],
                             ";".join(s["classes"]),
                             ";".join(c for k in s["per_class"] for c in s["per_class"][k]["clients"]),
                             "yes" if s["failed_only"] else "no"]
                            + [s["per_class"].get(k, {}).get("last") or "" for k in CLASSES])
    with open(scenario_path, "w", encoding="utf-8") as out:
        out.write(describe(staff))


def describe(staff):
    lines = ["| id | address | day 1 (30 Nov) | day 2 (1 Dec) | day 3 (2 Dec) | classes | failed only |",
             "|---|---|---|---|---|---|---|"]
    for p, s in zip(P, staff):
        cells = []
        for session in range(len(SESSIONS)):
            events = p["uses"].get(session, [])
            cells.append(", ".join(
                ("Roundcube" if c == W else "POP3" if c == POP else k) + ("" if g else " (wrong password)")
                for c, k, g in events) or "–")
        lines.append("| %s | %s | %s | %s | %s | %s | %s |" % (
            p["id"], p["official"] or "(no account)", cells[0], cells[1], cells[2],
            ", ".join(s["classes"]) or "–", "yes" if s["failed_only"] else ""))
    return "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    if len(args) == 4 and args[0] == "setup":
        setup(*args[1:])
    elif args == ["sessions"]:
        for number, start in enumerate(SESSIONS):
            print(number, int(start.timestamp()), start.isoformat())
    elif len(args) == 4 and args[0] == "session":
        run_session(int(args[1]), int(args[2]), args[3])
    elif len(args) == 4 and args[0] == "truth":
        truth(*args[1:])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
