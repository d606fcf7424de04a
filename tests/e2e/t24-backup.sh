# t24-backup: rates backup FILE, a consistent copy while the daemon writes
# (VACUUM INTO); refused over a file that is there unless --force, which
# replaces it whole; the copy is a rates database that rates reads.
. "$(dirname "$0")/lib.sh"
start_server

page "$WWW/p.html" 2025-12-18 11:26 87.45 102.48 1.10
"$RATES" -q import "$WWW/p.html" >/dev/null 2>&1
expect_code 0 "backup FILE" "$RATES" backup "$T/b.db"
expect_grep "says so" "backed up $RATES_DB to $T/b.db" "$T/err"
expect_eq "the copy is whole" "ok|3" "$(sqlite3 "$T/b.db" 'PRAGMA integrity_check' 'SELECT count(*) FROM sample' | paste -sd'|')"
expect_code 0 "rates reads the copy" "$RATES" -d "$T/b.db" latest
expect_grep "with its rates" '^24kg +USD +87\.45' "$T/out"

before=$(stat -c %Y.%s "$T/b.db")
expect_code 1 "over a file that is there" "$RATES" backup "$T/b.db"
expect_eq "is refused" "rates: backup: $T/b.db: there is a file there already (--force replaces it)" "$(cat "$T/err")"
expect_eq "which is left as it was" "$before" "$(stat -c %Y.%s "$T/b.db")"
page "$WWW/p2.html" 2025-12-18 12:00 87.50 102.48 1.10
"$RATES" -q import "$WWW/p2.html" >/dev/null 2>&1
expect_code 0 "--force replaces it" "$RATES" backup --force "$T/b.db"
expect_eq "with the newer state" "6" "$(sqlite3 "$T/b.db" 'SELECT count(*) FROM sample')"
expect_code 1 "the database onto itself" "$RATES" backup --force "$RATES_DB"
expect_grep "is refused" "that is the database itself" "$T/err"
expect_code 2 "'-'" "$RATES" backup -
expect_code 1 "a folder" "$RATES" backup "$T"
expect_grep "is not a file to write" "not a regular file" "$T/err"
ln -s link-target.db "$T/link.db"
expect_code 0 "a symbolic link" "$RATES" backup "$T/link.db"
expect_eq "is followed: the link stays, its target is the copy" "symbolic link|3" \
    "$(stat -c %F "$T/link.db")|$(sqlite3 "$T/link-target.db" 'SELECT count(*) / 2 FROM sample')"
expect_eq "with the usual permissions" "644" "$(umask 022; rm -f "$T/m.db"; "$RATES" -q backup "$T/m.db"; stat -c %a "$T/m.db")"
expect_code 1 "a folder that is not there" "$RATES" backup "$T/no/b.db"
expect_grep "says why" "No such file or directory" "$T/err"
expect_eq "nothing is left beside the files" "" "$(ls "$T" | grep -E '\.db\.[A-Za-z0-9]{6}$')"

# While the daemon writes every 100 ms (a page that changes every poll):
# every copy is consistent.
i=0
"$RATES" daemon 24kg --url "$BASE/www/p.html" --interval 100ms 2>"$T/daemon.log" &
dpid=$!
KILL_PIDS="$dpid"
bad=
for i in 1 2 3 4 5 6 7 8; do
	page "$WWW/p.html" 2025-12-19 "1$i:00" "87.5$i" 102.48 1.10
	sleep 0.2
	if ! "$RATES" backup "$T/live$i.db" 2>"$T/b.err"; then
		bad="$bad [$i: $(cat "$T/b.err")]"
		continue
	fi
	r=$(sqlite3 "$T/live$i.db" 'PRAGMA integrity_check' "SELECT count(*) % 3 FROM sample")
	[ "$r" = "ok
0" ] || bad="$bad [$i: $r]"
done
kill -TERM "$dpid"; wait "$dpid"
expect_eq "8 copies beside the daemon, each whole and consistent" "" "$bad"
expect_no_grep "the daemon saw no lock" 'locked|busy' "$T/daemon.log"
expect_eq "and the last copy has the daemon's samples" "yes" \
    "$([ "$(sqlite3 "$T/live8.db" 'SELECT count(*) FROM sample')" -gt 6 ] && echo yes || echo no)"

finish
