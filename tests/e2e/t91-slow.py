#!/usr/bin/env python3
"""t91-slow.py PORT N SECONDS PROBES: slow clients against ordinary ones.

Opens N connections that each send a request line and then one header
byte every two seconds (slowloris), keeps them trickling for SECONDS, and
meanwhile makes PROBES ordinary requests for "/" one after another, each
on a new connection. Prints JSON:
  {"connected": how many slow connections were opened,
   "held": how many were still open (not closed, no answer) at the end,
   "probes": [[status, seconds], ...]}
"""
import http.client
import json
import socket
import sys
import time

port, n, seconds, probes = (int(a) for a in sys.argv[1:5])
slow = []
for i in range(n):
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
        s.sendall(b"GET / HTTP/1.1\r\nHost: slow\r\nX-Slow: ")
        slow.append(s)
    except OSError:
        pass


def trickle():
    for s in list(slow):
        try:
            s.send(b"a")
        except OSError:
            pass


def probe():
    t = time.monotonic()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        c.request("GET", "/")
        r = c.getresponse()
        r.read()
        c.close()
        status = r.status
    except OSError as e:
        status = str(e)
    return [status, round(time.monotonic() - t, 3)]


results = []
start = last = time.monotonic()
gap = seconds / max(probes, 1)
while time.monotonic() - start < seconds:
    if time.monotonic() - last >= 2:
        trickle()
        last = time.monotonic()
    if len(results) < probes and time.monotonic() - start >= gap * len(results):
        results.append(probe())
    time.sleep(0.05)

held = 0
for s in slow:
    s.setblocking(False)
    try:
        if s.recv(1, socket.MSG_PEEK) == b"":
            pass                  # closed by the server
    except BlockingIOError:
        held += 1                 # open, nothing to read: still waiting
    except OSError:
        pass
    s.close()
print(json.dumps({"connected": len(slow), "held": held, "probes": results}))
