#!/bin/bash
# t6045-order: what an archive ends with when events, exports and the Web
# API tell of the same messages, reactions and conversations in any
# order. The fixture events-order is made up here in the shapes of a real
# day of RTM events: previews that arrive and are then taken away one by
# one without a new edited.ts, a preview taken away under the same edit, a
# thread whose parent's reply count goes down when a reply is deleted, a
# late preview, reactions given and taken back, one reaction's people, and
# conversations no channels.json describes (named by links' labels, told
# by member_joined_channel, channel_convert_to_public, channel_rename, an
# Events API channel_type, or by nothing). What the archive must hold comes
# from t6-replay.py --rows, which replays the JSON with the documented
# rules; replays in other orders must store the same rows. The exports
# and the Web API's workspace here are made up the same way, and their
# expected values read off them by hand.
. tests/lib.sh
. tests/e2e/serve.sh
FX=$FIX/events-order
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }
dump() { python3 tests/e2e/t1-stats.py --dump "$1"; }
ingest() { "$SLACKLOG" ingest --quiet --db "$@" 2>/dev/null; }
# what a message's stored JSON holds: its text, its previews' titles, its reply count
msgs() {
	sql "$1" "SELECT 'm ' || channel_id || ' ' || ts || ' | ' || json_extract(raw, '\$.text') || ' | ' ||
		coalesce((SELECT group_concat(json_extract(value, '\$.title'), ',') FROM json_each(raw, '\$.attachments')), '')
		|| ' | ' || coalesce(json_extract(raw, '\$.reply_count'), 0) FROM messages ORDER BY channel_id, ts"
}
chans() {
	sql "$1" "SELECT 'c ' || id || ' ' || name || ' ' || CASE kind WHEN 0 THEN 'public' WHEN 1 THEN 'private'
		WHEN 2 THEN 'dm' WHEN 3 THEN 'mpim' ELSE 'unknown' END || ' ' || published FROM channels ORDER BY id"
}
# reacts DB DAY TS: a message's reactions as the day document of a built
# site lists them, "name=people ..."
reacts() {
	rm -rf "$TMP/site" && "$SLACKLOG" build -q --db "$1" "$TMP/site" 2>/dev/null
	jq -r --arg ts "$3" '[.messages[] | select(.ts == $ts) | .reactions[]? | "\(.name)=\(.users | join(","))"] | join(" ")' \
		"$TMP/site/api.v1/channels/general/$2.json"
}
# the reactions a served day document shows, in its order: "r CH TS NAME COUNT USERS"
shown() {
	get "/api.v1/channels/$1/$2.json" | jq -r '.channel.id as $c | .messages[] | .ts as $t | .reactions[]? |
		"r \($c) \($t) \(.name) \(.count) \(.users | join(","))"'
}
want=$(python3 tests/e2e/t6-replay.py --rows "$FX")

# --- the log in its own order
db=$TMP/a.db
out=$("$SLACKLOG" ingest --db "$db" "$FX" 2>&1)
eq "ingest: exit status 0" "$?" 0
eq "messages as the replay of the log leaves them" "$(msgs "$db")" "$(grep '^m ' <<<"$want")"
eq "conversations as the replay leaves them" "$(chans "$db")" "$(grep '^c ' <<<"$want")"
check "server starts" start_server "$db" -q
eq "reactions a page shows, in the replay's order" "$(shown general 2024-05-01)" "$(grep '^r ' <<<"$want")"
page=$(get /general/2024-05-01/)
day2=$(get /general/2024-05-02/)
stop_server

# by hand, from the fixture
eq "previews taken away one by one: none left" \
	"$(sql "$db" "SELECT coalesce(json_array_length(raw, '\$.attachments'), 0) FROM messages WHERE ts = '1714550400.000100'")" 0
lacks "the page no longer shows the CHANGELOG the author took away" "$page" "CHANGELOG"
lacks "nor its code block" "$page" "first public release"
eq "an edit's preview taken away under the same edit: the edited text, no preview" \
	"$(sql "$db" "SELECT json_extract(raw, '\$.text'), json_array_length(raw, '\$.attachments') FROM messages WHERE ts = '1714550500.000100'")" \
	"see <https://docs.example.com/start> (the new guide)|"
lacks "the page does not show that preview" "$page" "Getting started"
eq "a deleted reply: the parent's count went down again" \
	"$(sql "$db" "SELECT json_extract(raw, '\$.reply_count'), json_extract(raw, '\$.latest_reply') FROM messages WHERE ts = '1714550700.000100'")" \
	"1|1714550710.000200"
contains "a preview that arrived late stays" "$page" "Release day"
eq "reactions in the order they were first added (tada, rocket; eyes again last)" \
	"$(reacts "$db" 2024-05-01 1714550900.000100)" "tada=U0CAROL03 rocket=U0BOB0002 eyes=U0DAVE004"
eq "the page shows them so" "$(grep -o -e '🎉' -e '🚀' -e '👀' <<<"$page" | tr -d '\n')" "🎉🚀👀"
eq "a reaction's people in the order they reacted" \
	"$(sql "$db" "SELECT users FROM reactions WHERE ts = '1714551000.000100' AND name = '+1'")" "U0CAROL03,U0ALICE01,U0BOB0002"
eq "a C ID that only a member_joined_channel \"C\" and a label tell of: named, of unknown kind, unpublished" \
	"$(chans "$db" | grep CDESIGN01)" "c CDESIGN01 design-review unknown 0"
eq "made public by channel_convert_to_public, named by a label: published" \
	"$(chans "$db" | grep CLAUNCH01)" "c CLAUNCH01 launch-plans public 1"
eq "renamed, then a label older than the rename, then a newer one: the newest name" \
	"$(chans "$db" | grep CRENAME01)" "c CRENAME01 renamed-again public 1"
eq "a G ID told private again: private" "$(chans "$db" | grep GOLDROOM1)" "c GOLDROOM1 GOLDROOM1 private 0"
eq "nothing told: its ID, unknown kind, unpublished" "$(chans "$db" | grep CQUIET001)" "c CQUIET001 CQUIET001 unknown 0"
eq "an Events API channel_type \"channel\": public under its ID" "$(chans "$db" | grep CEVENTS01)" "c CEVENTS01 CEVENTS01 public 1"
eq "an Events API channel_type \"group\": private" "$(chans "$db" | grep CSECRET01)" "c CSECRET01 CSECRET01 private 0"
contains "a link to a published channel: #name, linked" "$day2" '<a class="channel" href="/launch-plans/">#launch-plans</a>'
contains "a link to an unpublished one: #name, plain text" "$day2" '<span class="channel">#design-review</span>'
lacks "no page links the unpublished one" "$day2" 'href="/design-review/'
eq "stats --json: 2 of unknown kind, 2 known only by ID" "$("$SLACKLOG" stats --db "$db" --json | jq -c .waiting)" \
	'{"type":2,"name":2}'
eq "stats --json: as the replay says" "$("$SLACKLOG" stats --db "$db" --json | jq -cS .)" \
	"$(python3 tests/e2e/t6-replay.py "$FX" | jq -cS .)"
contains "stats: how many wait, and how to fill them in" "$("$SLACKLOG" stats --db "$db")" \
	"waiting: 2 conversations of unknown kind (not published), 2 known only by ID; \`slacklog sync --token TOKEN\` fills in the public ones"
contains "moderation log: the same note" "$("$SLACKLOG" moderation log --db "$db" 2>&1 >/dev/null)" \
	"waiting: 2 conversations of unknown kind (not published), 2 known only by ID"
eq "moderation log --json: still only the log on stdout" "$("$SLACKLOG" moderation log --db "$db" --json 2>/dev/null)" "[]"

# --- the same events in other orders, and again: the same rows
before=$(dump "$db")
out=$("$SLACKLOG" ingest --db "$db" "$FX" 2>&1)
contains "replayed: no message stored again" "$out" "0 messages stored"
contains "replayed: no other change applied again" "$out" "0 reaction changes, 0 conversation changes"
eq "replayed: the same rows" "$(dump "$db")" "$before"
order() { # order NAME: a directory with the snapshots and the lines of stdin
	mkdir "$TMP/$1" && cp "$FX/users.json" "$FX/channels.json" "$TMP/$1/" && cat >"$TMP/$1/all.jsonl"
	ingest "$TMP/$1.db" "$TMP/$1"
}
for f in $(ls "$FX"/*.jsonl | sort -r); do cat "$f"; done | order files-reversed
eq "files in reverse order: the same rows" "$(dump "$TMP/files-reversed.db")" "$before"
cat "$FX"/*.jsonl | tac | order lines-reversed
eq "every line in reverse order: the same rows" "$(dump "$TMP/lines-reversed.db")" "$before"
for seed in 1 2 3; do
	cat "$FX"/*.jsonl | python3 -c 'import random, sys; l = sys.stdin.read().splitlines(); random.Random(int(sys.argv[1])).shuffle(l); print("\n".join(l))' "$seed" | order "shuffled-$seed"
	eq "lines shuffled (seed $seed): the same rows" "$(dump "$TMP/shuffled-$seed.db")" "$before"
done

# --- exports against events. The export knows only that it was made after
# its newest day file's date began (and after each message's edit).
# An export made before the previews were taken away (its newest day file
# is the day of the message) does not bring them back, in either order.
E=$TMP/export-before
mkdir -p "$E/general"
cp "$FX/users.json" "$FX/channels.json" "$E/"
head -2 "$FX/2024-05-01.jsonl" | tail -1 | jq -c '[.message]' >"$E/general/2024-05-01.json"
check "the export's copy has both previews" test "$(jq '.[0].attachments | length' "$E/general/2024-05-01.json")" = 2
"$SLACKLOG" import --quiet --db "$TMP/events-then-export.db" "$E" 2>/dev/null
ingest "$TMP/events-then-export.db" "$FX"
ingest "$TMP/export-then-events.db" "$FX"
"$SLACKLOG" import --quiet --db "$TMP/export-then-events.db" "$E" 2>/dev/null
for d in events-then-export export-then-events; do
	eq "$d: an older export does not bring back the previews taken away" \
		"$(sql "$TMP/$d.db" "SELECT coalesce(json_array_length(raw, '\$.attachments'), 0) FROM messages WHERE ts = '1714550400.000100'")" 0
done
# An export made two days later, without the preview that the log saw
# arrive (the log missed it being taken away): the export is newer.
L=$TMP/late-log
mkdir -p "$L" "$TMP/export-after/general"
cp "$FX/users.json" "$FX/channels.json" "$L/"
cp "$FX/users.json" "$FX/channels.json" "$TMP/export-after/"
cat >"$L/log.jsonl" <<'J'
{"type":"message","channel":"C0GENERAL","user":"U0DAVE004","text":"notes <https://example.com/blog>","ts":"1714600000.000100","event_ts":"1714600000.000100"}
{"type":"message","subtype":"message_changed","hidden":true,"channel":"C0GENERAL","ts":"1714600002.000100","event_ts":"1714600002.000100","message":{"type":"message","user":"U0DAVE004","text":"notes <https://example.com/blog>","ts":"1714600000.000100","attachments":[{"id":1,"title":"Release day","title_link":"https://example.com/blog","from_url":"https://example.com/blog"}]}}
J
echo '[{"type":"message","user":"U0DAVE004","text":"notes <https://example.com/blog>","ts":"1714600000.000100"}]' \
	>"$TMP/export-after/general/2024-05-01.json"
echo '[{"type":"message","user":"U0ALICE01","text":"two days on","ts":"1714780800.000100"}]' \
	>"$TMP/export-after/general/2024-05-03.json"
ingest "$TMP/a1.db" "$L"
"$SLACKLOG" import --quiet --db "$TMP/a1.db" "$TMP/export-after" 2>/dev/null
"$SLACKLOG" import --quiet --db "$TMP/a2.db" "$TMP/export-after" 2>/dev/null
ingest "$TMP/a2.db" "$L"
for d in a1 a2; do
	eq "$d: an export made after the log's last word on a message wins over it" \
		"$(sql "$TMP/$d.db" "SELECT coalesce(json_array_length(raw, '\$.attachments'), 0) FROM messages WHERE ts = '1714600000.000100'")" 0
done
eq "either order: the same rows" "$(dump "$TMP/a2.db")" "$(dump "$TMP/a1.db")"
before=$(dump "$TMP/a1.db")
out=$("$SLACKLOG" import --db "$TMP/a1.db" "$TMP/export-after" 2>&1)
contains "importing it again: nothing updated" "$out" "(0 new, 0 updated, 2 unchanged)"
eq "importing it again: the same rows" "$(dump "$TMP/a1.db")" "$before"

# --- reactions: an export's list keeps its order, and events after it
# apply on top (star gets a person: it stays first; a new one goes last)
X=$TMP/export-reactions
mkdir -p "$X/general" "$TMP/react-log"
cp "$FX/users.json" "$FX/channels.json" "$X/"
cp "$FX/users.json" "$FX/channels.json" "$TMP/react-log/"
cat >"$X/general/2024-04-30.json" <<'J'
[{"type":"message","user":"U0ALICE01","text":"new logo","ts":"1714478400.000100","reactions":[{"name":"star","users":["U0ALICE01"],"count":1},{"name":"apple","users":["U0BOB0002","U0CAROL03"],"count":2}]}]
J
cat >"$TMP/react-log/log.jsonl" <<'J'
{"type":"reaction_added","user":"U0DAVE004","reaction":"star","item":{"type":"message","channel":"C0GENERAL","ts":"1714478400.000100"},"event_ts":"1714550000.000000"}
{"type":"reaction_added","user":"U0DAVE004","reaction":"zap","item":{"type":"message","channel":"C0GENERAL","ts":"1714478400.000100"},"event_ts":"1714550100.000000"}
{"type":"reaction_removed","user":"U0BOB0002","reaction":"apple","item":{"type":"message","channel":"C0GENERAL","ts":"1714478400.000100"},"event_ts":"1714550200.000000"}
J
"$SLACKLOG" import --quiet --db "$TMP/r1.db" "$X" 2>/dev/null
eq "an export's reactions in its list's order" "$(reacts "$TMP/r1.db" 2024-04-30 1714478400.000100)" \
	"star=U0ALICE01 apple=U0BOB0002,U0CAROL03"
ingest "$TMP/r1.db" "$TMP/react-log"
eq "events after the export: star keeps its place, zap goes last" "$(reacts "$TMP/r1.db" 2024-04-30 1714478400.000100)" \
	"star=U0ALICE01,U0DAVE004 apple=U0CAROL03 zap=U0DAVE004"
ingest "$TMP/r2.db" "$TMP/react-log"
"$SLACKLOG" import --quiet --db "$TMP/r2.db" "$X" 2>/dev/null
eq "the events before the export's import: the same" "$(reacts "$TMP/r2.db" 2024-04-30 1714478400.000100)" \
	"star=U0ALICE01,U0DAVE004 apple=U0CAROL03 zap=U0DAVE004"
eq "either order: the same rows" "$(dump "$TMP/r2.db")" "$(dump "$TMP/r1.db")"

# --- the operator's unpublish list wins over a name a label gave
printf 'unpublish = launch-plans\n' >"$TMP/unpub.conf"
# (an archive holding one person, so that the list is set before the labels come)
mkdir "$TMP/someone" && printf '%s\n' '{"type":"user_change","user":{"id":"U0ZED0001","name":"zed"}}' >"$TMP/someone/2024-01-01.jsonl"
ingest "$TMP/u.db" "$TMP/someone"
"$SLACKLOG" moderation publish --db "$TMP/u.db" --config "$TMP/unpub.conf" 2>/dev/null
ingest "$TMP/u.db" "$FX"
eq "unpublish names the channel a label named: not published" "$(chans "$TMP/u.db" | grep CLAUNCH01)" \
	"c CLAUNCH01 launch-plans public 0"

# --- the Web API fills in what the events did not say, and its lists of
# reactions keep their order against later events
cat >"$TMP/ws.json" <<'J'
{"users": [{"id": "U0ALICE01", "name": "alice"}, {"id": "U0BOB0002", "name": "bob"}],
 "emoji": {},
 "channels": [{"id": "C0GENERAL", "name": "general", "is_channel": true, "is_private": false, "created": 1700000000},
              {"id": "CDESIGN01", "name": "design-review", "is_channel": true, "is_private": false, "created": 1714000000}],
 "messages": {"C0GENERAL": [{"type": "message", "user": "U0BOB0002", "text": "vote", "ts": "1714700000.000100",
                             "reactions": [{"name": "zap", "users": ["U0BOB0002"], "count": 1},
                                           {"name": "apple", "users": ["U0ALICE01"], "count": 1}]}],
              "CDESIGN01": [{"type": "message", "user": "U0BOB0002", "text": "the draft is up", "ts": "1714636800.000100"}]}}
J
python3 tests/fakeslack/fakeslack.py --data "$TMP/ws.json" --port-file "$TMP/fake.port" 2>/dev/null &
fake=$!
for _ in $(seq 100); do [ -s "$TMP/fake.port" ] && break; sleep 0.1; done
cp "$db" "$TMP/s.db"
"$SLACKLOG" sync --db "$TMP/s.db" --api-url "http://127.0.0.1:$(cat "$TMP/fake.port")/api/" --token xoxb-test-token \
	--min-interval 0.01 -q 2>/dev/null
eq "sync: conversations.list names the channel a label named and says it is public" \
	"$(chans "$TMP/s.db" | grep CDESIGN01)" "c CDESIGN01 design-review public 1"
eq "sync: one conversation still waits" "$("$SLACKLOG" stats --db "$TMP/s.db" --json | jq -c .waiting)" '{"type":1,"name":2}'
eq "sync: a list of reactions in its order" "$(reacts "$TMP/s.db" 2024-05-03 1714700000.000100)" "zap=U0BOB0002 apple=U0ALICE01"
"$SLACKLOG" build -q --db "$TMP/s.db" "$TMP/kept-site" 2>/dev/null
later=$(($(date +%s) + 3600))
echo "{\"type\":\"reaction_added\",\"user\":\"U0ALICE01\",\"reaction\":\"zap\",\"item\":{\"type\":\"message\",\"channel\":\"C0GENERAL\",\"ts\":\"1714700000.000100\"},\"event_ts\":\"$later.000000\"}" >"$TMP/after-sync.jsonl"
ingest "$TMP/s.db" "$TMP/after-sync.jsonl"
eq "an event after the sync: zap keeps its place" "$(reacts "$TMP/s.db" 2024-05-03 1714700000.000100)" \
	"zap=U0BOB0002,U0ALICE01 apple=U0ALICE01"
"$SLACKLOG" build -q --db "$TMP/s.db" "$TMP/kept-site" 2>/dev/null
eq "an incremental build writes the day again (the change log has it)" \
	"$(jq -r '[.messages[].reactions[]? | "\(.name)=\(.users | join(","))"] | join(" ")' "$TMP/kept-site/api.v1/channels/general/2024-05-03.json")" \
	"zap=U0BOB0002,U0ALICE01 apple=U0ALICE01"
kill "$fake" 2>/dev/null

# --- an archive of schema 10: reactions kept in the order of their last
# change, the reaction events' order in the settings, conversations only
# events named made private, and the stale previews of the longer copy
up=$TMP/v10.db
cp "$db" "$up"
python3 - "$up" "$FX/2024-05-01.jsonl" <<'PY'
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
stale = json.loads(open(sys.argv[2]).read().splitlines()[1])["message"]
db.executescript("""
INSERT INTO settings(key, value) SELECT 'ev:re:' || channel_id || ':' || ts || ':' || name || ':' || user,
  at || ' ' || CASE added WHEN 1 THEN '+' ELSE '-' END FROM reacted;
DROP TABLE reacted;
CREATE TABLE r10(channel_id TEXT NOT NULL, ts TEXT NOT NULL, name TEXT NOT NULL, count INTEGER NOT NULL, users TEXT,
  PRIMARY KEY(channel_id, ts, name));
INSERT INTO r10 SELECT channel_id, ts, name, count, users FROM reactions ORDER BY pos DESC;
DROP TABLE reactions;
ALTER TABLE r10 RENAME TO reactions;
ALTER TABLE messages DROP COLUMN seen;
ALTER TABLE messages DROP COLUMN reactions_at;
DELETE FROM settings WHERE key LIKE 'ev:ch:%:label' OR key = 'ev:ch:CLAUNCH01:kind';
UPDATE channels SET kind = 1, published = 0, name = id WHERE id IN ('CDESIGN01', 'CQUIET001', 'CLAUNCH01');
PRAGMA user_version = 10;
""")
db.execute("UPDATE messages SET raw = ? WHERE ts = '1714550400.000100'", (json.dumps(stale),))
db.commit()
PY
eq "schema 10: reactions in the order of their last change" \
	"$(sql "$up" "SELECT group_concat(name, ' ') FROM (SELECT name FROM reactions WHERE ts = '1714550900.000100' ORDER BY rowid)")" \
	"eyes rocket tada"
out=$("$SLACKLOG" moderation publish --db "$up" 2>&1)
eq "a writable open migrates it" "$(sql "$up" "PRAGMA user_version")" 14
eq "migrated: reactions in the order they were first added" "$(reacts "$up" 2024-05-01 1714550900.000100)" \
	"tada=U0CAROL03 rocket=U0BOB0002 eyes=U0DAVE004"
eq "migrated: their people too" "$(sql "$up" "SELECT users FROM reactions WHERE ts = '1714551000.000100' AND name = '+1'")" \
	"U0CAROL03,U0ALICE01,U0BOB0002"
eq "migrated: the reaction events' order moved out of the settings" \
	"$(sql "$up" "SELECT count(*) FROM settings WHERE key LIKE 'ev:re:%'") $(sql "$up" "SELECT count(*) FROM reacted")" \
	"0 $(sql "$db" "SELECT count(*) FROM reacted")"
eq "migrated: conversations no event told the kind of are of unknown kind" \
	"$(chans "$up" | grep -e CDESIGN01 -e CQUIET001 -e CLAUNCH01)" \
	"c CDESIGN01 CDESIGN01 unknown 0
c CLAUNCH01 CLAUNCH01 unknown 0
c CQUIET001 CQUIET001 unknown 0"
ingest "$up" "$FX"
eq "and the logs replayed: the previews taken away are gone" \
	"$(sql "$up" "SELECT coalesce(json_array_length(raw, '\$.attachments'), 0) FROM messages WHERE ts = '1714550400.000100'")" 0
eq "and the conversations named and told" "$(chans "$up")" "$(chans "$db")"
eq "and the reactions as a new archive has them" "$(sql "$up" "SELECT * FROM reactions ORDER BY 1, 2, 3")" \
	"$(sql "$db" "SELECT * FROM reactions ORDER BY 1, 2, 3")"
