#!/bin/bash
# t4020-http: HTTP manners over real loopback: validators and 304, gzip,
# HEAD, headers, and hostile paths that must get a 4xx and nothing else.
. tests/lib.sh
. tests/e2e/serve.sh

DB=$TMP/a.db
check "import the web-threads fixture" import_fixture "$DB" "$FIX/web-threads"
check "server starts" start_server "$DB" -q

P=/general/2016-03-14/
hdrs() { curl -s -D - -o /dev/null "$@" | tr -d '\r'; }
hval() { sed -n "s/^$1: //Ip" | head -1; }

h=$(hdrs "$URL$P")
etag=$(hval ETag <<<"$h")
lm=$(hval Last-Modified <<<"$h")
check "strong ETag" grep -Eq '^"[0-9a-f]{16}"$' <<<"$etag"
check "Last-Modified is an HTTP date" grep -Eq '^[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9:]{8} GMT$' <<<"$lm"
body_hash=$(get "$P" | sha256sum | cut -c1-16)
eq "the ETag is the hash of the body" "$etag" "\"$body_hash\""
contains "Content-Type with charset" "$h" "Content-Type: text/html; charset=utf-8"
contains "Cache-Control on pages" "$h" "Cache-Control: public, max-age=300"
contains "Vary: Accept-Encoding" "$h" "Vary: Accept-Encoding"
contains "CSP forbids inline script" "$h" "script-src 'self'"
contains "CSP default-src" "$h" "Content-Security-Policy: default-src 'none'"
contains "CSP frame-ancestors" "$h" "frame-ancestors 'none'"
contains "nosniff" "$h" "X-Content-Type-Options: nosniff"
contains "Referrer-Policy" "$h" "Referrer-Policy: strict-origin-when-cross-origin"
contains "X-Frame-Options" "$h" "X-Frame-Options: DENY"
eq "same ETag on a second request" "$(hdrs "$URL$P" | hval ETag)" "$etag"

eq "If-None-Match with the ETag: 304" "$(code "$P" -H "If-None-Match: $etag")" 304
eq "304 has no body" "$(get "$P" -H "If-None-Match: $etag" | wc -c)" 0
eq "If-None-Match in a list: 304" "$(code "$P" -H "If-None-Match: \"nope\", $etag")" 304
eq "If-None-Match: * : 304" "$(code "$P" -H 'If-None-Match: *')" 304
eq "another ETag: 200" "$(code "$P" -H 'If-None-Match: "0000000000000000"')" 200
eq "If-Modified-Since = Last-Modified: 304" "$(code "$P" -H "If-Modified-Since: $lm")" 304
eq "If-Modified-Since long ago: 200" "$(code "$P" -H 'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT')" 200
eq "a wrong ETag wins over a fresh If-Modified-Since" \
	"$(code "$P" -H 'If-None-Match: "0000000000000000"' -H "If-Modified-Since: $lm")" 200
h304=$(hdrs "$URL$P" -H "If-None-Match: $etag")
contains "304 repeats the ETag" "$h304" "ETag: $etag"

# gzip: only when asked, same bytes once decompressed
get "$P" >"$TMP/identity"
curl -s -H 'Accept-Encoding: gzip' "$URL$P" >"$TMP/gz"
check "gzip body is gzip" bash -c "head -c2 '$TMP/gz' | od -An -tx1 | grep -q '1f 8b'"
check "gzip body decompresses to the identity body" bash -c "gzip -dc '$TMP/gz' | cmp -s - '$TMP/identity'"
hz=$(hdrs "$URL$P" -H 'Accept-Encoding: gzip')
contains "Content-Encoding: gzip" "$hz" "Content-Encoding: gzip"
gzetag=$(hval ETag <<<"$hz")
eq "the gzip variant has its own strong ETag" "$gzetag" "${etag%\"}-gz\""
eq "the gzip ETag validates too" "$(code "$P" -H 'Accept-Encoding: gzip' -H "If-None-Match: $gzetag")" 304
lacks "no gzip without Accept-Encoding" "$(hdrs "$URL$P")" "Content-Encoding"
lacks "no gzip when q=0" "$(hdrs "$URL$P" -H 'Accept-Encoding: gzip;q=0')" "Content-Encoding"
check "smaller on the wire" test "$(wc -c <"$TMP/gz")" -lt "$(wc -c <"$TMP/identity")"

# HEAD: same headers, no body
hh=$(curl -s -I "$URL$P" | tr -d '\r' | grep -v '^Date:')
hg=$(hdrs "$URL$P" | grep -v '^Date:')
eq "HEAD has the same headers as GET" "$hh" "$hg"
eq "HEAD has no body" "$(curl -s -I "$URL$P" | tr -d '\r' | sed '1,/^$/d' | wc -c)" 0
eq "HEAD Content-Length is the GET body's" "$(hval Content-Length <<<"$hh")" "$(wc -c <"$TMP/identity" | tr -d ' ')"

# keep-alive: two requests on one connection
check "keep-alive reuses the connection" bash -c \
	"curl -sv -o /dev/null -o /dev/null '$URL/' '$URL/general/' 2>&1 | grep -q 'Re-using existing connection'"

# hostile paths: a 4xx and nothing else (no page, no 500, no file)
for p in '/../../etc/passwd' '/%2e%2e/%2e%2e/etc/passwd' '/general/%2e%2e/%2e%2e/' '/%252e%252e/etc/passwd' \
	'/general%00/' '/general/2016-03-14%00/' '/general%2f2016-03-14/' '/general%2F2016-03-14/' \
	'/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd' '/%c0%af' '/general/..%2f..%2fetc' '/.%2e/' '/%5c..%5c' \
	'/general/./2016-03-14/' '//etc/passwd' '/%ff%fe/' '/%' '/%g0/' '/user.%2e%2e/' '/archives/../etc'; do
	c=$(code "$p")
	case "$c" in
	4??) ok "hostile path $p: $c" ;;
	*) nok "hostile path $p: got $c, want 4xx" ;;
	esac
	lacks "hostile path $p: no file content" "$(get "$p")" "root:x:0"
done
long=/$(head -c 9000 /dev/zero | tr '\0' a)/
c=$(code "$long"); case "$c" in 4??) ok "very long URL: $c" ;; *) nok "very long URL: got $c" ;; esac
huge=/$(head -c 40000 /dev/zero | tr '\0' a)/
c=$(code "$huge"); case "$c" in 4??) ok "URL over the memory limit: $c" ;; *) nok "URL over the memory limit: got $c" ;; esac
args=()
for i in $(seq 1 600); do args+=(-H "X-Filler-$i: $(printf '%060d' "$i")"); done
c=$(code / "${args[@]}"); case "$c" in 4??) ok "many headers: $c" ;; *) nok "many headers: got $c" ;; esac
eq "the server still answers after all that" "$(get /healthz)" "ok"

# a slow client is cut off after the connection timeout, others are served
if [ "${SLACKLOG_TEST_FAST:-0}" = 1 ]; then
	ok "slow-client timeout (skipped in --fast)"
else
	port=${URL##*:}
	( exec 3<>"/dev/tcp/127.0.0.1/$port"; printf 'GET / HTTP/1.1\r\n' >&3; sleep 30 ) &
	slow=$!
	sleep 0.5
	eq "others are served while a client dawdles" "$(get /healthz)" "ok"
	t0=$SECONDS
	python3 - "$port" <<'PY'
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.sendall(b'GET / HTTP/1.1\r\n')
s.settimeout(40)
t = time.time()
try:
    while s.recv(4096):
        pass
except OSError:
    pass
print('closed after %.0f s' % (time.time() - t), file=sys.stderr)
sys.exit(0 if time.time() - t < 30 else 1)
PY
	check "an idle half-request is closed within 30 s" test $? = 0
	kill "$slow" 2>/dev/null
	wait "$slow" 2>/dev/null
fi
stop_server
