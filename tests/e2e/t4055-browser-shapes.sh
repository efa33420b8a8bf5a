#!/bin/bash
# t4055-browser-shapes: messages of tests/fixtures/message-shapes in
# Debian's chromium (tests/browser/message-shapes.mjs): the list markers of
# each level, the gaps around code blocks, quotes and lists, a snippet's
# lines, where "(edited)" goes. Screenshots in tests/out/screens/shapes-*.png.
. tests/lib.sh
. tests/e2e/serve.sh

if [ ! -x /usr/bin/chromium ] || [ ! -d tests/browser/node_modules/playwright-core ]; then
	nok "chromium and playwright-core are installed (scripts/deps test; npm install in tests/browser)"
	exit 0
fi
check "import the message-shapes fixture" import_fixture "$TMP/s.db" "$FIX/message-shapes"
check "serve it" start_server "$TMP/s.db" -q
node tests/browser/message-shapes.mjs "$URL" tests/out/screens
stop_server
