#!/bin/bash
# t7060-build-outdir: where `slacklog build` keeps its list of files.
#
# The list is kept beside the site (OUTDIR.slacklog-build), so a static
# server of OUTDIR does not serve it, and it names the archive only by a
# hash. A site whose list is in it, where builds before kept it
# (OUTDIR/.slacklog-build), is taken over: no file rewritten that did not
# change, what is no longer published still removed, the list moved out.
# A list left beside a directory that was deleted is not trusted.
. tests/lib.sh
. tests/e2e/serve.sh

counts() { sed -n 's/.*: \([0-9]*\) written, \([0-9]*\) unchanged, \([0-9]*\) removed.*/\1 \2 \3/p'; }
# every file with its inode, mtime and content hash
snap() { (cd "$1" && find . -type f -printf '%P %i %T@ ' -exec sh -c 'md5sum <"$1" | cut -c1-32' _ {} \; | sort); }
DB=$TMP/w.db
check "import web-threads" import_fixture "$DB" "$FIX/web-threads"
check "a clean build to compare with" "$SLACKLOG" build -q --db "$DB" "$TMP/clean"
printf 'unpublish = random\n' >"$TMP/unpub.conf"

# ---- the list, beside the site
S=$TMP/site
"$SLACKLOG" build -q --db "$DB" "$S"
check "the list is beside the site" test -s "$S.slacklog-build"
eq "and nothing of the build's own is in it (no dotfile)" "$(cd "$S" && find . -name '.*' ! -name .)" ""
check "serve the site statically" start_static "$S"
eq "a static server of the site has no list to give" "$(curl -s -o /dev/null -w '%{http_code}' "$STATIC/.slacklog-build")" 404
stop_static
id=$(sqlite3 "$DB" "SELECT value FROM settings WHERE key = 'archive_id'")
check "the archive has an ID" test -n "$id"
lacks "the list does not hold it" "$(cat "$S.slacklog-build")" "$id"
rm -rf "$S"
check "a list left beside a deleted site is not trusted" "$SLACKLOG" build -q --db "$DB" "$S"
check "the site is whole again" diff -r "$S" "$TMP/clean"

# ---- a site built when the list was kept in it
O=$TMP/old
"$SLACKLOG" build -q --db "$DB" "$O"
# the list as builds before wrote it: in the site, the archive by its ID
sed "1s/ archive=[0-9a-f]* / archive=$id /" "$O.slacklog-build" >"$O/.slacklog-build"
rm "$O.slacklog-build"
snap "$O" | grep -v '^\.slacklog-build ' >"$TMP/old-before"
res=$("$SLACKLOG" build --db "$DB" "$O" 2>"$TMP/old.err"); rc=$?
eq "a site with its list in it is built into: exit status 0" "$rc" 0
eq "no file is rewritten" "$(counts <<<"$res" | cut -d' ' -f1)" 0
check "every file is as it was (inode, time, content)" diff "$TMP/old-before" <(snap "$O")
check "the list is now beside it" test -s "$O.slacklog-build"
check "and no longer in it" test ! -e "$O/.slacklog-build"
check "and it names every file" diff <(tail -n +2 "$O.slacklog-build") <(tail -n +2 "$TMP/clean.slacklog-build")
# once more, and a change: what the old list named is still pruned
sed "1s/ archive=[0-9a-f]* / archive=$id /" "$O.slacklog-build" >"$O/.slacklog-build"
rm "$O.slacklog-build"
res=$("$SLACKLOG" build --db "$DB" --config "$TMP/unpub.conf" "$O")
eq "unpublishing #random after the move removes its 9 files" "$(counts <<<"$res" | cut -d' ' -f3)" 9
check "none of #random is left" test ! -e "$O/random"
check "and the old list is gone" test ! -e "$O/.slacklog-build"
