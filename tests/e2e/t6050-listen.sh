#!/bin/bash
# t6050-listen: `slacklog listen` against the fake Socket Mode server
# (tests/fakeslack/fakesocket.py, reached through fakeslack.py's
# apps.connections.open), over real loopback sockets. Checked: refused
# tokens (exit 2, said, never printed), the tokens out of the process's
# arguments, hello and acknowledgements (each sent only once the event is
# in the archive: the fake reads the archive when the ack arrives, within
# Slack's 3 s), redeliveries stored once, slash commands and interactive
# envelopes acknowledged and ignored, pings answered, a refresh with
# events flowing (none lost or doubled, the two connections overlapping),
# the server vanishing mid-frame, hostile frames and messages (oversized
# length, unknown opcode, masked, invalid UTF-8, not JSON: closed with the
# right code, then reconnected), the raw log read back by `ingest` into the
# same archive, the backfill after a reconnection, a token revoked while
# running, Socket Mode turned off, ws:// refused to other hosts without
# logging the ticket, wss:// with a certificate checked, and SIGTERM
# (a close frame, exit 0).
. tests/lib.sh
FX=$FIX/events-sync/workspace.json
APP=xapp-test-token
BOT=xoxb-test-token
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }
stats() { "$SLACKLOG" stats --db "$1" --json | jq -cS .; }
ctl() { curl -s -X POST --data-binary "$2" "$API/control/$1"; }
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; rm -rf "$TMP"' EXIT

# fake NAME ARGS...: start fakeslack.py; sets API (its base) and REQ (its request log)
fake() {
	local name=$1; shift
	REQ=$TMP/$name.req
	python3 tests/fakeslack/fakeslack.py --data "$TMP/ws.json" --port-file "$TMP/$name.port" --log "$REQ" "$@" \
		2>>"$TMP/fake.err" &
	pids+=($!)
	for _ in $(seq 100); do [ -f "$TMP/$name.port" ] && break; sleep 0.1; done
	API=http://127.0.0.1:$(cat "$TMP/$name.port")
}

# listen LOG ARGS...: start the listener in the background; sets LPID and LLOG
listen() {
	LLOG=$TMP/$1; shift
	: >"$LLOG"
	"$SLACKLOG" listen --api-url "$API/api/" "$@" 2>"$LLOG" &
	LPID=$!
	pids+=($LPID)
}

# wait_log PATTERN [SECONDS]: until the listener's log has PATTERN
wait_log() {
	local i
	for i in $(seq $((${2:-10} * 20))); do grep -q -- "$1" "$LLOG" && return 0; sleep 0.05; done
	return 1
}

# stopped SECONDS: RC is the listener's exit status once it ends by itself ("running" if it does not)
stopped() {
	local i
	RC=running
	for i in $(seq $(($1 * 20))); do
		kill -0 "$LPID" 2>/dev/null || { wait "$LPID"; RC=$?; return; }
		sleep 0.05
	done
}

# jcheck NAME FILTER JSON: the jq filter holds
jcheck() { if jq -e "$2" <<<"$3" >/dev/null; then ok "$1"; else nok "$1: $2 is not true of $3"; fi; }

conns() { ctl state '{}' | jq '[.conns[] | select(.hello_at)] | length'; }
client_close() { ctl state '{}' | jq ".conns[] | select(.n == $1) | .client_close"; }
msgs() { sql "$1" "SELECT count(*) FROM messages WHERE ts = '$2'"; }

cp "$FX" "$TMP/ws.json"
mkdir -p "$TMP/logs"
DB=$TMP/live.db
fake main --db "$DB"

# ---- refused tokens, usage ------------------------------------------------
out=$(SLACKLOG_APP_TOKEN= "$SLACKLOG" listen --db "$DB" --api-url "$API/api/" 2>&1)
eq "no app token: exit status 2" "$?" 2
contains "no app token: said" "$out" "no app-level token"
out=$(timeout 20 "$SLACKLOG" listen --db "$TMP/bad.db" --api-url "$API/api/" --app-token xapp-revoked-one 2>&1)
eq "invalid_auth: exit status 2" "$?" 2
contains "invalid_auth: said" "$out" "Slack refused the app token (invalid_auth)"
lacks "invalid_auth: the token is not printed" "$out" "xapp-revoked-one"
out=$(timeout 20 "$SLACKLOG" listen --db "$TMP/bad.db" --api-url "$API/api/" --app-token "$BOT" 2>&1)
eq "a bot token given as the app token: exit status 2" "$?" 2
contains "not_allowed_token_type: said" "$out" "Slack refused the app token (not_allowed_token_type)"
out=$("$SLACKLOG" listen --db "$TMP/bad.db" --api-url "$API/api/" --app-token "$APP" --log-dir "$TMP/no/such/dir" 2>&1)
eq "a --log-dir that is not a directory: exit status 2" "$?" 2
contains "a --log-dir that is not a directory: said" "$out" "no/such/dir: not a writable directory"
eq "the app token is sent with POST" "$(jq -r 'select(.method == "apps.connections.open") | .status' "$REQ" | sort -u)" 200

# ---- hello, events, acknowledgements ----------------------------------------
listen main.log --db "$DB" --app-token "$APP" --log-dir "$TMP/logs" -v
check "connected: hello seen" wait_log "connected (connection 1"
eq "without --token: warned once that gaps are possible" "$(grep -c 'gaps\|will be missing' "$LLOG")" 1
lacks "the app token is not in the process's arguments" "$(tr '\0' ' ' </proc/$LPID/cmdline)" "$APP"
lacks "the ticket is not logged" "$(cat "$LLOG")" "ticket="
contains "the URL is logged without its query" "$(cat "$LLOG")" "/link/, waiting for hello"

q="SELECT count(*) FROM messages WHERE ts = '1457222400.000100'"
ctl event "$(jq -cn --arg q "$q" '{id: "e1", event_id: "Ev1", channel: "C1", ts: "1457222400.000100", text: "hello from socket mode", check: $q}')" >/dev/null
ack=$(ctl wait_ack '{"id": "e1"}')
eq "event: acknowledged once" "$(jq '.acks | length' <<<"$ack")" 1
eq "event: in the archive when the ack arrived" "$(jq '.acks[0].check' <<<"$ack")" 1
jcheck "event: acknowledged within Slack's 3 s" '.acks[0].delay < 3' "$ack"
eq "event: stored" "$(sql "$DB" "SELECT text FROM messages WHERE ts = '1457222400.000100'")" "hello from socket mode"
eq "event: its event_id kept" "$(sql "$DB" "SELECT count(*) FROM event_ids WHERE id = 'Ev1'")" 1
eq "event: searchable at once" "$("$SLACKLOG" search --db "$DB" --json "socket mode" | jq -r '[.results[].ts] | join(" ")')" 1457222400.000100

# a late ack makes Slack send the event again (retry_attempt > 0): the copy
# changes nothing (it says another text at another ts, which would show)
q2="SELECT count(*) FROM messages WHERE ts = '1457222401.000200'"
payload=$(jq -cn '{type: "event_callback", event_id: "Ev1", event_time: 1457222401, event: {type: "message", channel: "C1", channel_type: "channel", user: "U1", text: "the retry", ts: "1457222401.000200"}}')
ctl event "$(jq -cn --argjson p "$payload" --arg q "$q2" '{id: "e1-again", payload: $p, retry_attempt: 1, retry_reason: "timeout", check: $q}')" >/dev/null
ack=$(ctl wait_ack '{"id": "e1-again"}')
eq "redelivery: acknowledged" "$(jq '.acks | length' <<<"$ack")" 1
eq "redelivery: not applied a second time" "$(msgs "$DB" 1457222401.000200)" 0
check "redelivery: said at debug level" wait_log "event Ev1 sent again (attempt 1, timeout)"
eq "redelivery: one line in the raw log" "$(cat "$TMP"/logs/*.jsonl | grep -c '"Ev1"')" 1

for kind in slash_commands interactive; do
	ctl send "$(jq -cn --arg k "$kind" '{json: {envelope_id: ("x-" + $k), type: $k, payload: {command: "/archive", text: "hi"}, accepts_response_payload: true}}')" >/dev/null
	eq "$kind: acknowledged" "$(ctl wait_ack "{\"id\": \"x-$kind\"}" | jq '.acks | length')" 1
done
eq "slash commands and interactions store nothing" "$(sql "$DB" "SELECT count(*) FROM messages")" 1
ctl send '{"hex": "89047069636b"}' >/dev/null
for _ in $(seq 40); do [ "$(ctl state '{}' | jq '.conns[0].pongs')" -ge 1 ] && break; sleep 0.05; done
eq "a ping is answered with a pong" "$(ctl state '{}' | jq '.conns[0].pongs')" 1
eq "client frames are masked" "$(ctl state '{}' | jq '[.conns[].unmasked] | add')" 0

# ---- a refresh while events flow -----------------------------------------------
ctl burst '{"n": 200, "interval": 0.01, "prefix": "B", "channel": "C1", "ts0": 1457308800, "disconnect_at": 80, "close_after": 1}' >/dev/null
res=$(ctl wait_acks '{"prefix": "B", "n": 200, "timeout": 60}')
eq "refresh: every event acknowledged" "$(jq .acked <<<"$res")" 200
eq "refresh: none acknowledged twice" "$(jq .max_acks <<<"$res")" 1
eq "refresh: events came on both connections" "$(jq -c .conns <<<"$res")" "[1,2]"
jcheck "refresh: every ack within 3 s" '.slowest < 3' "$res"
eq "refresh: all 200 stored" "$(sql "$DB" "SELECT count(*) FROM messages WHERE text LIKE 'burst %'")" 200
state=$(ctl wait_closed '{"timeout": 0.1}')
jcheck "refresh: the old connection was still open when the new one said hello" \
	'(.conns[0].closed_at // 1e12) > .conns[1].hello_at' "$state"
contains "refresh: said why" "$(cat "$LLOG")" "Slack asks for a new one (refresh_requested)"
for _ in $(seq 60); do [ "$(client_close 1)" != null ] && break; sleep 0.05; done
eq "refresh: the old connection's close answered" "$(client_close 1)" 1000
lacks "refresh: not taken for a lost connection" "$(cat "$LLOG")" "connection 1 lost"

# ---- the server vanishing, hostile frames ------------------------------------------
ctl drop '{"mid_frame": true}' >/dev/null
check "vanished mid-frame: said" wait_log "connection 2 lost: the server closed the connection in the middle of a frame"
check "vanished mid-frame: reconnected" wait_log "connected (connection 3"
ctl event '{"id": "e3", "event_id": "Ev3", "channel": "C1", "ts": "1457395200.000300", "text": "after the fall"}' >/dev/null
eq "vanished mid-frame: events flow again" "$(ctl wait_ack '{"id": "e3"}' | jq '.acks[0].conn')" 3

n=3
hostile() { # NAME HEX CODE LOGGED
	ctl send "{\"hex\": \"$2\"}" >/dev/null
	check "$1: said" wait_log "connection $n lost: the server sent $4"
	for _ in $(seq 40); do [ "$(client_close $n)" != null ] && break; sleep 0.05; done
	eq "$1: closed with $3" "$(client_close $n)" "$3"
	n=$((n + 1))
	check "$1: reconnected" wait_log "connected (connection $n"
}
hostile "a length of 2^40" 817f0000010000000000 1009 "a message longer than the limit"
hostile "a frame of 1 MiB + 1" 817f0000000000100001 1009 "a message longer than the limit"
hostile "an unknown opcode" 8300 1002 "a frame with an unknown opcode"
hostile "a masked frame" "8185$(printf 01020304)69676d686e" 1002 "a masked frame"
hostile "invalid UTF-8 in a text frame" 8102c328 1007 "a text message that is not valid UTF-8"
hostile "reserved bits" c100 1002 "a frame with reserved bits set"
hostile "a fragmented ping" 0900 1002 "a control frame fragmented"
hostile "a continuation out of nowhere" 8000 1002 "a continuation frame outside a message"
ctl send '{"hex": "81097b6e6f74206a736f6e"}' >/dev/null
check "not JSON: said" wait_log "connection $n lost: a message that is not JSON"
n=$((n + 1))
check "not JSON: reconnected" wait_log "connected (connection $n"
# a message in three fragments with a ping between them
frag=$(python3 -c '
import json
m = json.dumps({"envelope_id": "frag", "type": "events_api", "payload": {"type": "event_callback", "event_id": "EvF", "event_time": 1457395300,
    "event": {"type": "message", "channel": "C1", "user": "U2", "text": "in pieces", "ts": "1457395300.000400"}}}).encode()
a, b, c = m[:100], m[100:190], m[190:]
def f(op, d, fin): return bytes([(0x80 if fin else 0) | op, len(d)]) + d
print((f(1, a, False) + f(9, b"x", True) + f(0, b, False) + f(0, c, True)).hex())')
ctl send "{\"hex\": \"$frag\"}" >/dev/null
eq "a fragmented message with a ping inside: acknowledged" "$(ctl wait_ack '{"id": "frag"}' | jq '.acks | length')" 1
eq "a fragmented message: stored" "$(msgs "$DB" 1457395300.000400)" 1
check "after all that, the listener still runs" kill -0 "$LPID"

# ---- SIGTERM, the raw log ------------------------------------------------------------
last=$(conns)
kill -TERM "$LPID"
wait "$LPID"
eq "SIGTERM: exit status 0" "$?" 0
eq "SIGTERM: the connection closed with a close frame (1000)" "$(client_close "$last")" 1000
contains "SIGTERM: said" "$(tail -2 "$LLOG")" "stopped"
lacks "the app token never logged" "$(cat "$LLOG")" "$APP"
eq "one log file per day of the events" "$(ls "$TMP/logs" | tr '\n' ' ')" "2016-03-06.jsonl 2016-03-07.jsonl 2016-03-08.jsonl "
eq "log files are private" "$(stat -c %a "$TMP/logs/2016-03-06.jsonl")" 600
eq "every event once in the log (Ev1, 200 of the burst, Ev3, EvF)" "$(cat "$TMP"/logs/*.jsonl | wc -l)" 203
"$SLACKLOG" ingest --quiet --db "$TMP/rebuilt.db" "$TMP/logs"
eq "the log read back by ingest gives the same archive" "$(stats "$TMP/rebuilt.db")" "$(stats "$DB")"

# ---- the backfill ------------------------------------------------------------------------
fake back --db "$TMP/back.db"
listen back.log --db "$TMP/back.db" --app-token "$APP" --token "$BOT" --min-interval 0.01
check "backfill on start: done" wait_log "backfill: .* messages fetched" 30
eq "backfill on start: the archive has the workspace" "$(stats "$TMP/back.db")" "$(python3 tests/fakeslack/fakeslack.py --expect "$TMP/ws.json" | jq -cS .)"
lacks "with --token: no warning about gaps" "$(cat "$LLOG")" "will be missing"
lacks "the bot token is not in the process's arguments" "$(tr '\0' ' ' </proc/$LPID/cmdline)" "$BOT"
ctl event '{"id": "b1", "event_id": "EvB1", "channel": "C1", "ts": "1457500000.000100", "text": "live before the gap"}' >/dev/null
ctl wait_ack '{"id": "b1"}' >/dev/null
# said while the listener is away: only the Web API has it
python3 - "$TMP/ws.json" <<'EOF'
import json, sys
ws = json.load(open(sys.argv[1]))
ws["messages"]["C1"].append({"type": "message", "user": "U2", "text": "said during the gap", "ts": "1457500100.000200"})
json.dump(ws, open(sys.argv[1], "w"))
EOF
: >"$REQ"
ctl drop '{}' >/dev/null
check "backfill after a reconnection: done" wait_log "connected (connection 2" 20
for _ in $(seq 100); do [ "$(msgs "$TMP/back.db" 1457500100.000200)" = 1 ] && break; sleep 0.1; done
eq "backfill after a reconnection: the message said during the gap is stored" "$(msgs "$TMP/back.db" 1457500100.000200)" 1
eq "backfill: history asked from 300 s before the last event" \
	"$(jq -r 'select(.method == "conversations.history" and .params.channel == "C1" and .params.latest == null) | .params.oldest' "$REQ" | sort -u)" \
	"1457499700.000000"
# revoked while running
ctl config '{"open_error": "account_inactive"}' >/dev/null
ctl drop '{}' >/dev/null
stopped 20
eq "revoked while running: exit status 2" "$RC" 2
contains "revoked while running: said" "$(cat "$LLOG")" "Slack refused the app token (account_inactive)"
lacks "the bot token never logged" "$(cat "$LLOG")" "$BOT"

# ---- Socket Mode turned off; ws:// elsewhere -----------------------------------------------
fake off
listen off.log --db "$TMP/off.db" --app-token "$APP"
check "link_disabled: connected first" wait_log "connected (connection 1"
ctl disconnect '{"reason": "link_disabled", "close_after": -1}' >/dev/null
stopped 10
eq "link_disabled: exit status 2" "$RC" 2
contains "link_disabled: said" "$(cat "$LLOG")" "Slack turned Socket Mode off for this app (link_disabled)"
# a failing apps.connections.open: tries spaced 0.5-1 s, 1-2 s, 2-4 s apart
ctl config '{"open_error": "internal_error"}' >/dev/null
listen backoff.log --db "$TMP/off.db" --app-token "$APP"
check "backoff: a failed try is said" wait_log "apps.connections.open failed: internal_error; reconnecting in"
for _ in $(seq 200); do [ "$(grep -c 'internal_error; reconnecting in' "$LLOG")" -ge 3 ] && break; sleep 0.05; done
kill -TERM "$LPID"; wait "$LPID"
delays=$(sed -n 's/.*internal_error; reconnecting in \([0-9.]*\)s/\1/p' "$LLOG" | head -3 | tr '\n' ' ')
check "backoff: delays with jitter, doubling ($delays)" python3 -c '
import sys
d = [float(x) for x in sys.argv[1].split()]
sys.exit(0 if len(d) == 3 and 0.5 <= d[0] <= 1 and 1 <= d[1] <= 2 and 2 <= d[2] <= 4 else 1)' "$delays"
ctl config '{"open_error": ""}' >/dev/null
ctl config '{"url": "ws://192.0.2.1:9/link/?ticket=SECRET-TICKET"}' >/dev/null
listen far.log --db "$TMP/off.db" --app-token "$APP"
check "ws:// to another host: refused" wait_log "ws:// (without TLS) is allowed to a loopback address only"
lacks "ws:// to another host: the ticket is not logged" "$(cat "$LLOG")" "SECRET-TICKET"
kill -TERM "$LPID"; wait "$LPID"
eq "stopped while waiting to reconnect: exit status 0" "$?" 0

# ---- wss:// ---------------------------------------------------------------------------------
if openssl req -x509 -newkey rsa:2048 -nodes -keyout "$TMP/key.pem" -out "$TMP/cert.pem" -days 2 \
	-subj /CN=localhost -addext subjectAltName=DNS:localhost >/dev/null 2>&1; then
	fake tls --tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" --db "$TMP/tls.db"
	SSL_CERT_FILE=$TMP/cert.pem listen tls.log --db "$TMP/tls.db" --app-token "$APP"
	check "wss://: connected with the certificate trusted" wait_log "connected (connection 1"
	ctl event '{"id": "t1", "event_id": "EvT1", "channel": "C1", "ts": "1457600000.000100", "text": "over tls", "check": "SELECT count(*) FROM messages WHERE ts = '"'"'1457600000.000100'"'"'"}' >/dev/null
	eq "wss://: the event stored before its ack" "$(ctl wait_ack '{"id": "t1"}' | jq '.acks[0].check')" 1
	kill -TERM "$LPID"; wait "$LPID"
	eq "wss://: SIGTERM, exit status 0" "$?" 0
	listen untrusted.log --db "$TMP/tls.db" --app-token "$APP"
	check "wss://: an untrusted certificate is refused" wait_log "the certificate was refused"
	kill -TERM "$LPID"; wait "$LPID"
else
	echo "# openssl cannot make a certificate here: wss:// not checked"
fi
