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
	{"decimal-comma", OPT_DECIMAL_COMMA, NULL, "write 87,45 for 87.45"},
	{"bom", OPT_BOM, NULL, "begin with a UTF-8 byte order mark"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "[selection and rows as history] [-o FILE] "
	    "[--delimiter C] [--decimal-comma] [--bom]",
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
}

/* Write to a temporary file beside path, then rename it into place. */
static int
export_file(struct cmd_ctx *ctx, struct export_state *st, const char *path,
    size_t *rows)
{
	char *tmp, *cause = NULL;
	FILE *f;
	int fd, r;
	mode_t mask;

	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		log_error("%s: %s", path, strerror(errno));
		free(tmp);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	if ((f = fdopen(fd, "w")) == NULL)
		fatal("out of memory");
	if ((r = report_run(ctx->db, &st->sel, &st->ro, f, rows,
	    &cause)) != 0) {
		log_error("%s: %s", path, cause);
		free(cause);
	}
	if (r == 0 && (fflush(f) != 0 || fsync(fd) != 0)) {
		log_error("%s: %s", path, strerror(errno));
		r = -1;
	}
	if (fclose(f) != 0 && r == 0) {
		log_error("%s: %s", path, strerror(errno));
		r = -1;
	}
	if (r == 0 && rename(tmp, path) != 0) {
		log_error("%s: %s", path, strerror(errno));
		r = -1;
	}
	if (r != 0)
		unlink(tmp);
	free(tmp);
	return r;
}

static int
cmd_export_exec(struct cmd_ctx *ctx)
{
	struct export_state *st = ctx->state;
	const char *path = args_get(ctx->args, 'o');
	char *cause, what[256];
	size_t rows = 0;
	int r;

	if (path != NULL && strcmp(path, "-") != 0)
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
