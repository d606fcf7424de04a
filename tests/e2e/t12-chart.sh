# t12-chart: a chart of a period, in the terminal (braille dots fitted to
# --width, labelled with the exact lowest and highest value and the dates)
# and as SVG (a panel and a polyline per currency, exact labels, valid XML,
# written whole or not at all).
. "$(dirname "$0")/lib.sh"

# svg FILE WHAT: what a reader of the picture finds in it.
cat >"$T/svg.py" <<'EOF'
import sys
import xml.dom.minidom

doc = xml.dom.minidom.parse(sys.argv[1])
svg = doc.documentElement
what = sys.argv[2]


def text(node):
    if node.nodeType == node.TEXT_NODE:
        return node.data
    return "".join(text(c) for c in node.childNodes)


def points(pl):
    return [tuple(float(v) for v in p.split(","))
            for p in pl.getAttribute("points").split()]


lines = svg.getElementsByTagName("polyline")
frames = [r for r in svg.getElementsByTagName("rect")
          if r.getAttribute("fill") == "none"]
if what == "size":
    print(svg.getAttribute("width"), svg.getAttribute("height"),
          svg.getAttribute("viewBox"))
elif what == "polylines":
    print(len(lines))
elif what == "texts":
    for t in svg.getElementsByTagName("text"):
        print(text(t))
elif what == "title":
    print(text(svg.getElementsByTagName("title")[0]))
elif what == "points":
    print(sum(len(points(pl)) for pl in lines))
elif what == "inside":
    # Every point of line i lies in the frame of panel i.
    bad = 0
    for pl, r in zip(lines, frames):
        x, y = float(r.getAttribute("x")), float(r.getAttribute("y"))
        w, h = float(r.getAttribute("width")), float(r.getAttribute("height"))
        for px, py in points(pl):
            if not (x <= px <= x + w and y <= py <= y + h):
                bad += 1
    print("ok" if bad == 0 and len(lines) == len(frames) else
          "%d points outside, %d lines, %d frames" % (bad, len(lines),
                                                        len(frames)))
elif what == "top":
    # How far down its frame line 0 reaches at its highest: 0 is the top.
    r = frames[0]
    y, h = float(r.getAttribute("y")), float(r.getAttribute("height"))
    print("%.2f" % ((min(py for _, py in points(lines[0])) - y) / h))
EOF
svg() {
	python3 "$T/svg.py" "$@"
}

# widest FILE: the most characters (not bytes) on a line of FILE.
widest() {
	python3 -c 'import sys
print(max(len(l.rstrip("\n")) for l in open(sys.argv[1], encoding="utf-8")))' "$1"
}

# row FILE N: line N of FILE.
row() {
	sed -n "${2}p" "$1"
}

# dots FILE N: how many braille cells with dots line N of FILE has.
dots() {
	python3 -c 'import sys
l = open(sys.argv[1], encoding="utf-8").read().split("\n")[int(sys.argv[2]) - 1]
print(sum(1 for ch in l if "\u2801" <= ch <= "\u28ff"))' "$1" "$2"
}

page "$T/1.html" 2025-12-01 09:00 87.10 101.00 1.05
page "$T/2.html" 2025-12-03 09:00 87.45 101.50 1.10
page "$T/3.html" 2025-12-05 09:00 87.05 100.50 1.00
page "$T/4.html" 2025-12-08 09:00 87.20 102.00 1.05
page "$T/5.html" 2025-12-10 09:00 87.30 101.25 1.08
"$RATES" -q import "$T/1.html" "$T/2.html" "$T/3.html" "$T/4.html" \
    "$T/5.html"

# The terminal.
expect_code 0 "chart --width 60 exits 0" "$RATES" chart --width 60
cp "$T/out" "$T/term"
expect_eq "no line is wider than 60 columns" "yes" \
    "$([ "$(widest "$T/term")" -le 60 ] && echo yes || echo "no: $(widest "$T/term")")"
expect_eq "a title, 12 rows, the axis and the dates" "15" \
    "$(wc -l <"$T/term" | tr -d ' ')"
expect_eq "USD is drawn when no currency is given, and the title says so" \
    "USD/KGS 24kg, 2025-12-01 – 2025-12-10 (5 samples)" "$(row "$T/term" 1)"
expect_grep "the top row is labelled with the highest value, as stored" \
    '^87\.45 ┤' "$T/term"
expect_eq "on the first row of the chart" "87.45 ┤" \
    "$(row "$T/term" 2 | cut -d' ' -f1-2)"
expect_eq "the bottom row with the lowest" "87.05 ┤" \
    "$(row "$T/term" 13 | cut -d' ' -f1-2)"
expect_eq "rows between have no label" "      │" \
    "$(row "$T/term" 7 | sed 's/│.*/│/')"
expect_eq "the line reaches the top row" "yes" \
    "$([ "$(dots "$T/term" 2)" -gt 0 ] && echo yes || echo no)"
expect_eq "and the bottom row" "yes" \
    "$([ "$(dots "$T/term" 13)" -gt 0 ] && echo yes || echo no)"
expect_grep "the axis has a tick at each end and the middle" \
    '^      └┬(─)+┬(─)+┬$' "$T/term"
expect_grep "the first and last date under it, and one between" \
    '^       2025-12-01 +2025-12-0[56] +2025-12-10$' "$T/term"

expect_code 0 "chart --currency rub --width 40 --height 4" \
    "$RATES" chart --currency rub --width 40 --height 4
cp "$T/out" "$T/rub"
expect_file "is the title wrapped to 40 columns, 4 rows of steps, the dates" \
    "$T/rub" "RUB/KGS 24kg, 2025-12-01 –
2025-12-10 (5 samples)
1.10 ┤       ⢸⠉⠉⠉⠉⠉⠉⠉⡇                 ⢀
     │⣀⣀⣀⣀⣀⣀⣀⣸       ⡇          ⣀⣀⣀⣀⣀⣀⣀⣸
     │               ⡇          ⡇
1.00 ┤               ⣇⣀⣀⣀⣀⣀⣀⣀⣀⣀⣀⡇
     └┬────────────────────────────────┬
      2025-12-01              2025-12-10"
expect_eq "no line is wider than 40 columns" "yes" \
    "$([ "$(widest "$T/rub")" -le 40 ] && echo yes || echo no)"

expect_code 0 "a period of days shows times of day" \
    "$RATES" chart --since 2025-12-01 --until 2025-12-03 --width 80
expect_eq "in the title" \
    "USD/KGS 24kg, 2025-12-01 09:00 – 2025-12-03 09:00 (2 samples)" \
    "$(row "$T/out" 1)"
expect_code 0 "--utc shows them in UTC" \
    "$RATES" chart --since 2025-12-01 --until 2025-12-03 --width 80 --utc
expect_eq "the same samples, six hours earlier" \
    "USD/KGS 24kg, 2025-12-01 03:00 – 2025-12-03 03:00 (2 samples)" \
    "$(row "$T/out" 1)"

expect_code 0 "COLUMNS is the width when stdout is not a terminal" \
    env COLUMNS=45 "$RATES" chart
expect_eq "45 columns" "yes" \
    "$(w=$(widest "$T/out"); [ "$w" -le 45 ] && [ "$w" -ge 40 ] && echo yes || echo "no: $w")"

# Usage errors.
expect_code 2 "two currencies without --svg is a usage error" \
    "$RATES" chart --currency USD,EUR
expect_grep "that says why" \
    '^rates: chart: the terminal chart draws one currency; --svg draws several$' \
    "$T/err"
expect_grep "and shows the usage" '^usage: rates chart ' "$T/err"
expect_code 2 "--width abc is a usage error" "$RATES" chart --width abc
expect_grep "that names the option" \
    "^rates: chart: --width 'abc': expected a whole number from 20 to 1000$" \
    "$T/err"
expect_code 2 "--width 5 is too narrow" "$RATES" chart --width 5
expect_code 2 "--height 0" "$RATES" chart --height 0
expect_code 2 "--svg with no file name" "$RATES" chart --svg ""
expect_code 2 "--width 100 is too narrow for SVG" \
    "$RATES" chart --svg "$T/x.svg" --width 100
expect_grep "where it is pixels" \
    "^rates: chart: --width '100': expected a whole number from 300 to 10000$" \
    "$T/err"

# SVG.
expect_code 0 "--svg FILE exits 0" "$RATES" chart --svg "$T/all.svg"
expect_eq "and prints nothing" "" "$(cat "$T/out")"
expect_code 0 "the file parses as XML" \
    python3 -c 'import xml.dom.minidom,sys; xml.dom.minidom.parse(sys.argv[1])' \
    "$T/all.svg"
expect_grep "it is a standalone SVG" \
    '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="[0-9]+" viewBox="0 0 1000 [0-9]+"' \
    "$T/all.svg"
expect_grep "on a white background" '<rect width="1000" height="[0-9]+" fill="#fff"/>' \
    "$T/all.svg"
expect_eq "a polyline per currency" "3" "$(svg "$T/all.svg" polylines)"
expect_eq "every point inside its panel" "ok" "$(svg "$T/all.svg" inside)"
svg "$T/all.svg" texts >"$T/texts"
expect_eq "the title" \
    "EUR, RUB, USD in KGS from 24kg, 2025-12-01 – 2025-12-10 (15 samples)" \
    "$(row "$T/texts" 1)"
expect_eq "and the same as the document's title" \
    "EUR, RUB, USD in KGS from 24kg, 2025-12-01 – 2025-12-10 (15 samples)" \
    "$(svg "$T/all.svg" title)"
expect_eq "a legend per panel with the exact values, as stored" \
    "EUR/KGS 24kgmin 100.50 · max 102.00 · last 101.25 · 5 samples
RUB/KGS 24kgmin 1.00 · max 1.10 · last 1.08 · 5 samples
USD/KGS 24kgmin 87.05 · max 87.45 · last 87.30 · 5 samples" \
    "$(grep 'KGS 24kg' "$T/texts")"
expect_eq "value labels are exact decimals, as many places as published" \
    "" "$(grep -E '^[0-9]' "$T/texts" | grep -vE '^[0-9]+\.[0-9]{2}$|^2025-')"
expect_grep "the USD axis is labelled 87.00" '^87\.00$' "$T/texts"
expect_grep "to 87.50" '^87\.50$' "$T/texts"
expect_grep "the time axis has dates" '^2025-12-0[2-9]$' "$T/texts"

expect_code 0 "--currency RUB,USD --svg" \
    "$RATES" chart --currency RUB,USD --svg "$T/two.svg" --width 800 \
    --height 500
expect_eq "has two polylines" "2" "$(svg "$T/two.svg" polylines)"
expect_eq "of the size asked for" "800 500 0 0 800 500" \
    "$(svg "$T/two.svg" size)"
expect_eq "in the order asked for" "RUB/KGS 24kg
USD/KGS 24kg" "$(svg "$T/two.svg" texts | grep -o '^[A-Z]*/KGS 24kg')"
expect_eq "inside their panels" "ok" "$(svg "$T/two.svg" inside)"

expect_code 0 "a currency asked for and not found" \
    "$RATES" chart --currency USD,GBP --svg "$T/gbp.svg"
expect_grep "is named" '^rates: chart: no samples of GBP$' "$T/err"
expect_eq "the others are drawn" "1" "$(svg "$T/gbp.svg" polylines)"

# An empty selection says so and writes nothing.
expect_code 0 "an empty selection exits 0" \
    "$RATES" chart --since 2026-01-01 --svg "$T/none.svg"
expect_grep "and says so" \
    '^rates: chart: no samples since 2026-01-01 00:00 \+06:00$' "$T/err"
expect_eq "no file, not even a temporary one" "" \
    "$(ls "$T" | grep none)"
expect_code 0 "an empty selection on the terminal" \
    "$RATES" chart --currency GBP
expect_grep "says so" '^rates: chart: no samples of GBP$' "$T/err"
expect_eq "and draws nothing" "" "$(cat "$T/out")"

# A file that cannot be written.
expect_code 1 "--svg into a missing folder exits 1" \
    "$RATES" chart --svg "$T/no/such/c.svg"
expect_grep "with the reason" \
    "^rates: chart: $T/no/such/c.svg: No such file or directory$" "$T/err"

# One sample, and a flat line: no division by zero.
export RATES_DB="$T/one.db"
"$RATES" -q import "$T/1.html"
expect_code 0 "one sample on the terminal" "$RATES" chart --width 50 \
    --height 4
expect_eq "is a dot in the middle, labelled" "87.10 ┤                     ⢀" \
    "$(row "$T/out" 3)"
expect_grep "with its date and time under it" '^ {20}2025-12-01 09:00$' \
    "$T/out"
expect_code 0 "one sample as SVG" "$RATES" chart --svg "$T/one.svg"
expect_eq "has a polyline per currency" "3" "$(svg "$T/one.svg" polylines)"
expect_eq "and a dot for each" "3" "$(grep -c '<circle ' "$T/one.svg")"
expect_eq "inside the panels" "ok" "$(svg "$T/one.svg" inside)"
page "$T/6.html" 2025-12-02 09:00 87.10 101.00 1.05
"$RATES" -q import "$T/6.html"
expect_code 0 "a flat line on the terminal" "$RATES" chart --width 50
expect_eq "is labelled once, in the middle (row 6 of 12, after a title of 2)" \
    "8:87.10 ┤" "$(grep -n '┤' "$T/out" | sed 's/┤.*/┤/')"
expect_code 0 "a flat line as SVG" "$RATES" chart --svg "$T/flat.svg"
expect_eq "is inside its panel" "ok" "$(svg "$T/flat.svg" inside)"

# Many samples make a small picture, and a spike is not lost.
export RATES_DB="$T/many.db"
"$RATES" -q import "$T/1.html"
sql "WITH RECURSIVE i(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM i
    WHERE n < 50000), v(n, c) AS (SELECT n, CASE WHEN n = 31337 THEN 9999
    ELSE 8700 + n * 7919 % 97 END FROM i)
    INSERT INTO sample SELECT '24kg', 'USD', 1764559200 + n * 60,
    1764559200 + n * 60, printf('%d.%02d', c / 100, c % 100), c * 10000
    FROM v"
expect_code 0 "an SVG of 50,000 samples" \
    "$RATES" chart --currency USD --svg "$T/many.svg"
expect_eq "has no more than two points a pixel" "yes" \
    "$([ "$(svg "$T/many.svg" points)" -le 2000 ] && echo yes || echo "no: $(svg "$T/many.svg" points)")"
expect_eq "is small" "yes" \
    "$([ "$(wc -c <"$T/many.svg")" -lt 40000 ] && echo yes || echo "no: $(wc -c <"$T/many.svg")")"
expect_grep "and names the spike as the highest value" \
    'min 87\.00 · max 99\.99 · last [0-9.]+ · 50001 samples' "$T/many.svg"
expect_eq "which the line reaches, near the top of the panel" "yes" \
    "$(awk -v f="$(svg "$T/many.svg" top)" 'BEGIN { print f < 0.1 ? "yes" : "no: " f }')"
expect_code 0 "the terminal chart of them" "$RATES" chart --width 60
expect_eq "reaches the spike on its top row" "yes" \
    "$([ "$(dots "$T/out" 2)" -gt 0 ] && echo yes || echo no)"
expect_grep "labelled with it" '^99\.99 ┤' "$T/out"

# --svg - writes the picture to standard output.
"$RATES" chart --svg "$T/now.svg" 2>/dev/null
expect_code 0 "--svg -" "$RATES" chart --svg -
expect_eq "is the same picture on standard output" "$(cat "$T/now.svg")" "$(cat "$T/out")"
ln -s all.svg "$T/link.svg"
expect_code 0 "--svg through a symbolic link" "$RATES" chart --svg "$T/link.svg"
expect_eq "keeps the link" "symbolic link" "$(stat -c %F "$T/link.svg")"

# A pause in the recording (100 hours in hourly samples) is a gap, not a
# flat line; a narrow terminal keeps the last date.
export RATES_DB="$T/gap.db"
python3 - "$T/gaps" <<'PY'
import datetime, os, sys
d = sys.argv[1]
os.makedirs(d)
t0 = datetime.datetime(2025, 12, 1)
for i in range(300):
    if 100 <= i < 200:
        continue
    t = t0 + datetime.timedelta(hours=i)
    with open("%s/g%03d.txt" % (d, i), "w") as f:
        f.write("%s\nUSD %.2f EUR 102.48 RUB 1.10\n" % (t.strftime("%Y-%m-%d %H:%M"), 87 + (i % 7) / 10))
PY
"$RATES" -q import "$T"/gaps/g*.txt >/dev/null 2>&1
expect_code 0 "a chart over a pause" "$RATES" chart --width 60 --currency USD
# The plot's columns (after the label and the axis): those with no dot.
empty=$(sed -n '2,13p' "$T/out" | python3 -c '
import sys
rows = [l.rstrip("\n")[7:] for l in sys.stdin]
w = max(len(r) for r in rows)
print(sum(1 for x in range(w) if all(x >= len(r) or r[x] == " " for r in rows)))')
expect_eq "leaves the pause empty (about a third of the plot)" "yes" "$([ "$empty" -ge 12 ] && echo yes || echo "no: $empty empty columns")"
expect_code 0 "the SVG of it" "$RATES" chart --currency USD --svg "$T/gap.svg"
expect_eq "breaks the line at the pause" "1" "$(grep -c 'class="after-gap"' "$T/gap.svg")"
expect_code 0 "a narrow chart" "$RATES" chart --width 24 --currency USD
expect_eq "keeps the last date" "2025-12-13" "$(tail -1 "$T/out" | tr -d ' ')"

finish
