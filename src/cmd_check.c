/*
 * cmd_check.c: what import (for a file) or fetch (for a URL) would do with
 * a page, and why: the header block found, each currency's match, value
 * and verdict (would add, already present, would revise, or the reason it
 * is rejected, max_jump against the database when there is one), and the
 * time.  The same rules run as in import and fetch, so the exit status is
 * theirs.  Stores nothing: it is the command for the day the site changes.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static void cmd_check_prepare(struct cmd_ctx *);
static int cmd_check_exec(struct cmd_ctx *);

static const struct cmd_option cmd_check_options[] = {
	{"source", 's', "S", "the source that reads the page (default 24kg)"},
	{"at", OPT_AT, "WHEN", "as import --at: the time (or day) of the page"},
	{"utc", OPT_UTC, NULL, "show times in UTC"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "[--source S] [--at WHEN] [--utc] FILE|URL",
	.summary = "show what import or fetch would store from a page, and why",
	.options = cmd_check_options,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_CONFIG | CMD_NETWORK | CMD_DB_READ | CMD_DB_IF_ANY,
	.prepare = cmd_check_prepare,
	.exec = cmd_check_exec,
};

struct check_state {
	struct source *src;
	int has_at;
	struct when at;
};

static void
show_match(const char *what, const char *text)
{
	printf("     %s \"", what);
	out_visible(stdout, text, 100);
	printf("\"\n");
}

/* One currency: its value and verdict, or why it has none. */
static void
check_item(const struct source *src, const struct extract_item *it,
    const struct record_item *ri)
{
	const struct source_pattern *sp = source_pattern_for(src, it->code);
	char rate[32], was[32];

	if (!it->found && src->type == SOURCE_NBKR_XML) {
		printf("%-4s missing: %s\n", it->code, it->error != NULL ?
		    it->error : "not in the feed");
		if (it->match != NULL)
			show_match("read", it->match);
		return;
	}
	if (!it->found) {
		if (sp != NULL || src->pattern == NULL || it->error != NULL)
			printf("%-4s no match: %s%s %s\n", it->code,
			    sp != NULL ? "pattern." : "pattern",
			    sp != NULL ? it->code : "", it->error != NULL ?
			    it->error : "found nothing");
		else
			printf("%-4s missing: not in the header\n", it->code);
		return;
	}
	switch (ri->status) {
	case REC_ADDED:
	case REC_WOULD_ADD:
	case REC_PRESENT:
		out_rate(rate, sizeof rate, ri->rate_text, ri->rate_scaled);
		printf("%-4s %-12s %s\n", it->code, rate,
		    ri->status == REC_PRESENT ? "already present" :
		    "would add");
		break;
	case REC_REVISED:
	case REC_WOULD_REVISE:
		out_rate(rate, sizeof rate, ri->rate_text, ri->rate_scaled);
		out_rate(was, sizeof was, ri->was_text, ri->was_scaled);
		printf("%-4s %-12s would revise (was %s)\n", it->code, rate,
		    was);
		break;
	case REC_JUMP:
	case REC_DEVIATION:
		printf("%-4s rejected: %s\n", it->code, ri->reason);
		break;
	default:
		printf("%-4s %s: %s\n", it->code,
		    record_status_name(ri->status), ri->reason);
		break;
	}
	show_match("matched", it->match);
}

static void
cmd_check_prepare(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	const char *name = args_has(a, 's') ? args_get(a, 's') : "24kg";
	struct check_state *st = xcalloc(1, sizeof *st);
	char *cause;

	ctx->state = st;
	if ((st->src = config_find(ctx->config, name)) == NULL)
		cmd_usage_error(&cmd_check_entry, "unknown source '%s' (see "
		    "'rates sources')", name);
	if (config_check_source(st->src, &cause) != 0)
		cmd_usage_error(&cmd_check_entry, "%s", cause);
	st->has_at = args_has(a, OPT_AT);
	if (st->has_at && time_parse_when2(args_get(a, OPT_AT), ctx->now,
	    &st->at, &cause) != 0)
		cmd_usage_error(&cmd_check_entry, "--at: %s", cause);
}

static int
is_url(const char *s)
{
	return strstr(s, "://") != NULL;
}

/* The time line; 1 when the page's time is usable. */
static int
check_time(struct cmd_ctx *ctx, const struct check_state *st,
    const struct extraction *ex, int import, time_t *observed)
{
	const struct source *src = st->src;
	char *cause, when[64];
	int utc = args_has(ctx->args, OPT_UTC), ignored;

	if (record_observed_at(src, ex, ctx->now, st->has_at ? &st->at : NULL,
	    import, observed, &ignored, &cause) != 0) {
		printf("time unusable: %s\n", cause);
		if (ex->time_match != NULL)
			show_match("matched", ex->time_match);
		free(cause);
		return 0;
	}
	time_format(when, sizeof when, *observed, utc);
	if (src->type == SOURCE_NBKR_XML)
		printf("time %s: the value date %s\n", when, ex->date_text);
	else if (src->time == NULL)
		printf("time %s: no time_pattern, the %s\n", when,
		    st->has_at ? "time of --at" : "fetch time");
	else if (!ex->has_time)
		printf("time %s: the header shows no time, the %s\n", when,
		    st->has_at ? "time of --at" : "fetch time");
	else {
		printf("time %s%s%s at %s", ex->date_text != NULL ?
		    ex->date_text : "", ex->date_text != NULL ? " " : "",
		    ex->time_text, when);
		if (ex->date_text == NULL)
			printf(st->has_at ? " (a clock only: placed on the day "
			    "of --at)" : " (a clock only: placed on the nearest "
			    "day)");
		else if (ignored)
			printf(" (the page's own date: --at is not used)");
		printf("\n");
		show_match("matched", ex->time_match);
	}
	return 1;
}

static int
cmd_check_exec(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	const char *where = a->argv[0];
	struct check_state *st = ctx->state;
	struct source *src = st->src;
	struct http *h = NULL;
	struct http_response resp;
	struct buf page = BUF_INIT;
	struct extraction ex;
	struct record_result res;
	time_t observed;
	char *cause = NULL, *why;
	size_t i, found = 0;
	int import = !is_url(where), status;

	if (page_read(&h, src, where, &page, &resp, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		http_response_release(&resp);
		http_free(h);
		buf_release(&page);
		return EXIT_ERROR;
	}
	http_response_release(&resp);
	http_free(h);

	extract_run(src, page.data, page.len, &ex);
	memset(&res, 0, sizeof res);
	printf("source %s on %s (%zu bytes), as %s would read it\n",
	    src->name, where, page.len, import ? "import" : "fetch");
	for (i = 0; i < ex.nitems; i++)
		found += ex.items[i].found;
	if (ex.has_block) {
		printf("header \"");
		out_visible(stdout, ex.block_text, 100);
		printf("\"\n");
	} else if (found == 0) {
		why = extraction_none(&ex);
		printf("header none: %s\n", why);
		free(why);
	}
	if (found == 0) {
		for (i = 0; i < ex.nitems; i++)
			check_item(src, &ex.items[i], NULL);
		log_error("%s: no rates on the page", where);
		status = ex.doc_error != NULL ? EXIT_ERROR : EXIT_NORATES;
		goto out;
	}
	if (!check_time(ctx, st, &ex, import, &observed)) {
		/* import rejects the whole page: so does check. */
		for (i = 0; i < ex.nitems; i++) {
			if (!ex.items[i].found)
				check_item(src, &ex.items[i], NULL);
			else
				printf("%-4s not stored: the page time is "
				    "unusable\n", ex.items[i].code);
		}
		log_error("%s: the page time is not usable", where);
		status = EXIT_NORATES;
		goto out;
	}
	if (ctx->db != NULL && db_read_begin(ctx->db, &cause) != 0)
		goto dberr;
	if (record_store(ctx->db, src, &ex, observed, ctx->now,
	    RECORD_DRY_RUN, &res, &cause) != 0)
		goto dberr;
	if (ctx->db != NULL)
		db_read_end(ctx->db);
	for (i = 0; i < ex.nitems; i++)
		check_item(src, &ex.items[i], &res.items[i]);
	for (i = 0; i < ex.nnotes; i++)
		printf("feed error: %s\n", ex.notes[i]);
	status = res.failed != 0 ? EXIT_NORATES : EXIT_OK;
	if (res.failed != 0)
		log_error("%s: %zu of %zu rates found and valid%s", where,
		    res.added + res.present + res.revised, res.nitems,
		    ex.nnotes != 0 ? ", and errors in the feed" : "");
	goto out;
dberr:
	log_error("%s", cause);
	free(cause);
	status = EXIT_ERROR;
out:
	record_result_release(&res);
	extraction_release(&ex);
	buf_release(&page);
	return status;
}
