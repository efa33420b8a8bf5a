#!/bin/bash
# t4040-html-valid: every page kind is valid HTML5 by Debian's tidy (no
# errors, no warnings other than tidy 5.6 not knowing aria-current), has
# one h1, a main landmark, a lang, and no inline script or style.
. tests/lib.sh
. tests/e2e/serve.sh

DB=$TMP/a.db
check "import the web-threads fixture" import_fixture "$DB" "$FIX/web-threads"
check "server starts" start_server "$DB" -q
if ! command -v tidy >/dev/null; then nok "tidy is installed (scripts/deps test)"; exit 0; fi
declare -A kinds=(
	[index]=/ [search]='/?q=x' [channel]=/general/ [day]=/general/2016-03-14/ [threads]=/general/2016-03-15/
	[orphan]=/general/2016-03-20/ [user]=/user.U0ALICE/ [notfound]=/general/2016-03-17/ [nochannel]=/nope/
)
validate() {
	local k
	for k in "${!kinds[@]}"; do
	get "${kinds[$k]}" >"$TMP/$k.html"
	msgs=$(tidy -e -q --show-warnings yes "$TMP/$k.html" 2>&1 | grep -v 'proprietary attribute "aria-current"')
	eq "$k page (${kinds[$k]}) passes tidy" "$msgs" ""
	page=$(cat "$TMP/$k.html")
	eq "$k page has one h1" "$(grep -c '<h1' "$TMP/$k.html")" 1
	contains "$k page has a main landmark" "$page" '<main id="main"'
	contains "$k page declares its language" "$page" '<html lang="en">'
	# JSON-LD is data, not code: the only <script> allowed
	lacks "$k page has no inline script" "${page//<script type=\"application\/ld+json\">/}" "<script"
	lacks "$k page has no inline style" "$page" "style="
	done
}
validate
stop_server

# a real export's pages: bots, attachments, files, edits, old subtypes
DB2=$TMP/h.db
check "import houstondatavis-2016" import_fixture "$DB2" "$SHARED/fixtures/houstondatavis-2016"
check "server starts on it" start_server "$DB2" -q
busiest=$(python3 tests/e2e/export-days.py "$SHARED/fixtures/houstondatavis-2016" | sort -k3 -rn | head -1)
unset kinds
declare -A kinds=(
	[houston-index]=/ [houston-channel]=/${busiest%% *}/ [houston-busiest-day]=/$(cut -d' ' -f1,2 <<<"$busiest" | tr ' ' /)/
	[houston-user]=/user.$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["id"])' "$SHARED/fixtures/houstondatavis-2016/users.json")/
)
validate
stop_server

# threads as Slack counts them, and days whose threads were active
DB3=$TMP/l.db
check "import the late-replies fixture" import_fixture "$DB3" "$FIX/late-replies"
check "server starts on it" start_server "$DB3" -q
unset kinds
declare -A kinds=(
	[thread-summaries]=/general/2021-08-28/ [replies-only-day]=/general/2021-08-29/
	[replies-and-messages-day]=/general/2021-08-30/ [calendar-with-reply-days]=/general/
)
validate
stop_server
