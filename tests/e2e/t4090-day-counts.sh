#!/bin/bash
# t4090-day-counts: the count of each day page kept in the archive
# (day_counts, schema 8) and its last change (the newest ts or edit among
# its messages, schema 9), each person's count and last change per
# channel (user_counts, schema 10), and the replies posted on other days
# than their thread's page (late_replies, schema 11) stay equal to a count
# of the messages after every command that writes messages: a first
# import, a merge of another export, an event log with edits, deletes and
# replies older than the logs, a move of every message to other days (a
# new time zone), an opt-out and its undo, a takedown of a thread, an
# erasure. The recount is tests/e2e/day-counts.py (Python's sqlite3, not
# the program). Then an archive of schema 6 gains the tables on its first
# write: the migrations count what is there.
. tests/lib.sh
. tests/e2e/serve.sh
. tests/e2e/privacy.sh

counts() { python3 tests/e2e/day-counts.py "$1"; }
DB=$TMP/a.db
check "import a thread that spans days" import_fixture "$DB" "$FIX/thread-across-days"
check "counts after a first import" counts "$DB"
check "merge the privacy export" import_fixture "$DB" "$PFIX"
check "counts after a merge" counts "$DB"
"$SLACKLOG" ingest -q --db "$DB" "$FIX/events-basic" >/dev/null 2>&1
check "counts after an event log (edits, deletes, late replies)" counts "$DB"
before=$(sql "$DB" "SELECT group_concat(page_day) FROM (SELECT DISTINCT page_day FROM messages ORDER BY 1)")
"$SLACKLOG" import -q --tz Pacific/Kiritimati --db "$DB" "$PFIX" >/dev/null 2>&1
after=$(sql "$DB" "SELECT group_concat(page_day) FROM (SELECT DISTINCT page_day FROM messages ORDER BY 1)")
check "a new time zone moved messages to other days" test "$before" != "$after"
check "counts after the move" counts "$DB"
check "opt out" "$SLACKLOG" optout -q --db "$DB" olivanderx
check "opting out hid messages" test "$(sql "$DB" "SELECT count(*) FROM messages WHERE hidden = 2")" -ge 1
check "counts after an opt-out" counts "$DB"
check "opt back in" "$SLACKLOG" optout -q --db "$DB" --undo U0OLIVE01
check "counts after the undo" counts "$DB"
parent=$(jq -r '.[] | select(.text | test("TAKEDOWNPARENT")) | .ts' "$PFIX/general/2016-05-01.json")
check "take a thread down" "$SLACKLOG" redact -q --db "$DB" --thread C0GENERAL "$parent"
check "counts after a takedown" counts "$DB"
check "forget someone" "$SLACKLOG" forget -q --db "$DB" ernestine
check "counts after an erasure" counts "$DB"

# an archive as schema 6 left it: no tables, no triggers
OLD=$TMP/old.db
import_fixture "$OLD" "$PFIX"
python3 - "$OLD" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER day_counts_insert; DROP TRIGGER day_counts_delete; DROP TRIGGER day_counts_update;"
                 "DROP TRIGGER day_counts_edit; DROP TABLE day_counts; DROP TRIGGER user_counts_insert;"
                 "DROP TRIGGER user_counts_delete; DROP TRIGGER user_counts_update; DROP TRIGGER user_counts_edit;"
                 "DROP TABLE user_counts; PRAGMA user_version = 6;")
PY
check "the counts are gone" test -z "$(sql "$OLD" "SELECT name FROM sqlite_master WHERE name LIKE '%_counts%'")"
import_fixture "$OLD" "$FIX/thread-across-days"
eq "the next import migrates it" "$(sql "$OLD" "PRAGMA user_version")" 14
check "the migrations counted what was there, with each day's last change" counts "$OLD"

# a first import counts once at its end (its triggers are off): nothing
# says it is unfinished afterwards; one killed before its end leaves the
# mark, and the next command that writes counts again
NEW=$TMP/new.db
import_fixture "$NEW" "$PFIX"
check "a first import counts at its end" counts "$NEW"
eq "and leaves no mark" "$(sql "$NEW" "SELECT count(*) FROM settings WHERE key = 'day_counts'")" 0
python3 - "$NEW" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DELETE FROM day_counts WHERE page_day < '2016-05-02';"
                 "INSERT INTO settings(key, value) VALUES ('day_counts', 'stale');")
PY
check "a load killed before its end: the counts are off" bash -c "! python3 tests/e2e/day-counts.py '$NEW' 2>/dev/null"
python3 - "$NEW" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DELETE FROM user_counts WHERE user_id IN (SELECT user_id FROM user_counts LIMIT 2);")
PY
check "people's counts too" bash -c "python3 tests/e2e/day-counts.py '$NEW' 2>&1 | grep -q user_counts"
check "the next writer (an opt-out) runs" "$SLACKLOG" optout -q --db "$NEW" --undo U0OLIVE01
check "and counts again" counts "$NEW"
eq "the mark is gone" "$(sql "$NEW" "SELECT count(*) FROM settings WHERE key = 'day_counts'")" 0
