#!/bin/bash
# t1030-import-merge: how messages from several files and several exports
# come together: duplicates across day files (the newest edit wins), thread
# replies in later files, an overlapping newer export (in either order),
# folders no metadata describes, private conversations kept unpublished,
# authors known only from user_profile, custom emoji. Expected values are
# worked out by hand from the fixture files.
. tests/lib.sh
sql() { python3 tests/e2e/t1-stats.py --sql "$@"; }
stats() { "$SLACKLOG" stats --db "$1" --json | jq -c '[.channels[] | [.name, .kind, .messages, .days]]'; }

# The same ts in two files of general: edited 1451650000, then 1451653600
# ("second version" wins); in random the newer copy comes first in file order.
db=$TMP/dup.db
out=$("$SLACKLOG" import --db "$db" "$FIX/duplicates-edited" 2>&1)
eq "duplicates: exit status 0" "$?" 0
eq "duplicates: one record per (channel, ts)" "$(stats "$db")" \
	'[["general","public",2,{"2016-01-01":2}],["random","public",1,{"2016-01-01":1}]]'
eq "duplicates: the newer edit replaces the older" \
	"$(sql "$db" "SELECT text, edited_ts FROM messages WHERE channel_id = 'C0000001' AND ts = '1451649600.000100'")" \
	"second version|1451653600.000000"
eq "duplicates: an older copy read later does not replace the newer" \
	"$(sql "$db" "SELECT text FROM messages WHERE channel_id = 'C0000002'")" "newest"
contains "duplicates: summary counts the merge" "$out" "6 messages (3 new, 1 updated, 2 unchanged)"

# Parent on 2016-01-01, replies in the files of 01-02 and 01-03 (their own
# dates), an orphan reply (parent not exported) and a join on 01-03: the
# parent's day shows 3, 01-02 the plain message, 01-03 only the orphan.
db=$TMP/thread.db
"$SLACKLOG" import --quiet --db "$db" "$FIX/thread-across-days"
eq "thread: replies counted on the parent's day, join not counted" "$(stats "$db")" \
	'[["general","public",6,{"2016-01-01":3,"2016-01-02":1,"2016-01-03":1}]]'
eq "thread: replies stored with their own day and the parent's page day" \
	"$(sql "$db" "SELECT day, page_day FROM messages WHERE text = 'reply two'")" "2016-01-03|2016-01-01"
eq "thread: the same with the expectation computed from the JSON" \
	"$("$SLACKLOG" stats --db "$db" --json | jq -cS .)" "$(python3 tests/e2e/t1-stats.py "$FIX/thread-across-days" UTC | jq -cS .)"

# Older export, then a newer overlapping one: m2 edited, m3 the same, m4 m5
# new, and a reply to m1 (only in the old export) dated 01-02.
want='[["general","public",6,{"2016-01-01":4,"2016-01-02":2}]]'
db=$TMP/old-new.db
"$SLACKLOG" import --quiet --db "$db" "$FIX/overlap-old"
out=$("$SLACKLOG" import --db "$db" "$FIX/overlap-new" 2>&1)
contains "overlap: the newer export adds 3, updates 1, leaves 1" "$out" "5 messages (3 new, 1 updated, 1 unchanged)"
eq "overlap old then new: merged" "$(stats "$db")" "$want"
eq "overlap old then new: edited text" "$(sql "$db" "SELECT text FROM messages WHERE ts = '1451649601.000100'")" "m2 edited"
db2=$TMP/new-old.db
"$SLACKLOG" import --quiet --db "$db2" "$FIX/overlap-new"
eq "overlap new alone: the reply waits on its own day" "$(stats "$db2")" \
	'[["general","public",5,{"2016-01-01":2,"2016-01-02":3}]]'
out=$("$SLACKLOG" import --db "$db2" "$FIX/overlap-old" 2>&1)
contains "overlap: the older export adds only m1" "$out" "3 messages (1 new, 0 updated, 2 unchanged)"
eq "overlap new then old: same result" "$(stats "$db2")" "$want"
eq "overlap new then old: the edit is not undone" "$(sql "$db2" "SELECT text FROM messages WHERE ts = '1451649601.000100'")" "m2 edited"

# A folder no metadata file describes: its own private conversation whose
# ID is X + the first ten hex digits of SHA-1("notes").
id=X$(printf notes | sha1sum | cut -c1-10 | tr a-f A-F)
db=$TMP/undescribed.db
out=$("$SLACKLOG" import --db "$db" "$FIX/undescribed-folder" 2>&1)
eq "undescribed folder: exit status 1" "$?" 1
contains "undescribed folder: warned" "$out" \
	"undescribed-folder: notes/: no metadata file describes this folder; imported as private conversation $id (unpublished)"
eq "undescribed folder: imported under its name" "$(stats "$db")" \
	'[["general","public",1,{"2016-01-01":1}],["notes","private",2,{"2016-01-01":2}]]'
eq "undescribed folder: stable ID" "$(sql "$db" "SELECT id FROM channels WHERE name = 'notes'")" "$id"
"$SLACKLOG" import --quiet --db "$db" "$FIX/undescribed-folder"
eq "undescribed folder: a second import finds the same channel" "$(sql "$db" "SELECT count(*) FROM channels")" 2

# Kinds from the file that describes them; only the public one is published.
db=$TMP/kinds.db
"$SLACKLOG" import --quiet --db "$db" "$FIX/private-kinds"
eq "kinds: every conversation imported with its kind" "$(stats "$db")" \
	'[["alice--bob","dm",1,{"2016-01-01":1}],["general","public",1,{"2016-01-01":1}],["mpdm-alice--bob--carol-1","mpim",1,{"2016-01-01":1}],["mpdm-alice--carol-1","mpim",1,{"2016-01-01":1}],["staff","private",1,{"2016-01-01":1}]]'
eq "kinds: only the public channel is published" "$(sql "$db" "SELECT group_concat(name) FROM channels WHERE published")" general
eq "kinds: the DM is named after its members" "$(sql "$db" "SELECT name FROM channels WHERE id = 'D0AAAAAAA1'")" "alice--bob"
# a later export without users.json: member names come from the archive
cp -r "$FIX/private-kinds" "$TMP/no-users" && rm "$TMP/no-users/users.json"
"$SLACKLOG" import --quiet --db "$db" "$TMP/no-users"
eq "kinds: a later export without users.json keeps the DM's name" \
	"$(sql "$db" "SELECT name FROM channels WHERE id = 'D0AAAAAAA1'")" "alice--bob"

# user_profile: U9 is not in users.json and gets a record from it; U1's
# users.json record is not overwritten by its stale profile; USLACKBOT has
# neither and gets nothing.
db=$TMP/profile.db
"$SLACKLOG" import --quiet --db "$db" "$FIX/user-profile"
eq "user_profile: unknown author stored from it" "$(sql "$db" "SELECT name, real_name, avatar FROM users WHERE id = 'U9'")" \
	"ghost|Ghost Writer|https://example.org/g72.png"
eq "user_profile: users.json record kept" "$(sql "$db" "SELECT real_name FROM users WHERE id = 'U1'")" "Alice Real"
eq "user_profile: 3 users (2 from users.json, 1 from a profile)" "$(jq .users <("$SLACKLOG" stats --db "$db" --json))" 3
eq "user_profile: no record for USLACKBOT" "$(sql "$db" "SELECT count(*) FROM users WHERE id = 'USLACKBOT'")" 0
# "thanks <@U1> and <@U9>" is indexed for search with both names resolved:
# U1 from users.json, U9 from the profile seen in an earlier message.
eq "search text: mention of a users.json user by name" \
	"$("$SLACKLOG" search --db "$db" --json alice | jq -r '[.results[].ts] | join(" ")')" "1451649900.000100"
eq "search text: mention of a user_profile author by name" \
	"$("$SLACKLOG" search --db "$db" --json ghost | jq -r '[.results[].ts] | join(" ")')" "1451649900.000100"

# Custom emoji from emoji.json in an export and from an emoji.list file.
db=$TMP/emoji.db
out=$("$SLACKLOG" import --db "$db" "$FIX/emoji" "$FIX/emoji-list/emoji-list.json" 2>&1)
eq "emoji: exit status 0" "$?" 0
eq "emoji: all five stored with their values" "$(sql "$db" "SELECT name, value FROM emoji ORDER BY name" | tr '\n' ' ')" \
	"bowtie|https://emoji.example.org/bowtie.png party-parrot|https://emoji.example.org/party-parrot.gif pp|alias:party-parrot shipit|alias:squirrel thumbsup-alias|alias:+1 "
eq "emoji: emoji.json is not a channel" "$(sql "$db" "SELECT group_concat(name) FROM channels")" general

# Enterprise Grid: org-level metadata at the root, per-workspace exports
# under teams/<ws>/ (two workspaces each with a "general"); a workspace
# folder only the root describes ("shared") joins the root's channel.
db=$TMP/grid.db
out=$("$SLACKLOG" import --db "$db" "$FIX/enterprise-grid" 2>&1)
eq "grid: exit status 0" "$?" 0
eq "grid: each workspace's general is its own channel, shared collects both" \
	"$("$SLACKLOG" stats --db "$db" --json | jq -c '[.channels[] | [.id, .name, .kind, .messages, .days]]')" \
	'[["D0GRIDDM01","alice--bob","dm",1,{"2016-01-01":1}],["C0T1GEN01","general","public",1,{"2016-01-01":1}],["C0T2GEN01","general","public",2,{"2016-01-02":2}],["C0SHARED1","shared","public",2,{"2016-01-01":1,"2016-01-02":1}]]'
contains "grid: users counted once across org_users.json and teams/*/users.json" "$out" "4 conversations, 2 users"
eq "grid: canvases.json is not a channel" "$(sql "$db" "SELECT count(*) FROM channels WHERE name LIKE 'canvas%'")" 0
