#!/bin/bash
# t7060-build-outdir: what `slacklog build` may write, and where its list
# of files goes.
#
# A directory that holds files and was not written by a build (no list)
# is refused: exit 2, nothing written, the message names --force. With
# --force the build's files replace those of the same name and every
# other file stays as it was, then and in later builds (only what a build
# wrote is ever removed, even in a directory the build empties). An empty
# or a missing directory is a new site; a list left beside a directory
# that was deleted is not trusted.
#
# The list is kept beside the site (OUTDIR.slacklog-build), so a static
# server of OUTDIR does not serve it, and it names the archive only by a
# hash. A site whose list is in it, where builds before kept it
# (OUTDIR/.slacklog-build), is taken over: no file rewritten that did not
# change, what is no longer published still removed, the list moved out.
. tests/lib.sh
. tests/e2e/serve.sh

counts() { sed -n 's/.*: \([0-9]*\) written, \([0-9]*\) unchanged, \([0-9]*\) removed.*/\1 \2 \3/p'; }
# every file with its inode, mtime and content hash
snap() { (cd "$1" && find . -type f -printf '%P %i %T@ ' -exec sh -c 'md5sum <"$1" | cut -c1-32' _ {} \; | sort); }
DB=$TMP/w.db
check "import web-threads" import_fixture "$DB" "$FIX/web-threads"
check "a clean build to compare with" "$SLACKLOG" build -q --db "$DB" "$TMP/clean"
printf 'unpublish = random\n' >"$TMP/unpub.conf"

# ---- a directory that is not a build
W=$TMP/www
mkdir -p "$W/sub" "$W/random"
echo "the operator's own page" >"$W/index.html"
echo keep >"$W/keep.txt"
echo "a page of theirs" >"$W/sub/a.html"
echo "notes kept where a channel's pages go" >"$W/random/notes.txt"
snap "$W" >"$TMP/before"
err=$("$SLACKLOG" build --db "$DB" "$W" 2>&1 >/dev/null); rc=$?
eq "a directory with other files: exit status 2" "$rc" 2
contains "the message says why" "$err" "$W is not empty and holds no slacklog build"
contains "and names --force" "$err" "--force"
check "nothing in it changed" diff "$TMP/before" <(snap "$W")
check "and no list was written beside it" test ! -e "$W.slacklog-build"

out=$("$SLACKLOG" build --force --db "$DB" "$W" 2>&1); rc=$?
eq "--force: exit status 0" "$rc" 0
contains "it says what it does" "$out" "replace those of the same name, and no other file is touched"
check "the build's index.html replaces the operator's" cmp -s "$W/index.html" "$TMP/clean/index.html"
for f in keep.txt sub/a.html random/notes.txt; do
	check "$f is left as it was" test "$(grep " $f " "$TMP/before")" = "$(snap "$W" | grep " $f ")"
done
check "every file of a clean build is there" diff -r -x keep.txt -x sub -x notes.txt "$W" "$TMP/clean"
lacks "the list names none of the other files" "$(cat "$W.slacklog-build")" "keep.txt"
lacks "nor notes.txt" "$(cat "$W.slacklog-build")" "notes.txt"
"$SLACKLOG" build -q --db "$DB" --config "$TMP/unpub.conf" "$W"
check "a later build removes #random's pages" test ! -e "$W/random/index.html"
check "but not the file the operator put beside them" test -f "$W/random/notes.txt"
check "nor their other files" test -f "$W/keep.txt" -a -f "$W/sub/a.html"

E=$TMP/empty
mkdir "$E"
check "an empty directory is built into" "$SLACKLOG" build -q --db "$DB" "$E"
check "a missing one too" "$SLACKLOG" build -q --db "$DB" "$TMP/missing"

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
