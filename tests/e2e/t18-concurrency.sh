# t18-concurrency: readers and the daemon at once, and a database that
# cannot be written.
#  1. history, export and latest in two loops for ~15 s while the daemon
#     writes every 50 ms: every run exits 0 and prints nothing on stderr
#     (no "database is locked", no "busy"); every result is whole and one
#     snapshot: a CSV ends with CRLF, parses, has 4 fields a row, as many
#     rows as samples at some moment between its start and its end, and
#     never half of a poll (each time has its 3 currencies).
#  2. WAL growth: 500,000 samples; exports while the daemon writes every
#     20 ms.  A reader pins the WAL (SQLite can neither checkpoint past it
#     nor restart it), so it grows while the export reads; once the export
#     is over the WAL is checkpointed and restarts from its beginning, and
#     its file is cut back to 4 MiB at most (SQLite reuses the file from its
#     start, and truncates it to PRAGMA journal_size_limit, which rates
#     sets to 4 MiB, when it restarts).  The WAL in use is read from the
#     -shm header (mxFrame, https://sqlite.org/walformat.html), which
#     changes nothing.
#  3. A full disk: a 600 KiB tmpfs (as root), filled up with dd: fetch,
#     import and the daemon's polls fail with exit 1 and "database or disk
#     is full", nothing stored is lost, integrity_check says ok; the daemon
#     goes on, and stores at its next poll once the filler is removed.
#     Without mount (not root, or T18_NO_MOUNT=1): RLIMIT_FSIZE (prlimit,
#     ulimit -f) with SIGXFSZ ignored makes the files unable to grow
#     instead (EFBIG, which SQLite reports as "disk I/O error").
#  4. A read-only database: chattr +i on the file (as root chmod does not
#     stop writes), and a read-only bind mount.  Writers exit 1 with
#     "attempt to write a readonly database", readers still work, nothing
#     changes; a daemon started on it either exits 1 saying why, or stores
#     once the database can be written again.  Through a read-only mount
#     where no -wal/-shm exists (no writer is connected), readers open it
#     read-only and immutable and work; writers exit 1; nothing written.
. "$(dirname "$0")/lib.sh"
start_server

DBASE=$(date -d '2025-01-01 00:00 +06:00' +%s)
IBASE=$(date -d '2024-01-01 00:00 +06:00' +%s)
MOUNTS=
IMMUTABLE=

stop_all() {
	for f in "$T"/*.pid; do
		[ -s "$f" ] || continue
		kill -9 "$(cat "$f")" 2>/dev/null
		wait "$(cat "$f")" 2>/dev/null
	done
	for m in $MOUNTS; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null
	done
	for f in $IMMUTABLE; do
		chattr -i "$f" 2>/dev/null
	done
	cleanup
}
trap stop_all EXIT

q() {
	sqlite3 -batch -cmd '.timeout 10000' "$RATES_DB" "$1"
}

running() { kill -0 "$1" 2>/dev/null; }
now_ms() { echo $(( ${EPOCHREALTIME/./} / 1000 )); }

# gen_pages DIR FIRST N: N pages in DIR, page n observed at IBASE + n
# minutes with USD 88.<n>, EUR 103.<n>, RUB 1.<n>.
gen_pages() {
	mkdir -p "$1"
	for ((n = $2; n < $2 + $3; n++)); do
		printf -v _w '%(%Y-%m-%d %H:%M)T' $((IBASE + n * 60))
		printf -v _f '%s/p%06d.html' "$1" "$n"
		printf -v _u '88.%06d' "$n"
		printf -v _e '103.%06d' "$n"
		printf -v _r '1.%06d' "$n"
		page "$_f" "${_w% *}" "${_w#* }" "$_u" "$_e" "$_r"
	done
}

# daemon_page FILE I: the page of index I (a minute each, from DBASE),
# written beside and renamed into place, so that no poll reads half a page.
daemon_page() {
	printf -v _w '%(%Y-%m-%d %H:%M)T' $((DBASE + $2 * 60))
	printf -v _u '87.%06d' "$2"
	printf -v _e '102.%06d' "$2"
	printf -v _r '1.%06d' "$2"
	page "$1.tmp" "${_w% *}" "${_w#* }" "$_u" "$_e" "$_r"
	mv -f "$1.tmp" "$1"
}

# The page of the polling daemons changes every ~50 ms for the whole test.
daemon_page "$WWW/p.html" 0
(
	i=1
	while :; do
		daemon_page "$WWW/p.html" "$i"
		i=$((i + 1))
		sleep 0.05
	done
) &
echo $! >"$T/writer.pid"

# start_daemon LOG ARGS...: a daemon in the background (SIGXFSZ ignored, for
# the RLIMIT_FSIZE fallback), its pid in $DPID.
start_daemon() {
	log=$1
	shift
	(trap '' XFSZ; exec "$RATES" daemon "$@") 2>"$log" &
	DPID=$!
	echo "$DPID" >"$T/daemon.pid"
}

stop_daemon() {
	kill -TERM "$DPID"
	wait "$DPID"
	rc=$?
	: >"$T/daemon.pid"
	return "$rc"
}

added_lines() { grep -c ' added (HTTP 200' "$1"; }

# ---------------------------------------------------------------------------
# 1. Readers in loops while the daemon writes.

export RATES_DB="$T/rates.db"
gen_pages "$T/seed" 0 100
expect_code 0 "a history of 100 pages to read" "$RATES" import "$T/seed"/p*.html
start_daemon "$T/d1.log" 24kg --url "$BASE/www/p.html" --interval 50ms
if wait_for 10 eval '[ "$(added_lines "$T/d1.log")" -ge 3 ]'; then
	pass "the daemon writes"
else
	fail "the daemon writes" "$(cat "$T/d1.log")"
fi

mkdir -p "$T/r"
# reader NAME END-MS KINDS: run the commands in turn until END-MS; each run is
# noted in $T/r/NAME.list as "KIND FILE EXIT COUNT-BEFORE COUNT-AFTER".
reader() {
	k=0
	while [ "$(now_ms)" -lt "$2" ]; do
		for kind in $3; do
			k=$((k + 1))
			f="$T/r/$1.$k"
			c0=$(q 'SELECT count(*) FROM sample')
			case $kind in
			export-long) "$RATES" export --all --long >"$f" 2>"$f.err" ;;
			export-wide) "$RATES" export --all >"$f" 2>"$f.err" ;;
			history) "$RATES" history --all >"$f" 2>"$f.err" ;;
			history-csv) "$RATES" history --all --format csv >"$f" 2>"$f.err" ;;
			history-changes) "$RATES" history --format json >"$f" 2>"$f.err" ;;
			latest) "$RATES" latest >"$f" 2>"$f.err" ;;
			latest-json) "$RATES" latest --json >"$f" 2>"$f.err" ;;
			esac
			rc=$?
			c1=$(q 'SELECT count(*) FROM sample')
			echo "$kind $f $rc $c0 $c1" >>"$T/r/$1.list"
		done
	done
}

cat >"$T/check.py" <<'EOF'
# check.py LIST...: every run of the list exited 0, said nothing on stderr,
# and printed a whole result of one snapshot.  Prints the problems, then a
# line "runs N rows M".
import csv, io, json, sys
from collections import Counter

problems = []
runs = rows_total = 0

def bad(f, why):
    problems.append("%s: %s" % (f, why))

def check_csv(f, data, c0, c1, header, per_row, crlf):
    global rows_total
    if not data.endswith(b"\r\n" if crlf else b"\n"):
        return bad(f, "does not end with a line end: %r" % data[-40:])
    if crlf and data.count(b"\n") != data.count(b"\r\n"):
        return bad(f, "a line ends without CRLF")
    recs = list(csv.reader(io.StringIO(data.decode(), newline="")))
    if recs[0] != header:
        return bad(f, "header %r" % recs[0])
    recs = recs[1:]
    rows_total += len(recs)
    for r in recs:
        if len(r) != len(header) or "" in r:
            return bad(f, "row %r" % r)
    n = len(recs) * per_row
    if not c0 <= n <= c1:
        return bad(f, "%d samples, but there were %d to %d" % (n, c0, c1))
    if per_row == 1:
        times = Counter(r[0] for r in recs)
        half = [t for t, k in times.items() if k != 3]
        if half:
            bad(f, "a time without its 3 currencies: %s" % half[:3])

for lst in sys.argv[1:]:
    for line in open(lst):
        kind, f, rc, c0, c1 = line.split()
        rc, c0, c1 = int(rc), int(c0), int(c1)
        runs += 1
        err = open(f + ".err", "rb").read()
        if rc != 0 or err:
            bad(f, "%s: exit %d: %r" % (kind, rc, err[:300]))
            continue
        data = open(f, "rb").read()
        try:
            if kind == "export-long":
                check_csv(f, data, c0, c1, ["time", "source", "currency", "rate"], 1, True)
            elif kind == "export-wide":
                check_csv(f, data, c0, c1, ["time", "EUR", "RUB", "USD"], 3, True)
            elif kind == "history-csv":
                check_csv(f, data, c0, c1, ["time", "EUR", "RUB", "USD"], 3, False)
            elif kind == "history":
                lines = data.decode().split("\n")
                if lines[-1] != "" or not lines[0].startswith("TIME "):
                    bad(f, "not a whole table: %r" % data[-80:])
                elif not c0 <= (len(lines) - 2) * 3 <= c1:
                    bad(f, "%d rows, but there were %d to %d samples" % (len(lines) - 2, c0, c1))
                elif any(len(l.split()) != 6 for l in lines[1:-1]):
                    bad(f, "a row without all its values")
            elif kind == "history-changes":
                j = json.loads(data)
                if not j or any(set(r) != {"time", "EUR", "RUB", "USD"} for r in j):
                    bad(f, "rows %r" % j[:2])
            elif kind == "latest":
                lines = data.decode().split("\n")
                if len(lines) != 5 or lines[-1] != "" or not lines[0].startswith("SOURCE"):
                    bad(f, "%r" % data)
            elif kind == "latest-json":
                j = json.loads(data)
                if sorted(r["currency"] for r in j) != ["EUR", "RUB", "USD"]:
                    bad(f, "%r" % j)
                elif len({r["observed_at"] for r in j}) != 1:
                    bad(f, "the currencies of one poll at different times: %r" % j)
        except Exception as e:
            bad(f, "%s: %r" % (kind, e))
for p in problems[:10]:
    print(p)
print("runs %d rows %d" % (runs, rows_total))
EOF

end=$(( $(now_ms) + 15000 ))
reader a "$end" "export-long history history-changes" &
echo $! >"$T/ra.pid"
reader b "$end" "latest-json export-wide latest history-csv" &
echo $! >"$T/rb.pid"
wait "$(cat "$T/ra.pid")" "$(cat "$T/rb.pid")"
: >"$T/ra.pid"
: >"$T/rb.pid"
python3 "$T/check.py" "$T/r/a.list" "$T/r/b.list" >"$T/check.out" 2>&1
read -r _ nruns _ nrows <<<"$(tail -1 "$T/check.out")"
expect_eq "every history, export and latest exited 0, silently, with a whole result of one snapshot" \
    "runs $nruns rows $nrows" "$(cat "$T/check.out")"
echo "# $nruns reader runs ($nrows rows) in 15 s, while the daemon logged $(added_lines "$T/d1.log") polls that stored"
expect_eq "readers ran (at least 60)" "yes" "$([ "${nruns:-0}" -ge 60 ] && echo yes || echo "no: ${nruns:-0}")"
expect_eq "none said 'locked' or 'busy'" "" "$(cat "$T"/r/*.err | grep -Ei 'locked|busy' | head -3)"
expect_no_grep "the daemon logged no error meanwhile" 'locked|busy|error|cannot|retry' "$T/d1.log"
expect_eq "and went on storing (at least 100 polls)" "yes" \
    "$([ "$(added_lines "$T/d1.log")" -ge 100 ] && echo yes || echo "no: $(added_lines "$T/d1.log")")"
stop_daemon
expect_eq "the daemon stops on SIGTERM with exit 0" "0" "$?"
expect_eq "PRAGMA integrity_check says ok" "ok" "$(q 'PRAGMA integrity_check')"

# ---------------------------------------------------------------------------
# 2. The WAL while a long export reads.

export RATES_DB="$T/big.db"
expect_code 0 "a database for 500,000 samples" "$RATES" import "$T/seed/p000000.html"
# 166,666 minutes of 3 currencies, ending 2 minutes before the page
# imported, within 15% of the pages.
sqlite3 -batch "$RATES_DB" "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL
    SELECT i + 1 FROM n WHERE i < 166665)
    INSERT INTO sample SELECT '24kg', c.cur, $IBASE - 10000020 + n.i * 60,
    $IBASE, printf(c.fmt, n.i), c.base * 1000000 + n.i
    FROM n, (SELECT 'USD' cur, '87.%06d' fmt, 87 base
    UNION ALL SELECT 'EUR', '102.%06d', 102 UNION ALL SELECT 'RUB', '1.%06d', 1) c"
expect_eq "500,000 samples" "500001" "$(q 'SELECT count(*) FROM sample')"

cat >"$T/walstat.py" <<'EOF'
# walstat.py DB: "FRAMES BYTES": the frames in use in the WAL (mxFrame in
# the wal-index header of the -shm file) and the size of the -wal file.
import os, struct, sys
try:
    with open(sys.argv[1] + "-shm", "rb") as f:
        frames = struct.unpack_from("<I", f.read(20), 16)[0]
except (OSError, struct.error):
    frames = 0
try:
    size = os.path.getsize(sys.argv[1] + "-wal")
except OSError:
    size = 0
print(frames, size)
EOF
walstat() { python3 "$T/walstat.py" "$RATES_DB"; }

start_daemon "$T/d2.log" 24kg --url "$BASE/www/p.html" --interval 20ms
wait_for 10 eval '[ "$(added_lines "$T/d2.log")" -ge 5 ]'
read -r f0 s0 <<<"$(walstat)"

# An export to a file, as fast as it goes.
c0=$(q 'SELECT count(*) FROM sample')
t0=$(now_ms)
"$RATES" export --all --long -o "$T/big.csv" 2>"$T/big.err" &
epid=$!
echo "$epid" >"$T/export.pid"
smax=$s0
while running "$epid"; do
	read -r _ s <<<"$(walstat)"
	[ "$s" -gt "$smax" ] && smax=$s
	sleep 0.1
done
wait "$epid"
rc=$?
took=$(( $(now_ms) - t0 ))
c1=$(q 'SELECT count(*) FROM sample')
expect_eq "a long export while the daemon writes: exit 0, silently" "0 " "$rc $(cat "$T/big.err")"
rows=$(( $(wc -l <"$T/big.csv") - 1 ))
expect_eq "it is whole: one snapshot's samples, from $c0 to $c1" "yes" \
    "$([ "$rows" -ge "$c0" ] && [ "$rows" -le "$c1" ] && echo yes || echo "no: $rows rows")"
expect_eq "its last line ends with CRLF" "0d0a" "$(tail -c 2 "$T/big.csv" | od -An -tx1 | tr -d ' \n')"
echo "# export of $rows rows in $took ms; WAL $s0 bytes before, $smax at most meanwhile"

# An export whose reader is slow: its snapshot is held for 8 s, long
# enough for the WAL to pass 1,000 pages, the auto-checkpoint mark.
# Through a FIFO whose reader sleeps 8 s first: the export blocks on it
# with its read transaction open (it streams).  The WAL is sampled from the
# export's first write (the first 64 KiB of rows, in its snapshot) until
# 7.5 s: all that time the export is surely reading.
read -r f1 s1 <<<"$(walstat)"
n1=$(added_lines "$T/d2.log")
c0=$(q 'SELECT count(*) FROM sample')
mkfifo "$T/slow.fifo"
t0=$(now_ms)
{ exec 3<"$T/slow.fifo"; sleep 8; cat <&3 >"$T/slow.csv"; } &
cpid=$!
echo "$cpid" >"$T/reader.pid"
"$RATES" export --all --long >"$T/slow.fifo" 2>"$T/slow.err" &
epid=$!
echo "$epid" >"$T/export.pid"
wrote() { [ "$(awk '$1 == "wchar:" { print $2 }' "/proc/$epid/io" 2>/dev/null || echo 0)" -gt 0 ]; }
wait_for 5 wrote
read -r fa _ <<<"$(walstat)"
fmax=$fa smax=$s1 fell=
while [ "$(now_ms)" -lt $((t0 + 7500)) ]; do
	read -r f s <<<"$(walstat)"
	[ "$f" -lt "$fmax" ] && fell="$fell $fmax->$f"
	[ "$f" -gt "$fmax" ] && fmax=$f
	[ "$s" -gt "$smax" ] && smax=$s
	sleep 0.25
done
wait "$epid"
rc=$?
wait "$cpid"
: >"$T/reader.pid"
c1=$(q 'SELECT count(*) FROM sample')
read -r f2 s2 <<<"$(walstat)"
n2=$(added_lines "$T/d2.log")
expect_eq "a slow export: exit 0, silently" "0 " "$rc $(cat "$T/slow.err")"
rows=$(( $(wc -l <"$T/slow.csv") - 1 ))
expect_eq "and whole" "yes" \
    "$([ "$rows" -ge "$c0" ] && [ "$rows" -le "$c1" ] && [ "$(tail -c 2 "$T/slow.csv" | od -An -tx1 | tr -d ' \n')" = 0d0a ] && echo yes || echo "no: $rows rows of $c0 to $c1")"
expect_eq "the daemon went on storing while it read (at least 20 polls)" "yes" \
    "$([ $((n2 - n1)) -ge 20 ] && echo yes || echo "no: $((n2 - n1))")"
expect_eq "the WAL grew meanwhile and was never restarted (the reader pins it)" "yes" \
    "$([ "$fmax" -gt "$fa" ] && [ -z "$fell" ] && echo yes || echo "no: $fa frames, then at most $fmax; fell:$fell")"
t0=$(now_ms)
if wait_for 30 eval '[ "$(walstat | cut -d" " -f1)" -lt "$fmax" ]'; then
	pass "once the export is over, the WAL is checkpointed and restarts from its beginning"
else
	fail "once the export is over, the WAL is checkpointed and restarts from its beginning" "$(walstat)"
fi
restart_ms=$(( $(now_ms) - t0 ))
sleep 3
read -r f3 s3 <<<"$(walstat)"
# Then at most 1,000 pages of 4 KiB (SQLite's auto-checkpoint), each frame
# with its 24-byte header, and a transaction more, within the 4 MiB that
# journal_size_limit leaves.
expect_eq "and its file is cut back to 4 MiB at most" "yes" \
    "$([ "$s3" -le 4194304 ] && echo yes || echo "no: $s3 bytes (at most $smax while the export read)")"
echo "# WAL during an 8 s export: $f1 frames ($s1 bytes) at its start, at most $fmax frames ($smax bytes), $f2 frames ($s2 bytes) at its end; restarted ${restart_ms} ms later; 3 s after that $f3 frames in use, the file $s3 bytes"
expect_no_grep "the daemon logged no error" 'locked|busy|error|cannot|retry' "$T/d2.log"
stop_daemon
expect_eq "the daemon stops with exit 0" "0" "$?"
expect_eq "PRAGMA integrity_check says ok" "ok" "$(q 'PRAGMA integrity_check')"

# ---------------------------------------------------------------------------
# 3. A full disk.

FULL="$T/full"
mkdir -p "$FULL"
if [ -z "${T18_NO_MOUNT:-}" ] && mount -t tmpfs -o size=600k tmpfs "$FULL" 2>/dev/null; then
	MOUNTS="$FULL $MOUNTS"
	mode=tmpfs
	full_re='database or disk is full'
else
	mode=fsize
	full_re='database or disk is full|disk I/O error'
fi
echo "# full disk: $mode"
export RATES_DB="$FULL/rates.db"
gen_pages "$T/more" 1000 30
expect_code 0 "a database on a small disk" "$RATES" import "$T/seed"/p00000[0-9].html
daemon_page "$WWW/q.html" 100000
daemon_page "$WWW/c.html" 100002
start_daemon "$T/d3.log" 24kg --url "$BASE/www/q.html" --interval 500ms
if wait_for 10 eval '[ "$(count)" -eq 33 ]'; then pass "the daemon stores there"; else fail "the daemon stores there" "$(cat "$T/d3.log")"; fi
before=$(samples)
# Fill the disk (or stop the files from growing).
if [ "$mode" = tmpfs ]; then
	dd if=/dev/zero of="$FULL/filler" bs=4096 2>/dev/null
	echo "# $(df -k "$FULL" | tail -1)"
	limited() { "$@"; }
else
	wal=$(stat -c %s "$RATES_DB-wal")
	prlimit --pid "$DPID" --fsize="$wal:unlimited" # the soft limit only
	limited() { (trap '' XFSZ; ulimit -f $((wal / 1024)); exec "$@"); }
fi
daemon_page "$WWW/q.html" 100001
if wait_for 10 grep -Eq "$full_re" "$T/d3.log"; then
	pass "the daemon's poll fails with a clear error"
else
	fail "the daemon's poll fails with a clear error" "$(cat "$T/d3.log")"
fi
expect_grep "saying where" "^rates: daemon: 24kg: $RATES_DB: .*($full_re)" "$T/d3.log"
run limited "$RATES" fetch 24kg --url "$BASE/www/c.html"
expect_eq "fetch on a full disk: exit 1" "1" "$CODE"
expect_grep "with a clear error" "^rates: fetch: 24kg: $RATES_DB: .*($full_re)" "$T/err"
run limited "$RATES" import "$T/more"/p*.html
expect_eq "import on a full disk: exit 1" "1" "$CODE"
expect_grep "with a clear error" "^rates: import: $RATES_DB: .*($full_re)" "$T/err"
expect_code 0 "latest still reads it" "$RATES" latest
expect_eq "PRAGMA integrity_check says ok" "ok" "$(q 'PRAGMA integrity_check')"
expect_eq "nothing stored is lost, nothing half stored" "$before" "$(samples)"
expect_eq "the daemon goes on" "yes" "$(running "$DPID" && echo yes || echo no)"
if [ "$mode" = tmpfs ]; then
	rm -f "$FULL/filler"
	limited() { "$@"; }
else
	prlimit --pid "$DPID" --fsize=unlimited:unlimited
	limited() { "$@"; }
fi
if wait_for 10 eval '[ "$(count)" -eq 36 ]'; then
	pass "when space returns, the daemon stores at its next poll"
else
	fail "when space returns, the daemon stores at its next poll" "$(tail -5 "$T/d3.log")"
fi
expect_grep "and logs it" '^rates: daemon: 24kg: USD 87\.100001 EUR 102\.100001 RUB 1\.100001, 3 added' "$T/d3.log"
expect_code 0 "fetch stores again" "$RATES" fetch 24kg --url "$BASE/www/c.html"
expect_code 0 "import stores again" "$RATES" import "$T/more"/p*.html
expect_eq "everything is there once" "129" "$(count)"
stop_daemon
expect_eq "the daemon stops with exit 0" "0" "$?"
expect_eq "PRAGMA integrity_check says ok" "ok" "$(q 'PRAGMA integrity_check')"

# ---------------------------------------------------------------------------
# 4. A read-only database.

export RATES_DB="$T/ro/rates.db"
mkdir -p "$T/ro"
expect_code 0 "a database to make read-only" "$RATES" import "$T/seed"/p00000[0-9].html
before=$(samples)
daemon_page "$WWW/r.html" 100010
daemon_page "$WWW/s.html" 100011
if chattr +i "$RATES_DB" 2>/dev/null; then
	IMMUTABLE=$RATES_DB
	expect_code 1 "fetch on an immutable database (chattr +i): exit 1" "$RATES" fetch 24kg --url "$BASE/www/r.html"
	expect_grep "with a clear error" "^rates: fetch: 24kg: $RATES_DB: .*attempt to write a readonly database" "$T/err"
	expect_code 1 "import: exit 1" "$RATES" import "$T/more/p001000.html"
	expect_grep "with a clear error" "^rates: import: $RATES_DB: .*attempt to write a readonly database" "$T/err"
	expect_code 0 "latest still reads it" "$RATES" latest
	expect_code 0 "and history" "$RATES" history --all
	expect_eq "all of it" "11" "$(wc -l <"$T/out")"
	# A daemon started on it: either it refuses to start, or it stores
	# once the database can be written again.
	start_daemon "$T/d4.log" 24kg --url "$BASE/www/r.html" --interval 200ms
	wait_for 5 grep -q 'readonly' "$T/d4.log"
	chattr -i "$RATES_DB"
	IMMUTABLE=
	if ! running "$DPID"; then
		wait "$DPID"
		expect_eq "a daemon started on it exits 1" "1" "$?"
		expect_grep "saying why" 'readonly|read-only' "$T/d4.log"
	elif wait_for 5 eval '[ "$(count)" -eq 33 ]'; then
		pass "a daemon started on it stores once the database is writable again"
	else
		fail "a daemon started on it stores once the database is writable again" \
		    "$(sort "$T/d4.log" | uniq -c | sort -rn | head -4)"
	fi
	[ -s "$T/daemon.pid" ] && stop_daemon
	expect_eq "PRAGMA integrity_check says ok" "ok" "$(q 'PRAGMA integrity_check')"
	expect_eq "nothing changed while it was read-only" "$before" \
	    "$(q "SELECT currency, datetime(observed_at, 'unixepoch'), rate_text, rate_scaled FROM sample
	    WHERE observed_at < $DBASE ORDER BY observed_at, currency")"
else
	echo "# chattr +i is not available here: skipped"
fi

# A read-only bind mount of the database's folder.
RW="$T/ro" RO="$T/ro-view"
mkdir -p "$RO"
export RATES_DB="$RO/rates.db"
if mount --bind "$RW" "$RO" 2>/dev/null; then
	MOUNTS="$RO $MOUNTS"
	if mount -o remount,bind,ro "$RO" 2>/dev/null; then
		# While a daemon has it open on the writable side, the -wal and
		# -shm files exist.
		RATES_DB="$RW/rates.db" start_daemon "$T/d5.log" 24kg --url "$BASE/www/r.html" --interval 1h
		wait_for 5 grep -Eq 'added|unchanged' "$T/d5.log"
		before=$(sqlite3 "$RW/rates.db" 'SELECT count(*) FROM sample')
		expect_code 1 "fetch through a read-only mount: exit 1" "$RATES" fetch 24kg --url "$BASE/www/s.html"
		expect_grep "with a clear error" "^rates: fetch: 24kg: $RATES_DB: .*attempt to write a readonly database" "$T/err"
		expect_code 0 "latest reads through it" "$RATES" latest
		expect_code 0 "and history" "$RATES" history --all
		stop_daemon
		# No -wal, no -shm (the last connection removed them): no
		# writer is connected, so readers open it as it is.
		expect_eq "with no process on it, no -wal or -shm is left" "" "$(ls "$RW" | grep -E -- '-(wal|shm)$')"
		expect_code 0 "then latest through the read-only mount: read as it is" "$RATES" latest
		expect_grep "with its rates" '^24kg +USD ' "$T/out"
		expect_eq "and no -wal or -shm made" "" "$(ls "$RW" | grep -E -- '-(wal|shm)$')"
		expect_code 1 "and fetch: exit 1" "$RATES" fetch 24kg --url "$BASE/www/s.html"
		echo "# fetch on a read-only mount without -shm: $(cat "$T/err")"
		expect_eq "nothing changed" "$before" "$(sqlite3 "$RW/rates.db" 'SELECT count(*) FROM sample')"
		expect_eq "PRAGMA integrity_check says ok" "ok" "$(sqlite3 "$RW/rates.db" 'PRAGMA integrity_check')"
	else
		echo "# a read-only remount is not permitted here: skipped"
	fi
	umount "$RO" && MOUNTS=${MOUNTS#"$RO "}
else
	echo "# a bind mount is not permitted here: skipped"
fi

finish
