#!/usr/bin/env python3
"""Cross-checks a capture: reads mail.log with a few regular expressions and compares what it
finds with truth.json, which drive.py computed from its own bookkeeping. A disagreement means
the capture went wrong (or the scenario does something the bookkeeping does not account for):
the capture script then fails rather than ship logs and a truth that disagree.

    check.py CAPTURE_DIR     (holds mail.log, mail-iso.log, mail-rfc5424.log, truth.json)

This is a check for the capture only, not the project's parser; it knows this scenario's
set-up (the content filter on 127.0.0.1:10024).
"""

import json
import re
import sys
from collections import defaultdict

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from drive import kind  # noqa: E402  (the same address classes as the truth)

LINE = re.compile(r"^\w{3} [ \d]\d \d\d:\d\d:\d\d (\S+) ([^\[:]+)(?:\[(\d+)\])?: (.*)$")
QUEUED = re.compile(r"^([0-9A-F]{6,}): (.*)$")
DELIVERY = re.compile(r"^to=<([^>]*)>, (?:orig_to=<([^>]*)>, )?relay=(\S+), .*status=(\w+) \((.*)\)$")
LOGIN = re.compile(r"^(imap|pop3|submission)-login: Login: user=<([^>]*)>")
FAILED = re.compile(r"^(imap|pop3|submission)-login: .*\(auth failed, (\d+) attempts in \d+ secs\): user=<([^>]*)>")


def measure(path):
    sasl, sender, parent, deliveries = {}, {}, {}, defaultdict(list)
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
            if service == "smtpd" and rest.startswith("client="):
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
        if not sender.get(top):
            continue                            # a bounce notification
        for service, to, status in items:
            recipients[top].add(to)
            if status == "sent" and service in ("lmtp", "virtual", "local", "pipe"):
                people[to]["received"] += 1
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
    return {"addresses": result, "messages": messages, "bounce_notifications": bounces,
            "forwards": [{"original": o, "recipient": r, "messages": n} for (o, r), n in sorted(forwards.items())]}


def main():
    folder = sys.argv[1]
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
    ours = {entry["address"]: entry for entry in found["addresses"]}
    theirs = {entry["address"]: entry for entry in truth["addresses"]}
    for address in sorted(set(ours) | set(theirs)):
        if ours.get(address) != theirs.get(address):
            problems.append("%s:\n  truth %s\n  logs  %s" % (address, theirs.get(address), ours.get(address)))
    if problems:
        raise SystemExit("check.py: the logs disagree with the truth\n" + "\n".join(problems))
    print("check.py: the logs agree with the truth: %d addresses, %d messages, %d bounce notifications, %d lines"
          % (len(theirs), truth["messages"], truth["bounce_notifications"], counts["mail.log"]))


if __name__ == "__main__":
    main()
