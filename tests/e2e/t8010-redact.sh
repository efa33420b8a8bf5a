#!/bin/bash
# t8010-redact: taking down one message, and a whole thread, while the
# server runs: gone from pages, counts, search and the API at once, kept
# gone by a re-import, and logged with who and why.
. tests/lib.sh
. tests/e2e/serve.sh
. tests/e2e/privacy.sh

DB=$TMP/a.db
G=$PFIX/general/2016-05-01.json
check "import the privacy fixture" import_fixture "$DB" "$PFIX"
check "server starts" start_server "$DB" -q
day=/general/2016-05-01/
contains "before: the message to take down is shown" "$(get "$day")" TAKEDOWNSINGLEMARKER
eq "before: search finds it" "$(get '/api.v1/search?q=TAKEDOWNSINGLEMARKER' | jq .total)" 1
single=$(jq -r '.[] | select(.text | test("TAKEDOWNSINGLE")) | .ts' "$G")
parent=$(jq -r '.[] | select(.text | test("TAKEDOWNPARENT")) | .ts' "$G")
check "redact one message (permalink form of its ts)" "$SLACKLOG" redact -q --db "$DB" --by moderator --reason "posted by mistake" \
	general "p${single/./}"
check "redact a whole thread" "$SLACKLOG" redact -q --db "$DB" --thread --reason "legal request" C0GENERAL "$parent"
t0=$(now)
reply=$(jq -r --arg p "$parent" '[.[] | select(.thread_ts == $p and .ts != $p)][0].ts' "$G")
for again in "general $single" "--thread C0GENERAL $parent" "general $parent" "general $reply"; do
	out=$("$SLACKLOG" redact --db "$DB" --reason "again" $again 2>&1)
	eq "redact $again again: exit status 0" "$?" 0
	contains "redact $again again: says it is already down" "$out" "already taken down; nothing changed"
	lacks "redact $again again: takes nothing down" "$out" "took down"
done
within "the thread leaves its page (the server's cache: within a second)" "$t0" hides "$day" TAKEDOWNPARENTMARKER
crawl_all "$TMP/c"
for m in $(markers TAKEDOWN); do
	eq "$m appears nowhere" "$(found "$TMP/c" "$m")" 0
done
for m in PUBLICMARKERALPHA PUBLICREPLYMARKER QUINNREPLYMARKER PUBLICMARKERBETA; do
	check "$m still shown" test "$(found "$TMP/c/site" "$m")" -ge 1
done
# the thread's reply is in the same file: three messages fewer that day
want=$(jq '[.[] | select(.text | test("TAKEDOWN") | not)] | length' "$G")
contains "the day's count leaves them out ($want)" "$(get /general/)" "title=\"2016-05-01: $want messages\""
lacks "no stand-in: nothing of the thread is left to hold together" "$(get "$day")" "This message is not shown."
eq "the taken-down message's permalink no longer resolves to it" "$(code "/archives/C0GENERAL/p${single/./}")" 404

check "import the same export again" import_fixture "$DB" "$PFIX"
eq "re-imported: still gone from the page" "$(get "$day" | grep -c TAKEDOWN)" 0
eq "re-imported: still not found" "$(get '/api.v1/search?q=TAKEDOWNREPLYMARKER' | jq .total)" 0

log=$("$SLACKLOG" moderation log --db "$DB" --json)
eq "both takedowns are logged, once each" "$(jq -r 'map(.action) | join(",")' <<<"$log")" "redact,redact"
eq "the log says who" "$(jq -r '.[0].by' <<<"$log")" moderator
eq "the log says what" "$(jq -r '.[1].target' <<<"$log")" "C0GENERAL $parent thread"
eq "the log says why" "$(jq -r '.[1].reason' <<<"$log")" "legal request"
eq "the log's time is today" "$(jq -r '.[0].at[:10]' <<<"$log")" "$(date -u +%F)"
status "redact of a message not in the archive fails" 2 "$SLACKLOG" redact -q --db "$DB" general 1462093200.999999
status "redact of something that is not a ts fails" 2 "$SLACKLOG" redact -q --db "$DB" general yesterday
stop_server
