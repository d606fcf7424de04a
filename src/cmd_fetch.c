/*
 * cmd_fetch.c: fetch each source's page once, extract, store and print
 * what was stored.  Every attempt is logged for `rates status`.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static void cmd_fetch_prepare(struct cmd_ctx *);
static int cmd_fetch_exec(struct cmd_ctx *);

static const struct cmd_option cmd_fetch_options[] = {
	{"url", 'u', "URL", "fetch from URL instead of the source's url"},
	{"dry-run", 'n', NULL, "show what would be stored; store nothing"},
	{"utc", OPT_UTC, NULL, "show times in UTC"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_fetch_entry = {
	.name = "fetch",
	.usage = "[SOURCE...] [--url URL] [--dry-run] [--utc]",
	.summary = "fetch once, store, print what was stored",
	.options = cmd_fetch_options,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_CONFIG | CMD_DB_WRITE | CMD_NETWORK | CMD_DRY_RUN,
	.prepare = cmd_fetch_prepare,
	.exec = cmd_fetch_exec,
};

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* Log the attempt; a failure to log is reported but changes nothing. */
static void
log_attempt(struct cmd_ctx *ctx, struct fetch_log *l)
{
	char *cause;

	if (ctx->db == NULL || args_has(ctx->args, 'n'))
		return;
	if (db_log_fetch(ctx->db, l, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
	}
}

/* Report what was rejected; returns the exit status for this page. */
static int
report(const struct source *src, const struct record_result *res,
    const struct extraction *ex, const char *url, struct buf *msg)
{
	const struct record_item *ri;
	size_t i, found = 0;

	for (i = 0; i < ex->nitems; i++)
		found += ex->items[i].found;
	if (found == 0 && ex->nitems != 0) {
		for (i = 0; i < ex->nitems; i++) {
			if (ex->items[i].error != NULL)
				log_error("%s: %s: %s", src->name,
				    ex->items[i].code, ex->items[i].error);
		}
		buf_addf(msg, "no rates on the page from %s", url);
		log_error("%s: %s (no pattern matched)", src->name, msg->data);
		return EXIT_NORATES;
	}
	for (i = 0; i < res->nitems; i++) {
		ri = &res->items[i];
		if (ri->reason == NULL)
			continue;
		log_error("%s: %s: %s", src->name, ri->code, ri->reason);
		buf_addf(msg, "%s%s: %s", msg->len ? "; " : "", ri->code,
		    ri->reason);
	}
	return res->failed != 0 ? EXIT_NORATES : EXIT_OK;
}

static int
fetch_one(struct cmd_ctx *ctx, const struct source *src, const char *url)
{
	struct http *h;
	struct http_response resp;
	struct extraction ex;
	struct record_result res;
	struct fetch_log l;
	struct timespec start;
	struct buf msg = BUF_INIT;
	time_t observed;
	char *cause = NULL;
	int dry = args_has(ctx->args, 'n'), status;

	memset(&l, 0, sizeof l);
	memset(&res, 0, sizeof res);
	l.source = src->name;
	l.started_at = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &start);
	log_debug("%s: GET %s", src->name, url);

	h = http_new();
	if (http_get(h, url, src->user_agent, src->timeout, &resp,
	    &cause) != 0) {
		log_error("%s: %s", src->name, cause);
		l.duration_ms = elapsed_ms(&start);
		l.http_status = resp.status;
		l.bytes = (long)resp.body.len;
		l.outcome = "error";
		l.message = cause;
		log_attempt(ctx, &l);
		free(cause);
		http_response_release(&resp);
		http_free(h);
		return EXIT_ERROR;
	}
	http_free(h);
	l.duration_ms = elapsed_ms(&start);
	l.http_status = resp.status;
	l.bytes = (long)resp.body.len;
	log_debug("%s: HTTP %ld, %zu bytes in %ld ms", src->name, resp.status,
	    resp.body.len, l.duration_ms);

	extract_run(src, resp.body.data, resp.body.len, &ex);
	if (record_observed_at(src, &ex, l.started_at, NULL, 0, &observed,
	    &cause) != 0) {
		log_error("%s: %s", src->name, cause);
		l.outcome = "norates";
		l.message = cause;
		log_attempt(ctx, &l);
		status = EXIT_NORATES;
		goto out;
	}

	if (ctx->db != NULL && !dry && db_begin(ctx->db, &cause) != 0)
		goto dberr;
	if (record_store(ctx->db, src, &ex, observed, l.started_at,
	    dry ? RECORD_DRY_RUN : 0, &res, &cause) != 0)
		goto dberr;
	status = report(src, &res, &ex, url, &msg);
	l.outcome = status == EXIT_OK ? "ok" :
	    (res.added + res.present != 0 ? "partial" : "norates");
	l.message = msg.len != 0 ? msg.data : NULL;
	log_attempt(ctx, &l);
	if (ctx->db != NULL && !dry && db_commit(ctx->db, &cause) != 0)
		goto dberr;
	out_record(src, &res, args_has(ctx->args, OPT_UTC));
	goto out;

dberr:
	log_error("%s", cause);
	if (ctx->db != NULL)
		db_rollback(ctx->db);
	status = EXIT_ERROR;
out:
	free(cause);
	buf_release(&msg);
	record_result_release(&res);
	extraction_release(&ex);
	http_response_release(&resp);
	return status;
}

struct fetch_state {
	size_t n;
	struct source *list[];
};

/* Resolve the sources named (all enabled ones by default). */
static void
cmd_fetch_prepare(struct cmd_ctx *ctx)
{
	struct config *cfg = ctx->config;
	struct args *a = ctx->args;
	struct fetch_state *fs;
	struct source *src;
	const char *u;
	char *cause;
	size_t i;

	ctx->state = fs = xcalloc(1, sizeof *fs + (cfg->nsources +
	    (size_t)a->argc) * sizeof *fs->list);
	for (i = 0; i < (size_t)a->argc; i++) {
		if ((src = config_find(cfg, a->argv[i])) == NULL)
			cmd_usage_error(&cmd_fetch_entry, "unknown source '%s' "
			    "(see 'rates sources')", a->argv[i]);
		if (config_check_source(src, &cause) != 0)
			cmd_usage_error(&cmd_fetch_entry, "%s", cause);
		fs->list[fs->n++] = src;
	}
	if (a->argc == 0) {
		for (i = 0; i < cfg->nsources; i++) {
			if (cfg->sources[i]->enabled)
				fs->list[fs->n++] = cfg->sources[i];
		}
	}
	if (args_has(a, 'u')) {
		u = args_get(a, 'u');
		if (fs->n != 1)
			cmd_usage_error(&cmd_fetch_entry, "--url needs exactly "
			    "one source");
		if (strncmp(u, "http://", 7) != 0 &&
		    strncmp(u, "https://", 8) != 0)
			cmd_usage_error(&cmd_fetch_entry, "--url '%s': only "
			    "http:// and https:// URLs", u);
	}
}

static int
cmd_fetch_exec(struct cmd_ctx *ctx)
{
	struct fetch_state *fs = ctx->state;
	struct args *a = ctx->args;
	size_t i;
	int worst = EXIT_OK, r;

	if (fs->n == 0)
		log_error("no sources enabled (see 'rates sources')");
	for (i = 0; i < fs->n; i++) {
		r = fetch_one(ctx, fs->list[i], args_has(a, 'u') ?
		    args_get(a, 'u') : fs->list[i]->url);
		if (r == EXIT_ERROR || (r == EXIT_NORATES && worst == EXIT_OK))
			worst = r;
	}
	if (fs->n == 0)
		worst = EXIT_ERROR;
	return worst;
}
