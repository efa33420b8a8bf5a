#!/bin/bash
# t8000-publish-optout: the publish policy and opt-out, seen from outside.
# A hand-made export with public and private channels, DMs, a group DM and
# profiles with contact fields is imported and served with publish and
# unpublish lists; every page, user page and search answer is crawled and
# searched for what must not be there. Then a person opts out while the
# server runs, and everything is crawled again.
. tests/lib.sh
. tests/e2e/serve.sh
. tests/e2e/privacy.sh

DB=$TMP/a.db
check "import the privacy fixture" import_fixture "$DB" "$PFIX"
# the lists name a DM and a group DM too: those are never published
printf 'publish = club, D0PATOLIV, mpdm-pat--quinn--ernestine-1\nunpublish = random\n' >"$TMP/slacklog.conf"
check "server starts with the lists" start_server "$DB" -q --config "$TMP/slacklog.conf"
eq "published channels follow the lists (public minus unpublished, plus named private)" \
	"$(sql "$DB" "SELECT group_concat(name) FROM (SELECT name FROM channels WHERE published ORDER BY name)")" "club,general"
crawl_all "$TMP/c1"
n=$(wc -l <"$TMP/c1/crawl.txt")
check "the crawl reached the pages ($n)" test "$n" -ge 8
eq "no crawled link gives a server error" "$(awk '$1 >= 500' "$TMP/c1/crawl.txt" | wc -l)" 0
for m in $(markers 'PRIVATESECRET|^DM|MPIM|UNPUBLISHED'); do
	eq "$m (private, DM, group DM or unpublished) appears nowhere" "$(found "$TMP/c1" "$m")" 0
done
for f in $(jq -r '.[].profile | .email, .phone, .skype' "$PFIX/users.json"); do
	eq "contact field $f appears nowhere" "$(found "$TMP/c1" "$f")" 0
done
eq "no page refers to Slack's avatar CDN (remote avatars are off)" "$(found "$TMP/c1" "slack-edge.com")" 0
for m in PUBLICMARKERALPHA PUBLICMARKERBETA PUBLICREPLYMARKER PRIVATECLUBMARKER; do
	check "$m (published) is on a page" test "$(found "$TMP/c1/site" "$m")" -ge 1
	eq "$m is found by search" "$(jq .total "$TMP/c1/api-$m.json")" 1
done
eq "the group DM's page: 404" "$(code /mpdm-pat--quinn--ernestine-1/)" 404
eq "a listed DM's page: 404" "$(code /D0PATOLIV/)" 404
check "the opted-out person's words are public before" test "$(found "$TMP/c1/site" OLIVEWORDSSOLO)" -ge 1

# --- opt-out while the server runs
day=/general/2016-05-01/
etag=$(curl -s -D - -o /dev/null "$URL$day" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
check "opt out by display name" "$SLACKLOG" optout -q --db "$DB" --reason "asked by mail" olivanderx
t0=$(now)
out=$("$SLACKLOG" optout --db "$DB" --reason "asked again" U0OLIVE01 2>&1)
eq "opting her out again: exit status 0" "$?" 0
contains "opting her out again says she already is" "$out" "U0OLIVE01 is already opted out; nothing changed"
lacks "opting her out again hides nothing" "$out" "hidden"
etag_gone() { [ "$(code "$day" -H "If-None-Match: $etag")" = 200 ]; }
within "the old ETag is not answered with 304 (the server's cache: within a second)" "$t0" etag_gone
crawl_all "$TMP/c2"
for w in $(markers OLIVE) Olivander olivanderx olivander_72 '"olive"' '@olive<'; do
	eq "opted out: $w appears nowhere" "$(found "$TMP/c2" "$w")" 0
done
eq "opted out: from:olive finds nothing" "$(jq -r '.total // 0' "$TMP/c2/from-name-olive.json")" 0
eq "opted out: from:U0OLIVE01 finds nothing" "$(jq -r '.total // 0' "$TMP/c2/from-U0OLIVE01.json")" 0
page=$(get "$day")
contains "the reply mentioning her names a former member, without a link" "$page" '<span class="mention">@a former member</span>'
contains "the reaction she gave is listed as a former member" "$page" 'title="a former member, ernestinex, quinn"'
contains "her thread keeps a stand-in for its parent" "$page" 'This message is not shown.'
contains "the reply under the stand-in is still shown" "$page" PUBLICREPLYMARKER
eq "her user page is gone" "$(code /user.U0OLIVE01/)" 404
eq "her profile in the API is gone" "$(code /api.v1/users/U0OLIVE01.json)" 404
wave=$(jq -c '[.messages[] | .reactions[] | select(.name == "wave") | .users[]]' "$TMP/c2/api-ch-general-2016-05-01.json")
eq "the API's reaction users leave her ID out, keep the others'" "$wave" '["U0ERNIE01","U0QUINN01"]'
eq "the API's raw text names her as the erased stand-in, others unchanged" \
	"$(jq -r '.messages[] | select((.text // "") | startswith("PUBLICMENTIONMARKER")) | .text' "$TMP/c2/api-ch-general-2016-05-01.json")" \
	"$(jq -r '.[] | select((.text // "") | startswith("PUBLICMENTIONMARKER")) | .text | gsub("<@U0OLIVE01(\\|[^>]*)?>"; "<@UERASED>")' "$PFIX/general/2016-05-01.json")"
eq "no API answer carries her ID" "$(grep -l U0OLIVE01 "$TMP"/c2/api-*.json | wc -l)" 0
eq "no crawled page, feed or API answer links to her page" "$(grep -rlE 'user\.U0OLIVE01' "$TMP/c2/site" "$TMP"/c2/api-*.json | wc -l)" 0
# wherever she is named, it is the same neutral label: every mention of
# her in the fixture's public text is now that label (counted in the JSON)
want=$(jq '[.[] | .text // "" | scan("<@U0OLIVE01")] | length' "$PFIX/general/2016-05-01.json")
check "the fixture mentions her ($want)" test "$want" -ge 1
eq "the API's day has the label as often as she is mentioned" \
	"$(jq -r '[.messages[] | .html | scan("<span class=\"mention\">@a former member</span>")] | length' "$TMP/c2/api-ch-general-2016-05-01.json")" "$want"
eq "and its plain text the same" \
	"$(jq -r '[.messages[] | .plain | scan("@a former member")] | length' "$TMP/c2/api-ch-general-2016-05-01.json")" "$want"
# the count of the day: messages of general that day, less hers (from the JSON)
want=$(jq '[.[] | select(.user != "U0OLIVE01")] | length' "$PFIX/general/2016-05-01.json")
contains "the day's count leaves her messages out ($want)" "$(get /general/)" "title=\"2016-05-01: $want messages\""
eq "search for the reply mentioning her finds it" "$(jq .total "$TMP/c2/api-PUBLICREPLYMARKER.json")" 1
eq "its snippet names a former member, not her" "$(jq -r '.results[0].snippet' "$TMP/c2/api-PUBLICREPLYMARKER.json" | grep -c 'a former member')" 1
for m in PUBLICMARKERALPHA PUBLICMARKERBETA PRIVATECLUBMARKER QUINNREPLYMARKER; do
	check "$m still public after the opt-out" test "$(found "$TMP/c2/site" "$m")" -ge 1
done

# --- the static site says the same
check "build the static site" "$SLACKLOG" build -q --db "$DB" --config "$TMP/slacklog.conf" "$TMP/static"
eq "static site: no page for her" "$(find "$TMP/static" -path '*user.U0OLIVE01*' | wc -l)" 0
eq "static site: no link to her page" "$(grep -rlF 'user.U0OLIVE01' "$TMP/static" | wc -l)" 0
for w in $(markers 'OLIVE|PRIVATESECRET|^DM|MPIM|UNPUBLISHED') Olivander olivanderx slack-edge.com \
	$(jq -r '.[].profile | .email, .phone, .skype' "$PFIX/users.json"); do
	eq "static site: $w appears nowhere" "$(grep -rlF -- "$w" "$TMP/static" | wc -l)" 0
done
for m in PUBLICMARKERALPHA PRIVATECLUBMARKER PUBLICREPLYMARKER; do
	check "static site: $m is there" test "$(grep -rlF -- "$m" "$TMP/static" | wc -l)" -ge 1
done

# --- a re-import keeps her hidden
check "import the same export again" import_fixture "$DB" "$PFIX"
eq "re-imported: her words stay hidden" "$(get "$day" | grep -c OLIVEWORDS)" 0
eq "re-imported: search still finds nothing of hers" "$(get '/api.v1/search?q=OLIVEWORDSSOLO' | jq .total)" 0
eq "re-imported: her name is not indexed back" "$(get '/api.v1/search?q=olivanderx' | jq .total)" 0

# --- undo
check "opt back in" "$SLACKLOG" optout -q --db "$DB" --undo U0OLIVE01
t0=$(now)
out=$("$SLACKLOG" optout --db "$DB" --undo U0OLIVE01 2>&1)
eq "opting her back in again: exit status 0" "$?" 0
contains "opting her back in again says she is not opted out" "$out" "U0OLIVE01 is not opted out; nothing changed"
within "undone: her message is back" "$t0" shows "$day" OLIVEWORDSSOLO
eq "undone: her page is back" "$(code /user.U0OLIVE01/)" 200
contains "undone: mentions link to her page again" "$(get "$day")" 'href="/user.U0OLIVE01/"'
eq "undone: search finds her again" "$(get '/api.v1/search?q=OLIVEWORDSSOLO' | jq .total)" 1
eq "undone: from:olive finds her messages" "$(get '/api.v1/search?q=from:olive' | jq .total)" 2
log=$("$SLACKLOG" moderation log --db "$DB" --json)
eq "the log has both actions, once each" "$(jq -r 'map(select(.action | startswith("optout")) | .action) | join(",")' <<<"$log")" "optout,optout-undo"
eq "the log keeps the reason" "$(jq -r 'map(select(.action == "optout"))[0].reason' <<<"$log")" "asked by mail"
eq "the publish lists applied at start are logged" "$(jq -r '.[0].action' <<<"$log")" publish-policy
status "optout of nobody fails" 2 "$SLACKLOG" optout -q --db "$DB" nobody-at-all

# --- SIGHUP applies a changed list
printf 'unpublish = random\n' >"$TMP/slacklog.conf"
kill -HUP "$SERVER_PID"
for i in $(seq 1 50); do [ "$(code /club/)" = 404 ] && break; sleep 0.1; done
eq "after SIGHUP without club in the list: its page is gone" "$(code /club/)" 404
eq "after SIGHUP: search finds nothing of club" "$(get '/api.v1/search?q=PRIVATECLUBMARKER' | jq .total)" 0
stop_server
