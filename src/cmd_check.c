/*
 * cmd_check.c: show what each pattern of a source matched on a page, the
 * value parsed and the time found, or exactly which pattern found nothing.
 * Stores nothing: it is the command for the day the site changes.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static void cmd_check_prepare(struct cmd_ctx *);
static int cmd_check_exec(struct cmd_ctx *);

static const struct cmd_option cmd_check_options[] = {
	{"source", 's', "S", "the source whose patterns to use (default 24kg)"},
	{"utc", OPT_UTC, NULL, "show times in UTC"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "[--source S] [--utc] FILE|URL",
	.summary = "show what each pattern matched on a page; store nothing",
	.options = cmd_check_options,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_CONFIG | CMD_NETWORK,
	.prepare = cmd_check_prepare,
	.exec = cmd_check_exec,
};

static void
show_match(const char *what, const char *text)
{
	printf("     %s \"", what);
	out_visible(stdout, text, 100);
	printf("\"\n");
}

/* One currency; returns 1 when it is usable. */
static int
check_item(const struct source *src, const struct extract_item *it)
{
	const struct source_pattern *sp = source_pattern_for(src, it->code);
	const char *key = sp != NULL ? "pattern." : "pattern";
	char *norm, *why, rate[32];
	int64_t v;
	int ok = 0;

	if (!it->found) {
		printf("%-4s no match: %s%s %s\n", it->code, key,
		    sp != NULL ? it->code : "", it->error != NULL ? it->error :
		    "found nothing");
		return 0;
	}
	if (dec_parse(it->rate_text, strlen(it->rate_text), &v, &norm,
	    &why) != 0) {
		printf("%-4s not a number: %s\n", it->code, why);
		free(why);
	} else if (v <= 0) {
		printf("%-4s %s is not above zero\n", it->code, norm);
		free(norm);
	} else {
		out_rate(rate, sizeof rate, norm, v);
		printf("%-4s %s\n", it->code, rate);
		free(norm);
		ok = 1;
	}
	show_match("matched", it->match);
	return ok;
}

static void
cmd_check_prepare(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	const char *name = args_has(a, 's') ? args_get(a, 's') : "24kg";
	struct source **st = xmalloc(sizeof *st);
	char *cause;

	ctx->state = st;
	if ((*st = config_find(ctx->config, name)) == NULL)
		cmd_usage_error(&cmd_check_entry, "unknown source '%s' (see "
		    "'rates sources')", name);
	if (config_check_source(*st, &cause) != 0)
		cmd_usage_error(&cmd_check_entry, "%s", cause);
}

static int
cmd_check_exec(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	const char *where = a->argv[0];
	struct source *src = *(struct source **)ctx->state;
	struct http *h = NULL;
	struct http_response resp;
	struct buf page = BUF_INIT;
	struct extraction ex;
	time_t observed;
	char *cause, when[64];
	size_t i, good = 0;
	int utc = args_has(a, OPT_UTC), time_ok = 1, status;

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
	printf("source %s on %s (%zu bytes)\n", src->name, where, page.len);
	for (i = 0; i < ex.nitems; i++)
		good += check_item(src, &ex.items[i]);

	if (src->time == NULL)
		printf("time no time_pattern: the fetch time is used\n");
	else if (ex.time_error != NULL) {
		printf("time failed: time_pattern %s\n", ex.time_error);
		time_ok = 0;
	} else if (!ex.has_time)
		printf("time no match: time_pattern found nothing (the fetch "
		    "time is used)\n");
	else {
		printf("time %s%s%s", ex.date_text != NULL ? ex.date_text : "",
		    ex.date_text != NULL ? " " : "", ex.time_text);
		if (record_observed_at(src, &ex, ctx->now, NULL, 0, &observed,
		    &cause) != 0) {
			printf(": %s\n", cause);
			free(cause);
			time_ok = 0;
		} else {
			time_format(when, sizeof when, observed, utc);
			printf(" at %s%s\n", when, ex.date_text == NULL ?
			    " (a clock only: placed on the nearest day)" : "");
		}
		show_match("matched", ex.time_match);
	}
	status = good == ex.nitems && time_ok ? EXIT_OK : EXIT_NORATES;
	if (good != ex.nitems)
		log_error("%s: %zu of %zu rates found and valid", where, good,
		    ex.nitems);
	else if (!time_ok)
		log_error("%s: the page time is not usable", where);
	extraction_release(&ex);
	buf_release(&page);
	return status;
}
