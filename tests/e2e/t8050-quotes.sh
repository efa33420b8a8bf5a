#!/bin/bash
# t8050-quotes: words of someone opted out or erased quoted in others'
# messages (a message shared with is_share, a link to one unfurled with
# is_msg_unfurl: by author_id, or only by the quoted message's channel and
# ts; for the erased person also by name and handle alone, and by channel
# and ts once the quoted message is deleted) are gone from every surface:
# pages, feeds and API (crawled), search, the static site; for the erased
# person from the database file too. The sharing messages themselves
# stay. The export is made here.
. tests/lib.sh
. tests/e2e/serve.sh
E=$TMP/export
mkdir -p "$E/general"
cat >"$E/users.json" <<'J'
[{"id": "U0BOB0001", "name": "bob", "profile": {"display_name": "bobby"}},
 {"id": "U0OLIVE01", "name": "olive", "profile": {"display_name": "olivanderx", "real_name": "Olive Olivander"}},
 {"id": "U0ERNIE01", "name": "ernestine", "profile": {"display_name": "ernestinex", "real_name": "Ernestine Erasewell"}}]
J
echo '[{"id": "C1", "name": "general", "created": "1456000000"}]' >"$E/channels.json"
cat >"$E/general/2016-03-01.json" <<'J'
[{"type": "message", "user": "U0OLIVE01", "ts": "1456790400.000100", "text": "OLIVEORIGINALWORDS"},
 {"type": "message", "user": "U0ERNIE01", "ts": "1456790500.000200", "text": "ERNIEORIGINALWORDS"},
 {"type": "message", "user": "U0BOB0001", "ts": "1456790600.000300", "text": "look SHAREMARKERONE",
  "attachments": [{"is_share": true, "author_id": "U0OLIVE01", "author_name": "Olive Olivander", "author_subname": "olivanderx",
                   "author_link": "https://x.slack.com/team/U0OLIVE01", "text": "OLIVEQUOTEDWORDS here", "fallback": "[March 1st] olivanderx: OLIVEQUOTEDWORDS",
                   "channel_id": "C1", "ts": "1456790400.000100", "from_url": "https://x.slack.com/archives/C1/p1456790400000100", "mrkdwn_in": ["text"]}]},
 {"type": "message", "user": "U0BOB0001", "ts": "1456790700.000400", "text": "see <https://x.slack.com/archives/C1/p1456790400000100> UNFURLMARKERTWO",
  "attachments": [{"is_msg_unfurl": true, "author_name": "Olive Olivander", "text": "OLIVEUNFURLWORDS there", "fallback": "OLIVEUNFURLWORDS",
                   "channel_id": "C1", "ts": "1456790400.000100", "from_url": "https://x.slack.com/archives/C1/p1456790400000100"}]},
 {"type": "message", "user": "U0BOB0001", "ts": "1456790800.000500", "text": "and SHAREMARKERTHREE",
  "attachments": [{"is_share": true, "author_id": "U0ERNIE01", "author_name": "Ernestine Erasewell", "text": "ERNIEQUOTEDWORDS too", "fallback": "ERNIEQUOTEDWORDS",
                   "channel_id": "C1", "ts": "1456790500.000200"}]},
 {"type": "message", "user": "U0BOB0001", "ts": "1456790900.000600", "text": "mine BOBMARKERFOUR",
  "attachments": [{"is_share": true, "author_id": "U0BOB0001", "author_name": "bobby", "text": "BOBQUOTEDWORDS stay", "channel_id": "C1", "ts": "1456790600.000300"}]},
 {"type": "message", "user": "U0BOB0001", "ts": "1456791000.000700", "text": "only where GAPMARKERFIVE",
  "attachments": [{"is_share": true, "text": "ERNIEGAPWORDS by channel and ts", "fallback": "ERNIEGAPWORDS", "channel_id": "C1", "ts": "1456790500.000200"}]},
 {"type": "message", "user": "U0BOB0001", "ts": "1456791100.000800", "text": "named HANDLEMARKERSIX",
  "attachments": [{"is_msg_unfurl": true, "author_name": "Ernestine Erasewell", "author_subname": "ernestine",
                   "author_link": "https://x.slack.com/team/ernestine", "text": "ERNIEHANDLEWORDS from elsewhere",
                   "channel_id": "C9", "ts": "1456000000.000100"}]}]
J
DB=$TMP/a.db
check "import the export" import_fixture "$DB" "$E"
check "start the server" start_server "$DB" -q
day=/general/2016-03-01/
page=$(get "$day")
for w in OLIVEQUOTEDWORDS OLIVEUNFURLWORDS ERNIEQUOTEDWORDS BOBQUOTEDWORDS ERNIEGAPWORDS ERNIEHANDLEWORDS; do
	contains "before: the quote $w is shown" "$page" "$w"
done
eq "before: search finds a quote" "$(get '/api.v1/search?q=OLIVEQUOTEDWORDS' | jq .total)" 1

check "opt out olive" "$SLACKLOG" optout -q --db "$DB" olivanderx
check "forget ernestine" "$SLACKLOG" forget -q --db "$DB" U0ERNIE01
t0=$(now)
within "her quote leaves the page (the server's cache: within a second)" "$t0" hides "$day" ERNIEQUOTEDWORDS
mkdir -p "$TMP/c"
python3 tests/e2e/crawl.py "$URL" "$TMP/c/site" >"$TMP/c/crawl.txt"
get /api.v1/channels/general/2016-03-01.json >"$TMP/c/api-day.json"
for f in feed.xml general/feed.xml; do get "/$f" >"$TMP/c/$(echo "$f" | tr / -)"; done
gone="OLIVEORIGINALWORDS OLIVEQUOTEDWORDS OLIVEUNFURLWORDS ERNIEORIGINALWORDS ERNIEQUOTEDWORDS ERNIEGAPWORDS ERNIEHANDLEWORDS
	Olivander olivanderx Erasewell ernestine"
for w in $gone; do
	eq "served: $w appears nowhere (pages, feeds, API)" "$(grep -rlF -- "$w" "$TMP/c" | wc -l)" 0
	eq "search: $w finds nothing" "$(get "/api.v1/search?q=$w" | jq .total)" 0
done
page=$(get "$day")
for m in SHAREMARKERONE UNFURLMARKERTWO SHAREMARKERTHREE BOBMARKERFOUR BOBQUOTEDWORDS GAPMARKERFIVE HANDLEMARKERSIX; do
	contains "served: $m is still shown" "$page" "$m"
done
for m in SHAREMARKERONE UNFURLMARKERTWO SHAREMARKERTHREE GAPMARKERFIVE HANDLEMARKERSIX; do
	eq "search: the sharing message $m is found" "$(get "/api.v1/search?q=$m" | jq .total)" 1
done
# six quotes: five stand-ins, four naming a former member (the one
# known only by channel and ts has no author to name)
eq "the quotes are stand-ins naming a former member" \
	"$(jq '[.messages[] | .html | scan("shared-message")] | length' "$TMP/c/api-day.json") $(jq '[.messages[] | .html | scan("a former member")] | length' "$TMP/c/api-day.json")" "6 4"
check "build the static site" "$SLACKLOG" build -q --db "$DB" "$TMP/static"
for w in $gone; do
	eq "static site: $w appears nowhere" "$(grep -rlF -- "$w" "$TMP/static" | wc -l)" 0
done
check "static site: the sharing message is there" test "$(grep -rlF SHAREMARKERONE "$TMP/static" | wc -l)" -ge 1
for w in ERNIEQUOTEDWORDS ERNIEORIGINALWORDS ERNIEGAPWORDS ERNIEHANDLEWORDS Erasewell ernestine; do
	eq "erased: $w is not in the database file's bytes" "$(cat "$DB" "$DB-wal" 2>/dev/null | grep -caF -- "$w")" 0
done
check "opt olive back in" "$SLACKLOG" optout -q --db "$DB" --undo U0OLIVE01
t0=$(now)
within "undone: her quote is back within a second" "$t0" shows "$day" OLIVEQUOTEDWORDS
page=$(get "$day")
contains "undone: her quoted words are back" "$page" OLIVEQUOTEDWORDS
contains "undone: the unfurl too" "$page" OLIVEUNFURLWORDS
eq "undone: search finds the quote again" "$(get '/api.v1/search?q=OLIVEQUOTEDWORDS' | jq .total)" 1
lacks "undone: the erased person's quote stays gone" "$page" ERNIEQUOTEDWORDS
check "import the export again" import_fixture "$DB" "$E"
eq "re-imported: the erased person's quotes are not back" "$(get "$day" | grep -cE 'ERNIE(QUOTED|GAP|HANDLE)WORDS')" 0
eq "re-imported: nor searchable" "$(get '/api.v1/search?q=ERNIEQUOTEDWORDS' | jq .total)" 0
stop_server
