/*
 * cmd_import.c: backfill from saved pages (HTML or text), given as files or
 * "-".  A file that fails is reported and skipped; the rest go on.  Work is
 * committed in batches, and a terminal is shown progress.  A page is read
 * before the write lock is taken, so that a slow file or standard input
 * never holds other writers up.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rates.h"

#define BATCH_FILES 500
#define BATCH_SECONDS 2
#define PROGRESS_AFTER_MS 1000

static void cmd_import_prepare(struct cmd_ctx *);
static int cmd_import_exec(struct cmd_ctx *);

static const struct cmd_option cmd_import_options[] = {
	{"source", 's', "S", "the source whose patterns to use (default 24kg)"},
	{"at", 'a', "WHEN", "the time (or day) of pages that show none"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_import_entry = {
	.name = "import",
	.usage = "[--source S] [--at WHEN] FILE...",
	.summary = "extract from saved pages (HTML or text) and store",
	.options = cmd_import_options,
	.min_args = 1,
	.max_args = -1,
	.flags = CMD_CONFIG | CMD_DB_WRITE,
	.prepare = cmd_import_prepare,
	.exec = cmd_import_exec,
};

struct import_totals {
	size_t files, added, present, revised, failed;
	int status;
	int open;       /* a batch transaction is open */
	size_t batched; /* files in it */
	long batch_at;  /* when it began */
};

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
worse(struct import_totals *t, int status)
{
	if (status == EXIT_ERROR ||
	    (status == EXIT_NORATES && t->status == EXIT_OK))
		t->status = status;
}

/* Import one page; -1 only on a database error (which ends the import). */
static int
import_one(struct cmd_ctx *ctx, const struct source *src, const char *file,
    const struct when *at, struct buf *page, struct import_totals *t)
{
	struct extraction ex;
	struct record_result res;
	size_t i, found = 0;
	time_t observed;
	char *cause = NULL;
	int r = 0, ignored;

	buf_reset(page);
	if (strcmp(file, "-") == 0 && t->open) {
		/* Standard input may keep us waiting: not with the lock. */
		if (db_commit(ctx->db, &cause) != 0) {
			log_error("%s", cause);
			free(cause);
			return -1;
		}
		t->open = 0;
	}
	if (buf_read_file(page, file, HTTP_MAX_BODY, &cause) != 0) {
		log_error("%s: %s", file, cause);
		free(cause);
		t->failed++;
		worse(t, EXIT_ERROR);
		return 0;
	}
	extract_run(src, page->data, page->len, &ex);
	memset(&res, 0, sizeof res);
	for (i = 0; i < ex.nitems; i++)
		found += ex.items[i].found;
	if (found == 0) {
		for (i = 0; i < ex.nitems; i++) {
			if (ex.items[i].error != NULL)
				log_error("%s: %s: %s", file, ex.items[i].code,
				    ex.items[i].error);
		}
		cause = extraction_none(&ex);
		log_error("%s: no rates on the page (source '%s': %s)", file,
		    src->name, cause);
		goto rejected;
	}
	if (record_observed_at(src, &ex, ctx->now, at, 1, &observed,
	    &ignored, &cause) != 0) {
		log_error("%s: %s", file, cause);
		goto rejected;
	}
	if (ignored)
		log_debug("%s: --at is not used: the page shows its date (%s)",
		    file, ex.date_text);
	if (!t->open) {
		if (db_begin(ctx->db, &cause) != 0) {
			log_error("%s", cause);
			r = -1;
			goto out;
		}
		t->open = 1;
		t->batched = 0;
		t->batch_at = now_ms();
	}
	t->batched++;
	if (record_store(ctx->db, src, &ex, observed, ctx->now, 0, &res,
	    &cause) != 0) {
		log_error("%s", cause);
		r = -1;
		goto out;
	}
	t->added += res.added;
	t->present += res.present;
	t->revised += res.revised;
	/* A value that replaced another is never replaced in silence. */
	out_record(src, &res, 0, OUT_REVISED);
	for (i = 0; i < res.nitems; i++) {
		if (res.items[i].reason != NULL)
			log_error("%s: %s: %s", file, res.items[i].code,
			    res.items[i].reason);
	}
	if (res.failed == 0)
		goto out;
rejected:
	t->failed++;
	worse(t, EXIT_NORATES);
out:
	free(cause);
	record_result_release(&res);
	extraction_release(&ex);
	return r;
}

static void
progress(size_t done, size_t total, int clear)
{
	if (clear)
		fputs("\r\033[K", stderr);
	else
		fprintf(stderr, "\rrates: import: %zu/%zu files", done, total);
	fflush(stderr);
}

struct import_state {
	struct source *src;
	int has_at;
	struct when at;
};

static void
cmd_import_prepare(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	struct import_state *st;
	const char *name = args_has(a, 's') ? args_get(a, 's') : "24kg";
	char *cause;
	size_t i, stdin_count = 0;

	ctx->state = st = xcalloc(1, sizeof *st);
	if ((st->src = config_find(ctx->config, name)) == NULL)
		cmd_usage_error(&cmd_import_entry, "unknown source '%s' (see "
		    "'rates sources')", name);
	if (config_check_source(st->src, &cause) != 0)
		cmd_usage_error(&cmd_import_entry, "%s", cause);
	st->has_at = args_has(a, 'a');
	if (st->has_at &&
	    time_parse_when2(args_get(a, 'a'), ctx->now, &st->at, &cause) != 0)
		cmd_usage_error(&cmd_import_entry, "--at: %s", cause);
	for (i = 0; i < (size_t)a->argc; i++)
		stdin_count += strcmp(a->argv[i], "-") == 0;
	if (stdin_count > 1)
		cmd_usage_error(&cmd_import_entry, "'-' can be given once");
}

static int
cmd_import_exec(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	struct import_totals t;
	struct import_state *st = ctx->state;
	struct buf page = BUF_INIT;
	long started = now_ms(), shown = 0;
	char *cause;
	size_t i;
	int tty = isatty(STDERR_FILENO) && log_level >= 0;

	memset(&t, 0, sizeof t);
	for (i = 0; i < (size_t)a->argc; i++) {
		t.files++;
		if (import_one(ctx, st->src, a->argv[i], st->has_at ? &st->at :
		    NULL, &page, &t) != 0) {
			db_rollback(ctx->db);
			buf_release(&page);
			return EXIT_ERROR;
		}
		if (t.open && (t.batched >= BATCH_FILES ||
		    now_ms() - t.batch_at >= BATCH_SECONDS * 1000)) {
			if (db_commit(ctx->db, &cause) != 0)
				goto dberr;
			t.open = 0;
		}
		if (tty && now_ms() - started >= PROGRESS_AFTER_MS &&
		    now_ms() - shown >= 200) {
			progress(i + 1, (size_t)a->argc, 0);
			shown = now_ms();
		}
	}
	if (t.open && db_commit(ctx->db, &cause) != 0)
		goto dberr;
	buf_release(&page);
	if (shown != 0)
		progress(0, 0, 1);
	if (log_level >= 0) {
		printf("%zu file%s: %zu sample%s added, %zu already present, ",
		    t.files, t.files == 1 ? "" : "s", t.added, t.added == 1 ?
		    "" : "s", t.present);
		if (t.revised != 0)
			printf("%zu revised, ", t.revised);
		printf("%zu file%s failed\n", t.failed, t.failed == 1 ? "" :
		    "s");
	}
	return t.status;
dberr:
	if (shown != 0)
		progress(0, 0, 1);
	log_error("%s", cause);
	free(cause);
	db_rollback(ctx->db);
	buf_release(&page);
	return EXIT_ERROR;
}
