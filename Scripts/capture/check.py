#!/usr/bin/env python3
"""Cross-checks a capture: reads mail.log with a few regular expressions and compares what it
finds with truth.json, which drive.py computed from its own bookkeeping. A disagreement means
the capture went wrong (or the scenario does something the bookkeeping does not account for):
the capture script then fails rather than ship logs and a truth that disagree.

    check.py CAPTURE_DIR [--mangled-utf8]
        (CAPTURE_DIR holds mail.log, mail-iso.log, mail-rfc5424.log, truth.json)

Besides the per-address activity it checks the From headers Postfix logged
(header_checks "/^From:/ INFO": one "info: header From:" line for each message accepted,
none for a bounce notification, none for the re-injection, which has no_header_body_checks)
against the headers the driver sent, as Postfix logs them: a folded header's line break
as "?", and, with --mangled-utf8 (a server with smtputf8_enable = no), each byte of raw UTF-8
as "?". When the truth has messages_per_day (the census, captured over several days under
faketime), the header lines of each day of mail-iso.log must be that many.

This is a check for the capture only, not the project's parser; it knows this scenario's
set-up (the content filter on 127.0.0.1:10024).
"""

import json
import re
import sys
from collections import Counter, defaultdict
from email.header import decode_header, make_header
from email.utils import parseaddr

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from drive import kind  # noqa: E402  (the same address classes as the truth)

LINE = re.compile(r"^\w{3} [ \d]\d \d\d:\d\d:\d\d (\S+) ([^\[:]+)(?:\[(\d+)\])?: (.*)$")
QUEUED = re.compile(r"^([0-9A-F]{6,}): (.*)$")
DELIVERY = re.compile(r"^to=<([^>]*)>, (?:orig_to=<([^>]*)>, )?relay=(\S+), .*status=(\w+) \((.*)\)$")
LOGIN = re.compile(r"^(imap|pop3|submission)-login: Login: user=<([^>]*)>")
HEADER = re.compile(r"^([0-9A-F]{6,}): info: header From: (.*) from ([^ ;]+); from=<([^>]*)> to=<([^>]*)> proto=\S+ helo=<[^>]*>$")
ISO_HEADER = re.compile(r"^(\d{4}-\d\d-\d\d)T\S+ \S+ postfix/cleanup\[\d+\]: [0-9A-F]+: info: header From: ")
FAILED = re.compile(r"^(imap|pop3|submission)-login: .*\(auth failed, (\d+) attempts in \d+ secs\): user=<([^>]*)>")


def measure(path):
    sasl, sender, parent, deliveries = {}, {}, {}, defaultdict(list)
    headers = {}
    forwarded = defaultdict(set)
    logins = defaultdict(lambda: {"imap": 0, "pop3": 0, "submission": 0, "failed": 0})
    with open(path, encoding="utf-8") as lines:
        for line in lines:
            match = LINE.match(line.rstrip("\n"))
            if not match:
                raise SystemExit("check.py: a line in no known format: %r" % line)
            program, text = match.group(2), match.group(4)
            if program == "dovecot":
                if m := LOGIN.match(text):
                    logins[m.group(2).lower()][m.group(1)] += 1
                elif m := FAILED.match(text):
                    logins[m.group(3).lower()]["failed"] += int(m.group(2))
                continue
            m = QUEUED.match(text)
            if not program.startswith("postfix/") or not m:
                continue
            qid, rest = m.groups()
            service = program.rsplit("/", 1)[1]
            if h := HEADER.match(text):
                if h.group(1) in headers:
                    raise SystemExit("check.py: two From header lines for %s" % h.group(1))
                headers[h.group(1)] = (h.group(4).lower(), h.group(2))
            elif service == "smtpd" and rest.startswith("client="):
                sasl[qid] = (re.search(r"sasl_username=(\S+)", rest) or [None, None])[1]
            elif service == "qmgr" and rest.startswith("from=<"):
                sender[qid] = rest[6:rest.index(">")].lower()
            elif d := DELIVERY.match(rest):
                to, orig_to, relay, status, reply = d.groups()
                if orig_to and orig_to.lower() != to.lower():
                    forwarded[qid].add((orig_to.lower(), to.lower()))
                hop = re.search(r"queued as ([0-9A-F]+)", reply)
                if relay.endswith(":10024"):
                    if status == "sent" and hop:
                        parent[hop.group(1)] = qid
                    continue
                deliveries[qid].append((service, to.lower(), status))

    def root(qid):
        while qid in parent:
            qid = parent[qid]
        return qid

    people = defaultdict(lambda: {"submitted": 0, "received": 0, "correspondents": set()})
    roots = {qid for qid in sender if qid not in parent}
    messages = sum(1 for qid in roots if sender[qid])
    bounces = sum(1 for qid in roots if not sender[qid])
    for qid in roots:
        if sender[qid] and sasl.get(qid):
            people[sasl[qid].lower()]["submitted"] += 1
    recipients = defaultdict(set)
    for qid, items in deliveries.items():
        top = root(qid)
        for service, to, status in items:
            if status == "sent" and service in ("lmtp", "virtual", "local", "pipe"):
                people[to]["received"] += 1     # bounce notifications too: a delivery
            if sender.get(top):                 # a bounce notification is nobody's correspondence
                recipients[top].add(to)
    for qid, tos in recipients.items():
        for to in tos:
            people[sender[qid]]["correspondents"].add(to)
            people[to]["correspondents"].add(sender[qid])
    result = []
    for address in sorted(set(people) | set(logins)):
        entry = people[address]
        counts = {"official": 0, "webmail": 0, "other": 0}
        for other in entry["correspondents"]:
            counts[kind(other)] += 1
        result.append({"address": address, "submitted": entry["submitted"], "received": entry["received"],
                       "logins": dict(logins[address]), "correspondents": counts})
    forwards = defaultdict(int)
    for qid, pairs in forwarded.items():
        if sender.get(root(qid)):              # not a bounce notification
            for pair in pairs:
                forwards[pair] += 1
    stray = sorted(qid for qid in headers if qid not in roots or not sender[qid])
    if stray:
        raise SystemExit("check.py: From header lines for a re-injection or a bounce notification: %s" % stray)
    for qid, (envelope, _) in headers.items():
        if envelope != sender[qid]:
            raise SystemExit("check.py: %s: the header line says from=<%s>, qmgr <%s>" % (qid, envelope, sender[qid]))
    return {"addresses": result, "messages": messages, "bounce_notifications": bounces,
            "forwards": [{"original": o, "recipient": r, "messages": n} for (o, r), n in sorted(forwards.items())],
            "headers": Counter(headers.values())}


def as_logged(header, mangled):
    """A From header's value as Postfix's cleanup logs it."""
    text = header.replace("\r\n", "\n").replace("\n", "?")
    if mangled:
        text = "".join(c if c.isascii() else "?" * len(c.encode()) for c in text)
    return text


def display_name(header):
    name, _ = parseaddr(str(make_header(decode_header(header.replace("\r\n", "")))))
    return name or None


def main():
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--mangled-utf8"):
        raise SystemExit(__doc__)
    folder, mangled = sys.argv[1], len(sys.argv) == 3
    found = measure(folder + "/mail.log")
    with open(folder + "/truth.json", encoding="utf-8") as source:
        truth = json.load(source)
    problems = []
    counts = {}
    for name in ("mail.log", "mail-iso.log", "mail-rfc5424.log"):
        with open("%s/%s" % (folder, name), "rb") as log:
            counts[name] = sum(1 for _ in log)
    if len(set(counts.values())) != 1:
        problems.append("the three logs differ in length: %r" % counts)
    if found["forwards"] != truth["forwards"]:
        problems.append("forwards: truth %s, logs %s" % (truth["forwards"], found["forwards"]))
    for key in ("messages", "bounce_notifications"):
        if found[key] != truth[key]:
            problems.append("%s: truth %d, logs %d" % (key, truth[key], found[key]))
    expected = Counter()
    for item in truth.get("from_headers", []):
        expected[(item["envelope_sender"], as_logged(item["header"], mangled))] += item["messages"]
        if "display_name" in item and display_name(item["header"]) != item["display_name"]:
            problems.append("the From header %r reads as %r, not %r"
                            % (item["header"], display_name(item["header"]), item["display_name"]))
    if expected != found["headers"]:
        problems.append("From header lines: truth less logs %s; logs less truth %s"
                        % (dict(expected - found["headers"]), dict(found["headers"] - expected)))
    if sum(found["headers"].values()) != truth["messages"]:
        problems.append("%d From header lines for %d messages" % (sum(found["headers"].values()), truth["messages"]))
    if "messages_per_day" in truth:
        days = Counter()
        with open(folder + "/mail-iso.log", encoding="utf-8") as lines:
            for line in lines:
                if m := ISO_HEADER.match(line):
                    days[m.group(1)] += 1
        if dict(days) != truth["messages_per_day"]:
            problems.append("messages per day: truth %s, mail-iso.log %s" % (truth["messages_per_day"], dict(days)))
    ours = {entry["address"]: entry for entry in found["addresses"]}
    theirs = {entry["address"]: entry for entry in truth["addresses"]}
    for address in sorted(set(ours) | set(theirs)):
        if ours.get(address) != theirs.get(address):
            problems.append("%s:\n  truth %s\n  logs  %s" % (address, theirs.get(address), ours.get(address)))
    if problems:
        raise SystemExit("check.py: the logs disagree with the truth\n" + "\n".join(problems))
    print("check.py: the logs agree with the truth: %d addresses, %d messages, %d bounce notifications, "
          "%d From header lines, %d lines" % (len(theirs), truth["messages"], truth["bounce_notifications"],
                                              sum(found["headers"].values()), counts["mail.log"]))


if __name__ == "__main__":
    main()
