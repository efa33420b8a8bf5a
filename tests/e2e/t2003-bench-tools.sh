#!/bin/bash
# t2003-bench-tools: the benchmark programs build, and measure what they
# claim to: every parser in bench/jsonparse sees every element of an export
# (counted here with python), from a directory and from a zip, and
# bench/sqlfloor writes the rows it reports.
. tests/lib.sh
S=sample/export

check "bench dependencies are installed (scripts/deps bench)" scripts/deps bench
check "bench programs build" make -s -C bench
check "bench/import is valid shell" bash -n bench/import
check "bench/serve-live is valid shell" bash -n bench/serve-live
check "its event stream is valid python" python3 -c "import ast, sys; ast.parse(open(sys.argv[1]).read())" bench/serve-live-stream.py

want=$(python3 - "$S" <<'PY'
import glob, json, os, sys
n = 0
for f in glob.glob(os.path.join(sys.argv[1], "**", "*.json"), recursive=True):
    v = json.load(open(f))
    n += len(v) if isinstance(v, list) else 0
print(n)
PY
)
out=$(bench/out/jsonparse -t -r 1 "$S"); rc=$?
eq "jsonparse on the sample directory" "$rc" 0
for p in yajl-stream json.h json-c jansson; do
	eq "$p sees every element" "$(echo "$out" | awk -v p=$p '$1 == p {print $8}')" "$want"
done

bench/gen-export --sample "$TMP/s.zip" --zip 2>/dev/null
out=$(bench/out/jsonparse -t -r 1 -o yajl,json.h "$TMP/s.zip"); rc=$?
eq "jsonparse on the sample zip" "$rc" 0
eq "inflate reads every JSON entry" "$(echo "$out" | awk '$1 == "inflate" {print $8}')" \
	"$(find "$S" -name '*.json' | wc -l)"
eq "json.h sees every element of the zip" "$(echo "$out" | awk '$1 == "json.h" {print $8}')" "$want"
lacks "-o leaves the other parsers out" "$out" "jansson"

mkdir -p "$TMP/bad/general"
printf '[{"ts": "1.000001", "text": "ok"},' >"$TMP/bad/general/2024-01-01.json"
printf '[]' >"$TMP/bad/users.json"
err=$(bench/out/jsonparse -r 1 "$TMP/bad" 2>&1); rc=$?
eq "a truncated file fails the run" "$rc" 2
contains "and the error names the file" "$err" "general/2024-01-01.json"

out=$(bench/out/sqlfloor "$TMP/f.db" 1000 500 10)
contains "sqlfloor reports its rows" "$out" "1000 rows of 500 bytes"
got=$(python3 - "$TMP/f.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
n, ch, size = db.execute("SELECT count(*), count(DISTINCT channel_id), "
                         "avg(length(text) + length(raw)) FROM messages").fetchone()
print(n, ch, round(size))
PY
)
eq "sqlfloor wrote 1000 rows of 500 bytes over 10 channels" "$got" "1000 10 500"
