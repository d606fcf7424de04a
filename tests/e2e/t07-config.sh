# t07-config: sources in config files ($XDG_CONFIG_HOME or ~/.config, then
# -c; later wins): override the built-in source, add another site without
# recompiling; bad patterns and bad lines are reported with file and line.
. "$(dirname "$0")/lib.sh"
start_server

expect_code 0 "sources lists the built-in source" "$RATES" sources
expect_grep "24kg" '^\[source 24kg\]$' "$T/out"
expect_grep "with its url" '^url = https://24\.kg/english/$' "$T/out"
expect_grep "and its origin" '^# from built-in:1$' "$T/out"

# Override the built-in source's url in ~/.config/rates/rates.conf.
mkdir -p "$HOME/.config/rates"
feed "$WWW/daily.xml" 19.12.2025 USD 1 87,4500 EUR 1 102,4800 CNY 1 12,3456 KZT 1 0,1700 RUB 1 1,1000
printf '# my settings\n[source 24kg]\nurl = %s/fixture\n[source nbkr]\nurl = %s/www/daily.xml\n' "$BASE" "$BASE" >"$HOME/.config/rates/rates.conf"
expect_code 0 "fetch uses the urls from ~/.config/rates/rates.conf" "$RATES" fetch
expect_grep "and reads nbkr beside 24kg" '^nbkr +KZT +0\.1700 ' "$T/out"
expect_eq "and stores the rates of both" "8" "$(count)"
expect_code 0 "sources shows the override" "$RATES" sources
expect_grep "the new url" "^url = $BASE/fixture$" "$T/out"
expect_grep "from the file and line" "^# from $HOME/.config/rates/rates.conf:2$" "$T/out"
expect_grep "keeping the built-in patterns" '^pattern = ' "$T/out"
expect_grep "and the site's notation" '^decimal = \.$' "$T/out"

# $XDG_CONFIG_HOME takes the place of ~/.config.
mkdir -p "$T/xdg/rates"
printf '[source 24kg]\nurl = %s/status/503\n' "$BASE" >"$T/xdg/rates/rates.conf"
XDG_CONFIG_HOME="$T/xdg" run "$RATES" fetch
expect_eq "\$XDG_CONFIG_HOME/rates/rates.conf is read instead" "1" "$CODE"

# Another site, with a decimal comma, one pattern with named groups, a
# different date format and offset, added with -c (which wins).
cat >"$WWW/other.html" <<'HTML'
<html><body><p>Updated 19.12.2025 at 10:30</p>
<table><tr><td>USD</td><td>87,61</td></tr><tr><td>EUR</td><td>102,90</td></tr></table>
</body></html>
HTML
cat >"$T/other.conf" <<CONF
; another site
[source "other"]
url = $BASE/www/other.html
currencies = USD, EUR
pattern = <td>(?<code>[A-Z]{3})</td><td>(?<rate>[0-9]+,[0-9]+)</td>
time_pattern = Updated (?<date>[0-9.]+) at (?<time>[0-9:]+)
date_format = %d.%m.%Y
utc_offset = +05:00
max_jump = 10%
CONF
expect_code 0 "a source from -c" "$RATES" -c "$T/other.conf" fetch other
expect_file "fetches the other site" "$T/out" \
"other      USD  87.61        2025-12-19 11:30 +06:00  added
other      EUR  102.90       2025-12-19 11:30 +06:00  added"
expect_eq "stored with its own name and time" "EUR|2025-12-19 05:30:00|102,90|102900000
USD|2025-12-19 05:30:00|87,61|87610000" \
    "$(sql "SELECT currency, datetime(observed_at, 'unixepoch'), rate_text, rate_scaled FROM sample WHERE source = 'other' ORDER BY currency")"
expect_code 0 "fetch without names polls every enabled source" "$RATES" -c "$T/other.conf" fetch
expect_grep "the other one" '^other ' "$T/out"
expect_grep "and 24kg" '^24kg ' "$T/out"
printf '[source 24kg]\nenabled = no\n' >>"$T/other.conf"
expect_code 0 "a disabled source is skipped" "$RATES" -c "$T/other.conf" fetch
expect_no_grep "24kg is not fetched" '^24kg ' "$T/out"
expect_code 0 "but still listed" "$RATES" -c "$T/other.conf" sources
expect_grep "as disabled" '^enabled = no$' "$T/out"

# Errors, with file and line.
bad() {
	printf '%b' "$2" >"$T/bad.conf"
	expect_code 1 "$1: exit 1" "$RATES" -c "$T/bad.conf" sources
	expect_eq "$1: the message" "$3" "$(cat "$T/err")"
}
bad "a bad pattern" '[source x]\nurl = http://127.0.0.1/\ncurrencies = USD\npattern.USD = USD (\\d+\n' \
    "rates: sources: config: $T/bad.conf:4: pattern.USD: at offset 8: missing closing parenthesis"
bad "a pattern without its groups" '[source x]\npattern = USD ([0-9.]+)\n' \
    "rates: sources: config: $T/bad.conf:2: pattern: needs the named groups (?<code>...) and (?<rate>...)"
bad "an unknown key" '[source x]\ncolour = blue\n' \
    "rates: sources: config: $T/bad.conf:2: unknown key 'colour'"
bad "a line without =" '[source x]\nurl http://x/\n' \
    "rates: sources: config: $T/bad.conf:2: expected 'key = value'"
bad "a key outside a section" 'url = http://x/\n' \
    "rates: sources: config: $T/bad.conf:1: 'url' outside a [source NAME] section"
bad "a bad section" '[sauce x]\n' \
    "rates: sources: config: $T/bad.conf:1: unknown section '[sauce x]' (expected [source NAME] or [alert NAME])"
bad "a bad source name" '[source X!]\n' \
    "rates: sources: config: $T/bad.conf:1: bad source name 'X!' (expected [a-z0-9_-]+)"
bad "a bad currency" '[source x]\ncurrencies = USD dollars\n' \
    "rates: sources: config: $T/bad.conf:2: 'dollars' is not a currency code (three capital letters)"
bad "another scheme" '[source x]\nurl = ftp://127.0.0.1/\n' \
    "rates: sources: config: $T/bad.conf:2: url 'ftp://127.0.0.1/': only http:// and https:// URLs"
bad "a bad offset" '[source x]\nutc_offset = six\n' \
    "rates: sources: config: $T/bad.conf:2: utc_offset: bad UTC offset 'six' (expected like +06:00)"
bad "a bad interval" '[source x]\ninterval = soon\n' \
    "rates: sources: config: $T/bad.conf:2: interval: bad duration 'soon' (expected like 30s, 10m, 1h)"
bad "a timeout over the limit" '[source x]\ntimeout = 5m\n' \
    "rates: sources: config: $T/bad.conf:2: timeout is at most 60s"
bad "a bad max_jump" '[source x]\nmax_jump = lots\n' \
    "rates: sources: config: $T/bad.conf:2: max_jump: 'lots' is not a number"
bad "a source without a pattern" '[source x]\nurl = http://127.0.0.1/\ncurrencies = USD EUR\npattern.USD = USD ([0-9.]+)\n' \
    "rates: sources: config: $T/bad.conf:1: source 'x' has no pattern for EUR"
expect_code 1 "a missing -c file" "$RATES" -c "$T/none.conf" sources
expect_eq "is an error" "rates: sources: config: $T/none.conf: No such file or directory" "$(cat "$T/err")"
before=$(count)
expect_code 1 "a bad config stops fetch too" "$RATES" -c "$T/bad.conf" fetch
expect_eq "before anything is fetched" "$before" "$(count)"

# Every command, also those that only read the database, refuses a -c
# file that is missing or broken.
for cmd in latest history export stats chart status revisions; do
	expect_code 1 "a missing -c file stops $cmd" "$RATES" -c "$T/none.conf" $cmd
	expect_eq "$cmd says why" "rates: $cmd: config: $T/none.conf: No such file or directory" "$(cat "$T/err")"
	expect_code 1 "a broken -c file stops $cmd" "$RATES" -c "$T/bad.conf" $cmd
done

finish
