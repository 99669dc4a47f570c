#!/usr/bin/env python3
"""rest_server - a stand-in ERP endpoint for test_rest.sh (standard library).

usage: rest_server.py DIR [--port N] [--tls CERT KEY [--client-ca CA]]

Listens on 127.0.0.1 (port N, or a free one), writes the port to DIR/port
once it listens, and answers every request according to DIR/mode, read
afresh for each request (one line; missing: accept):

  accept            200 and {"accepted": [...ids], "duplicates": [...]}
  fail              500
  close             closes the connection without an answer
  stall SECONDS     waits, then closes (the client has timed out)
  429 SECONDS       429 with Retry-After: SECONDS
  429-date SECONDS  429 with Retry-After as an HTTP date SECONDS from now
  400               400 with a JSON error for every request
  reject TEXT       400 for a request whose body contains TEXT, and the
                    body echoes the Authorization header it got (a server
                    that leaks credentials into its error messages)
  slow SECONDS      accept after a pause (for kill tests)

Every request is appended to DIR/requests.jsonl: time, method, path,
Idempotency-Key, X-Correlation-ID, Content-Type, whether the bearer
token was right (DIR/token holds the bearer token, or DIR/basic the
user:password of basic authentication; neither is ever written), the record ids in the body, the status answered.  Records are
de-duplicated by Idempotency-Key and by record id: a key or id accepted
before (DIR/accepted.jsonl, kept across restarts) is answered 200 again
but not accepted twice.  SIGTERM stops it.
"""
import base64
import email.utils
import http.server
import json
import os
import signal
import ssl
import sys
import threading
import time

D = sys.argv[1]
args = sys.argv[2:]
port = 0
tls = None
client_ca = None
while args:
    a = args.pop(0)
    if a == "--port":
        port = int(args.pop(0))
    elif a == "--tls":
        tls = (args.pop(0), args.pop(0))
    elif a == "--client-ca":
        client_ca = args.pop(0)
    else:
        sys.exit("rest_server: unknown argument " + a)

lock = threading.Lock()
accepted_keys = set()
accepted_ids = set()
ACC = os.path.join(D, "accepted.jsonl")
if os.path.exists(ACC):
    with open(ACC) as f:
        for line in f:
            r = json.loads(line)
            accepted_keys.add(r["key"])
            accepted_ids.update(r["ids"])


def mode():
    try:
        with open(os.path.join(D, "mode")) as f:
            words = f.read().split(None, 1)
    except FileNotFoundError:
        return "accept", ""
    if not words:
        return "accept", ""
    return words[0], (words[1].strip() if len(words) > 1 else "")


def token():
    """The Authorization value wanted: DIR/token (bearer) or DIR/basic
    (user:password), else None (anything goes)."""
    for name, scheme in (("token", "Bearer "), ("basic", "Basic ")):
        try:
            with open(os.path.join(D, name)) as f:
                v = f.read().strip()
        except FileNotFoundError:
            continue
        if scheme == "Basic ":
            v = base64.b64encode(v.encode()).decode()
        return scheme + v
    return None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stalls

    def log_message(self, fmt, *a):
        pass

    def answer(self, status, obj, extra=()):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def record(self, entry):
        with lock, open(os.path.join(D, "requests.jsonl"), "a") as f:
            f.write(json.dumps(entry) + "\n")

    def handle_push(self):
        t0 = time.time()
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        key = self.headers.get("Idempotency-Key")
        auth = self.headers.get("Authorization") or ""
        want = token()
        try:
            body = json.loads(raw)
            recs = body if isinstance(body, list) else [body]
            ids = [r.get("id") for r in recs]
        except ValueError:
            recs, ids = None, []
        m, arg = mode()
        entry = {"t": t0, "method": self.command, "path": self.path,
                 "key": key,
                 "correlation": self.headers.get("X-Correlation-ID"),
                 "content_type": self.headers.get("Content-Type"),
                 "auth_ok": want is None or auth == want,
                 "ids": ids, "mode": m}
        if m == "close":
            entry["status"] = 0
            self.record(entry)
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if m == "stall":  # logged now: the client gives up meanwhile
            entry["status"] = -1
            self.record(entry)
            time.sleep(float(arg or 10))
            self.close_connection = True
            return
        if m == "slow":
            time.sleep(float(arg or 0.05))
        if recs is None or not key:
            status, obj, extra = 422, {"error": "no JSON body or key"}, ()
        elif not entry["auth_ok"]:
            status, obj, extra = 401, {"error": "bad token"}, ()
        elif m == "fail":
            status, obj, extra = 500, {"error": "erp is down"}, ()
        elif m == "429":
            status, obj, extra = 429, {"error": "slow down"}, \
                [("Retry-After", arg or "1")]
        elif m == "429-date":
            when = email.utils.formatdate(time.time() + float(arg or 1),
                                          usegmt=True)
            status, obj, extra = 429, {"error": "slow down"}, \
                [("Retry-After", when)]
        elif m == "400":
            status, obj, extra = 400, {"error": "order rejected: bad"}, ()
        elif m == "reject" and arg.encode() in raw:
            status, extra = 400, ()
            obj = {"error": "order rejected: unknown customer for " + arg,
                   "echo": "you sent Authorization: " + auth}
        else:
            with lock:
                new, dup = [], []
                for i in ids:
                    (dup if key in accepted_keys or i in accepted_ids
                     else new).append(i)
                if new:
                    accepted_ids.update(new)
                    with open(ACC, "a") as f:
                        f.write(json.dumps({"key": key, "ids": new,
                                            "t": t0}) + "\n")
                accepted_keys.add(key)
            status, obj, extra = 200, {"accepted": new,
                                       "duplicates": dup}, ()
            entry["duplicates"] = dup
        entry["status"] = status
        self.record(entry)
        try:
            self.answer(status, obj, extra)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_POST = handle_push
    do_PUT = handle_push


class Server(http.server.ThreadingHTTPServer):
    allow_reuse_address = True
    daemon_threads = True


srv = Server(("127.0.0.1", port), Handler)
if tls:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*tls)
    if client_ca:
        ctx.verify_mode = ssl.CERT_REQUIRED
        ctx.load_verify_locations(client_ca)
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
with open(os.path.join(D, "port.tmp"), "w") as f:
    f.write(str(srv.server_address[1]))
os.rename(os.path.join(D, "port.tmp"), os.path.join(D, "port"))
try:
    srv.serve_forever()
finally:
    srv.server_close()
