#!/usr/bin/env python3
"""Drives a small scripted province through the real Postfix + Dovecot, and writes the truth.

The truth is computed from what this script does, by DESIGN.md's definitions, never by reading
the logs. Usage: drive.py TRUTH_JSON
"""

import imaplib
import json
import poplib
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage

DOMAIN = "namdinh.gov.vn"
PASSWORD = "Pr0vince-Test"
USERS = ["annv", "binhtt", "cuongpq", "dunglt", "hoanx", "lanpt", "minhvq", "ngocbt"]
ACCOUNTS = ["%s@%s" % (user, DOMAIN) for user in USERS] + ["thuhn@stttt." + DOMAIN]
ALIASES = {
    "vanphong@" + DOMAIN: ["annv@" + DOMAIN, "binhtt@" + DOMAIN],
    "chuyentiep@" + DOMAIN: ["hoanx.personal@gmail.com"],
}
WEBMAIL = {"gmail.com", "googlemail.com", "yahoo.com", "yahoo.com.vn", "ymail.com", "hotmail.com", "outlook.com"}

# (sender, recipients, authenticated on 587?)
MESSAGES = [
    ("annv@" + DOMAIN, ["binhtt@" + DOMAIN], True),
    ("annv@" + DOMAIN, ["friend.an@gmail.com", "cuongpq@" + DOMAIN], True),
    ("binhtt@" + DOMAIN, ["partner@example.com"], True),
    ("cuongpq@" + DOMAIN, ["vanphong@" + DOMAIN], True),
    ("dunglt@" + DOMAIN, ["boss.dung@yahoo.com"], True),
    ("thuhn@stttt." + DOMAIN, ["annv@" + DOMAIN], True),
    ("hoanx@" + DOMAIN, ["defer-once@yahoo.com.vn"], True),
    ("lanpt@" + DOMAIN, ["nobody@example.com"], True),
    ("friend.an@gmail.com", ["annv@" + DOMAIN], False),
    ("boss.dung@yahoo.com", ["dunglt@" + DOMAIN, "minhvq@" + DOMAIN], False),
    ("news@example.com", ["ngocbt@" + DOMAIN], False),
    ("someone@gmail.com", ["chuyentiep@" + DOMAIN], False),
    ("partner@example.com", ["vanphong@" + DOMAIN], False),
]
BOUNCING = {"nobody@example.com"}

# (user, protocol, good password?, attempts)
LOGINS = [
    ("annv", "imap", True, 1), ("annv", "imap", True, 1), ("binhtt", "imap", True, 1), ("binhtt", "pop3", True, 1),
    ("cuongpq", "pop3", True, 1), ("dunglt", "imap", False, 1), ("dunglt", "imap", True, 1),
    ("minhvq", "imap", False, 2), ("lanpt", "pop3", False, 1), ("ngocbt", "submission", True, 1),
]


def kind(address):
    domain = address.split("@")[1]
    if domain == DOMAIN or domain.endswith("." + DOMAIN):
        return "official"
    return "webmail" if domain in WEBMAIL else "other"


def send():
    for number, (sender, recipients, authenticated) in enumerate(MESSAGES, 1):
        message = EmailMessage()
        message["From"], message["To"] = sender, ", ".join(recipients)
        message["Subject"] = "Báo cáo số %d" % number
        message["Message-ID"] = "<capture-%d@%s>" % (number, sender.split("@")[1])
        message.set_content("Kính gửi anh chị, đây là thư thử số %d.\n" % number)
        with smtplib.SMTP("127.0.0.1", 587 if authenticated else 25) as client:
            client.ehlo("client.test")
            if authenticated:
                client.login(sender, PASSWORD)
            client.send_message(message, from_addr=sender, to_addrs=recipients)
        time.sleep(0.3)


def login():
    for user, protocol, good, attempts in LOGINS:
        address = "%s@%s" % (user, DOMAIN)
        password = PASSWORD if good else "wrong-password"
        if protocol == "imap":
            client = imaplib.IMAP4("127.0.0.1", 143)
            for _ in range(attempts):
                try:
                    client.login(address, password)
                except imaplib.IMAP4.error:
                    pass
            client.logout()
        elif protocol == "pop3":
            client = poplib.POP3("127.0.0.1", 110)
            try:
                client.user(address)
                client.pass_(password)
            except poplib.error_proto:
                pass
            client.quit()
        else:
            with smtplib.SMTP("127.0.0.1", 1587) as client:
                client.ehlo("client.test")
                client.login(address, password)
        time.sleep(0.3)


def wait_for_empty_queue(deadline=120):
    start = time.time()
    while time.time() - start < deadline:
        subprocess.run(["postqueue", "-f"], check=False)
        queue = subprocess.run(["postqueue", "-p"], capture_output=True, text=True).stdout
        if "Mail queue is empty" in queue:
            return
        time.sleep(3)
    raise SystemExit("the mail queue did not empty within %d s:\n%s" % (deadline, queue))


def truth():
    people = {}

    def person(address):
        return people.setdefault(address, {
            "address": address, "submitted": 0, "received": 0,
            "logins": {"imap": 0, "pop3": 0, "submission": 0, "failed": 0},
            "correspondents": set()})

    for sender, recipients, authenticated in MESSAGES:
        if authenticated:
            person(sender)["submitted"] += 1
        final = [target for recipient in recipients for target in ALIASES.get(recipient, [recipient])]
        for recipient in final:
            if recipient in ACCOUNTS:
                person(recipient)["received"] += 1
            person(sender)["correspondents"].add(recipient)
            person(recipient)["correspondents"].add(sender)
    for user, protocol, good, attempts in LOGINS:
        entry = person("%s@%s" % (user, DOMAIN))
        if good:
            entry["logins"][protocol] += 1
        else:
            entry["logins"]["failed"] += attempts
    result = []
    for address in sorted(people):
        entry = people[address]
        counts = {"official": 0, "webmail": 0, "other": 0}
        for other in entry["correspondents"]:
            counts[kind(other)] += 1
        entry["correspondents"] = counts
        result.append(entry)
    return {"addresses": result, "messages": len(MESSAGES),
            "bounce_notifications": sum(1 for _, recipients, _ in MESSAGES if set(recipients) & BOUNCING)}


def main():
    send()
    wait_for_empty_queue()
    login()
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(truth(), out, indent=1, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
