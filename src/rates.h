/*
 * rates.h: the one header of rates, shared by every module and command.
 *
 * Modules (db, http, extract, config, timefmt, decimal, record, buf) never
 * print and never exit: they return -1 or NULL and hand back a message in a
 * char **cause that the caller frees.  Commands (cmd_*.c) print and choose
 * the exit status.
 */
#ifndef RATES_H
#define RATES_H

#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define RATES_VERSION "0.1.0"

/* Exit statuses, SPEC section 5. */
#define EXIT_OK 0
#define EXIT_ERROR 1
#define EXIT_USAGE 2
#define EXIT_NORATES 3

/* Hard limits, SPEC section 7. */
#define HTTP_MAX_BODY (8u * 1024 * 1024)
#define HTTP_MAX_REDIRS 5L
#define HTTP_CONNECT_TIMEOUT 10L
#define HTTP_TIMEOUT 60L
#define HTTP_LOW_SPEED_LIMIT 100L
#define HTTP_LOW_SPEED_TIME 20L

#ifndef __GNUC__
#define __attribute__(x)
#endif
#define PRINTFLIKE(a, b) __attribute__((format(printf, a, b)))
#define NORETURN __attribute__((noreturn))

/* xmalloc.c */
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *, ...) PRINTFLIKE(1, 2);
char *xvasprintf(const char *, va_list) PRINTFLIKE(1, 0);

/* buf.c: a growable string, always NUL-terminated. */
struct buf {
	char *data;
	size_t len;
	size_t size;
};
#define BUF_INIT {NULL, 0, 0}
void buf_init(struct buf *);
void buf_release(struct buf *);
void buf_grow(struct buf *, size_t);
void buf_add(struct buf *, const void *, size_t);
void buf_adds(struct buf *, const char *);
void buf_addc(struct buf *, char);
void buf_addf(struct buf *, const char *, ...) PRINTFLIKE(2, 3);
void buf_reset(struct buf *);
char *buf_detach(struct buf *);
void buf_set_read_stop(volatile sig_atomic_t *);
int buf_read_fd(struct buf *, int, size_t, char **);
int buf_read_file(struct buf *, const char *, size_t, char **);

/* log.c: messages on stderr, "rates: <command>: ...". */
extern int log_level; /* -1 quiet, 0 normal, 1 verbose */
void log_set_command(const char *);
void log_to_syslog(void);
int log_to_file(const char *, char **);
int log_reopen(char **);
void log_error(const char *, ...) PRINTFLIKE(1, 2);
void log_warn(const char *, ...) PRINTFLIKE(1, 2);
void log_info(const char *, ...) PRINTFLIKE(1, 2);
void log_debug(const char *, ...) PRINTFLIKE(1, 2);
NORETURN void fatal(const char *, ...) PRINTFLIKE(1, 2);

/* decimal.c: exact decimals as 64-bit integers scaled by 10^6. */
#define DEC_FRAC 6
#define DEC_SCALE 1000000LL
#define DEC_MAX_INT 9 /* integer digits */
int dec_parse(const char *, size_t, int64_t *, char **, char **);
int dec_frac_digits(const char *);
void dec_format(char *, size_t, int64_t, int, int);
void dec_format_short(char *, size_t, int64_t);
void dec_percent(char *, size_t, int64_t, int64_t);
int dec_exceeds_pct(int64_t, int64_t, int64_t);
int dec_reaches_pct(int64_t, int64_t, int64_t);

/* timefmt.c: parsing and printing times. */
int time_parse_offset(const char *, int *, char **);
int time_parse_clock(const char *, size_t, int *, char **);
int time_parse_date(const char *, size_t, const char *, int *, int *,
    int *, char **);
time_t time_from_civil(int, int, int, int, int);
time_t time_place_clock(int, time_t, int);
struct when {
	time_t t;     /* the instant */
	time_t span;  /* how long what was named lasts: a day, a minute... */
	int has_date; /* y, m, d: the calendar day as written */
	int y, m, d;
};
int time_parse_when2(const char *, time_t, struct when *, char **);
int time_parse_when(const char *, time_t, time_t *, char **);
int time_parse_duration(const char *, long *, char **);
int time_parse_duration_ms(const char *, long long *, char **);
void time_format(char *, size_t, time_t, int);
void time_format_iso(char *, size_t, time_t, int);
void time_format_age(char *, size_t, long);
void time_format_offset(char *, size_t, int);
struct time_cache {
	int valid;
	int utc;
	time_t base;
	struct tm tm;
};
size_t time_format_iso_fast(char *, time_t, int, struct time_cache *);
long time_mono_ms(void);
long time_local_day(time_t, int, struct time_cache *);
void time_format_day(char *, size_t, long);

/* extract.c: PCRE2 patterns over page bytes. */
#define PAT_RATE 0     /* one currency: group "rate", else 1, else all */
#define PAT_COMBINED 1 /* groups "code" and "rate", matched repeatedly */
#define PAT_TIME 2     /* groups "time" and optionally "date" */
#define PAT_UNTRUSTED 0x10 /* from a config file: its work is counted */
struct pattern;
struct pattern *pattern_new(const char *, int, char **);
void pattern_free(struct pattern *);
/*
 * The white space, entities and tags that may separate a code from its
 * number and one item of a header from the next: SEP_UNIT is one of them,
 * SEP_DEFINE a PCRE2 group "sp" for a (?(DEFINE)...) of at most SEP_MAX
 * runs, matched atomically, so that no input makes them backtrack.  A tag
 * is at most 4096 bytes.  No-break spaces in every spelling (U+00A0, the
 * narrow U+202F, the thin U+2009, as UTF-8 and as entities, and the byte
 * 0xA0 of Windows-1251).
 */
#define SEP_UNIT \
	"(?:\\s++|(?i:&(?:nbsp|thinsp|nnbsp|#0*160|#x0*a0|#0*8239|" \
	"#x0*202f|#0*8201|#x0*2009);)|\\xc2\\xa0|\\xe2\\x80[\\x89\\xaf]|" \
	"\\xa0|<[^<>]{0,4096}>)"
#define SEP_MAX 100
#define SEP_DEFINE "(?<sp>(?>" SEP_UNIT "{0,100}))"
struct extract_item {
	char code[4];
	int found;       /* in the header block, or matched by its own pattern */
	char *match;     /* the whole matched text, for check */
	char *rate_text; /* the number as published; NULL when none is shown */
	char *shown;     /* what the header shows instead: "n/a", "" */
	char notation;   /* the source's decimal mark, when the number is in
	                    another notation than the source's; else 0 */
	char *error;     /* the pattern failed to run (limits) */
	size_t start, end; /* of the match in the page */
};
struct extraction {
	struct extract_item *items; /* one per source currency */
	size_t nitems;
	int has_block;   /* the combined pattern found the header */
	size_t block_start, block_end; /* or the per-currency matches' span */
	char *block_text;
	char *not_header; /* why an earlier block was not the header */
	int searched;     /* for a block, with the combined pattern */
	int has_time;
	size_t time_at;
	char *time_match;
	char *date_text; /* NULL when the page shows only a clock */
	char *time_text;
	char *time_error;
	char *doc_error;  /* the document is not what the source reads */
	char **notes;     /* errors of the document that name no currency */
	size_t nnotes;
};
struct source;
void extract_run(const struct source *, const char *, size_t,
    struct extraction *);
void extraction_release(struct extraction *);
char *extraction_none(const struct extraction *);
char *pcre_version(void);

/* nbkr.c: the National Bank's feed (XML) and archive (HTML). */
void nbkr_feed_extract(const struct source *, const char *, size_t,
    struct extraction *);
struct archive_row {
	int y, m, d;
	int64_t scaled;
	char text[72]; /* '.' as decimal mark */
};
int nbkr_archive_parse(const char *, size_t, struct archive_row **,
    size_t *, char **);

/* config.c: sources, built in and from config files. */
struct source_pattern {
	char code[4];
	char *text;
	struct pattern *re;
};
#define SOURCE_PAGE 0     /* patterns over a page */
#define SOURCE_NBKR_XML 1 /* the National Bank's XML feed (nbkr.c) */
struct archive_id {
	char code[4];
	long id;
};
struct source {
	char *name;
	char *url;
	char *quote;
	char **currencies;
	size_t ncurrencies;
	struct source_pattern *pats; /* per-currency patterns */
	size_t npats;
	char *pattern_text; /* one pattern with (?<code>) and (?<rate>) */
	struct pattern *pattern;
	char *time_text;
	struct pattern *time;
	char *date_format;
	char decimal;   /* the decimal mark the page prints; 0: either */
	int utc_offset; /* seconds east of UTC */
	long interval;  /* seconds */
	long timeout;   /* seconds */
	char *user_agent;
	int64_t max_jump; /* percent, scaled by DEC_SCALE */
	int type;         /* SOURCE_PAGE or SOURCE_NBKR_XML */
	char *archive_url;
	struct archive_id *archive_ids;
	size_t narchive_ids;
	char *reference;  /* the source its values are checked against */
	int64_t max_deviation; /* percent, scaled by DEC_SCALE */
	int enabled;
	char *origin; /* "FILE:LINE" of its last section ("built-in:1") */
};
#define ALERT_ABOVE 0
#define ALERT_BELOW 1
#define ALERT_CHANGE 2
struct alert {
	char *name;
	char *source; /* NULL: any */
	char *currency;
	int kind;       /* ALERT_ABOVE, ALERT_BELOW, ALERT_CHANGE */
	int nkinds;     /* how many conditions were given (must be 1) */
	int64_t threshold; /* scaled by DEC_SCALE; a percentage for CHANGE */
	char *exec;     /* a shell command, or NULL to log */
	long timeout;   /* seconds the command may run (0: 30) */
	char *origin;
};
struct config {
	struct source **sources;
	size_t nsources;
	struct alert **alerts;
	size_t nalerts;
};
struct config *config_new(void);
void config_free(struct config *);
int config_parse(struct config *, const char *, size_t, const char *,
    char **);
int config_load(struct config *, const char *, int, char **);
int config_check_source(const struct source *, char **);
int config_finish(struct config *, char **);
struct config *config_read(const char *, char **);
struct source *config_find(struct config *, const char *);
const struct source_pattern *source_pattern_for(const struct source *,
    const char *);
int source_has(const struct source *, const char *);
void config_order_by_reference(struct source **, size_t);

/* http.c: all of libcurl. */
struct http;
struct http_response {
	long status;
	struct buf body;
	double seconds;
	char *etag;
	char *last_modified;
};
int http_global_init(char **);
void http_global_cleanup(void);
char *http_version(void);
struct http *http_new(void);
void http_free(struct http *);
struct http_request {
	const char *url;
	const char *user_agent;
	long timeout;
	const char *etag;          /* for If-None-Match, or NULL */
	const char *last_modified; /* for If-Modified-Since, or NULL */
	volatile sig_atomic_t *stop; /* a transfer ends when it turns true */
};
int http_get(struct http *, const struct http_request *,
    struct http_response *, char **);
void http_response_release(struct http_response *);

/* db.c: all of SQL. */
struct db;
#define DB_READ 0
#define DB_WRITE 1
struct sample {
	const char *source;
	const char *currency;
	time_t observed_at;
	time_t fetched_at;
	const char *rate_text;
	int64_t rate_scaled;
};
struct fetch_log {
	const char *source;
	time_t started_at;
	long duration_ms;
	long http_status;
	long bytes;
	const char *outcome;
	const char *message;
};
struct latest_row {
	char *source;
	char *currency;
	time_t observed_at;
	time_t fetched_at;
	char *rate_text;
	int64_t rate_scaled;
	int has_previous;
	char *prev_text;
	int64_t prev_scaled;
	time_t prev_observed_at;
};
struct schema_step {
	int version;
	const char *name;
	const char *sql;
};
extern const struct schema_step schema_steps[];
extern const int schema_version;
char *db_default_path(void);
const char *db_sqlite_version(void);
int db_backup(struct db *, const char *, char **);
int db_make_parents(const char *, char **);
struct db *db_open(const char *, int, char **);
void db_close(struct db *);
int db_reopen_if_readonly(struct db *, char **);
int db_set_cache(struct db *, int, char **);
int db_schema_version(struct db *);
int db_begin(struct db *, char **);
int db_commit(struct db *, char **);
void db_rollback(struct db *);
int db_insert_sample(struct db *, const struct sample *, char **);
struct stored {
	time_t fetched_at;
	char *rate_text;
	int64_t rate_scaled;
};
int db_sample_get(struct db *, const struct sample *, struct stored *,
    char **);
void db_stored_release(struct stored *);
int db_revise_sample(struct db *, const struct sample *,
    const struct stored *, char **);
struct revision_row {
	const char *source;
	const char *currency;
	time_t observed_at;
	const char *old_text;
	int64_t old_scaled;
	time_t old_fetched_at;
	const char *new_text;
	int64_t new_scaled;
	time_t revised_at;
};
struct at_row {
	time_t observed_at;
	time_t fetched_at;
	char *rate_text;
	int64_t rate_scaled;
};
int db_at(struct db *, const char *, const char *, time_t, struct at_row *,
    char **);
struct db_revisions;
struct db_revisions *db_revisions_open(struct db *, const char *, time_t,
    time_t, char **);
int db_revisions_next(struct db_revisions *, struct revision_row *,
    char **);
void db_revisions_close(struct db_revisions *);
int db_neighbour(struct db *, const char *, const char *, time_t, time_t,
    int64_t *,
    char **);
int db_log_fetch(struct db *, const struct fetch_log *, char **);
int db_latest(struct db *, struct latest_row **, size_t *, char **);
void db_latest_free(struct latest_row *, size_t);
struct series {
	char *source;
	char *currency;
};
int db_series(struct db *, const char *, struct series **, size_t *,
    char **);
void db_series_free(struct series *, size_t);
int db_state_get(struct db *, const char *, char **, char **, char **,
    time_t *, char **);
int db_state_set_validators(struct db *, const char *, const char *,
    const char *, const char *, char **);
int db_state_set_next(struct db *, const char *, time_t, long, char **);
struct source_status {
	int attempted;
	time_t last_at;
	char *outcome;
	long http_status;
	char *message;
	int succeeded;
	time_t ok_at;
	long failures; /* attempts since the last success */
	time_t next_at; /* 0: unknown */
	long interval;  /* the daemon's, 0: unknown */
	time_t disagreed_at; /* 0: never */
	char *disagreement;
};
int db_state_set_disagreement(struct db *, const char *, time_t,
    const char *, char **);
int db_status(struct db *, const char *, struct source_status *, char **);
void db_status_release(struct source_status *);
int db_alert_get(struct db *, const char *, int *, char **);
int db_alert_set(struct db *, const char *, int, time_t, char **);
int db_before(struct db *, const char *, const char *, time_t, int64_t *,
    char **);
int db_read_begin(struct db *, char **);
int db_data_version(struct db *, long long *, char **);
const char *db_path(const struct db *);
int db_immutable(const struct db *);
void db_read_end(struct db *);
struct scan_row {
	time_t observed_at;
	const char *rate_text;
	int64_t rate_scaled;
};
struct db_scan;
struct db_scan *db_scan_open(struct db *, const char *, const char *, time_t,
    time_t, int, char **);
int db_scan_next(struct db_scan *, struct scan_row *, char **);
void db_scan_close(struct db_scan *);

/* record.c: from an extraction to stored samples. */
enum record_status {
	REC_ADDED,
	REC_PRESENT,
	REC_WOULD_ADD,
	REC_REVISED,
	REC_WOULD_REVISE,
	REC_MISSING,
	REC_BAD_NUMBER,
	REC_NOT_POSITIVE,
	REC_JUMP,
	REC_DEVIATION, /* too far from the reference source's value */
};
struct record_item {
	char code[4];
	enum record_status status;
	char *rate_text; /* normalised: '.' decimal */
	int64_t rate_scaled;
	char *was_text; /* a revision: the value it replaced */
	int64_t was_scaled;
	char *reason; /* for the failures */
};
struct record_result {
	struct record_item *items;
	size_t nitems;
	time_t observed_at;
	size_t added, present, revised, failed;
};
#define RECORD_DRY_RUN 0x1
#define RECORD_BACKFILL 0x2 /* an archive: neighbours within a year */
int record_observed_at(const struct source *, const struct extraction *,
    time_t, const struct when *, int, time_t *, int *, char **);
int record_store(struct db *, const struct source *,
    const struct extraction *, time_t, time_t, int, struct record_result *,
    char **);
void record_result_release(struct record_result *);
const char *record_status_name(enum record_status);

/* writer.c: rows out as a table, CSV or JSON. */
enum col_kind { COL_TIME, COL_DATE, COL_TEXT, COL_RATE, COL_COUNT };
#define FMT_TABLE 0
#define FMT_CSV 1
#define FMT_JSON 2
#define FMT_LEDGER 3    /* price lines: P 2025-12-18 11:26:00 USD 87.45 KGS */
#define FMT_HLEDGER 4   /* P 2025-12-18 USD 87.45 KGS */
#define FMT_BEANCOUNT 5 /* 2025-12-18 price USD 87.45 KGS */
#define FMT_PRICES(f) ((f) >= FMT_LEDGER)
struct writer_opts {
	int format;
	char delimiter;
	int decimal_comma;
	int sheet_times; /* CSV times as wall-clock time and a utc_offset */
	int bom;
	int utc;
};
struct writer;
struct writer *writer_new(FILE *, const struct writer_opts *,
    const char *const *, const enum col_kind *, size_t);
void writer_row(struct writer *, const char *const *);
size_t writer_rows(const struct writer *);
int writer_finish(struct writer *);
struct args;
int writer_format_arg(const struct args *, int, int *, char **);
void writer_time(char *, size_t, time_t, const struct writer_opts *);
void writer_free(struct writer *);

/* lock.c: one daemon per database. */
char *lock_path(const char *);
int lock_acquire(const char *, int *, long *, char **);
int lock_write_pid(int, char **);
void lock_release(int);
long lock_holder(const char *);

/* poll.c: one poll of one source. */
#define POLL_DRY_RUN 0x1
struct poll_result {
	int flags;
	int status;      /* EXIT_OK, EXIT_ERROR or EXIT_NORATES */
	time_t started_at;
	long http_status;
	size_t bytes;
	long ms;
	int unchanged;   /* a 304: nothing new */
	char *etag;      /* the new validators, on a 200 */
	char *last_modified;
	struct record_result rec;
	char **problems; /* one line each, without the source's name */
	size_t nproblems;
};
int poll_source(struct db *, const struct source *, struct http *,
    const struct http_request *, int, struct poll_result *);
void poll_result_release(struct poll_result *);

/* main.c: the table of commands. */
#define CMD_CONFIG 0x1
#define CMD_DB_READ 0x2
#define CMD_DB_WRITE 0x4
#define CMD_NETWORK 0x8
#define CMD_DRY_RUN 0x10 /* --dry-run (-n) only reads the database */
#define CMD_DB_IF_ANY 0x20 /* with CMD_DB_READ: only when there is one */
struct cmd_option {
	const char *name; /* long name */
	int flag;         /* short letter, or a value from 256 to 511 */
	const char *arg;  /* the argument's name, or NULL for none */
	const char *help;
};
struct args {
	char *values[512];
	int present[512];
	int argc;
	char **argv;
};
struct cmd_ctx {
	struct config *config;
	const char *config_path; /* -c */
	struct db *db;
	const char *db_path;
	struct args *args;
	time_t now;
	void *state; /* from prepare to exec; one allocation, main frees it */
};
struct cmd_entry {
	const char *name;
	const char *usage;
	const char *summary;
	const struct cmd_option *options;
	int min_args, max_args; /* max_args -1: any */
	int flags;
	/* Check the arguments before anything is opened (may be NULL). */
	void (*prepare)(struct cmd_ctx *);
	int (*exec)(struct cmd_ctx *);
};
extern volatile sig_atomic_t cmd_stopped; /* the signal that stops it */
void cmd_catch_stop(void);
int args_has(const struct args *, int);
const char *args_get(const struct args *, int);
NORETURN void cmd_usage_error(const struct cmd_entry *, const char *, ...)
    PRINTFLIKE(2, 3);

extern const struct cmd_entry cmd_fetch_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_latest_entry;
extern const struct cmd_entry cmd_sources_entry;
extern const struct cmd_entry cmd_history_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_chart_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_daemon_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_revisions_entry;
extern const struct cmd_entry cmd_at_entry;
extern const struct cmd_entry cmd_backup_entry;
extern const struct cmd_entry cmd_completion_entry;
extern const struct cmd_entry cmd_backfill_entry;
extern const struct cmd_entry cmd_compare_entry;
extern const struct cmd_entry cmd_serve_entry;
extern const struct cmd_entry *const cmd_table[]; /* NULL at the end */

/* Long options without a letter. */
#define OPT_UTC 256
#define OPT_SINCE 257
#define OPT_UNTIL 258
#define OPT_DAILY 259
#define OPT_OHLC 260
#define OPT_WIDE 261
#define OPT_LONG 262
#define OPT_DELIMITER 263
#define OPT_DECIMAL_COMMA 264
#define OPT_BOM 265
#define OPT_SVG 266
#define OPT_WIDTH 267
#define OPT_HEIGHT 268
#define OPT_ONCE 269
#define OPT_DETACH 270
#define OPT_LOG 271
#define OPT_AT 272       /* import and check: no letter, -a is --all */
#define OPT_CURRENCY 273 /* no letter: -c is the config, before a command */
#define OPT_FORCE 274
#define OPT_SPREADSHEET 275
#define OPT_COLOR 276
#define COLOR_OPTION \
	{"color", OPT_COLOR, "WHEN", "colour rises and falls: auto, always, never"}

/* select.c: the selection shared by history, export, stats and chart. */
#define SELECT_OPTIONS \
	{"since", OPT_SINCE, "WHEN", "from WHEN on"}, \
	{"until", OPT_UNTIL, "WHEN", "up to WHEN (a day: its end)"}, \
	{"currency", OPT_CURRENCY, "USD,EUR", "only these currencies, in order"}, \
	{"source", 's', "S", "only this source"}, \
	{"utc", OPT_UTC, NULL, "show times in UTC"}
struct selection {
	time_t since; /* since <= observed_at < until */
	time_t until;
	char *source;
	char **currencies; /* NULL: all, in order of name */
	size_t ncurrencies;
	int utc;
};
int selection_parse(const struct args *, time_t, struct selection *,
    char **);
void selection_release(struct selection *);
int selection_wants(const struct selection *, const char *);
void selection_describe(const struct selection *, char *, size_t);
struct scan;
struct scan *scan_open(struct db *, const struct selection *, int, char **);
size_t scan_nseries(const struct scan *);
const struct series *scan_series(const struct scan *, size_t);
int scan_next(struct scan *, size_t *, struct scan_row *, char **);
void scan_close(struct scan *);

/* report.c: the rows of history and export. */
#define REP_CHANGES 0
#define REP_ALL 1
#define REP_DAILY 2
struct report_opts {
	int mode;
	int ohlc;
	int wide;
	struct writer_opts w;
};
int report_run(struct db *, const struct selection *,
    const struct report_opts *, FILE *, size_t *, char **);
int report_opts_parse(const struct args *, int, struct report_opts *,
    char **);
#define REPORT_OPTIONS \
	{"all", 'a', NULL, "every sample, not only changes"}, \
	{"daily", OPT_DAILY, NULL, "one row per local day: its last value"}, \
	{"ohlc", OPT_OHLC, NULL, "with --daily: open, high, low, close, count"}, \
	{"wide", OPT_WIDE, NULL, "a column per currency (the default)"}, \
	{"long", OPT_LONG, NULL, "a row per sample: time, source, currency"}, \
	{"format", 'f', "FMT", "table, csv, json; ledger, hledger, beancount"}, \
	{"json", 'j', NULL, "the same as --format json"}

/* query.c: the target of a request to serve, taken apart. */
#define QUERY_MAX_URI 4096
#define QUERY_MAX_PARAMS 16
#define QUERY_MAX_PARAM 512
struct query_param {
	char *name;
	char *value;
};
struct query {
	char *path; /* percent-decoded */
	struct query_param params[QUERY_MAX_PARAMS];
	size_t nparams;
};
int query_parse(const char *, struct query *, int *, char **);
void query_release(struct query *);
const char *query_get(const struct query *, const char *);
int query_only(const struct query *, const char *const *, char **);

/* Commands' output, for serve. */
int latest_write(struct db *, int, time_t, int, FILE *, char **);
int at_write(struct db *, const struct selection *, time_t, const char *,
    const struct writer_opts *, FILE *, char **, char **);
int chart_svg_write(struct db *, struct config *, const struct selection *,
    long, long, FILE *, char **);

/* output.c: printing shared by commands. */
#define COLOR_UP "\033[32m"   /* green: a rate rose */
#define COLOR_DOWN "\033[31m" /* red: it fell */
#define COLOR_OFF "\033[0m"
extern int out_color;
int out_color_set(const char *, char **);
void out_rate(char *, size_t, const char *, int64_t);
#define OUT_REVISED 0x1 /* only the revisions */
void out_record(const struct source *, const struct record_result *, int,
    int);
void out_json_string(FILE *, const char *);
void out_xml(FILE *, const char *);
void out_visible(FILE *, const char *, size_t);

/* afile.c: a file replaced whole, atomically. */
struct afile {
	FILE *f;
	char *tmp;   /* NULL when written in place */
	char *path;  /* the file replaced (symbolic links followed) */
	int direct;  /* a device, a FIFO, standard output: in place */
};
struct afile *afile_open(const char *, char **);
int afile_commit(struct afile *, char **);
void afile_abort(struct afile *);
char *afile_resolve(const char *, char **);

/* page.c */
int page_read(struct http **, const struct source *, const char *,
    struct buf *, struct http_response *, char **);

#endif
