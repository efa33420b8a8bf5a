# tests/e2e/privacy.sh: sourced by the privacy tests (t8*.sh) after
# tests/lib.sh and tests/e2e/serve.sh.
#
#   PFIX                   the hand-made export (tests/fixtures/privacy-export)
#   markers PATTERN        the fixture's marker words matching PATTERN, read
#                          from its JSON (not from the program): every string
#                          of its messages (texts, quotes, files, comments)
#   files_of USER          the IDs, names and titles of USER's files, wherever
#                          the fixture's messages carry them
#   crawl_all DIR          every page reachable from /, every user page, the
#                          JSON API's channels, days and users, and
#                          the search page and API for every marker and for
#                          from: each person, saved under DIR (of the API's
#                          answers, the total and results: an error message
#                          quotes the query)
#   found DIR WORD         how many saved answers contain WORD (the answers
#                          to a query for WORD itself, which echo it, left out)
#   sql DB QUERY           one value from the archive (python's sqlite3)
#   dump DB                the whole archive as SQL text
PFIX=$FIX/privacy-export

markers() {
	python3 - "$PFIX" "$1" <<'PY'
import json, os, re, sys
words = set()
def strings(v):
    if isinstance(v, dict):
        v = list(v.values())
    if isinstance(v, list):
        for x in v:
            yield from strings(x)
    elif isinstance(v, str):
        yield v
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        if f.endswith('.json') and re.match(r'\d{4}-', f):
            for s in strings(json.load(open(os.path.join(root, f)))):
                words.update(re.findall(r'\b[A-Z]{6,}\b', s))
print('\n'.join(sorted(w for w in words if re.search(sys.argv[2], w))))
PY
}

files_of() {
	jq -r --arg u "$1" '[.. | objects | select(.user? == $u and (.id? // "" | test("^F[A-Z0-9]{6,}$")))] |
		unique_by(.id)[] | .id, .name, .title' "$PFIX"/*/*.json
}

api() {
	get "/api.v1/search?q=$1" | jq -c '{total, results}'
}

crawl_all() {
	local dir=$1 m id
	mkdir -p "$dir"
	python3 tests/e2e/crawl.py "$URL" "$dir/site" >"$dir/crawl.txt"
	for id in $(jq -r '.[].id' "$PFIX/users.json") UERASED; do
		get "/user.$id/" >"$dir/user-$id.html"
		api "from:$id" >"$dir/from-$id.json"
	done
	for id in $(jq -r '.[] | .name, .profile.display_name' "$PFIX/users.json"); do
		api "from:$id" >"$dir/from-name-$id.json"
		api "$id" >"$dir/q-name-$id.json"
	done
	# the JSON API: channels, their days, each day, each user
	get /api.v1/channels.json >"$dir/api-channels.json"
	for ch in $(jq -r '.[].name' "$PFIX/channels.json" "$PFIX/groups.json" "$PFIX/mpims.json") \
		$(jq -r '.[].id' "$PFIX/dms.json"); do
		get "/api.v1/channels/$ch.json" >"$dir/api-ch-$ch.json"
		for d in $(jq -r '.days[]?.day // empty' "$dir/api-ch-$ch.json" 2>/dev/null); do
			get "/api.v1/channels/$ch/$d.json" >"$dir/api-ch-$ch-$d.json"
		done
	done
	for id in $(jq -r '.[].id' "$PFIX/users.json") UERASED; do
		get "/api.v1/users/$id.json" >"$dir/api-user-$id.json"
	done
	for m in $(markers .); do
		api "$m" >"$dir/api-$m.json"
		get "/?q=$m" >"$dir/q-$m.html"
	done
}

found() {
	grep -rlF --exclude="*-$2.*" -- "$2" "$1" | wc -l
}

sql() {
	python3 -c 'import sqlite3, sys; r = sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print("" if r is None or r[0] is None else r[0])' "$1" "$2"
}

# every row of every stored table (the full-text index's own tables too;
# the virtual table is skipped: reading it needs slacklog's tokenizer)
dump() {
	python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.text_factory = lambda b: b.decode('utf-8', 'replace')
for name, sql in db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall():
    if sql and sql.upper().startswith('CREATE VIRTUAL'):
        continue
    for row in db.execute('SELECT * FROM "%s"' % name.replace('"', '""')):
        print(name, repr(row))
PY
}
