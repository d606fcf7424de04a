# t19-fuzz-replay: every input kept for the fuzzers, the seeds
# (tests/fuzz/seeds/NAME/) and the inputs that found bugs
# (tests/fuzz/regress/NAME/), replayed through its harness
# (tests/fuzz/fuzz_NAME.c) without libFuzzer, with tests/fuzz/replay.c as
# main.  The modules are built apart in $T with AddressSanitizer,
# UndefinedBehaviorSanitizer and locals initialised to a pattern, so that
# an input that once read freed memory, leaked or used an uninitialised
# pointer fails here too, not only under the fuzzer.
# shellcheck shell=bash source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

SAN='-g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -ftrivial-auto-var-init=pattern'
export ASAN_OPTIONS=detect_leaks=1
export UBSAN_OPTIONS=print_stacktrace=1

# Not the MAKEFLAGS of a "make test" above: its variables would win.
expect_code 0 "the harnesses build without libFuzzer" \
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
    make -s -C "$TOP" -f Makefile -f tests/fuzz/fuzz.mk B="$T/obj" \
    CFLAGS="$SAN" replayers
if [ "$CODE" -ne 0 ]; then
	finish
	exit
fi

for src in "$TOP"/tests/fuzz/fuzz_*.c; do
	n=${src##*/fuzz_}
	n=${n%.c}
	seeds=0
	for kind in seeds regress; do
		for input in "$TOP/tests/fuzz/$kind/$n"/*; do
			[ -f "$input" ] || continue
			[ "$kind" = seeds ] && seeds=$((seeds + 1))
			expect_code 0 "fuzz_$n replays $kind/$n/${input##*/}" \
			    "$T/obj/replay_$n" "$input"
		done
	done
	if [ "$seeds" -gt 0 ]; then
		pass "fuzz_$n has $seeds seeds"
	else
		fail "fuzz_$n has no seeds in tests/fuzz/seeds/$n/"
	fi
done

# The replay itself: a file it cannot read is an error, not a pass.
expect_code 1 "a missing input fails the replay" \
    "$T/obj/replay_decimal" "$T/no-such-input"
expect_grep "and is named" "replay: $T/no-such-input: No such file" "$T/err"

finish
