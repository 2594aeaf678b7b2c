#!/usr/bin/env python3
"""Small SMTP servers on 127.0.0.1 for the capture: the outside world's mail servers, and a
content filter in the manner of amavis.

    smtp_peer.py sink PORT      accept everything, except: `defer-once@…` gets 451 the first
                                time and 250 after; `nobody@example.com` gets 550 at RCPT.
    smtp_peer.py filter PORT REINJECT_PORT
                                take a message and hand it back to Postfix on REINJECT_PORT,
                                answering with Postfix's own reply, as amavis does.
"""

import smtplib
import socketserver
import sys

DEFERRED_ONCE = set()


class Session(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write((text + "\r\n").encode())

    def handle(self):
        self.reply("220 peer.test ESMTP")
        sender, recipients = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-peer.test\r\n250-8BITMIME\r\n250 SIZE 52428800" if verb == "EHLO" else "250 peer.test")
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
                    self.reply("554 5.5.1 No valid recipients")
                    continue
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b".\n", b""):
                        break
                    data.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                self.reply(self.server.accept(sender, recipients, b"".join(data)))
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

    def recipient_answer(self, recipient):
        if recipient.startswith("nobody@"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % recipient
        if recipient.startswith("defer-once@") and recipient not in DEFERRED_ONCE:
            DEFERRED_ONCE.add(recipient)
            return "451 4.7.1 <%s>: Try again later" % recipient
        return "250 2.1.5 Ok"

    def accept(self, sender, recipients, data):
        return "250 2.0.0 Ok: queued"


class Filter(Sink):
    reinject_port = 10025

    def recipient_answer(self, recipient):
        return "250 2.1.5 Ok"

    def accept(self, sender, recipients, data):
        with smtplib.SMTP("127.0.0.1", self.reinject_port) as client:
            client.ehlo("filter.test")
            client.mail(sender)
            for recipient in recipients:
                client.rcpt(recipient)
            code, answer = client.data(data)
        return "250 2.0.0 from MTA(smtp:[127.0.0.1]:%d): %d %s" % (self.reinject_port, code, answer.decode())


def main():
    kind, port = sys.argv[1], int(sys.argv[2])
    server_class = Filter if kind == "filter" else Sink
    if kind == "filter":
        Filter.reinject_port = int(sys.argv[3])
    with server_class(("127.0.0.1", port), Session) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
