# t11-export: the rows of history as RFC 4180 CSV (CRLF, a header row,
# ISO 8601 times with their offset), to stdout or to a file written
# atomically; --delimiter, --decimal-comma and --bom for spreadsheets in a
# Russian or European locale; no cell can start a formula; JSON.
. "$(dirname "$0")/lib.sh"

page "$T/1.html" 2025-12-01 09:00 87.10 101.00 1.05
page "$T/2.html" 2025-12-02 09:00 87.30 101.00 1.05
"$RATES" -q import "$T"/[12].html

crlf() { printf '%s\r\n' "$@"; }

expect_code 0 "export" "$RATES" export
crlf "time,EUR,RUB,USD" "2025-12-01T09:00:00+06:00,101.00,1.05,87.10" \
    "2025-12-02T09:00:00+06:00,101.00,1.05,87.30" >"$T/want"
expect_eq "is CSV with CRLF, a header, ISO times, exact rates" "" "$(cmp "$T/out" "$T/want" 2>&1)"

expect_code 0 "export --long --utc" "$RATES" export --long --utc --currency USD
crlf "time,source,currency,rate" "2025-12-01T03:00:00Z,24kg,USD,87.10" \
    "2025-12-02T03:00:00Z,24kg,USD,87.30" >"$T/want"
expect_eq "long, in UTC" "" "$(cmp "$T/out" "$T/want" 2>&1)"

expect_code 0 "export for a Russian spreadsheet" "$RATES" export --delimiter ';' --decimal-comma --bom
{ printf '\357\273\277'; crlf "time;utc_offset;EUR;RUB;USD" "2025-12-01T09:00:00;UTC+06:00;101,00;1,05;87,10" \
    "2025-12-02T09:00:00;UTC+06:00;101,00;1,05;87,30"; } >"$T/want"
expect_eq "has a BOM, semicolons, decimal commas, times a spreadsheet reads and their offset" "" "$(cmp "$T/out" "$T/want" 2>&1)"
expect_code 0 "the same in UTC" "$RATES" export --delimiter ';' --decimal-comma --utc --currency USD --until 2025-12-01
expect_eq "says UTC" "2025-12-01T03:00:00;UTC;87,10" "$(sed -n 2p "$T/out" | tr -d '\r')"
expect_code 0 "days for a spreadsheet" "$RATES" export --delimiter ';' --decimal-comma --daily --currency USD --until 2025-12-01
expect_eq "are plain dates" "date;USD|2025-12-01;87,10" "$(tr -d '\r' <"$T/out" | paste -sd '|')"

expect_code 0 "a decimal comma with a comma delimiter" "$RATES" export --decimal-comma --currency USD
crlf "time,utc_offset,USD" '2025-12-01T09:00:00,UTC+06:00,"87,10"' '2025-12-02T09:00:00,UTC+06:00,"87,30"' >"$T/want"
expect_eq "is quoted" "" "$(cmp "$T/out" "$T/want" 2>&1)"

expect_code 0 "a tab delimiter" "$RATES" export --delimiter tab --currency USD --until 2025-12-01
expect_eq "is a tab" "$(printf 'time\tUSD\r')" "$(head -1 "$T/out")"

expect_code 0 "export --format json" "$RATES" export --format json --long --currency RUB
expect_file "is JSON" "$T/out" '[
  {"time": "2025-12-01T09:00:00+06:00", "source": "24kg", "currency": "RUB", "rate": "1.05"}
]'

# -o FILE: written beside, renamed into place; an existing file replaced.
echo "old" >"$T/x.csv"
expect_code 0 "export -o FILE" "$RATES" export -o "$T/x.csv" --currency USD
expect_eq "prints nothing" "" "$(cat "$T/out")"
crlf "time,USD" "2025-12-01T09:00:00+06:00,87.10" "2025-12-02T09:00:00+06:00,87.30" >"$T/want"
expect_eq "replaces the file with the CSV" "" "$(cmp "$T/x.csv" "$T/want" 2>&1)"
expect_eq "and leaves no temporary file" "x.csv" "$(cd "$T" && ls x.csv*)"
expect_eq "with the usual permissions" "644" "$(umask 022; "$RATES" export -o "$T/y.csv" && stat -c %a "$T/y.csv")"
expect_code 1 "-o in a missing folder" "$RATES" export -o "$T/no/such/x.csv"
expect_grep "says why" "^rates: export: $T/no/such/x.csv: No such file or directory$" "$T/err"
expect_code 1 "a full disk on stdout" sh -c "\"$RATES\" export >/dev/full"
expect_grep "is an error" "No space left on device|write error" "$T/err"

# No cell starts a formula: a source whose name starts with '-'.
cat >"$T/evil.conf" <<'CONF'
[source -evil]
url = http://127.0.0.1/
currencies = USD
pattern = (?<code>USD)=(?<rate>[0-9.]+)
CONF
printf 'USD=5.5\n' >"$T/evil.txt"
"$RATES" -q -c "$T/evil.conf" import --source=-evil --at 2025-12-01T00:00Z "$T/evil.txt"
expect_code 0 "export of a source named -evil" "$RATES" export --long --source=-evil
expect_eq "its name cannot start a formula" "2025-12-01T06:00:00+06:00,\"'-evil\",USD,5.5" "$(sed -n 2p "$T/out" | tr -d '\r')"

expect_code 2 "a bad delimiter" "$RATES" export --delimiter '::'
expect_eq "is named" "rates: export: --delimiter '::': expected one character, like ';' or tab" "$(head -1 "$T/err")"
expect_code 2 "a quote as delimiter" "$RATES" export --delimiter '"'
expect_code 2 "--bom with JSON" "$RATES" export --bom --format json
expect_eq "is refused" "rates: export: --delimiter, --decimal-comma and --bom are for CSV" "$(head -1 "$T/err")"

finish
