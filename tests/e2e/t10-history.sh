# t10-history: the rows of a period: a row per change by default, --all,
# --daily, --daily --ohlc; --wide and --long; table, CSV and JSON; the
# selection options; an empty selection says so; bad options are usage
# errors that name them.
. "$(dirname "$0")/lib.sh"

page "$T/1.html" 2025-12-01 09:00 87.10 101.00 1.05
page "$T/2.html" 2025-12-01 15:00 87.10 101.00 1.05
page "$T/3.html" 2025-12-02 09:00 87.30 101.00 1.05
page "$T/4.html" 2025-12-02 15:00 87.20 101.50 1.05
page "$T/5.html" 2025-12-03 09:00 87.20 101.50 1.10
"$RATES" -q import "$T"/[1-5].html

expect_code 0 "history" "$RATES" history
expect_file "a row per change, a column per currency, aligned" "$T/out" \
"TIME                            EUR         RUB         USD
2025-12-01 09:00 +06:00      101.00        1.05       87.10
2025-12-02 09:00 +06:00      101.00        1.05       87.30
2025-12-02 15:00 +06:00      101.50        1.05       87.20
2025-12-03 09:00 +06:00      101.50        1.10       87.20"

expect_code 0 "history --all" "$RATES" history --all --currency usd
expect_file "every sample of the currency asked for" "$T/out" \
"TIME                            USD
2025-12-01 09:00 +06:00       87.10
2025-12-01 15:00 +06:00       87.10
2025-12-02 09:00 +06:00       87.30
2025-12-02 15:00 +06:00       87.20
2025-12-03 09:00 +06:00       87.20"

expect_code 0 "history --long" "$RATES" history --long --currency RUB,USD
expect_file "a row per change of each currency, in the order asked" "$T/out" \
"TIME                     SOURCE    CURRENCY        RATE
2025-12-01 09:00 +06:00  24kg      RUB             1.05
2025-12-01 09:00 +06:00  24kg      USD            87.10
2025-12-02 09:00 +06:00  24kg      USD            87.30
2025-12-02 15:00 +06:00  24kg      USD            87.20
2025-12-03 09:00 +06:00  24kg      RUB             1.10"

expect_code 0 "history --daily" "$RATES" history --daily --format csv
expect_file "the day's last value, per local day" "$T/out" \
"$(printf 'date,EUR,RUB,USD\r\n2025-12-01,101.00,1.05,87.10\r\n2025-12-02,101.50,1.05,87.20\r\n2025-12-03,101.50,1.10,87.20\r')"

expect_code 0 "history --daily --ohlc --long" "$RATES" history --daily --ohlc --long --currency USD
expect_file "open, high, low, close and count" "$T/out" \
"DATE        SOURCE    CURRENCY        OPEN        HIGH         LOW       CLOSE  SAMPLES
2025-12-01  24kg      USD            87.10       87.10       87.10       87.10        2
2025-12-02  24kg      USD            87.30       87.30       87.20       87.20        2
2025-12-03  24kg      USD            87.20       87.20       87.20       87.20        1"

expect_code 0 "--daily follows the local zone" env TZ=UTC "$RATES" history --daily --long --currency USD --format csv
expect_grep "09:00 in Bishkek is 03:00 UTC, the same day" '^2025-12-01,24kg,USD,87\.10' "$T/out"
expect_code 0 "--daily in a zone far west" env TZ=America/Los_Angeles "$RATES" history --daily --long --currency USD --format csv
expect_grep "09:00 in Bishkek is the evening before there" '^2025-11-30,24kg,USD,87\.10' "$T/out"

expect_code 0 "history --format json" "$RATES" history --format json --currency USD --since 2025-12-02
expect_file "rates as strings, times ISO 8601" "$T/out" \
'[
  {"time": "2025-12-02T09:00:00+06:00", "USD": "87.30"},
  {"time": "2025-12-02T15:00:00+06:00", "USD": "87.20"}
]'
cp "$T/out" "$T/json"
expect_code 0 "which parses" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$T/json"

# The selection.
expect_code 0 "--since and --until as days" "$RATES" history --all --long --currency USD --since 2025-12-02 --until 2025-12-02 --format csv
expect_file "take the whole of the --until day" "$T/out" \
"$(printf 'time,source,currency,rate\r\n2025-12-02T09:00:00+06:00,24kg,USD,87.30\r\n2025-12-02T15:00:00+06:00,24kg,USD,87.20\r')"
expect_code 0 "--since with a time and a zone" "$RATES" history --all --long --currency USD --since 2025-12-02T09:00:01+06:00 --format csv
expect_eq "excludes the instant before" "2025-12-02T15:00:00+06:00,24kg,USD,87.20" "$(sed -n 2p "$T/out" | tr -d '\r')"
expect_code 0 "--until with a time includes it" "$RATES" history --all --long --currency USD --until "2025-12-01 15:00" --format csv
expect_eq "two rows" "3" "$(wc -l <"$T/out")"
expect_code 0 "--utc" "$RATES" history --utc --currency USD --until 2025-12-01
expect_grep "shows UTC" '^2025-12-01 03:00 UTC +87\.10$' "$T/out"
expect_code 0 "--source" "$RATES" history --source 24kg --currency EUR
expect_eq "selects it" "3" "$(wc -l <"$T/out")"
expect_code 0 "relative --since" "$RATES" history --since 7d
expect_eq "old samples are outside" "" "$(cat "$T/out")"
expect_eq "an empty selection says so" "rates: history: no samples since $(TZ=Asia/Bishkek date -d @$(( $(date +%s) - 7 * 86400 )) '+%Y-%m-%d %H:%M')" \
    "$(sed -E 's/(:[0-9]{2}):[0-9]{2} /\1 /; s/ \+06:00$//' "$T/err")"
expect_code 0 "an unknown currency" "$RATES" history --currency XAU
expect_eq "is an empty selection, named" "rates: history: no samples of XAU" "$(cat "$T/err")"
expect_code 0 "history -q on an empty selection" "$RATES" -q history --currency XAU
expect_eq "is silent" "" "$(cat "$T/err")"

# Two sources: columns name the source too; --source picks one.
cat >"$T/other.conf" <<'CONF'
[source other]
url = http://127.0.0.1/
currencies = USD
pattern = (?<code>USD)=(?<rate>[0-9.]+)
CONF
printf 'USD=87.55\n' >"$T/other.txt"
"$RATES" -q -c "$T/other.conf" import --source other --at 2025-12-02T12:00 "$T/other.txt"
expect_code 0 "history of two sources" "$RATES" history --currency USD --since 2025-12-02 --format csv
expect_eq "has a column per source and currency" \
"time,24kg/USD,other/USD
2025-12-02T09:00:00+06:00,87.30,
2025-12-02T12:00:00+06:00,87.30,87.55
2025-12-02T15:00:00+06:00,87.20,87.55" "$(tr -d '\r' <"$T/out")"
expect_code 0 "--source other" "$RATES" history --source other --format csv
expect_eq "selects that source alone" "time,USD|2025-12-02T12:00:00+06:00,87.55" "$(tr -d '\r' <"$T/out" | paste -sd '|')"
expect_code 0 "latest of two sources" "$RATES" latest
expect_grep "lists both" '^other +USD +87\.55 ' "$T/out"
expect_eq "and all of 24kg's" "3" "$(grep -c '^24kg ' "$T/out")"

# Usage errors name what is wrong.
usage() {
	expect_code 2 "$1" "$RATES" history "${@:3}"
	expect_eq "$1: message" "rates: history: $2" "$(head -1 "$T/err")"
}
usage "a bad --since" "--since: bad time 'lastweek' (expected 2025-12-01, 2025-12-01T10:00, 2025-12-01 10:00 +06:00 (or Z, UTC), 90m, 36h, 7d, 2w, 1y, today, yesterday or now)" --since lastweek
usage "--until before --since" "--until is not after --since" --since 2025-12-02 --until 2025-12-01T12:00
usage "a bad currency" "--currency: 'dollar' is not a currency code" --currency dollar
usage "--all with --daily" "--all and --daily do not go together" --all --daily
usage "--ohlc alone" "--ohlc goes with --daily" --ohlc
usage "--wide with --long" "--wide and --long do not go together" --wide --long
usage "a bad format" "--format 'xml': expected table, csv, json, ledger, hledger or beancount" --format xml
expect_code 1 "history without a database" env RATES_DB="$T/none.db" "$RATES" history
expect_grep "says there is none" "no database here yet" "$T/err"

finish
