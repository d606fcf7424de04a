/*
 * cmd_backfill.c: load a source's published archive (SPEC section 8).
 *
 * The National Bank answers one currency and one range of days a request
 * (archive_url?item=1562&lang=ENG&valuta_id=ID&beg_day=...).  We ask for at
 * most a calendar year at a time, through one connection, with at least
 * half a second between requests: the server drops clients that open many
 * connections or hurry.  A request that fails (no answer, a 5xx, rows that
 * do not parse) is tried again after a pause that doubles, a few times;
 * then that range is reported and the rest goes on.  Each range's rows are
 * stored in one short transaction under the feed's keys (the value date at
 * 00:00 of the source's offset), by the rules of record.c: a second run, or
 * one beside the daemon, adds nothing twice, and a different value is a
 * revision.  Ctrl-C keeps what was stored.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rates.h"

#define FIRST_YEAR 1999
#define PAUSE_MS 500      /* at least this between two requests */
#define ATTEMPTS 4        /* one and three more, after 0.5, 1 and 2 s */
#define EMPTY_DAYS 7      /* a longer range without a row is no answer */

static void cmd_backfill_prepare(struct cmd_ctx *);
static int cmd_backfill_exec(struct cmd_ctx *);

static const struct cmd_option cmd_backfill_options[] = {
	{"since", OPT_SINCE, "WHEN", "from this day on (default: the day after "
	    "the newest sample)"},
	{"until", OPT_UNTIL, "WHEN", "up to this day (default: today)"},
	{"currency", OPT_CURRENCY, "USD,EUR", "only these currencies"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_backfill_entry = {
	.name = "backfill",
	.usage = "[SOURCE] [--since WHEN] [--until WHEN] [--currency USD,EUR]",
	.summary = "load a source's published archive (nbkr: back to 1999)",
	.options = cmd_backfill_options,
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_CONFIG | CMD_DB_WRITE | CMD_NETWORK,
	.prepare = cmd_backfill_prepare,
	.exec = cmd_backfill_exec,
};

struct day {
	int y, m, d;
};

struct job {
	const struct archive_id *id;
	struct day since, until; /* resolved in exec, per currency */
	int has_since;
};

struct backfill_state {
	struct source *src;
	int has_since, has_until;
	struct day since, until;
	size_t njobs;
	struct job jobs[];
};

/* Sleep ms, or less when a signal comes. */
static void
pause_ms(long ms)
{
	struct timespec ts;

	if (ms <= 0 || cmd_stopped)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000;
	nanosleep(&ts, NULL);
}

/* The calendar day of an instant at a UTC offset. */
static struct day
day_of(time_t t, int offset)
{
	struct tm tm;
	time_t u = t + offset;
	struct day d;

	gmtime_r(&u, &tm);
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	return d;
}

static long
day_number(struct day d)
{
	return (long)(time_from_civil(d.y, d.m, d.d, 0, 0) / 86400);
}

static struct day
day_from_number(long n)
{
	return day_of((time_t)n * 86400, 0);
}

/* The day WHEN names: as written, or the day of its instant at offset. */
static struct day
when_day(const struct when *w, int offset)
{
	struct day d;

	if (w->has_date) {
		d.y = w->y;
		d.m = w->m;
		d.d = w->d;
		return d;
	}
	return day_of(w->t, offset);
}

static void
cmd_backfill_prepare(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	struct backfill_state *st;
	struct source *src;
	const char *name = a->argc > 0 ? a->argv[0] : "nbkr", *v;
	const struct archive_id *id;
	struct when w;
	char *copy, *tok, *save = NULL, *cause;
	size_t i, j;
	long today;

	if ((src = config_find(ctx->config, name)) == NULL)
		cmd_usage_error(&cmd_backfill_entry, "unknown source '%s' (see "
		    "'rates sources')", name);
	if (src->archive_url == NULL || src->narchive_ids == 0)
		cmd_usage_error(&cmd_backfill_entry, "source '%s' has no "
		    "archive (archive_url and archive_ids)", name);
	ctx->state = st = xcalloc(1, sizeof *st + src->narchive_ids *
	    sizeof *st->jobs);
	st->src = src;
	if ((v = args_get(a, OPT_SINCE)) != NULL) {
		if (time_parse_when2(v, ctx->now, &w, &cause) != 0)
			cmd_usage_error(&cmd_backfill_entry, "--since: %s",
			    cause);
		st->since = when_day(&w, src->utc_offset);
		st->has_since = 1;
	}
	if ((v = args_get(a, OPT_UNTIL)) != NULL) {
		if (time_parse_when2(v, ctx->now, &w, &cause) != 0)
			cmd_usage_error(&cmd_backfill_entry, "--until: %s",
			    cause);
		st->until = when_day(&w, src->utc_offset);
		st->has_until = 1;
	}
	/*
	 * No range in the future (tomorrow's rates may be published
	 * today), none before the first year.
	 */
	today = day_number(day_of(ctx->now, src->utc_offset));
	if (st->has_since && day_number(st->since) > today)
		cmd_usage_error(&cmd_backfill_entry, "--since %s is after today",
		    args_get(a, OPT_SINCE));
	if (st->has_until && day_number(st->until) < day_number((struct day){
	    FIRST_YEAR, 1, 1}))
		cmd_usage_error(&cmd_backfill_entry, "--until %s is before "
		    "%d-01-01, where the archive starts", args_get(a,
		    OPT_UNTIL), FIRST_YEAR);
	if (st->has_until && day_number(st->until) > today + 1)
		st->until = day_from_number(today + 1);
	if (st->has_since && day_number(st->since) < day_number((struct day){
	    FIRST_YEAR, 1, 1}))
		st->since = (struct day){FIRST_YEAR, 1, 1};
	if (st->has_since && st->has_until &&
	    day_number(st->since) > day_number(st->until))
		cmd_usage_error(&cmd_backfill_entry, "--since is after "
		    "--until");
	if ((v = args_get(a, OPT_CURRENCY)) == NULL) {
		/* The source's currencies that the archive has, in order. */
		for (i = 0; i < src->ncurrencies; i++) {
			for (j = 0; j < src->narchive_ids; j++) {
				id = &src->archive_ids[j];
				if (strcmp(id->code, src->currencies[i]) == 0)
					st->jobs[st->njobs++].id = id;
			}
		}
		return;
	}
	copy = xstrdup(v);
	for (tok = strtok_r(copy, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		id = NULL;
		for (j = 0; j < src->narchive_ids; j++) {
			if (strcmp(src->archive_ids[j].code, tok) == 0)
				id = &src->archive_ids[j];
		}
		if (id == NULL)
			cmd_usage_error(&cmd_backfill_entry, "--currency: the "
			    "archive of '%s' has no '%s' (archive_ids)", name,
			    tok);
		for (j = 0; j < st->njobs; j++) {
			if (st->jobs[j].id == id)
				break;
		}
		if (j == st->njobs && st->njobs < src->narchive_ids)
			st->jobs[st->njobs++].id = id;
	}
	free(copy);
	if (st->njobs == 0)
		cmd_usage_error(&cmd_backfill_entry, "--currency: no currency "
		    "given");
}

struct totals {
	size_t requests, ranges, rows, added, present, revised, rejected;
	size_t failed_ranges;
	int status;
};

static void
worse(struct totals *t, int status)
{
	if (status == EXIT_ERROR || (status == EXIT_NORATES &&
	    t->status == EXIT_OK))
		t->status = status;
}

struct progress {
	int tty;
	size_t done, total;
	long shown;
};

static void
progress_show(struct progress *p, const char *code, int year,
    const struct totals *t)
{
	int width = 20, fill;

	if (!p->tty)
		return;
	fill = p->total != 0 ? (int)(p->done * (size_t)width / p->total) : 0;
	fprintf(stderr, "\r\033[Krates: backfill: %s %d [%.*s%*s] %zu/%zu "
	    "ranges, %zu rows", code, year, fill, "####################",
	    width - fill, "", p->done, p->total, t->rows);
	fflush(stderr);
	p->shown = 1;
}

static void
progress_clear(struct progress *p)
{
	if (p->tty && p->shown) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
		p->shown = 0;
	}
}

/* Retry a failed request: no answer, a server error, a bad body. */
static int
retryable(long status)
{
	return status == 0 || status == 429 || status >= 500;
}

/*
 * Is the answer one for the range asked?  Every row in it, no day twice
 * with two values (the same value twice is kept once), and rows at all
 * when the range is longer than a week (the bank publishes at least
 * weekly): NULL, or why not.  Rows are put newest first.
 */
static int
newest_first(const void *a, const void *b)
{
	const struct archive_row *x = a, *y = b;
	long dx = day_number((struct day){x->y, x->m, x->d});
	long dy = day_number((struct day){y->y, y->m, y->d});

	return dx < dy ? 1 : dx > dy ? -1 : 0;
}

static char *
check_rows(struct archive_row *rows, size_t *nrows, long lo, long hi)
{
	struct archive_row *r;
	size_t i, k;
	long n;

	if (*nrows == 0 && hi - lo + 1 > EMPTY_DAYS)
		return xasprintf("no rows for %ld days: not the archive's "
		    "answer", hi - lo + 1);
	if (*nrows == 0)
		return NULL;
	for (i = 0; i < *nrows; i++) {
		r = &rows[i];
		n = day_number((struct day){r->y, r->m, r->d});
		if (n < lo || n > hi)
			return xasprintf("a row of %02d.%02d.%04d, outside the "
			    "range asked for", r->d, r->m, r->y);
	}
	qsort(rows, *nrows, sizeof *rows, newest_first);
	for (i = 0, k = 0; i < *nrows; i++) {
		if (k > 0 && newest_first(&rows[k - 1], &rows[i]) == 0) {
			if (rows[k - 1].scaled != rows[i].scaled)
				return xasprintf("%02d.%02d.%04d twice, as %s "
				    "and %s", rows[i].d, rows[i].m, rows[i].y,
				    rows[k - 1].text, rows[i].text);
			continue;
		}
		rows[k++] = rows[i];
	}
	*nrows = k;
	return NULL;
}

/*
 * Ask for one range and parse it, trying again as the server allows.  0
 * with the rows, or -1 with the reason of the last attempt.
 */
static int
fetch_range(struct http *h, const struct source *src, const char *url,
    struct day a, struct day b, long *last_end, struct totals *t,
    struct archive_row **rows, size_t *nrows, char **cause)
{
	struct http_response resp;
	long wait = PAUSE_MS, lo = day_number(a), hi = day_number(b);
	char *why = NULL;
	int attempt;

	for (attempt = 1; attempt <= ATTEMPTS && !cmd_stopped; attempt++) {
		if (attempt > 1)
			wait = PAUSE_MS << (attempt - 2);
		pause_ms(*last_end + wait - time_mono_ms());
		if (cmd_stopped)
			break;
		free(why);
		why = NULL;
		t->requests++;
		log_debug("%s: GET %s", src->name, url);
		if (http_get(h, &(struct http_request){.url = url,
		    .user_agent = src->user_agent, .timeout = src->timeout,
		    .stop = &cmd_stopped}, &resp, &why) != 0) {
			*last_end = time_mono_ms();
			/* A 4xx is final; a cut transfer (after a 200) is not. */
			if (resp.status >= 400 && !retryable(resp.status))
				attempt = ATTEMPTS;
			http_response_release(&resp);
			continue;
		}
		*last_end = time_mono_ms();
		if (resp.status != 200) {
			why = xasprintf("HTTP %ld from %s", resp.status, url);
			if (!retryable(resp.status))
				attempt = ATTEMPTS;
			http_response_release(&resp);
			continue;
		}
		if (nbkr_archive_parse(resp.body.data, resp.body.len, rows,
		    nrows, &why) != 0) {
			http_response_release(&resp);
			continue;
		}
		http_response_release(&resp);
		why = check_rows(*rows, nrows, lo, hi);
		if (why == NULL)
			return 0;
		free(*rows);
		*rows = NULL;
		*nrows = 0;
	}
	*cause = why != NULL ? why : xstrdup("interrupted");
	return -1;
}

/* Store one range's rows in one transaction; -1 on a database error. */
static int
store_rows(struct cmd_ctx *ctx, const struct source *src, const char *code,
    const struct archive_row *rows, size_t nrows, struct totals *t)
{
	struct extract_item it;
	struct extraction ex;
	struct record_result res;
	const struct record_item *ri;
	char *cause = NULL, when[32];
	time_t observed;
	size_t i;

	if (nrows == 0)
		return 0;
	if (db_begin(ctx->db, &cause) != 0)
		goto dberr;
	for (i = 0; i < nrows; i++) {
		memset(&it, 0, sizeof it);
		memset(&ex, 0, sizeof ex);
		snprintf(it.code, sizeof it.code, "%s", code);
		it.found = 1;
		it.rate_text = (char *)(uintptr_t)rows[i].text;
		ex.items = &it;
		ex.nitems = 1;
		observed = time_from_civil(rows[i].y, rows[i].m, rows[i].d, 0,
		    src->utc_offset);
		snprintf(when, sizeof when, "%04d-%02d-%02d", rows[i].y,
		    rows[i].m, rows[i].d);
		if (observed > ctx->now + 86400) {
			log_error("%s: %s %s: a value date in the future",
			    src->name, code, when);
			t->rows++;
			t->rejected++;
			worse(t, EXIT_NORATES);
			continue;
		}
		if (record_store(ctx->db, src, &ex, observed, ctx->now,
		    RECORD_BACKFILL, &res, &cause) != 0) {
			record_result_release(&res);
			db_rollback(ctx->db);
			goto dberr;
		}
		ri = &res.items[0];
		t->rows++;
		t->added += res.added;
		t->present += res.present;
		t->revised += res.revised;
		if (ri->status == REC_REVISED)
			log_warn("%s: %s %s: revised to %s (was %s)", src->name,
			    code, when, ri->rate_text, ri->was_text);
		else if (ri->reason != NULL) {
			log_error("%s: %s %s: %s", src->name, code, when,
			    ri->reason);
			t->rejected++;
			worse(t, EXIT_NORATES);
		}
		record_result_release(&res);
	}
	if (db_commit(ctx->db, &cause) != 0) {
		db_rollback(ctx->db);
		goto dberr;
	}
	return 0;
dberr:
	log_error("%s", cause);
	free(cause);
	return -1;
}

/* The default start: the day after the newest sample, or 1999-01-01. */
static int
default_since(struct cmd_ctx *ctx, const struct source *src, const char *code,
    struct day *out, struct day *oldest, char **cause)
{
	struct at_row row;
	struct db_scan *sc;
	struct scan_row sr;
	int r;

	*out = (struct day){FIRST_YEAR, 1, 1};
	oldest->y = 0;
	if ((r = db_at(ctx->db, src->name, code, (time_t)INT64_MAX, &row,
	    cause)) < 0)
		return -1;
	if (r == 0)
		return 0;
	*out = day_from_number(day_number(day_of(row.observed_at,
	    src->utc_offset)) + 1);
	free(row.rate_text);
	if ((sc = db_scan_open(ctx->db, src->name, code, 0, (time_t)INT64_MAX,
	    0, cause)) == NULL)
		return -1;
	if ((r = db_scan_next(sc, &sr, cause)) == 1)
		*oldest = day_of(sr.observed_at, src->utc_offset);
	db_scan_close(sc);
	return r < 0 ? -1 : 0;
}

static int
cmd_backfill_exec(struct cmd_ctx *ctx)
{
	struct backfill_state *st = ctx->state;
	const struct source *src = st->src;
	struct range {
		size_t job;
		struct day a, b;
	} *ranges = NULL;
	struct totals t;
	struct progress pg;
	struct archive_row *rows;
	struct http *h;
	struct day today = day_of(ctx->now, src->utc_offset), a, b, oldest;
	size_t i, nranges = 0, nrows;
	long last_end = time_mono_ms() - PAUSE_MS, lo, hi;
	char *cause, *url, first[48];
	int y;

	memset(&t, 0, sizeof t);
	memset(&pg, 0, sizeof pg);
	pg.tty = isatty(STDERR_FILENO) && log_level >= 0;

	/* The ranges to ask for: per currency, calendar years. */
	for (i = 0; i < st->njobs; i++) {
		a = st->since;
		if (!st->has_since) {
			if (default_since(ctx, src, st->jobs[i].id->code, &a,
			    &oldest, &cause) != 0) {
				log_error("%s", cause);
				free(cause);
				free(ranges);
				return EXIT_ERROR;
			}
			if (oldest.y != 0 && day_number(oldest) > day_number(
			    (struct day){FIRST_YEAR, 1, 1}) && log_level >= 0) {
				snprintf(first, sizeof first, "%04d-%02d-%02d",
				    oldest.y, oldest.m, oldest.d);
				log_info("%s: %s is stored from %s on: "
				    "--since %d-01-01 loads the years before",
				    src->name, st->jobs[i].id->code, first,
				    FIRST_YEAR);
			}
		}
		b = st->has_until ? st->until : today;
		lo = day_number(a);
		hi = day_number(b);
		if (lo > hi) {
			if (log_level >= 0)
				printf("%s: up to date (stored through "
				    "%04d-%02d-%02d)\n", st->jobs[i].id->code,
				    day_from_number(lo - 1).y,
				    day_from_number(lo - 1).m,
				    day_from_number(lo - 1).d);
			continue;
		}
		for (y = a.y; y <= b.y; y++) {
			ranges = xreallocarray(ranges, nranges + 1,
			    sizeof *ranges);
			ranges[nranges].job = i;
			ranges[nranges].a = y == a.y ? a : (struct day){y, 1, 1};
			ranges[nranges].b = y == b.y ? b :
			    (struct day){y, 12, 31};
			nranges++;
		}
	}
	if (nranges == 0) {
		free(ranges);
		return EXIT_OK;
	}

	cmd_catch_stop();

	h = http_new();
	pg.total = nranges;
	for (i = 0; i < nranges && !cmd_stopped; i++) {
		const char *code = st->jobs[ranges[i].job].id->code;

		a = ranges[i].a;
		b = ranges[i].b;
		progress_show(&pg, code, a.y, &t);
		url = xasprintf("%s%citem=1562&lang=ENG&valuta_id=%ld&"
		    "beg_day=%02d&beg_month=%02d&beg_year=%04d&end_day=%02d&"
		    "end_month=%02d&end_year=%04d", src->archive_url,
		    strchr(src->archive_url, '?') != NULL ? '&' : '?',
		    st->jobs[ranges[i].job].id->id, a.d, a.m, a.y, b.d, b.m,
		    b.y);
		if (fetch_range(h, src, url, a, b, &last_end, &t, &rows, &nrows,
		    &cause) != 0) {
			free(url);
			if (cmd_stopped) {
				free(cause);
				break;
			}
			progress_clear(&pg);
			t.ranges++;
			log_error("%s: %s %04d-%02d-%02d..%04d-%02d-%02d: %s",
			    src->name, code, a.y, a.m, a.d, b.y, b.m, b.d,
			    cause);
			free(cause);
			t.failed_ranges++;
			worse(&t, EXIT_ERROR);
			pg.done++;
			continue;
		}
		free(url);
		log_debug("%s: %s %04d: %zu rows", src->name, code, a.y, nrows);
		progress_clear(&pg);
		if (store_rows(ctx, src, code, rows, nrows, &t) != 0) {
			free(rows);
			http_free(h);
			free(ranges);
			return EXIT_ERROR;
		}
		free(rows);
		t.ranges++;
		pg.done++;
	}
	http_free(h);
	progress_clear(&pg);
	if (log_level >= 0 || cmd_stopped) {
		printf("%s: %zu request%s for %zu of %zu ranges, %zu rows: %zu "
		    "added, %zu already present", src->name, t.requests,
		    t.requests == 1 ? "" : "s", t.ranges, nranges, t.rows,
		    t.added, t.present);
		if (t.revised != 0)
			printf(", %zu revised", t.revised);
		if (t.rejected != 0)
			printf(", %zu rejected", t.rejected);
		if (t.failed_ranges != 0)
			printf(", %zu range%s failed", t.failed_ranges,
			    t.failed_ranges == 1 ? "" : "s");
		if (cmd_stopped)
			printf(", interrupted");
		printf("\n");
	}
	free(ranges);
	if (cmd_stopped)
		return 128 + cmd_stopped;
	return t.status;
}
