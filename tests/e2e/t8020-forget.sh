#!/bin/bash
# t8020-forget: erasure. After `forget`, nothing of the person is served,
# and nothing of them is left in the database file: not their ID, names,
# words, contact fields, nor the DM with them, nor what others' messages
# carried of them (their file shared or commented on, with its title,
# preview and links; their comments; quotes of their messages; profile
# snapshots; mentions; reactions, reply lists, pins, edits, invitations).
# Importing the same export again, or events arriving later, do not bring
# them back. Mentions of them read "a former member".
. tests/lib.sh
. tests/e2e/serve.sh
. tests/e2e/privacy.sh

DB=$TMP/a.db
check "import the privacy fixture" import_fixture "$DB" "$PFIX"
traces=$(jq -r '.[] | select(.id == "U0ERNIE01") | .id, .name, .profile.real_name, .profile.display_name,
	.profile.email, .profile.phone, .profile.skype, .profile.image_72' "$PFIX/users.json")
E=$PFIX/general/2016-05-03.json
files=$(files_of U0ERNIE01)
traces="$traces $(markers 'ERNIE|DMPAT') Erasewell $files"
check "the fixture shares and comments on her file ($(echo $files | wc -w) traces)" test "$(echo $files | wc -w)" -ge 3
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
eq "a purpose she set stays the channel's, under the erased ID" \
	"$(sql "$DB" "SELECT purpose || '|' || json_extract(raw, '\$.purpose.creator') FROM channels WHERE id = 'C0GENERAL'")" \
	"PURPOSEMARKER a place to talk|UERASED"
for t in ernestine ernestinex Erasewell Zanzibar; do
	eq "slacklog search $t finds nothing" "$("$SLACKLOG" search --db "$DB" --json "$t" | jq .total)" 0
done
contains "slacklog search from:ernestine: no one has that name" \
	"$("$SLACKLOG" search --db "$DB" --json from:ernestine 2>&1)" "no one in the archive has that name"
eq "slacklog search finds the comment on her file" "$("$SLACKLOG" search --db "$DB" --json FILECOMMENTMARKER | jq .total)" 1
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

# the day of embeddings: others' messages stay, what they carried of her
# reads as a former member (the API's day document, crawled above)
D=$TMP/c/api-ch-general-2016-05-03.json
html() { jq -r --arg m "$1" '.messages[] | select(.plain | startswith($m)) | .html' "$D"; }
others=$(jq -r '.[] | select((.user // .comment.user) != "U0ERNIE01") | .text' "$E" | grep -oE '\b[A-Z]{6,}MARKER\b')
check "the fixture's day has others' messages ($(echo $others | wc -w))" test "$(echo $others | wc -w)" -ge 9
for m in $others; do
	check "$m (someone else's) is still shown" test -n "$(html "$m")"
done
contains "her file shared by Pat: a stand-in" "$(html FILESHAREMARKER)" 'look at a former member&#39;s file</div><div class="file gone">'
contains "her file commented on by Quinn: a stand-in" "$(html FILECOMMENTMARKER)" 'nice plan</div><div class="file gone">'
want=$(jq '[.[] | select(.user != "U0ERNIE01" and .subtype != "file_comment") | .text | scan("<@U0ERNIE01")] | length' "$E")
eq "every mention of her (text or rich text) is the label ($want)" \
	"$(jq '[.messages[] | .html | scan("<span class=\"mention\">@a former member</span>")] | length' "$D")" "$want"
contains "a link labelled with her name keeps its target, not her name" "$(html LABELMENTIONMARKER)" \
	'<a href="https://calendar.example/office-hours" rel="nofollow">a former member</a>'
eq "reactions: hers only (eyes) is gone, Pat's wave stays" \
	"$(jq -c '[.messages[] | select(.plain | startswith("LABELMENTIONMARKER")) | .reactions[] | .name + ":" + (.users | join(","))]' "$D")" \
	'["wave:U0PAT0001"]'
eq "quotes of her (by name and handle, by channel and ts alone) are stand-ins" \
	"$(html HANDLEUNFURLMARKER | grep -c '<div class="att-author">a former member</div>') $(html UNFURLGAPMARKER | grep -c 'shared-message')" "1 1"
eq "an app posting under her name is shown as a former member" \
	"$(jq -r '.messages[] | select(.plain | startswith("BOTPOSTMARKER")) | .author' "$D")" "a former member"

check "build the static site" "$SLACKLOG" build -q --db "$DB" "$TMP/static"
for t in $traces; do
	eq "static site: $t appears nowhere" "$(grep -rlF -- "$t" "$TMP/static" | wc -l)" 0
done
check "static site: the reply to her is there" test "$(grep -rlF QUINNREPLYMARKER "$TMP/static" | wc -l)" -ge 1
# every URL the build published, as the server answers it (legacy .html
# stubs redirect, the 404 page is one)
mkdir -p "$TMP/served"
n=0 bad=0
while IFS= read -r f; do
	u=${f#"$TMP/static"}
	u=${u%index.html}
	c=$(curl -s --path-as-is -o "$TMP/served/$n" -w '%{http_code}' "$URL$u")
	case "$c $u" in
	"200 "* | "301 "*.html | "404 /404.html") ;;
	*) bad=$((bad + 1)) && echo "# $c $u" ;;
	esac
	n=$((n + 1))
done < <(find "$TMP/static" -type f ! -name .slacklog-build)
eq "the server answers each of the build's $n URLs" "$bad" 0
for t in $traces; do
	eq "served for every built URL: $t appears nowhere" "$(grep -rlF -- "$t" "$TMP/served" | wc -l)" 0
done

check "import the same export again" import_fixture "$DB" "$PFIX"
erased "re-imported"
eq "re-imported: her messages are not served" "$(get /general/2016-05-01/ | grep -c ERNIEWORDS)" 0
contains "re-imported: the reply still names a former member" "$(get /general/2016-05-01/)" 'QUINNREPLYMARKER answering <span class="mention">@a former member</span>'
# events after the erasure: others' messages carrying her file, a mention,
# a quote of her message by channel and ts, a thread start of hers; her
# profile, a reaction and a message of hers
file=$(jq -c '.[0].files[0]' "$E")
{
	jq -nc --argjson f "$file" '{type: "message", channel: "C0GENERAL", user: "U0QUINN01", ts: "1462352400.000100",
		text: "LIVESHAREMARKER again <https://privacy.slack.com/files/ernestine/F0ERNFILE1/zanzibar-roadmap.pdf|Zanzibar Roadmap Draft>",
		files: [$f]}'
	jq -nc '{type: "message", channel: "C0GENERAL", user: "U0PAT0001", ts: "1462352500.000200",
		text: "LIVEMENTIONMARKER hi <@U0ERNIE01|ernestine>",
		blocks: [{type: "rich_text", elements: [{type: "rich_text_section", elements: [
			{type: "text", text: "LIVEMENTIONMARKER hi "}, {type: "user", user_id: "U0ERNIE01"}]}]}],
		attachments: [{is_share: true, channel_id: "C0GENERAL", ts: "1462179700.000200", text: "ERNIEWORDSSECOND more of mine"}]}'
	jq -c '.[] | select(.subtype == "thread_broadcast") | .channel = "C0GENERAL" | .ts = "1462352600.000300" |
		.text = "LIVEBROADCASTMARKER still"' "$E"
	jq -c '.[] | select(.id == "U0ERNIE01") | {type: "user_change", user: .}' "$PFIX/users.json"
	echo '{"type":"reaction_added","user":"U0ERNIE01","reaction":"eyes","item":{"type":"message","channel":"C0GENERAL","ts":"1462266100.000200"},"event_ts":"1462352700.000400"}'
	echo '{"type":"message","channel":"C0GENERAL","user":"U0ERNIE01","ts":"1462352800.000500","text":"ERNIELIVEWORDS back again"}'
} >"$TMP/live.jsonl"
check "ingest events carrying her after the erasure" "$SLACKLOG" ingest -q --db "$DB" "$TMP/live.jsonl"
traces="$traces ERNIELIVEWORDS"
erased "after live events"
page=$(get /general/2016-05-04/)
for m in LIVESHAREMARKER LIVEMENTIONMARKER; do
	contains "live: $m is shown" "$page" "$m"
done
contains "live: her file in a new share is a stand-in" "$page" 'again a former member&#39;s file</div><div class="file gone">'
contains "live: the new mention is the label" "$page" '<span class="mention">@a former member</span>'
for t in $traces; do
	eq "live: $t is not on the new day's page" "$(grep -cF -- "$t" <<<"$page")" 0
done
eq "live: search finds the new share, not her file's title" \
	"$(get '/api.v1/search?q=LIVESHAREMARKER' | jq .total) $(get '/api.v1/search?q=Zanzibar' | jq .total)" "1 0"

log=$("$SLACKLOG" moderation log --db "$DB" --json)
eq "the erasure is logged without naming her" "$(jq -r '.[0] | [.action, .target, .by, .reason] | join("|")' <<<"$log")" \
	"forget|an erased person|admin|erasure request"
status "forget of nobody fails" 2 "$SLACKLOG" forget -q --db "$DB" nobody-at-all
stop_server
