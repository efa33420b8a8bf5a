#!/usr/bin/env python3
"""t91-hostile.py PORT SECRET CANARY: hostile requests over raw sockets.

Each case is sent exactly as written (t91-raw.py) to a running server and
must get the answer it names: "4xx" (any 4xx status; "505" too for a protocol
version other than 1.x, as RFC 9110 says), or also "closed"
(the server hung up without an answer), or also "wait" (the request is
incomplete and the server waits for the rest: nothing may have been
answered, let alone a 2xx). No answer may ever contain CANARY, the
content of files planted next to the server's working directory and the
archive. The events cases carry a correctly signed message event (SECRET),
so only the framing stands between them and the archive: the caller
counts the messages before and after. Prints "ok - ..." lines.
"""
import hashlib
import hmac
import json
import sys
import time
from importlib import import_module

sys.path.insert(0, "tests/e2e")
send = import_module("t91-raw").send
port, secret, canary = int(sys.argv[1]), sys.argv[2].encode(), sys.argv[3].encode()
H = b" HTTP/1.1\r\nHost: x\r\n\r\n"


def get(target):
    return b"GET " + target + H


PATHS = [
    b"/../canary.txt", b"/../../canary.txt", b"/general/../../canary.txt", b"/..", b"/.",
    b"/%2e%2e/canary.txt", b"/%2E%2E/canary.txt", b"/.%2e/canary.txt", b"/%2e./canary.txt",
    b"/%252e%252e/canary.txt", b"/%25%32%65%25%32%65/canary.txt", b"/..%2fcanary.txt",
    b"/..%2Fcanary.txt", b"/general/..%2f..%2fcanary.txt", b"/%2fcanary.txt", b"//canary.txt",
    b"/..\\canary.txt", b"/..%5ccanary.txt", b"/%5c..%5ccanary.txt", b"/general\\..\\..\\canary.txt",
    b"/./canary.txt", b"/canary.txt", b"/www/canary.txt", b"/style.css/../../canary.txt",
    b"/robots.txt/..", b"/general/2016-03-01/../../../canary.txt", b"/general%00/",
    b"/general/%00/../canary.txt", b"/canary.txt%00.css", b"/%00", b"/%c0%ae%c0%ae/canary.txt",
    b"/%c0%af", b"/%c0%2e%c0%2e/", b"/%e0%80%ae%e0%80%ae/canary.txt", b"/%f0%80%80%ae/",
    b"/%ed%a0%80/", b"/%f4%90%80%80/", b"/%ff%fe/", b"/\xff\xfe/", b"/\xc0\xae\xc0\xae/canary.txt",
    b"/general\x01/", b"/general%0d%0aSet-Cookie:%20x=1/", b"/%", b"/%g0/", b"/%2", b"general/",
    b"*", b"/general/2016-03-01/%2e%2e%2f%2e%2e%2fcanary.txt", b"/archives/../canary.txt",
]


def event(eid):
    ts = "1457222400.%06d" % (eid % 1000000)
    return json.dumps({"type": "event_callback", "team_id": "T1", "event_id": "EvHostile%d" % eid,
                       "event_time": 1457222400, "event": {
                           "type": "message", "channel": "C1", "channel_type": "channel",
                           "user": "U1", "text": "smuggled %d" % eid, "ts": ts, "event_ts": ts}},
                      separators=(",", ":")).encode()


def signed_headers(body):
    ts = str(int(time.time())).encode()
    mac = hmac.new(secret, b"v0:" + ts + b":" + body, hashlib.sha256).hexdigest().encode()
    return (b"Host: x\r\nContent-Type: application/json\r\nX-Slack-Request-Timestamp: " + ts +
            b"\r\nX-Slack-Signature: v0=" + mac + b"\r\n")


def chunk(body):
    return b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n"


def post(extra, payload, sign=None):
    return b"POST /slack/events HTTP/1.1\r\n" + signed_headers(sign) + extra + b"\r\n" + payload


def smuggling():
    """(name, expected, request): every body is a signed event."""
    out, n = [], 0

    def case(name, want, make):
        nonlocal n
        n += 1
        b = event(n)
        out.append((name, want, make(b)))

    cl = lambda b: b"Content-Length: %d\r\n" % len(b)
    case("CL and TE", "4xx", lambda b: post(cl(b) + b"Transfer-Encoding: chunked\r\n", chunk(b), b))
    case("TE and CL", "4xx", lambda b: post(b"Transfer-Encoding: chunked\r\n" + cl(b), chunk(b), b))
    case("CL and TE, body by CL", "4xx", lambda b: post(cl(b) + b"Transfer-Encoding: chunked\r\n", b, b))
    case("two different Content-Length", "4xx",
         lambda b: post(cl(b) + b"Content-Length: %d\r\n" % (len(b) + 10), b + b"0123456789", b))
    case("two equal Content-Length", "4xx", lambda b: post(cl(b) + cl(b), b, b))
    case("Content-Length list '5, 5'", "4xx", lambda b: post(b"Content-Length: %d, %d\r\n" % (len(b), len(b)), b, b))
    case("Content-Length +N", "4xx", lambda b: post(b"Content-Length: +%d\r\n" % len(b), b, b))
    case("Content-Length in hex", "4xx", lambda b: post(b"Content-Length: 0x%x\r\n" % len(b), b, b))
    case("Content-Length -1", "4xx", lambda b: post(b"Content-Length: -1\r\n", b, b))
    case("Content-Length with a space", "4xx", lambda b: post(b"Content-Length: %d 0\r\n" % len(b), b, b))
    case("two Transfer-Encoding: chunked", "4xx",
         lambda b: post(b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", chunk(b), b))
    case("TE chunked then TE x", "4xx",
         lambda b: post(b"Transfer-Encoding: chunked\r\nTransfer-encoding: x\r\n", chunk(b), b))
    case("TE x then TE chunked", "4xx",
         lambda b: post(b"Transfer-Encoding: x\r\nTransfer-Encoding: chunked\r\n", chunk(b), b))
    case("TE xchunked", "4xx", lambda b: post(b"Transfer-Encoding: xchunked\r\n", chunk(b), b))
    case("TE chunked, identity", "4xx", lambda b: post(b"Transfer-Encoding: chunked, identity\r\n", chunk(b), b))
    case("TE identity, chunked", "4xx", lambda b: post(b"Transfer-Encoding: identity, chunked\r\n", chunk(b), b))
    case("TE gzip, chunked", "4xx", lambda b: post(b"Transfer-Encoding: gzip, chunked\r\n", chunk(b), b))
    case("TE identity with CL", "4xx", lambda b: post(b"Transfer-Encoding: identity\r\n" + cl(b), b, b))
    case("TE 'chunked ' and CL", "4xx", lambda b: post(b"Transfer-Encoding: chunked \r\n" + cl(b), chunk(b), b))
    case("'Transfer-Encoding :' (space before colon) with CL", "4xx",
         lambda b: post(cl(b) + b"Transfer-Encoding : chunked\r\n", chunk(b), b))
    case("'Transfer-Encoding\\t:' with CL", "4xx|closed",
         lambda b: post(cl(b) + b"Transfer-Encoding\t: chunked\r\n", chunk(b), b))
    case("'Content-Length :' (space before colon)", "4xx",
         lambda b: post(b"Content-Length : %d\r\n" % len(b), b, b))
    case("' Transfer-Encoding' (leading space) with CL", "4xx|closed",
         lambda b: post(cl(b) + b" Transfer-Encoding: chunked\r\n", chunk(b), b))
    case("chunk size 'zz'", "4xx|closed", lambda b: post(b"Transfer-Encoding: chunked\r\n", b"zz\r\n" + b + b"\r\n0\r\n\r\n", b))
    case("chunk size -1", "4xx|closed", lambda b: post(b"Transfer-Encoding: chunked\r\n", b"-1\r\n" + b + b"\r\n0\r\n\r\n", b))
    case("chunk size past 64 bits", "4xx|closed",
         lambda b: post(b"Transfer-Encoding: chunked\r\n", b"1" + b"0" * 20 + b"\r\n" + b + b"\r\n0\r\n\r\n", b))
    case("chunk size 0x-prefixed", "4xx|closed",
         lambda b: post(b"Transfer-Encoding: chunked\r\n", b"0x%x\r\n" % len(b) + b + b"\r\n0\r\n\r\n", b))
    case("chunk shorter than its size, then a GET", "4xx|closed|wait",
         lambda b: post(b"Transfer-Encoding: chunked\r\n", b"%x\r\n" % (len(b) + 40) + b + b"\r\n0\r\n\r\n" + get(b"/../canary.txt"), b))
    case("chunk longer than its size", "4xx|closed",
         lambda b: post(b"Transfer-Encoding: chunked\r\n", b"%x\r\n" % (len(b) - 5) + b + b"\r\n0\r\n\r\n", b))
    case("CL shorter than the body, a GET smuggled after", "4xx",
         lambda b: post(b"Content-Length: %d\r\n" % (len(b) - 5), b + get(b"/../canary.txt"), b))
    case("CL 0 with a chunked body and a GET after", "4xx",
         lambda b: post(b"Content-Length: 0\r\nTransfer-Encoding: chunked\r\n", chunk(b) + get(b"/%2e%2e/canary.txt"), b))
    case("CL longer than the body", "4xx|wait", lambda b: post(b"Content-Length: %d\r\n" % (len(b) + 100), b, b))
    case("signature over another body", "4xx", lambda b: post(cl(b), b, b + b" "))
    case("body over 1 MB, signed", "4xx",
         lambda b: post(b"Content-Length: %d\r\n" % (len(b) + 1048576), b + b" " * 1048576, b + b" " * 1048576))
    return out


def cases():
    out = [("GET " + p.decode("latin-1").encode("unicode_escape").decode(), "4xx", get(p)) for p in PATHS]
    out += [
        ("raw NUL inside a segment", "4xx", b"GET /gen\x00eral/" + H[1:]),
        ("raw NUL then traversal", "any", b"GET /general/\x00/../../canary.txt" + H[1:]),
        ("absolute-form, another host", "4xx", b"GET http://evil.example/general/" + H[1:]),
        ("absolute-form, this host, traversal", "4xx", b"GET http://127.0.0.1:%d/../canary.txt" % port + H[1:]),
        ("absolute-form file:", "4xx", b"GET file:///etc/passwd" + H[1:]),
        ("authority-form CONNECT", "4xx", b"CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("asterisk-form OPTIONS", "4xx", b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("lowercase get", "4xx", b"get /" + H[1:]),
        ("mixed-case Get", "4xx", b"Get /" + H[1:]),
        ("method FOO", "4xx", b"FOO /" + H[1:]),
        ("method PUT with a body", "4xx", b"PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"),
        ("method DELETE", "4xx", b"DELETE /general/" + H[1:]),
        ("method TRACE", "4xx", b"TRACE /" + H[1:]),
        ("method PATCH", "4xx", b"PATCH /" + H[1:]),
        ("POST to a page", "4xx", b"POST /general/ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"),
        ("method with a NUL", "4xx|closed", b"G\x00ET /" + H[1:]),
        ("a 300-byte method", "4xx|closed", b"X" * 300 + b" /" + H[1:]),
        ("HTTP/0.9 request", "4xx|closed", b"GET /\r\n\r\n"),
        ("HTTP/2 preface", "4xx|closed|505", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        ("HTTP/3.0", "4xx|closed|505", b"GET / HTTP/3.0\r\nHost: x\r\n\r\n"),
        ("protocol FOO/1.1", "4xx|closed", b"GET / FOO/1.1\r\nHost: x\r\n\r\n"),
        ("TLS ClientHello, then CRLFs", "4xx|closed", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03" + b"\x00" * 32 + b"\r\n\r\n"),
        ("TLS ClientHello alone", "4xx|closed|wait", b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03"),
        ("line noise", "4xx|closed", b"\x01\x02\x03 \xff\xfe \x7f\r\n\r\n"),
        ("HTTP/1.1 without Host", "4xx", b"GET / HTTP/1.1\r\n\r\n"),
        ("GET with CL and TE", "4xx", b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        ("header name with a NUL", "4xx|closed", b"GET / HTTP/1.1\r\nHost: x\r\nX-A\x00: 1\r\n\r\n"),
        ("header line without a colon", "4xx|closed", b"GET / HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n"),
        ("query of 3 KB", "4xx", get(b"/?q=" + b"a" * 3000)),
        ("query of 100 KB", "4xx|closed", get(b"/?q=" + b"a" * 100000)),
        ("query of 500 parameters", "4xx|closed", get(b"/?" + b"&".join(b"a=1" for _ in range(500)))),
        ("query of 5,000 empty parameters", "4xx|closed", get(b"/?" + b"&" * 5000)),
        ("query with %00", "4xx", get(b"/?q=a%00b")),
        ("query with a raw control character", "4xx", get(b"/?q=a\x01b")),
        ("search for a path traversal", "any", get(b"/?q=..%2f..%2fcanary.txt")),
    ]
    return out + [("POST /slack/events: " + n, w, r) for n, w, r in smuggling()]


for name, want, req in cases():
    got, answer = send(port, req, 2)
    kind = "4xx" if got.startswith("4") else {"closed": "closed", "timeout": "wait"}.get(got, got)
    good = not got.startswith("5") if want == "any" else kind in want.split("|")
    print("%s - %s: %s%s" % ("ok" if good else "not ok", name, got, "" if good else " (want %s)" % want))
    leaked = canary in answer
    print("%s - %s: no planted file content" % ("not ok" if leaked else "ok", name))
print("# hostile requests: %d sent" % len(cases()))
