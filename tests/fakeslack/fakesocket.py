"""fakesocket.py: the Socket Mode side of fakeslack.py.

A WebSocket server (RFC 6455) written on plain sockets, so that a test can
also make it send what a correct server never would. apps.connections.open
(fakeslack.py) hands out a ws:// URL with a one-time ticket (wss:// to
"localhost" with --tls-cert/--tls-key); a connection upgraded with a valid
ticket is sent a hello at once, then whatever the test asks through
fakeslack.py's /control/ endpoints (see there). Every acknowledgement the
client sends is recorded with the time it came, and when the envelope was
sent with a "check" (an SQL query), the query's answer read from the
archive (--db) at that moment: so a test sees what the archive held when
the event was acknowledged.
"""
import base64
import hashlib
import json
import os
import socket
import sqlite3
import ssl
import struct
import threading
import time
import urllib.parse

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def frame(op, payload, fin=True, mask=False):
    b0 = (0x80 if fin else 0) | op
    m = 0x80 if mask else 0
    n = len(payload)
    if n < 126:
        hdr = bytes([b0, m | n])
    elif n < 65536:
        hdr = bytes([b0, m | 126]) + struct.pack(">H", n)
    else:
        hdr = bytes([b0, m | 127]) + struct.pack(">Q", n)
    if mask:
        key = os.urandom(4)
        payload = bytes(c ^ key[i % 4] for i, c in enumerate(payload))
        hdr += key
    return hdr + payload


def message_event(event_id, channel, ts, text, user="U1"):
    return {"type": "event_callback", "team_id": "T1", "api_app_id": "A1", "event_id": event_id,
            "event_time": int(float(ts)),
            "event": {"type": "message", "channel": channel, "channel_type": "channel", "user": user,
                      "text": text, "ts": ts, "event_ts": ts}}


class Conn:
    def __init__(self, srv, sock, n):
        self.srv, self.sock, self.n = srv, sock, n
        self.open, self.closing = True, False
        self.opened, self.closed_at, self.hello_at = time.time(), None, None
        self.client_close = None          # the code of the client's close frame
        self.unmasked = self.pongs = 0
        self.wlock = threading.Lock()

    def send(self, data):
        with self.wlock:
            try:
                self.sock.sendall(data)
                return True
            except OSError:
                return False

    def send_json(self, obj):
        return self.send(frame(1, json.dumps(obj).encode()))

    def recv_exact(self, n):
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise EOFError
            out += chunk
        return out

    def read_frame(self):
        b0, b1 = self.recv_exact(2)
        n = b1 & 0x7f
        if n == 126:
            n = struct.unpack(">H", self.recv_exact(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self.recv_exact(8))[0]
        key = self.recv_exact(4) if b1 & 0x80 else None
        if key is None:
            self.unmasked += 1
        data = self.recv_exact(n)
        if key:
            data = bytes(c ^ key[i % 4] for i, c in enumerate(data))
        return b0 & 0x0f, data

    def reader(self):
        try:
            while True:
                op, data = self.read_frame()
                if op == 1:
                    try:
                        obj = json.loads(data)
                    except ValueError:
                        obj = {}
                    if obj.get("envelope_id"):
                        self.srv.on_ack(self, obj["envelope_id"])
                elif op == 8:
                    self.client_close = struct.unpack(">H", data[:2])[0] if len(data) >= 2 else 1005
                    if not self.closing:
                        self.send(frame(8, data[:2]))
                    break
                elif op == 9:
                    self.send(frame(10, data))
                elif op == 10:
                    self.pongs += 1
        except (EOFError, OSError):
            pass
        self.finish()

    def close(self, code=1000):
        """Start the closing handshake; the reader ends with the answer."""
        self.closing = True
        self.send(frame(8, struct.pack(">H", code)))
        threading.Timer(3, self.finish).start()

    def finish(self):
        with self.srv.cond:
            if not self.open:
                return
            self.open = False
            self.closed_at = time.time()
            self.srv.cond.notify_all()
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    def state(self):
        return {"n": self.n, "open": self.open, "opened": self.opened, "closed_at": self.closed_at,
                "hello_at": self.hello_at, "client_close": self.client_close, "unmasked": self.unmasked,
                "pongs": self.pongs}


class Server:
    def __init__(self, cfg):
        self.cfg = cfg
        self.tls = None
        if cfg.tls_cert:
            self.tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self.tls.load_cert_chain(cfg.tls_cert, cfg.tls_key)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.tickets = set()
        self.conns = []
        self.cond = threading.Condition()
        self.acks = {}        # envelope_id -> [{"conn", "t", "check"}]
        self.sent = {}        # envelope_id -> time sent
        self.checks = {}      # envelope_id -> SQL
        self.options = {}     # /control/config: open_error, no_hello
        threading.Thread(target=self.accept_loop, daemon=True).start()

    # ---- connections ----

    def url(self):
        ticket = base64.urlsafe_b64encode(os.urandom(12)).decode()
        with self.cond:
            self.tickets.add(ticket)
        host = "localhost" if self.tls else "127.0.0.1"
        return "%s://%s:%d/link/?ticket=%s&app_id=A1" % ("wss" if self.tls else "ws", host, self.port, ticket)

    def accept_loop(self):
        while True:
            s, _ = self.sock.accept()
            threading.Thread(target=self.handshake, args=(s,), daemon=True).start()

    def handshake(self, s):
        try:
            if self.tls:
                s = self.tls.wrap_socket(s, server_side=True)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 16384:
                chunk = s.recv(4096)
                if not chunk:
                    raise EOFError
                head += chunk
        except (OSError, EOFError, ssl.SSLError):
            s.close()
            return
        lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
        target = lines[0].split(" ")[1] if len(lines[0].split(" ")) == 3 else ""
        headers = {k.strip().lower(): v.strip() for k, v in (l.split(":", 1) for l in lines[1:] if ":" in l)}
        ticket = urllib.parse.parse_qs(urllib.parse.urlparse(target).query).get("ticket", [""])[0]
        with self.cond:
            valid = ticket in self.tickets
            self.tickets.discard(ticket)
        key = headers.get("sec-websocket-key", "")
        if not valid or headers.get("upgrade", "").lower() != "websocket" or headers.get("sec-websocket-version") != "13" or not key:
            s.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            s.close()
            return
        accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
        s.sendall(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: %s\r\n\r\n" % accept).encode())
        with self.cond:
            c = Conn(self, s, len(self.conns) + 1)
            self.conns.append(c)
        if not self.options.get("no_hello"):
            c.send_json({"type": "hello", "num_connections": sum(1 for x in self.conns if x.open),
                         "debug_info": {"host": "fake-1", "approximate_connection_time": 18060},
                         "connection_info": {"app_id": "A1"}})
            with self.cond:
                c.hello_at = time.time()
                self.cond.notify_all()
        c.reader()

    def latest(self):
        with self.cond:
            live = [c for c in self.conns if c.open and not c.closing and c.hello_at]
        return live[-1] if live else None

    def on_ack(self, conn, envelope_id):
        check = None
        sql = self.checks.get(envelope_id)
        if sql and self.cfg.db:
            db = sqlite3.connect("file:%s?mode=ro" % self.cfg.db, uri=True)
            try:
                check = db.execute(sql).fetchone()[0]
            finally:
                db.close()
        t = time.time()
        with self.cond:
            self.acks.setdefault(envelope_id, []).append(
                {"conn": conn.n, "t": t, "delay": t - self.sent.get(envelope_id, t), "check": check})
            self.cond.notify_all()

    # ---- what the tests ask (fakeslack.py's /control/NAME) ----

    def wait_for(self, pred, timeout):
        end = time.time() + timeout
        with self.cond:
            while not pred():
                left = end - time.time()
                if left <= 0:
                    return False
                self.cond.wait(left)
        return True

    def c_event(self, a):
        """Send an events_api envelope: {"id", "payload"} or {"id", "event_id",
        "channel", "ts", "text"}; "retry_attempt", "check" (SQL) optional."""
        payload = a.get("payload") or message_event(a["event_id"], a["channel"], a["ts"], a["text"])
        env = {"envelope_id": a["id"], "type": "events_api", "payload": payload, "accepts_response_payload": False,
               "retry_attempt": a.get("retry_attempt", 0), "retry_reason": a.get("retry_reason", "")}
        if "check" in a:
            self.checks[a["id"]] = a["check"]
        c = self.latest()
        if not c:
            return {"ok": False, "error": "no connection"}
        self.sent[a["id"]] = time.time()
        return {"ok": c.send_json(env), "conn": c.n}

    def c_send(self, a):
        """Send {"json": obj} or {"hex": bytes} on the latest connection;
        "then": "drop" closes the socket right after."""
        c = self.latest()
        if not c:
            return {"ok": False, "error": "no connection"}
        ok = c.send(bytes.fromhex(a["hex"]) if "hex" in a else frame(1, json.dumps(a["json"]).encode()))
        if a.get("then") == "drop":
            c.finish()
        return {"ok": ok, "conn": c.n}

    def c_drop(self, a):
        """Vanish: the socket closed without a close frame; "mid_frame":
        after the first bytes of a text frame announcing 200."""
        c = self.latest()
        if not c:
            return {"ok": False, "error": "no connection"}
        if a.get("mid_frame"):
            c.send(bytes([0x81, 126, 0, 200]) + b'{"type":"events_api"')
            time.sleep(0.2)
        c.finish()
        return {"ok": True, "conn": c.n}

    def c_disconnect(self, a):
        """A disconnect envelope; the connection is closed by us after
        "close_after" seconds (never when negative)."""
        c = self.latest()
        if not c:
            return {"ok": False, "error": "no connection"}
        c.send_json({"type": "disconnect", "reason": a.get("reason", "refresh_requested"),
                     "debug_info": {"host": "fake-1"}})
        if a.get("close_after", 1) >= 0:
            threading.Timer(a.get("close_after", 1), c.close).start()
        return {"ok": True, "conn": c.n}

    def c_burst(self, a):
        """n message events, one every "interval" seconds, each on the latest
        connection; at "disconnect_at" a refresh is asked for."""
        def run():
            for i in range(a["n"]):
                if i == a.get("disconnect_at", -1):
                    self.c_disconnect({"close_after": a.get("close_after", 1)})
                ts = "%d.%06d" % (a["ts0"] + i, i)
                while not self.c_event({"id": "%s-env-%d" % (a["prefix"], i), "event_id": "%s%d" % (a["prefix"], i),
                                        "channel": a["channel"], "ts": ts, "text": "burst %d" % i})["ok"]:
                    time.sleep(0.01)
                time.sleep(a.get("interval", 0.01))
        threading.Thread(target=run, daemon=True).start()
        return {"ok": True}

    def c_wait_ack(self, a):
        ok = self.wait_for(lambda: a["id"] in self.acks, a.get("timeout", 10))
        return {"ok": ok, "acks": self.acks.get(a["id"], [])}

    def c_wait_acks(self, a):
        """Until every envelope named prefix-env-0..n-1 is acknowledged."""
        ids = ["%s-env-%d" % (a["prefix"], i) for i in range(a["n"])]
        ok = self.wait_for(lambda: all(i in self.acks for i in ids), a.get("timeout", 30))
        return {"ok": ok, "acked": sum(1 for i in ids if i in self.acks),
                "max_acks": max((len(self.acks.get(i, [])) for i in ids), default=0),
                "slowest": max((x["delay"] for i in ids for x in self.acks.get(i, [])), default=0),
                "conns": sorted({x["conn"] for i in ids for x in self.acks.get(i, [])})}

    def c_wait_conns(self, a):
        ok = self.wait_for(lambda: sum(1 for c in self.conns if c.hello_at) >= a["n"], a.get("timeout", 10))
        return {"ok": ok, "conns": [c.state() for c in self.conns]}

    def c_wait_closed(self, a):
        ok = self.wait_for(lambda: not any(c.open for c in self.conns), a.get("timeout", 10))
        return {"ok": ok, "conns": [c.state() for c in self.conns]}

    def c_config(self, a):
        self.options.update(a)
        return {"ok": True}

    def c_state(self, a):
        return {"ok": True, "conns": [c.state() for c in self.conns], "acks": self.acks}

    def control(self, name, args):
        fn = getattr(self, "c_" + name, None)
        return fn(args) if fn else {"ok": False, "error": "unknown control " + name}
