#!/bin/bash
# t4060-bot-names: a bot's message shows a name a reader can use, never the
# bot's ID. tests/fixtures/bot-names has one message per source of a name,
# in the order ui-message.c tries them: the bot user in users.json whose
# profile.bot_id it is, the label of the channel's bot_add link, the
# message's bot_profile, the author of its first attachment that has one,
# the legacy username field, and "bot" when nothing names it. The
# expected names are read off the fixture by hand.
. tests/lib.sh
. tests/e2e/serve.sh

DB=$TMP/a.db
check "import the bot-names fixture" import_fixture "$DB" "$FIX/bot-names"
check "server starts" start_server "$DB" -q

# author NAME-ON-THE-PAGE of the message with this anchor
author() {
	python3 - "$1" "$2" <<'PY'
import re, sys
page = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<li class="msg[^"]*" id="%s">(.*?)</li>' % re.escape(sys.argv[2]), page, re.S)
a = m and re.search(r'class="author"[^>]*>([^<]*)<', m.group(1))
print(a.group(1) if a else '-')
PY
}
get /integrations/2016-01-01/ >"$TMP/day.html"
eq "bot_add link label names the bot (escaped once)" "$(author "$TMP/day.html" p1451649700000100)" "deploy &amp; ship"
eq "the bot user in users.json names its bot" "$(author "$TMP/day.html" p1451649800000100)" "Build Robot"
eq "bot_profile.name" "$(author "$TMP/day.html" p1451649900000100)" "Profiled App"
eq "the first attachment author there is" "$(author "$TMP/day.html" p1451650000000100)" "Jenkins CI"
eq "nothing names it: 'bot'" "$(author "$TMP/day.html" p1451650100000100)" "bot"
eq "legacy username" "$(author "$TMP/day.html" p1451650200000100)" "legacy-hook"
eq "no bot ID at all: 'bot'" "$(author "$TMP/day.html" p1451650300000100)" "bot"
n=$(grep -c 'class="tag">app<' "$TMP/day.html")
eq "every bot message is tagged as an app (6 with an ID)" "$n" 6

# the bot_add message names the bot in its own channel only
get /general/2016-01-01/ >"$TMP/general.html"
eq "bot_add of another channel does not name it here" "$(author "$TMP/general.html" p1451649700000200)" "bot"

# no page, feed or document shows a bot ID as a name
python3 tests/e2e/crawl.py "$URL" "$TMP/site" >"$TMP/crawl.txt"
check "the crawl reached the day pages" grep -q ' /integrations/2016-01-01/ ' "$TMP/crawl.txt"
shown=$(grep -l -E '>B0(ADDED|FROMUSERS|PROFILE|ATTACH|NOTHING|LEGACY)<|"name": ?"B0' "$TMP"/site/* | wc -l)
eq "no crawled page shows a bot ID as a name" "$shown" 0
ld=$(grep -o '"name":"Jenkins CI"' "$TMP/day.html" | wc -l)
eq "the JSON-LD names the bot as the page does" "$ld" 1
stop_server
