#!/bin/bash
# t7050-static-copy: the static copy as a visitor meets it, behind a plain
# static server.
#
# Every export among the fixtures (each of tests/fixtures that has a
# channels.json, both shared exports, the bundled sample) is built and
# served by python's http.server and by nginx: every same-site link in
# every file of the build (pages, feeds, sitemaps, API documents) answers
# 200 from both (links.py static), and every URL that `slacklog serve`
# links to is a file of the build (links.py serve).
#
# The rule that makes it so: a person has a page when they have a profile
# and wrote in a published channel; anyone else (on houstondatavis,
# four people only mentioned in #general; an author missing from
# users.json) is named without a link, by serve and build alike. An
# incremental build keeps that true when someone writes for the first
# time (a bulk first import, a message ingested) and when their last
# message goes: it equals a clean build, links and all.
#
# /favicon.ico is the icon, from serve and in the build. With search off
# (a build's default) every page says so where the box would be, and
# /search.html explains; chromium sees both (tests/browser/static-copy.mjs).
. tests/lib.sh
. tests/e2e/serve.sh
L=tests/e2e/links.py

# whole NAME RESULT CHECK: links.py's CHECK ("static URL", "serve URL")
# found links, and none broken
whole() {
	local line; line=$(grep "^$3: " <<<"$2")
	grep '^#' <<<"$2" | head -5
	if [[ $line =~ :\ links=[1-9][0-9]*\ broken=0$ ]]; then ok "$1 (${line#*: })"; else nok "$1: [$line]"; fi
}

# the static servers serve $TMP/root, a link to each site in turn
ln -sfn "$TMP/none" "$TMP/root"
check "python's http.server starts" start_static "$TMP/root"
check "nginx starts" start_nginx "$TMP/root"
trap 'stop_server >/dev/null; stop_static; stop_nginx' EXIT

n=0
for f in "$FIX"/*/ "$SHARED/fixtures/houstondatavis-2016" "$SHARED/fixtures/slack-export-viewer-testarchive.zip" sample/export; do
	f=${f%/}
	if [ -d "$f" ] && [ ! -f "$f/channels.json" ]; then
		echo "# $f: not an export (event logs, an emoji list, test vectors)"
		continue
	fi
	name=$(basename "$f" .zip)
	[ "$name" = export ] && name=sample
	db=$TMP/$name.db site=$TMP/$name.site
	import_fixture "$db" "$f"
	check "$name: import" test $? -le 1
	check "$name: build" "$SLACKLOG" build -q --db "$db" "$site"
	ln -sfn "$site" "$TMP/root"
	check "$name: slacklog serve" start_server "$db" -q --search-url off
	r=$(python3 "$L" "$site" static "$STATIC" static "$NGINX" serve "$URL")
	whole "$name: every link in the build answers 200 from http.server" "$r" "static $STATIC"
	whole "$name: and from nginx" "$r" "static $NGINX"
	whole "$name: every URL serve links to is a file of the build" "$r" "serve $URL"
	stop_server >/dev/null
	n=$((n + 1))
done
check "every export among the fixtures was crawled ($n)" test "$n" -ge 26

# ---- who has a page
H=$TMP/houstondatavis-2016.site
check "serve the houston archive" start_server "$TMP/houstondatavis-2016.db" -q --search-url off
day=$(cat "$H/general/2016-06-17/index.html")
for u in U07N1U6UB U08RGD1RD U1H7NKVHP U1HKBB6MB; do
	eq "$u, only mentioned, has no page from serve" "$(code "/user.$u/")" 404
	check "nor in the build" test ! -e "$H/user.$u"
done
contains "serve's 404 says why" "$(get /user.U1H7NKVHP/)" 'There is no page for a person with this ID: people have one when they wrote in the published channels.'
lacks "a mention of someone without a page is not a link" "$day" 'href="/user.U1H7NKVHP/"'
contains "it names them (U1H7NKVHP is julio r)" "$day" '<span class="mention">@julio r</span>'
author=$(cd "$H" && ls -d user.* | head -1)
eq "an author has a page from serve ($author)" "$(code "/$author/")" 200
check "and in the build" test -f "$H/$author/index.html"
contains "their messages link to it" "$(cat "$H"/general/*/index.html)" "<a class=\"author\" href=\"/$author/\">"
stop_server
D=$TMP/build-changes-day.site
check "serve an archive whose author has no profile" start_server "$TMP/build-changes-day.db" -q --search-url off
eq "U1, not in users.json, has no page from serve" "$(code /user.U1/)" 404
check "nor in the build" test ! -e "$D/user.U1"
contains "their messages name them without a link" "$(cat "$D/general/2016-02-04/index.html")" '<span class="author">U1</span>'
stop_server

# ---- incremental builds, as people come and go
X=$TMP/people
mkdir -p "$X/a" "$X/b/general"
cat >"$X/a/users.json" <<'EOF'
[{"id": "UANN", "name": "ann", "profile": {"display_name": "Ann"}},
 {"id": "UQUINN", "name": "quinn", "profile": {"display_name": "Quinn"}},
 {"id": "UNEWT", "name": "newt", "profile": {"display_name": "Newt"}}]
EOF
cat >"$X/a/channels.json" <<'EOF'
[{"id": "C1", "name": "general", "created": 1451606400},
 {"id": "C2", "name": "ask", "created": 1451606400, "topic": {"value": "ask <@UNEWT>"}}]
EOF
cp "$X/a/users.json" "$X/a/channels.json" "$X/b/"
cat >"$X/b/general/2016-01-01.json" <<'EOF'
[{"type": "message", "user": "UANN", "ts": "1451649600.000100", "text": "hello <@UQUINN>, are you there?"},
 {"type": "message", "user": "UNEWT", "ts": "1451649700.000100", "text": "hi all"}]
EOF
# quinn writes in #ask days later: nothing but quinn's change renders the
# page of ann's mention again (a message next to it would, for its links)
printf '%s\n' '{"type":"message","channel":"C2","user":"UQUINN","text":"I am here","ts":"1452000000.000100","event_ts":"1452000000.000100"}' >"$X/first.jsonl"
printf '%s\n' '{"type":"message","subtype":"message_deleted","hidden":true,"channel":"C2","ts":"1452000100.000000","deleted_ts":"1452000000.000100","event_ts":"1452000100.000000"}' >"$X/gone.jsonl"
S=$X/site
ln -sfn "$S" "$TMP/root"
# same_as_clean STEP: the incremental site and list equal a clean build's
same_as_clean() {
	rm -rf "$X/clean"
	"$SLACKLOG" build -q --db "$X/a.db" "$X/clean"
	local d; d=$(diff -r "$S" "$X/clean" 2>&1 | head -5)
	eq "$1: the incremental site equals a clean build" "$d" ""
	check "$1: and so does its list" cmp -s "$S.slacklog-build" "$X/clean.slacklog-build"
	whole "$1: its links are whole" "$(python3 "$L" "$S" static "$STATIC")" "static $STATIC"
}
check "an export of channels and people, no message" import_fixture "$X/a.db" "$X/a"
check "built" "$SLACKLOG" build -q --db "$X/a.db" "$S"
check "the first messages: ann names quinn, newt (named in #ask's topic) writes" import_fixture "$X/a.db" "$X/b"
check "incremental build" "$SLACKLOG" build -q --db "$X/a.db" "$S"
same_as_clean "first messages"
contains "#ask's topic links to newt's page" "$(cat "$S/ask/index.html")" 'href="/user.UNEWT/"'
lacks "quinn, who has not written, is not linked" "$(cat "$S/general/2016-01-01/index.html")" 'href="/user.UQUINN/"'
check "quinn writes" "$SLACKLOG" ingest -q --db "$X/a.db" "$X/first.jsonl"
check "incremental build" "$SLACKLOG" build -q --db "$X/a.db" "$S"
same_as_clean "quinn's first message"
contains "ann's message links to quinn's page now" "$(cat "$S/general/2016-01-01/index.html")" 'href="/user.UQUINN/"'
# the deletion alone, from a site built afresh
rm -rf "$S"
"$SLACKLOG" build -q --db "$X/a.db" "$S"
contains "a site that links quinn's page" "$(cat "$S/general/2016-01-01/index.html")" 'href="/user.UQUINN/"'
check "quinn's message goes" "$SLACKLOG" ingest -q --db "$X/a.db" "$X/gone.jsonl"
check "incremental build" "$SLACKLOG" build -q --db "$X/a.db" "$S"
same_as_clean "quinn's last message gone"
lacks "ann's message no longer links to quinn" "$(cat "$S/general/2016-01-01/index.html")" 'href="/user.UQUINN/"'
check "quinn's page is gone" test ! -e "$S/user.UQUINN"

# ---- the icon
I=$TMP/web-threads.site
check "serve web-threads" start_server "$TMP/web-threads.db" -q --search-url off
eq "/favicon.ico answers 200 from serve" "$(code /favicon.ico)" 200
eq "as an icon" "$(curl -s -o /dev/null -w '%{content_type}' "$URL/favicon.ico")" image/x-icon
check "its bytes are assets/favicon.ico" cmp -s <(get /favicon.ico) assets/favicon.ico
check "the build has the same file" cmp -s "$I/favicon.ico" assets/favicon.ico
check "an ICO with a 16 and a 32 pixel image" python3 -c '
import struct, sys
d = open(sys.argv[1], "rb").read()
_, kind, n = struct.unpack("<HHH", d[:6])
sizes = sorted((d[6 + 16 * i] or 256) for i in range(n))
assert kind == 1 and sizes == [16, 32], (kind, sizes)' assets/favicon.ico

# ---- search, which a static copy cannot do
ln -sfn "$I" "$TMP/root"
home=$(cat "$I/index.html")
contains "with search off, the header says there is none" "$home" '<p class="nosearch"><a href="/search.html">Search is not available on this copy</a></p>'
lacks "and has no search box" "$home" 'role="search"'
contains "so does every page" "$(cat "$I/general/2016-03-14/index.html")" 'href="/search.html"'
check "the build has /search.html" test -f "$I/search.html"
contains "a bookmarked search on the static copy shows the note" "$(curl -s "$STATIC/?q=deploy")" 'Search is not available on this copy'
contains "/search.html?q=... explains" "$(curl -s "$STATIC/search.html?q=deploy")" 'it is a set of static files, which cannot search'
check "serve with search off sends the same bytes" cmp -s <(get /search.html) "$I/search.html"
if command -v tidy >/dev/null; then
	eq "/search.html passes tidy" "$(get /search.html | tidy -e -q --show-warnings yes 2>&1 | grep -v 'proprietary attribute "aria-current"')" ""
fi
stop_server
check "serve with search on" start_server "$TMP/web-threads.db" -q
eq "sends a bookmark of /search.html to its search box" \
	"$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/search.html")" "301 $URL/"
contains "and its pages the search box" "$(get /)" 'role="search"'
stop_server
check "build with --search-url" "$SLACKLOG" build -q --db "$TMP/web-threads.db" --search-url https://search.example/ "$TMP/s2"
check "has no /search.html" test ! -e "$TMP/s2/search.html"
lacks "nor a note on its pages" "$(cat "$TMP/s2/index.html")" 'nosearch'

# ---- what a person sees
if [ ! -x /usr/bin/chromium ] || [ ! -d tests/browser/node_modules/playwright-core ]; then
	nok "chromium and playwright-core are installed (scripts/deps test; npm install in tests/browser)"
else
	node tests/browser/static-copy.mjs "$STATIC" tests/out/screens
fi
