# tests/lib.sh: sourced by every end-to-end test script (tests/e2e/t*.sh).
# Each check prints one line, "ok - NAME" or "not ok - NAME" (and why);
# tests/run counts them. Scripts run from the repository root with:
#   SLACKLOG   the binary under test (plain or sanitizer build)
#   SHARED     ../shared (real exports under $SHARED/fixtures)
#   TMP        a fresh scratch directory for this script
set -u
: "${SLACKLOG:=./slacklog}" "${SHARED:=../shared}"
if [ -z "${TMP:-}" ]; then TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT; fi
FIX=tests/fixtures

ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }

# check NAME CMD...: passes when CMD exits 0
check() {
	local name=$1; shift
	if "$@"; then ok "$name"; else nok "$name"; fi
}

# eq NAME ACTUAL EXPECTED
eq() {
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1: got [$2], expected [$3]"; fi
}

# contains NAME HAYSTACK NEEDLE
contains() {
	case "$2" in *"$3"*) ok "$1" ;; *) nok "$1: [$3] not found in output (${#2} bytes)" ;; esac
}

# lacks NAME HAYSTACK NEEDLE
lacks() {
	case "$2" in *"$3"*) nok "$1: [$3] should not appear" ;; *) ok "$1" ;; esac
}

# status NAME EXPECTED CMD...: exit status of CMD equals EXPECTED
status() {
	local name=$1 want=$2; shift 2
	"$@" >/dev/null 2>&1
	local got=$?
	eq "$name (exit status)" "$got" "$want"
}

# refuse_writes DB TABLE...: every insert into and update of each TABLE of
# the archive DB fails from now on, as with a full disk (SQLite triggers)
refuse_writes() {
	python3 - "$@" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
for t in sys.argv[2:]:
    for op in ("INSERT", "UPDATE"):
        c.execute("CREATE TRIGGER refuse_%s_%s BEFORE %s ON %s BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
                  % (op.lower(), t, op, t))
c.commit()
PY
}
