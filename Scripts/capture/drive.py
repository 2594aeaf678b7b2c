#!/usr/bin/env python3
"""The scripted province of the capture, and the truth of what it did (standard library only).

    drive.py setup RUN_DIR POSTFIX_DIR
        Writes what the servers need to know about the province: Dovecot's passwd-file
        (RUN_DIR/users), Postfix's virtual mailbox, alias and transport maps
        (POSTFIX_DIR/mailcensus-{mailboxes,virtual,transport}) and the sink's arguments
        (RUN_DIR/sink-args, one a line).

    drive.py run TRUTH_JSON SCENARIO_MD
        Sends the messages and makes the logins below against Postfix and Dovecot on
        127.0.0.1, waits until Postfix's queue is empty, and writes the truth (TRUTH_JSON) and a
        description of the scenario (SCENARIO_MD, for the README).

The truth is computed from this script's own bookkeeping, by the definitions of
shared/DESIGN.md, never by reading the logs.
"""

import base64
import imaplib
import json
import poplib
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate

HOST = "127.0.0.1"
DOMAIN = "namdinh.gov.vn"
SUBDOMAIN = "stttt." + DOMAIN
PASSWORD = "Pr0vince-Test"
WRONG_PASSWORD = "wrong-password"
SINK = "smtp:[127.0.0.1]:2525"
PORT_MTA, PORT_SUBMISSION, PORT_DOVECOT_SUBMISSION = 25, 587, 1587

# The webmail list of DESIGN.md ("Public webmail address").
WEBMAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.vn", "ymail.com", "rocketmail.com",
    "hotmail.com", "outlook.com", "live.com", "msn.com", "icloud.com", "me.com", "aol.com",
    "zoho.com", "yandex.com", "proton.me", "protonmail.com", "gmx.com", "vnn.vn", "fpt.vn",
}


def official(local, domain=DOMAIN):
    return "%s@%s" % (local, domain)


ANNV, BINHTT, CUONGPQ, DUNGLT = (official(u) for u in ("annv", "binhtt", "cuongpq", "dunglt"))
HOANX, LANPT, MINHVQ, NGOCBT = (official(u) for u in ("hoanx", "lanpt", "minhvq", "ngocbt"))
THUHN = official("thuhn", SUBDOMAIN)
MAILBOXES = [ANNV, BINHTT, CUONGPQ, DUNGLT, HOANX, LANPT, MINHVQ, NGOCBT, THUHN]

VANPHONG = official("vanphong")      # the office's address: an alias for two mailboxes
CHUYENTIEP = official("chuyentiep")  # an official alias that only forwards to Gmail
ALIASES = {
    VANPHONG: [ANNV, BINHTT],
    CHUYENTIEP: ["hoanx.personal@gmail.com"],
    # minhvq keeps a copy and forwards everything to his Gmail, as many staff do
    MINHVQ: [MINHVQ, "minhvq.nd@gmail.com"],
}
TRANSPORT = {domain: SINK for domain in ("gmail.com", "yahoo.com", "yahoo.com.vn", "example.com")}

DEFER_ONCE = "tranghoang@yahoo.com.vn"     # the sink answers 451 the first time, 250 after
REJECTED = "khongtontai@example.com"       # the sink answers 550: Postfix bounces, notifies
NO_ACCOUNT = official("thanhvt")            # not a mailbox: Postfix refuses it at RCPT
LEAVER = official("tuyenld")                # no account any more: his logins fail

# (envelope sender, envelope recipients, port). Port 587 is Postfix's submission service with
# SASL (so "submitted"), port 25 the MX side where the outside world's mail comes in.
MESSAGES = [
    (ANNV, [BINHTT], PORT_SUBMISSION),
    (ANNV, ["friend.an@gmail.com", CUONGPQ], PORT_SUBMISSION),
    (BINHTT, ["partner@example.com"], PORT_SUBMISSION),
    (CUONGPQ, [VANPHONG], PORT_SUBMISSION),
    (DUNGLT, ["boss.dung@yahoo.com"], PORT_SUBMISSION),
    (THUHN, [ANNV], PORT_SUBMISSION),
    (HOANX, [DEFER_ONCE], PORT_SUBMISSION),
    (LANPT, ["partner@example.com", REJECTED], PORT_SUBMISSION),
    (ANNV, [THUHN, NGOCBT], PORT_SUBMISSION),
    (NGOCBT, [CUONGPQ, HOANX, DUNGLT], PORT_SUBMISSION),
    (LANPT, [MINHVQ], PORT_SUBMISSION),
    ("friend.an@gmail.com", [ANNV], PORT_MTA),
    ("boss.dung@yahoo.com", [DUNGLT, MINHVQ], PORT_MTA),
    ("news@example.com", [NGOCBT, NO_ACCOUNT], PORT_MTA),   # accepted for ngocbt only
    ("someone@gmail.com", [CHUYENTIEP], PORT_MTA),
    ("partner@example.com", [VANPHONG], PORT_MTA),
    (DEFER_ONCE, [HOANX], PORT_MTA),
    ("marketing@example.com", [NO_ACCOUNT], PORT_MTA),      # refused whole: no message
]

# The From header of each sender's messages, as sent (the others write only their address).
# Postfix logs it (header_checks: /^From:/ INFO). This server has smtputf8_enable = no, so
# Postfix logs each byte of a raw UTF-8 name as "?"; encoded words are logged as they are.
FROM_HEADERS = {
    ANNV: '"Nguyễn Văn An" <%s>' % ANNV,
    BINHTT: "=?UTF-8?B?%s?= <%s>" % (base64.b64encode("Trần Thị Bình".encode()).decode(), BINHTT),
    THUHN: '"Hoang Ngoc Thu" <%s>' % THUHN,
    "friend.an@gmail.com": "=?UTF-8?Q?Nguy=E1=BB=85n_An?= <friend.an@gmail.com>",
}


def from_header(sender):
    return FROM_HEADERS.get(sender, sender)


# (address, protocol, password right?, attempts, how the client leaves)
# protocol: imap, pop3, submission (Dovecot's submission-login on 1587), smtp-auth (Postfix's
# own SASL on 587: Postfix logs a failure without any user name, so it counts for nobody),
# probe (an IMAP connection that logs out without trying to log in).
LOGINS = [
    (ANNV, "imap", True, 1, "logout"),
    (ANNV, "imap", True, 1, "logout"),
    (BINHTT, "imap", True, 1, "logout"),
    (BINHTT, "pop3", True, 1, "logout"),
    (CUONGPQ, "pop3", True, 1, "logout"),
    (THUHN, "imap", True, 1, "logout"),
    (DUNGLT, "imap", False, 1, "logout"),
    (DUNGLT, "imap", True, 1, "logout"),
    (MINHVQ, "imap", False, 2, "logout"),
    (HOANX, "imap", False, 1, "close"),
    (LANPT, "pop3", False, 1, "logout"),
    (LEAVER, "pop3", False, 1, "close"),
    (NGOCBT, "submission", True, 1, "logout"),
    (NGOCBT, "submission", False, 1, "logout"),
    (CUONGPQ, "smtp-auth", False, 1, "logout"),
    (None, "probe", False, 0, "logout"),
]


def kind(address):
    domain = address.rsplit("@", 1)[1].lower()
    if domain == DOMAIN or domain.endswith("." + DOMAIN):
        return "official"
    if domain in WEBMAIL_DOMAINS or domain.endswith(".vnn.vn"):
        return "webmail"
    return "other"


def final_recipients(recipients):
    """The recipients Postfix accepts, after virtual alias expansion (once per address)."""
    final = []
    for recipient in recipients:
        if recipient == NO_ACCOUNT:
            continue
        for target in ALIASES.get(recipient, [recipient]):
            if target not in final:
                final.append(target)
    return final


def accepted(recipients):
    return [r for r in recipients if r != NO_ACCOUNT]


# --- setup ----------------------------------------------------------------------------------

def write_server_maps(run_dir, postfix_dir, mailboxes, aliases, transport, defer_once, rejected):
    """Dovecot's passwd-file, Postfix's mailbox, alias and transport maps, the sink's arguments."""
    scheme_hash = subprocess.run(["doveadm", "pw", "-s", "SHA512-CRYPT", "-p", PASSWORD],
                                 check=True, capture_output=True, text=True).stdout.strip()
    with open(run_dir + "/users", "w") as out:
        for mailbox in mailboxes:
            out.write("%s:%s\n" % (mailbox, scheme_hash))
    with open(postfix_dir + "/mailcensus-mailboxes", "w") as out:
        for mailbox in mailboxes:
            out.write("%s OK\n" % mailbox)
    with open(postfix_dir + "/mailcensus-virtual", "w") as out:
        for alias, targets in aliases.items():
            out.write("%s %s\n" % (alias, ", ".join(targets)))
    with open(postfix_dir + "/mailcensus-transport", "w") as out:
        for domain, route in transport.items():
            out.write("%s %s\n" % (domain, route))
    with open(run_dir + "/sink-args", "w") as out:
        out.write("--defer-once\n%s\n--reject\n%s\n" % (defer_once, rejected))


def with_correspondent_counts(people):
    """Each address's entry, sorted, its set of correspondents replaced by counts per class."""
    addresses = []
    for address in sorted(people):
        entry = people[address]
        counts = {"official": 0, "webmail": 0, "other": 0}
        for other in entry["correspondents"]:
            counts[kind(other)] += 1
        entry["correspondents"] = counts
        addresses.append(entry)
    return addresses


def setup(run_dir, postfix_dir):
    write_server_maps(run_dir, postfix_dir, MAILBOXES, ALIASES, TRANSPORT, DEFER_ONCE, REJECTED)


# --- the scenario ---------------------------------------------------------------------------

def send_all():
    for number, (sender, recipients, port) in enumerate(MESSAGES, 1):
        message = EmailMessage()
        message["To"] = ", ".join(recipients)
        message["Subject"] = "Báo cáo số %d" % number
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = "<capture-%d@%s>" % (number, sender.rsplit("@", 1)[1])
        message.set_content("Kính gửi anh chị,\n\nđây là thư thử số %d của tỉnh.\n" % number)
        with smtplib.SMTP(HOST, port, local_hostname="client.test", timeout=60) as client:
            client.ehlo("client.test")
            if port == PORT_SUBMISSION:
                client.login(sender, PASSWORD)
            data = b"From: " + from_header(sender).encode() + b"\r\n" + message.as_bytes(policy=SMTP_POLICY)
            try:
                refused = client.sendmail(sender, recipients, data)
            except smtplib.SMTPRecipientsRefused as error:
                refused = error.recipients
            if set(refused) != set(recipients) - set(accepted(recipients)):
                raise SystemExit("message %d: unexpected refusals %r" % (number, refused))
        time.sleep(0.3)


def log_in(address, protocol, good, attempts, leave):
    password = PASSWORD if good else WRONG_PASSWORD
    if protocol in ("imap", "probe"):
        client = imaplib.IMAP4(HOST, 143)
        for _ in range(attempts):
            try:
                client.login(address, password)
                if not good:
                    raise SystemExit("IMAP login of %s should have failed" % address)
                client.select("INBOX")
            except imaplib.IMAP4.error:
                if good:
                    raise
        if leave == "logout":
            client.logout()
        else:
            client.shutdown()
    elif protocol == "pop3":
        client = poplib.POP3(HOST, 110)
        try:
            client.user(address)
            client.pass_(password)
            if not good:
                raise SystemExit("POP3 login of %s should have failed" % address)
            client.stat()
        except poplib.error_proto:
            if good:
                raise
        if leave == "logout":
            client.quit()
        else:
            client.close()
    elif protocol in ("submission", "smtp-auth"):
        port = PORT_DOVECOT_SUBMISSION if protocol == "submission" else PORT_SUBMISSION
        with smtplib.SMTP(HOST, port, local_hostname="client.test", timeout=60) as client:
            client.ehlo("client.test")
            # One AUTH PLAIN exactly: smtplib's login() would try LOGIN too after a failure,
            # which the server counts as a second attempt.
            client.user, client.password = address, password
            try:
                client.auth("PLAIN", client.auth_plain)
                if not good:
                    raise SystemExit("SMTP AUTH of %s should have failed" % address)
            except smtplib.SMTPAuthenticationError:
                if good:
                    raise
    else:
        raise ValueError(protocol)


def wait_for_empty_queue(deadline=180):
    start = time.time()
    queue = ""
    while time.time() - start < deadline:
        time.sleep(2)
        queue = subprocess.run(["postqueue", "-p"], capture_output=True, text=True).stdout
        if "Mail queue is empty" in queue:
            return
        subprocess.run(["postqueue", "-f"], check=False)
    raise SystemExit("the mail queue did not empty within %d s:\n%s" % (deadline, queue))


# --- the truth ------------------------------------------------------------------------------

def truth():
    people = {}

    def person(address):
        address = address.lower()
        return people.setdefault(address, {
            "address": address, "submitted": 0, "received": 0,
            "logins": {"imap": 0, "pop3": 0, "submission": 0, "failed": 0},
            "correspondents": set()})

    messages = bounces = 0
    forwards = {}
    for sender, recipients, port in MESSAGES:
        final = final_recipients(recipients)
        if final:
            # An alias or forward: mail for the alias went on to each of its targets.
            for recipient in accepted(recipients):
                for target in ALIASES.get(recipient, []):
                    if target != recipient:
                        forwards[(recipient, target)] = forwards.get((recipient, target), 0) + 1
        if not final:
            continue                      # refused at RCPT: never a message
        messages += 1
        if port == PORT_SUBMISSION:
            person(sender)["submitted"] += 1
        for recipient in final:
            if recipient in MAILBOXES:
                person(recipient)["received"] += 1
            person(sender)["correspondents"].add(recipient.lower())
            person(recipient)["correspondents"].add(sender.lower())
        if REJECTED in final:
            # Postfix's notification goes back to the sender (from=<>): counted apart, and no
            # correspondence. Its sender is official, so it is delivered into his mailbox by
            # LMTP (not through the sink): a delivery, so "received" (DESIGN.md).
            bounces += 1
            if sender in MAILBOXES:
                person(sender)["received"] += 1
    for address, protocol, good, attempts, _ in LOGINS:
        if protocol in ("probe", "smtp-auth"):
            continue                      # no Dovecot line with a user: counts for nobody
        entry = person(address)
        if good:
            entry["logins"][protocol] += 1
        else:
            entry["logins"]["failed"] += attempts
    headers = {}
    for sender, recipients, port in MESSAGES:
        if final_recipients(recipients):
            key = (sender, from_header(sender))
            headers[key] = headers.get(key, 0) + 1
    return {"addresses": with_correspondent_counts(people), "messages": messages, "bounce_notifications": bounces,
            "forwards": [{"original": o, "recipient": r, "messages": n} for (o, r), n in sorted(forwards.items())],
            "from_headers": [{"envelope_sender": a, "header": h, "messages": n} for (a, h), n in sorted(headers.items())]}


def describe():
    lines = ["| # | from | to (envelope) | port | final recipients |", "|---|---|---|---|---|"]
    for number, (sender, recipients, port) in enumerate(MESSAGES, 1):
        final = final_recipients(recipients)
        notes = []
        if DEFER_ONCE in final:
            notes.append("`%s` deferred once (451), then delivered" % DEFER_ONCE)
        if REJECTED in final:
            notes.append("`%s` refused (550): bounce, notification to the sender" % REJECTED)
        if NO_ACCOUNT in recipients:
            notes.append("`%s` refused at RCPT (no mailbox)" % NO_ACCOUNT)
        lines.append("| %d | %s | %s | %d | %s |" % (
            number, sender, ", ".join(recipients), port,
            (", ".join(final) or "none: no message") + ("; " + "; ".join(notes) if notes else "")))
    lines += ["", "| address | protocol | password | attempts | leaves by |", "|---|---|---|---|---|"]
    for address, protocol, good, attempts, leave in LOGINS:
        lines.append("| %s | %s | %s | %d | %s |" % (
            address or "(none)", protocol, "right" if good else "wrong", attempts,
            "LOGOUT/QUIT" if leave == "logout" else "closing the connection"))
    return "\n".join(lines) + "\n"


def run(truth_path, scenario_path):
    send_all()
    wait_for_empty_queue()
    for login in LOGINS:
        log_in(*login)
        time.sleep(0.3)
    wait_for_empty_queue()
    with open(truth_path, "w", encoding="utf-8") as out:
        json.dump(truth(), out, indent=1, ensure_ascii=False)
        out.write("\n")
    with open(scenario_path, "w", encoding="utf-8") as out:
        out.write(describe())


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "setup":
        setup(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "run":
        run(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
