#!/usr/bin/env python3
"""t91-raw.py: send bytes, exactly, as one HTTP request; see what comes back.

As a program:  t91-raw.py PORT [WAIT] < REQUEST
As a module:   send(port, request, wait) -> (result, answer bytes)

The result is the answer's status code ("400"), or "closed" when the
server closed the connection without answering, or "timeout" when nothing
came within WAIT seconds (default 3) and the connection was still open.
The answer is read to the end of its Content-Length, so keep-alive does
not make this wait. The program prints the result on the first line, then
the answer (headers and body).
"""
import re
import socket
import sys
import time


def send(port, req, wait=3.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    try:
        s.sendall(req)
    except OSError:
        pass                      # refused early: the answer may be there
    data, result = b"", None
    deadline = time.monotonic() + wait
    while True:
        end = data.find(b"\r\n\r\n")
        if end >= 0:
            m = re.search(rb"(?im)^content-length:\s*(\d+)", data[:end])
            if m and len(data) >= end + 4 + int(m.group(1)):
                break
        left = deadline - time.monotonic()
        if left <= 0:
            result = "timeout"
            break
        s.settimeout(left)
        try:
            chunk = s.recv(65536)
        except socket.timeout:
            result = "timeout"
            break
        except OSError:
            chunk = b""
        if not chunk:
            break
        data += chunk
    s.close()
    m = re.match(rb"HTTP/\d\.\d (\d{3})", data)
    if m:
        result = m.group(1).decode()
    return result or "closed", data


if __name__ == "__main__":
    result, data = send(int(sys.argv[1]), sys.stdin.buffer.read(),
                        float(sys.argv[2]) if len(sys.argv) > 2 else 3.0)
    try:
        sys.stdout.buffer.write(result.encode() + b"\n" + data)
        sys.stdout.flush()
    except BrokenPipeError:       # the caller wanted the first line only
        pass
