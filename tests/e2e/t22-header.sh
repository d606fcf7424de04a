# t22-header: nothing recorded wrong, nothing dropped in silence.  One
# header block: a currency missing or unreadable in it is that currency's
# error (exit 3) and the others are stored, never values from a later block;
# the time is the header's own, never a date from further down; a value
# that differs from the one stored at the same time is a revision, kept
# and said; check predicts import; the times a user writes mean what they
# say.
. "$(dirname "$0")/lib.sh"
start_server

# hpage FILE HEADER-TIME USD EUR RUB [TAIL]: a page whose header has the
# given texts (an empty time: none; "-" for a currency: left out), then an
# archive table with other rates and a dated line.
hpage() {
	f=$1 when=$2
	{
		printf '<html><body><header>\n'
		[ -n "$when" ] && printf '<div class="when">date %s</div>\n' "$when"
		printf '<ul class="rates">'
		[ "$3" != - ] && printf '<li><span>USD</span>&nbsp;<b>%s</b></li>' "$3"
		[ "$4" != - ] && printf '<li><span>EUR</span>&nbsp;<b>%s</b></li>' "$4"
		[ "$5" != - ] && printf '<li><span>RUB</span>&nbsp;<b>%s</b></li>' "$5"
		printf '</ul></header>\n<main><h2>Archive</h2><p>Rates of 2024-01-05 10:00</p>\n'
		printf '<table><tr><td>USD 80.00</td><td>EUR 90.00</td><td>RUB 1.00</td></tr></table>\n'
		printf '%s</main></body></html>\n' "${6:-}"
	} >"$f"
}

# --- one header block --------------------------------------------------------
export RATES_DB="$T/na.db"
hpage "$WWW/na.html" "2025-12-18 11:26" 87.45 n/a 1.10
expect_code 3 "EUR n/a in the header: exit 3" "$RATES" fetch 24kg --url "$BASE/www/na.html"
expect_eq "USD and RUB of the header are stored, nothing of the archive" \
"RUB|2025-12-18 05:26:00|1.10|1100000
USD|2025-12-18 05:26:00|87.45|87450000" "$(samples)"
expect_grep "EUR is that currency's error, named" "^rates: fetch: 24kg: EUR: the header shows 'n/a', not a number$" "$T/err"
expect_grep "the others are printed as added" "^24kg +USD +87\\.45 .* added$" "$T/out"
expect_eq "the attempt is logged as partial" "partial" "$(sql "SELECT outcome FROM fetch_log ORDER BY id DESC LIMIT 1")"

export RATES_DB="$T/noeur.db"
hpage "$WWW/noeur.html" "2025-12-18 11:26" 87.45 - 1.10
expect_code 3 "EUR left out of the header: exit 3" "$RATES" fetch 24kg --url "$BASE/www/noeur.html"
expect_grep "EUR: not in the header" "^rates: fetch: 24kg: EUR: not in the header$" "$T/err"
expect_eq "USD and RUB stored, not the archive's EUR" "RUB|1.10
USD|87.45" "$(sql "SELECT currency, rate_text FROM sample ORDER BY currency")"

export RATES_DB="$T/dash.db"
hpage "$WWW/dash.html" "2025-12-18 11:26" "&mdash;" 102.48 ""
expect_code 3 "a dash entity and an empty cell" "$RATES" fetch 24kg --url "$BASE/www/dash.html"
expect_eq "give only EUR" "EUR|102.48" "$(sql "SELECT currency, rate_text FROM sample")"

export RATES_DB="$T/comma.db"
hpage "$WWW/comma.html" "2025-12-18 11:26" 87.45 "102,48" 1.10
expect_code 3 "one number in another notation in the header" "$RATES" fetch 24kg --url "$BASE/www/comma.html"
expect_grep "is that currency's error" "^rates: fetch: 24kg: EUR: '102,48' is not in the source's notation, decimal '\.'$" "$T/err"
expect_eq "the others are stored, no later block's" "RUB|1.10
USD|87.45" "$(sql "SELECT currency, rate_text FROM sample ORDER BY currency")"
# All in another notation: a widget, not the header.
export RATES_DB="$T/widget.db"
printf '<p>Shares: USD 11,22 EUR 9,80</p><p>2025-12-18 11:26</p>USD 87.45 EUR 102.48 RUB 1.10\n' >"$WWW/widget-first.html"
expect_code 0 "a widget above the header" "$RATES" fetch 24kg --url "$BASE/www/widget-first.html"
expect_eq "is passed over for the header" "EUR|102.48
RUB|1.10
USD|87.45" "$(sql "SELECT currency, rate_text FROM sample ORDER BY currency")"

# --- the time belongs to the block -------------------------------------------
export RATES_DB="$T/notime.db"
hpage "$WWW/notime.html" "" 87.45 102.48 1.10
before=$(date +%s)
expect_code 0 "a header without a time" "$RATES" fetch 24kg --url "$BASE/www/notime.html"
obs=$(sql "SELECT min(observed_at) FROM sample")
expect_eq "takes the fetch time, not the archive's date below" "yes" \
    "$([ "$obs" -ge "$before" ] && [ "$obs" -le $((before + 30)) ] && echo yes || echo no)"
expect_code 3 "import of it without --at" "$RATES" import "$WWW/notime.html"
expect_grep "says the page has no time" "the page shows no time; give --at WHEN" "$T/err"
expect_code 0 "import --at" "$RATES" import --at "2025-12-10 09:00" "$WWW/notime.html"
expect_eq "observed at --at" "3" "$(sql "SELECT count(*) FROM sample WHERE datetime(observed_at, 'unixepoch') = '2025-12-10 03:00:00'")"

export RATES_DB="$T/secs.db"
hpage "$WWW/secs.html" "2025-12-18, 11:26:45" 87.45 102.48 1.10
expect_code 0 "a date with a comma and a clock with seconds" "$RATES" fetch 24kg --url "$BASE/www/secs.html"
expect_eq "keep the date and the seconds" "2025-12-18 05:26:45" "$(sql "SELECT DISTINCT datetime(observed_at, 'unixepoch') FROM sample")"
expect_grep "which are shown" "2025-12-18 11:26:45 \\+06:00 +added" "$T/out"

export RATES_DB="$T/nbsp.db"
printf '<p>2025-12-18 11:26</p>USD&#XA0;87.45 EUR&#xA0;102.48 RUB\xe2\x80\xaf1.10\n' >"$WWW/nbsp.html"
expect_code 0 "&#XA0;, &#xA0; and U+202F between code and number" "$RATES" fetch 24kg --url "$BASE/www/nbsp.html"
expect_eq "are read" "3" "$(count)"

# --- revisions ------------------------------------------------------------------
export RATES_DB="$T/rev.db"
hpage "$WWW/rev.html" "2025-12-18 11:26" 87.45 102.48 1.10
expect_code 0 "a first read" "$RATES" fetch 24kg --url "$BASE/www/rev.html"
first=$(sql "SELECT fetched_at FROM sample WHERE currency = 'USD'")
sleep 1.1
expect_code 0 "the same page again" "$RATES" fetch 24kg --url "$BASE/www/rev.html"
expect_eq "is already present, three times" "3" "$(grep -c 'already present$' "$T/out")"
hpage "$WWW/rev.html" "2025-12-18 11:26" 87.50 102.48 1.10
expect_code 0 "another USD at the same page time" "$RATES" fetch 24kg --url "$BASE/www/rev.html"
expect_grep "is said to be a revision" "^24kg +USD +87\\.50 +2025-12-18 11:26 \\+06:00 +revised \\(was 87\\.45\\)$" "$T/out"
expect_grep "the others are already present" "^24kg +EUR .*already present$" "$T/out"
expect_eq "the sample takes the new value" "USD|2025-12-18 05:26:00|87.50|87500000" "$(samples | grep USD)"
expect_eq "the old one is kept with its own fetch time" "87.45|87450000|$first|87.50" \
    "$(sql "SELECT old_text, old_scaled, old_fetched_at, new_text FROM revision")"
expect_code 0 "rates revisions" "$RATES" revisions
expect_grep "lists it" "^2025-12-18 11:26 \\+06:00 +24kg +USD +87\\.45 .* 87\\.50 " "$T/out"
expect_code 0 "rates revisions --format csv" "$RATES" revisions --format csv
expect_eq "as CSV" "time,source,currency,old,old_fetched_at,new,revised_at" "$(head -1 "$T/out" | tr -d '\r')"
expect_grep "with the row" '^2025-12-18T11:26:00\+06:00,24kg,USD,87\.45,.*,87\.50,' "$T/out"
expect_code 0 "rates revisions --format json" "$RATES" revisions --format json
expect_grep "as JSON, rates as strings" '"old": *"87\.45"' "$T/out"
expect_code 0 "rates revisions --currency EUR" "$RATES" revisions --currency EUR
expect_eq "selects none" "" "$(cat "$T/out")"
expect_grep "and says so" "no revisions" "$T/err"
expect_code 2 "rates revisions --format xml" "$RATES" revisions --format xml

# A revision that jumps is rejected like any jump: the stored value stays.
hpage "$WWW/rev.html" "2025-12-18 11:26" 187.50 102.48 1.10
expect_code 3 "a revision past max_jump" "$RATES" fetch 24kg --url "$BASE/www/rev.html"
expect_grep "is rejected, saying the stored value is kept" "USD: jump from 87\\.50 to 187\\.50 .*the stored value is kept" "$T/err"
expect_eq "which it is" "87.50" "$(sql "SELECT rate_text FROM sample WHERE currency = 'USD'")"

# import says it too, and counts it.
hpage "$T/rev2.html" "2025-12-18 11:26" 87.55 102.48 1.10
expect_code 0 "import of a revised page" "$RATES" import "$T/rev2.html"
expect_grep "says revised" "^24kg +USD +87\\.55 .* revised \\(was 87\\.50\\)$" "$T/out"
expect_grep "and counts it" "^1 file: 0 samples added, 2 already present, 1 revised, 0 files failed$" "$T/out"
expect_code 0 "import -q still says it" "$RATES" -q import "$T/rev2.html"
hpage "$T/rev3.html" "2025-12-18 11:26" 87.60 102.48 1.10
expect_code 0 "import -q of another revision" "$RATES" -q import "$T/rev3.html"
expect_grep "says it even when quiet" "revised \\(was 87\\.55\\)" "$T/out"
expect_eq "three revisions in all" "3" "$(sql "SELECT count(*) FROM revision")"

# The daemon logs it.
hpage "$WWW/rev.html" "2025-12-18 11:26" 87.65 102.48 1.10
expect_code 0 "daemon --once on a revised page" "$RATES" daemon 24kg --once --url "$BASE/www/rev.html"
expect_grep "logs the revision" "24kg: USD at 2025-12-18 11:26 \\+06:00: 87\\.65 revised \\(was 87\\.60\\)" "$T/err"
expect_grep "and counts it" "1 revised" "$T/err"

# --- check predicts import ------------------------------------------------------
export RATES_DB="$T/predict.db"
hpage "$T/p1.html" "2025-12-17 11:00" 87.40 102.40 1.09
"$RATES" -q import "$T/p1.html" >/dev/null 2>&1
hpage "$T/same.html" "2025-12-17 11:00" 87.40 102.40 1.09
hpage "$T/rev.html" "2025-12-17 11:00" 87.42 102.40 1.09
hpage "$T/jump.html" "2025-12-18 11:00" 187.40 102.40 1.09
hpage "$T/new.html" "2025-12-18 11:00" 87.44 102.41 1.10
hpage "$T/na.html" "2025-12-18 12:00" 87.44 n/a 1.10
hpage "$T/clock.html" "12:00" 87.44 102.41 1.10
for p in same rev jump new na clock; do
	run "$RATES" check "$T/$p.html"
	check_code=$CODE
	cp "$T/check.out" "$T/check.prev" 2>/dev/null
	cp "$T/out" "$T/check.out"
	cp "$RATES_DB" "$T/copy.db"
	run "$RATES" -d "$T/copy.db" import "$T/$p.html"
	expect_eq "check $p.html exits as import does ($CODE)" "$CODE" "$check_code"
done
expect_code 0 "check of a stored page" "$RATES" check "$T/same.html"
expect_eq "says already present" "3" "$(grep -c 'already present$' "$T/out")"
expect_code 0 "check of a revised page" "$RATES" check "$T/rev.html"
expect_grep "says would revise" "^USD  87\\.42 +would revise \\(was 87\\.40\\)$" "$T/out"
expect_code 3 "check of a page that jumps" "$RATES" check "$T/jump.html"
expect_grep "rejects it against the database" "^USD  rejected: jump from 87\\.40 to 187\\.40" "$T/out"
expect_code 0 "check -d of another database" "$RATES" -d "$T/none.db" check "$T/jump.html"
expect_eq "with none there, nothing to jump from" "" "$(grep rejected "$T/out")"
expect_eq "and none is made" "no" "$([ -e "$T/none.db" ] && echo yes || echo no)"
expect_eq "check stored nothing" "3" "$(count)"

# --- times the user writes ------------------------------------------------------
export RATES_DB="$T/times.db"
for h in 00:00 12:00 12:00:30 23:00; do
	"$RATES" -q import --at "2025-12-18 $h" "$WWW/notime.html" >/dev/null 2>&1
done
"$RATES" -q import --at "2025-12-19 00:30" "$WWW/notime.html" >/dev/null 2>&1
n() { "$RATES" history --all --long --currency USD "$@" 2>/dev/null | grep -c USD; }
expect_eq "--until 2025-12-18 is to the end of the local day" "4" "$(n --until 2025-12-18)"
expect_eq "--until 2025-12-18+06:00 likewise" "4" "$(n --until 2025-12-18+06:00)"
expect_eq "--until 2025-12-18Z is to the end of the UTC day (06:00 here)" "5" "$(n --until 2025-12-18Z)"
expect_eq "--until 2025-12-17Z ends at 06:00 of the 18th here" "1" "$(n --until 2025-12-17Z)"
expect_eq "--since in the form rates prints" "2" "$(n --since '2025-12-18 23:00 +06:00')"
expect_eq "--since in ISO 8601" "2" "$(n --since '2025-12-18T23:00:00+06:00')"
expect_eq "--since in UTC as rates prints it" "2" "$(n --since '2025-12-18 17:00 UTC')"
expect_eq "--until a minute is to its end" "3" "$(n --until '2025-12-18 12:00')"
expect_eq "--until a second is to its end" "2" "$(n --until '2025-12-18 12:00:29')"
expect_eq "--since 1y" "5" "$(n --since 1y)"

export RATES_DB="$T/at.db"
hpage "$WWW/clock.html" "02:00" 87.45 102.48 1.10
TZ=UTC run "$RATES" import --at 2025-12-18T02:00+06:00 "$WWW/clock.html"
expect_eq "import --at with a zone puts a clock on the day written, whatever TZ" \
    "2025-12-17 20:00:00" "$(sql "SELECT DISTINCT datetime(observed_at, 'unixepoch') FROM sample")"
TZ=America/New_York run "$RATES" -v import --at 2025-01-01 "$WWW/secs.html"
expect_grep "-v says when --at is not used" "secs.html: --at is not used: the page shows its date \\(2025-12-18\\)" "$T/err"

finish
