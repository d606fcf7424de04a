# t01-cli: the command line itself: help, version, usage errors (exit 2,
# one line naming the bad argument, then the usage).
. "$(dirname "$0")/lib.sh"

expect_code 0 "rates --help exits 0" "$RATES" --help
expect_grep "--help lists every command" '^  latest ' "$T/out"
for c in fetch import check latest sources; do
	expect_code 0 "rates $c --help exits 0" "$RATES" "$c" --help
	expect_grep "rates $c --help shows its usage" "^usage: rates $c" "$T/out"
done
expect_code 0 "--version" "$RATES" --version
expect_grep "--version prints the version" '^rates [0-9]+\.[0-9]+' "$T/out"
expect_grep "and the version of libcurl in use" "^libcurl $(curl-config --version 2>/dev/null | cut -d' ' -f2 || echo '[0-9.]+')$" "$T/out"
expect_grep "of SQLite, as the library says" "^SQLite $(sqlite3 -batch :memory: 'select sqlite_version()')$" "$T/out"
expect_grep "and of PCRE2" '^PCRE2 [0-9]+\.[0-9]+' "$T/out"

expect_code 2 "no command is a usage error" "$RATES"
expect_grep "no command shows the usage" '^usage: rates' "$T/err"

expect_code 2 "an unknown command is a usage error" "$RATES" frobnicate
expect_eq "an unknown command is named" "rates: unknown command 'frobnicate'" "$(head -1 "$T/err")"

expect_code 2 "an unknown global option is a usage error" "$RATES" --frob latest
expect_eq "an unknown global option is named" "rates: unknown option '--frob'" "$(head -1 "$T/err")"

expect_code 2 "an unknown command option is a usage error" "$RATES" latest --bogus
expect_eq "an unknown command option is named" "rates: latest: unknown option '--bogus'" "$(head -1 "$T/err")"
expect_grep "and the command's usage follows" '^usage: rates latest' "$T/err"

expect_code 2 "-d without a value" "$RATES" -d
expect_code 2 "an option without its argument" "$RATES" import --at
expect_grep "names the option" "option '--at' needs an argument" "$T/err"
expect_code 2 "import needs a file" "$RATES" import
expect_code 2 "check takes one argument" "$RATES" check a b
expect_grep "names the extra argument" "unexpected argument 'b'" "$T/err"
expect_code 2 "a bad --at date" "$RATES" import --at 2025-13-01 "$FIXTURE"
expect_grep "names the bad date" "bad time '2025-13-01'" "$T/err"
expect_code 2 "an unknown source" "$RATES" fetch nosuch
expect_grep "names the unknown source" "unknown source 'nosuch'" "$T/err"
expect_code 2 "--url must be http or https" "$RATES" fetch --url ftp://127.0.0.1/x
expect_grep "says why" "only http:// and https://" "$T/err"
expect_eq "usage errors create no database" "no" "$([ -e "$RATES_DB" ] && echo yes || echo no)"

# make install honours PREFIX and DESTDIR.
expect_code 0 "make install" make -s -C "$TOP" install DESTDIR="$T/dest" PREFIX=/opt/r
expect_eq "installs the binary and the man page" "yes yes" \
    "$([ -x "$T/dest/opt/r/bin/rates" ] && echo yes) $([ -f "$T/dest/opt/r/share/man/man1/rates.1" ] && echo yes)"
expect_code 0 "the installed binary runs" "$T/dest/opt/r/bin/rates" --version

finish
