# t28-backfill: rates backfill nbkr against a stand-in for the National
# Bank's archive (tests/server.py /archive/MODE/): a year a request, one
# currency a request, one connection, half a second between requests,
# retries, failures reported per range, nothing twice; then rates compare.
. "$(dirname "$0")/lib.sh"
start_server

ALOG="$T/requests.log.archive"
conf() {
	mkdir -p "$HOME/.config/rates"
	printf '[source nbkr]\narchive_url = %s/archive/%s/index1.jsp\n' "$BASE" "$1" >"$HOME/.config/rates/rates.conf"
}
nrows() { sql "SELECT count(*) FROM sample WHERE source = 'nbkr' AND currency = '$1'"; }

conf ok
expect_code 0 "backfill two currencies over two years" "$RATES" backfill --since 2023-12-20 --until 2024-01-10 --currency USD,EUR
expect_eq "four requests: a currency and a calendar year each" "4" "$(wc -l <"$ALOG")"
expect_eq "the ranges asked for" "valuta_id=15&beg_day=20&beg_month=12&beg_year=2023&end_day=31&end_month=12&end_year=2023
valuta_id=15&beg_day=01&beg_month=01&beg_year=2024&end_day=10&end_month=01&end_year=2024
valuta_id=20&beg_day=20&beg_month=12&beg_year=2023&end_day=31&end_month=12&end_year=2023
valuta_id=20&beg_day=01&beg_month=01&beg_year=2024&end_day=10&end_month=01&end_year=2024" \
    "$(cut -f3 "$ALOG" | sed 's/^item=1562&lang=ENG&//')"
expect_eq "one connection" "1" "$(cut -f2 "$ALOG" | sort -u | wc -l)"
expect_eq "at least 0.5 s between requests" "ok" \
    "$(awk 'NR > 1 && $1 - prev < 0.49 { bad = 1 } { prev = $1 } END { print bad ? "too fast" : "ok" }' "$ALOG")"
expect_eq "a row a day" "22 22" "$(nrows USD) $(nrows EUR)"
expect_eq "at 00:00 Bishkek of each day, newest first on the page" "2023-12-19 18:00:00|2024-01-09 18:00:00" \
    "$(sql "SELECT datetime(min(observed_at), 'unixepoch') || '|' || datetime(max(observed_at), 'unixepoch') FROM sample WHERE currency = 'USD'")"
expect_grep "a summary" '^nbkr: 4 requests for 4 of 4 ranges, 44 rows: 44 added, 0 already present$' "$T/out"
expect_code 0 "the same again" "$RATES" backfill --since 2023-12-20 --until 2024-01-10 --currency USD,EUR
expect_grep "adds nothing twice" '44 rows: 0 added, 44 already present$' "$T/out"

# The default range: from the day after the newest stored sample to today.
: >"$ALOG"
sql "DELETE FROM sample WHERE currency = 'USD' AND observed_at > strftime('%s', '2024-01-05')"
today=$(TZ=Asia/Bishkek date +%Y-%m-%d)
expect_code 0 "backfill USD with the default range" "$RATES" backfill --currency USD
expect_eq "from the day after the newest sample" "beg_day=06&beg_month=01&beg_year=2024" \
    "$(head -1 "$ALOG" | cut -f3 | grep -o 'beg_day=.*beg_year=[0-9]*')"
expect_eq "to today" "end_day=$(echo "$today" | cut -c9-10)&end_month=$(echo "$today" | cut -c6-7)&end_year=$(echo "$today" | cut -c1-4)" \
    "$(tail -1 "$ALOG" | cut -f3 | grep -o 'end_day=.*')"
expect_grep "and says where the history starts" 'USD is stored from 2023-12-20 on: --since 1999-01-01 loads the years before' "$T/err"
expect_code 0 "again: up to date" "$RATES" backfill --currency USD
expect_grep "says so" "^USD: up to date \\(stored through $today\\)$" "$T/out"

# Misbehaviour: retried, then reported per range; the rest goes on.
for mode in flaky drop garbage; do
	conf "$mode"
	: >"$ALOG"
	RATES_DB="$T/$mode.db" expect_code 0 "$mode: retried" "$RATES" backfill --since 2020-12-30 --until 2021-01-02 --currency KZT
	expect_eq "$mode: two ranges, each asked twice" "4" "$(wc -l <"$ALOG")"
	expect_eq "$mode: all rows stored" "4" "$(RATES_DB="$T/$mode.db" nrows KZT)"
done
conf dead-20
: >"$ALOG"
expect_code 1 "EUR's archive always fails: exit 1" "$RATES" backfill --since 2019-12-31 --until 2020-01-01 --currency EUR,RUB
expect_grep "reported per range" '^rates: backfill: nbkr: EUR 2019-12-31\.\.2019-12-31: HTTP 503 from ' "$T/err"
expect_grep "the other range too" '^rates: backfill: nbkr: EUR 2020-01-01\.\.2020-01-01: HTTP 503' "$T/err"
expect_eq "four tries per range, then RUB" "10" "$(wc -l <"$ALOG")"
expect_eq "RUB stored" "2" "$(sql "SELECT count(*) FROM sample WHERE currency = 'RUB' AND observed_at < strftime('%s', '2020-01-02')")"
expect_grep "summary counts the failures" '2 ranges failed$' "$T/out"
conf bad-2018
expect_code 1 "rows that do not parse in 2018" "$RATES" backfill --since 2017-12-31 --until 2019-01-01 --currency CNY
expect_grep "named" "CNY 2018-01-01\\.\\.2018-12-31: row 1 \\(31\\.12\\.2018\\): value '4O,12'" "$T/err"
expect_eq "2017 and 2019 stored" "2" "$(nrows CNY)"

# The real archive's answer (June 2005, USD), when ../shared has it.
NB_CAPTURES="$SHARED/fixtures/nbkr"
if [ -r "$NB_CAPTURES/archive-usd-2005-06.html" ]; then
	cp "$NB_CAPTURES/archive-usd-2005-06.html" "$WWW/arch-usd.html"
	printf '[source nbkr]\narchive_url = %s/www/arch-usd.html\n' "$BASE" >"$T/real.conf"
	RATES_DB="$T/real.db" expect_code 0 "backfill from the real archive page" "$RATES" -c "$T/real.conf" backfill --since 2005-06-01 --until 2005-06-30 --currency USD
	expect_eq "its rows, at 00:00 Bishkek" "2005-06-03 18:00:00|40.9879
2005-06-10 18:00:00|41.0511
2005-06-17 18:00:00|41.0685
2005-06-24 18:00:00|40.9614" "$(sqlite3 "$T/real.db" "SELECT datetime(observed_at, 'unixepoch') || '|' || rate_text FROM sample ORDER BY observed_at")"
else
	N_SKIP=$((N_SKIP + 1))
	echo "skip - the real archive page (needs the captures in $NB_CAPTURES)"
fi

# No rows for a range of more than a week, or a day twice with two values:
# not the archive's answer (tried again, then reported).
conf empty
expect_code 1 "a table without rows for a year" "$RATES" backfill --since 2015-01-01 --until 2015-12-31 --currency USD
expect_grep "is no answer" 'USD 2015-01-01\.\.2015-12-31: no rows for 365 days' "$T/err"
expect_code 0 "but a few days without rows are (weekly rates, once)" "$RATES" backfill --since 2015-01-01 --until 2015-01-05 --currency USD
conf twice
expect_code 1 "a day twice with two values" "$RATES" backfill --since 2014-01-01 --until 2014-01-05 --currency USD
expect_grep "is no answer either" '05\.01\.2014 twice, as ' "$T/err"
expect_eq "nothing of it stored" "0" "$(sql "SELECT count(*) FROM sample WHERE currency = 'USD' AND observed_at < strftime('%s', '2014-02-01')")"

# Years before the stored history load: the jump check looks no further
# than a year for a neighbour.
conf ok
RATES_DB="$T/gap.db" "$RATES" -q import --source nbkr "$(feed "$T/high.xml" 19.12.2025 USD 1 187,4500 EUR 1 102,4800 CNY 1 12,3456 KZT 1 0,1702 RUB 1 1,1012; echo "$T/high.xml")"
RATES_DB="$T/gap.db" expect_code 0 "rows 20 years before a very different value" "$RATES" backfill --since 2005-06-01 --until 2005-06-30 --currency USD
expect_grep "all stored" '30 rows: 30 added' "$T/out"

# Never the future: --until past tomorrow asks up to tomorrow.
: >"$ALOG"
tomorrow=$(TZ=Asia/Bishkek date -d tomorrow +%Y-%m-%d)
RATES_DB="$T/future.db" expect_code 0 "--until in 2030" "$RATES" backfill --since "$today" --until 2030-01-01 --currency USD
expect_eq "asks up to tomorrow" "end_day=$(echo "$tomorrow" | cut -c9-10)&end_month=$(echo "$tomorrow" | cut -c6-7)&end_year=$(echo "$tomorrow" | cut -c1-4)" \
    "$(tail -1 "$ALOG" | cut -f3 | grep -o 'end_day=.*')"
expect_code 2 "--since after today" "$RATES" backfill --since 2030-01-01
expect_grep "says so" '--since 2030-01-01 is after today' "$T/err"
expect_code 2 "--until before 1999" "$RATES" backfill --until 1998-12-31
expect_grep "says so" 'before 1999-01-01, where the archive starts' "$T/err"

# A transfer cut after its 200 is tried again; a --since before 1999 asks
# from 1999.
printf '[source nbkr]\narchive_url = %s/short\n' "$BASE" >"$T/short.conf"
before=$(grep -c ' /short?' "$T/requests.log")
expect_code 1 "a transfer cut short" "$RATES" -c "$T/short.conf" backfill --since 2013-01-01 --until 2013-01-02 --currency USD
expect_eq "is tried four times" "4" "$(($(grep -c ' /short?' "$T/requests.log") - before))"
conf ok
: >"$ALOG"
RATES_DB="$T/early.db" expect_code 0 "--since 1998-12-30" "$RATES" backfill --since 1998-12-30 --until 1999-01-02 --currency USD
expect_eq "asks from 1999-01-01" "beg_day=01&beg_month=01&beg_year=1999" "$(head -1 "$ALOG" | cut -f3 | grep -o 'beg_day=.*beg_year=[0-9]*')"

# Bad usage.
expect_code 2 "a currency without an archive id" "$RATES" backfill --currency JPY
expect_code 2 "a source without an archive" "$RATES" backfill 24kg
expect_code 2 "--since after --until" "$RATES" backfill --since 2020-02-01 --until 2020-01-01
expect_code 2 "a bad date" "$RATES" backfill --since yesterdayish

# A terminal is shown progress; Ctrl-C keeps what was stored.
conf slow
script -qec "\"$RATES\" backfill --since 2010-01-01 --until 2011-12-31 --currency USD" /dev/null >"$T/tty" 2>&1
expect_grep "progress on a terminal" 'backfill: USD 2011 \[#+ *\] 1/2 ranges, 365 rows' "$T/tty"
RATES_DB="$T/int.db" "$RATES" backfill --since 2012-01-01 --until 2016-12-31 --currency USD >"$T/int.out" 2>&1 &
pid=$!
int_ready() { [ "$(sqlite3 "$T/int.db" 'SELECT count(*) FROM sample' 2>/dev/null || echo 0)" -ge 366 ]; }
wait_for 20 int_ready
kill -INT "$pid"
wait "$pid"
expect_eq "Ctrl-C: exit 130" "130" "$?"
expect_grep "says it was interrupted" 'interrupted$' "$T/int.out"
n=$(RATES_DB="$T/int.db" sql "SELECT count(*) FROM sample")
expect_eq "what was stored is kept, whole years" "yes" "$([ "$n" -ge 366 ] && [ "$((n == 366 || n == 731 || n == 1096))" = 1 ] && echo yes || echo "no: $n")"

# compare: 24kg against nbkr per day.
export RATES_DB="$T/cmp.db"
feed "$T/f1.xml" 18.12.2025 USD 1 87,4500 EUR 1 102,4823 RUB 1 1,0987 CNY 1 12,3000 KZT 1 0,1700
feed "$T/f2.xml" 19.12.2025 USD 1 87,5000 EUR 1 102,6000 RUB 1 1,1100 CNY 1 12,3000 KZT 1 0,1700
"$RATES" -q import --source nbkr "$T/f1.xml" "$T/f2.xml"
page "$T/p1.html" 2025-12-18 09:00 87.40 102.40 1.10
page "$T/p2.html" 2025-12-18 15:00 87.45 102.48 1.10
page "$T/p3.html" 2025-12-19 12:00 87.50 102.70 1.11
"$RATES" -q import "$T/p1.html" "$T/p2.html" "$T/p3.html"
expect_code 1 "compare 24kg nbkr: one day differs: exit 1" "$RATES" compare 24kg nbkr
expect_eq "the day that differs, then a line per currency" "DAY         CURRENCY        24KG        NBKR  DIFFERENCE  DIFFERENCE_PCT  VERDICT
2025-12-19  EUR           102.70    102.6000        -0.1           -0.10  differ
EUR: 2 days, 1 agree, 1 differ (the most 0.10% on 2025-12-19)
RUB: 2 days, 2 agree
USD: 2 days, 2 agree" "$(cat "$T/out")"
expect_code 0 "only the currencies that agree: exit 0" "$RATES" compare 24kg nbkr --currency USD,RUB
expect_code 0 "--all shows every day" "$RATES" compare 24kg nbkr --all --currency USD
expect_eq "the last value of the day against the one in effect" "2025-12-18  USD            87.45     87.4500           0            0.00  agree" \
    "$(grep '^2025-12-18' "$T/out")"
expect_code 1 "--format json" "$RATES" compare nbkr 24kg --format json
expect_eq "is JSON, signed" "+0.1|differ" "$(python3 -c 'import json,sys; r=[x for x in json.load(open(sys.argv[1])) if x["verdict"] != "agree"]; print(r[0]["difference"] + "|" + r[0]["verdict"])' "$T/out" 2>&1)"
expect_grep "the summary on stderr" '^EUR: 2 days, 1 agree, 1 differ' "$T/err"
expect_code 2 "an unknown source" "$RATES" compare 24kg nope
expect_code 2 "the same source twice" "$RATES" compare nbkr nbkr
# The days are the sources' own (Bishkek), whatever TZ is.
TZ=UTC expect_code 1 "compare in another zone" "$RATES" compare 24kg nbkr
expect_grep "the same verdicts" '^EUR: 2 days, 1 agree, 1 differ' "$T/out"
expect_grep "for every currency" '^USD: 2 days, 2 agree$' "$T/out"
TZ=UTC expect_code 1 "--since and --until name the sources' days" "$RATES" compare nbkr 24kg --all --since 2025-12-19 --until 2025-12-19
expect_eq "only 19.12, against 24kg's last of that day" "2025-12-19 EUR 102.6000 102.70
2025-12-19 RUB 1.1100 1.11
2025-12-19 USD 87.5000 87.50" "$(awk 'NR > 1 && /^2/ { print $1, $2, $3, $4 }' "$T/out")"
TZ=America/New_York expect_code 1 "and in New York" "$RATES" compare 24kg nbkr
expect_grep "the same verdicts" '^RUB: 2 days, 2 agree$' "$T/out"
expect_code 1 "nothing to compare" "$RATES" compare 24kg nbkr --since 2030-01-01
expect_grep "says so" 'nothing to compare' "$T/err"

finish
