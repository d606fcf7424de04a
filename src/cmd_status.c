/*
 * cmd_status.c: per source, the last success and its age, the last
 * attempt with its outcome and message, the failures since the last
 * success, the next poll, and the daemon's pid or "not running".  Exits 1
 * when a source has had no success for more than three intervals (or
 * never), so that a monitoring system can call it.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define STALE_INTERVALS 3

static int cmd_status_exec(struct cmd_ctx *);

static const struct cmd_option cmd_status_options[] = {
	{"utc", OPT_UTC, NULL, "show times in UTC"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_status_entry = {
	.name = "status",
	.usage = "[--utc]",
	.summary = "per source: last success, last attempt, failures, next "
	    "poll; the daemon",
	.options = cmd_status_options,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_CONFIG | CMD_DB_READ,
	.exec = cmd_status_exec,
};

/* One source; returns 1 when it is stale. */
static int
show(struct cmd_ctx *ctx, const struct source *src, long running, int utc)
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
	if (running && ss.next_at != 0) {
		time_format(when, sizeof when, ss.next_at, utc);
		time_format_age(age, sizeof age, (long)(ss.next_at - ctx->now));
		printf("  next poll     %s (%s%s)\n", when,
		    ss.next_at >= ctx->now ? "in " : "", ss.next_at >= ctx->now ?
		    age : "due");
	} else
		printf("  next poll     none: no daemon runs\n");
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

static int
cmd_status_exec(struct cmd_ctx *ctx)
{
	char *path = lock_path(ctx->db_path);
	long pid = lock_holder(path);
	size_t i, shown = 0;
	int stale = 0, utc = args_has(ctx->args, OPT_UTC);

	free(path);
	for (i = 0; i < ctx->config->nsources; i++) {
		if (!ctx->config->sources[i]->enabled)
			continue;
		if (shown++ != 0)
			printf("\n");
		stale |= show(ctx, ctx->config->sources[i], pid, utc);
	}
	if (pid > 0)
		printf("\ndaemon: running, pid %ld\n", pid);
	else
		printf("\ndaemon: not running\n");
	return stale ? EXIT_ERROR : EXIT_OK;
}
