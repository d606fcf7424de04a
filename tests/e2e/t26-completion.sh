# t26-completion: rates completion bash|zsh|fish prints a script made from
# the table of commands; in bash it completes commands, their options,
# formats, and the source and currency names of the config in effect.
. "$(dirname "$0")/lib.sh"

mkdir -p "$T/bin"
printf '#!/bin/sh\nexec "%s" "$@"\n' "$RATES" >"$T/bin/rates"
chmod +x "$T/bin/rates"
export PATH="$T/bin:$PATH"
mkdir -p "$HOME/.config/rates"
printf '[source other]\nurl = http://127.0.0.1/\ncurrencies = KZT USD\npattern = (?<code>[A-Z]{3})=(?<rate>[0-9.]+)\n' \
    >"$HOME/.config/rates/rates.conf"

expect_code 0 "completion bash" "$RATES" completion bash
cp "$T/out" "$T/rates.bash"
expect_code 0 "is bash" bash -n "$T/rates.bash"

# complete WORDS...: what bash offers for the last word.
complete_words() {
	bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_rates
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$T/rates.bash" "$@"
}
expect_eq "a command from its start" "history" "$(complete_words rates hist)"
expect_eq "every command, help too" "yes" \
    "$(complete_words rates '' | grep -qx revisions && complete_words rates '' | grep -qx help && echo yes)"
expect_eq "after global options" "latest" "$(complete_words rates -d x.db lat)"
expect_eq "a command's options" "--currency" "$(complete_words rates history --cur)"
expect_eq "the formats" "csv" "$(complete_words rates latest --format c)"
expect_eq "the sources of the config in effect" "24kg
nbkr
nbkr-weekly
other" "$(complete_words rates history --source '')"
expect_eq "the currencies of the enabled ones, each once" "CNY
EUR
KZT
RUB
USD" "$(complete_words rates history --currency '')"
expect_eq "fetch takes source names" "other" "$(complete_words rates fetch o)"
expect_eq "the shells" "zsh" "$(complete_words rates completion z)"
printf '[source mine]\nurl = http://127.0.0.1/\ncurrencies = CNY\npattern = (?<code>[A-Z]{3})=(?<rate>[0-9.]+)\n' >"$T/d.conf"
expect_eq "the sources of a -c file too" "yes" \
    "$(complete_words rates -c "$T/d.conf" history --source '' | grep -qx mine && echo yes)"
expect_eq "after --db=FILE (bash splits at =)" "history" "$(complete_words rates --db = x.db hist)"
expect_eq "--color= offers its values" "always" "$(complete_words rates --color = al)"
expect_eq "sources takes conf or json" "conf
json" "$(complete_words rates sources --format '')"
expect_eq "help takes a command" "history" "$(complete_words rates help hist)"
expect_eq "completion --list takes what to list" "currencies
sources" "$(complete_words rates completion --list '')"
expect_eq "an option's own value is the user's" "" "$(complete_words rates history --since '')"

expect_code 0 "completion zsh" "$RATES" completion zsh
expect_grep "is a zsh completion" '^#compdef rates$' "$T/out"
if command -v zsh >/dev/null; then
	expect_code 0 "that zsh reads" zsh -n "$T/out"
fi
expect_code 0 "completion fish" "$RATES" completion fish
expect_grep "is a fish completion" '^complete -c rates -n __fish_use_subcommand -a history' "$T/out"
if command -v fish >/dev/null; then
	cp "$T/out" "$T/rates.fish"
	expect_code 0 "that fish reads" fish -n "$T/rates.fish"
fi
expect_code 2 "another shell" "$RATES" completion tcsh
expect_code 2 "no shell" "$RATES" completion

finish
