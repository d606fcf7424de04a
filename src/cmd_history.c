/*
 * cmd_history.c: rates over a period, as a table on a terminal (or CSV or
 * JSON): the selection and rows that export writes to a file.
 */
#include <stdlib.h>

#include "rates.h"

static void cmd_history_prepare(struct cmd_ctx *);
static int cmd_history_exec(struct cmd_ctx *);

static const struct cmd_option cmd_history_options[] = {
	SELECT_OPTIONS,
	REPORT_OPTIONS,
	COLOR_OPTION,
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_history_entry = {
	.name = "history",
	.usage = "[--since WHEN] [--until WHEN] [--currency USD,EUR] "
	    "[--source S] [--all|--daily [--ohlc]] [--wide|--long] "
	    "[--format table|csv|json|ledger|hledger|beancount] [--utc]",
	.summary = "rates over a period, a row per change, as a table",
	.options = cmd_history_options,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_DB_READ,
	.prepare = cmd_history_prepare,
	.exec = cmd_history_exec,
};

struct history_state {
	struct selection sel;
	struct report_opts ro;
};

static void
cmd_history_prepare(struct cmd_ctx *ctx)
{
	struct history_state *st = xcalloc(1, sizeof *st);
	char *cause;

	ctx->state = st;
	if (selection_parse(ctx->args, ctx->now, &st->sel, &cause) != 0 ||
	    report_opts_parse(ctx->args, FMT_TABLE, &st->ro, &cause) != 0)
		cmd_usage_error(&cmd_history_entry, "%s", cause);
}

static int
cmd_history_exec(struct cmd_ctx *ctx)
{
	struct history_state *st = ctx->state;
	char *cause, what[256];
	size_t rows;
	int r = EXIT_OK;

	if (report_run(ctx->db, &st->sel, &st->ro, stdout, &rows,
	    &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		r = EXIT_ERROR;
	} else if (rows == 0) {
		selection_describe(&st->sel, what, sizeof what);
		log_info("no samples%s", what);
	}
	selection_release(&st->sel);
	return r;
}
