#!/usr/bin/env python3
"""serve-live-stream.py URL SECRET RATE CHANNELS OUT: a live workspace for
bench/serve-live.

Posts signed message events to URL/slack/events, RATE a second, into the
channels of CHANNELS in turn ("ID=path,ID=path,..."), each a new message
stamped now, until SIGTERM. After each 200 a second thread fetches the
day page the message is on (/path/YYYY-MM-DD/, the archive's zone being
UTC) every 50 ms until the page shows it: how long that took is how long
the server served the page without the change. Every tenth message, once
shown, is deleted (a message_deleted event) and timed until its page no
longer shows it. Then writes to OUT: {"posted", "ok", "seen",
"seen_p50_ms", "seen_max_ms", "unseen", "deleted", "gone_p50_ms",
"gone_max_ms", "not_gone"} (unseen, not_gone: not within 5 s)."""
import hashlib
import hmac
import json
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor


def post(url, secret, body):
    ts = str(int(time.time()))
    mac = hmac.new(secret.encode(), b"v0:" + ts.encode() + b":" + body, hashlib.sha256).hexdigest()
    req = urllib.request.Request(url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": "v0=" + mac})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status
    except (urllib.error.URLError, OSError):
        return 0


def seen_after(page, text, t0, shown=True):
    """Seconds from t0 until page shows text (or, shown False, no longer
    does: a 404 too), or None after 5 s."""
    needle = text.encode()
    while time.time() - t0 < 5:
        try:
            with urllib.request.urlopen(page, timeout=5) as r:
                body = r.read()
        except urllib.error.HTTPError:
            body = b""
        except (urllib.error.URLError, OSError):
            body = None
        if body is not None and (needle in body) == shown:
            return time.time() - t0
        time.sleep(0.05)
    return None


def ms(v, q):
    return round(1000 * v[min(len(v) - 1, int(q * len(v)))]) if v else None


def main():
    base, secret, rate, chans, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
    channels = [c.split("=", 1) for c in chans.split(",")]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    posted = ok = 0
    seen, unseen, gone, not_gone = [], 0, [], 0
    lock = threading.Lock()
    pool = ThreadPoolExecutor(max_workers=16)

    def check(page, text, t0, delete):
        nonlocal unseen, not_gone
        s = seen_after(page, text, t0)
        with lock:
            if s is None:
                unseen += 1
            else:
                seen.append(s)
        if s is None or not delete:
            return
        cid, ts, eid = delete
        now = time.time()
        dts = "%d.%06d" % (int(now), int(now * 1e6) % 1000000)
        body = json.dumps({"type": "event_callback", "team_id": "T1", "event_id": eid + "d", "event_time": int(now),
                           "event": {"type": "message", "subtype": "message_deleted", "hidden": True,
                                     "channel": cid, "ts": dts, "deleted_ts": ts, "event_ts": dts}}).encode()
        if post(base + "/slack/events", secret, body) != 200:
            return
        g = seen_after(page, text, time.time(), shown=False)
        with lock:
            if g is None:
                not_gone += 1
            else:
                gone.append(g)

    start = time.time()
    run = "%x" % int(start * 1000)   # each run's events and words its own
    while not stop.is_set():
        cid, path = channels[posted % len(channels)]
        now = time.time()
        ts = "%d.%06d" % (int(now), posted % 1000000)
        text = "live stream message %s-%d" % (run, posted)
        eid = "EvLive%s-%d" % (run, posted)
        body = json.dumps({"type": "event_callback", "team_id": "T1", "event_id": eid,
                           "event_time": int(now), "event": {"type": "message", "channel": cid,
                           "channel_type": "channel", "user": "ULIVE", "text": text, "ts": ts,
                           "event_ts": ts}}).encode()
        delete = (cid, ts, eid) if posted % 10 == 9 else None
        posted += 1
        if post(base + "/slack/events", secret, body) == 200:
            ok += 1
            day = time.strftime("%Y-%m-%d", time.gmtime(int(now)))
            pool.submit(check, "%s/%s/%s/" % (base, path, day), text, time.time(), delete)
        stop.wait(max(0.0, start + posted / rate - time.time()))
    pool.shutdown(wait=True)
    seen.sort()
    gone.sort()
    res = {"posted": posted, "ok": ok, "seen": len(seen), "unseen": unseen,
           "seen_p50_ms": ms(seen, 0.5), "seen_max_ms": ms(seen, 1),
           "deleted": len(gone), "not_gone": not_gone, "gone_p50_ms": ms(gone, 0.5), "gone_max_ms": ms(gone, 1)}
    with open(out, "w") as f:
        json.dump(res, f)


if __name__ == "__main__":
    main()
