/*
 * cmd_status.c: per source, the last success and its age, the last
 * attempt with its outcome and message, the failures since the last
 * success, the next poll, and the daemon's pid or "not running", of every
 * enabled source or of those named.  Exits 1 when one has had no success
 * for more than three intervals (or never), so that a monitoring system
 * can call it.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define STALE_INTERVALS 3

static void cmd_status_prepare(struct cmd_ctx *);
static int cmd_status_exec(struct cmd_ctx *);

static const struct cmd_option cmd_status_options[] = {
	{"format", 'f', "FMT", "table, csv or json"},
	{"json", 'j', NULL, "the same as --format json"},
	{"utc", OPT_UTC, NULL, "show times in UTC"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "[SOURCE...] [--format table|csv|json] [--utc]",
	.summary = "per source: last success, last attempt, failures, next "
	    "poll; the daemon",
	.options = cmd_status_options,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_CONFIG | CMD_DB_READ,
	.prepare = cmd_status_prepare,
	.exec = cmd_status_exec,
};

static const char *const columns[] = {"source", "last_success_at",
    "last_attempt_at", "outcome", "http_status", "message", "failures",
    "next_poll_at", "daemon_pid", "disagreed_at", "disagreement"};
static const enum col_kind kinds[] = {COL_TEXT, COL_TIME, COL_TIME,
    COL_TEXT, COL_COUNT, COL_TEXT, COL_COUNT, COL_TIME, COL_COUNT, COL_TIME,
    COL_TEXT};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

/* One source as a row of CSV or JSON. */
static void
row(struct writer *w, const struct source *src,
    const struct source_status *ss, long running, int utc)
{
	char t[4][64], status[16], failures[32], pid[32];
	const char *cells[NCOLUMNS];

	time_format_iso(t[0], sizeof t[0], ss->ok_at, utc);
	time_format_iso(t[1], sizeof t[1], ss->last_at, utc);
	time_format_iso(t[2], sizeof t[2], ss->next_at, utc);
	snprintf(status, sizeof status, "%ld", ss->http_status);
	snprintf(failures, sizeof failures, "%ld", ss->failures);
	snprintf(pid, sizeof pid, "%ld", running);
	cells[0] = src->name;
	cells[1] = ss->succeeded ? t[0] : NULL;
	cells[2] = ss->attempted ? t[1] : NULL;
	cells[3] = ss->attempted ? ss->outcome : NULL;
	cells[4] = ss->attempted && ss->http_status > 0 ? status : NULL;
	cells[5] = ss->message;
	cells[6] = failures;
	cells[7] = running > 0 && ss->next_at != 0 ? t[2] : NULL;
	cells[8] = running > 0 ? pid : NULL;
	time_format_iso(t[3], sizeof t[3], ss->disagreed_at, utc);
	cells[9] = ss->disagreed_at != 0 ? t[3] : NULL;
	cells[10] = ss->disagreement;
	writer_row(w, cells);
}

/* One source; returns 1 when it is stale. */
static int
show(struct cmd_ctx *ctx, const struct source *src, long running, int utc,
    struct writer *w)
{
	struct source_status ss;
	char when[64], age[32], *cause;
	long interval;
	int stale;

	if (db_status(ctx->db, src->name, &ss, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		return 1;
	}
	interval = ss.interval > 0 ? ss.interval : src->interval;
	if (w != NULL) {
		row(w, src, &ss, running, utc);
		goto judge;
	}
	printf("%s\n", src->name);
	if (ss.succeeded) {
		time_format(when, sizeof when, ss.ok_at, utc);
		time_format_age(age, sizeof age, (long)(ctx->now - ss.ok_at));
		printf("  last success  %s (%s ago)\n", when, age);
	} else
		printf("  last success  never\n");
	if (ss.attempted) {
		time_format(when, sizeof when, ss.last_at, utc);
		printf("  last attempt  %s: %s", when, ss.outcome);
		if (ss.http_status > 0)
			printf(", HTTP %ld", ss.http_status);
		if (ss.message != NULL)
			printf(": %s", ss.message);
		printf("\n");
	} else
		printf("  last attempt  never\n");
	printf("  failures      %ld in a row\n", ss.failures);
	if (src->reference != NULL && ss.disagreed_at != 0) {
		time_format(when, sizeof when, ss.disagreed_at, utc);
		printf("  disagreed     %s with %s: %s\n", when,
		    src->reference, ss.disagreement != NULL ?
		    ss.disagreement : "");
	} else if (src->reference != NULL)
		printf("  disagreed     never with %s\n", src->reference);
	if (running && ss.next_at != 0) {
		time_format(when, sizeof when, ss.next_at, utc);
		time_format_age(age, sizeof age, (long)(ss.next_at - ctx->now));
		printf("  next poll     %s (%s%s)\n", when,
		    ss.next_at >= ctx->now ? "in " : "", ss.next_at >= ctx->now ?
		    age : "due");
	} else
		printf("  next poll     none: no daemon runs\n");
judge:
	stale = !ss.succeeded ||
	    ctx->now - ss.ok_at > (time_t)STALE_INTERVALS * interval;
	if (stale) {
		time_format_age(age, sizeof age, STALE_INTERVALS * interval);
		log_error("%s: no success %s%s (more than %d intervals of %lds)",
		    src->name, ss.succeeded ? "for more than " : "yet",
		    ss.succeeded ? age : "", STALE_INTERVALS, interval);
	}
	db_status_release(&ss);
	return stale;
}

/* The sources named must exist; none named means every enabled one. */
static void
cmd_status_prepare(struct cmd_ctx *ctx)
{
	int i;

	for (i = 0; i < ctx->args->argc; i++) {
		if (config_find(ctx->config, ctx->args->argv[i]) == NULL)
			cmd_usage_error(&cmd_status_entry, "unknown source "
			    "'%s' (see 'rates sources')", ctx->args->argv[i]);
	}
}

static int
wanted(const struct cmd_ctx *ctx, const struct source *src)
{
	int i;

	if (ctx->args->argc == 0)
		return src->enabled;
	for (i = 0; i < ctx->args->argc; i++) {
		if (strcmp(ctx->args->argv[i], src->name) == 0)
			return 1;
	}
	return 0;
}

static int
cmd_status_exec(struct cmd_ctx *ctx)
{
	char *path = lock_path(ctx->db_path), *cause;
	long pid = lock_holder(path);
	size_t i, shown = 0;
	int stale = 0, utc = args_has(ctx->args, OPT_UTC), format;
	struct writer_opts wo = {.delimiter = ',', .utc = utc};
	struct writer *w = NULL;

	free(path);
	if (writer_format_arg(ctx->args, FMT_TABLE, &format, &cause) != 0)
		cmd_usage_error(&cmd_status_entry, "%s", cause);
	if (format != FMT_TABLE) {
		wo.format = format;
		w = writer_new(stdout, &wo, columns, kinds, NCOLUMNS);
	}
	for (i = 0; i < ctx->config->nsources; i++) {
		if (!wanted(ctx, ctx->config->sources[i]))
			continue;
		if (w == NULL && shown++ != 0)
			printf("\n");
		stale |= show(ctx, ctx->config->sources[i], pid, utc, w);
	}
	if (w != NULL) {
		if (writer_finish(w) != 0)
			stale = 1;
		writer_free(w);
		return stale ? EXIT_ERROR : EXIT_OK;
	}
	if (pid > 0)
		printf("\ndaemon: running, pid %ld\n", pid);
	else
		printf("\ndaemon: not running\n");
	return stale ? EXIT_ERROR : EXIT_OK;
}
