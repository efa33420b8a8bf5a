#!/bin/bash
# t6010-ingest-follow: `ingest --follow` on a directory that a writer
# appends to: a line appears in the archive once complete (not while half
# written), a daily rotation to a new file is picked up, a truncated file
# is read again from its start, and SIGTERM stops it cleanly (exit 0, the
# last lines committed).
. tests/lib.sh
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }
count() { sql "$db" "SELECT count(*) FROM messages" 2>/dev/null || echo 0; }
msg() { printf '{"type":"message","channel":"C1","channel_type":"channel","user":"U1","text":"m%s","ts":"14567905%02d.000100"}' "$1" "$1"; }
# wait_for WANT: up to 10 s for the archive to hold WANT messages
wait_for() {
	for _ in $(seq 100); do [ "$(count)" = "$1" ] && return 0; sleep 0.1; done
	return 1
}

dir=$TMP/logs db=$TMP/f.db
mkdir "$dir"
{ msg 1; echo; } >"$dir/2016-03-01.jsonl"
"$SLACKLOG" ingest --follow --interval 0.05 --db "$db" "$dir" >"$TMP/out" 2>&1 &
pid=$!
check "the first line is read" wait_for 1
{ msg 2; echo; } >>"$dir/2016-03-01.jsonl"
check "an appended line is read" wait_for 2
msg 3 >>"$dir/2016-03-01.jsonl"
sleep 0.5
eq "a line without its newline yet is not read" "$(count)" 2
echo >>"$dir/2016-03-01.jsonl"
check "it is read once complete" wait_for 3
{ msg 4; echo; } >"$dir/2016-03-02.jsonl"
check "a new file in the directory (rotation) is read" wait_for 4
{ msg 5; echo; } >"$dir/2016-03-02.jsonl"
check "a truncated file is read again from its start" wait_for 5
mv "$dir/2016-03-02.jsonl" "$dir/old"
{ msg 6; echo; } >"$dir/2016-03-02.jsonl"
check "a file replaced under the same name is read from its start" wait_for 6
{ msg 7; echo; } >>"$dir/2016-03-02.jsonl"
kill -TERM $pid
wait $pid
eq "SIGTERM: exit status 0" "$?" 0
eq "SIGTERM: lines written before it are committed" "$(count)" 7
contains "SIGTERM: the summary is printed" "$(cat "$TMP/out")" "ingest: 7 events"
eq "every message once" "$(sql "$db" "SELECT group_concat(text, ' ') FROM (SELECT text FROM messages ORDER BY ts)")" "m1 m2 m3 m4 m5 m6 m7"
