# lib.sh: what every end-to-end test sources.  Each test runs the built
# binary as a user would, in its own temporary HOME and database, and
# prints one TAP line per check ("ok - ..." or "not ok - ..."); tests/run
# counts them.  start_server starts tests/server.py on 127.0.0.1 and a
# random port; everything is cleaned up on exit.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
RATES=${RATES_BIN:-$TOP/rates}
DATA="$TOP/tests/data"
SHARED=${SHARED:-$TOP/../shared}
# CAPTURE is the real capture of 24.kg, beside the checkout in ../shared
# (CI has it; a clone may not): the checks that need it are skipped, and
# counted, when it is absent.  FIXTURE is a text page of the same shape
# that the project wrote, for every other test.
CAPTURE="$SHARED/fixtures/24kg-english-2025-12-18.txt"
FIXTURE="$TOP/tests/data/text-page.txt"
T=$(mktemp -d "${TMPDIR:-/tmp}/rates-e2e.XXXXXX")
WWW="$T/www"
SERVER_PID=
N_PASS=0
N_FAIL=0
N_SKIP=0

mkdir -p "$T/home" "$WWW"
export HOME="$T/home"
export RATES_DB="$T/rates.db"
export TZ=Asia/Bishkek
unset XDG_CONFIG_HOME XDG_DATA_HOME RATES_CONFIG
export LC_ALL=C

cleanup() {
	for p in ${KILL_PIDS:-}; do
		kill -9 "$p" 2>/dev/null
	done
	if [ -n "$SERVER_PID" ]; then
		kill "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT

# have_capture DESC: true when the real capture is there; else says that
# the checks of DESC are skipped ("skip - DESC"), which tests/run counts.
have_capture() {
	[ -r "$CAPTURE" ] && return 0
	N_SKIP=$((N_SKIP + 1))
	echo "skip - $1 (needs the capture $CAPTURE)"
	return 1
}

start_server() {
	python3 "$TOP/tests/server.py" --root "$DATA" --www "$WWW" \
	    --fixture "$FIXTURE" --port-file "$T/port" --log "$T/requests.log" \
	    --lifetime 300 --stall "${STALL:-30}" &
	SERVER_PID=$!
	for _ in $(seq 100); do
		[ -s "$T/port" ] && break
		sleep 0.05
	done
	PORT=$(cat "$T/port")
	BASE="http://127.0.0.1:$PORT"
}

pass() {
	N_PASS=$((N_PASS + 1))
	echo "ok - $1"
}

fail() {
	N_FAIL=$((N_FAIL + 1))
	echo "not ok - $1"
	shift
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/#   /'
	done
}

# run CMD...: run it, keeping stdout in $T/out, stderr in $T/err, and the
# exit status in $CODE.
run() {
	"$@" >"$T/out" 2>"$T/err"
	CODE=$?
}

# expect_code N DESC CMD...: run CMD, check its exit status.
expect_code() {
	want=$1
	desc=$2
	shift 2
	run "$@"
	if [ "$CODE" -eq "$want" ]; then
		pass "$desc"
	else
		fail "$desc" "exit $CODE, expected $want" "stdout: $(head -c 2000 "$T/out")" \
		    "stderr: $(head -c 2000 "$T/err")"
	fi
}

# expect_eq DESC EXPECTED ACTUAL
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected: $2" "actual:   $3"
	fi
}

# expect_file DESC FILE EXPECTED-TEXT: FILE's content is exactly the text.
expect_file() {
	if [ "$(cat "$2")" = "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected:" "$3" "actual:" "$(cat "$2")"
	fi
}

# expect_grep DESC REGEX FILE: an extended regex matches a line of FILE.
expect_grep() {
	if grep -Eq -- "$2" "$3"; then
		pass "$1"
	else
		fail "$1" "no line matches: $2" "in $3: $(head -c 2000 "$3")"
	fi
}

expect_no_grep() {
	if grep -Eq -- "$2" "$3"; then
		fail "$1" "a line matches: $2" "$(grep -E -- "$2" "$3" | head -5)"
	else
		pass "$1"
	fi
}

# sql QUERY: run a query on the test database.
sql() {
	sqlite3 -batch "$RATES_DB" "$1"
}

# samples: the stored samples, one "CUR|observed_at UTC|rate_text|scaled"
# line each.
samples() {
	[ -f "$RATES_DB" ] || return 0
	sql "SELECT currency, datetime(observed_at, 'unixepoch'), rate_text,
	    rate_scaled FROM sample ORDER BY observed_at, currency"
}

count() {
	if [ -f "$RATES_DB" ]; then sql "SELECT count(*) FROM sample"; else echo 0; fi
}

# page FILE DATE-OR-EMPTY CLOCK-OR-EMPTY USD EUR RUB: write an HTML page
# whose header has the rates, with tags, entities and white space around
# them, and a body with other numbers.
page() {
	f=$1 d=$2 c=$3
	{
		printf '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>News</title></head>\n<body>\n'
		printf '<header class="top">\n  <div class="when">'
		[ -n "$d" ] && printf '<span class="d">%s</span>&nbsp;' "$d"
		[ -n "$c" ] && printf '<span class="t">%s</span>' "$c"
		printf '</div>\n  <ul class="currency">\n'
		printf '    <li><span class="code">USD</span>&nbsp;<span class="val">%s</span></li>\n' "$4"
		printf '    <li><span class="code">EUR</span>&nbsp;<span class="val">%s</span></li>\n' "$5"
		printf '    <li><span class="code">RUB</span>&nbsp;<span class="val">%s</span></li>\n' "$6"
		printf '  </ul>\n</header>\n<main><p>At 10:42 the bank said USD 11,22 was paid per share.</p></main>\n</body></html>\n'
	} >"$f"
}

# feed FILE DATE [CODE NOMINAL VALUE]...: write a feed in the shape of the
# National Bank's daily.xml (DATE is its value date, DD.MM.YYYY).
feed() {
	f=$1
	{
		printf '<?xml version="1.0" encoding="windows-1251" ?>\n'
		printf '<CurrencyRates Name="Daily Exchange Rates" Date="%s">\n' "$2"
		shift 2
		while [ $# -ge 3 ]; do
			printf '<Currency ISOCode="%s">\n<Nominal>%s</Nominal>\n<Value>%s</Value>\n</Currency>\n' "$1" "$2" "$3"
			shift 3
		done
		printf '</CurrencyRates>\n'
	} >"$f"
}

# wait_for SECONDS CMD...: run CMD every 0.1 s until it succeeds; fails
# (returns 1) when SECONDS pass first.
wait_for() {
	_limit=$(( $(date +%s%N) / 1000000 + $1 * 1000 ))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(( $(date +%s%N) / 1000000 ))" -ge "$_limit" ] && return 1
		sleep 0.1
	done
	return 0
}

# polls: how many polls the test database has logged.
polls() {
	if [ -f "$RATES_DB" ]; then sql "SELECT count(*) FROM fetch_log" 2>/dev/null || echo 0; else echo 0; fi
}

finish() {
	echo "# $(basename "$0"): $N_PASS passed, $N_FAIL failed, $N_SKIP skipped"
	[ "$N_FAIL" -eq 0 ]
}

# start_serve [ARGS...]: rates serve on a free port of 127.0.0.1, its
# messages in $T/serve.log; SERVE is its base URL, SERVE_PID its process.
start_serve() {
	: >"$T/serve.log"
	"$RATES" serve --listen 127.0.0.1:0 "$@" 2>"$T/serve.log" &
	SERVE_PID=$!
	KILL_PIDS="${KILL_PIDS:-} $SERVE_PID"
	wait_for 10 grep -q 'serving .* on http' "$T/serve.log"
	SERVE=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$T/serve.log" | head -1)
}

# get PATH [CURL ARGS...]: a request to serve; the body in $T/out, the
# head in $T/hdr, the status in $CODE.
get() {
	_path=$1
	shift
	rm -f "$T/out" "$T/hdr"
	: >"$T/out"
	CODE=$(curl -s --max-time 10 -D "$T/hdr" -o "$T/out" -w '%{http_code}' \
	    "$@" "$SERVE$_path")
}

# header NAME: its value in $T/hdr.
header() {
	grep -i "^$1:" "$T/hdr" | head -1 | cut -d' ' -f2- | tr -d '\r'
}
