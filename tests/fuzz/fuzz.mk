# fuzz.mk: the fuzz harnesses, read after the Makefile so that they link
# the same module objects (LIB_OBJ) with the same flags (ALL_CFLAGS) and
# libraries (PKG_LIBS), built in B with the compiler and CFLAGS given.
#
# With libFuzzer (tests/fuzz/run):
#   make -f Makefile -f tests/fuzz/fuzz.mk B=build-fuzz CC=clang \
#       CFLAGS='-g -O1 -fsanitize=fuzzer-no-link,address,undefined' fuzzers
# Without it, any compiler, over files named on the command line
# (tests/e2e/t19-fuzz-replay.sh):
#   make -f Makefile -f tests/fuzz/fuzz.mk B=DIR CFLAGS=... replayers
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_LINK ?= -fsanitize=fuzzer,address,undefined

$(B)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(LIB_OBJ) src/rates.h
	$(CC) $(ALL_CFLAGS) $(FUZZ_LINK) $(LDFLAGS) -o $@ $< $(LIB_OBJ) \
		$(PKG_LIBS)

$(B)/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
		$(LIB_OBJ) src/rates.h
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< tests/fuzz/replay.c \
		$(LIB_OBJ) $(PKG_LIBS)

fuzzers: $(FUZZ_NAMES:%=$(B)/fuzz_%)

replayers: $(FUZZ_NAMES:%=$(B)/replay_%)

.PHONY: fuzzers replayers
