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

expect_code 0 "spreadsheet times with a decimal point" "$RATES" export --spreadsheet --currency USD
crlf "time,utc_offset,USD" '2025-12-01T09:00:00,UTC+06:00,87.10' '2025-12-02T09:00:00,UTC+06:00,87.30' >"$T/want"
expect_eq "for an English-locale spreadsheet" "" "$(cmp "$T/out" "$T/want" 2>&1)"
expect_code 2 "--spreadsheet with JSON" "$RATES" export --spreadsheet --format json
expect_code 2 "export --format table" "$RATES" export --format table
expect_eq "is refused, saying where tables are" "rates: export: --format table is for 'rates history'; export writes csv or json" "$(head -1 "$T/err")"

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
expect_eq "is refused" "rates: export: --delimiter, --decimal-comma, --spreadsheet and --bom are for CSV" "$(head -1 "$T/err")"

# -o replaces only regular files: a device, a FIFO and "-" are written in
# place; a symbolic link is followed and its target replaced.
"$RATES" export --currency USD >"$T/want.csv"
expect_code 0 "-o -" "$RATES" export -o - --currency USD
expect_eq "is standard output" "$(cat "$T/want.csv")" "$(cat "$T/out")"
expect_code 0 "-o /dev/stdout" "$RATES" export -o /dev/stdout --currency USD
expect_eq "writes through the device" "$(cat "$T/want.csv")" "$(cat "$T/out")"
expect_eq "-o /dev/stdout into a pipe" "$(cat "$T/want.csv")" "$("$RATES" export -o /dev/stdout --currency USD | cat)"
if [ "$(id -u)" -eq 0 ]; then
	cp -a /dev/full "$T/full"
	expect_code 1 "-o a full device" "$RATES" export -o "$T/full"
	expect_grep "says so" "No space left on device" "$T/err"
	expect_eq "and the device stays a device" "character special file" "$(stat -c %F "$T/full")"
fi
mkfifo "$T/fifo"
cat "$T/fifo" >"$T/from-fifo" &
reader=$!
expect_code 0 "-o a FIFO" timeout 10 "$RATES" export -o "$T/fifo" --currency USD
wait "$reader"
expect_eq "its reader gets the CSV" "$(cat "$T/want.csv")" "$(cat "$T/from-fifo")"
expect_eq "and the FIFO stays a FIFO" "fifo" "$(stat -c %F "$T/fifo")"
echo old >"$T/target.csv"
chmod 600 "$T/target.csv"
ln -s target.csv "$T/link.csv"
expect_code 0 "-o a symbolic link" "$RATES" export -o "$T/link.csv" --currency USD
expect_eq "keeps the link" "symbolic link" "$(stat -c %F "$T/link.csv")"
expect_eq "and replaces its target" "$(cat "$T/want.csv")" "$(cat "$T/target.csv")"
expect_eq "keeping the target's permissions" "600" "$(stat -c %a "$T/target.csv")"
ln -s "$T/new-target.csv" "$T/dangling.csv"
expect_code 0 "-o a link to nothing yet" "$RATES" export -o "$T/dangling.csv" --currency USD
expect_eq "makes its target" "$(cat "$T/want.csv")" "$(cat "$T/new-target.csv")"
expect_code 1 "-o a folder" "$RATES" export -o "$T"
expect_grep "is refused" "Is a directory" "$T/err"
expect_eq "nothing is left beside the files" "" "$(ls "$T" | grep -E '\.csv\.[A-Za-z0-9]{6}$')"

finish
