#!/bin/bash
# t8020-forget: erasure. After `forget`, nothing of the person is served,
# and nothing of them is left in the database file: not their ID, names,
# words, contact fields, nor the DM with them. Importing the same export
# again does not bring them back. Mentions of them read "a former member".
. tests/lib.sh
. tests/e2e/serve.sh
. tests/e2e/privacy.sh

DB=$TMP/a.db
check "import the privacy fixture" import_fixture "$DB" "$PFIX"
traces=$(jq -r '.[] | select(.id == "U0ERNIE01") | .id, .name, .profile.real_name, .profile.display_name,
	.profile.email, .profile.phone, .profile.skype, .profile.image_72' "$PFIX/users.json")
traces="$traces $(markers 'ERNIE|DMPAT') Erasewell"
check "before: the database holds her ID" test "$(dump "$DB" | grep -c U0ERNIE01)" -ge 1
check "forget her by handle" "$SLACKLOG" forget -q --db "$DB" --by admin --reason "erasure request" ernestine
erased() {
	local what=$1 t
	for t in $traces; do
		eq "$what: no trace of $t in the database" "$(dump "$DB" | grep -ciF -- "$t")" 0
		eq "$what: no trace of $t in the file's bytes" "$(cat "$DB" "$DB-wal" 2>/dev/null | grep -caF -- "$t")" 0
	done
}
erased "erased"
check "start the server" start_server "$DB" -q
crawl_all "$TMP/c"
for t in $traces; do
	eq "served: $t appears nowhere" "$(found "$TMP/c" "$t")" 0
done
page=$(get /general/2016-05-01/)
contains "a reply to her names a former member, without a link" "$page" '<span class="mention">@a former member</span>'
eq "no crawled page links to the erased person's page" "$(grep -rlF 'user.UERASED' "$TMP/c/site" | wc -l)" 0
eq "the erased person has no page" "$(code /user.UERASED/)" 404
eq "nor a profile in the API" "$(code /api.v1/users/UERASED.json)" 404
contains "the reply to her first message is still shown" "$page" QUINNREPLYMARKER
contains "her reaction is gone: two left" "$page" 'title="olivanderx, quinn"'
eq "search finds the reply mentioning her" "$(get '/api.v1/search?q=QUINNREPLYMARKER' | jq .total)" 1
eq "its snippet names a former member" "$(get '/api.v1/search?q=QUINNREPLYMARKER' | jq -r '.results[0].snippet' | grep -c 'a former member')" 1
eq "the group DM is named by its ID now" "$(sql "$DB" "SELECT name FROM channels WHERE id = 'G0MPIM001'")" G0MPIM001
eq "the DM with her is gone" "$(sql "$DB" "SELECT count(*) FROM channels WHERE id = 'D0PATERNI'")" 0
for m in PUBLICMARKERALPHA PUBLICMENTIONMARKER QUINNREPLYMARKER OLIVEWORDSSOLO; do
	check "$m still shown" test "$(found "$TMP/c/site" "$m")" -ge 1
done

check "build the static site" "$SLACKLOG" build -q --db "$DB" "$TMP/static"
for t in $traces; do
	eq "static site: $t appears nowhere" "$(grep -rlF -- "$t" "$TMP/static" | wc -l)" 0
done
check "static site: the reply to her is there" test "$(grep -rlF QUINNREPLYMARKER "$TMP/static" | wc -l)" -ge 1

check "import the same export again" import_fixture "$DB" "$PFIX"
erased "re-imported"
eq "re-imported: her messages are not served" "$(get /general/2016-05-01/ | grep -c ERNIEWORDS)" 0
contains "re-imported: the reply still names a former member" "$(get /general/2016-05-01/)" 'QUINNREPLYMARKER answering <span class="mention">@a former member</span>'
log=$("$SLACKLOG" moderation log --db "$DB" --json)
eq "the erasure is logged without naming her" "$(jq -r '.[0] | [.action, .target, .by, .reason] | join("|")' <<<"$log")" \
	"forget|an erased person|admin|erasure request"
status "forget of nobody fails" 2 "$SLACKLOG" forget -q --db "$DB" nobody-at-all
stop_server
