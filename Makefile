# rates: a plain Makefile; pkg-config finds libcurl, sqlite3, libpcre2-8,
# expat and libmicrohttpd.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=

CC ?= cc
PKG_CONFIG ?= pkg-config
PKGS = libcurl sqlite3 libpcre2-8 expat libmicrohttpd
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wpointer-arith -Wcast-qual -Wwrite-strings -Wvla \
	-Wnull-dereference -Wimplicit-fallthrough
ifeq ($(WERROR),1)
WARNINGS += -Werror
endif
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS))
# libcurl is loaded with dlopen when a command needs the network (http.c).
PKG_LIBS := $(shell $(PKG_CONFIG) --libs sqlite3 libpcre2-8 expat libmicrohttpd) -ldl -lpthread
ALL_CFLAGS = -std=c17 -D_GNU_SOURCE $(WARNINGS) $(PKG_CFLAGS) -Isrc -Ibuild $(CFLAGS)

# B and BIN may be set to build apart (tests/sanitize builds in build-sanitize/).
B ?= build
BIN ?= rates
LIB_SRC = src/afile.c src/args.c src/buf.c src/config.c src/db.c src/decimal.c src/extract.c \
	src/report.c src/select.c src/writer.c \
	src/http.c src/lock.c src/log.c src/nbkr.c src/output.c src/page.c src/poll.c src/query.c src/record.c \
	src/timefmt.c src/xmalloc.c
CMD_SRC = src/cmd_at.c src/cmd_backfill.c src/cmd_backup.c src/cmd_compare.c src/cmd_chart.c src/cmd_completion.c src/cmd_check.c src/cmd_daemon.c src/cmd_export.c \
	src/cmd_fetch.c \
	src/cmd_history.c src/cmd_import.c src/cmd_latest.c src/cmd_revisions.c \
	src/cmd_serve.c src/cmd_sources.c \
	src/cmd_stats.c src/cmd_status.c
LIB_OBJ = $(LIB_SRC:src/%.c=$(B)/%.o) $(B)/schema.o
CMD_OBJ = $(CMD_SRC:src/%.c=$(B)/%.o)
UNIT = decimal timefmt extract config
UNIT_BIN = $(UNIT:%=$(B)/test_%)

all: $(BIN)

$(BIN): $(LIB_OBJ) $(CMD_OBJ) $(B)/main.o
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(B)/%.o: src/%.c src/rates.h | $(B)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/schema.c: scripts/embed-schema $(wildcard schema/*.sql) | $(B)
	scripts/embed-schema $(sort $(wildcard schema/*.sql)) > $@.tmp && mv $@.tmp $@

$(B)/schema.o: $(B)/schema.c src/rates.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B):
	mkdir -p $(B)

# Unit tests link the modules (not main or the commands) and cmocka.
$(B)/test_%: tests/unit/test_%.c $(LIB_OBJ) src/rates.h
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB_OBJ) $(PKG_LIBS) \
		$(shell $(PKG_CONFIG) --libs cmocka)

unit: $(UNIT_BIN)

# Every test, unit and end to end; ends with "N passed, N failed".
test: $(BIN) $(UNIT_BIN)
	@tests/run

# Export opened in LibreOffice Calc: slow, so not part of test.
test-spreadsheet: rates
	@tests/spreadsheet/run

# The whole suite under AddressSanitizer and UndefinedBehaviorSanitizer,
# built apart in build-sanitize/ (tests/sanitize).
sanitize:
	@tests/sanitize

# Each libFuzzer harness for a bounded time (FUZZ_SECONDS, default 60).
fuzz:
	@tests/fuzz/run

bench: rates
	scripts/bench

DATADIR ?= $(PREFIX)/share
UNITDIR ?= $(PREFIX)/lib/systemd/system

# The binary, the man page, the completion scripts (made by the binary from
# its own table of commands) and the systemd unit.
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions \
		$(DESTDIR)$(DATADIR)/zsh/site-functions \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d $(DESTDIR)$(UNITDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/rates
	install -m 644 rates.1 $(DESTDIR)$(MANDIR)/man1/rates.1
	./$(BIN) -c /dev/null completion bash >$(DESTDIR)$(DATADIR)/bash-completion/completions/rates
	./$(BIN) -c /dev/null completion zsh >$(DESTDIR)$(DATADIR)/zsh/site-functions/_rates
	./$(BIN) -c /dev/null completion fish >$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/rates.fish
	sed 's|/usr/local/bin/rates|$(BINDIR)/rates|' scripts/rates.service \
		>$(DESTDIR)$(UNITDIR)/rates.service
	chmod 644 $(DESTDIR)$(UNITDIR)/rates.service
	sed 's|/usr/local/bin/rates|$(BINDIR)/rates|' scripts/rates-serve.service \
		>$(DESTDIR)$(UNITDIR)/rates-serve.service
	chmod 644 $(DESTDIR)$(UNITDIR)/rates-serve.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rates $(DESTDIR)$(MANDIR)/man1/rates.1 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions/rates \
		$(DESTDIR)$(DATADIR)/zsh/site-functions/_rates \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d/rates.fish \
		$(DESTDIR)$(UNITDIR)/rates.service \
		$(DESTDIR)$(UNITDIR)/rates-serve.service

clean:
	rm -rf $(B) rates build-fuzz build-sanitize

.PHONY: all unit test test-spreadsheet sanitize fuzz bench install uninstall clean
.DELETE_ON_ERROR:
