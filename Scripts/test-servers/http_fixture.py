#!/usr/bin/env python3
"""A real HTTP(S) server on 127.0.0.1 for the Curl module's tests (standard library only).

    http_fixture.py [--tls CERT KEY]     prints "READY <port>" once listening on a free port

Routes (every path is counted; GET /calls/<path> answers how many times <path> was asked):
    /echo                 200, JSON: method, path, body, whether an Authorization header came
    /flaky/<key>/<n>      503 for the first n calls of <key>, then 200
    /throttle/<key>       429 with Retry-After: 1 on the first call of <key>, then 200
    /missing              404, JSON detail
    /slow                 answers after 3 s
It stops when its standard input closes (the test that started it ends).
"""

import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CALLS = {}
LOCK = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, payload, headers=()):
        body = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
        path = self.path
        with LOCK:
            CALLS[path] = CALLS.get(path, 0) + 1
            calls = CALLS[path]
        parts = path.strip("/").split("/")
        if parts[0] == "calls":
            with LOCK:
                return self.answer(200, {"calls": CALLS.get("/" + "/".join(parts[1:]), 0)})
        if parts[0] == "echo":
            return self.answer(200, {"method": self.command, "path": path, "body": body,
                                     "authorization": "Authorization" in self.headers})
        if parts[0] == "flaky":
            if calls <= int(parts[2]):
                return self.answer(503, {"detail": "try later"})
            return self.answer(200, {"calls": calls})
        if parts[0] == "throttle":
            if calls == 1:
                return self.answer(429, {"detail": "Request was throttled."}, [("Retry-After", "1")])
            return self.answer(200, {"calls": calls})
        if parts[0] == "slow":
            time.sleep(3)
            return self.answer(200, {})
        return self.answer(404, {"detail": "No User matches the given query."})

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if len(sys.argv) == 4 and sys.argv[1] == "--tls":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[2], sys.argv[3])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("READY %d" % server.server_address[1], flush=True)
    sys.stdin.read()  # until the test closes our standard input, or dies
    server.shutdown()


if __name__ == "__main__":
    main()
