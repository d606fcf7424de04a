/*
 * cmd_at.c: each currency's rate in effect at a moment, the newest sample
 * observed at or before it: the rate on an invoice date.  WHEN names a
 * moment, or a day (or a minute), which means its end, as --until does:
 * "at 2025-12-18" is the last rate of that day.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static void cmd_at_prepare(struct cmd_ctx *);
static int cmd_at_exec(struct cmd_ctx *);

static const struct cmd_option cmd_at_options[] = {
	{"source", 's', "S", "only this source"},
	{"currency", OPT_CURRENCY, "USD,EUR", "only these currencies, in order"},
	{"format", 'f', "FMT", "table, csv or json"},
	{"json", 'j', NULL, "the same as --format json"},
	{"utc", OPT_UTC, NULL, "show times in UTC"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_at_entry = {
	.name = "at",
	.usage = "WHEN [--source S] [--currency USD,EUR] "
	    "[--format table|csv|json] [--utc]",
	.summary = "each currency's rate in effect at a moment (or a day's end)",
	.options = cmd_at_options,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_DB_READ,
	.prepare = cmd_at_prepare,
	.exec = cmd_at_exec,
};

struct at_state {
	struct selection sel; /* the source and currencies */
	time_t at;            /* the last second of what WHEN names */
	struct writer_opts w;
};

static void
cmd_at_prepare(struct cmd_ctx *ctx)
{
	struct at_state *st = xcalloc(1, sizeof *st);
	struct when w;
	char *cause;

	ctx->state = st;
	if (time_parse_when2(ctx->args->argv[0], ctx->now, &w, &cause) != 0)
		cmd_usage_error(&cmd_at_entry, "%s", cause);
	st->at = w.t + w.span - 1;
	if (selection_parse(ctx->args, ctx->now, &st->sel, &cause) != 0)
		cmd_usage_error(&cmd_at_entry, "%s", cause);
	st->w.delimiter = ',';
	st->w.utc = st->sel.utc;
	if (writer_format_arg(ctx->args, FMT_TABLE, &st->w.format, &cause) != 0)
		cmd_usage_error(&cmd_at_entry, "%s", cause);
}

/*
 * Write each selected currency's rate at the moment at to f.  -1 on an
 * error; else 0, with *missing set (to free) when a currency asked for, or
 * every currency, has no rate then; what was found is written all the same.
 */
int
at_write(struct db *db, const struct selection *sel, time_t at,
    const char *what, const struct writer_opts *wo, FILE *f, char **missing,
    char **cause)
{
	static const char *const names[] = {"source", "currency", "rate",
	    "observed_at"};
	static const enum col_kind kinds[] = {COL_TEXT, COL_TEXT, COL_RATE,
	    COL_TIME};
	struct series *series = NULL;
	struct writer *w;
	struct at_row row;
	char rate[32], when[64], *found;
	struct buf lost = BUF_INIT;
	const char *cells[4];
	size_t n = 0, i, j, nj, rows = 0;
	int r, status = 0;

	*missing = NULL;
	if (db_read_begin(db, cause) != 0)
		return -1;
	if (db_series(db, sel->source, &series, &n, cause) != 0) {
		db_read_end(db);
		return -1;
	}
	found = xcalloc(sel->ncurrencies + 1, 1);
	w = writer_new(f, wo, names, kinds, 4);
	/* In the order of --currency, else of the series. */
	nj = sel->currencies != NULL ? sel->ncurrencies : 1;
	for (j = 0; j < nj && status == 0; j++) {
		for (i = 0; i < n; i++) {
			if (sel->currencies != NULL && strcmp(
			    series[i].currency, sel->currencies[j]) != 0)
				continue;
			if ((r = db_at(db, series[i].source, series[i].currency,
			    at, &row, cause)) < 0) {
				status = -1;
				break;
			}
			if (r == 0)
				continue;
			found[j] = 1;
			out_rate(rate, sizeof rate, row.rate_text,
			    row.rate_scaled);
			writer_time(when, sizeof when, row.observed_at, wo);
			free(row.rate_text);
			cells[0] = series[i].source;
			cells[1] = series[i].currency;
			cells[2] = rate;
			cells[3] = when;
			writer_row(w, cells);
			rows++;
		}
	}
	for (j = 0; j < sel->ncurrencies && status == 0; j++) {
		if (!found[j])
			buf_addf(&lost, "%sno rate of %s at or before %s",
			    lost.len ? "\n" : "", sel->currencies[j], what);
	}
	if (rows == 0 && status == 0 && lost.len == 0)
		buf_addf(&lost, "no rate at or before %s", what);
	if (lost.len != 0)
		*missing = buf_detach(&lost);
	if (writer_finish(w) != 0 && status == 0) {
		*cause = xstrdup("write error");
		status = -1;
	}
	if (status != 0) {
		free(*missing);
		*missing = NULL;
	}
	buf_release(&lost);
	writer_free(w);
	free(found);
	db_series_free(series, n);
	db_read_end(db);
	return status;
}

static int
cmd_at_exec(struct cmd_ctx *ctx)
{
	struct at_state *st = ctx->state;
	char *cause = NULL, *missing, *line, *save = NULL;
	int status = EXIT_OK;

	if (at_write(ctx->db, &st->sel, st->at, ctx->args->argv[0], &st->w,
	    stdout, &missing, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		status = EXIT_ERROR;
	} else if (missing != NULL) {
		/* One line each. */
		for (line = strtok_r(missing, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save))
			log_error("%s", line);
		free(missing);
		status = EXIT_NORATES;
	}
	selection_release(&st->sel);
	return status;
}
