/*
 * cmd_serve.c: the database over HTTP, read-only, beside the daemon that
 * writes it (libmicrohttpd).  The JSON and CSV of latest, history and at
 * under /api/, the shapes of the Frankfurter API under /v1/, Prometheus'
 * text at /metrics and a page with a chart at /.
 *
 * Threads: libmicrohttpd's pool, one event loop each (so that a slow client
 * holds no thread), each with its own read connection to the database and
 * its own cache of answers.  An answer is kept, as a ready libmicrohttpd
 * response, while PRAGMA data_version says the database has not changed,
 * for at most the second it was made in (some answers name the time).  Its
 * ETag is a hash of its bytes, so that every thread, and a restart, tags
 * the same answer the same; its Last-Modified the time of the database's
 * last write.  A thread of ours closes connections whose request has not
 * arrived whole within --timeout seconds of the connection or of the last
 * answer: a client that sends a byte a second is not kept by
 * libmicrohttpd's idle timeout alone.
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rates.h"

#define CACHE_SLOTS 32
#define MEMORY_LIMIT (32 * 1024) /* per connection: the request's head */
#define CACHE_MAX_BODY (64 * 1024) /* longer answers are not kept */
#define DAY 86400L
#define DEFAULT_OFFSET (6 * 3600) /* Bishkek, for a source not configured */

static void cmd_serve_prepare(struct cmd_ctx *);
static int cmd_serve_exec(struct cmd_ctx *);

#define OPT_LISTEN 277
#define OPT_MAX_CONNECTIONS 278
#define OPT_TIMEOUT 279
#define OPT_THREADS 280
#define OPT_MAX_AGE 281

static const struct cmd_option cmd_serve_options[] = {
	{"listen", OPT_LISTEN, "ADDR:PORT", "where to listen (127.0.0.1:8080)"},
	{"max-connections", OPT_MAX_CONNECTIONS, "N",
	    "connections held at once (1024)"},
	{"timeout", OPT_TIMEOUT, "SECONDS", "for a request to come whole, and "
	    "idle (10)"},
	{"threads", OPT_THREADS, "N", "threads answering (one per CPU)"},
	{"max-age", OPT_MAX_AGE, "SECONDS", "how long caches keep an answer "
	    "(60)"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_serve_entry = {
	.name = "serve",
	.usage = "[--listen ADDR:PORT] [--max-connections N] "
	    "[--timeout SECONDS] [--threads N] [--max-age SECONDS]",
	.summary = "the rates over HTTP: JSON, CSV, Frankfurter, Prometheus",
	.options = cmd_serve_options,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_CONFIG | CMD_DB_READ,
	.prepare = cmd_serve_prepare,
	.exec = cmd_serve_exec,
};

/* One connection, for the deadline of its request. */
struct conn {
	int fd;
	long since;   /* ms: waiting for a request since; 0: not waiting */
	struct conn *prev, *next;
};

/* One request: the target as the client sent it. */
struct request {
	char *uri;
	int called;  /* the head has been seen: the next call answers */
	size_t body; /* bytes of a body, read and dropped */
};

/* An answer kept for the same request. */
struct entry {
	char *key;
	long long version; /* the database's data version it was made at */
	time_t made;       /* the second it was made in */
	time_t modified;   /* its Last-Modified */
	int send_modified; /* Last-Modified is sent */
	int by_date;       /* If-Modified-Since is answered */
	int vary_accept;
	size_t len;        /* of its body */
	int status;
	char etag[24];
	struct MHD_Response *resp;
	struct MHD_Response *not_modified; /* its 304, made when first asked */
};

/* What one thread keeps: its connection to the database and its answers. */
struct worker {
	struct db *db;
	long long version;
	time_t changed;  /* Last-Modified: the database's last write */
	struct entry cache[CACHE_SLOTS];
	size_t next;     /* the slot to take next */
	struct worker *link;
	dev_t dev;       /* the database file it opened */
	ino_t ino;
	struct timespec mtime; /* and, for an immutable one, its state */
	off_t size;
	time_t checked;  /* the second the file was last looked at */
};

/* An answer being made. */
struct reply {
	int status;
	const char *type;
	FILE *f;
	char *body;
	size_t len;
	const char *allow; /* for a 405 */
	int vary_accept;
};

struct serve {
	const char *db_path;
	struct config *config;
	long max_age;
	long deadline; /* ms for a request to come whole */
	pthread_mutex_t lock; /* workers and conns */
	struct worker *workers;
	struct conn *conns;
	int stop; /* the sweeper ends */
	int failing; /* the database could not be read, said once */
	pthread_cond_t wake;
};

struct serve_state {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char *listen;
	long max_conns, timeout, threads, max_age;
};

static struct serve server;
static __thread struct worker *self;

/* Parse a whole number of an option between lo and hi. */
static long
option_number(const struct args *a, int id, const char *name, long def,
    long lo, long hi)
{
	const char *v = args_get(a, id);
	char *end;
	long n;

	if (v == NULL)
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (*v == '\0' || *end != '\0' || errno != 0 || n < lo || n > hi)
		cmd_usage_error(&cmd_serve_entry, "--%s: '%s' is not a number "
		    "from %ld to %ld", name, v, lo, hi);
	return n;
}

/* "ADDR:PORT", "[v6]:PORT", ":PORT" (127.0.0.1), "PORT". */
static void
parse_listen(struct serve_state *st, const char *v)
{
	struct addrinfo hints, *res;
	const char *host;
	char *port, *copy = xstrdup(v), *end;
	long n;
	int rc;

	if (copy[0] == '[' && (end = strchr(copy, ']')) != NULL &&
	    end[1] == ':') {
		host = copy + 1;
		*end = '\0';
		port = end + 2;
	} else if ((port = strrchr(copy, ':')) != NULL) {
		*port++ = '\0';
		host = copy;
		if (strchr(host, ':') != NULL)
			cmd_usage_error(&cmd_serve_entry, "--listen: '%s': put "
			    "an IPv6 address in brackets: [::1]:8080", v);
	} else {
		host = copy + strlen(copy);
		port = copy;
	}
	if (*host == '\0')
		host = "127.0.0.1";
	else if (strcmp(host, "*") == 0)
		host = "0.0.0.0"; /* every IPv4 address; [::] for IPv6 too */
	errno = 0;
	n = strtol(port, &end, 10);
	if (*port == '\0' || strspn(port, "0123456789") != strlen(port) ||
	    *end != '\0' || errno != 0 || n < 0 || n > 65535)
		cmd_usage_error(&cmd_serve_entry, "--listen: '%s': the port is "
		    "not a number from 0 to 65535", v);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &res)) != 0)
		cmd_usage_error(&cmd_serve_entry, "--listen: '%s': %s", v,
		    gai_strerror(rc));
	memcpy(&st->addr, res->ai_addr, res->ai_addrlen);
	st->addrlen = res->ai_addrlen;
	freeaddrinfo(res);
	free(copy);
}

static void
cmd_serve_prepare(struct cmd_ctx *ctx)
{
	struct serve_state *st = xcalloc(1, sizeof *st);
	const char *v = args_get(ctx->args, OPT_LISTEN);
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	ctx->state = st;
	parse_listen(st, v != NULL ? v : "127.0.0.1:8080");
	st->max_conns = option_number(ctx->args, OPT_MAX_CONNECTIONS,
	    "max-connections", 1024, 1, 60000);
	st->timeout = option_number(ctx->args, OPT_TIMEOUT, "timeout", 10, 1,
	    3600);
	st->threads = option_number(ctx->args, OPT_THREADS, "threads",
	    cpus < 1 ? 1 : cpus > 64 ? 64 : cpus, 1, 64);
	st->max_age = option_number(ctx->args, OPT_MAX_AGE, "max-age", 60, 0,
	    86400 * 365);
}

/* FNV-1a, 64 bits: the ETag of an answer. */
static uint64_t
hash(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (n-- > 0) {
		h ^= (unsigned char)*p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* The time of the database's last write: its file's or its WAL's. */
static time_t
last_write(const char *path)
{
	struct stat sb;
	char *wal = xasprintf("%s-wal", path);
	time_t t = 0;

	if (stat(path, &sb) == 0)
		t = sb.st_mtime;
	if (stat(wal, &sb) == 0 && sb.st_mtime > t)
		t = sb.st_mtime;
	free(wal);
	return t;
}

/* ---- The answers. ---- */

static void
reply_start(struct reply *r, int status, const char *type)
{
	r->status = status;
	r->type = type;
	r->f = open_memstream(&r->body, &r->len);
	if (r->f == NULL)
		fatal("open_memstream: %s", strerror(errno));
}

/* An error as JSON: {"status":400,"message":"..."}. */
static void
reply_error(struct reply *r, int status, const char *fmt, ...)
    PRINTFLIKE(3, 4);
static void
reply_error(struct reply *r, int status, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (r->f != NULL) {
		fclose(r->f);
		free(r->body);
		r->body = NULL;
	}
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	reply_start(r, status, "application/json; charset=utf-8");
	fprintf(r->f, "{\"status\":%d,\"message\":", status);
	out_json_string(r->f, msg);
	fputs("}\n", r->f);
	free(msg);
}

/*
 * A cause from the command-line parsers ("--until is not after --since")
 * in the parameters' names ("until is not after since"), in place.
 */
static const char *
param_cause(char *cause)
{
	char *p;

	while ((p = strstr(cause, "--")) != NULL)
		memmove(p, p + 2, strlen(p + 2) + 1);
	return cause;
}

/* format=json|csv (json when absent). */
static int
want_format(const struct query *q, struct reply *r, int *format)
{
	const char *v = query_get(q, "format");

	*format = FMT_JSON;
	if (v == NULL || strcmp(v, "json") == 0)
		return 0;
	if (strcmp(v, "csv") == 0) {
		*format = FMT_CSV;
		return 0;
	}
	reply_error(r, 400, "format: '%s' is not json or csv", v);
	return -1;
}

static void
format_type(struct reply *r, int format)
{
	r->type = format == FMT_CSV ? "text/csv; charset=utf-8; header=present" :
	    "application/json; charset=utf-8";
}

static void
api_latest(struct worker *w, const struct query *q, time_t now,
    struct reply *r)
{
	static const char *const takes[] = {"format", NULL};
	char *cause;
	int format;

	if (query_only(q, takes, &cause) != 0) {
		reply_error(r, 400, "%s", cause);
		free(cause);
		return;
	}
	if (want_format(q, r, &format) != 0)
		return;
	reply_start(r, 200, NULL);
	format_type(r, format);
	if (latest_write(w->db, format, now, 0, r->f, &cause) != 0) {
		reply_error(r, 500, "%s", cause);
		free(cause);
	}
}

/* Parameters as the command's options, for selection_parse and the rest. */
static void
to_args(struct args *a, int id, const char *v)
{
	if (v == NULL)
		return;
	a->values[id] = (char *)(uintptr_t)v;
	a->present[id] = 1;
}

static void
api_history(struct worker *w, const struct query *q, time_t now,
    struct reply *r)
{
	static const char *const takes[] = {"since", "until", "currency",
	    "source", "rows", "format", NULL};
	struct args *a = xcalloc(1, sizeof *a);
	struct selection sel;
	struct report_opts ro;
	const char *rows = query_get(q, "rows");
	char *cause;
	size_t n;
	int format;

	if (query_only(q, takes, &cause) != 0)
		goto bad;
	if (want_format(q, r, &format) != 0)
		goto out;
	to_args(a, OPT_SINCE, query_get(q, "since"));
	to_args(a, OPT_UNTIL, query_get(q, "until"));
	to_args(a, OPT_CURRENCY, query_get(q, "currency"));
	to_args(a, 's', query_get(q, "source"));
	to_args(a, 'f', format == FMT_CSV ? "csv" : "json");
	if (rows != NULL && strcmp(rows, "all") == 0)
		to_args(a, 'a', "");
	else if (rows != NULL && strcmp(rows, "daily") == 0)
		to_args(a, OPT_DAILY, "");
	else if (rows != NULL && strcmp(rows, "change") != 0) {
		reply_error(r, 400, "rows: '%s' is not change, all or daily",
		    rows);
		goto out;
	}
	if (selection_parse(a, now, &sel, &cause) != 0)
		goto bad;
	if (report_opts_parse(a, FMT_JSON, &ro, &cause) != 0) {
		selection_release(&sel);
		goto bad;
	}
	/* The CSV of export: a row per sample, so that it reads as a table. */
	reply_start(r, 200, NULL);
	format_type(r, format);
	if (report_run(w->db, &sel, &ro, r->f, &n, &cause) != 0) {
		reply_error(r, 500, "%s", cause);
		free(cause);
	}
	selection_release(&sel);
	goto out;
bad:
	reply_error(r, 400, "%s", param_cause(cause));
	free(cause);
out:
	free(a);
}

static void
api_at(struct worker *w, const struct query *q, const char *when_text,
    time_t now, struct reply *r)
{
	static const char *const takes[] = {"source", "currency", "format",
	    NULL};
	struct args *a = xcalloc(1, sizeof *a);
	struct selection sel;
	struct writer_opts wo;
	struct when when;
	char *cause, *missing;
	int format;

	if (query_only(q, takes, &cause) != 0)
		goto bad;
	if (want_format(q, r, &format) != 0)
		goto out;
	if (time_parse_when2(when_text, now, &when, &cause) != 0) {
		reply_error(r, 400, "%s: %s", when_text, cause);
		free(cause);
		goto out;
	}
	to_args(a, OPT_CURRENCY, query_get(q, "currency"));
	to_args(a, 's', query_get(q, "source"));
	if (selection_parse(a, now, &sel, &cause) != 0)
		goto bad;
	memset(&wo, 0, sizeof wo);
	wo.format = format;
	wo.delimiter = ',';
	reply_start(r, 200, NULL);
	format_type(r, format);
	if (at_write(w->db, &sel, when.t + when.span - 1, when_text, &wo, r->f,
	    &missing, &cause) != 0) {
		reply_error(r, 500, "%s", cause);
		free(cause);
	} else if (missing != NULL) {
		*strchrnul(missing, '\n') = '\0';
		reply_error(r, 404, "%s", missing);
		free(missing);
	}
	selection_release(&sel);
	goto out;
bad:
	reply_error(r, 400, "%s", param_cause(cause));
	free(cause);
out:
	free(a);
}

/* ---- The Frankfurter API. ---- */

/* The names /v1/currencies gives: the ISO 4217 names Frankfurter uses. */
static const struct {
	const char *code, *name;
} currency_names[] = {
	{"AED", "UAE Dirham"}, {"AMD", "Armenian Dram"},
	{"AUD", "Australian Dollar"}, {"AZN", "Azerbaijani Manat"},
	{"BGN", "Bulgarian Lev"}, {"BRL", "Brazilian Real"},
	{"BYN", "Belarusian Ruble"}, {"CAD", "Canadian Dollar"},
	{"CHF", "Swiss Franc"}, {"CNY", "Chinese Renminbi Yuan"},
	{"CZK", "Czech Koruna"}, {"DKK", "Danish Krone"}, {"EUR", "Euro"},
	{"GBP", "British Pound"}, {"GEL", "Georgian Lari"},
	{"HKD", "Hong Kong Dollar"}, {"HUF", "Hungarian Forint"},
	{"IDR", "Indonesian Rupiah"}, {"ILS", "Israeli New Sheqel"},
	{"INR", "Indian Rupee"}, {"IRR", "Iranian Rial"},
	{"ISK", "Icelandic Króna"}, {"JPY", "Japanese Yen"},
	{"KGS", "Kyrgyzstani Som"}, {"KRW", "South Korean Won"},
	{"KWD", "Kuwaiti Dinar"}, {"KZT", "Kazakhstani Tenge"},
	{"MDL", "Moldovan Leu"}, {"MNT", "Mongolian Tögrög"},
	{"MXN", "Mexican Peso"}, {"MYR", "Malaysian Ringgit"},
	{"NOK", "Norwegian Krone"}, {"NZD", "New Zealand Dollar"},
	{"PHP", "Philippine Peso"}, {"PKR", "Pakistani Rupee"},
	{"PLN", "Polish Złoty"}, {"RON", "Romanian Leu"},
	{"RUB", "Russian Ruble"}, {"SAR", "Saudi Riyal"},
	{"SEK", "Swedish Krona"}, {"SGD", "Singapore Dollar"},
	{"THB", "Thai Baht"}, {"TJS", "Tajikistani Somoni"},
	{"TMT", "Turkmenistani Manat"}, {"TRY", "Turkish Lira"},
	{"UAH", "Ukrainian Hryvnia"}, {"USD", "United States Dollar"},
	{"UZS", "Uzbekistan Som"}, {"XDR", "Special Drawing Rights"},
	{"ZAR", "South African Rand"},
};

#define FX_MAX 64 /* currencies */
#define FX_CARRY 7 /* days a value stays in effect for /v1/ */

/* The value of one currency on one day, from the source preferred. */
struct fx_cell {
	int prio; /* 0: none; lower is preferred */
	time_t at;
	int64_t v;
};

struct fx_day {
	long day;
	struct fx_cell cell[FX_MAX];
};

struct fx {
	char cur[FX_MAX][4]; /* in order of code; KGS is not here */
	size_t ncur;
	struct fx_day *days; /* in order */
	size_t ndays, size;
	/* per series: where its rows go */
	struct series *series;
	size_t nseries;
	int *series_cur, *series_prio;
	long *series_off;
};

static int
fx_index(const struct fx *fx, const char *code)
{
	size_t i;

	for (i = 0; i < fx->ncur; i++) {
		if (strcmp(fx->cur[i], code) == 0)
			return (int)i;
	}
	return -1;
}

/* "the day's value comes from nbkr when stored, else the first source" */
static int
source_prio(const struct config *c, const char *name)
{
	size_t i;

	if (strcmp(name, "nbkr") == 0)
		return 1;
	for (i = 0; c != NULL && i < c->nsources; i++) {
		if (strcmp(c->sources[i]->name, name) == 0)
			return 2 + (int)i;
	}
	return 1000;
}

static long
source_offset(const struct config *c, const char *name)
{
	struct source *s = c != NULL ?
	    config_find((struct config *)(uintptr_t)c, name) : NULL;

	return s != NULL ? s->utc_offset : DEFAULT_OFFSET;
}

static long
floor_day(time_t t)
{
	return (long)(t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY));
}

/* Three capital letters, as ISO 4217 codes are (and JSON keys need no escape). */
static int
iso_code(const char *s)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (s[i] < 'A' || s[i] > 'Z')
			return 0;
	}
	return s[3] == '\0';
}

static int
code_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* The series of quote KGS, their currencies in order of code. */
static int
fx_open(struct fx *fx, struct db *db, char **cause)
{
	const struct source *src;
	size_t i;

	memset(fx, 0, sizeof *fx);
	if (db_series(db, NULL, &fx->series, &fx->nseries, cause) != 0)
		return -1;
	fx->series_cur = xcalloc(fx->nseries + 1, sizeof *fx->series_cur);
	fx->series_prio = xcalloc(fx->nseries + 1, sizeof *fx->series_prio);
	fx->series_off = xcalloc(fx->nseries + 1, sizeof *fx->series_off);
	for (i = 0; i < fx->nseries; i++) {
		src = config_find(server.config, fx->series[i].source);
		fx->series_cur[i] = -1;
		if ((src != NULL && strcmp(src->quote, "KGS") != 0) ||
		    strcmp(fx->series[i].currency, "KGS") == 0 ||
		    !iso_code(fx->series[i].currency))
			continue; /* not som per unit of a currency */
		if (fx_index(fx, fx->series[i].currency) < 0 &&
		    fx->ncur < FX_MAX)
			memcpy(fx->cur[fx->ncur++], fx->series[i].currency, 4);
	}
	qsort(fx->cur, fx->ncur, sizeof fx->cur[0], code_cmp);
	for (i = 0; i < fx->nseries; i++) {
		src = config_find(server.config, fx->series[i].source);
		if ((src != NULL && strcmp(src->quote, "KGS") != 0))
			continue;
		fx->series_cur[i] = fx_index(fx, fx->series[i].currency);
		fx->series_prio[i] = source_prio(server.config,
		    fx->series[i].source);
		fx->series_off[i] = source_offset(server.config,
		    fx->series[i].source);
	}
	return 0;
}

static void
fx_close(struct fx *fx)
{
	db_series_free(fx->series, fx->nseries);
	free(fx->series_cur);
	free(fx->series_prio);
	free(fx->series_off);
	free(fx->days);
}

static struct fx_day *
fx_day(struct fx *fx, long day)
{
	size_t lo = 0, hi = fx->ndays, mid;

	if (fx->ndays > 0 && fx->days[fx->ndays - 1].day == day)
		return &fx->days[fx->ndays - 1];
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (fx->days[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < fx->ndays && fx->days[lo].day == day)
		return &fx->days[lo];
	if (fx->ndays == fx->size) {
		fx->size = fx->size ? fx->size * 2 : 16;
		fx->days = xreallocarray(fx->days, fx->size, sizeof *fx->days);
	}
	memmove(&fx->days[lo + 1], &fx->days[lo],
	    (fx->ndays - lo) * sizeof *fx->days);
	fx->ndays++;
	memset(&fx->days[lo], 0, sizeof *fx->days);
	fx->days[lo].day = day;
	return &fx->days[lo];
}

/* Every sample of the days from first to last, each day's values kept. */
static int
fx_read(struct fx *fx, struct db *db, long first, long last, const char *rel,
    char **cause)
{
	struct selection sel;
	struct scan *s;
	struct scan_row row;
	struct fx_cell *c;
	size_t j;
	long day;
	int r, k;

	memset(&sel, 0, sizeof sel);
	sel.since = (time_t)first * DAY - 15 * 3600; /* any UTC offset */
	sel.until = (time_t)(last + 1) * DAY + 15 * 3600;
	if ((s = scan_open(db, &sel, 0, cause)) == NULL)
		return -1;
	while ((r = scan_next(s, &j, &row, cause)) == 1) {
		if (j >= fx->nseries || (k = fx->series_cur[j]) < 0 || !rel[k])
			continue;
		day = floor_day(row.observed_at + fx->series_off[j]);
		if (day < first || day > last)
			continue;
		c = &fx_day(fx, day)->cell[k];
		/* The preferred source; of it, the day's last value. */
		if (c->prio == 0 || fx->series_prio[j] < c->prio ||
		    (fx->series_prio[j] == c->prio && row.observed_at >= c->at)) {
			c->prio = fx->series_prio[j];
			c->at = row.observed_at;
			c->v = row.rate_scaled;
		}
	}
	scan_close(s);
	return r;
}

/*
 * A currency without a value on a day that has others keeps its value of
 * the days before, FX_CARRY at most: the rate in effect, as `rates at`
 * would say (24kg shows some days, the bank publishes others).
 */
static void
fx_carry(struct fx *fx)
{
	size_t i, k;
	long at;
	struct fx_cell last;

	for (k = 0; k < fx->ncur; k++) {
		memset(&last, 0, sizeof last);
		at = 0;
		for (i = 0; i < fx->ndays; i++) {
			if (fx->days[i].cell[k].prio != 0) {
				last = fx->days[i].cell[k];
				at = fx->days[i].day;
			} else if (last.prio != 0 &&
			    fx->days[i].day - at <= FX_CARRY)
				fx->days[i].cell[k] = last;
		}
	}
}

/*
 * The newest day, not after day, with a sample of one of the currencies
 * wanted (want[k]; KGS wants any); -1 when none.
 */
static int
fx_newest(struct fx *fx, struct db *db, long day, const char *want,
    long *out, char **cause)
{
	struct at_row row;
	size_t j;
	long d;
	int r, k;

	*out = LONG_MIN;
	for (j = 0; j < fx->nseries; j++) {
		if ((k = fx->series_cur[j]) < 0 || !want[k])
			continue;
		r = db_at(db, fx->series[j].source, fx->series[j].currency,
		    (time_t)(day + 1) * DAY - fx->series_off[j] - 1, &row, cause);
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		free(row.rate_text);
		d = floor_day(row.observed_at + fx->series_off[j]);
		if (d > *out)
			*out = d;
	}
	return 0;
}

/* The parameters of /v1/: from (base), to (symbols), amount. */
struct fx_query {
	char base[4];
	int base_k;   /* -1: KGS */
	char want[FX_MAX]; /* the targets asked for */
	int want_kgs;
	int named;    /* to or symbols named them */
	int64_t amount; /* scaled */
	char amount_text[40];
};

static int
fx_code(const char *s, char *out)
{
	int i;

	for (i = 0; i < 3; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return -1;
		out[i] = (char)(s[i] & ~0x20);
	}
	out[3] = '\0';
	return s[3] == '\0' ? 0 : -1;
}

/* Exact digits of a scaled value times a scaled amount, as a JSON number. */
static void
fx_exact(FILE *f, int64_t v, int64_t amount)
{
	unsigned __int128 p = (unsigned __int128)v * (uint64_t)amount;
	unsigned long long ip = (unsigned long long)(p / 1000000000000ULL);
	unsigned long long fp = (unsigned long long)(p % 1000000000000ULL);
	char frac[16];
	int n;

	snprintf(frac, sizeof frac, "%012llu", fp);
	for (n = 12; n > 1 && frac[n - 1] == '0'; n--)
		;
	frac[n] = '\0';
	fprintf(f, "%llu.%s", ip, frac);
}

/* Frankfurter's rounding: two places above 80, and so on. */
static void
fx_rounded(FILE *f, double x)
{
	char s[64];
	int places, n;

	if (x > 5000) { /* whole, and a float still, as "amount" is */
		fprintf(f, "%.0f.0", x);
		return;
	}
	if (x < 0.000001) { /* six places would say 0: five digits */
		snprintf(s, sizeof s, "%.4e", x);
		fputs(s, f);
		return;
	}
	places = x > 80 ? 2 : x > 20 ? 3 : x > 1 ? 4 : x > 0.0001 ? 5 : 6;
	snprintf(s, sizeof s, "%.*f", places, x);
	n = (int)strlen(s);
	while (n > 2 && s[n - 1] == '0' && s[n - 2] != '.')
		n--;
	s[n] = '\0';
	fputs(s, f);
}

/*
 * One day's rates of q's base to f, {"EUR":...}; 0 when there is none
 * (the base has no value that day, or no target has).
 */
static int
fx_rates(FILE *f, const struct fx *fx, const struct fx_day *d,
    const struct fx_query *q, int write)
{
	int64_t vb;
	size_t k;
	int n = 0, kgs_done = 0;

	if (q->base_k >= 0 && d->cell[q->base_k].prio == 0)
		return 0;
	vb = q->base_k >= 0 ? d->cell[q->base_k].v : DEC_SCALE;
	for (k = 0; k <= fx->ncur; k++) {
		/* KGS in its place among the codes. */
		if (!kgs_done && q->base_k >= 0 && q->want_kgs &&
		    (k == fx->ncur || strcmp(fx->cur[k], "KGS") > 0)) {
			kgs_done = 1;
			if (write) {
				fprintf(f, "%s\"KGS\":", n ? "," : "{");
				fx_exact(f, vb, q->amount);
			}
			n++;
		}
		if (k == fx->ncur)
			break;
		if ((int)k == q->base_k || !q->want[k] || d->cell[k].prio == 0)
			continue;
		if (write) {
			fprintf(f, "%s\"%s\":", n ? "," : "{", fx->cur[k]);
			fx_rounded(f, (double)q->amount / DEC_SCALE *
			    ((double)vb / (double)d->cell[k].v));
		}
		n++;
	}
	if (write && n)
		fputc('}', f);
	return n;
}

static void
fx_amount(FILE *f, const struct fx_query *q)
{
	if (q->amount % DEC_SCALE == 0)
		fprintf(f, "%lld.0", (long long)(q->amount / DEC_SCALE));
	else
		fputs(q->amount_text, f);
}

/* Parse from/base, to/symbols, amount; 400 on a bad one. */
static int
fx_parse(const struct query *qr, const struct fx *fx, struct fx_query *q,
    struct reply *r)
{
	static const char *const takes[] = {"from", "base", "to", "symbols",
	    "amount", NULL};
	const char *from = query_get(qr, "from"), *base = query_get(qr, "base");
	const char *to = query_get(qr, "to"), *sym = query_get(qr, "symbols");
	const char *amount = query_get(qr, "amount");
	char *cause, *norm, *copy, *tok, *save = NULL, code[4];
	int k, ntargets = 0;

	memset(q, 0, sizeof *q);
	if (query_only(qr, takes, &cause) != 0) {
		reply_error(r, 400, "%s", cause);
		free(cause);
		return -1;
	}
	if (from != NULL && base != NULL) {
		reply_error(r, 400, "from and base name the same thing: give "
		    "one");
		return -1;
	}
	if (to != NULL && sym != NULL) {
		reply_error(r, 400, "to and symbols name the same thing: give "
		    "one");
		return -1;
	}
	if (base == NULL)
		base = from != NULL ? from : "EUR";
	if (fx_code(base, q->base) != 0) {
		reply_error(r, 400, "%s: '%s' is not a currency code",
		    from != NULL ? "from" : "base", base);
		return -1;
	}
	q->base_k = -1;
	if (strcmp(q->base, "KGS") != 0 && (q->base_k = fx_index(fx,
	    q->base)) < 0) {
		reply_error(r, 404, "no rates of %s", q->base);
		return -1;
	}
	q->amount = DEC_SCALE;
	strcpy(q->amount_text, "1.0");
	if (amount != NULL) {
		if (dec_parse(amount, strlen(amount), &q->amount, &norm,
		    &cause) != 0) {
			reply_error(r, 400, "amount: %s", cause);
			free(cause);
			return -1;
		}
		snprintf(q->amount_text, sizeof q->amount_text, "%s", norm);
		free(norm);
		if (q->amount <= 0) {
			reply_error(r, 400, "amount: '%s' is not above 0",
			    amount);
			return -1;
		}
	}
	if (to == NULL)
		to = sym;
	if (to == NULL) {
		memset(q->want, 1, sizeof q->want);
		q->want_kgs = 1;
		return 0;
	}
	q->named = 1;
	copy = xstrdup(to);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (fx_code(tok, code) != 0) {
			reply_error(r, 400, "%s: '%s' is not a currency code",
			    sym != NULL ? "symbols" : "to", tok);
			free(copy);
			return -1;
		}
		if (strcmp(code, "KGS") == 0)
			q->want_kgs = 1;
		else if ((k = fx_index(fx, code)) >= 0)
			q->want[k] = 1;
		else {
			reply_error(r, 404, "no rates of %s", code);
			free(copy);
			return -1;
		}
		if (strcmp(code, q->base) != 0)
			ntargets++;
	}
	free(copy);
	if (ntargets == 0) {
		if (*to == '\0' || strspn(to, ",") == strlen(to))
			reply_error(r, 400, "%s: no currency given",
			    sym != NULL ? "symbols" : "to");
		else
			reply_error(r, 400, "%s: no currency but the base %s",
			    sym != NULL ? "symbols" : "to", q->base);
		return -1;
	}
	return 0;
}

/* The name /v1/currencies gives a code: Frankfurter's, else the code. */
static const char *
currency_name(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof currency_names / sizeof currency_names[0]; i++) {
		if (strcmp(currency_names[i].code, code) == 0)
			return currency_names[i].name;
	}
	return code;
}

/* {"CNY":"Chinese Renminbi Yuan",...}: the codes stored and KGS, in order. */
static void
fx_currencies(FILE *f, const struct fx *fx)
{
	size_t k;
	int n = 0, kgs = 0;

	for (k = 0; k <= fx->ncur; k++) {
		if (!kgs && (k == fx->ncur || strcmp(fx->cur[k], "KGS") > 0)) {
			kgs = 1;
			fprintf(f, "%s\"KGS\":", n++ ? "," : "{");
			out_json_string(f, currency_name("KGS"));
		}
		if (k == fx->ncur)
			break;
		fprintf(f, "%s\"%s\":", n++ ? "," : "{", fx->cur[k]);
		out_json_string(f, currency_name(fx->cur[k]));
	}
	fputs("}\n", f);
}

/* "YYYY-MM-DD" as a day number; -1 when it is not one. */
static int
fx_parse_day(const char *s, size_t n, long *day)
{
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	int y, m, d, leap;

	if (n != 10 || s[4] != '-' || s[7] != '-' ||
	    strspn(s, "0123456789") != 4 || strspn(s + 5, "0123456789") != 2 ||
	    strspn(s + 8, "0123456789") != 2)
		return -1;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap))
		return -1;
	*day = floor_day(time_from_civil(y, m, d, 0, 0));
	return 0;
}

/* /v1/latest, /v1/DATE, /v1/START..END, /v1/currencies. */
static void
api_v1(struct worker *w, const struct query *qr, const char *what,
    time_t now, struct reply *r)
{
	struct fx fx;
	struct fx_query q;
	const struct fx_day *d;
	char *cause, want[FX_MAX], rel[FX_MAX], date[16], *dots;
	long today, first, last, found, k;
	long from, lo, east;
	size_t i, n;
	int range = 0;

	if (db_read_begin(w->db, &cause) != 0) {
		reply_error(r, 500, "%s", cause);
		free(cause);
		return;
	}
	if (fx_open(&fx, w->db, &cause) != 0)
		goto fail;
	/* Today: the day of the source furthest east, so none is ahead of it. */
	east = DEFAULT_OFFSET;
	for (i = 0; server.config != NULL && i < server.config->nsources; i++) {
		if (server.config->sources[i]->utc_offset > east)
			east = server.config->sources[i]->utc_offset;
	}
	today = floor_day(now + east);
	if (strcmp(what, "currencies") == 0) {
		static const char *const none[] = {NULL};

		if (query_only(qr, none, &cause) != 0) {
			reply_error(r, 400, "%s", cause);
			free(cause);
			goto out;
		}
		reply_start(r, 200, "application/json; charset=utf-8");
		fx_currencies(r->f, &fx);
		goto out;
	}
	if (fx_parse(qr, &fx, &q, r) != 0)
		goto out;
	/* Which days. */
	if (strcmp(what, "latest") == 0)
		first = last = today;
	else if ((dots = strstr(what, "..")) != NULL) {
		range = 1;
		if (fx_parse_day(what, (size_t)(dots - what), &first) != 0 ||
		    (dots[2] != '\0' && fx_parse_day(dots + 2, strlen(dots + 2),
		    &last) != 0)) {
			reply_error(r, 404, "/v1/%s: not a day, a range of days "
			    "(YYYY-MM-DD..YYYY-MM-DD), latest or currencies",
			    what);
			goto out;
		}
		if (dots[2] != '\0' && first > last) {
			reply_error(r, 400, "/v1/%s: the range ends before it "
			    "begins", what);
			goto out;
		}
		if (dots[2] == '\0' || last > today)
			last = today;
		if (first > today) {
			reply_error(r, 404, "no rates for a day after today");
			goto out;
		}
	} else if (fx_parse_day(what, strlen(what), &first) == 0)
		last = first;
	else {
		reply_error(r, 404, "/v1/%s: not a day, a range of days "
		    "(YYYY-MM-DD..YYYY-MM-DD), latest or currencies", what);
		goto out;
	}
	if (first > today) {
		reply_error(r, 404, "no rates for a day after today");
		goto out;
	}
	/*
	 * The days: those with a stored value of the base or a target, each
	 * currency with its value in effect (fx_carry).  A day answers when
	 * the base has a value and a target has (every target named in to=,
	 * for one day, or it is a 404 naming it).
	 */
	memcpy(want, q.want, sizeof want);
	if (q.base_k >= 0)
		want[q.base_k] = 1;
	memcpy(rel, want, sizeof rel);
	if (!range) {
		/* The newest such day on or before the one asked for. */
		if (fx_newest(&fx, w->db, first, want, &found, &cause) != 0)
			goto fail;
		lo = found;
		if (q.base_k >= 0 && found != LONG_MIN) {
			memset(want, 0, sizeof want);
			want[q.base_k] = 1;
			if (fx_newest(&fx, w->db, first, want, &lo, &cause) != 0)
				goto fail;
		}
		if (found == LONG_MIN || lo == LONG_MIN) {
			reply_error(r, 404, "no rates of %s on or before %s",
			    q.base, what);
			goto out;
		}
		if (fx_read(&fx, w->db, (lo < found ? lo : found) - FX_CARRY,
		    found, rel, &cause) != 0)
			goto fail;
		fx_carry(&fx);
		for (k = (long)fx.ndays - 1; k >= 0; k--) {
			d = &fx.days[k];
			if ((q.base_k < 0 || d->cell[q.base_k].prio != 0) &&
			    (q.named || fx_rates(NULL, &fx, d, &q, 0) > 0))
				break;
		}
		if (k < 0) {
			reply_error(r, 404, "no rates of %s on or before %s",
			    q.base, what);
			goto out;
		}
		d = &fx.days[k];
		time_format_day(date, sizeof date, d->day);
		for (i = 0; q.named && i < fx.ncur; i++) {
			if (q.want[i] && (int)i != q.base_k &&
			    d->cell[i].prio == 0) {
				reply_error(r, 404, "no rate of %s on %s or in the "
				    "%d days before", fx.cur[i], date, FX_CARRY);
				goto out;
			}
		}
		reply_start(r, 200, "application/json; charset=utf-8");
		fputs("{\"amount\":", r->f);
		fx_amount(r->f, &q);
		fprintf(r->f, ",\"base\":\"%s\",\"date\":\"%s\",\"rates\":",
		    q.base, date);
		fx_rates(r->f, &fx, d, &q, 1);
		fputs("}\n", r->f);
		goto out;
	}
	/*
	 * A range: from the day that answers on or within FX_CARRY days
	 * before the first (as Frankfurter starts at the nearest day with
	 * rates), else from the first that answers after it.
	 */
	if (fx_read(&fx, w->db, first - 2 * FX_CARRY, last, rel, &cause) != 0)
		goto fail;
	fx_carry(&fx);
	from = first;
	for (i = 0; i < fx.ndays; i++) {
		if (fx.days[i].day <= first && fx.days[i].day >= first -
		    FX_CARRY && fx_rates(NULL, &fx, &fx.days[i], &q, 0) > 0)
			from = fx.days[i].day;
	}
	for (i = 0, n = 0, k = -1; i < fx.ndays; i++) {
		if (fx.days[i].day < from)
			continue;
		if (fx_rates(NULL, &fx, &fx.days[i], &q, 0) > 0) {
			if (n++ == 0)
				first = fx.days[i].day;
			k = (long)i;
		}
	}
	if (n == 0) {
		reply_error(r, 404, "no rates with base %s in %s", q.base,
		    what);
		goto out;
	}
	reply_start(r, 200, "application/json; charset=utf-8");
	fputs("{\"amount\":", r->f);
	fx_amount(r->f, &q);
	fprintf(r->f, ",\"base\":\"%s\",", q.base);
	time_format_day(date, sizeof date, first);
	fprintf(r->f, "\"start_date\":\"%s\",", date);
	time_format_day(date, sizeof date, fx.days[k].day);
	fprintf(r->f, "\"end_date\":\"%s\",\"rates\":{", date);
	for (i = 0, n = 0; i < fx.ndays; i++) {
		if (fx.days[i].day < from ||
		    fx_rates(NULL, &fx, &fx.days[i], &q, 0) == 0)
			continue;
		time_format_day(date, sizeof date, fx.days[i].day);
		fprintf(r->f, "%s\"%s\":", n++ ? "," : "", date);
		fx_rates(r->f, &fx, &fx.days[i], &q, 1);
	}
	fputs("}}\n", r->f);
	goto out;
fail:
	reply_error(r, 500, "%s", cause);
	free(cause);
out:
	fx_close(&fx);
	db_read_end(w->db);
}

/* ---- /metrics ---- */

static void
label(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", f);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

/* Has the list of names got this one? */
static int
listed(char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0)
			return 1;
	}
	return 0;
}

static void
metrics(struct worker *w, const struct query *q, int open, struct reply *r)
{
	static const char *const none[] = {NULL};
	struct latest_row *rows = NULL;
	struct source_status ss;
	struct {
		int attempted, succeeded;
		time_t ok_at;
		long failures;
	} *st = NULL;
	const struct source *src;
	struct config *c = server.config;
	char **names = NULL, *cause, rate[32];
	size_t n = 0, nn = 0, i;

	if (query_only(q, none, &cause) != 0) {
		reply_error(r, 400, "%s", cause);
		free(cause);
		return;
	}
	if (db_latest(w->db, &rows, &n, &cause) != 0)
		goto fail;
	reply_start(r, 200, open ? "application/openmetrics-text; "
	    "version=1.0.0; charset=utf-8" :
	    "text/plain; version=0.0.4; charset=utf-8");
	r->vary_accept = 1;
	fputs("# HELP rates_exchange_rate The newest rate stored: units of "
	    "the quote for one unit of the currency.\n"
	    "# TYPE rates_exchange_rate gauge\n", r->f);
	for (i = 0; i < n; i++) {
		src = config_find(c, rows[i].source);
		out_rate(rate, sizeof rate, rows[i].rate_text,
		    rows[i].rate_scaled);
		fputs("rates_exchange_rate{source=", r->f);
		label(r->f, rows[i].source);
		fputs(",currency=", r->f);
		label(r->f, rows[i].currency);
		fputs(",quote=", r->f);
		label(r->f, src != NULL ? src->quote : "KGS");
		fprintf(r->f, "} %s\n", rate);
		if (!listed(names, nn, rows[i].source)) {
			names = xreallocarray(names, nn + 1, sizeof *names);
			names[nn++] = rows[i].source;
		}
	}
	fputs("# HELP rates_observed_timestamp_seconds The time of the "
	    "newest rate stored, as the source gave it.\n"
	    "# TYPE rates_observed_timestamp_seconds gauge\n", r->f);
	for (i = 0; i < n; i++) {
		fputs("rates_observed_timestamp_seconds{source=", r->f);
		label(r->f, rows[i].source);
		fputs(",currency=", r->f);
		label(r->f, rows[i].currency);
		fprintf(r->f, "} %lld\n", (long long)rows[i].observed_at);
	}
	for (i = 0; c != NULL && i < c->nsources; i++) {
		if (c->sources[i]->enabled && !listed(names, nn,
		    c->sources[i]->name)) {
			names = xreallocarray(names, nn + 1, sizeof *names);
			names[nn++] = c->sources[i]->name;
		}
	}
	/* Each source's state, read once for both families. */
	st = xcalloc(nn + 1, sizeof *st);
	for (i = 0; i < nn; i++) {
		if (db_status(w->db, names[i], &ss, &cause) != 0)
			goto fail;
		st[i].attempted = ss.attempted;
		st[i].succeeded = ss.succeeded;
		st[i].ok_at = ss.ok_at;
		st[i].failures = ss.failures;
		db_status_release(&ss);
	}
	fputs("# HELP rates_last_success_timestamp_seconds When the source "
	    "was last read with success.\n"
	    "# TYPE rates_last_success_timestamp_seconds gauge\n", r->f);
	for (i = 0; i < nn; i++) {
		if (st[i].succeeded) {
			fputs("rates_last_success_timestamp_seconds{source=",
			    r->f);
			label(r->f, names[i]);
			fprintf(r->f, "} %lld\n", (long long)st[i].ok_at);
		}
	}
	fputs("# HELP rates_failures_in_a_row Failed reads of the source "
	    "since its last success.\n"
	    "# TYPE rates_failures_in_a_row gauge\n", r->f);
	for (i = 0; i < nn; i++) {
		if (st[i].attempted) {
			fputs("rates_failures_in_a_row{source=", r->f);
			label(r->f, names[i]);
			fprintf(r->f, "} %ld\n", st[i].failures);
		}
	}
	if (open)
		fputs("# EOF\n", r->f);
	goto out;
fail:
	reply_error(r, 500, "%s", cause);
	free(cause);
out:
	free(st);
	free(names);
	db_latest_free(rows, n);
}

/* ---- / ---- */

static void
page(struct worker *w, const struct query *q, struct reply *r)
{
	struct latest_row *rows = NULL;
	struct selection sel;
	const struct source *src;
	char *cause, rate[32], when[64], diff[32];
	size_t n = 0, i;
	int drawn;

	(void)q; /* a link's tracking parameters: not an error for a person */
	if (db_latest(w->db, &rows, &n, &cause) != 0)
		goto fail;
	reply_start(r, 200, "text/html; charset=utf-8");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>Rates of the Kyrgyz som</title>\n"
	    "<style>\nbody{font:16px/1.4 system-ui,sans-serif;margin:2em auto;"
	    "max-width:62em;padding:0 1em;color:#222}\n"
	    "table{border-collapse:collapse;margin:1em 0}\n"
	    "th,td{padding:.3em .9em;border-bottom:1px solid #ddd;"
	    "text-align:left}\ntd.n{text-align:right;"
	    "font-variant-numeric:tabular-nums}\n.up{color:#1a7f37}"
	    ".down{color:#c62828}\nsvg{max-width:100%;height:auto}\n"
	    "footer{color:#666;font-size:.9em}\n</style>\n</head>\n<body>\n"
	    "<h1>Rates of the Kyrgyz som</h1>\n", r->f);
	if (n == 0)
		fputs("<p>No rates recorded yet.</p>\n", r->f);
	else
		fputs("<table id=\"latest\">\n<tr><th>Source</th><th>Currency"
		    "</th><th>Rate</th><th>Change</th><th>Observed</th></tr>\n",
		    r->f);
	for (i = 0; i < n; i++) {
		src = config_find(server.config, rows[i].source);
		out_rate(rate, sizeof rate, rows[i].rate_text,
		    rows[i].rate_scaled);
		time_format(when, sizeof when, rows[i].observed_at, 0);
		fputs("<tr><td>", r->f);
		out_xml(r->f, rows[i].source);
		fputs("</td><td>", r->f);
		out_xml(r->f, rows[i].currency);
		fputs("</td><td class=\"n\">", r->f);
		out_xml(r->f, rate);
		fputs(" ", r->f);
		out_xml(r->f, src != NULL ? src->quote : "KGS");
		fputs("</td>", r->f);
		if (rows[i].has_previous && rows[i].prev_scaled !=
		    rows[i].rate_scaled) {
			int f1 = dec_frac_digits(rows[i].rate_text);
			int f2 = dec_frac_digits(rows[i].prev_text);

			dec_format(diff, sizeof diff, rows[i].rate_scaled -
			    rows[i].prev_scaled, f1 > f2 ? f1 : f2, 1);
			fprintf(r->f, "<td class=\"n %s\">%s</td>",
			    rows[i].rate_scaled > rows[i].prev_scaled ? "up" :
			    "down", diff);
		} else
			fputs("<td class=\"n\">&#8211;</td>", r->f);
		fputs("<td>", r->f);
		out_xml(r->f, when);
		fputs("</td></tr>\n", r->f);
	}
	if (n != 0)
		fputs("</table>\n", r->f);
	/* The 30 days up to the newest rate, however old it is. */
	memset(&sel, 0, sizeof sel);
	for (i = 0; i < n; i++) {
		if (rows[i].observed_at + 1 > sel.until)
			sel.until = rows[i].observed_at + 1;
	}
	sel.since = sel.until - 30 * DAY;
	fputs("<h2>The last 30 days</h2>\n<div id=\"chart\">\n", r->f);
	if (n == 0)
		drawn = 1; /* nothing to say twice */
	else if ((drawn = chart_svg_write(w->db, server.config, &sel, 960, 0,
	    r->f, &cause)) < 0)
		goto fail;
	if (drawn == 0)
		fputs("<p>No rates in the last 30 days.</p>\n", r->f);
	fputs("</div>\n<footer><p>The same as data: <a href=\"api/latest\">"
	    "api/latest</a>, <a href=\"api/history?since=30d\">"
	    "api/history</a>, <a href=\"v1/latest\">v1/latest</a> "
	    "(Frankfurter), <a href=\"metrics\">metrics</a> (Prometheus)."
	    "</p></footer>\n</body>\n</html>\n", r->f);
	goto out;
fail:
	reply_error(r, 500, "%s", cause);
	free(cause);
out:
	db_latest_free(rows, n);
}

/* ---- Requests. ---- */

/*
 * The weight Accept gives a media type: the q of the most specific range
 * that matches it (type/subtype, type/ *, * / *), 0 when none does; 1 when
 * there is no Accept at all.  Case does not matter.
 */
static double
accept_q(const char *accept, const char *type)
{
	const char *p = accept, *end, *semi, *qp;
	size_t tlen = strcspn(type, "/"), n;
	double q, best = -1;
	int spec, best_spec = -1;
	char *qend;

	if (accept == NULL)
		return 1;
	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		end = p + strcspn(p, ",");
		semi = memchr(p, ';', (size_t)(end - p));
		n = (size_t)((semi != NULL ? semi : end) - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		spec = -1;
		if (n == strlen(type) && strncasecmp(p, type, n) == 0)
			spec = 2;
		else if (n == tlen + 2 && strncasecmp(p, type, tlen + 1) == 0 &&
		    p[tlen + 1] == '*')
			spec = 1;
		else if (n == 3 && strncmp(p, "*/*", 3) == 0)
			spec = 0;
		if (spec > best_spec) {
			q = 1;
			for (qp = semi; qp != NULL && qp < end;
			    qp = memchr(qp + 1, ';', (size_t)(end - qp - 1))) {
				qp++;
				while (*qp == ' ' || *qp == '\t')
					qp++;
				if ((*qp == 'q' || *qp == 'Q') && qp[1] == '=') {
					q = strtod(qp + 2, &qend);
					if (qend == qp + 2 || q < 0 || q > 1)
						q = 0;
				}
				qp--;
			}
			best = q;
			best_spec = spec;
		}
		p = end;
	}
	return best < 0 ? 0 : best;
}

/*
 * Does the client prefer OpenMetrics to Prometheus' text?  Prometheus
 * asks for both, OpenMetrics first.
 */
static int
wants_openmetrics(struct MHD_Connection *c)
{
	const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_ACCEPT);
	double om, text;

	if (v == NULL)
		return 0;
	om = accept_q(v, "application/openmetrics-text");
	text = accept_q(v, "text/plain");
	/* Named, not only by a wildcard, and not weighed less than text. */
	return om > 0 && strcasestr(v, "application/openmetrics-text") !=
	    NULL && om >= text;
}

/* Route the request to its answer. */
static void
answer(struct worker *w, const struct query *q, int open, time_t now,
    struct reply *r)
{
	const char *p = q->path;

	if (strcmp(p, "/") == 0)
		page(w, q, r);
	else if (strcmp(p, "/api/latest") == 0)
		api_latest(w, q, now, r);
	else if (strcmp(p, "/api/history") == 0)
		api_history(w, q, now, r);
	else if (strncmp(p, "/api/at/", 8) == 0 && p[8] != '\0')
		api_at(w, q, p + 8, now, r);
	else if (strncmp(p, "/v1/", 4) == 0 && p[4] != '\0' &&
	    strchr(p + 4, '/') == NULL)
		api_v1(w, q, p + 4, now, r);
	else if (strcmp(p, "/metrics") == 0)
		metrics(w, q, open, r);
	else
		reply_error(r, 404, "%s: no such page (try /, /api/latest, "
		    "/api/history, /api/at/WHEN, /v1/latest, /metrics)", p);
}

static void entry_clear(struct entry *);

/* Open the database for w, and note which file it is. */
static int
worker_open(struct worker *w, char **cause)
{
	struct stat sb;

	if ((w->db = db_open(server.db_path, DB_READ, cause)) == NULL)
		return -1;
	if (stat(server.db_path, &sb) == 0) {
		w->dev = sb.st_dev;
		w->ino = sb.st_ino;
		w->mtime = sb.st_mtim;
		w->size = sb.st_size;
	}
	w->version = -1;
	return 0;
}

/* Has a writer come to a database opened as one nobody writes? */
static int
shm_there(void)
{
	char *shm = xasprintf("%s-shm", server.db_path);
	int there = access(shm, F_OK) == 0;

	free(shm);
	return there;
}

/*
 * Once a second: is the database still the file opened?  One put in its
 * place (a restored backup, a move) is opened instead, and the answers
 * kept are dropped; a database gone is an error, not old answers.  One
 * opened immutable (read-only, no writer then) is opened again when a
 * writer comes (a -shm) or the file changes.
 */
static int
worker_check(struct worker *w, time_t now, char **cause)
{
	struct stat sb;
	size_t i;

	if (w->db != NULL && w->checked == now)
		return 0;
	w->checked = now;
	if (w->db != NULL && stat(server.db_path, &sb) == 0 &&
	    sb.st_dev == w->dev && sb.st_ino == w->ino &&
	    (!db_immutable(w->db) || (!shm_there() &&
	    sb.st_size == w->size && sb.st_mtim.tv_sec == w->mtime.tv_sec &&
	    sb.st_mtim.tv_nsec == w->mtime.tv_nsec)))
		return 0;
	for (i = 0; i < CACHE_SLOTS; i++)
		entry_clear(&w->cache[i]);
	if (w->db != NULL) {
		db_close(w->db);
		w->db = NULL;
	}
	return worker_open(w, cause);
}

/* This thread's worker, its database opened the first time. */
static struct worker *
worker(char **cause)
{
	struct worker *w;

	if (self != NULL)
		return self;
	w = xcalloc(1, sizeof *w);
	if (worker_open(w, cause) != 0) {
		free(w);
		return NULL;
	}
	w->checked = time(NULL);
	pthread_mutex_lock(&server.lock);
	w->link = server.workers;
	server.workers = w;
	pthread_mutex_unlock(&server.lock);
	self = w;
	return w;
}

static void
entry_clear(struct entry *e)
{
	free(e->key);
	if (e->resp != NULL)
		MHD_destroy_response(e->resp);
	if (e->not_modified != NULL)
		MHD_destroy_response(e->not_modified);
	memset(e, 0, sizeof *e);
}

static void
headers(struct MHD_Response *resp, const struct entry *e, long max_age)
{
	char lm[64], cc[64];
	struct tm tm;

	MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, e->etag);
	if (e->send_modified) {
		gmtime_r(&e->modified, &tm);
		strftime(lm, sizeof lm, "%a, %d %b %Y %H:%M:%S GMT", &tm);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_LAST_MODIFIED,
		    lm);
	}
	if (e->status == 200)
		snprintf(cc, sizeof cc, "public, max-age=%ld", max_age);
	else
		snprintf(cc, sizeof cc, "no-cache");
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cc);
	MHD_add_response_header(resp,
	    MHD_HTTP_HEADER_ACCESS_CONTROL_ALLOW_ORIGIN, "*");
}

/* An answer made now, kept in slot e. */
static void
make(struct worker *w, struct entry *e, const char *key, const struct
    query *q, int open, time_t now)
{
	struct reply r;
	int clocked;

	memset(&r, 0, sizeof r);
	answer(w, q, open, now, &r);
	if (fclose(r.f) != 0)
		fatal("out of memory");
	e->key = xstrdup(key);
	e->version = w->version;
	e->made = now;
	/*
	 * What names the clock (an age, "since=7d", "today", a range to
	 * today) changes without a write: /api/ answers, /v1/latest and
	 * /v1/ ranges are as new as they are.
	 */
	clocked = strncmp(q->path, "/api/", 5) == 0 ||
	    strcmp(q->path, "/v1/latest") == 0 ||
	    (strncmp(q->path, "/v1/", 4) == 0 && strstr(q->path, "..") != NULL);
	e->modified = clocked ? now : w->changed;
	/*
	 * A date is whole seconds: in the second of a write, or the next,
	 * another write may come that the same date would name, so such an
	 * answer has no Last-Modified (a client could not ask by it for
	 * what it did not get), and one that names the clock is never
	 * answered by date (RFC 9110 13.1.3).
	 */
	e->send_modified = clocked || e->modified < now - 1;
	e->by_date = !clocked && e->modified < now - 1;
	e->vary_accept = r.vary_accept;
	e->len = r.len;
	e->status = r.status;
	snprintf(e->etag, sizeof e->etag, "\"%016llx\"",
	    (unsigned long long)hash(r.body, r.len));
	e->resp = MHD_create_response_from_buffer(r.len, r.body,
	    MHD_RESPMEM_MUST_FREE);
	if (e->resp == NULL)
		fatal("out of memory");
	MHD_add_response_header(e->resp, MHD_HTTP_HEADER_CONTENT_TYPE, r.type);
	MHD_add_response_header(e->resp, "X-Content-Type-Options", "nosniff");
	if (r.vary_accept)
		MHD_add_response_header(e->resp, MHD_HTTP_HEADER_VARY,
		    "Accept");
	headers(e->resp, e, server.max_age);
}

/* Does If-None-Match name the tag ("*", a list, weak or not)? */
static int
etag_matches(const char *inm, const char *etag)
{
	const char *p = inm;
	size_t n = strlen(etag);

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '*')
			return 1;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, n) == 0 && (p[n] == '\0' || p[n] == ',' ||
		    p[n] == ' ' || p[n] == '\t'))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

/* Is the answer what the client has (If-None-Match, If-Modified-Since)? */
static int
not_modified(struct MHD_Connection *c, const struct entry *e)
{
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_NONE_MATCH);
	const char *ims = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_IF_MODIFIED_SINCE);
	struct tm tm;
	char *end;

	static const char *const formats[] = {
		"%a, %d %b %Y %H:%M:%S GMT", /* IMF-fixdate */
		"%A, %d-%b-%y %H:%M:%S GMT", /* RFC 850 */
		"%a %b %e %H:%M:%S %Y",      /* asctime */
	};
	time_t t, now = time(NULL);
	size_t i;

	if (e->status != 200)
		return 0;
	if (inm != NULL)
		return etag_matches(inm, e->etag);
	/* By date, when the answer may be (make); a future date is none. */
	if (ims == NULL || !e->by_date)
		return 0;
	for (i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		memset(&tm, 0, sizeof tm);
		end = strptime(ims, formats[i], &tm);
		if (end != NULL && *end == '\0')
			break;
	}
	if (i == sizeof formats / sizeof formats[0] ||
	    (t = timegm(&tm)) == (time_t)-1 || t > now)
		return 0;
	return e->modified <= t;
}

static enum MHD_Result
queue_json_error(struct MHD_Connection *c, int status, const char *allow,
    const char *fmt, ...) PRINTFLIKE(4, 5);
static enum MHD_Result
queue_json_error(struct MHD_Connection *c, int status, const char *allow,
    const char *fmt, ...)
{
	struct MHD_Response *resp;
	struct reply r;
	struct entry e;
	enum MHD_Result ret;
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	memset(&r, 0, sizeof r);
	reply_error(&r, status, "%s", msg);
	free(msg);
	fclose(r.f);
	memset(&e, 0, sizeof e);
	e.status = status;
	snprintf(e.etag, sizeof e.etag, "\"%016llx\"",
	    (unsigned long long)hash(r.body, r.len));
	resp = MHD_create_response_from_buffer(r.len, r.body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, r.type);
	if (allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
	e.modified = time(NULL);
	e.send_modified = 1;
	headers(resp, &e, 0);
	ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* The request's head is here: its connection has no deadline now. */
static void
conn_busy(struct MHD_Connection *c, long since)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c,
	    MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn *cn;

	if (ci == NULL || (cn = ci->socket_context) == NULL)
		return;
	pthread_mutex_lock(&server.lock);
	cn->since = since;
	pthread_mutex_unlock(&server.lock);
}

/* The 304 of e, made the first time it is asked for. */
static enum MHD_Result
queue_not_modified(struct MHD_Connection *c, struct entry *e)
{
	if (e->not_modified == NULL) {
		e->not_modified = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT);
		if (e->not_modified == NULL)
			return MHD_NO;
		headers(e->not_modified, e, server.max_age);
		if (e->vary_accept)
			MHD_add_response_header(e->not_modified,
			    MHD_HTTP_HEADER_VARY, "Accept");
	}
	return MHD_queue_response(c, MHD_HTTP_NOT_MODIFIED, e->not_modified);
}

/*
 * The database cannot be read (cause), or can again (NULL): said once
 * when it changes, not on every request.
 */
static void
failing(const char *cause)
{
	int was = __atomic_exchange_n(&server.failing, cause != NULL,
	    __ATOMIC_RELAXED);

	if (cause != NULL && !was)
		log_error("%s (answering 503 until it can be read)", cause);
	else if (cause == NULL && was)
		log_info("the database can be read again");
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **req_cls)
{
	struct request *rq = *req_cls;
	struct worker *w;
	struct entry *e, *slot, big;
	struct query q;
	const char *length;
	enum MHD_Result ret;
	time_t now;
	long long v;
	char *cause, *key;
	size_t i;
	int status, open;

	(void)cls;
	(void)url;
	(void)version;
	(void)upload;
	if (rq == NULL || rq->uri == NULL)
		return MHD_NO;
	if (rq->uri[0] == '\0') { /* answered: a body is not read */
		*upload_size = 0;
		return MHD_YES;
	}
	/*
	 * Answered on the second call, after the head (and any body: at most
	 * MEMORY_LIMIT of it, dropped), so that libmicrohttpd keeps the
	 * connection for the next request.
	 */
	if (!rq->called) {
		rq->called = 1;
		conn_busy(c, 0);
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
			rq->uri[0] = '\0';
			return queue_json_error(c, 405, "GET, HEAD", "%s: only "
			    "GET and HEAD are answered here", method);
		}
		/* A body is read and dropped, up to MEMORY_LIMIT. */
		length = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (MHD_lookup_connection_value(c, MHD_HEADER_KIND,
		    MHD_HTTP_HEADER_TRANSFER_ENCODING) != NULL ||
		    (length != NULL && strtoull(length, NULL, 10) >
		    MEMORY_LIMIT)) {
			rq->uri[0] = '\0';
			return queue_json_error(c, 413, NULL, "a request here "
			    "has no body (at most %d bytes are read and "
			    "dropped)", MEMORY_LIMIT);
		}
		return MHD_YES;
	}
	if (*upload_size != 0) {
		*upload_size = 0;
		return MHD_YES;
	}
	if (query_parse(rq->uri, &q, &status, &cause) != 0) {
		rq->uri[0] = '\0';
		ret = queue_json_error(c, status, NULL, "%s", cause);
		free(cause);
		return ret;
	}
	if ((w = worker(&cause)) == NULL) {
		rq->uri[0] = '\0';
		failing(cause);
		ret = queue_json_error(c, 503, NULL, "%s", cause);
		free(cause);
		query_release(&q);
		return ret;
	}
	now = time(NULL);
	if (worker_check(w, now, &cause) != 0 ||
	    db_data_version(w->db, &v, &cause) != 0) {
		rq->uri[0] = '\0';
		failing(cause);
		ret = queue_json_error(c, 503, NULL, "%s", cause);
		free(cause);
		query_release(&q);
		return ret;
	}
	if (v != w->version) {
		w->version = v;
		w->changed = last_write(server.db_path);
		if (w->changed > now || w->changed == 0)
			w->changed = now;
	}
	failing(NULL);
	open = strcmp(q.path, "/metrics") == 0 && wants_openmetrics(c);
	/* The target as sent: two targets are one answer only if equal. */
	key = xasprintf("%d %s", open, rq->uri);
	rq->uri[0] = '\0';
	slot = NULL;
	for (i = 0, e = NULL; i < CACHE_SLOTS; i++) {
		if (w->cache[i].key != NULL && strcmp(w->cache[i].key, key) ==
		    0) {
			e = &w->cache[i];
			break;
		}
	}
	if (e != NULL && (e->version != w->version || e->made != now)) {
		entry_clear(e);
		slot = e;
		e = NULL;
	}
	if (e == NULL) {
		if (slot == NULL) {
			slot = &w->cache[w->next];
			w->next = (w->next + 1) % CACHE_SLOTS;
			entry_clear(slot);
		}
		make(w, slot, key, &q, open, now);
		e = slot;
		/* A long answer is not kept: it would keep its memory. */
		if (e->len > CACHE_MAX_BODY) {
			big = *e;
			memset(e, 0, sizeof *e);
			e = &big;
		}
	}
	free(key);
	query_release(&q);
	if (e == &big) {
		ret = not_modified(c, e) ? queue_not_modified(c, e) :
		    MHD_queue_response(c, (unsigned)e->status, e->resp);
		entry_clear(&big);
		return ret;
	}
	if (not_modified(c, e))
		return queue_not_modified(c, e);
	return MHD_queue_response(c, (unsigned)e->status, e->resp);
}

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	struct request *rq = xcalloc(1, sizeof *rq);

	(void)cls;
	(void)c;
	rq->uri = xstrdup(uri);
	return rq;
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct request *rq = *req_cls;

	(void)cls;
	(void)toe;
	if (rq != NULL) {
		free(rq->uri);
		free(rq);
		*req_cls = NULL;
	}
	/* Waiting for the next request, from now. */
	conn_busy(c, time_mono_ms());
}

static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	const union MHD_ConnectionInfo *ci;
	struct conn *cn;

	(void)cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		cn = xcalloc(1, sizeof *cn);
		cn->fd = ci != NULL ? ci->connect_fd : -1;
		cn->since = time_mono_ms();
		pthread_mutex_lock(&server.lock);
		cn->next = server.conns;
		if (cn->next != NULL)
			cn->next->prev = cn;
		server.conns = cn;
		pthread_mutex_unlock(&server.lock);
		*socket_context = cn;
		return;
	}
	if ((cn = *socket_context) == NULL)
		return;
	pthread_mutex_lock(&server.lock);
	if (cn->prev != NULL)
		cn->prev->next = cn->next;
	else
		server.conns = cn->next;
	if (cn->next != NULL)
		cn->next->prev = cn->prev;
	pthread_mutex_unlock(&server.lock);
	free(cn);
	*socket_context = NULL;
}

/*
 * Every second, shut the connections whose request has not come whole in
 * time: libmicrohttpd then closes them.  The list is
 * locked, and a connection leaves it before its socket is closed, so the
 * descriptor is the connection's.
 */
static void *
sweeper(void *arg)
{
	struct timespec ts;
	struct conn *cn;
	long now;

	(void)arg;
	pthread_mutex_lock(&server.lock);
	while (!server.stop) {
		now = time_mono_ms();
		for (cn = server.conns; cn != NULL; cn = cn->next) {
			if (cn->since != 0 && cn->fd >= 0 &&
			    now - cn->since > server.deadline) {
				shutdown(cn->fd, SHUT_RDWR);
				cn->since = 0;
			}
		}
		clock_gettime(CLOCK_MONOTONIC, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&server.wake, &server.lock, &ts);
	}
	pthread_mutex_unlock(&server.lock);
	return NULL;
}

static void
on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char *msg = xvasprintf(fmt, ap);
	size_t n = strlen(msg);

	(void)cls;
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	log_debug("libmicrohttpd: %s", msg);
	free(msg);
}

static int
listen_on(const struct serve_state *st, char *where, size_t size,
    char **cause)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	char host[NI_MAXHOST], port[NI_MAXSERV];
	int fd, one = 1;

	fd = socket(st->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*cause = xasprintf("socket: %s", strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(fd, (const struct sockaddr *)&st->addr, st->addrlen) != 0 ||
	    listen(fd, 1024) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		getnameinfo((const struct sockaddr *)&st->addr, st->addrlen,
		    host, sizeof host, port, sizeof port,
		    NI_NUMERICHOST | NI_NUMERICSERV);
		*cause = xasprintf("cannot listen on %s%s%s:%s: %s",
		    ss.ss_family == AF_INET6 ? "[" : "", host,
		    ss.ss_family == AF_INET6 ? "]" : "", port, strerror(errno));
		close(fd);
		return -1;
	}
	getnameinfo((struct sockaddr *)&ss, len, host, sizeof host, port,
	    sizeof port, NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(where, size, "http://%s%s%s:%s/", ss.ss_family == AF_INET6 ?
	    "[" : "", host, ss.ss_family == AF_INET6 ? "]" : "", port);
	return fd;
}

static int
cmd_serve_exec(struct cmd_ctx *ctx)
{
	struct serve_state *st = ctx->state;
	struct MHD_Daemon *d;
	struct worker *w, *next;
	pthread_t sweep;
	pthread_condattr_t cattr;
	struct rlimit nofile;
	sigset_t block, old, wait_mask;
	char where[NI_MAXHOST + NI_MAXSERV + 16], *cause;
	size_t i;
	int fd;

	if ((fd = listen_on(st, where, sizeof where, &cause)) < 0) {
		log_error("%s", cause);
		free(cause);
		return EXIT_ERROR;
	}
	/* A descriptor for each connection, and some to spare. */
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 &&
	    nofile.rlim_cur < (rlim_t)st->max_conns + 64) {
		nofile.rlim_cur = nofile.rlim_max < (rlim_t)st->max_conns + 64 ?
		    nofile.rlim_max : (rlim_t)st->max_conns + 64;
		setrlimit(RLIMIT_NOFILE, &nofile);
		if (nofile.rlim_cur < (rlim_t)st->max_conns + 64)
			log_warn("%ld connections asked for, but only %llu files "
			    "may be open (ulimit -n)", st->max_conns,
			    (unsigned long long)nofile.rlim_cur);
	}
	server.db_path = ctx->db_path;
	server.config = ctx->config;
	server.max_age = st->max_age;
	server.deadline = st->timeout * 1000L;
	pthread_mutex_init(&server.lock, NULL);
	/* The sweeper's waits count on a clock that is not set back. */
	pthread_condattr_init(&cattr);
	pthread_condattr_setclock(&cattr, CLOCK_MONOTONIC);
	pthread_cond_init(&server.wake, &cattr);
	pthread_condattr_destroy(&cattr);
	/*
	 * Long answers (a range of years) are not kept, and their memory
	 * goes back to the system when freed, not to a growing heap.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	signal(SIGPIPE, SIG_IGN);
	/* Nothing to read again: a hang-up from a closed terminal, ignored. */
	signal(SIGHUP, SIG_IGN);
	cmd_catch_stop();
	/* The threads leave the stop signals to this one. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, NULL,
	    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, NULL,
	    MHD_OPTION_LISTEN_SOCKET, fd,
	    /* One thread: the daemon's own, not a pool of one. */
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)(st->threads > 1 ?
	    st->threads : 0),
	    /* HTTP/1.1 without Host, bad header lines: 400. */
	    MHD_OPTION_STRICT_FOR_CLIENT, 1,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)st->max_conns,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)st->timeout,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_LIMIT,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
	    MHD_OPTION_END);
	if (d == NULL) {
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		/* libmicrohttpd has closed fd, as it does when it stops. */
		log_error("cannot start the HTTP server on %s", where);
		return EXIT_ERROR;
	}
	if (pthread_create(&sweep, NULL, sweeper, NULL) != 0)
		fatal("pthread_create failed");
	log_info("serving %s on %s", ctx->db_path, where);
	/* Wait with the stop signals open, even if they came blocked. */
	wait_mask = old;
	sigdelset(&wait_mask, SIGINT);
	sigdelset(&wait_mask, SIGTERM);
	while (!cmd_stopped)
		sigsuspend(&wait_mask);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	MHD_stop_daemon(d); /* closes fd */
	pthread_mutex_lock(&server.lock);
	server.stop = 1;
	pthread_cond_signal(&server.wake);
	pthread_mutex_unlock(&server.lock);
	pthread_join(sweep, NULL);
	for (w = server.workers; w != NULL; w = next) {
		next = w->link;
		for (i = 0; i < CACHE_SLOTS; i++)
			entry_clear(&w->cache[i]);
		if (w->db != NULL)
			db_close(w->db);
		free(w);
	}
	log_info("stopped");
	return EXIT_OK;
}
