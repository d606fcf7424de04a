# t08-schema: the schema is built in and migrated by PRAGMA user_version;
# a database made by an older version opens and migrates with its data; a
# newer one is refused; the database runs in WAL mode.
. "$(dirname "$0")/lib.sh"

latest=$(ls "$TOP"/schema/*.sql | wc -l)
"$RATES" -q import "$FIXTURE"
expect_eq "a new database is at the latest schema version" "$latest" "$(sql 'PRAGMA user_version')"
expect_eq "in WAL mode" "wal" "$(sql 'PRAGMA journal_mode')"
expect_eq "it is sound" "ok" "$(sql 'PRAGMA integrity_check')"

# A database as version 1 made it: schema 001 only, with a sample.
export RATES_DB="$T/old.db"
sqlite3 "$RATES_DB" <"$TOP/schema/001_sample.sql"
sqlite3 "$RATES_DB" "PRAGMA user_version = 1;
    INSERT INTO sample VALUES ('24kg', 'USD', 1764550800, 1764550800, '86.90', 86900000);"
expect_code 0 "latest opens a version-1 database" "$RATES" latest
expect_grep "and shows its data" '^24kg +USD +86\.90 ' "$T/out"
expect_eq "which is migrated" "$latest" "$(sql 'PRAGMA user_version')"
expect_eq "with the fetch log added" "fetch_log" "$(sql "SELECT name FROM sqlite_master WHERE name = 'fetch_log'")"
expect_code 0 "and takes new samples" "$RATES" import "$FIXTURE"
expect_eq "beside the old one" "4" "$(count)"

# A database from a newer rates.
export RATES_DB="$T/new.db"
sqlite3 "$RATES_DB" "PRAGMA user_version = 99"
expect_code 1 "a newer schema is refused" "$RATES" latest
expect_eq "with a clear message" "rates: latest: $RATES_DB: schema version 99 is newer than this rates knows ($latest)" "$(cat "$T/err")"

# Not a database at all.
export RATES_DB="$T/not.db"
echo "hello, I am a text file, not a database, and I am long enough to matter" >"$RATES_DB"
expect_code 1 "a file that is not a database" "$RATES" import "$FIXTURE"
expect_grep "is reported" "not a database" "$T/err"
expect_eq "and left alone" "hello, I am a text file, not a database, and I am long enough to matter" "$(cat "$RATES_DB")"

# Another program's database is not taken over; an empty one is fine.
export RATES_DB="$T/other.db"
sqlite3 "$RATES_DB" "CREATE TABLE invoices (id INTEGER, total TEXT); INSERT INTO invoices VALUES (1, '10.00'); PRAGMA user_version = 7"
sum=$(md5sum <"$RATES_DB")
expect_code 1 "another program's database" "$RATES" import "$FIXTURE"
expect_eq "is refused, saying why" "rates: import: $RATES_DB: not a rates database: it holds 1 table of another program (invoices) and none of rates; give another path with -d" "$(cat "$T/err")"
expect_code 1 "by a command that only reads, too" "$RATES" latest
expect_code 1 "by check, which stores nothing" "$RATES" check "$FIXTURE"
expect_eq "and left as it was, byte for byte" "$sum" "$(md5sum <"$RATES_DB")"
expect_eq "no WAL files beside it" "" "$(ls "$RATES_DB"-* 2>/dev/null)"
export RATES_DB="$T/empty.db"
sqlite3 "$RATES_DB" "PRAGMA user_version = 0; VACUUM"
expect_code 0 "an empty SQLite file is made a rates database" "$RATES" import "$FIXTURE"

# A database path that cannot be made.
expect_code 1 "an unwritable database path" "$RATES" -d /dev/null/rates.db import "$FIXTURE"
expect_eq "says why" "rates: import: cannot create /dev/null: Not a directory" "$(cat "$T/err")"
mkdir "$T/ro"
chmod 555 "$T/ro"
if [ "$(id -u)" -ne 0 ]; then
	expect_code 1 "a read-only folder" "$RATES" -d "$T/ro/rates.db" import "$FIXTURE"
fi

finish
