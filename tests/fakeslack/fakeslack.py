#!/usr/bin/env python3
"""fakeslack.py: a small stand-in for Slack's Web API and Socket Mode, for
the sync and listen tests.

  fakeslack.py --data WORKSPACE.json --port-file F [--log F] [--page N]
               [--rate-limit-every N] [--delay S] [--token T]
               [--app-token T] [--db ARCHIVE] [--tls-cert PEM --tls-key PEM]
  fakeslack.py --expect WORKSPACE.json    what `slacklog stats --json` must
                                          say after a full sync of it

It listens on 127.0.0.1 (a free port, written to --port-file) and answers
GET /api/METHOD with the documented response shapes of users.list,
emoji.list, conversations.list (types=public_channel), conversations.history
(oldest= and latest=, exclusive unless inclusive=true, newest first,
parents and broadcasts only, a parent with its reply_count and
latest_reply counted from its replies, as Slack gives them) and
conversations.replies (the parent, then its replies after oldest=), paged
with response_metadata.next_cursor. The workspace file is read again for every
request, so a test can add messages between two syncs. Every request is
logged as one JSON line {"method", "params", "status"}.

POST /api/apps.connections.open with --app-token gets the URL of the fake
Socket Mode server (fakesocket.py); with --token, not_allowed_token_type;
otherwise invalid_auth; after POST /control/config {"open_error": E}, E
(and {"url": U}: U instead of the fake's).
POST /control/NAME with a JSON body drives that server (fakesocket.py's
c_NAME: event, send, drop, disconnect, burst, wait_ack, wait_acks,
wait_conns, wait_closed, config, state) and answers JSON.

Errors: a token other than --token gets invalid_auth; channels listed in
"not_in_channel" get not_in_channel; every Nth request (--rate-limit-every)
gets HTTP 429 with Retry-After: 1.

WORKSPACE.json: {"users": [...], "channels": [...], "emoji": {...},
"messages": {"C1": [...]}, "not_in_channel": ["C9"]}; a channel's messages
include its thread replies (thread_ts != ts).
"""
import argparse
import datetime
import http.server
import json
import sys
import threading
import time
import urllib.parse

import fakesocket

HIDDEN = {"channel_join", "channel_leave", "group_join", "group_leave"}


def fts(ts):
    return float(ts)


def top_level(m):
    th = m.get("thread_ts")
    return not th or th == m["ts"] or m.get("subtype") == "thread_broadcast"


def with_replies(m, msgs):
    """A parent as history gives it: reply_count and latest_reply of now."""
    reps = [r for r in msgs if r.get("thread_ts") == m["ts"] and r["ts"] != m["ts"]]
    if not reps or m.get("thread_ts", m["ts"]) != m["ts"]:
        return m
    m = dict(m, thread_ts=m["ts"], reply_count=len(reps))
    m["latest_reply"] = max(reps, key=lambda r: fts(r["ts"]))["ts"]
    return m


def in_range(ts, p):
    inclusive = p.get("inclusive") in ("true", "1")
    t, lo, hi = fts(ts), fts(p.get("oldest", "0")), fts(p.get("latest", "9999999999"))
    return (lo <= t <= hi) if inclusive else (lo < t < hi)


class Handler(http.server.BaseHTTPRequestHandler):
    cfg = None
    count = 0
    lock = threading.Lock()

    def log_message(self, *a):
        pass

    def send(self, status, obj, headers=()):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def record(self, method, params, status):
        if self.cfg.log:
            with self.lock, open(self.cfg.log, "a") as f:
                f.write(json.dumps({"method": method, "params": params, "status": status}) + "\n")

    def do_GET(self):
        u = urllib.parse.urlparse(self.path)
        method = u.path.rsplit("/", 1)[-1]
        params = {k: v[0] for k, v in urllib.parse.parse_qs(u.query).items()}
        with self.lock:
            Handler.count += 1
            n = Handler.count
        if self.cfg.delay:
            time.sleep(self.cfg.delay)
        if self.cfg.rate_limit_every and n % self.cfg.rate_limit_every == 0:
            self.record(method, params, 429)
            return self.send(429, {"ok": False, "error": "ratelimited"}, [("Retry-After", "1")])
        self.record(method, params, 200)
        if self.headers.get("Authorization") != "Bearer " + self.cfg.token:
            return self.send(200, {"ok": False, "error": "invalid_auth"})
        with open(self.cfg.data) as f:
            ws = json.load(f)
        fn = {"users.list": self.users, "emoji.list": self.emoji, "conversations.list": self.channels,
              "conversations.history": self.history, "conversations.replies": self.replies}.get(method)
        if not fn:
            return self.send(200, {"ok": False, "error": "unknown_method"})
        self.send(200, fn(ws, params))

    def do_POST(self):
        u = urllib.parse.urlparse(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if u.path.startswith("/control/"):
            return self.send(200, self.sock.control(u.path[len("/control/"):], json.loads(body or b"{}")))
        method = u.path.rsplit("/", 1)[-1]
        self.record(method, {k: v[0] for k, v in urllib.parse.parse_qs(body.decode()).items()}, 200)
        auth = self.headers.get("Authorization")
        if method != "apps.connections.open":
            return self.send(200, {"ok": False, "error": "unknown_method"})
        if auth == "Bearer " + self.cfg.token:
            return self.send(200, {"ok": False, "error": "not_allowed_token_type"})
        if auth != "Bearer " + self.cfg.app_token:
            return self.send(200, {"ok": False, "error": "invalid_auth"})
        if self.sock.options.get("open_error"):
            return self.send(200, {"ok": False, "error": self.sock.options["open_error"]})
        self.send(200, {"ok": True, "url": self.sock.options.get("url") or self.sock.url()})

    def paged(self, items, params, key, extra=None):
        limit = min(int(params.get("limit", 100)), self.cfg.page)
        start = int(params.get("cursor", "off:0").split(":")[1])
        out = {"ok": True, key: items[start:start + limit]}
        nxt = "off:%d" % (start + limit) if start + limit < len(items) else ""
        out["response_metadata"] = {"next_cursor": nxt}
        if key == "messages":
            out["has_more"] = bool(nxt)
        out.update(extra or {})
        return out

    def users(self, ws, p):
        return self.paged(ws["users"], p, "members")

    def emoji(self, ws, p):
        return {"ok": True, "emoji": ws.get("emoji", {})}

    def channels(self, ws, p):
        chans = [c for c in ws["channels"] if not c.get("is_private")] \
            if p.get("types") == "public_channel" else ws["channels"]
        return self.paged(chans, p, "channels")

    def history(self, ws, p):
        ch = p.get("channel")
        if ch in ws.get("not_in_channel", []):
            return {"ok": False, "error": "not_in_channel"}
        if ch not in ws["messages"]:
            return {"ok": False, "error": "channel_not_found"}
        every = ws["messages"][ch]
        msgs = [with_replies(m, every) for m in every if top_level(m) and in_range(m["ts"], p)]
        msgs.sort(key=lambda m: fts(m["ts"]), reverse=True)
        return self.paged(msgs, p, "messages")

    def replies(self, ws, p):
        ch, ts = p.get("channel"), p.get("ts")
        oldest = fts(p.get("oldest", "0"))
        every = ws["messages"].get(ch, [])
        msgs = [with_replies(m, every) if m["ts"] == ts else m for m in every
                if m["ts"] == ts or (m.get("thread_ts") == ts and fts(m["ts"]) > oldest)]
        msgs.sort(key=lambda m: (m["ts"] != ts, fts(m["ts"])))
        return self.paged(msgs, p, "messages")


def day(ts):
    return datetime.datetime.fromtimestamp(int(float(ts)), datetime.timezone.utc).strftime("%Y-%m-%d")


def expect(path):
    """Stats after a full sync: public channels the token can read, every
    message (replies included) once, days as pages show them."""
    with open(path) as f:
        ws = json.load(f)
    out = []
    for c in ws["channels"]:
        if c.get("is_private"):
            continue
        msgs = [] if c["id"] in ws.get("not_in_channel", []) else ws["messages"].get(c["id"], [])
        by_ts = {m["ts"]: m for m in msgs}
        days = {}
        for m in msgs:
            if m.get("subtype") in HIDDEN:
                continue
            th = m.get("thread_ts")
            d = day(th) if th and th != m["ts"] and th in by_ts else day(m["ts"])
            days[d] = days.get(d, 0) + 1
        out.append({"id": c["id"], "name": c["name"], "kind": "public", "messages": len(by_ts),
                    "days": dict(sorted(days.items()))})
    out.sort(key=lambda c: (c["name"], c["id"]))
    total = sum(c["messages"] for c in out)
    return {"channels": out, "users": len(ws["users"]), "messages": total, "time_zone": "UTC",
            "waiting": {"type": 0, "name": sum(c["name"] == c["id"] for c in out)}}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data")
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--page", type=int, default=100)
    ap.add_argument("--rate-limit-every", type=int, default=0)
    ap.add_argument("--delay", type=float, default=0)
    ap.add_argument("--token", default="xoxb-test-token")
    ap.add_argument("--app-token", default="xapp-test-token")
    ap.add_argument("--db")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--expect")
    cfg = ap.parse_args()
    if cfg.expect:
        print(json.dumps(expect(cfg.expect), sort_keys=True))
        return
    Handler.cfg = cfg
    Handler.sock = fakesocket.Server(cfg)
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(cfg.port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    import os
    os.rename(cfg.port_file + ".tmp", cfg.port_file)
    srv.serve_forever()


main()
