/*
 * cmd_stats.c: per currency over the selection: first, last, minimum and
 * when, maximum and when, mean, change (absolute and %) and the number of
 * samples.  Sums are exact (128-bit integers); the mean is rounded half
 * away from zero to two more places than the rates were published with.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static void cmd_stats_prepare(struct cmd_ctx *);
static int cmd_stats_exec(struct cmd_ctx *);

static const struct cmd_option cmd_stats_options[] = {
	SELECT_OPTIONS,
	{"format", 'f', "FMT", "table, csv or json"},
	{"json", 'j', NULL, "the same as --format json"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_stats_entry = {
	.name = "stats",
	.usage = "[--since WHEN] [--until WHEN] [--currency USD,EUR] "
	    "[--source S] [--format table|csv|json] [--utc]",
	.summary = "first, last, min, max, mean and change of each currency",
	.options = cmd_stats_options,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_DB_READ,
	.prepare = cmd_stats_prepare,
	.exec = cmd_stats_exec,
};

struct point {
	time_t at;
	int64_t v;
	char text[32];
};

struct acc {
	size_t n;
	int frac;
	__int128 sum;
	struct point first, last, min, max;
};

struct stats_state {
	struct selection sel;
	int format;
};

static void
cmd_stats_prepare(struct cmd_ctx *ctx)
{
	struct stats_state *st = xcalloc(1, sizeof *st);
	char *cause;

	ctx->state = st;
	if (selection_parse(ctx->args, ctx->now, &st->sel, &cause) != 0 ||
	    writer_format_arg(ctx->args, FMT_TABLE, &st->format, &cause) != 0)
		cmd_usage_error(&cmd_stats_entry, "%s", cause);
}

static void
point_set(struct point *p, const struct scan_row *row)
{
	p->at = row->observed_at;
	p->v = row->rate_scaled;
	out_rate(p->text, sizeof p->text, row->rate_text, row->rate_scaled);
}

static void
acc_add(struct acc *a, const struct scan_row *row)
{
	int f = dec_frac_digits(row->rate_text);

	if (a->n == 0) {
		point_set(&a->first, row);
		a->min = a->max = a->first;
	}
	point_set(&a->last, row);
	if (row->rate_scaled < a->min.v)
		a->min = a->last;
	if (row->rate_scaled > a->max.v)
		a->max = a->last;
	if (f > a->frac)
		a->frac = f;
	a->sum += row->rate_scaled;
	a->n++;
}

/* The mean, rounded half away from zero to frac + 2 places. */
static void
mean(const struct acc *a, char *out, size_t size)
{
	int frac = a->frac + 2 > DEC_FRAC ? DEC_FRAC : a->frac + 2, i;
	__int128 unit = 1, q, n = (__int128)a->n;

	for (i = frac; i < DEC_FRAC; i++)
		unit *= 10;
	/* sum / n in units of 10^-frac, rounded; sums are positive. */
	q = (a->sum + n * unit / 2) / (n * unit);
	dec_format(out, size, (int64_t)(q * unit), frac, 0);
}

static void
print_table(const struct series *s, const struct acc *a, int utc)
{
	char t[64], m[32], d[32], p[32];
	int f = a->frac;

	printf("%s %s: %zu sample%s\n", s->source, s->currency, a->n,
	    a->n == 1 ? "" : "s");
	time_format(t, sizeof t, a->first.at, utc);
	printf("  first   %12s  %s\n", a->first.text, t);
	time_format(t, sizeof t, a->last.at, utc);
	printf("  last    %12s  %s\n", a->last.text, t);
	time_format(t, sizeof t, a->min.at, utc);
	printf("  min     %12s  %s\n", a->min.text, t);
	time_format(t, sizeof t, a->max.at, utc);
	printf("  max     %12s  %s\n", a->max.text, t);
	mean(a, m, sizeof m);
	printf("  mean    %12s\n", m);
	dec_format(d, sizeof d, a->last.v - a->first.v, f, 1);
	dec_percent(p, sizeof p, a->last.v - a->first.v, a->first.v);
	printf("  change  %12s  (%s%%)\n", d, p);
}

static const char *const columns[] = {"source", "currency", "samples",
    "first", "first_at", "last", "last_at", "min", "min_at", "max", "max_at",
    "mean", "change", "change_pct"};
static const enum col_kind kinds[] = {COL_TEXT, COL_TEXT, COL_COUNT,
    COL_RATE, COL_TIME, COL_RATE, COL_TIME, COL_RATE, COL_TIME, COL_RATE,
    COL_TIME, COL_RATE, COL_RATE, COL_RATE};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

static void
write_row(struct writer *w, const struct series *s, const struct acc *a,
    int utc, int json)
{
	char n[32], t[4][64], m[32], d[32], p[32];
	const char *cells[NCOLUMNS];

	snprintf(n, sizeof n, "%zu", a->n);
	time_format_iso(t[0], sizeof t[0], a->first.at, utc);
	time_format_iso(t[1], sizeof t[1], a->last.at, utc);
	time_format_iso(t[2], sizeof t[2], a->min.at, utc);
	time_format_iso(t[3], sizeof t[3], a->max.at, utc);
	mean(a, m, sizeof m);
	/*
	 * Signed in JSON, as everywhere; no '+' in CSV and tables, where a
	 * spreadsheet cell must not start like a formula.
	 */
	dec_format(d, sizeof d, a->last.v - a->first.v, a->frac, json);
	dec_percent(p, sizeof p, a->last.v - a->first.v, a->first.v);
	cells[0] = s->source;
	cells[1] = s->currency;
	cells[2] = n;
	cells[3] = a->first.text;
	cells[4] = t[0];
	cells[5] = a->last.text;
	cells[6] = t[1];
	cells[7] = a->min.text;
	cells[8] = t[2];
	cells[9] = a->max.text;
	cells[10] = t[3];
	cells[11] = m;
	cells[12] = d;
	cells[13] = p[0] == '+' && !json ? p + 1 : p;
	writer_row(w, cells);
}

static int
cmd_stats_exec(struct cmd_ctx *ctx)
{
	struct stats_state *st = ctx->state;
	struct writer_opts wo = {.format = st->format, .delimiter = ',',
	    .utc = st->sel.utc};
	struct writer *w = NULL;
	struct scan *scan;
	struct scan_row row;
	struct acc *acc;
	size_t n, i, shown = 0;
	char *cause, what[256];
	int rc;

	if ((scan = scan_open(ctx->db, &st->sel, 0, &cause)) == NULL)
		goto fail;
	n = scan_nseries(scan);
	acc = xcalloc(n + 1, sizeof *acc);
	while ((rc = scan_next(scan, &i, &row, &cause)) == 1)
		acc_add(&acc[i], &row);
	if (rc < 0) {
		free(acc);
		scan_close(scan);
		goto fail;
	}
	if (st->format != FMT_TABLE)
		w = writer_new(stdout, &wo, columns, kinds, NCOLUMNS);
	for (i = 0; i < n; i++) {
		if (acc[i].n == 0)
			continue;
		if (w != NULL)
			write_row(w, scan_series(scan, i), &acc[i], wo.utc,
			    wo.format == FMT_JSON);
		else
			print_table(scan_series(scan, i), &acc[i], wo.utc);
		shown++;
	}
	if (w != NULL) {
		writer_finish(w);
		writer_free(w);
	}
	free(acc);
	scan_close(scan);
	if (shown == 0) {
		selection_describe(&st->sel, what, sizeof what);
		log_info("no samples%s", what);
	}
	selection_release(&st->sel);
	return EXIT_OK;
fail:
	log_error("%s", cause);
	free(cause);
	selection_release(&st->sel);
	return EXIT_ERROR;
}
