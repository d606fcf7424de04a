/*
 * cmd_export.c: the selection of history as CSV for spreadsheets (or
 * JSON), to standard output or to a file that is written beside its place
 * and renamed into it, so that a reader never sees half a file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rates.h"

static void cmd_export_prepare(struct cmd_ctx *);
static int cmd_export_exec(struct cmd_ctx *);

static const struct cmd_option cmd_export_options[] = {
	SELECT_OPTIONS,
	REPORT_OPTIONS,
	{"output", 'o', "FILE", "write FILE (atomically) instead of stdout"},
	{"delimiter", OPT_DELIMITER, "C", "the CSV delimiter (default ',')"},
	{"decimal-comma", OPT_DECIMAL_COMMA, NULL, "write 87,45 for 87.45 (and "
	    "times as --spreadsheet)"},
	{"spreadsheet", OPT_SPREADSHEET, NULL, "times a spreadsheet reads: "
	    "wall clock, then utc_offset"},
	{"bom", OPT_BOM, NULL, "begin with a UTF-8 byte order mark"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "[selection and rows as history] [-o FILE] "
	    "[--format csv|json|ledger|hledger|beancount] [--delimiter C] "
	    "[--decimal-comma] [--spreadsheet] [--bom]",
	.summary = "the rows of history as CSV for spreadsheets (or JSON)",
	.options = cmd_export_options,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_DB_READ,
	.prepare = cmd_export_prepare,
	.exec = cmd_export_exec,
};

struct export_state {
	struct selection sel;
	struct report_opts ro;
};

static void
cmd_export_prepare(struct cmd_ctx *ctx)
{
	struct export_state *st = xcalloc(1, sizeof *st);
	char *cause;

	ctx->state = st;
	if (selection_parse(ctx->args, ctx->now, &st->sel, &cause) != 0 ||
	    report_opts_parse(ctx->args, FMT_CSV, &st->ro, &cause) != 0)
		cmd_usage_error(&cmd_export_entry, "%s", cause);
	/* A file is data for a program: an aligned table is for history. */
	if (st->ro.w.format == FMT_TABLE)
		cmd_usage_error(&cmd_export_entry, "--format table is for "
		    "'rates history'; export writes csv or json");
}

/* Write to path, replaced whole (afile.c). */
static int
export_file(struct cmd_ctx *ctx, struct export_state *st, const char *path,
    size_t *rows)
{
	struct afile *a;
	char *cause;

	if ((a = afile_open(path, &cause)) == NULL)
		goto fail;
	if (report_run(ctx->db, &st->sel, &st->ro, a->f, rows, &cause) != 0) {
		afile_abort(a);
		log_error("%s: %s", path, cause);
		free(cause);
		return -1;
	}
	if (afile_commit(a, &cause) == 0)
		return 0;
fail:
	log_error("%s", cause);
	free(cause);
	return -1;
}

static int
cmd_export_exec(struct cmd_ctx *ctx)
{
	struct export_state *st = ctx->state;
	const char *path = args_get(ctx->args, 'o');
	char *cause, what[256];
	size_t rows = 0;
	int r;

	if (path != NULL)
		r = export_file(ctx, st, path, &rows);
	else if ((r = report_run(ctx->db, &st->sel, &st->ro, stdout, &rows,
	    &cause)) != 0) {
		log_error("%s", cause);
		free(cause);
	}
	if (r == 0 && rows == 0) {
		selection_describe(&st->sel, what, sizeof what);
		log_info("no samples%s", what);
	}
	selection_release(&st->sel);
	return r == 0 ? EXIT_OK : EXIT_ERROR;
}
