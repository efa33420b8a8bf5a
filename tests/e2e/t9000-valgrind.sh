#!/bin/bash
# t9000-valgrind: the plain binary under valgrind's memcheck, on small
# fixtures: import, ingest, render, search, build and a short serve session
# (pages, search, a 404, a redirect, the API), each with --leak-check=full.
# A check fails on any memcheck error (invalid read or write, use of an
# uninitialised value, a bad free) or any leak that is definitely or
# indirectly lost; "possibly lost" and "still reachable" are not leaks of
# ours (libraries' caches kept until exit). The command must also exit as
# it does without valgrind.
#
# Full mode only (tests/run without --fast), and only in the plain pass:
# valgrind cannot run a binary built with AddressSanitizer, which finds
# the same errors itself in the sanitizer pass.
. tests/lib.sh
if [ "${SLACKLOG_TEST_FAST:-0}" = 1 ] || [ -n "${SLACKLOG_SANITIZED:-}" ]; then
	echo "# t9000-valgrind: runs in the full suite's plain pass only"
	exit 0
fi
if ! command -v valgrind >/dev/null; then
	nok "valgrind is installed (scripts/deps test installs it)"
	exit 1
fi

VG=(valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --track-origins=no
    --num-callers=20)
n=0

# vg NAME EXPECTED_STATUS CMD...: run under valgrind; checks the exit status
# and the log's error and leak summary
vg() {
	local name=$1 want=$2; shift 2
	n=$((n + 1))
	local log=$TMP/vg-$n.log
	"${VG[@]}" --log-file="$log" "$@" >"$TMP/vg-$n.out" 2>&1 </dev/null
	vg_check "$name" "$want" $? "$log"
}

# vg_check NAME EXPECTED_STATUS STATUS LOG
vg_check() {
	local name=$1 want=$2 got=$3 log=$4
	local errors def ind
	errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tr -d , | tail -1)
	def=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d , | tail -1)
	ind=$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tr -d , | tail -1)
	if [ "$got" = "$want" ] && [ "${errors:-x}" = 0 ] && [ "${def:-0}" = 0 ] && [ "${ind:-0}" = 0 ]; then
		ok "valgrind: $name: no errors, no leaks (exit $got)"
	else
		nok "valgrind: $name: exit $got (want $want), errors ${errors:-?}, definitely lost ${def:-0} B, indirectly lost ${ind:-0} B"
		grep -A12 "Invalid\|uninitialised\|definitely lost in\|indirectly lost in" "$log" | head -40 | sed 's/^/#   /'
	fi
}

DB=$TMP/a.db
vg "import of an export directory" 0 "$SLACKLOG" import -q --tz UTC --db "$DB" "$FIX/web-threads"
vg "import of a zip" 0 "$SLACKLOG" import -q --db "$TMP/zip.db" "$SHARED/fixtures/slack-export-viewer-testarchive.zip"
vg "import with bad JSON, skipped with warnings" 1 "$SLACKLOG" import -q --db "$TMP/bad.db" "$FIX/invalid-json-midfile"
vg "ingest of event logs (bad lines skipped with warnings)" 1 "$SLACKLOG" ingest -q --db "$TMP/ev.db" "$FIX/events-basic"
vg "stats" 0 "$SLACKLOG" stats --db "$DB" --json
msg=$(jq -c '.[0]' "$FIX/web-threads/general/2016-03-14.json")
n=$((n + 1))
printf '%s' "$msg" | "${VG[@]}" --log-file="$TMP/vg-$n.log" "$SLACKLOG" render --db "$DB" >/dev/null 2>&1
vg_check "render of a message" 0 $? "$TMP/vg-$n.log"
n=$((n + 1))
printf '*bold* <https://example.com|a link> :smile: <@U0ALICE>' |
	"${VG[@]}" --log-file="$TMP/vg-$n.log" "$SLACKLOG" render --mrkdwn --text >/dev/null 2>&1
vg_check "render of mrkdwn as text" 0 $? "$TMP/vg-$n.log"
word=$(jq -r '.[0].text' "$FIX/web-threads/general/2016-03-14.json" | grep -o '[A-Za-z]\{4,\}' | head -1)
vg "search for '$word'" 0 "$SLACKLOG" search --db "$DB" --json "$word"
vg "search with filters" 0 "$SLACKLOG" search --db "$DB" "in:#general" "sort:old"
vg "search refusing a bad query" 2 "$SLACKLOG" search --db "$DB" '"unclosed'
vg "build of the static site" 0 "$SLACKLOG" build -q --jobs 2 --db "$DB" "$TMP/site"
vg "build again (nothing changed)" 0 "$SLACKLOG" build -q --jobs 2 --db "$DB" "$TMP/site"

# serve: a short session, stopped with SIGTERM
n=$((n + 1))
slog=$TMP/vg-$n.log
"${VG[@]}" --log-file="$slog" "$SLACKLOG" serve -q --threads 2 --db "$DB" --listen 127.0.0.1:0 2>"$TMP/serve.err" &
pid=$!
port=""
for _ in $(seq 1 300); do
	port=$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9][0-9]*\)/.*|\1|p' "$TMP/serve.err" | head -1)
	[ -n "$port" ] && curl -sf "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
codes=""
for p in / /general/ /general/2016-03-14/ /general/2016-03-14 "/?q=$word" /api.v1/search?q=in:general \
	/nope/ /feed.atom /sitemap.xml /style.css; do
	codes="$codes $(curl -s -o /dev/null -w '%{http_code}' --compressed "http://127.0.0.1:$port$p")"
done
eq "serve under valgrind answered every request" "$codes" " 200 200 200 301 200 200 404 200 200 200"
kill -TERM "$pid" 2>/dev/null
wait "$pid"
vg_check "serve session (10 requests, SIGTERM)" 0 $? "$slog"
