#!/bin/bash
# t1050-import-memory: an import's peak RSS does not grow with the export.
# Two synthetic exports (bench/gen-export, the same shape, 20,000 and
# 40,000 messages) are imported into fresh archives; the kernel's peak
# RSS of each import (getrusage of the child, read by python) must differ
# by a few MB at most, and stay under the 60 MB target. 20,000 messages
# are past what the importer holds at once (a transaction is 10,000
# messages, the page cache 16 MB), so anything kept per message, per file
# or per transaction shows up as the difference: before the importer was
# bounded it was 14 MB (54 MB against 68 MB).
#
# Under the sanitizers RSS means nothing (ASan keeps freed memory in
# quarantine): that pass checks only that both imports are complete.
. tests/lib.sh

SMALL=20000 LARGE=40000
bench/gen-export "$SMALL" "$TMP/small.zip" --zip >/dev/null
bench/gen-export "$LARGE" "$TMP/large.zip" --zip >/dev/null

# peak DB ZIP: import ZIP into DB; print the import's peak RSS in KB
# (-1 if it failed)
peak() {
	python3 - "$SLACKLOG" "$1" "$2" <<'PY'
import resource, subprocess, sys
r = subprocess.run([sys.argv[1], "import", "--quiet", "--db", sys.argv[2], sys.argv[3]])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss if r.returncode == 0 else -1)
PY
}

small=$(peak "$TMP/small.db" "$TMP/small.zip")
large=$(peak "$TMP/large.db" "$TMP/large.zip")
eq "import of $SMALL messages: all stored" "$("$SLACKLOG" stats --db "$TMP/small.db" --json | jq .messages)" "$SMALL"
eq "import of $LARGE messages: all stored" "$("$SLACKLOG" stats --db "$TMP/large.db" --json | jq .messages)" "$LARGE"

if [ -z "${SLACKLOG_SANITIZED:-}" ]; then
	check "peak RSS measured ($small KB for $SMALL messages, $large KB for $LARGE)" \
		test "$small" -gt 0 -a "$large" -gt 0
	check "twice the messages, at most 4 MB more peak RSS ($(( (large - small) / 1024 )) MB)" \
		test $((large - small)) -le 4096
	check "peak RSS under 60 MB at $LARGE messages ($((large / 1024)) MB)" test "$large" -le $((60 * 1024))
fi
