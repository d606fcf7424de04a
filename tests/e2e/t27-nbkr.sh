# t27-nbkr: the National Bank's feed as the built-in source nbkr, beside
# 24kg: read by ISOCode with a real XML parser, per one unit, at 00:00 of
# the value date; its errors; import of saved feeds; the daemon's
# conditional requests; the reference check of 24kg against it; and the
# real captures when ../shared has them.
. "$(dirname "$0")/lib.sh"
start_server

NB_CAPTURES="$SHARED/fixtures/nbkr"
have_nbkr() {
	[ -r "$NB_CAPTURES/daily-2026-05-22.xml" ] && return 0
	N_SKIP=$((N_SKIP + 1))
	echo "skip - $1 (needs the captures in $NB_CAPTURES)"
	return 1
}
nb() { sql "SELECT currency || '|' || datetime(observed_at, 'unixepoch') || '|' || rate_text || '|' || rate_scaled FROM sample WHERE source = 'nbkr' ORDER BY observed_at, currency"; }

# Built in: nbkr enabled, hourly; nbkr-weekly disabled.
expect_code 0 "sources" "$RATES" sources
awk '/^\[source nbkr\]$/,/^$/' "$T/out" >"$T/nbkr.conf.txt"
expect_grep "nbkr is built in" '^url = https://www\.nbkr\.kg/XML/daily\.xml$' "$T/nbkr.conf.txt"
expect_grep "read as the XML feed" '^type = nbkr-xml$' "$T/nbkr.conf.txt"
expect_grep "polled hourly" '^interval = 3600s$' "$T/nbkr.conf.txt"
expect_no_grep "and enabled" '^enabled = no$' "$T/nbkr.conf.txt"
expect_grep "with its archive" '^archive_ids = USD=15 EUR=20 KZT=40 RUB=44 CNY=24$' "$T/nbkr.conf.txt"
awk '/^\[source nbkr-weekly\]$/,/^$/' "$T/out" >"$T/weekly.conf.txt"
expect_grep "nbkr-weekly is built in, disabled" '^enabled = no$' "$T/weekly.conf.txt"
expect_grep "24kg is checked against nbkr" '^reference = nbkr$' "$T/out"
expect_grep "within 10%" '^max_deviation = 10%$' "$T/out"

# fetch reads both sources.
page "$WWW/p.html" 2025-12-18 11:26 87.45 102.48 1.10
feed "$WWW/daily.xml" 19.12.2025 RUB 1 1,1012 KZT 1 0,1702 USD 1 87,4500 GBP 1 117,4147 EUR 1 102,4800 CNY 1 12,3456
mkdir -p "$HOME/.config/rates"
printf '[source 24kg]\nurl = %s/www/p.html\n[source nbkr]\nurl = %s/www/daily.xml?etag=d1\n' "$BASE" "$BASE" >"$HOME/.config/rates/rates.conf"
expect_code 0 "rates fetch reads 24kg and nbkr" "$RATES" fetch
expect_grep "24kg" '^24kg +USD +87\.45 ' "$T/out"
expect_grep "and nbkr at 00:00 of the value date, Bishkek time" '^nbkr +USD +87\.4500 +2025-12-19 00:00 \+06:00 +added$' "$T/out"
expect_eq "by ISOCode, whatever the order; GBP not asked for" "CNY|2025-12-18 18:00:00|12.3456|12345600
EUR|2025-12-18 18:00:00|102.4800|102480000
KZT|2025-12-18 18:00:00|0.1702|170200
RUB|2025-12-18 18:00:00|1.1012|1101200
USD|2025-12-18 18:00:00|87.4500|87450000" "$(nb)"

# The daemon polls it with conditional requests: the second poll is a 304.
expect_code 0 "daemon --once nbkr" "$RATES" daemon nbkr --once
expect_code 0 "and again" "$RATES" daemon nbkr --once
expect_eq "the second request is conditional" 'd1' \
    "$(grep 'daily.xml' "$T/requests.log" | tail -1 | cut -f5 | tr -d '"')"
expect_code 0 "status nbkr" "$RATES" status nbkr
expect_grep "the 304 is a success" 'last attempt .*: unchanged, HTTP 304' "$T/out"

# A per-unit rate, exact: JPY 5,4969 for 10 is 0.54969.
feed "$WWW/weekly.xml" 19.12.2025 JPY 10 5,4969 GBP 1 117,4147 BYR 100 0,3402 AMD 10 2,3773
printf '[source w]\ntype = nbkr-xml\nurl = %s/www/weekly.xml\ncurrencies = GBP JPY AMD BYR\ndate_format = %%d.%%m.%%Y\nutc_offset = +06:00\n' "$BASE" >"$T/w.conf"
expect_code 0 "a feed with Nominal 10 and 100" "$RATES" -c "$T/w.conf" fetch w
expect_eq "stored per one unit, exactly" "AMD|0.23773|237730
BYR|0.003402|3402
GBP|117.4147|117414700
JPY|0.54969|549690" "$(sql "SELECT currency, rate_text, rate_scaled FROM sample WHERE source = 'w' ORDER BY currency")"
feed "$WWW/w3.xml" 19.12.2025 GBP 1 117,4147 JPY 7 5,4969 AMD 10 2,3773 BYR 100 0,3402
printf '[source w]\nurl = %s/www/w3.xml\n' "$BASE" >>"$T/w.conf"
RATES_DB="$T/w3.db" expect_code 3 "a Value that is not exact per unit: exit 3" "$RATES" -c "$T/w.conf" fetch w
expect_grep "said so" 'JPY: 5,4969 for 7 units is not exact' "$T/err"

# Errors: loud, nothing stored for them, exit 3; a document that is not
# the feed: exit 1.
printf '[source nbkr]\nurl = %s/www/bad.xml\n' "$BASE" >"$T/bad.conf"
before=$(count)
feed "$WWW/bad.xml" 20.12.2025 USD 1 0,0000 EUR 1 "" 'U$D' 1 3,3000 CNY 1 12,3456 KZT 1 0,1702 RUB 1 1,1012
expect_code 3 "a zero, an empty value, a bad code: exit 3" "$RATES" -c "$T/bad.conf" fetch nbkr
expect_grep "the zero" 'nbkr: USD: rate 0\.0000 is not above zero' "$T/err"
expect_grep "the empty value" 'nbkr: EUR: <Value> is empty' "$T/err"
expect_grep "the bad code" "nbkr: line [0-9]+: ISOCode 'U\\\$D' is not a currency code" "$T/err"
expect_eq "the others are stored" "$((before + 3))" "$(count)"
expect_eq "not the zero" "0" "$(sql "SELECT count(*) FROM sample WHERE source = 'nbkr' AND observed_at = strftime('%s', '2025-12-19 18:00:00') AND currency IN ('USD', 'EUR')")"

before=$(count)
printf '<!DOCTYPE html>\n<html><head><title>Error</title></head><body><h1>503 Service Unavailable</h1><p>USD 87,45</p></body></html>\n' >"$WWW/bad.xml"
expect_code 1 "an HTML error page: exit 1" "$RATES" -c "$T/bad.conf" fetch nbkr
expect_grep "named" 'an HTML page, not the XML feed' "$T/err"
feed "$WWW/full.xml" 21.12.2025 USD 1 87,6000 EUR 1 102,5000 CNY 1 12,3000 KZT 1 0,1701 RUB 1 1,1000
head -c 200 "$WWW/full.xml" >"$WWW/bad.xml"
expect_code 1 "a truncated document: exit 1" "$RATES" -c "$T/bad.conf" fetch nbkr
expect_grep "named" 'truncated' "$T/err"
expect_eq "nothing of it stored, not even the rates before the cut" "$before" "$(count)"
printf '<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n<CurrencyRates Date="21.12.2025"><Currency ISOCode="USD"><Nominal>1</Nominal><Value>&b;</Value></Currency></CurrencyRates>\n' >"$WWW/bad.xml"
expect_code 1 "a DOCTYPE with entities: exit 1" "$RATES" -c "$T/bad.conf" fetch nbkr
printf '<?xml version="1.0" encoding="windows-1251"?>\n<CurrencyRates Name="\xc5\xe6\xe5\xe4\xed\xe5\xe2\xed\xfb\xe5" Date="21.12.2025"><Currency ISOCode="USD"><Nominal>1</Nominal><Value>87,6000</Value></Currency></CurrencyRates>\n' >"$WWW/bad.xml"
expect_code 3 "windows-1251 text is read (the other four are missing: exit 3)" "$RATES" -c "$T/bad.conf" fetch nbkr
expect_grep "USD stored" '^nbkr +USD +87\.6000 ' "$T/out"
expect_grep "the others named" 'nbkr: KZT: not in the feed' "$T/err"

# An element inside a number would hide a part of it: an error.
feed "$WWW/bad.xml" 22.12.2025 USD 1 '87,<b>4</b>500' EUR 1 102,5000 CNY 1 12,3000 KZT 1 0,1701 RUB 1 1,1000
expect_code 3 "an element inside <Value>: exit 3" "$RATES" -c "$T/bad.conf" fetch nbkr
expect_grep "named" 'nbkr: USD: <Value> has an element <b> inside' "$T/err"
expect_no_grep "USD not stored" '^nbkr +USD' "$T/out"

# import --source nbkr reads saved feeds, twice adds nothing.
feed "$T/saved.xml" 10.12.2025 USD 1 87,3000 EUR 1 102,1000 CNY 1 12,2000 KZT 1 0,1690 RUB 1 1,0900
expect_code 0 "import --source nbkr" "$RATES" import --source nbkr "$T/saved.xml"
expect_grep "5 added" '^1 file: 5 samples added' "$T/out"
expect_code 0 "the same file again" "$RATES" import --source nbkr "$T/saved.xml"
expect_grep "already present" '^1 file: 0 samples added, 5 already present' "$T/out"
expect_code 0 "check --source nbkr" "$RATES" check --source nbkr "$T/saved.xml"
expect_grep "shows the value date" '^time 2025-12-10 00:00 \+06:00: the value date 10\.12\.2025$' "$T/out"

# The reference check: 24kg against the nbkr rate in effect.
page "$WWW/widget.html" 2025-12-19 10:00 11.22 102.50 1.10
expect_code 3 "a ticker value far from the official rate: exit 3" "$RATES" fetch 24kg --url "$BASE/www/widget.html"
expect_grep "names both values" "24kg: USD: 11\\.22 differs from nbkr's 87\\.4500 \\(of 2025-12-19 00:00 \\+06:00\\) by -87\\.17%, more than max_deviation 10%" "$T/err"
expect_eq "not stored" "0" "$(sql "SELECT count(*) FROM sample WHERE source = '24kg' AND rate_text = '11.22'")"
expect_eq "the others are" "2" "$(sql "SELECT count(*) FROM sample WHERE source = '24kg' AND observed_at = strftime('%s', '2025-12-19 04:00:00')")"
expect_code 3 "check says so too" "$RATES" check "$BASE/www/widget.html"
expect_grep "rejected" "^USD  rejected: 11\\.22 differs from nbkr's 87\\.4500" "$T/out"
expect_code 0 "status 24kg" "$RATES" status 24kg
expect_grep "shows when the two disagreed" "^  disagreed     [0-9-]+ [0-9:]+ \\+06:00 with nbkr: USD 11\\.22 differs" "$T/out"
printf '[source 24kg]\nmax_deviation = 1000%%\nmax_jump = 1000%%\n' >"$T/dev.conf"
expect_code 0 "a larger max_deviation (and max_jump) lets it through" "$RATES" -c "$T/dev.conf" fetch 24kg --url "$BASE/www/widget.html"
# In a database with only the official rate of 10.12.2025:
export RATES_DB="$T/ref.db"
expect_code 0 "the official rates of 10.12" "$RATES" import --source nbkr "$T/saved.xml"
page "$WWW/close.html" 2025-12-11 10:00 87.31 102.10 1.09
expect_code 0 "a value close to the official one is stored" "$RATES" fetch 24kg --url "$BASE/www/close.html"
page "$WWW/soon.html" 2025-12-12 10:00 11.22 102.50 1.10
expect_code 3 "two days after it, a far one is rejected" "$RATES" fetch 24kg --url "$BASE/www/soon.html"
expect_grep "against 10.12" "USD: 11\\.22 differs from nbkr's 87\\.3000 \\(of 2025-12-10 00:00 \\+06:00\\)" "$T/err"
export RATES_DB="$T/ref2.db"
expect_code 0 "the official rates of 10.12 alone" "$RATES" import --source nbkr "$T/saved.xml"
page "$WWW/late.html" 2025-12-14 10:00 11.22 102.50 1.10
expect_code 0 "a reference value more than 3 days old is none" "$RATES" fetch 24kg --url "$BASE/www/late.html"
export RATES_DB="$T/rates.db"

# The first fetch into a fresh database: nbkr is polled before 24kg, so
# the ticker is checked against today's official rate at once.
export RATES_DB="$T/fresh.db"
today_d=$(TZ=Asia/Bishkek date +%d.%m.%Y)
feed "$WWW/today.xml" "$today_d" USD 1 87,4500 EUR 1 102,4800 CNY 1 12,3456 KZT 1 0,1702 RUB 1 1,1012
page "$WWW/today.html" "$(TZ=Asia/Bishkek date +%Y-%m-%d)" 23:59 11.22 102.50 1.10
printf '[source 24kg]\nurl = %s/www/today.html\n[source nbkr]\nurl = %s/www/today.xml\n' "$BASE" "$BASE" >"$T/fresh.conf"
expect_code 3 "rates fetch on an empty database: the widget's USD is rejected" "$RATES" -c "$T/fresh.conf" fetch
expect_grep "against the official rate" "24kg: USD: 11\\.22 differs from nbkr's 87\\.4500" "$T/err"
expect_grep "nbkr first" '^nbkr ' "$(head -1 "$T/out" >"$T/first"; echo "$T/first")"
# The jump check outside an archive has no time limit: a year is no gap.
page "$T/y1.html" 2024-01-01 10:00 87.45 102.48 1.10
page "$T/y2.html" 2025-02-01 10:00 11.22 102.48 1.10
RATES_DB="$T/years.db" expect_code 3 "a jump after more than a year is still one" "$RATES" import "$T/y1.html" "$T/y2.html"
expect_grep "named" 'USD: jump from 87\.45 to 11\.22' "$T/err"
export RATES_DB="$T/rates.db"

# The real captures.
if have_nbkr "the real daily and weekly feeds"; then
	export RATES_DB="$T/capture.db"
	expect_code 0 "import the real daily.xml" "$RATES" import --source nbkr "$NB_CAPTURES/daily-2026-05-22.xml"
	expect_eq "five rates at 00:00 of 23.05.2026, Bishkek" "CNY|2026-05-22 18:00:00|12.8707|12870700
EUR|2026-05-22 18:00:00|101.5076|101507600
KZT|2026-05-22 18:00:00|0.1859|185900
RUB|2026-05-22 18:00:00|1.2263|1226300
USD|2026-05-22 18:00:00|87.4500|87450000" "$(nb)"
	expect_code 0 "import the real weekly.xml" "$RATES" import --source nbkr-weekly "$NB_CAPTURES/weekly-2026-05-22.xml"
	expect_eq "JPY per one yen" "0.54969" "$(sql "SELECT rate_text FROM sample WHERE source = 'nbkr-weekly' AND currency = 'JPY'")"
	expect_eq "all forty" "40" "$(sql "SELECT count(*) FROM sample WHERE source = 'nbkr-weekly'")"
	export RATES_DB="$T/rates.db"
fi

finish
