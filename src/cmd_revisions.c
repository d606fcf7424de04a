/*
 * cmd_revisions.c: the values that a later read of the same page time
 * superseded (SPEC section 4): for each, the sample's time, source and
 * currency, the old value and when it was read, the new value and when it
 * replaced the old one.  The selection is that of history (by the time
 * observed); a table on a terminal, or CSV or JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static void cmd_revisions_prepare(struct cmd_ctx *);
static int cmd_revisions_exec(struct cmd_ctx *);

static const struct cmd_option cmd_revisions_options[] = {
	SELECT_OPTIONS,
	{"format", 'f', "FMT", "table, csv or json"},
	{"json", 'j', NULL, "the same as --format json"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_revisions_entry = {
	.name = "revisions",
	.usage = "[--since WHEN] [--until WHEN] [--currency USD,EUR] "
	    "[--source S] [--format table|csv|json] [--utc]",
	.summary = "values that a later read of the same page time replaced",
	.options = cmd_revisions_options,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_DB_READ,
	.prepare = cmd_revisions_prepare,
	.exec = cmd_revisions_exec,
};

struct revisions_state {
	struct selection sel;
	struct writer_opts w;
};

static void
cmd_revisions_prepare(struct cmd_ctx *ctx)
{
	struct revisions_state *st = xcalloc(1, sizeof *st);
	char *cause;

	ctx->state = st;
	if (selection_parse(ctx->args, ctx->now, &st->sel, &cause) != 0)
		cmd_usage_error(&cmd_revisions_entry, "%s", cause);
	st->w.delimiter = ',';
	st->w.utc = st->sel.utc;
	if (writer_format_arg(ctx->args, FMT_TABLE, &st->w.format, &cause) != 0)
		cmd_usage_error(&cmd_revisions_entry, "%s", cause);
}

static int
cmd_revisions_exec(struct cmd_ctx *ctx)
{
	static const char *const names[] = {"time", "source", "currency",
	    "old", "old_fetched_at", "new", "revised_at"};
	static const enum col_kind kinds[] = {COL_TIME, COL_TEXT, COL_TEXT,
	    COL_RATE, COL_TIME, COL_RATE, COL_TIME};
	struct revisions_state *st = ctx->state;
	struct db_revisions *rv;
	struct revision_row row;
	struct writer *w;
	char t0[64], t1[64], t2[64], old[32], new[32], *cause = NULL;
	char what[256];
	const char *cells[7];
	int r, status = EXIT_OK;

	if (db_read_begin(ctx->db, &cause) != 0 || (rv = db_revisions_open(
	    ctx->db, st->sel.source, st->sel.since, st->sel.until,
	    &cause)) == NULL) {
		log_error("%s", cause);
		free(cause);
		selection_release(&st->sel);
		return EXIT_ERROR;
	}
	w = writer_new(stdout, &st->w, names, kinds, 7);
	while ((r = db_revisions_next(rv, &row, &cause)) == 1) {
		if (!selection_wants(&st->sel, row.currency))
			continue;
		writer_time(t0, sizeof t0, row.observed_at, &st->w);
		writer_time(t1, sizeof t1, row.old_fetched_at, &st->w);
		writer_time(t2, sizeof t2, row.revised_at, &st->w);
		out_rate(old, sizeof old, row.old_text, row.old_scaled);
		out_rate(new, sizeof new, row.new_text, row.new_scaled);
		cells[0] = t0;
		cells[1] = row.source;
		cells[2] = row.currency;
		cells[3] = old;
		cells[4] = t1;
		cells[5] = new;
		cells[6] = t2;
		writer_row(w, cells);
	}
	if (r < 0) {
		log_error("%s", cause);
		free(cause);
		status = EXIT_ERROR;
	}
	if (writer_finish(w) != 0 && status == EXIT_OK) {
		log_error("standard output: %s", strerror(errno));
		status = EXIT_ERROR;
	}
	if (status == EXIT_OK && writer_rows(w) == 0) {
		selection_describe(&st->sel, what, sizeof what);
		log_info("no revisions%s", what);
	}
	writer_free(w);
	db_revisions_close(rv);
	db_read_end(ctx->db);
	selection_release(&st->sel);
	return status;
}
