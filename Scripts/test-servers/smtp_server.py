#!/usr/bin/env python3
"""A real SMTP server for the relay's tests (aiosmtpd), on 127.0.0.1 only.

    smtp_server.py --spool DIR --cert CERT --key KEY --user USER --password-file FILE \
        --starttls-port 12525 --smtps-port 12465

Two listeners: one offering STARTTLS (AUTH only after it), one speaking TLS from the start; both
require AUTH PLAIN or LOGIN with USER and the password in FILE. Recipients whose local part
starts with `reject` are refused with 550, with `defer` with 451. Each message accepted is kept
as it arrived: DIR/N.eml (the bytes of DATA) and DIR/N.json (envelope, TLS, the user, and what
Python's email package reads of it: subject, sender's name, text, attachments with sizes and
SHA-256), written whole (renamed into place). DIR/connections counts connections.
"""

import argparse
import asyncio
import email
import email.policy
import hashlib
import json
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Handler:
    def __init__(self, spool):
        self.spool = spool
        self.count = len([n for n in os.listdir(spool) if n.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, options):
        local = address.split("@")[0].lower()
        if local.startswith("reject"):
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
        if local.startswith("defer"):
            return "451 4.3.0 <%s>: Temporary lookup failure, try again later" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        raw = envelope.original_content or envelope.content
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        attachments = []
        text = html = None
        for part in parsed.walk():
            if part.is_multipart():
                continue
            if part.get_content_disposition() == "attachment":
                data = part.get_payload(decode=True)
                attachments.append({"filename": part.get_filename(), "content_type": part.get_content_type(),
                                    "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
            elif part.get_content_type() == "text/plain" and text is None:
                text = part.get_content()
            elif part.get_content_type() == "text/html" and html is None:
                html = part.get_content()
        sender = parsed["From"]
        summary = {
            "mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
            "tls": server.implicit_tls or session.ssl is not None, "user": session.auth_data,
            "subject": str(parsed["Subject"]), "from_name": sender.addresses[0].display_name if sender else None,
            "from_address": sender.addresses[0].addr_spec if sender else None,
            "message_id": parsed["Message-ID"], "auto_submitted": parsed["Auto-Submitted"],
            "list_unsubscribe": parsed["List-Unsubscribe"], "content_type": parsed.get_content_type(),
            "text": text, "html": html, "attachments": attachments,
            "defects": [str(d) for d in parsed.defects],
        }
        base = os.path.join(self.spool, "%06d" % self.count)
        for suffix, content in ((".eml", raw), (".json", json.dumps(summary, ensure_ascii=False).encode())):
            with open(base + suffix + ".tmp", "wb") as out:
                out.write(content)
            os.replace(base + suffix + ".tmp", base + suffix)
        return "250 2.0.0 Ok: queued as %06d" % self.count


class Counting(SMTP):
    connections = 0
    spool = None
    implicit_tls = False

    def connection_made(self, transport):
        Counting.connections += 1
        with open(os.path.join(Counting.spool, "connections"), "w") as out:
            out.write(str(Counting.connections))
        super().connection_made(transport)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spool", required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--starttls-port", type=int, required=True)
    parser.add_argument("--smtps-port", type=int, required=True)
    args = parser.parse_args()
    with open(args.password_file) as source:
        password = source.read().strip()
    os.makedirs(args.spool, exist_ok=True)
    Counting.spool = args.spool
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    handler = Handler(args.spool)

    def authenticate(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user \
                and auth_data.password.decode() == password:
            return AuthResult(success=True, auth_data=auth_data.login.decode())
        return AuthResult(success=False, handled=False)

    def factory(tls_context, implicit):
        # On the implicit-TLS listener the whole connection is TLS: aiosmtpd does not know it.
        def make():
            server = Counting(handler, hostname="mail.test", tls_context=None if implicit else tls_context,
                              require_starttls=not implicit, auth_required=True, auth_require_tls=not implicit,
                              authenticator=authenticate, data_size_limit=50 * 1024 * 1024,
                              enable_SMTPUTF8=True, decode_data=False)
            server.implicit_tls = implicit
            return server
        return make

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    servers = [
        loop.run_until_complete(loop.create_server(factory(context, False), "127.0.0.1", args.starttls_port)),
        loop.run_until_complete(loop.create_server(factory(context, True), "127.0.0.1", args.smtps_port,
                                                   ssl=context)),
    ]
    print("smtp_server.py: listening on 127.0.0.1:%d (STARTTLS) and :%d (TLS)" % (
        args.starttls_port, args.smtps_port), file=sys.stderr, flush=True)
    try:
        loop.run_forever()
    finally:
        for server in servers:
            server.close()


if __name__ == "__main__":
    main()
