/*
 * cmd_import.c: backfill from saved pages (HTML or text), given as files or
 * "-".  A file that fails is reported and skipped; the rest go on.  Pages
 * are read and their rates found with no lock held; what they gave is
 * stored in batches (every 500 pages, or 2 seconds), each in one short
 * write transaction, so that a slow file, a pipe or standard input never
 * holds the daemon's writes up.  A terminal is shown progress.  Ctrl-C (or
 * SIGTERM) stops the reading: what was read is stored, the summary says
 * "interrupted", and the exit status is 130 (143).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rates.h"

#define BATCH_FILES 500
#define BATCH_SECONDS 2
#define PROGRESS_AFTER_MS 1000

static void cmd_import_prepare(struct cmd_ctx *);
static int cmd_import_exec(struct cmd_ctx *);

static const struct cmd_option cmd_import_options[] = {
	{"source", 's', "S", "the source whose patterns to use (default 24kg)"},
	{"at", OPT_AT, "WHEN", "the time (or day) of pages that show none"},
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

/* A page read, waiting to be stored. */
struct pending {
	const char *file;
	struct extraction ex;
	time_t observed;
};

struct import_totals {
	size_t files, added, present, revised, failed;
	int status;
	struct pending *batch;
	size_t nbatch;
	long batch_at; /* when its first page was read */
};

static void
worse(struct import_totals *t, int status)
{
	if (status == EXIT_ERROR ||
	    (status == EXIT_NORATES && t->status == EXIT_OK))
		t->status = status;
}

/*
 * Read one page and find its rates and time, with no lock held; what is to
 * be stored joins the batch.  0, or 1 when the read was interrupted.
 */
static int
read_one(struct cmd_ctx *ctx, const struct source *src, const char *file,
    const struct when *at, struct buf *page, struct import_totals *t)
{
	struct pending *p;
	struct extraction ex;
	size_t i, found = 0;
	time_t observed;
	char *cause = NULL;
	int ignored;

	buf_reset(page);
	if (buf_read_file(page, file, HTTP_MAX_BODY, &cause) != 0) {
		if (cmd_stopped) {
			free(cause);
			return 1;
		}
		log_error("%s: %s", file, cause);
		free(cause);
		t->failed++;
		worse(t, EXIT_ERROR);
		return 0;
	}
	extract_run(src, page->data, page->len, &ex);
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
		if (ex.doc_error != NULL) {
			/* Not the feed at all: nothing could be read. */
			free(cause);
			extraction_release(&ex);
			t->failed++;
			worse(t, EXIT_ERROR);
			return 0;
		}
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
	if (t->nbatch == 0)
		t->batch_at = time_mono_ms();
	t->batch = xreallocarray(t->batch, t->nbatch + 1, sizeof *t->batch);
	p = &t->batch[t->nbatch++];
	p->file = file;
	p->ex = ex;
	p->observed = observed;
	return 0;
rejected:
	free(cause);
	extraction_release(&ex);
	t->failed++;
	worse(t, EXIT_NORATES);
	return 0;
}

/*
 * Store the batch in one write transaction: the only time the lock is
 * held.  -1 on a database error (which ends the import).
 */
static int
store_batch(struct cmd_ctx *ctx, const struct source *src,
    struct import_totals *t)
{
	struct record_result res;
	struct pending *p;
	size_t i, j;
	char *cause = NULL;
	int r = 0;

	if (t->nbatch == 0)
		return 0;
	if (db_begin(ctx->db, &cause) != 0)
		goto dberr;
	for (i = 0; i < t->nbatch; i++) {
		p = &t->batch[i];
		if (record_store(ctx->db, src, &p->ex, p->observed, ctx->now, 0,
		    &res, &cause) != 0) {
			record_result_release(&res);
			db_rollback(ctx->db);
			goto dberr;
		}
		t->added += res.added;
		t->present += res.present;
		t->revised += res.revised;
		/* A value that replaced another is never replaced in silence. */
		out_record(src, &res, 0, OUT_REVISED);
		for (j = 0; j < p->ex.nnotes; j++)
			log_error("%s: %s", p->file, p->ex.notes[j]);
		for (j = 0; j < res.nitems; j++) {
			if (res.items[j].reason != NULL)
				log_error("%s: %s: %s", p->file,
				    res.items[j].code, res.items[j].reason);
		}
		if (res.failed != 0) {
			t->failed++;
			worse(t, EXIT_NORATES);
		}
		record_result_release(&res);
	}
	if (db_commit(ctx->db, &cause) != 0) {
		db_rollback(ctx->db);
		goto dberr;
	}
	goto out;
dberr:
	log_error("%s", cause);
	free(cause);
	r = -1;
out:
	for (i = 0; i < t->nbatch; i++)
		extraction_release(&t->batch[i].ex);
	t->nbatch = 0;
	return r;
}

/* Is the file one whose reading may wait (not a regular file)? */
static int
may_wait(const char *file)
{
	struct stat sb;

	return strcmp(file, "-") == 0 || stat(file, &sb) != 0 ||
	    !S_ISREG(sb.st_mode);
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
	st->has_at = args_has(a, OPT_AT);
	if (st->has_at &&
	    time_parse_when2(args_get(a, OPT_AT), ctx->now, &st->at, &cause) != 0)
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
	long started = time_mono_ms(), shown = 0;
	size_t i;
	int tty = isatty(STDERR_FILENO) && log_level >= 0, r = 0;

	/* A read of a pipe or a FIFO ends at the signal. */
	cmd_catch_stop();
	buf_set_read_stop(&cmd_stopped);

	memset(&t, 0, sizeof t);
	for (i = 0; i < (size_t)a->argc && !cmd_stopped; i++) {
		/*
		 * Standard input, a pipe or a FIFO may keep us waiting:
		 * store what we have first.
		 */
		if (may_wait(a->argv[i]) &&
		    (r = store_batch(ctx, st->src, &t)) != 0)
			break;
		if (read_one(ctx, st->src, a->argv[i], st->has_at ? &st->at :
		    NULL, &page, &t) != 0)
			break;
		t.files++;
		if (t.nbatch >= BATCH_FILES || (t.nbatch != 0 &&
		    time_mono_ms() - t.batch_at >= BATCH_SECONDS * 1000)) {
			if ((r = store_batch(ctx, st->src, &t)) != 0)
				break;
		}
		if (tty && time_mono_ms() - started >= PROGRESS_AFTER_MS &&
		    time_mono_ms() - shown >= 200) {
			progress(i + 1, (size_t)a->argc, 0);
			shown = time_mono_ms();
		}
	}
	if (r == 0)
		r = store_batch(ctx, st->src, &t);
	buf_set_read_stop(NULL);
	buf_release(&page);
	free(t.batch);
	if (shown != 0)
		progress(0, 0, 1);
	if (r != 0)
		return EXIT_ERROR;
	if (log_level >= 0 || cmd_stopped) {
		printf("%zu file%s: %zu sample%s added, %zu already present, ",
		    t.files, t.files == 1 ? "" : "s", t.added, t.added == 1 ?
		    "" : "s", t.present);
		if (t.revised != 0)
			printf("%zu revised, ", t.revised);
		printf("%zu file%s failed", t.failed, t.failed == 1 ? "" : "s");
		if (cmd_stopped)
			printf(", interrupted after %zu of %d files", t.files,
			    a->argc);
		printf("\n");
	}
	if (cmd_stopped)
		return 128 + cmd_stopped;
	return t.status;
}
