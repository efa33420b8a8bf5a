#!/bin/bash
# t6030-events-api: POST /slack/events on `slacklog serve`, over real HTTP.
# Signatures are computed here (python's hmac), not by slacklog. Checked:
# off without a signing secret; url_verification; good, wrong and missing
# signatures; stale and future timestamps; wrong content type; oversized
# bodies; Content-Length with Transfer-Encoding; an event on its day page,
# in the counts and in search at once (on kept pages within a second); retries and duplicate event_ids;
# event_ids kept for a day after their time, then forgotten; a burst of 1,000 events while pages are fetched.
. tests/lib.sh
. tests/e2e/serve.sh
SECRET=8f742231b10e8888abcd99yyyzzz85a5
client() { python3 tests/e2e/t6-events-client.py "$@"; }
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }
msg() { # msg EVENT_ID TS TEXT
	printf '{"type":"event_callback","team_id":"T1","event_id":"%s","event_time":%s,"event":{"type":"message","channel":"C1","channel_type":"channel","user":"U1","text":"%s","ts":"%s","event_ts":"%s"}}' \
		"$1" "${2%.*}" "$3" "$2" "$2"
}

DB=$TMP/a.db
"$SLACKLOG" ingest --quiet --db "$DB" "$FIX/events-basic" 2>/dev/null

check "server without a signing secret starts" start_server "$DB"
eq "no secret: POST /slack/events is 404" "$(code /slack/events -X POST -H 'Content-Type: application/json' -d '{}')" 404
stop_server

SLACKLOG_SIGNING_SECRET=$SECRET check "server with a signing secret starts" start_server "$DB"
eq "url_verification answered with the challenge" "$(spost '{"token":"t","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}')" \
	'{"challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"} 200'

body=$(msg Ev100 1457136000.000100 "fresh from the events api")
now=$(date +%s)
eq "missing signature: 401" "$(code /slack/events -X POST -H 'Content-Type: application/json' -H "X-Slack-Request-Timestamp: $now" --data-binary "$body")" 401
eq "wrong signature: 401" "$(code /slack/events -X POST -H 'Content-Type: application/json' -H "X-Slack-Request-Timestamp: $now" \
	-H "X-Slack-Signature: $(client sign wrong-secret "$now" "$body")" --data-binary "$body")" 401
old=$((now - 301))
eq "stale timestamp (301 s old), correctly signed: 401" "$(code /slack/events -X POST -H 'Content-Type: application/json' \
	-H "X-Slack-Request-Timestamp: $old" -H "X-Slack-Signature: $(client sign "$SECRET" "$old" "$body")" --data-binary "$body")" 401
future=$((now + 400))
eq "timestamp from the future, correctly signed: 401" "$(code /slack/events -X POST -H 'Content-Type: application/json' \
	-H "X-Slack-Request-Timestamp: $future" -H "X-Slack-Signature: $(client sign "$SECRET" "$future" "$body")" --data-binary "$body")" 401
eq "signature of another body: 401" "$(code /slack/events -X POST -H 'Content-Type: application/json' -H "X-Slack-Request-Timestamp: $now" \
	-H "X-Slack-Signature: $(client sign "$SECRET" "$now" "$body ")" --data-binary "$body")" 401
eq "form content type: 415" "$(code /slack/events -X POST -H 'Content-Type: application/x-www-form-urlencoded' -H "X-Slack-Request-Timestamp: $now" \
	-H "X-Slack-Signature: $(client sign "$SECRET" "$now" "$body")" --data-binary "$body")" 415
head -c 1100000 /dev/zero | tr '\0' ' ' >"$TMP/big"
eq "body over 1 MB: 413" "$(code /slack/events -X POST -H 'Content-Type: application/json' --data-binary @"$TMP/big")" 413
eq "body over 1 MB, chunked: 413" "$(code /slack/events -X POST -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big")" 413
port=${URL##*:}
eq "Content-Length and Transfer-Encoding together: 400" \
	"$(client raw 127.0.0.1 "$port" 'POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n')" 400
eq "nothing was stored by the refused requests" "$(sql "$DB" "SELECT count(*) FROM messages WHERE ts = '1457136000.000100'")" 0
eq "GET /slack/events is still GET-only territory (404 page)" "$(code /slack/events)" 404

# an event: stored before the 200, on its new page, in counts and search
# at once; on pages the server keeps (its cache) within a second
before=$(get /general/)
eq "signed event: 200" "$(spost "$body")" $'ok\n 200'
t0=$(now)
eq "stored" "$(sql "$DB" "SELECT text FROM messages WHERE ts = '1457136000.000100'")" "fresh from the events api"
contains "on its day page at once" "$(get /general/2016-03-05/)" "fresh from the events api"
within "the channel page lists the new day" "$t0" shows /general/ "2016-03-05"
eq "counted in stats" "$("$SLACKLOG" stats --db "$DB" --json | jq '.channels[] | select(.id == "C1") | .days["2016-03-05"]')" 1
eq "found by search" "$("$SLACKLOG" search --db "$DB" --json "fresh events" | jq -r '[.results[].ts] | join(" ")')" "1457136000.000100"

# retries and duplicates
eq "a retry (X-Slack-Retry-Num) is answered 200" "$(spost "$body" -H 'X-Slack-Retry-Num: 1' -H 'X-Slack-Retry-Reason: http_timeout')" $'ok\n 200'
eq "the retry stored nothing twice" "$(sql "$DB" "SELECT count(*) FROM messages WHERE channel_id = 'C1' AND day = '2016-03-05'")" 1
dup=$(msg Ev100 1457136100.000200 "same event id, other content")
eq "a duplicate event_id is answered 200" "$(spost "$dup")" $'ok\n 200'
eq "a duplicate event_id is not applied" "$(sql "$DB" "SELECT count(*) FROM messages WHERE ts = '1457136100.000200'")" 0
eq "the event_id is remembered" "$(sql "$DB" "SELECT count(*) FROM event_ids WHERE id = 'Ev100'")" 1
# ids kept from more than a day ago are forgotten when the next event comes
# (the rows are put in as an older delivery would have left them)
now=$(date +%s)
python3 -c 'import sqlite3, sys; db = sqlite3.connect(sys.argv[1]); db.execute(sys.argv[2]); db.commit()' "$DB" \
	"INSERT INTO event_ids(id, at) VALUES ('EvOld1', $((now - 86400 - 120))), ('EvOld2', $((now - 3 * 86400))), ('EvRecent', $((now - 86400 + 600)))"
eq "old ids put in" "$(sql "$DB" "SELECT count(*) FROM event_ids WHERE id LIKE 'EvOld%' OR id = 'EvRecent'")" 3
eq "a new event: 200" "$(spost "$(msg Ev102 1457136150.000300 "an event that prunes")")" $'ok\n 200'
eq "ids older than a day are forgotten" "$(sql "$DB" "SELECT group_concat(id) FROM event_ids WHERE id LIKE 'EvOld%'")" ""
eq "an id less than a day old is kept" "$(sql "$DB" "SELECT count(*) FROM event_ids WHERE id = 'EvRecent'")" 1
eq "the ids of this run are kept" "$(sql "$DB" "SELECT group_concat(id) FROM (SELECT id FROM event_ids WHERE id LIKE 'Ev10%' ORDER BY id)")" "Ev100,Ev102"
eq "a forgotten id is new again" "$(spost "$(msg EvOld1 1457136160.000400 "a late retry")")" $'ok\n 200'
eq "and applied" "$(sql "$DB" "SELECT count(*) FROM messages WHERE ts = '1457136160.000400'")" 1
eq "a kept id is still a duplicate" "$(spost "$(msg EvRecent 1457136170.000500 "not applied")")" $'ok\n 200'
eq "and not applied" "$(sql "$DB" "SELECT count(*) FROM messages WHERE ts = '1457136170.000500'")" 0
del='{"type":"event_callback","event_id":"Ev101","event_time":1457136200,"event":{"type":"message","subtype":"message_deleted","hidden":true,"channel":"C1","ts":"1457136200.000000","deleted_ts":"1457136000.000100","event_ts":"1457136200.000000"}}'
eq "a deletion: 200" "$(spost "$del")" $'ok\n 200'
t0=$(now)
within "the deleted message leaves its page" "$t0" hides /general/2016-03-05/ "fresh from the events api"

# a burst of 1,000 events from 8 clients while pages are fetched
res=$(client burst "$URL/slack/events" "$SECRET" 1000 C1 1457222400 8 general)
eq "burst: every event answered 200" "$(jq .ok <<<"$res")" 1000
check "burst: pages were fetched meanwhile" test "$(jq .pages <<<"$res")" -gt 0
eq "burst: every page fetch answered 200" "$(jq .pages_ok <<<"$res")" "$(jq .pages <<<"$res")"
eq "burst: all events stored, counted on their days" \
	"$("$SLACKLOG" stats --db "$DB" --json | jq '[.channels[] | select(.id == "C1") | .days | to_entries[] | select(.key >= "2016-03-06") | .value] | add')" 1000
check "burst: every answer within Slack's 3 s" python3 -c "import json,sys; sys.exit(0 if json.loads(sys.argv[1])['slowest'] < 3 else 1)" "$res"
echo "# burst: $res"
stop_server

# an archive whose event_ids are still settings (schema version 4): the
# upgrade moves them into their table
cp "$DB" "$TMP/old.db"
python3 - "$TMP/old.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TABLE event_ids; PRAGMA user_version = 4;"
                 "INSERT INTO settings(key, value) VALUES ('ev:id:EvMoved', '1700000000'), ('ev:del:C1:1.0', 'x');")
db.commit()
PY
"$SLACKLOG" ingest --quiet --db "$TMP/old.db" "$FIX/events-basic" 2>/dev/null
eq "upgraded: the id is in event_ids with its time" "$(sql "$TMP/old.db" "SELECT at FROM event_ids WHERE id = 'EvMoved'")" 1700000000
eq "upgraded: no event_id left in the settings" "$(sql "$TMP/old.db" "SELECT count(*) FROM settings WHERE key LIKE 'ev:id:%'")" 0
eq "upgraded: other event settings stay" "$(sql "$TMP/old.db" "SELECT count(*) FROM settings WHERE key = 'ev:del:C1:1.0'")" 1
