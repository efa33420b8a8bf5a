#!/usr/bin/env python3
"""t6-events-client.py: a Slack-like client of POST /slack/events.

  t6-events-client.py sign SECRET TS BODY      the X-Slack-Signature value
  t6-events-client.py raw HOST PORT REQUEST    send REQUEST (\\r\\n escapes
                                               expanded) as is; print the
                                               status code
  t6-events-client.py burst URL SECRET N CHANNEL T0 WORKERS NAME
      POST N signed message events (ts T0+i, distinct event_ids) from
      WORKERS threads while another thread keeps fetching pages (the home
      page, the channel's page by NAME, /healthz); print
      {"posted", "ok", "statuses", "pages", "pages_ok", "seconds",
      "slowest"} as JSON.
"""
import hashlib
import hmac
import json
import socket
import sys
import threading
import time
import urllib.error
import urllib.request


def sign(secret, ts, body):
    mac = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256)
    return "v0=" + mac.hexdigest()


def post(url, secret, body):
    ts = str(int(time.time()))
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json",
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": sign(secret, ts, body)})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def burst(url, secret, n, channel, t0, workers, name):
    statuses = {}
    slowest = [0.0]
    lock = threading.Lock()
    done = threading.Event()
    pages = [0, 0]
    base = url.rsplit("/slack/events", 1)[0]

    def fetch_pages():
        paths = ["/", "/%s/" % name, "/healthz"]
        i = 0
        while not done.is_set():
            try:
                with urllib.request.urlopen(base + paths[i % len(paths)], timeout=10) as r:
                    ok = r.status == 200
            except Exception:
                ok = False
            with lock:
                pages[0] += 1
                pages[1] += ok
            i += 1

    def work(k):
        for i in range(k, n, workers):
            ts = "%d.%06d" % (t0 + i, i)
            ev = {"type": "event_callback", "event_id": "EvBurst%06d" % i, "event_time": t0 + i,
                  "event": {"type": "message", "channel": channel, "channel_type": "channel", "user": "U1",
                            "text": "burst message %d" % i, "ts": ts, "event_ts": ts}}
            start = time.time()
            st = post(url, secret, json.dumps(ev).encode())
            took = time.time() - start
            with lock:
                statuses[st] = statuses.get(st, 0) + 1
                slowest[0] = max(slowest[0], took)

    reader = threading.Thread(target=fetch_pages)
    reader.start()
    start = time.time()
    threads = [threading.Thread(target=work, args=(k,)) for k in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.time() - start
    done.set()
    reader.join()
    print(json.dumps({"posted": n, "ok": statuses.get(200, 0), "statuses": statuses, "pages": pages[0],
                      "pages_ok": pages[1], "seconds": round(secs, 3), "slowest": round(slowest[0], 3)}))


def raw(host, port, request):
    data = request.encode().decode("unicode_escape").encode("latin-1")
    s = socket.create_connection((host, int(port)), timeout=10)
    s.sendall(data)
    resp = b""
    try:
        while b"\r\n" not in resp:
            chunk = s.recv(4096)
            if not chunk:
                break
            resp += chunk
    except socket.timeout:
        pass
    s.close()
    line = resp.split(b"\r\n", 1)[0].decode("latin-1")
    print(line.split(" ")[1] if " " in line else "none")


def main():
    a = sys.argv[1:]
    if a[0] == "sign":
        print(sign(a[1], a[2], a[3].encode()))
    elif a[0] == "raw":
        raw(a[1], a[2], a[3])
    elif a[0] == "burst":
        burst(a[1], a[2], int(a[3]), a[4], int(a[5]), int(a[6]), a[7])


main()
