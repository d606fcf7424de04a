/*
 * report.c: the rows of history and export, from one selection.  By
 * default a row per change (a row when any selected currency's value
 * differs from the row before); --all every sample; --daily one row per
 * local day with the day's last value, or with --ohlc its open, high, low,
 * close and count.  --wide puts a column per series, --long a row per
 * sample.  Rows stream to the writer as the scan produces them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define TEXT_MAX 32

struct value {
	int set;
	int frac;
	int64_t v;
	char text[TEXT_MAX]; /* as printed: '.' decimal */
};

struct day {
	size_t n;
	struct value open, high, low, close;
};

struct report {
	const struct report_opts *o;
	struct scan *scan;
	struct writer *w;
	size_t nseries;
	size_t ncols;
	const char **names;
	enum col_kind *kinds;
	char **owned; /* column names made here */
	const char **cells;
	char (*cellbuf)[TEXT_MAX];
	struct value *cur;  /* wide: the value of each series now */
	struct value *shown; /* wide changes: as in the last row */
	int *seen;          /* wide --all: observed at this time */
	struct day *days;
	struct time_cache tc;
	char timebuf[64];
};

/* Keep a sample's value; the text is made again only when it changes. */
static void
set_value(struct value *val, const struct scan_row *row)
{
	int frac = dec_frac_digits(row->rate_text);

	if (val->set && val->v == row->rate_scaled && val->frac == frac)
		return;
	val->set = 1;
	val->v = row->rate_scaled;
	val->frac = frac;
	dec_format(val->text, sizeof val->text, val->v, frac, 0);
}

static const char *
time_cell(struct report *r, time_t t)
{
	struct tm tm;

	if (FMT_PRICES(r->o->w.format)) {
		/* Wall-clock time, as a journal is written: local or UTC. */
		if (r->o->w.utc)
			gmtime_r(&t, &tm);
		else
			localtime_r(&t, &tm);
		strftime(r->timebuf, sizeof r->timebuf, "%Y-%m-%d %H:%M:%S",
		    &tm);
		return r->timebuf;
	}
	if (r->o->w.format == FMT_TABLE)
		time_format(r->timebuf, sizeof r->timebuf, t, r->o->w.utc);
	else
		time_format_iso_fast(r->timebuf, t, r->o->w.utc, &r->tc);
	return r->timebuf;
}

/* Add a column; own is name when the report made it (and frees it). */
static void
add_col(struct report *r, const char *name, enum col_kind kind, char *own)
{
	r->names = xreallocarray(r->names, r->ncols + 1, sizeof *r->names);
	r->kinds = xreallocarray(r->kinds, r->ncols + 1, sizeof *r->kinds);
	r->owned = xreallocarray(r->owned, r->ncols + 1, sizeof *r->owned);
	r->names[r->ncols] = name;
	r->kinds[r->ncols] = kind;
	r->owned[r->ncols] = own;
	r->ncols++;
}

/* A wide column's name: the currency, or SOURCE/CUR when sources mix. */
static char *
series_name(struct report *r, size_t i, const char *suffix)
{
	const struct series *s = scan_series(r->scan, i);
	size_t j;
	int mixed = 0;

	for (j = 0; j < r->nseries; j++) {
		if (strcmp(scan_series(r->scan, j)->source, s->source) != 0)
			mixed = 1;
	}
	if (mixed)
		return xasprintf("%s/%s%s", s->source, s->currency, suffix);
	return xasprintf("%s%s", s->currency, suffix);
}

static void
columns(struct report *r)
{
	static const char *const ohlc[] = {" open", " high", " low", " close",
	    " samples"};
	int daily = r->o->mode == REP_DAILY;
	size_t i, k;
	char *name;

	add_col(r, daily ? "date" : "time", daily ? COL_DATE : COL_TIME, NULL);
	if (!r->o->wide) {
		add_col(r, "source", COL_TEXT, NULL);
		add_col(r, "currency", COL_TEXT, NULL);
		if (r->o->ohlc) {
			add_col(r, "open", COL_RATE, NULL);
			add_col(r, "high", COL_RATE, NULL);
			add_col(r, "low", COL_RATE, NULL);
			add_col(r, "close", COL_RATE, NULL);
			add_col(r, "samples", COL_COUNT, NULL);
		} else
			add_col(r, "rate", COL_RATE, NULL);
		return;
	}
	for (i = 0; i < r->nseries; i++) {
		if (!r->o->ohlc) {
			name = series_name(r, i, "");
			add_col(r, name, COL_RATE, name);
			continue;
		}
		for (k = 0; k < 5; k++) {
			name = series_name(r, i, ohlc[k]);
			add_col(r, name, k == 4 ? COL_COUNT : COL_RATE, name);
		}
	}
}

static void
long_row(struct report *r, const char *when, size_t i, const char *rate)
{
	const struct series *s = scan_series(r->scan, i);

	r->cells[0] = when;
	r->cells[1] = s->source;
	r->cells[2] = s->currency;
	r->cells[3] = rate;
	writer_row(r->w, r->cells);
}

/* Wide rows for one time: --all shows what was seen, changes everything. */
static void
wide_flush(struct report *r, time_t t)
{
	size_t i;
	int changed = 0;

	if (r->o->mode == REP_ALL) {
		for (i = 0; i < r->nseries; i++) {
			r->cells[1 + i] = r->seen[i] ? r->cur[i].text : NULL;
			r->seen[i] = 0;
		}
		r->cells[0] = time_cell(r, t);
		writer_row(r->w, r->cells);
		return;
	}
	for (i = 0; i < r->nseries; i++) {
		if (r->cur[i].set && (!r->shown[i].set ||
		    r->shown[i].v != r->cur[i].v))
			changed = 1;
	}
	if (!changed)
		return;
	for (i = 0; i < r->nseries; i++) {
		r->shown[i] = r->cur[i];
		r->cells[1 + i] = r->cur[i].set ? r->cur[i].text : NULL;
	}
	r->cells[0] = time_cell(r, t);
	writer_row(r->w, r->cells);
}

static void
day_add(struct day *d, const struct scan_row *row)
{
	set_value(&d->close, row);
	if (d->n == 0)
		d->open = d->high = d->low = d->close;
	else if (d->close.v > d->high.v)
		d->high = d->close;
	else if (d->close.v < d->low.v)
		d->low = d->close;
	d->n++;
}

/* The rows of one local day. */
static void
day_flush(struct report *r, long day)
{
	char date[16];
	size_t i, c;
	struct day *d;

	time_format_day(date, sizeof date, day);
	r->cells[0] = date;
	if (!r->o->wide) {
		for (i = 0; i < r->nseries; i++) {
			d = &r->days[i];
			if (d->n == 0)
				continue;
			if (r->o->ohlc) {
				r->cells[1] = scan_series(r->scan, i)->source;
				r->cells[2] = scan_series(r->scan, i)->currency;
				r->cells[3] = d->open.text;
				r->cells[4] = d->high.text;
				r->cells[5] = d->low.text;
				r->cells[6] = d->close.text;
				snprintf(r->cellbuf[0], TEXT_MAX, "%zu", d->n);
				r->cells[7] = r->cellbuf[0];
				writer_row(r->w, r->cells);
			} else
				long_row(r, date, i, d->close.text);
			d->n = 0;
		}
		return;
	}
	for (i = 0, c = 1; i < r->nseries; i++) {
		d = &r->days[i];
		if (!r->o->ohlc) {
			r->cells[c++] = d->n ? d->close.text : NULL;
		} else {
			r->cells[c++] = d->n ? d->open.text : NULL;
			r->cells[c++] = d->n ? d->high.text : NULL;
			r->cells[c++] = d->n ? d->low.text : NULL;
			r->cells[c++] = d->n ? d->close.text : NULL;
			snprintf(r->cellbuf[i], TEXT_MAX, "%zu", d->n);
			r->cells[c++] = d->n ? r->cellbuf[i] : NULL;
		}
		d->n = 0;
	}
	writer_row(r->w, r->cells);
}

static int
run(struct report *r, char **cause)
{
	struct scan_row row;
	size_t i;
	time_t group = 0;
	long day = 0;
	int have = 0, rc;

	while ((rc = scan_next(r->scan, &i, &row, cause)) == 1) {
		if (r->o->mode == REP_DAILY) {
			long d = time_local_day(row.observed_at, r->o->w.utc,
			    &r->tc);

			if (have && d != day)
				day_flush(r, day);
			day = d;
			have = 1;
			day_add(&r->days[i], &row);
			continue;
		}
		if (!r->o->wide) {
			if (r->o->mode == REP_CHANGES && r->cur[i].set &&
			    r->cur[i].v == row.rate_scaled)
				continue;
			set_value(&r->cur[i], &row);
			long_row(r, time_cell(r, row.observed_at), i,
			    r->cur[i].text);
			continue;
		}
		if (have && row.observed_at != group)
			wide_flush(r, group);
		group = row.observed_at;
		have = 1;
		set_value(&r->cur[i], &row);
		r->seen[i] = 1;
	}
	if (rc < 0)
		return -1;
	if (have && r->o->mode == REP_DAILY)
		day_flush(r, day);
	else if (have && r->o->wide)
		wide_flush(r, group);
	return 0;
}

/*
 * Write the rows of a selection to f.  *rows is how many were written;
 * -1 on a database error or when f could not be written.
 */
int
report_run(struct db *db, const struct selection *sel,
    const struct report_opts *o, FILE *f, size_t *rows, char **cause)
{
	struct report r;
	size_t i;
	int ret;

	memset(&r, 0, sizeof r);
	r.o = o;
	if ((r.scan = scan_open(db, sel, o->mode == REP_CHANGES, cause)) == NULL)
		return -1;
	r.nseries = scan_nseries(r.scan);
	/* A journal's price lines name no source: one source a time. */
	for (i = 1; FMT_PRICES(o->w.format) && i < r.nseries; i++) {
		if (strcmp(scan_series(r.scan, i)->source,
		    scan_series(r.scan, 0)->source) != 0) {
			*cause = xasprintf("price lines are of one source: "
			    "give --source (%s, %s, ...)",
			    scan_series(r.scan, 0)->source,
			    scan_series(r.scan, i)->source);
			scan_close(r.scan);
			return -1;
		}
	}
	columns(&r);
	r.cells = xcalloc(r.ncols, sizeof *r.cells);
	r.cellbuf = xcalloc(r.nseries + 1, sizeof *r.cellbuf);
	r.cur = xcalloc(r.nseries + 1, sizeof *r.cur);
	r.shown = xcalloc(r.nseries + 1, sizeof *r.shown);
	r.seen = xcalloc(r.nseries + 1, sizeof *r.seen);
	r.days = xcalloc(r.nseries + 1, sizeof *r.days);
	r.w = writer_new(f, &o->w, r.names, r.kinds, r.ncols);

	ret = run(&r, cause);
	*rows = writer_rows(r.w);
	if (writer_finish(r.w) != 0 && ret == 0) {
		*cause = xasprintf("cannot write: %s", strerror(errno));
		ret = -1;
	}
	writer_free(r.w);
	scan_close(r.scan);
	for (i = 0; i < r.ncols; i++)
		free(r.owned[i]);
	free(r.owned);
	free(r.names);
	free(r.kinds);
	free(r.cells);
	free(r.cellbuf);
	free(r.cur);
	free(r.shown);
	free(r.seen);
	free(r.days);
	return ret;
}

/* Read the row and format options of history and export. */
int
report_opts_parse(const struct args *a, int format, struct report_opts *o,
    char **cause)
{
	const char *v;

	memset(o, 0, sizeof *o);
	o->w.format = format;
	o->w.delimiter = ',';
	o->w.utc = args_has(a, OPT_UTC);
	o->wide = 1;
	if (args_has(a, 'a') && args_has(a, OPT_DAILY)) {
		*cause = xstrdup("--all and --daily do not go together");
		return -1;
	}
	o->mode = args_has(a, 'a') ? REP_ALL : args_has(a, OPT_DAILY) ?
	    REP_DAILY : REP_CHANGES;
	if ((o->ohlc = args_has(a, OPT_OHLC)) && o->mode != REP_DAILY) {
		*cause = xstrdup("--ohlc goes with --daily");
		return -1;
	}
	if (args_has(a, OPT_WIDE) && args_has(a, OPT_LONG)) {
		*cause = xstrdup("--wide and --long do not go together");
		return -1;
	}
	o->wide = !args_has(a, OPT_LONG);
	v = args_get(a, 'f');
	if (v != NULL && (strcmp(v, "ledger") == 0 || strcmp(v, "hledger") ==
	    0 || strcmp(v, "beancount") == 0)) {
		/* Price lines for plain-text accounting: a line per value. */
		o->w.format = v[0] == 'l' ? FMT_LEDGER : v[0] == 'h' ?
		    FMT_HLEDGER : FMT_BEANCOUNT;
		if (args_has(a, 'j') || o->ohlc || args_has(a, OPT_WIDE)) {
			*cause = xasprintf("--format %s: a price line per value "
			    "(not with --json, --ohlc or --wide)", v);
			return -1;
		}
		o->wide = 0;
	} else if (writer_format_arg(a, format, &o->w.format, cause) != 0) {
		if (v != NULL && strstr(*cause, "expected table, csv or json")) {
			free(*cause);
			*cause = xasprintf("--format '%s': expected table, csv, "
			    "json, ledger, hledger or beancount", v);
		}
		return -1;
	}
	if ((v = args_get(a, OPT_DELIMITER)) != NULL) {
		if (strcmp(v, "tab") == 0 || strcmp(v, "\\t") == 0)
			v = "\t";
		if (strlen(v) != 1 || strchr("\"\r\n.0123456789", *v) != NULL) {
			*cause = xasprintf("--delimiter '%s': expected one "
			    "character, like ';' or tab", v);
			return -1;
		}
		o->w.delimiter = *v;
	}
	o->w.decimal_comma = args_has(a, OPT_DECIMAL_COMMA);
	/* A decimal comma is for a spreadsheet: its times are, too. */
	o->w.sheet_times = o->w.decimal_comma || args_has(a, OPT_SPREADSHEET);
	o->w.bom = args_has(a, OPT_BOM);
	if (o->w.format != FMT_CSV && (o->w.sheet_times || o->w.bom ||
	    args_has(a, OPT_DELIMITER))) {
		*cause = xstrdup("--delimiter, --decimal-comma, --spreadsheet "
		    "and --bom are for CSV");
		return -1;
	}
	return 0;
}
