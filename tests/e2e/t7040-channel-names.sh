#!/bin/bash
# t7040-channel-names: a channel's name, whatever order its sources come
# in, and two published channels with one name.
#
# Slack frees a channel's name when it is renamed, so a newer export can
# hold "tools-old" (the channel that was #tools) and a new #tools. An
# export's names count as of its newest message, ordered by time with
# rename events: importing the older export after the newer one must not
# give the first channel its old name back, and both orders must end the
# same. A log that missed the rename does leave two channels named tools:
# the name then belongs to the first of the two in (kind, ID) order; the
# other is at /{its ID}/ (IDs are upper case, names never are, so the
# two cannot meet). Every link, the static build, the server, search and
# the API must agree on that; the late rename event gives the name to the
# other, and an incremental build moves the files. A name that cannot be
# a path (with '/', '.' or a control character) is at the ID too. The
# exports and logs are made here, so the expected names and pages are
# known by hand.
. tests/lib.sh
. tests/e2e/serve.sh
BC=tests/e2e/build-check.py
BASE=https://archive.example.org
names() { sqlite3 "$1" "SELECT group_concat(id || '=' || name, ' ') FROM (SELECT id, name FROM channels ORDER BY id)"; }

mk() {   # mk DIR CHANNELS_JSON: users and channels of an export
	mkdir -p "$1"
	echo '[{"id": "U0AAAAAA1", "name": "ana", "profile": {"display_name": "ana"}}]' >"$1/users.json"
	echo "$2" >"$1/channels.json"
}
day() {  # day DIR FOLDER DATE TS WORD: one message
	mkdir -p "$1/$2"
	printf '[{"type": "message", "user": "U0AAAAAA1", "ts": "%s", "text": "%s in the channel"}]\n' "$4" "$5" >"$1/$2/$3.json"
}
OLD=$TMP/old NEW=$TMP/new
mk "$OLD" '[{"id": "C0AAAAAA1", "name": "tools", "created": 1451606400}]'
day "$OLD" tools 2016-01-04 1451904000.000100 oldtoolsword
mk "$NEW" '[{"id": "C0AAAAAA1", "name": "tools-old", "created": 1451606400},
            {"id": "C0BBBBBB2", "name": "tools", "created": 1454284800}]'
day "$NEW" tools-old 2016-01-04 1451904000.000100 oldtoolsword
day "$NEW" tools 2016-02-02 1454371200.000200 newtoolsword
WANT="C0AAAAAA1=tools-old C0BBBBBB2=tools"

# --- exports in either order
check "new then old: import the newer export" import_fixture "$TMP/no.db" "$NEW"
check "new then old: import the older export" import_fixture "$TMP/no.db" "$OLD"
eq "new then old: the newer names stay" "$(names "$TMP/no.db")" "$WANT"
check "old then new: import the older export" import_fixture "$TMP/on.db" "$OLD"
check "old then new: import the newer export" import_fixture "$TMP/on.db" "$NEW"
eq "old then new: the newer names" "$(names "$TMP/on.db")" "$WANT"
check "new then old: importing the older again changes nothing" import_fixture "$TMP/no.db" "$OLD"
eq "new then old: still the newer names" "$(names "$TMP/no.db")" "$WANT"
eq "both orders leave the same archive" \
	"$("$SLACKLOG" stats --db "$TMP/no.db" --json | jq -cS .)" "$("$SLACKLOG" stats --db "$TMP/on.db" --json | jq -cS .)"
"$SLACKLOG" build -q --db "$TMP/no.db" "$TMP/no.site" >/dev/null 2>&1
check "new then old: the newer names' pages" test -f "$TMP/no.site/tools-old/2016-01-04/index.html" \
	-a -f "$TMP/no.site/tools/2016-02-02/index.html" -a ! -e "$TMP/no.site/C0BBBBBB2"

# --- rename events ordered with an export's names by time
L=$TMP/ev
mkdir -p "$L/a" "$L/b"
echo '{"type": "channel_rename", "channel": {"id": "C0BBBBBB2", "name": "tools-new", "created": 1454284800}, "event_ts": "1454400000.000000"}' >"$L/a/e.jsonl"
echo '{"type": "channel_rename", "channel": {"id": "C0BBBBBB2", "name": "tools-before", "created": 1454284800}, "event_ts": "1454300000.000000"}' >"$L/b/e.jsonl"
cp "$TMP/on.db" "$TMP/ev1.db"
check "a rename after the export's newest message" "$SLACKLOG" ingest --quiet --db "$TMP/ev1.db" "$L/a"
check "the export again" import_fixture "$TMP/ev1.db" "$NEW"
eq "the later rename stays" "$(names "$TMP/ev1.db")" "C0AAAAAA1=tools-old C0BBBBBB2=tools-new"
cp "$TMP/on.db" "$TMP/ev2.db"
check "a rename before the export's newest message" "$SLACKLOG" ingest --quiet --db "$TMP/ev2.db" "$L/b"
eq "the event itself is older than the export: not applied" "$(names "$TMP/ev2.db")" "$WANT"

# --- two channels with one name: a log that missed the rename
mkdir -p "$L/dup" "$L/late"
cat >"$L/dup/2016.jsonl" <<'J'
{"type": "channel_created", "channel": {"id": "C0AAAAAA1", "name": "tools", "created": 1451606400}, "event_ts": "1451606400.000000"}
{"type": "message", "channel": "C0AAAAAA1", "user": "U0AAAAAA1", "text": "oldtoolsword in the channel", "ts": "1451904000.000100"}
{"type": "channel_created", "channel": {"id": "C0BBBBBB2", "name": "tools", "created": 1454284800}, "event_ts": "1454284800.000000"}
{"type": "message", "channel": "C0BBBBBB2", "user": "U0AAAAAA1", "text": "newtoolsword in the channel", "ts": "1454371200.000200"}
J
echo '{"type": "channel_rename", "channel": {"id": "C0AAAAAA1", "name": "tools-old", "created": 1451606400}, "event_ts": "1454284700.000000"}' >"$L/late/e.jsonl"
DB=$TMP/a.db OUT=$TMP/site
check "ingest the log" "$SLACKLOG" ingest --quiet --db "$DB" "$L/dup"
eq "both channels are named tools" "$(names "$DB")" "C0AAAAAA1=tools C0BBBBBB2=tools"

"$SLACKLOG" build --db "$DB" --base-url "$BASE" "$OUT" >"$TMP/build.log" 2>&1
eq "build exits 0" "$?" 0
lacks "build wrote every page" "$(cat "$TMP/build.log")" "not written"
contains "the first channel has the name's day page" "$(cat "$OUT/tools/2016-01-04/index.html")" oldtoolsword
contains "the second channel's day page is under its ID" "$(cat "$OUT/C0BBBBBB2/2016-02-02/index.html")" newtoolsword
check "the second channel has its page, feed, stub and API documents" test -f "$OUT/C0BBBBBB2/index.html" \
	-a -f "$OUT/C0BBBBBB2/feed.atom" -a -f "$OUT/C0BBBBBB2/2016-02-02.html" \
	-a -f "$OUT/api.v1/channels/C0BBBBBB2.json" -a -f "$OUT/api.v1/channels/C0BBBBBB2/2016-02-02.json"
check "no page of the first channel under its ID" test ! -e "$OUT/C0AAAAAA1"
IDX=$(cat "$OUT/index.html")
contains "the index links the first by name" "$IDX" 'href="/tools/"'
contains "the index links the second by ID" "$IDX" 'href="/C0BBBBBB2/"'
D2=$(cat "$OUT/C0BBBBBB2/2016-02-02/index.html")
contains "the second's canonical link is under its ID" "$D2" '<link rel="canonical" href="'"$BASE"'/C0BBBBBB2/2016-02-02/">'
contains "the second's sidebar links its own day" "$D2" 'href="/C0BBBBBB2/2016-02-02/" aria-current="page"'
contains "the second's feed link is under its ID" "$D2" 'href="/C0BBBBBB2/feed.atom"'
contains "the second's page is still titled #tools" "$D2" '<title>#tools 2016-02-02'
eq "sitemap lists both channels' pages" \
	"$(python3 "$BC" sitemap "$OUT" "$BASE" | grep -E '^/(tools|C0BBBBBB2)/' | sort | tr '\n' ' ')" \
	"/C0BBBBBB2/ /C0BBBBBB2/2016-02-02/ /tools/ /tools/2016-01-04/ "

check "static server" start_static "$OUT"
check "slacklog serve" start_server "$DB" -q --base-url "$BASE" --search-url off
res=$(python3 "$BC" compare "$STATIC" "$URL" "$OUT")
printf '%s\n' "$res" | grep '^#' | head -5
contains "every file equals the server's answer ($(tail -1 <<<"$res"))" "$res" "differ=0"
contains "the second's day page from the server" "$(get /C0BBBBBB2/2016-02-02/)" newtoolsword
eq "the second's legacy URL redirects under its ID" \
	"$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "$URL/C0BBBBBB2/2016-02-02.html")" \
	"301 $URL/C0BBBBBB2/2016-02-02/"
eq "the first channel is not at its ID" "$(code /C0AAAAAA1/)" 404
eq "the API names the second channel tools" "$(get /api.v1/channels/C0BBBBBB2.json | jq -r .channel.name)" tools
eq "the API's channel list gives each its own URL" \
	"$(get /api.v1/channels.json | jq -r '[.channels[] | select(.name == "tools") | .url] | sort | join(" ")')" \
	"/C0BBBBBB2/ /tools/"
contains "search scoped by the ID path finds the second's message" \
	"$(get '/C0BBBBBB2/?q=newtoolsword')" 'href="/C0BBBBBB2/2016-02-02/#p1454371200000200"'
stop_server
stop_static
eq "search --json gives the second's message URL under its ID" \
	"$("$SLACKLOG" search --db "$DB" --json newtoolsword | jq -r '.results[0].url')" \
	"/C0BBBBBB2/2016-02-02/#p1454371200000200"
eq "search --json gives the first's by name" \
	"$("$SLACKLOG" search --db "$DB" --json oldtoolsword | jq -r '.results[0].url')" \
	"/tools/2016-01-04/#p1451904000000100"

# The missed rename arrives: the first is tools-old, the name is the second's.
check "ingest the late rename" "$SLACKLOG" ingest --quiet --db "$DB" "$L/late"
eq "renamed" "$(names "$DB")" "$WANT"
check "incremental build" "$SLACKLOG" build -q --db "$DB" --base-url "$BASE" "$OUT"
check "clean build" "$SLACKLOG" build -q --db "$DB" --base-url "$BASE" "$TMP/clean"
check "the incremental build equals the clean one" diff -r "$OUT" "$TMP/clean"
contains "the name's pages are the second channel's" "$(cat "$OUT/tools/2016-02-02/index.html")" newtoolsword
contains "the first is at its new name" "$(cat "$OUT/tools-old/2016-01-04/index.html")" oldtoolsword
check "nothing is left under the ID" test ! -e "$OUT/C0BBBBBB2" -a ! -e "$OUT/api.v1/channels/C0BBBBBB2.json"

# --- names that cannot be a URL segment or a file name: Slack's never hold
# '/', '.' or control characters, foreign or hostile data may. Each such
# channel is at its ID, with every page written.
mkdir -p "$L/odd"
cat >"$L/odd/e.jsonl" <<'J'
{"type": "channel_created", "channel": {"id": "C0SLASH01", "name": "a/b", "created": 1451606400}, "event_ts": "1451606400.000000"}
{"type": "message", "channel": "C0SLASH01", "user": "U0AAAAAA1", "text": "slashword in the channel", "ts": "1451904000.000300"}
{"type": "channel_created", "channel": {"id": "C0DOTTED1", "name": "v1.2", "created": 1451606400}, "event_ts": "1451606400.000000"}
{"type": "message", "channel": "C0DOTTED1", "user": "U0AAAAAA1", "text": "dotword in the channel", "ts": "1451904000.000400"}
{"type": "channel_created", "channel": {"id": "C0DOTDOT1", "name": "..", "created": 1451606400}, "event_ts": "1451606400.000000"}
{"type": "message", "channel": "C0DOTDOT1", "user": "U0AAAAAA1", "text": "dotdotword in the channel", "ts": "1451904000.000500"}
{"type": "channel_created", "channel": {"id": "C0NEWLINE", "name": "line\nbreak", "created": 1451606400}, "event_ts": "1451606400.000000"}
{"type": "message", "channel": "C0NEWLINE", "user": "U0AAAAAA1", "text": "newlineword in the channel", "ts": "1451904000.000600"}
J
ODB=$TMP/odd.db OOUT=$TMP/odd.site
check "ingest channels with odd names" "$SLACKLOG" ingest --quiet --db "$ODB" "$L/odd"
"$SLACKLOG" build --db "$ODB" --base-url "$BASE" "$OOUT" >"$TMP/odd.log" 2>&1
eq "build exits 0" "$?" 0
lacks "build wrote every page of them" "$(cat "$TMP/odd.log")" "not written"
lacks "and skipped none" "$(cat "$TMP/odd.log")" "skipping"
for c in C0SLASH01:slashword C0DOTTED1:dotword C0DOTDOT1:dotdotword C0NEWLINE:newlineword; do
	contains "${c%%:*}'s day page is under its ID" "$(cat "$OOUT/${c%%:*}/2016-01-04/index.html" 2>/dev/null)" "${c#*:}"
done
check "and their stubs, feeds and API documents" test -f "$OOUT/C0SLASH01/2016-01-04.html" \
	-a -f "$OOUT/C0DOTTED1/feed.atom" -a -f "$OOUT/api.v1/channels/C0DOTDOT1/2016-01-04.json"
check "nothing outside the site" test ! -e "$TMP/2016-01-04" -a ! -e "$OOUT/a" -a ! -e "$OOUT/v1.2"
OIDX=$(cat "$OOUT/index.html")
contains "the index links a/b by its ID" "$OIDX" 'href="/C0SLASH01/"'
contains "and shows its name" "$OIDX" '</span>a/b</a>'
check "slacklog serve" start_server "$ODB" -q --base-url "$BASE" --search-url off
contains "the server has v1.2 at its ID" "$(get /C0DOTTED1/2016-01-04/)" dotword
eq "and not at its name" "$(code /v1.2/2016-01-04/)" 404
eq "the API gives a/b's URL under its ID" \
	"$(get /api.v1/channels.json | jq -r '.channels[] | select(.id == "C0SLASH01") | .url')" "/C0SLASH01/"
stop_server
