# t02-fetch: rates fetch over HTTP from a local server: what is stored,
# what is printed, twice the same page adds nothing, --dry-run stores
# nothing, every attempt is logged, and the request is polite.
. "$(dirname "$0")/lib.sh"
start_server

expect_code 0 "fetch of the capture exits 0" "$RATES" fetch 24kg --url "$BASE/fixture"
expect_file "fetch prints what it stored" "$T/out" \
"24kg       USD  87.45        2025-12-18 11:26 +06:00  added
24kg       EUR  102.48       2025-12-18 11:26 +06:00  added
24kg       RUB  1.10         2025-12-18 11:26 +06:00  added"
expect_eq "the samples are stored exactly, at the page's time in UTC" \
"EUR|2025-12-18 05:26:00|102.48|102480000
RUB|2025-12-18 05:26:00|1.10|1100000
USD|2025-12-18 05:26:00|87.45|87450000" "$(samples)"
now=$(date +%s)
fetched=$(sql "SELECT max(fetched_at) FROM sample")
expect_eq "fetched_at is the time of the fetch" "yes" \
    "$([ $((now - fetched)) -ge 0 ] && [ $((now - fetched)) -le 30 ] && echo yes || echo "no: $fetched vs $now")"
expect_eq "rates are integers and text, never floating point" "0" \
    "$(sql "SELECT count(*) FROM sample WHERE typeof(rate_scaled) <> 'integer' OR typeof(rate_text) <> 'text'")"

expect_code 0 "the same page again exits 0" "$RATES" fetch 24kg --url "$BASE/fixture"
expect_grep "and says the samples were already present" '^24kg +USD +87\.45 .*already present$' "$T/out"
expect_eq "and adds nothing" "3" "$(count)"

expect_eq "every attempt is logged" "2|ok|200" \
    "$(sql "SELECT count(*), min(outcome), min(http_status) FROM fetch_log")"

expect_grep "the request has the program's User-Agent" $'\trates/[0-9.]+\t' "$T/requests.log"
expect_grep "and Accept: */*" $'\t\\*/\\*\t' "$T/requests.log"
expect_grep "and asks for compressed transfers" $'\t[^\t]*gzip' "$T/requests.log"

# --dry-run: prints what would be stored, stores nothing.
export RATES_DB="$T/dry.db"
page "$WWW/p1.html" 2025-12-19 10:00 87.50 102.50 1.11
expect_code 0 "fetch --dry-run exits 0" "$RATES" fetch 24kg --dry-run --url "$BASE/www/p1.html"
expect_grep "and shows what it would add" '^24kg +USD +87\.50 +2025-12-19 10:00 \+06:00 +would add$' "$T/out"
expect_eq "and creates no database" "no" "$([ -e "$RATES_DB" ] && echo yes || echo no)"
export RATES_DB="$T/rates.db"
expect_code 0 "fetch --dry-run with a database" "$RATES" fetch 24kg --dry-run --url "$BASE/www/p1.html"
expect_eq "stores nothing in it" "3" "$(count)"
expect_eq "and logs no attempt" "2" "$(sql "SELECT count(*) FROM fetch_log")"
expect_code 0 "fetch --dry-run of a stored page" "$RATES" fetch 24kg -n --url "$BASE/fixture"
expect_grep "says already present" 'already present$' "$T/out"

# --utc shows times in UTC.
expect_code 0 "fetch --utc" "$RATES" fetch 24kg --utc --url "$BASE/fixture"
expect_grep "shows UTC" '^24kg +USD +87\.45 +2025-12-18 05:26 UTC +already present$' "$T/out"

# A redirect (fewer than 6) is followed.
expect_code 0 "a redirect is followed" "$RATES" fetch 24kg --url "$BASE/redirect/3"

# The default database is created with its folder.
unset RATES_DB
expect_code 0 "fetch into the default database" "$RATES" fetch 24kg --url "$BASE/fixture"
expect_eq "under ~/.local/share/rates" "yes" \
    "$([ -f "$HOME/.local/share/rates/rates.db" ] && echo yes || echo no)"
export XDG_DATA_HOME="$T/xdg"
expect_code 0 "fetch into \$XDG_DATA_HOME" "$RATES" fetch 24kg --url "$BASE/fixture"
expect_eq "under \$XDG_DATA_HOME/rates" "yes" \
    "$([ -f "$T/xdg/rates/rates.db" ] && echo yes || echo no)"
expect_code 0 "-d wins" "$RATES" -d "$T/d/x.db" fetch 24kg --url "$BASE/fixture"
expect_eq "-d makes the folder" "yes" "$([ -f "$T/d/x.db" ] && echo yes || echo no)"

finish
