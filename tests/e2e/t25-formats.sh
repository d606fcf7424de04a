# t25-formats: one --format on every command that prints data (--json as
# its synonym), and JSON the same across commands: parsed by a real JSON
# parser, rates and changes as strings, changes signed, no key with a space.
. "$(dirname "$0")/lib.sh"

page "$T/a.html" 2025-12-17 10:00 87.40 102.40 1.10
page "$T/b.html" 2025-12-18 10:00 87.45 102.30 1.10
"$RATES" -q import "$T/a.html" "$T/b.html" >/dev/null 2>&1

# json_check FILE PYTHON-EXPR: the file parses as JSON and the expression,
# over it as d, is true.
json_check() {
	python3 - "$1" "$2" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def keys(x):
    if isinstance(x, dict):
        for k, v in x.items():
            yield k
            yield from keys(v)
    elif isinstance(x, list):
        for v in x:
            yield from keys(v)
sys.exit(0 if eval(sys.argv[2]) and not any(" " in k for k in keys(d)) else 1)
PY
}
# status exits 1 here: the source has had no success (no daemon ran).
want() { case "$1" in status*) echo 1 ;; *) echo 0 ;; esac; }
check_json() { # DESC FILE EXPR
	if json_check "$2" "$3"; then pass "$1"; else fail "$1" "$(head -c 1500 "$2")"; fi
}

for cmd in latest status "at 2025-12-18" "history" "stats" "revisions" "history --daily --ohlc"; do
	expect_code "$(want "$cmd")" "$cmd --format json" "$RATES" $cmd --format json
	check_json "$cmd: JSON, no key with a space" "$T/out" "isinstance(d, list)"
done
for cmd in latest status "at 2025-12-18"; do
	expect_code "$(want "$cmd")" "$cmd --json" "$RATES" $cmd --json
	check_json "$cmd --json is --format json" "$T/out" "isinstance(d, list) and len(d) > 0"
	expect_code "$(want "$cmd")" "$cmd --format csv" "$RATES" $cmd --format csv
	expect_eq "$cmd: CSV, a header and a row per item" "yes" \
	    "$([ "$(wc -l <"$T/out")" -ge 2 ] && head -1 "$T/out" | grep -q '^source,' && echo yes || echo no)"
	expect_code 2 "$cmd --json --format csv" "$RATES" $cmd --json --format csv
done
expect_code 0 "latest --json" "$RATES" latest --json
check_json "latest: a change is signed, the rate a string" "$T/out" \
    "[r['change'] for r in d if r['currency'] == 'USD'] == ['+0.05'] and [r['change'] for r in d if r['currency'] == 'EUR'] == ['-0.10'] and all(isinstance(r['rate'], str) for r in d)"
expect_code 0 "stats --format json" "$RATES" stats --format json
check_json "stats: the change signed too" "$T/out" \
    "[r['change'] for r in d if r['currency'] == 'USD'] == ['+0.05'] and [r['change_pct'] for r in d if r['currency'] == 'USD'] == ['+0.06']"
expect_code 0 "stats as CSV" "$RATES" stats --format csv
expect_grep "keeps no '+' that a spreadsheet reads as a formula" '^24kg,USD,2,87\.40,.*,0\.05,0\.06' "$T/out"
expect_code 0 "history --daily --ohlc --format json" "$RATES" history --daily --ohlc --format json
check_json "names OHLC keys without spaces" "$T/out" "'USD_open' in d[0] and 'USD_samples' in d[0]"
expect_code 1 "status --format json" "$RATES" status --format json
check_json "status: the source, its failures, no daemon" "$T/out" "d[0]['source'] == '24kg' and d[0]['failures'] == 0 and d[0]['daemon_pid'] is None"
expect_code 0 "sources --format json" "$RATES" sources --format json
check_json "sources: its settings" "$T/out" "d[0]['name'] == '24kg' and d[0]['currencies'] == ['USD', 'EUR', 'RUB'] and d[0]['decimal'] == '.' and d[0]['enabled'] is True"
expect_code 2 "a bad format" "$RATES" latest --format xml
expect_grep "is named" "--format 'xml': expected table, csv or json" "$T/err"

# Colour: rises green, falls red, on a terminal; never when piped;
# NO_COLOR; --color=auto|always|never.
esc=$(printf '\033')
expect_code 0 "latest --color=always" "$RATES" latest --color=always
expect_grep "a rise in green" "USD .*${esc}\\[32m\\+0\\.05" "$T/out"
expect_grep "a fall in red" "EUR .*${esc}\\[31m-0\\.10" "$T/out"
expect_code 0 "history --color always" "$RATES" history --all --color always
expect_grep "colours a rate that rose since the row above" "${esc}\\[32m87\\.45" "$T/out"
expect_code 0 "piped, by default" "$RATES" latest
expect_no_grep "no colour" "$esc" "$T/out"
TERM=xterm script -qec "\"$RATES\" latest" /dev/null >"$T/tty" 2>&1
expect_grep "on a terminal, colour" "${esc}\\[32m" "$T/tty"
NO_COLOR=1 TERM=xterm script -qec "\"$RATES\" latest" /dev/null >"$T/tty" 2>&1
expect_no_grep "NO_COLOR: none" "${esc}\\[3" "$T/tty"
TERM=xterm script -qec "\"$RATES\" --color=never history --all" /dev/null >"$T/tty" 2>&1
expect_no_grep "--color=never before the command: none" "${esc}\\[3" "$T/tty"
expect_code 2 "--color=sometimes" "$RATES" latest --color=sometimes
expect_code 0 "--color always before the command" "$RATES" --color always latest
expect_grep "colours too" "${esc}\\[32m" "$T/out"

# --json on every command that prints data.
for cmd in history export stats revisions; do
	expect_code 0 "$cmd --json" "$RATES" $cmd --json
	check_json "$cmd --json is JSON" "$T/out" "isinstance(d, list)"
done
expect_code 2 "sources --format table" "$RATES" sources --format table

finish
