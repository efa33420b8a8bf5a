#!/bin/bash
# t4070-base-url: under a base URL with a path, every link of every page
# honours it. The server listens on a port chosen here and is told that
# it lives at http://127.0.0.1:PORT/archive/; tests/e2e/prefix-crawl.py
# crawls from there (and from search pages, whose links are built apart
# from the others) and checks each href, src and form action: under the
# base, a fragment, or another site; and each one followed answers 200.
. tests/lib.sh
. tests/e2e/serve.sh

DB=$TMP/a.db
check "import the web-threads fixture" import_fixture "$DB" "$FIX/web-threads"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$port/archive/
check "server under $BASE" start_server "$DB" -q --listen "127.0.0.1:$port" --base-url "$BASE"

# the search pages: one with hits (two pages of them would need 20), a
# channel's, one without hits
hits=$(curl -s "${BASE}api.v1/search?q=saturday" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
check "the search finds the fixture's message ($hits hits)" test "$hits" -ge 1
python3 tests/e2e/prefix-crawl.py "$BASE" "?q=saturday" "general/?q=saturday" "?q=nothing-matches-this" \
	>"$TMP/crawl.txt" 2>&1
rc=$?
sed 's/^/# /' "$TMP/crawl.txt"
eq "every link of every page is under the base URL, and answers" "$rc" 0
n=$(tail -1 "$TMP/crawl.txt" | cut -d' ' -f1)
check "the crawl reached the site ($n URLs)" test "${n:-0}" -ge 15

s=$(curl -s "${BASE}?q=saturday")
contains "a search hit links its day page under the base" "$s" 'class="when" href="/archive/general/2016-03-'
contains "the search form stays under the base" "$s" 'action="/archive/"'
stop_server
