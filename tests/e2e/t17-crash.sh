# t17-crash: crash safety.  The daemon and an import are killed with
# SIGKILL at random moments while they write, side by side on one database,
# at least 200 times in all (150 daemon kills, 60 import kills, by default);
# afterwards PRAGMA integrity_check says ok, every sample the program had
# reported as stored is there, nothing is there twice, and every committed
# import batch is a prefix of its files.
#
# How "reported as stored" is known:
# - the daemon polls a page that a background loop rewrites (atomically)
#   every ~50 ms with the next minute and a unique value per currency:
#   page i is observed at DBASE + i minutes and says USD 87.<i>,
#   EUR 102.<i>, RUB 1.<i> (six decimals), so a log line
#   "USD 87.000123 EUR 102.000123 RUB 1.000123, 3 added" names its sample
#   (the daemon logs it after the commit); a page shows for ~50 ms, so a
#   restarted daemon may poll it again, and must then find it present: a
#   sample logged "3 added" twice was committed, lost, and added again;
# - import batches of NPAGES pages, page j of batch b observed at
#   IBASE + (b * NPAGES + j) minutes with USD 88.<n>...; an import that
#   completes prints a summary, which must count as already present exactly
#   what earlier, killed runs had committed; a killed run must have
#   committed whole files, the first k of its list (it commits every 500
#   files), never part of one.
# Counts can be changed for a longer soak: T17_DAEMON_KILLS, T17_IMPORT_KILLS.
. "$(dirname "$0")/lib.sh"
start_server

DAEMON_KILLS=${T17_DAEMON_KILLS:-150}
IMPORT_KILLS=${T17_IMPORT_KILLS:-60}
NPAGES=750
DBASE=$(date -d '2025-01-01 00:00 +06:00' +%s)
IBASE=$(date -d '2024-01-01 00:00 +06:00' +%s)
DEADLINE=$(( ${EPOCHREALTIME%.*} + 70 )) # the loops stop here whatever the counts
mkdir -p "$T/imp"

# Queries while other processes write: wait for locks (recovery after a
# kill holds one for a moment) instead of failing.
q() {
	sqlite3 -batch -cmd '.timeout 10000' "$RATES_DB" "$1"
}

stop_all() {
	for f in "$T"/*.loop "$T"/*.cur; do
		[ -s "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
	done
	cleanup
}
trap stop_all EXIT

# The daemon's page: index $1.
daemon_page() {
	printf -v _w '%(%Y-%m-%d %H:%M)T' $((DBASE + $1 * 60))
	printf -v _u '87.%06d' "$1"
	printf -v _e '102.%06d' "$1"
	printf -v _r '1.%06d' "$1"
	page "$WWW/p.tmp" "${_w% *}" "${_w#* }" "$_u" "$_e" "$_r"
	mv -f "$WWW/p.tmp" "$WWW/p.html"
}

writer_loop() {
	i=1
	while :; do
		daemon_page "$i"
		i=$((i + 1))
		sleep 0.05
	done
}

# sleep_ms N: sleep N milliseconds.
sleep_ms() {
	sleep "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"
}

daemon_loop() {
	k=0 runs=0 busy=0
	while [ "$k" -lt "$DAEMON_KILLS" ] && [ "${EPOCHREALTIME%.*}" -lt "$DEADLINE" ]; do
		"$RATES" daemon 24kg --url "$BASE/www/p.html" --interval 20ms 2>"$T/d.log" &
		pid=$!
		echo "$pid" >"$T/daemon.cur"
		sleep_ms $((RANDOM % 301))
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		rc=$?
		runs=$((runs + 1))
		if [ "$rc" -eq 137 ]; then
			k=$((k + 1))
			# Killed after at least one poll had stored something.
			grep -q ' added (HTTP' "$T/d.log" && busy=$((busy + 1))
		else
			echo "daemon run $runs exited $rc by itself: $(tail -2 "$T/d.log")" >>"$T/problems"
		fi
		cat "$T/d.log" >>"$T/daemon.log"
		sed "s/^/[run $runs, pid $pid] /" "$T/d.log" >>"$T/daemon.runs.log"
	done
	: >"$T/daemon.cur"
	echo "$k $runs $busy" >"$T/daemon.kills"
}

gen_batch() {
	b=$1
	mkdir -p "$T/imp/$b"
	for ((j = 0; j < NPAGES; j++)); do
		n=$((b * NPAGES + j))
		printf -v _w '%(%Y-%m-%d %H:%M)T' $((IBASE + n * 60))
		printf -v _u '88.%06d' "$n"
		printf -v _e '103.%06d' "$n"
		printf -v _r '1.%06d' "$n"
		printf -v _f '%s/imp/%d/p%04d.html' "$T" "$b" "$j"
		page "$_f" "${_w% *}" "${_w#* }" "$_u" "$_e" "$_r"
	done
}

# batch_state B: "COUNT MAX-OBSERVED_AT" of batch B's samples.
batch_state() {
	lo=$((IBASE + $1 * NPAGES * 60))
	hi=$((lo + (NPAGES - 1) * 60))
	q "SELECT count(*) || ' ' || coalesce(max(observed_at), 0) FROM sample
	    WHERE observed_at BETWEEN $lo AND $hi"
}

# import_run B KILL-AFTER-MS (or "" to let it finish): one run; checks it.
import_run() {
	b=$1
	read -r before _ <<<"$(batch_state "$b")"
	files=("$T/imp/$b"/p*.html)
	start=$EPOCHREALTIME
	"$RATES" import "${files[@]}" >"$T/imp.out" 2>"$T/imp.err" &
	pid=$!
	echo "$pid" >"$T/import.cur"
	[ -n "$2" ] && { sleep_ms "$2"; kill -9 "$pid" 2>/dev/null; }
	wait "$pid" 2>/dev/null
	rc=$?
	took=$(( (${EPOCHREALTIME/./} - ${start/./}) / 1000 ))
	read -r after maxat <<<"$(batch_state "$b")"
	lo=$((IBASE + b * NPAGES * 60))
	cat "$T/imp.err" >>"$T/import.err"
	if [ "$after" -lt "$before" ]; then
		echo "import batch $b: $before samples were committed, now $after" >>"$T/problems"
	fi
	case $rc in
	137)
		imp_kills=$((imp_kills + 1))
		[ "$after" -gt "$before" ] && imp_mid=$((imp_mid + 1))
		# Whole files, and the first ones of the list.
		if [ $((after % 3)) -ne 0 ] ||
		    { [ "$after" -gt 0 ] && [ "$maxat" -ne $((lo + (after / 3 - 1) * 60)) ]; }; then
			echo "import batch $b killed: $after samples, the newest at $maxat: not a prefix of whole files" >>"$T/problems"
		fi
		;;
	0)
		# What it found already present is at least what was seen
		# before it: more when a run killed inside its last COMMIT
		# left that transaction in the WAL file, where a reader that
		# came while other connections kept the WAL index saw it not,
		# and the next first connection's recovery found it whole.
		[ "$before" -eq 0 ] && full_ms=$took
		said=$(cat "$T/imp.out")
		added=${said#* files: }
		added=${added%% samples added*}
		present=${said#*samples added, }
		present=${present%% already present*}
		case "$added$present" in
		'' | *[!0-9]*)
			echo "import batch $b: said '$said'" >>"$T/problems"
			;;
		*)
			if [ "$said" != "$NPAGES files: $added samples added, $present already present, 0 files failed" ] ||
			    [ $((added + present)) -ne $((3 * NPAGES)) ] || [ "$present" -lt "$before" ]; then
				echo "import batch $b: said '$said', with $before samples there before" >>"$T/problems"
			elif [ "$present" -gt "$before" ]; then
				echo "$b $before $present" >>"$T/late-commits"
			fi
			;;
		esac
		if [ "$after" -ne $((3 * NPAGES)) ]; then
			echo "import batch $b: completed, but $after samples of $((3 * NPAGES)) are there" >>"$T/problems"
		fi
		imp_done=$((imp_done + 1))
		;;
	*)
		echo "import batch $b: exit $rc: $(head -3 "$T/imp.err")" >>"$T/problems"
		;;
	esac
	return "$rc"
}

import_loop() {
	imp_kills=0 imp_mid=0 imp_done=0 runs=0 b=0 full_ms=0
	gen_batch 0
	import_run 0 "" # uncut: how long a batch takes
	b=1
	gen_batch 1
	while [ "$imp_kills" -lt "$IMPORT_KILLS" ] && [ "${EPOCHREALTIME%.*}" -lt "$DEADLINE" ]; do
		runs=$((runs + 1))
		# A moment within a fresh run, from before it opens the database
		# to the end of its last batch.
		if import_run "$b" $((RANDOM % (full_ms + 5))); then
			b=$((b + 1))
			gen_batch "$b"
		fi
	done
	# Finish the last batch, uncut.
	import_run "$b" "" || echo "the last import of batch $b did not complete" >>"$T/problems"
	: >"$T/import.cur"
	echo "$imp_kills $runs $imp_mid $((b + 1)) $full_ms" >"$T/import.kills"
}

daemon_page 0
writer_loop &
echo $! >"$T/writer.loop"
daemon_loop &
echo $! >"$T/daemon.loop"
import_loop &
echo $! >"$T/import.loop"
wait "$(cat "$T/daemon.loop")" "$(cat "$T/import.loop")"
kill -9 "$(cat "$T/writer.loop")" 2>/dev/null
wait "$(cat "$T/writer.loop")" 2>/dev/null
: >"$T/writer.loop"

read -r dkills druns dbusy <"$T/daemon.kills"
read -r ikills iruns imid nbatches full_ms <"$T/import.kills"
kills=$((dkills + ikills))

if [ -s "$T/problems" ]; then
	fail "no run of the daemon or import went wrong" "$(head -20 "$T/problems")"
else
	pass "no run of the daemon or import went wrong"
fi
expect_eq "the daemon was killed at least $DAEMON_KILLS times" "yes" \
    "$([ "$dkills" -ge "$DAEMON_KILLS" ] && echo yes || echo "no: $dkills in $druns runs")"
expect_eq "the import was killed at least $IMPORT_KILLS times" "yes" \
    "$([ "$ikills" -ge "$IMPORT_KILLS" ] && echo yes || echo "no: $ikills in $iruns runs")"
if [ -s "$T/late-commits" ]; then
	echo "# a COMMIT cut by kill -9 was found whole by a later run (batch, seen before, found): $(tr '\n' ';' <"$T/late-commits")"
fi
echo "# $kills kills: daemon $dkills ($dbusy after it had stored), import $ikills ($imid in the middle of a batch, after a commit; $nbatches batches of $NPAGES pages, ${full_ms} ms a batch)"
expect_eq "$kills kills in all (at least 200)" "yes" "$([ "$kills" -ge 200 ] && echo yes || echo no)"

expect_eq "PRAGMA integrity_check says ok" "ok" "$(q 'PRAGMA integrity_check')"
expect_eq "no (source, currency, observed_at) is there twice" "0" \
    "$(q 'SELECT count(*) FROM (SELECT 1 FROM sample GROUP BY source, currency, observed_at HAVING count(*) > 1)')"
expect_no_grep "no database error in the daemon's log" 'locked|busy|malformed|corrupt|I/O|error' "$T/daemon.log"
expect_no_grep "nor in the import's" 'locked|busy|malformed|corrupt|I/O|error' "$T/import.err"

# What the daemon reported as stored:
# "USD 87.<i> EUR 102.<i> RUB 1.<i>, N added".
grep -aE '^rates: daemon: 24kg: USD 87\.[0-9]{6} EUR 102\.[0-9]{6} RUB 1\.[0-9]{6}, [0-9]+ added \(HTTP 200, [0-9]+ bytes, [0-9]+ ms\); next poll in ' "$T/daemon.log" |
    sed -E 's/^rates: daemon: 24kg: USD 87\.([0-9]{6}) EUR 102\.([0-9]{6}) RUB 1\.([0-9]{6}), ([0-9]+) added.*/\1 \2 \3 \4/' >"$T/reported"
reported_added=$(awk '$4 == 3' "$T/reported" | wc -l)
reported_all=$(wc -l <"$T/reported")
expect_eq "each logged poll is of one page (the same index in all three rates)" "0" \
    "$(awk '$1 != $2 || $2 != $3' "$T/reported" | wc -l)"
expect_eq "each logged poll added all three or none" "0" "$(awk '$4 != 3 && $4 != 0' "$T/reported" | wc -l)"
# A sample added twice was lost in between: the second poll found it gone.
twice=$(awk '$4 == 3 { n[$1]++ } END { for (i in n) if (n[i] > 1) print i }' "$T/reported" | sort | head -5)
if [ -z "$twice" ]; then
	pass "no sample was reported added twice (no committed write was lost, then added again)"
else
	fail "no sample was reported added twice (no committed write was lost, then added again)" \
	    "$(for i in $twice; do grep -a "USD 87\.$i " "$T/daemon.runs.log"; done)"
fi
# Every sample logged as stored (added or already present) is there.
awk '{ print "INSERT INTO r VALUES (" $1 + 0 ");" }' "$T/reported" | sort -u >"$T/reported.sql"
missing=$( { echo "CREATE TEMP TABLE r (i INTEGER PRIMARY KEY);"; cat "$T/reported.sql"
	echo "SELECT group_concat(i, ' ') FROM r WHERE (SELECT count(*) FROM sample s
	    WHERE s.source = '24kg' AND s.observed_at = $DBASE + r.i * 60 AND
	    s.rate_text = CASE s.currency WHEN 'USD' THEN printf('87.%06d', r.i)
	    WHEN 'EUR' THEN printf('102.%06d', r.i) WHEN 'RUB' THEN printf('1.%06d', r.i) END) <> 3;"; } |
    sqlite3 -batch "$RATES_DB")
expect_eq "every sample the daemon reported as stored is there ($reported_added polls logged '3 added')" "" "$missing"

dstored=$(q "SELECT count(*) FROM sample WHERE observed_at >= $DBASE")
istored=$(q "SELECT count(*) FROM sample WHERE observed_at BETWEEN $IBASE AND $((DBASE - 1))")
dpages=$(q "SELECT count(DISTINCT observed_at) FROM sample WHERE observed_at >= $DBASE")
expect_eq "the daemon's samples: 3 for each page time stored" "$((3 * dpages))" "$dstored"
expect_eq "and at least one for each poll that logged '3 added'" "yes" \
    "$([ "$dpages" -ge "$reported_added" ] && echo yes || echo "no: $dpages pages, $reported_added logged")"
expect_eq "each is what its page said" "0" "$(q "SELECT count(*) FROM sample WHERE observed_at >= $DBASE AND
    rate_text <> CASE currency WHEN 'USD' THEN printf('87.%06d', (observed_at - $DBASE) / 60)
    WHEN 'EUR' THEN printf('102.%06d', (observed_at - $DBASE) / 60)
    WHEN 'RUB' THEN printf('1.%06d', (observed_at - $DBASE) / 60) END")"
expect_eq "the imports' samples: 3 for each page of the $nbatches batches" "$((3 * NPAGES * nbatches))" "$istored"
expect_eq "each is what its page said" "0" "$(q "SELECT count(*) FROM sample WHERE observed_at < $DBASE AND
    rate_text <> CASE currency WHEN 'USD' THEN printf('88.%06d', (observed_at - $IBASE) / 60)
    WHEN 'EUR' THEN printf('103.%06d', (observed_at - $IBASE) / 60)
    WHEN 'RUB' THEN printf('1.%06d', (observed_at - $IBASE) / 60) END")"
total=$(count)
expect_eq "nothing else is stored" "$((dstored + istored))" "$total"
echo "# samples: $total ($dstored from the daemon, $dpages pages, $reported_added polls logged '3 added', $reported_all logged polls with rates; $istored from imports)"

# The database is usable as it is.
expect_code 0 "latest reads it" "$RATES" latest
expect_code 0 "export reads all of it" "$RATES" export --all --long
expect_eq "one line per sample and the header" "$((total + 1))" "$(wc -l <"$T/out")"
expect_code 0 "a daemon starts on it and stores" "$RATES" daemon 24kg --once --url "$BASE/www/p.html"

finish
