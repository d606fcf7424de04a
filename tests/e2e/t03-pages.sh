# t03-pages: the built-in source on real pages without configuration: the
# capture (text), HTML with tags, entities and white space between a code
# and its number, with a date, a clock only, or no time; decimal commas;
# Cyrillic around the header.  A page without the header has no rates,
# even with numbers beside currency codes in articles and widgets.
. "$(dirname "$0")/lib.sh"
start_server

expect_code 0 "HTML with tags and entities" "$RATES" fetch 24kg --url "$BASE/data/header.html"
expect_eq "gives the header's rates at the header's time" \
"EUR|2025-12-18 05:26:00|102.48|102480000
RUB|2025-12-18 05:26:00|1.10|1100000
USD|2025-12-18 05:26:00|87.45|87450000" "$(samples)"
expect_eq "not the article's or the widget's numbers" "0" \
    "$(sql "SELECT count(*) FROM sample WHERE rate_text IN ('88.01', '11,22', '9,80')")"

# 24.kg prints a decimal point: a header with commas is another site's,
# which says so in its config (decimal = ,).
export RATES_DB="$T/comma.db"
expect_code 3 "decimal commas are not 24.kg's notation" "$RATES" fetch 24kg --url "$BASE/data/comma.html"
expect_grep "and says so" "a block is not the header: USD 87,4500 is not in the source's notation, decimal '\.'" "$T/err"
expect_eq "nothing is stored" "0" "$(count)"
printf '[source 24kg]\ndecimal = ,\n' >"$T/comma.conf"
expect_code 0 "decimal commas, with decimal = ," "$RATES" -c "$T/comma.conf" fetch 24kg --url "$BASE/data/comma.html"
expect_grep "are printed with a point, as published otherwise" '^24kg +USD +87\.4500 ' "$T/out"
expect_eq "are stored as published and exactly" \
"EUR|2025-12-19 02:00:00|102,48|102480000
RUB|2025-12-19 02:00:00|1,10|1100000
USD|2025-12-19 02:00:00|87,4500|87450000" "$(samples)"

export RATES_DB="$T/ru.db"
expect_code 0 "the Russian edition's header" "$RATES" fetch 24kg --url "$BASE/data/russian.html"
expect_eq "gives its rates and time" \
"EUR|2025-12-20 08:00:00|102.60|102600000
RUB|2025-12-20 08:00:00|1.11|1110000
USD|2025-12-20 08:00:00|87.50|87500000" "$(samples)"

# No time on the page: the fetch time.
export RATES_DB="$T/notime.db"
before=$(date +%s)
expect_code 0 "a header without a time" "$RATES" fetch 24kg --url "$BASE/data/notime.html"
obs=$(sql "SELECT min(observed_at) FROM sample")
fet=$(sql "SELECT min(fetched_at) FROM sample")
expect_eq "is observed at the fetch time" "$fet" "$obs"
expect_eq "which is now" "yes" "$([ "$obs" -ge "$before" ] && [ "$obs" -le $((before + 30)) ] && echo yes || echo no)"

# A clock only: placed on the day nearest to the fetch.  The page's clock is
# set a few minutes before now in Bishkek, so the answer is known.
export RATES_DB="$T/clock.db"
now=$(date +%s)
clock_at=$(( (now - 300) / 60 * 60 ))
clock=$(TZ=Asia/Bishkek date -d "@$clock_at" +%H:%M)
page "$WWW/clock.html" "" "$clock" 87.45 102.48 1.10
expect_code 0 "a clock-only header" "$RATES" fetch 24kg --url "$BASE/www/clock.html"
expect_eq "is placed on today's date (Bishkek)" "$clock_at" "$(sql "SELECT min(observed_at) FROM sample")"

# Pages that are not the header.
for p in widget layout-changed; do
	export RATES_DB="$T/$p.db"
	expect_code 3 "$p.html has no rates (exit 3)" "$RATES" fetch 24kg --url "$BASE/data/$p.html"
	expect_grep "$p.html: says so" "^rates: fetch: 24kg: no rates on the page from $BASE/data/$p.html" "$T/err"
	expect_eq "$p.html: stores nothing" "0" "$(count)"
	expect_eq "$p.html: the attempt is logged as norates" "norates" "$(sql "SELECT outcome FROM fetch_log")"
done
export RATES_DB="$T/binary.db"
expect_code 3 "a body that is not a page has no rates" "$RATES" fetch 24kg --url "$BASE/binary"
expect_eq "and nothing is stored" "0" "$(count)"

# A text page and HTML from files.
export RATES_DB="$T/files.db"
expect_code 0 "import of a text page" "$RATES" import "$FIXTURE"
expect_code 0 "import of the HTML pages" "$RATES" import "$DATA/header.html" "$DATA/russian.html"
expect_code 0 "and of the comma page, with decimal = ," "$RATES" -c "$T/comma.conf" import "$DATA/comma.html"
expect_eq "gives three observations of three currencies" "9|3" \
    "$(sql "SELECT count(*), count(DISTINCT observed_at) FROM sample")"

# The real capture of 24.kg (in ../shared, beside the checkout).
if have_capture "import of the real capture"; then
	export RATES_DB="$T/capture.db"
	expect_code 0 "import of the real capture" "$RATES" import "$CAPTURE"
	expect_eq "gives the header's rates at the header's time" \
"EUR|2025-12-18 05:26:00|102.48|102480000
RUB|2025-12-18 05:26:00|1.10|1100000
USD|2025-12-18 05:26:00|87.45|87450000" "$(samples)"
fi

finish
