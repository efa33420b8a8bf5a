#!/bin/bash
# t0010-help: every command's help, its option parser, the man page and
# the settings file example say the same (tests/e2e/t0-help.py compares
# them mechanically, so that an option or a setting added later cannot be
# left out of one of them).
. tests/lib.sh
python3 tests/e2e/t0-help.py "$SLACKLOG"

# a setting's flag with a bad value is named as it was typed, in one line
for cmd in serve "build $TMP/site"; do
	out=$(cd "$TMP" && "$SLACKLOG" $cmd --search-url nowhere --db "$TMP/none.db" 2>&1); rc=$?
	eq "${cmd% *} --search-url nowhere: exit status 2" "$rc" 2
	eq "${cmd% *} --search-url nowhere: one line" "$(printf '%s\n' "$out" | wc -l)" 1
	contains "${cmd% *} --search-url nowhere: names the flag as typed" "$out" "--search-url must be off, a path or an http(s) URL"
	lacks "${cmd% *} --search-url nowhere: not the setting's spelling" "$out" "search_url"
done
out=$(cd "$TMP" && "$SLACKLOG" serve --base-url=example.org 2>&1)
contains "serve --base-url=example.org: names the flag as typed" "$out" "--base-url must start with http:// or https://"
