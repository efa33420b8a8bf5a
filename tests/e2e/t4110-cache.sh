#!/bin/bash
# t4110-cache: the server's cache of answers while the archive changes,
# over real HTTP (cache_debug = on: each answer says X-Cache: hit or miss).
# With pages of the sample kept, changes come through the Events API (a
# new day, a deletion) and from `slacklog ingest` in another process (a
# message on a day that has a page). Checked for each: within a second of
# the commit the changed day page shows it, and then, on their first
# fetch, its channel's page, the days before and after it (their links),
# the sidebars of its date in other channels, the feeds, the sitemap, the
# API documents, the home page's counts and the author's pages (a
# 404 kept before becomes the page, a permalink's 404 its redirect);
# pages of other channels and dates are still hits. A page built from the
# archive before a change and kept after the drop for that change would
# be stale: a server that waits between building and keeping shows it is
# not kept. An opt-out and a reload (SIGHUP) drop every page.
. tests/lib.sh
. tests/e2e/serve.sh
SECRET=0b6e1c1d2f8a44d0b6b4fe3c5a1d7e90
DB=$TMP/a.db
import_fixture "$DB" sample/export || { nok "import the sample"; exit 0; }

# xc PATH: the X-Cache header of a GET
xc() { curl -s --path-as-is -o /dev/null -D - "$URL$1" | tr -d '\r' | sed -n 's/^X-Cache: //Ip'; }
is_xc() { [ "$(xc "$1")" = "$2" ]; }
# all_xc WANT PATH...: every PATH answers X-Cache: WANT (one fetch each)
all_xc() {
	local want=$1 bad="" p; shift
	for p in "$@"; do [ "$(xc "$p")" = "$want" ] || bad="$bad $p"; done
	eq "every one a $want" "${bad:-none}" none
}
warm() { local p; for p in "$@"; do get "$p" >/dev/null; get "$p" >/dev/null; done; }

# general: ... 2024-03-07, [2024-03-10 new], 2024-03-12 ...; help has a page on 2024-03-10
GEN=C2F70M6CH6U AUTHOR=UNF0G7ABS12 NEWTS=1710072000.000100 NEWP=p1710072000000100
TOUCHED=(/general/2024-03-10/ /general/ /general/2024-03-07/ /general/2024-03-12/ /help/2024-03-10/
	/general/feed.atom /feed.atom /sitemap.xml /sitemap-1.xml /api.v1/channels/general/2024-03-10.json
	/api.v1/channels/general.json /api.v1/channels.json / /user.$AUTHOR/ /api.v1/users/$AUTHOR.json
	/archives/$GEN/$NEWP)
OTHERS=(/help/ /help/2024-03-20/ /random/2024-03-04/ /random/ /announcements/2024-02-21/ /general/2024-02-22/
	/api.v1/channels/help.json /api.v1/channels/help/2024-03-20.json /user.UQMMQDSQ274/)
REBUILT=(/nowhere/ /general/1999-01-01/ /robots.txt)
sql() { python3 tests/e2e/t1-stats.py --sql "$DB" "$@"; }

SLACKLOG_SIGNING_SECRET=$SECRET SLACKLOG_CACHE_DEBUG=on check "server starts (cache_debug on)" start_server "$DB"
# the stylesheet by its content's hash, as pages link it
css=$(get / | grep -o '/style\.css?v=[0-9a-f]*' | head -1)
check "pages link the stylesheet by its hash ($css)" test -n "$css"
OTHERS+=("$css")
eq "a first answer is built" "$(xc /help/)" miss
eq "the second is the kept one" "$(xc /help/)" hit
warm "${TOUCHED[@]}" "${OTHERS[@]}" "${REBUILT[@]}"
all_xc hit "${TOUCHED[@]}" "${OTHERS[@]}" "${REBUILT[@]}"
eq "the new day is not there yet (a kept 404)" "$(code /general/2024-03-10/)" 404
eq "nor its message's permalink" "$(code /archives/$GEN/$NEWP)" 404
# seen without cache_debug: an answer kept says when it was built
lastmod() { curl -s -o /dev/null -D - "$URL$1" | tr -d '\r' | sed -n 's/^Last-Modified: //p'; }
kept_date=$(lastmod /general/2024-02-22/)
sleep 1   # a page built after the change would say a later second

# 1. the Events API: a new day in general
ev='{"type":"event_callback","team_id":"T1","event_id":"EvCache1","event_time":1710072000,"event":{"type":"message","channel":"'$GEN'","channel_type":"channel","user":"'$AUTHOR'","text":"a fresh word from the events api","ts":"'$NEWTS'","event_ts":"'$NEWTS'"}}'
eq "event posted" "$(spost "$ev")" $'ok\n 200'
t0=$(now)
within "the new day page is there within a second" "$t0" shows /general/2024-03-10/ "a fresh word from the events api"
contains "the channel page lists it" "$(get /general/)" 'href="/general/2024-03-10/"'
contains "the day before links to it" "$(get /general/2024-03-07/)" 'rel="next" href="/general/2024-03-10/"'
contains "the day after links to it" "$(get /general/2024-03-12/)" 'rel="prev" href="/general/2024-03-10/"'
contains "the sidebar of its date in another channel counts it" "$(get /help/2024-03-10/)" 'href="/general/2024-03-10/"'
# (older than the feeds' 50 newest messages: the next change shows them)
eq "the channel's feed is built again" "$(xc /general/feed.atom)" miss
eq "the workspace feed is built again" "$(xc /feed.atom)" miss
contains "the sitemap lists it" "$(get /sitemap-1.xml)" "<loc>/general/2024-03-10/</loc>"
contains "its API document" "$(get /api.v1/channels/general/2024-03-10.json)" "a fresh word from the events api"
contains "the channel's API document" "$(get /api.v1/channels/general.json)" '{"day":"2024-03-10","messages":1}'
contains "channels.json counts it" "$(get /api.v1/channels.json)" '"name":"general","topic"'
contains "the home page counts it" "$(get /)" '<td class="num">113</td>'
contains "the author's page counts it" "$(get /user.$AUTHOR/)" 'general</a> <span class="count">(38)</span>'
contains "the author's API document counts it" "$(get /api.v1/users/$AUTHOR.json)" '"name":"general","messages":38'
eq "the permalink's kept 404 became its redirect" "$(code /archives/$GEN/$NEWP)" 301
all_xc hit "${OTHERS[@]}"
eq "an untouched page keeps its Last-Modified: it was not built again" "$(lastmod /general/2024-02-22/)" "$kept_date"
# not-found pages are not in the list of URLs the change log speaks of;
# the site's own files are left out of it
all_xc miss "${REBUILT[@]}"

# 2. ingest in another process: the newest message, on a day help has a page
ING=$TMP/ev.jsonl
JA=/%E6%97%A5%E6%9C%AC%E8%AA%9E
printf '{"type":"message","channel":"C4XOQTX4R31","user":"UQMMQDSQ274","text":"a line from the event log","ts":"1711950000.000200"}\n' >"$ING"
warm "${TOUCHED[@]}" "${OTHERS[@]}" /help/2024-04-01/ $JA/2024-04-01/ /help/feed.atom /api.v1/channels/help/2024-04-01.json
"$SLACKLOG" ingest -q --db "$DB" "$ING"
t0=$(now)
within "ingest: its day page shows it within a second" "$t0" shows /help/2024-04-01/ "a line from the event log"
n=$(sql "SELECT n FROM day_counts WHERE channel_id = 'C4XOQTX4R31' AND page_day = '2024-04-01'")
contains "ingest: the sidebar of its date elsewhere counts it ($n)" "$(get $JA/2024-04-01/)" "help <span class=\"count\">($n)</span>"
contains "ingest: its API document" "$(get /api.v1/channels/help/2024-04-01.json)" "a line from the event log"
contains "ingest: the channel's feed" "$(get /help/feed.atom)" "a line from the event log"
contains "ingest: the workspace feed" "$(get /feed.atom)" "a line from the event log"
contains "ingest: the sitemap's date for the page" "$(get /sitemap-1.xml)" "<loc>/help/2024-04-01/</loc><lastmod>2024-04-01T05:40:00Z</lastmod>"
all_xc hit /general/2024-03-10/ /general/2024-03-07/ /random/2024-03-04/ /announcements/2024-02-21/ \
	/general/2024-02-22/ /api.v1/channels/general/2024-03-10.json

# 3. the Events API: the new day's message deleted (the page is gone)
warm "${TOUCHED[@]}"
del='{"type":"event_callback","event_id":"EvCache2","event_time":1710072100,"event":{"type":"message","subtype":"message_deleted","hidden":true,"channel":"'$GEN'","ts":"1710072100.000000","deleted_ts":"'$NEWTS'","event_ts":"1710072100.000000"}}'
eq "deletion posted" "$(spost "$del")" $'ok\n 200'
t0=$(now)
within "the emptied day is a 404 within a second" "$t0" is_code /general/2024-03-10/ 404
eq "its API document too" "$(code /api.v1/channels/general/2024-03-10.json)" 404
lacks "the channel page no longer lists it" "$(get /general/)" 'href="/general/2024-03-10/"'
contains "the day before skips it again" "$(get /general/2024-03-07/)" 'rel="next" href="/general/2024-03-12/"'
lacks "the sitemap no longer lists it" "$(get /sitemap-1.xml)" "<loc>/general/2024-03-10/</loc>"
all_xc hit /random/2024-03-04/ /announcements/2024-02-21/ /general/2024-02-22/ /help/2024-03-20/

# 4. everything: an opt-out (another process), then a reload
warm "${TOUCHED[@]}" "${OTHERS[@]}"
"$SLACKLOG" optout -q --db "$DB" UPP5E72CGN3 >/dev/null 2>&1
t0=$(now)
within "an opt-out drops every page within a second" "$t0" is_xc /announcements/2024-02-21/ miss
all_xc miss /help/ /help/2024-03-20/ /random/2024-03-04/ /general/2024-02-22/ /robots.txt /user.UQMMQDSQ274/ \
	/api.v1/channels/help.json
warm "${OTHERS[@]}"
kill -HUP "$SERVER_PID"
t0=$(now)
within "a reload drops every page within a second" "$t0" is_xc /announcements/2024-02-21/ miss
all_xc miss /help/ /help/2024-03-20/ /random/2024-03-04/ /general/2024-02-22/ /robots.txt /user.UQMMQDSQ274/
stop_server

# 5. a page built before a change, kept after the drop for it: each
# answer waits 1.5 s between being built and being kept
SLACKLOG_CACHE_DEBUG=1500 check "server starts (cache_debug 1500)" start_server "$DB"
sleep 0.3   # its watcher's first look (which drops everything) is done
get /help/2024-03-21/ >"$TMP/before.html" &
fetch=$!
sleep 0.4
printf '{"type":"message","channel":"C4XOQTX4R31","user":"UQMMQDSQ274","text":"said while the page was built","ts":"1711033000.000300"}\n' >"$ING"
"$SLACKLOG" ingest -q --db "$DB" "$ING"
wait "$fetch"
lacks "the page fetched meanwhile was built before the change" "$(cat "$TMP/before.html")" "said while the page was built"
eq "it was not kept: the next fetch builds it again" "$(xc /help/2024-03-21/)" miss
contains "and shows the change" "$(get /help/2024-03-21/)" "said while the page was built"
stop_server

check "server starts (cache_debug off)" start_server "$DB"
eq "without cache_debug no answer says X-Cache" "$(get /help/ >/dev/null; xc /help/)" ""
stop_server
