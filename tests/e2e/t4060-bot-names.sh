#!/bin/bash
# t4060-bot-names: a bot's message shows a name a reader can use, never the
# bot's ID. tests/fixtures/bot-names has one message per source of a name,
# in the order ui-message.c tries them: the bot user in users.json whose
# profile.bot_id it is, the label of the channel's bot_add link, the
# message's bot_profile, the author of its first attachment that has one,
# the legacy username field, and "bot" when nothing names it. Its second
# day has app posts in today's shapes: a webhook's and an app's posts
# carry their own name (username) and picture (icons), which Slack shows
# instead of the integration's; a person's message sent through an app
# (bot_id, app_id and bot_profile of the app, but their own user) is
# theirs, without the app tag. The expected names are read off the
# fixture by hand.
. tests/lib.sh
. tests/e2e/serve.sh

DB=$TMP/a.db
check "import the bot-names fixture" import_fixture "$DB" "$FIX/bot-names"
check "server starts" start_server "$DB" -q

# author PAGE ANCHOR [what]: the name on the page of the message with
# this anchor; with "tag", whether its author line has the app tag
# (app/none); with "img", its avatar's src (or "-")
author() {
	message "$1" "$2" | python3 -c '
import re, sys
li, what = sys.stdin.read(), sys.argv[1]
if what == "tag":
    meta = re.search(r"<p class=\"meta\">(.*?)</p>", li, re.S)
    print("-" if not meta else "app" if "<span class=\"tag\">app</span>" in meta.group(1) else "none")
else:
    a = re.search(r"<img class=\"avatar\"[^>]* src=\"([^\"]*)\"" if what == "img" else r"class=\"author\"[^>]*>([^<]*)<", li)
    print(a.group(1) if a else "-")
' "${3:-name}"
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
eq "every bot message is tagged as an app (6 with an ID, 1 bot_message without)" "$n" 7

get /integrations/2016-01-02/ >"$TMP/day2.html"
eq "a webhook's post shows its username, not its app's name" "$(author "$TMP/day2.html" p1451736000000100)" "Deploy Notifier"
eq "  and is tagged as an app" "$(author "$TMP/day2.html" p1451736000000100 tag)" app
eq "an app's post as its bot user shows the username it carries" "$(author "$TMP/day2.html" p1451736100000100)" "Nightly Build"
eq "  tagged" "$(author "$TMP/day2.html" p1451736100000100 tag)" app
eq "an app's post without a username: its bot user" "$(author "$TMP/day2.html" p1451736200000100)" "Build Robot"
eq "  tagged" "$(author "$TMP/day2.html" p1451736200000100 tag)" app
eq "a person's message sent through an app is theirs" "$(author "$TMP/day2.html" p1451736300000100)" "alice"
eq "  not tagged" "$(author "$TMP/day2.html" p1451736300000100 tag)" none
eq "a person's message with an app_id is theirs" "$(author "$TMP/day2.html" p1451736400000100)" "alice"
eq "  not tagged" "$(author "$TMP/day2.html" p1451736400000100 tag)" none
eq "a bot user the export does not list: its bot_profile" "$(author "$TMP/day2.html" p1451736500000100)" "Gone App"
eq "  tagged" "$(author "$TMP/day2.html" p1451736500000100 tag)" app
n=$(grep -c 'class="tag">app<' "$TMP/day2.html")
eq "the second day has 4 app posts" "$n" 4
api=$(get /api.v1/channels/integrations/2016-01-02.json)
contains "the API names the webhook's post as the page does" "$api" '"author":"Deploy Notifier"'
contains "the API names the app's post as the page does" "$api" '"author":"Nightly Build"'
stop_server

# with remote avatars, an app's post shows the picture it carries
printf 'remote_avatars = on\n' >"$TMP/avatars.conf"
check "server with remote avatars starts" start_server "$DB" -q --config "$TMP/avatars.conf"
get /integrations/2016-01-02/ >"$TMP/day2.html"
eq "a webhook's post shows its own icon" "$(author "$TMP/day2.html" p1451736000000100 img)" "https://hooks.example/deploy-48.png"
eq "an app's post without icons shows its app's" "$(author "$TMP/day2.html" p1451736100000100 img)" "https://apps.example/robot-72.png"
stop_server
check "server starts again" start_server "$DB" -q

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
