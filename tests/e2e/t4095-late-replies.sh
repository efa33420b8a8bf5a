#!/bin/bash
# t4095-late-replies: the replies posted on other days than their thread's
# page, kept in the archive per channel, day and thread (late_replies,
# schema 11), stay equal to a count of the messages (day-counts.py, with
# Python's sqlite3) after every way in that writes messages: a first
# import, a merge of a later export, an event log (a new late reply, an
# edit, a delete of a day's first, a reply whose thread's start comes
# after it), the Events API, a sync from the Web API, a new time zone,
# an opt-out and its undo, a takedown of a thread, an erasure. Each
# recount also checks that the table holds rows. Then an archive of
# schema 10 (the table and its triggers dropped) gains it on its next
# write, counted from what is there.
. tests/lib.sh
. tests/e2e/serve.sh
FX=$FIX/late-replies
DB=$TMP/a.db
A=1630144800.000100          # thread A of #general, 2021-08-28
SECRET=8f742231b10e8888abcd99yyyzzz85a5
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }
counted() {
	python3 tests/e2e/day-counts.py "$DB" && [ "$(sql "$DB" "SELECT count(*) FROM late_replies")" -gt 0 ]
}
late() { sql "$DB" "SELECT group_concat(channel_id || ' ' || day || ' ' || thread_ts || ' ' || n, ', ') FROM late_replies"; }

check "a first import" import_fixture "$DB" "$FX"
check "counted" counted
eq "the rows the fixture's README gives" "$(sql "$DB" "SELECT group_concat(day || ':' || n, ' ') FROM late_replies WHERE channel_id = 'C0LGEN'")" \
	"2021-08-29:2 2021-08-29:1 2021-08-30:2 2021-08-31:1"

# a later export: one more reply to thread C, on 2021-09-04
mkdir -p "$TMP/later"
cp -r "$FX/." "$TMP/later/"
cat >"$TMP/later/general/2021-09-04.json" <<'EOF'
[{"type": "message", "user": "U0ANN", "text": "MERGEDREPLY", "ts": "1630746000.000100", "thread_ts": "1630159200.000100"}]
EOF
check "a merge of a later export" import_fixture "$DB" "$TMP/later"
check "counted" counted
contains "with the merged reply's day" "$(late)" "C0LGEN 2021-09-04 1630159200.000100 1"

# an event log: a new late reply, an edit, the first reply of the 29th to
# A deleted, a reply whose thread's start (E) comes after it
E=1630486800.000100
{
	printf '{"type":"message","channel":"C0LGEN","user":"U0CAT","text":"LOGREPLY","ts":"1630576800.000100","thread_ts":"1630152000.000100"}\n'
	printf '{"type":"message","subtype":"message_changed","hidden":true,"channel":"C0LGEN","ts":"1630580000.000100","message":{"type":"message","user":"U0BEN","text":"LATEREPLYTWO edited","ts":"1630234800.000100","thread_ts":"%s","edited":{"user":"U0BEN","ts":"1630580000.000000"}}}\n' "$A"
	printf '{"type":"message","subtype":"message_deleted","hidden":true,"channel":"C0LGEN","ts":"1630580100.000100","deleted_ts":"1630231200.000100"}\n'
	printf '{"type":"message","channel":"C0LGEN","user":"U0BEN","text":"REPLYBEFORESTART","ts":"1630580400.000100","thread_ts":"%s"}\n' "$E"
	printf '{"type":"message","channel":"C0LGEN","user":"U0ANN","text":"STARTAFTERREPLY","ts":"%s","thread_ts":"%s"}\n' "$E" "$E"
} >"$TMP/events.jsonl"
check "an event log" "$SLACKLOG" ingest -q --db "$DB" "$TMP/events.jsonl"
check "counted" counted
contains "the delete left one reply to A on the 29th" "$(late)" "C0LGEN 2021-08-29 $A 1"
eq "whose first is now the one after" "$(sql "$DB" "SELECT first_ts FROM late_replies WHERE channel_id = 'C0LGEN' AND day = '2021-08-29' AND thread_ts = '$A'")" \
	1630234800.000100
contains "the reply stored before its start is late once the start came" "$(late)" "C0LGEN 2021-09-02 $E 1"

# the Events API: a reply to A on 2021-09-03
body='{"type":"event_callback","team_id":"T1","event_id":"EvLATE1","event_time":1630663200,"event":{"type":"message","channel":"C0LGEN","channel_type":"channel","user":"U0BEN","text":"EVENTSAPIREPLY","ts":"1630663200.000100","thread_ts":"'$A'","event_ts":"1630663200.000100"}}'
SLACKLOG_SIGNING_SECRET=$SECRET check "serve with a signing secret" start_server "$DB" -q
now=$(date +%s)
eq "the Events API stores a reply" "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
	-H "X-Slack-Request-Timestamp: $now" -H "X-Slack-Signature: $(python3 tests/e2e/t6-events-client.py sign "$SECRET" "$now" "$body")" \
	--data-binary "$body" "$URL/slack/events")" 200
stop_server
check "counted" counted
contains "with its day" "$(late)" "C0LGEN 2021-09-03 $A 1"

# a sync: the fake Web API's workspace has a thread with replies a day later
python3 tests/fakeslack/fakeslack.py --port-file "$TMP/port" --data "$FIX/events-sync/workspace.json" 2>"$TMP/fake.err" &
fake=$!
trap 'kill $fake 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
"$SLACKLOG" sync -q --db "$DB" --api-url "http://127.0.0.1:$(cat "$TMP/port")/api/" --token xoxb-test-token --min-interval 0.01 >/dev/null 2>&1
kill $fake
check "a sync brought the workspace's late replies" test "$(sql "$DB" "SELECT count(*) FROM late_replies WHERE channel_id = 'C1'")" -ge 1
check "counted" counted

before=$(late)
check "a new time zone" "$SLACKLOG" import -q --tz Pacific/Kiritimati --db "$DB" "$FX"
check "moved the replies' days" test "$before" != "$(late)"
check "counted" counted
check "an opt-out" "$SLACKLOG" optout -q --db "$DB" dan
check "counted" counted
check "its undo" "$SLACKLOG" optout -q --db "$DB" --undo U0DAN
check "counted" counted
check "a takedown of thread C" "$SLACKLOG" redact -q --db "$DB" --thread general 1630159200.000100
check "counted" counted
eq "thread C has no row left" "$(sql "$DB" "SELECT count(*) FROM late_replies WHERE thread_ts = '1630159200.000100'")" 0
check "an erasure" "$SLACKLOG" forget -q --db "$DB" eve
check "counted" counted

# an archive as schema 10 left it: no table, no triggers
OLD=$TMP/old.db
import_fixture "$OLD" "$FX"
python3 - "$OLD" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER late_replies_insert; DROP TRIGGER late_replies_delete; DROP TRIGGER late_replies_update;"
                 "DROP TABLE late_replies; PRAGMA user_version = 10;")
PY
check "the table is gone" test -z "$(sql "$OLD" "SELECT name FROM sqlite_master WHERE name LIKE 'late_replies%'")"
status "a reader refuses the old archive until it is upgraded" 2 "$SLACKLOG" build --db "$OLD" "$TMP/site"
import_fixture "$OLD" "$FIX/thread-across-days"
eq "the next import migrates it" "$(sql "$OLD" "PRAGMA user_version")" 14
DB=$OLD check "the migration counted what was there" counted
DB=$OLD contains "the fixture's days among them" "$(DB=$OLD late)" "C0LGEN 2021-08-31 $A 1"
