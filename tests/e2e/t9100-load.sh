#!/bin/bash
# t9100-load: `slacklog serve` under load, slow clients and oversized
# requests (full mode only: about 50 s).
#   - wrk, 1,000 connections for 30 s, three day pages for one search of
#     the real houstondatavis-2016 export: no socket error, no timeout
#     (no answer within TIMEOUT; the machine that runs the suite is
#     often busy with other work: the figures line shows the real p99 and
#     maximum), no answer outside 2xx/3xx, server RSS sampled every half
#     second stays under RSS_MAX_KB;
#   - 500 slowloris connections trickling a header byte every 2 s: each
#     of 12 ordinary requests made meanwhile is answered within 1 s;
#   - a request line, a query, a header block and an events body over
#     the limits get 414, 431 and 413.
# The figures are printed as "# ..." lines (docs/RELIABILITY.md, "Load").
. tests/lib.sh
. tests/e2e/serve.sh
RSS_MAX_KB=100000
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
CONNS=1000 SECONDS_LOAD=30 TIMEOUT=5s

if [ "${SLACKLOG_TEST_FAST:-0}" = 1 ] || [ "${SLACKLOG_SANITIZED:-0}" = 1 ]; then
	ok "load test (full mode, plain build only: skipped)"
	exit 0
fi
if ! command -v wrk >/dev/null; then
	nok "wrk is installed (scripts/deps test)"
	exit 0
fi
EXPORT=$SHARED/fixtures/houstondatavis-2016
check "import houstondatavis-2016" import_fixture "$TMP/h.db" "$EXPORT"
SLACKLOG_SIGNING_SECRET=load-test-secret check "serve it" start_server "$TMP/h.db" -q
port=${URL##*:}

# the day pages and the words, from the export itself (not from slacklog)
$PY tests/e2e/export-days.py "$EXPORT" | awk '{ print "/" $1 "/" $2 "/" }' >"$TMP/days"
$PY - "$EXPORT" >"$TMP/words" <<'PY'
import collections, glob, json, os, re, sys
n = collections.Counter()
for f in glob.glob(os.path.join(sys.argv[1], '*', '*.json')):
    for m in json.load(open(f)):
        n.update(w.lower() for w in re.findall(r'[A-Za-z]{4,12}', m.get('text', '')))
for w, _ in n.most_common(300):
    print(w)
PY
check "over 200 day pages to fetch" test "$(wc -l <"$TMP/days")" -gt 200
check "300 words to search for" test "$(wc -l <"$TMP/words")" = 300
eq "a day page of the mix answers 200" "$(code "$(head -1 "$TMP/days")")" 200
eq "a search of the mix answers 200" "$(code "/?q=$(head -1 "$TMP/words")")" 200

# RSS, sampled while wrk runs
( while kill -0 "$SERVER_PID" 2>/dev/null; do
	sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SERVER_PID/status"; sleep 0.5
done ) >"$TMP/rss" 2>/dev/null &
sampler=$!
rss0=$(sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$SERVER_PID/status")
DAYS=$TMP/days WORDS=$TMP/words wrk -t2 -c"$CONNS" -d"${SECONDS_LOAD}s" --timeout "$TIMEOUT" \
	-s tests/e2e/t91-load.lua "$URL/" >"$TMP/wrk.out" 2>&1
kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null
res=$(grep '^result ' "$TMP/wrk.out")
val() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$res"; }
check "wrk ran and reported" test -n "$res"
[ -n "$res" ] || sed 's/^/#   /' "$TMP/wrk.out"
req=$(val requests)
check "requests were made ($req)" test "${req:-0}" -gt 1000
for e in connect read write timeout; do
	eq "no socket $e errors at $CONNS connections (timeout $TIMEOUT)" "$(val $e)" 0
done
eq "no answer outside 2xx/3xx" "$(val status)" 0
rss_max=$(sort -n "$TMP/rss" | tail -1)
check "RSS sampled during the run ($(wc -l <"$TMP/rss") samples)" test "$(wc -l <"$TMP/rss")" -gt 20
check "server RSS stays under $((RSS_MAX_KB / 1000)) MB (peak ${rss_max:-?} kB)" test "${rss_max:-999999999}" -lt "$RSS_MAX_KB"
echo "# load: $CONNS connections, ${SECONDS_LOAD} s: $req requests, $(awk -v r="$req" -v s="$(val seconds)" 'BEGIN { printf "%.0f", r / s }') requests/s, p99 $(val p99_ms) ms, max $(val max_ms) ms; RSS $rss0 kB before, peak $rss_max kB"
eq "healthy after the load" "$(get /healthz)" ok

# slow clients hold 500 connections; ordinary requests are still answered
slow=$($PY tests/e2e/t91-slow.py "$port" 500 12 12)
eq "500 slow connections opened" "$(jq .connected <<<"$slow")" 500
eq "all 500 still held open by the server at the end" "$(jq .held <<<"$slow")" 500
eq "12 ordinary requests made meanwhile, all 200" "$(jq '[.probes[] | select(.[0] == 200)] | length' <<<"$slow")" 12
eq "each answered within 1 s" "$(jq '[.probes[] | select(.[1] >= 1)] | length' <<<"$slow")" 0
echo "# slowloris: 500 held; probe seconds: $(jq -c '[.probes[][1]]' <<<"$slow")"

# oversized requests (one python run: each start of python costs)
$PY - "$port" <<'PY'
import sys
sys.path.insert(0, "tests/e2e")
from importlib import import_module
send = import_module("t91-raw").send
port = int(sys.argv[1])
ev = b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
chunked = b"".join(b"10000\r\n" + b" " * 65536 + b"\r\n" for _ in range(32)) + b"0\r\n\r\n"
cases = [
    ("request line of 40 KB", "414", b"GET /" + b"a" * 40000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("path over 2 KB (fits in memory)", "414", b"GET /" + b"a" * 3000 + b"/ HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("query over 2 KB", "414", b"GET /?q=" + b"a" * 3000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("query of 40 parameters", "414", b"GET /?" + b"&".join(b"a%d=1" % i for i in range(40)) + b" HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("one header of 40 KB", "431", b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 40000 + b"\r\n\r\n"),
    ("2,000 small headers", "431", b"GET / HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: y\r\n" % i for i in range(2000)) + b"\r\n"),
    ("events body of 2 MB announced: refused before it is sent", "413", ev + b"Content-Length: 2097152\r\n\r\n{"),
    ("events body of 2 MB sent", "413", ev + b"Content-Length: 2097152\r\n\r\n" + b" " * 2097152),
    ("events body of 2 MB, chunked", "413", ev + b"Transfer-Encoding: chunked\r\n\r\n" + chunked),
]
for name, want, req in cases:
    got, _ = send(port, req, 5)
    print("%s - %s: %s%s" % ("ok" if got == want else "not ok", name, want, "" if got == want else ", got " + got))
PY
eq "healthy at the end" "$(get /healthz)" ok
stop_server
