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

static int
fetch_one(struct cmd_ctx *ctx, const struct source *src, const char *url)
{
	struct http *h = http_new();
	struct poll_result pr;
	size_t i;
	int status;

	log_debug("%s: GET %s", src->name, url);
	poll_source(ctx->db, src, h, &(struct http_request){.url = url,
	    .user_agent = src->user_agent, .timeout = src->timeout},
	    args_has(ctx->args, 'n') ? POLL_DRY_RUN : 0, &pr);
	http_free(h);
	log_debug("%s: HTTP %ld, %zu bytes in %ld ms", src->name,
	    pr.http_status, pr.bytes, pr.ms);
	for (i = 0; i < pr.nproblems; i++)
		log_error("%s: %s", src->name, pr.problems[i]);
	out_record(src, &pr.rec, args_has(ctx->args, OPT_UTC), 0);
	status = pr.status;
	poll_result_release(&pr);
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
	config_order_by_reference(fs->list, fs->n);
	if (args_has(a, 'u')) {
		u = args_get(a, 'u');
		if (fs->n != 1)
			cmd_usage_error(&cmd_fetch_entry, "--url is for one "
			    "source: name it (rates fetch 24kg --url URL)");
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
