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

# Help that fits 80 columns, everywhere; rates help COMMAND.
expect_code 0 "rates help" "$RATES" help
expect_grep "is rates --help" '^  latest ' "$T/out"
wide=
for c in "" fetch daemon import check latest at history export stats chart revisions status sources; do
	"$RATES" help $c >"$T/h" 2>&1 || wide="$wide [help $c failed]"
	w=$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$T/h")
	[ "$w" -le 80 ] || wide="$wide ${c:-rates}:$w"
done
expect_eq "every help fits 80 columns" "" "$wide"
expect_code 0 "rates help history" "$RATES" help history
expect_grep "is the command's help" '^usage: rates history ' "$T/out"
expect_code 0 "rates help help" "$RATES" help help
expect_grep "is the usage" '^usage: rates ' "$T/out"
expect_code 2 "rates help nosuch" "$RATES" help nosuch
expect_code 2 "a mistyped command" "$RATES" histroy
expect_eq "suggests the nearest" "rates: unknown command 'histroy' (did you mean 'history'?)" "$(head -1 "$T/err")"
expect_code 2 "a command cut short" "$RATES" revis
expect_eq "suggests the one it begins" "rates: unknown command 'revis' (did you mean 'revisions'?)" "$(head -1 "$T/err")"
expect_code 2 "one letter" "$RATES" x
expect_eq "is too short to guess from" "rates: unknown command 'x'" "$(head -1 "$T/err")"

# Long forms of the global options; one meaning per letter.
expect_code 1 "--db" "$RATES" --db "$T/long.db" latest
expect_grep "names the database" "$T/long.db: no database here yet" "$T/err"
expect_code 1 "--db=FILE" "$RATES" --db="$T/long2.db" latest
expect_grep "names that one" "$T/long2.db: no database here yet" "$T/err"
expect_code 1 "--config, missing" "$RATES" --config "$T/none.conf" sources
expect_grep "is read" "$T/none.conf: No such file or directory" "$T/err"
expect_code 0 "--quiet" "$RATES" --quiet --version
expect_code 0 "--verbose" "$RATES" --verbose --version
for c in fetch daemon import check latest at history export stats chart revisions status sources; do
	"$RATES" help $c
done 2>&1 | grep -oE '^  -[a-zA-Z], --[a-z-]+' | sort -u | awk '{ print $1 }' | sort | uniq -d >"$T/dups"
expect_eq "no letter means two options" "" "$(cat "$T/dups")"
expect_code 2 "--at has no letter (-a is --all)" "$RATES" import -a 2025-12-01 "$FIXTURE"
expect_code 2 "-c after the command is no option" "$RATES" history -c USD

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
expect_code 2 "--url must be http or https" "$RATES" fetch 24kg --url ftp://127.0.0.1/x
expect_grep "says why" "only http:// and https://" "$T/err"
expect_eq "usage errors create no database" "no" "$([ -e "$RATES_DB" ] && echo yes || echo no)"

# make install honours PREFIX and DESTDIR.
expect_code 0 "make install" make -s -C "$TOP" install DESTDIR="$T/dest" PREFIX=/opt/r
expect_eq "installs the binary and the man page" "yes yes" \
    "$([ -x "$T/dest/opt/r/bin/rates" ] && echo yes) $([ -f "$T/dest/opt/r/share/man/man1/rates.1" ] && echo yes)"
expect_code 0 "the installed binary runs" "$T/dest/opt/r/bin/rates" --version
for f in share/bash-completion/completions/rates share/zsh/site-functions/_rates \
    share/fish/vendor_completions.d/rates.fish lib/systemd/system/rates.service; do
	expect_eq "and $f" "yes" "$([ -s "$T/dest/opt/r/$f" ] && echo yes || echo no)"
done
expect_grep "the unit runs the installed binary" '^ExecStart=/opt/r/bin/rates ' "$T/dest/opt/r/lib/systemd/system/rates.service"
expect_code 0 "make uninstall" make -s -C "$TOP" uninstall DESTDIR="$T/dest" PREFIX=/opt/r
expect_eq "removes them all" "" "$(find "$T/dest" -type f)"

finish
