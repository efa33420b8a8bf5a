#!/bin/bash
# t4030-unpublished: private channels and DMs never reach a page. The whole
# site is crawled from "/" and no page may name or quote them; asking for
# them directly is a 404. The operator's unpublish list hides a public one.
. tests/lib.sh
. tests/e2e/serve.sh

DB=$TMP/a.db
check "import the web-threads fixture" import_fixture "$DB" "$FIX/web-threads"
check "server starts" start_server "$DB" -q
python3 tests/e2e/crawl.py "$URL" "$TMP/site" >"$TMP/crawl.txt"
n=$(wc -l <"$TMP/crawl.txt")
check "the crawl reached the pages ($n)" test "$n" -ge 12
bad=$(grep -l -e SECRET-PLANS-TEXT -e DIRECT-MESSAGE-TEXT -e secret-plans -e G0SECRET -e D0ALICEBOB "$TMP"/site/* | wc -l)
eq "no crawled page names or quotes a private channel or DM" "$bad" 0
errors=$(awk '$1 >= 500' "$TMP/crawl.txt" | wc -l)
eq "no crawled link gives a server error" "$errors" 0
broken=$(awk '$1 == 404' "$TMP/crawl.txt")
eq "no crawled link is broken" "$broken" ""
eq "private channel page: 404" "$(code /secret-plans/)" 404
eq "private channel day: 404" "$(code /secret-plans/2016-03-14/)" 404
eq "DM by ID: 404" "$(code /D0ALICEBOB/)" 404
eq "DM day: 404" "$(code /D0ALICEBOB/2016-03-14/)" 404
eq "private permalink: 404" "$(code /archives/G0SECRET/p1457953300000100)" 404
lacks "a day's sidebar leaves the private channel out" "$(get /general/2016-03-14/)" "secret"
lacks "the index leaves the private channel out" "$(get /)" "secret"
stop_server

printf 'unpublish = random\n' >"$TMP/slacklog.conf"
check "server with an unpublish list" start_server "$DB" -q --config "$TMP/slacklog.conf"
eq "unpublished channel: 404" "$(code /random/)" 404
eq "unpublished channel day: 404" "$(code /random/2016-03-14/)" 404
lacks "unpublished channel left out of the index" "$(get /)" 'href="/random/"'
lacks "unpublished channel left out of the sidebar" "$(get /general/2016-03-14/)" "random"
eq "published channels still served" "$(code /general/)" 200
stop_server
