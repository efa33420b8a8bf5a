#!/bin/bash
# t4050-browser: the day page in Debian's chromium (tests/browser/day-page.mjs):
# renders, anchors scroll, threads open, the index's column headers on one
# line, dark mode, a 375 px phone, no console errors or CSP violations; a
# channel's calendar marks a day whose only activity was replies to earlier
# threads, and that day's lines lead to the replies. Screenshots in
# tests/out/screens/.
. tests/lib.sh
. tests/e2e/serve.sh

if [ ! -x /usr/bin/chromium ] || [ ! -d tests/browser/node_modules/playwright-core ]; then
	nok "chromium and playwright-core are installed (scripts/deps test; npm install in tests/browser)"
	exit 0
fi
check "import houstondatavis-2016" import_fixture "$TMP/h.db" "$SHARED/fixtures/houstondatavis-2016"
check "serve it" start_server "$TMP/h.db" -q
busiest=$(python3 tests/e2e/export-days.py "$SHARED/fixtures/houstondatavis-2016" | sort -k3 -rn | head -1)
LONG="$URL/$(cut -d' ' -f1,2 <<<"$busiest" | tr ' ' /)/"
HPID=$SERVER_PID
SERVER_PID=
check "import the late-replies fixture" import_fixture "$TMP/l.db" "$FIX/late-replies"
check "serve it" start_server "$TMP/l.db" -q
LATE=$URL
LPID=$SERVER_PID
SERVER_PID=
check "import the web-threads fixture" import_fixture "$TMP/w.db" "$FIX/web-threads"
check "serve it" start_server "$TMP/w.db" -q
trap 'stop_server >/dev/null; kill $HPID $LPID 2>/dev/null' EXIT
node tests/browser/day-page.mjs "$URL" "$LONG" tests/out/screens "$LATE"
stop_server
SERVER_PID=$LPID
stop_server
SERVER_PID=$HPID
stop_server
