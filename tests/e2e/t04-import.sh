# t04-import: backfill from saved pages, as files or "-": a file that fails
# is reported and the rest go on; a summary; the exit status of SPEC §5;
# --at for pages without a time or with a clock only; commits in batches.
. "$(dirname "$0")/lib.sh"

page "$T/a.html" 2025-12-01 09:00 87.10 101.00 1.05
page "$T/b.html" 2025-12-02 09:00 87.20 101.10 1.06
cp "$DATA/widget.html" "$T/norates.html"

expect_code 0 "import of two pages" "$RATES" import "$T/a.html" "$T/b.html"
expect_file "prints a summary" "$T/out" "2 files: 6 samples added, 0 already present, 0 files failed"
expect_code 0 "the same pages again" "$RATES" import "$T/a.html" "$T/b.html"
expect_file "add nothing, and say so" "$T/out" "2 files: 0 samples added, 6 already present, 0 files failed"
expect_code 0 "-q keeps the summary quiet" "$RATES" -q import "$T/a.html"
expect_eq "nothing on stdout" "" "$(cat "$T/out")"

page "$T/c.html" 2025-12-03 09:00 87.30 101.20 1.07
expect_code 3 "a page without rates among good ones exits 3" "$RATES" import "$T/c.html" "$T/norates.html"
expect_file "the others are stored and counted" "$T/out" "2 files: 3 samples added, 0 already present, 1 file failed"
expect_eq "the failing file is named, and why" "rates: import: $T/norates.html: no rates on the page (source '24kg': a block is not the header: USD 11,22 is not in the source's notation, decimal '.')" "$(cat "$T/err")"

page "$T/d.html" 2025-12-04 09:00 87.40 101.30 1.08
expect_code 1 "an unreadable file exits 1, after the others" "$RATES" import "$T/missing.html" "$T/norates.html" "$T/d.html"
expect_grep "names the unreadable file" "^rates: import: $T/missing.html: No such file or directory$" "$T/err"
expect_file "and goes on" "$T/out" "3 files: 3 samples added, 0 already present, 2 files failed"
expect_code 1 "a folder is not a page" "$RATES" import "$T"
expect_grep "and says why" "^rates: import: $T: Is a directory$" "$T/err"

page "$T/e.html" 2025-12-05 09:00 87.50 101.40 1.09
expect_code 0 "a page on standard input" sh -c "\"$RATES\" import - < \"$T/e.html\""
expect_file "is imported" "$T/out" "1 file: 3 samples added, 0 already present, 0 files failed"
expect_code 2 "'-' only once" "$RATES" import - -

# Time: none on the page, or a clock only.
export RATES_DB="$T/at.db"
expect_code 3 "a page without a time needs --at" "$RATES" import "$DATA/notime.html"
expect_grep "and says so" "notime.html: the page shows no time; give --at WHEN" "$T/err"
expect_eq "nothing stored" "0" "$(count)"
expect_code 0 "with --at" "$RATES" import --at "2025-11-30 12:00" "$DATA/notime.html"
expect_eq "it is observed at --at (local time, Bishkek)" "USD|2025-11-30 06:00:00|87.45|87450000" \
    "$(samples | grep USD)"
expect_code 3 "a clock-only page needs --at" "$RATES" import "$DATA/clock.html"
expect_grep "and says so" "only a clock \(09:05\); give --at DAY" "$T/err"
expect_code 0 "with --at DAY" "$RATES" import --at 2025-11-29 "$DATA/clock.html"
expect_eq "it is placed on that day" "USD|2025-11-29 03:05:00|87.45|87450000" "$(samples | grep USD | head -1)"
expect_code 0 "--at with a zone" "$RATES" import --at 2025-11-28T00:00Z "$DATA/notime.html"
expect_eq "is taken in that zone" "USD|2025-11-28 00:00:00|87.45|87450000" "$(samples | grep USD | head -1)"
expect_code 0 "--at is ignored for a page with a full date" "$RATES" import --at 2025-01-01 "$DATA/header.html"
expect_eq "which keeps its own" "1" "$(sql "SELECT count(*) FROM sample WHERE currency = 'USD' AND datetime(observed_at, 'unixepoch') = '2025-12-18 05:26:00'")"

# Many pages: batches of commits, one sample each.
mkdir "$T/many"
python3 - "$T/many" <<'PY'
import sys, datetime
d = sys.argv[1]
t0 = datetime.datetime(2025, 1, 1, 0, 0)
for i in range(1200):
    t = t0 + datetime.timedelta(hours=i)
    usd = 8700 + (i % 50)
    with open("%s/p%04d.html" % (d, i), "w") as f:
        f.write("<html><div>%s</div><p>USD&nbsp;%d.%02d EUR&nbsp;101.%02d RUB&nbsp;1.%02d</p></html>\n"
                % (t.strftime("%Y-%m-%d %H:%M"), usd // 100, usd % 100, i % 100, i % 90 + 10))
PY
export RATES_DB="$T/many.db"
expect_code 0 "1200 pages" "$RATES" import "$T"/many/p*.html
expect_file "are all imported" "$T/out" "1200 files: 3600 samples added, 0 already present, 0 files failed"
expect_eq "one row each, no duplicates" "3600|1200" "$(sql "SELECT count(*), count(DISTINCT observed_at) FROM sample")"
expect_no_grep "no progress line when stderr is not a terminal" $'\r' "$T/err"

# On a terminal, progress shows once the work has taken a second: a FIFO
# that is written only after 1.5 s makes the import that slow.
rm -f "$RATES_DB"
mkfifo "$T/slow"
(sleep 1.5; cat "$T/many/p0000.html" >"$T/slow") &
script -qec "\"$RATES\" import \"$T\"/many/p000[1-3].html \"$T/slow\" \"$T\"/many/p000[4-5].html" /dev/null >"$T/tty" 2>&1
wait
expect_grep "on a terminal a long import shows its progress" 'rates: import: [4-6]/6 files' "$T/tty"
expect_grep "and clears it before the summary" "$(printf '\r\033\\[K')6 files: 18 samples added" "$T/tty"

# The write lock is held only while storing: an import that waits on a
# FIFO, or on standard input, lets other writers write, and has stored
# what it read before.
export RATES_DB="$T/lock.db"
page "$T/l1.html" 2025-12-01 09:00 87.10 101.00 1.05
page "$T/l2.html" 2025-12-02 09:00 87.20 101.10 1.06
mkfifo "$T/wait.fifo"
"$RATES" import "$T/l1.html" "$T/l2.html" "$T/wait.fifo" >"$T/lock.out" 2>"$T/lock.err" &
imp=$!
KILL_PIDS="$imp"
if wait_for 10 eval '[ "$(count)" -eq 6 ]'; then pass "what it read before the FIFO is stored"; else fail "what it read before the FIFO is stored" "$(count)"; fi
expect_eq "while it waits, another writer gets the lock at once" "ok" \
    "$(sqlite3 -batch "$RATES_DB" '.timeout 0' 'BEGIN IMMEDIATE;' 'ROLLBACK;' 'SELECT "ok";' 2>&1)"

# Ctrl-C while it waits: what it read is kept, the summary says so, 130.
kill -INT "$imp"
wait "$imp"
expect_eq "Ctrl-C ends it with 130" "130" "$?"
expect_eq "with the summary, interrupted" "2 files: 6 samples added, 0 already present, 0 files failed, interrupted after 2 of 3 files" "$(cat "$T/lock.out")"
expect_eq "and nothing lost" "6" "$(count)"
KILL_PIDS=

# On a terminal, the progress line is cleared before the summary: a FIFO
# written after 1.5 s makes it show, another that is never written holds
# the import until Ctrl-C.
rm -f "$RATES_DB" "$T/slow"
mkfifo "$T/slow"
(sleep 1.5; cat "$T/many/p0000.html" >"$T/slow") &
script -qec "\"$RATES\" import \"$T\"/many/p000[1-3].html \"$T/slow\" \"$T/wait.fifo\" & echo \$! >\"$T/tty.pid\"; wait" /dev/null >"$T/tty2" 2>&1 &
spid=$!
wait_for 10 test -s "$T/tty.pid"
wait_for 10 grep -q 'files' "$T/tty2"
kill -INT "$(cat "$T/tty.pid")"
wait "$spid"
expect_grep "on a terminal the progress shows" 'rates: import: 4/5 files' "$T/tty2"
expect_grep "and is cleared before the summary" "$(printf '\r\033\\[K')4 files: 12 samples added.*interrupted after 4 of 5 files" "$T/tty2"

finish
