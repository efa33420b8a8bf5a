#!/bin/bash
# t9110-hostile-http: requests no browser sends, over raw sockets
# (tests/e2e/t91-hostile.py has the cases and the rules): path traversal
# plain, encoded, double-encoded and with backslashes; NUL, raw and
# encoded; overlong and invalid UTF-8; huge queries; invalid methods and
# protocols; absolute-form targets; request smuggling shapes on POST
# /slack/events carrying correctly signed events. Each gets a 4xx (or is
# closed), no answer shows the files planted around the server, and no
# event reaches the archive. A well-formed signed event, sent last, is
# stored: the count would have seen it.
. tests/lib.sh
. tests/e2e/serve.sh
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
SECRET=hostile-test-signing-secret
sql() { $PY tests/e2e/t1-stats.py --sql "$DB" "$1"; }

DB=$TMP/a.db
"$SLACKLOG" ingest --quiet --db "$DB" "$FIX/events-basic" 2>/dev/null
CANARY="canary-$RANDOM$RANDOM-must-never-be-served"
mkdir -p "$TMP/www/www"
for f in "$TMP/canary.txt" "$TMP/www/canary.txt" "$TMP/www/www/canary.txt" "$TMP/canary.txt.css"; do
	echo "$CANARY" >"$f"
done
pushd "$TMP/www" >/dev/null
SLACKLOG_SIGNING_SECRET=$SECRET check "server starts (events endpoint on, cwd next to the planted files)" \
	start_server "$DB" --access-log "$TMP/access.log"
popd >/dev/null
port=${URL##*:}

messages() { sql "SELECT count(*) FROM messages"; }
events() { sql "SELECT count(*) FROM settings WHERE key LIKE 'ev:id:%'"; }
m0=$(messages) e0=$(events)
check "the archive has messages before" test "$m0" -gt 0
$PY tests/e2e/t91-hostile.py "$port" "$SECRET" "$CANARY"
eq "healthy after the hostile requests" "$(get /healthz)" ok
eq "no message stored by any of them" "$(messages)" "$m0"
eq "no event id recorded by any of them" "$(events)" "$e0"
eq "nothing of them on the day page" "$(get /general/2016-03-06/ | grep -c smuggled)" 0
lacks "the access log shows no 2xx POST" "$(grep 'POST' "$TMP/access.log" | grep -E '" 2[0-9][0-9] ')" "POST"

# control: the same kind of event, well framed and signed, is stored
body='{"type":"event_callback","team_id":"T1","event_id":"EvControl","event_time":1457222400,"event":{"type":"message","channel":"C1","channel_type":"channel","user":"U1","text":"well formed","ts":"1457222400.999999","event_ts":"1457222400.999999"}}'
ts=$(date +%s)
sig=v0=$(printf 'v0:%s:%s' "$ts" "$body" | openssl dgst -sha256 -hmac "$SECRET" -r | cut -d' ' -f1)
eq "a well-framed signed event: 200" "$(code /slack/events -X POST -H 'Content-Type: application/json' \
	-H "X-Slack-Request-Timestamp: $ts" -H "X-Slack-Signature: $sig" --data-binary "$body")" 200
eq "and it is stored (the counts would have seen a smuggled one)" "$(messages)" "$((m0 + 1))"
stop_server
