#!/usr/bin/env python3
"""serve-live-stream.py URL SECRET RATE CHANNELS OUT: a live workspace for
bench/serve-live.

Posts signed message events to URL/slack/events, RATE a second, into the
channels of CHANNELS in turn ("ID=path,ID=path,..."), each a new message
stamped now, until SIGTERM. After each 200 a second thread fetches the
day page the message is on (/path/YYYY-MM-DD/, the archive's zone being
UTC) every 50 ms until the page shows it: how long that took is how long
the server served the page without the change. Then writes to OUT:
{"posted", "ok", "seen", "seen_p50_ms", "seen_max_ms", "unseen"} (unseen:
not shown within 5 s)."""
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


def seen_after(page, text, t0):
    """Seconds from t0 until page shows text, or None after 5 s."""
    needle = text.encode()
    while time.time() - t0 < 5:
        try:
            with urllib.request.urlopen(page, timeout=5) as r:
                if needle in r.read():
                    return time.time() - t0
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.05)
    return None


def main():
    base, secret, rate, chans, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], sys.argv[5]
    channels = [c.split("=", 1) for c in chans.split(",")]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    posted = ok = 0
    seen, unseen = [], 0
    lock = threading.Lock()
    pool = ThreadPoolExecutor(max_workers=16)

    def check(page, text, t0):
        nonlocal unseen
        s = seen_after(page, text, t0)
        with lock:
            if s is None:
                unseen += 1
            else:
                seen.append(s)

    start = time.time()
    run = "%x" % int(start * 1000)   # each run's events and words its own
    while not stop.is_set():
        cid, path = channels[posted % len(channels)]
        now = time.time()
        ts = "%d.%06d" % (int(now), posted % 1000000)
        text = "live stream message %s-%d" % (run, posted)
        body = json.dumps({"type": "event_callback", "team_id": "T1", "event_id": "EvLive%s-%d" % (run, posted),
                           "event_time": int(now), "event": {"type": "message", "channel": cid,
                           "channel_type": "channel", "user": "ULIVE", "text": text, "ts": ts,
                           "event_ts": ts}}).encode()
        posted += 1
        if post(base + "/slack/events", secret, body) == 200:
            ok += 1
            day = time.strftime("%Y-%m-%d", time.gmtime(int(now)))
            pool.submit(check, "%s/%s/%s/" % (base, path, day), text, time.time())
        stop.wait(max(0.0, start + posted / rate - time.time()))
    pool.shutdown(wait=True)
    seen.sort()
    res = {"posted": posted, "ok": ok, "seen": len(seen), "unseen": unseen,
           "seen_p50_ms": round(1000 * seen[len(seen) // 2]) if seen else None,
           "seen_max_ms": round(1000 * seen[-1]) if seen else None}
    with open(out, "w") as f:
        json.dump(res, f)


if __name__ == "__main__":
    main()
