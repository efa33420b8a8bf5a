#!/bin/bash
# t8040-forget-readers: erasure while others read the archive. A running
# server and a reader holding a snapshot open (as a long request does)
# keep old page images alive: `forget` waits for them and then leaves no
# byte of the erased person in the database file or its WAL; a reader
# that outlasts the wait is reported, and forgetting again (once it is
# gone) finishes the job.
. tests/lib.sh
. tests/e2e/serve.sh
. tests/e2e/privacy.sh

# hold DB SECONDS: a reader in a snapshot of DB for that long (started
# when the file TMP/held exists)
hold() {
	rm -f "$TMP/held"
	python3 - "$1" "$2" "$TMP/held" <<'PY' &
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN")
db.execute("SELECT count(*), max(raw) FROM messages").fetchone()
open(sys.argv[3], "w").close()
time.sleep(float(sys.argv[2]))
db.execute("COMMIT")
PY
	HOLD_PID=$!
	for _ in $(seq 100); do [ -f "$TMP/held" ] && break; sleep 0.05; done
}
traces() {
	jq -r '.[] | select(.id == "U0ERNIE01") | .id, .name, .profile.real_name, .profile.display_name,
		.profile.email, .profile.phone' "$PFIX/users.json"
	markers 'ERNIE|DMPAT'
	files_of U0ERNIE01
}
bytes() { # how many of the traces are in the file's or the WAL's bytes
	local t n=0
	for t in $(traces); do
		cat "$1" "$1-wal" 2>/dev/null | grep -qaF -- "$t" && n=$((n + 1)) && echo "# $t in the bytes" >&2
	done
	echo $n
}

DB=$TMP/a.db
check "import the privacy fixture" import_fixture "$DB" "$PFIX"
check "the traces are in the file before" test "$(bytes "$DB" 2>/dev/null)" -ge 5
check "start the server" start_server "$DB" -q
get /general/2016-05-01/ >/dev/null
hold "$DB" 7
out=$("$SLACKLOG" forget --db "$DB" U0ERNIE01 2>&1)
eq "forget while a reader holds a snapshot for 7 s (longer than a busy timeout): it waits, exit status 0" "$?" 0
wait "$HOLD_PID"
eq "no trace of her in the file or its WAL" "$(bytes "$DB")" 0
contains "the server still serves" "$(get /general/2016-05-01/)" QUINNREPLYMARKER
lacks "her words are not served" "$(get /general/2016-05-01/)" ERNIEWORDS

# a reader that outlasts the wait
DB2=$TMP/b.db
check "import the fixture again" import_fixture "$DB2" "$PFIX"
hold "$DB2" 6
out=$("$SLACKLOG" forget --db "$DB2" --wait 1 U0ERNIE01 2>&1)
eq "forget with a reader outlasting --wait 1: exit status 1" "$?" 1
contains "it says old copies remain until readers finish" "$out" "still reading"
wait "$HOLD_PID"
out=$("$SLACKLOG" forget --db "$DB2" U0ERNIE01 2>&1)
eq "forgetting again once the reader is gone: exit status 0" "$?" 0
eq "then no trace of her is left in the bytes" "$(bytes "$DB2")" 0
stop_server
