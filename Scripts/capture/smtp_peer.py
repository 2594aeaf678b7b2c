#!/usr/bin/env python3
"""Small SMTP servers on 127.0.0.1 for the capture (standard library only).

    smtp_peer.py sink PORT [--defer-once ADDRESS]... [--reject ADDRESS]...
        The outside world's mail servers: accepts every message, except that a --defer-once
        recipient gets 451 at RCPT the first time it is tried (and 250 afterwards), and a
        --reject recipient always gets 550 at RCPT (so Postfix bounces it).

    smtp_peer.py filter PORT REINJECT_PORT
        A content filter in the manner of amavis: takes a message from Postfix's
        content_filter=smtp:[127.0.0.1]:PORT and hands it back to the Postfix smtpd on
        127.0.0.1:REINJECT_PORT, answering Postfix with the reinjection's own reply, as amavis
        does ("250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as …").

Both listen on 127.0.0.1 only and run until killed.
"""

import argparse
import smtplib
import socketserver
import threading


class Session(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write((text + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        self.reply("220 peer.test ESMTP")
        sender, recipients = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("utf-8", errors="replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-peer.test\r\n250-8BITMIME\r\n250 SIZE 52428800")
            elif verb == "HELO":
                self.reply("250 peer.test")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].split()[0].strip("<>"), []
                self.reply("250 2.1.0 Ok")
            elif verb == "RCPT":
                recipient = command.split(":", 1)[1].split()[0].strip("<>")
                answer = self.server.recipient_answer(recipient)
                if answer.startswith("250"):
                    recipients.append(recipient)
                self.reply(answer)
            elif verb == "DATA":
                if not recipients:
                    self.reply("554 5.5.1 Error: no valid recipients")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.reply(self.server.accept(sender, recipients, b"".join(data)))
                sender, recipients = None, []
            elif verb == "RSET":
                sender, recipients = None, []
                self.reply("250 2.0.0 Ok")
            elif verb == "QUIT":
                self.reply("221 2.0.0 Bye")
                return
            else:
                self.reply("250 2.0.0 Ok")


class Sink(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, address, defer_once=(), reject=()):
        super().__init__(address, Session)
        self.defer_once = {a.lower() for a in defer_once}
        self.reject = {a.lower() for a in reject}
        self.deferred = set()
        self.lock = threading.Lock()

    def recipient_answer(self, recipient):
        key = recipient.lower()
        if key in self.reject:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % recipient
        with self.lock:
            if key in self.defer_once and key not in self.deferred:
                self.deferred.add(key)
                return "451 4.7.1 <%s>: Recipient address rejected: Try again later" % recipient
        return "250 2.1.5 Ok"

    def accept(self, sender, recipients, data):
        return "250 2.0.0 Ok: queued"


class Filter(Sink):
    def __init__(self, address, reinject_port):
        super().__init__(address)
        self.reinject_port = reinject_port

    def recipient_answer(self, recipient):
        return "250 2.1.5 Ok"

    def accept(self, sender, recipients, data):
        try:
            with smtplib.SMTP("127.0.0.1", self.reinject_port, timeout=60) as client:
                client.ehlo("filter.test")
                code, answer = client.mail(sender)
                if code != 250:
                    return "451 4.5.0 reinjection refused MAIL: %d %s" % (code, answer.decode())
                for recipient in recipients:
                    code, answer = client.rcpt(recipient)
                    if code != 250:
                        return "451 4.5.0 reinjection refused RCPT: %d %s" % (code, answer.decode())
                code, answer = client.data(data)
        except (OSError, smtplib.SMTPException) as error:
            return "451 4.5.0 reinjection failed: %s" % error
        if code != 250:
            return "451 4.5.0 reinjection refused DATA: %d %s" % (code, answer.decode())
        return "250 2.0.0 from MTA(smtp:[127.0.0.1]:%d): %d %s" % (self.reinject_port, code, answer.decode())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=["sink", "filter"])
    parser.add_argument("port", type=int)
    parser.add_argument("reinject_port", type=int, nargs="?", default=10025)
    parser.add_argument("--defer-once", action="append", default=[])
    parser.add_argument("--reject", action="append", default=[])
    args = parser.parse_args()
    if args.kind == "filter":
        server = Filter(("127.0.0.1", args.port), args.reinject_port)
    else:
        server = Sink(("127.0.0.1", args.port), args.defer_once, args.reject)
    with server:
        server.serve_forever()


if __name__ == "__main__":
    main()
