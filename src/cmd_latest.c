/*
 * cmd_latest.c: the newest rate of each currency, its change against the
 * previous different value, and its age.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static int cmd_latest_exec(struct cmd_ctx *);

static const struct cmd_option cmd_latest_options[] = {
	{"format", 'f', "FMT", "table, csv or json"},
	{"json", 'j', NULL, "the same as --format json"},
	{"utc", OPT_UTC, NULL, "show times in UTC"},
	COLOR_OPTION,
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_latest_entry = {
	.name = "latest",
	.usage = "[--format table|csv|json] [--utc]",
	.summary = "the newest rate of each currency, its change and its age",
	.options = cmd_latest_options,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_DB_READ,
	.exec = cmd_latest_exec,
};

struct change {
	char rate[32], prev[32], diff[32], pct[32];
};

static void
change(const struct latest_row *r, struct change *c)
{
	int f, fp;

	out_rate(c->rate, sizeof c->rate, r->rate_text, r->rate_scaled);
	if (!r->has_previous) {
		c->prev[0] = c->diff[0] = c->pct[0] = '\0';
		return;
	}
	out_rate(c->prev, sizeof c->prev, r->prev_text, r->prev_scaled);
	f = dec_frac_digits(r->rate_text);
	fp = dec_frac_digits(r->prev_text);
	dec_format(c->diff, sizeof c->diff, r->rate_scaled - r->prev_scaled,
	    f > fp ? f : fp, 1);
	dec_percent(c->pct, sizeof c->pct, r->rate_scaled - r->prev_scaled,
	    r->prev_scaled);
}

static void
print_json(FILE *f, const struct latest_row *rows, size_t n, time_t now,
    int utc)
{
	const struct latest_row *r;
	struct change c;
	char t[64];
	size_t i;

	fprintf(f, "[");
	for (i = 0; i < n; i++) {
		r = &rows[i];
		change(r, &c);
		fprintf(f, "%s\n  {\"source\": ", i ? "," : "");
		out_json_string(f, r->source);
		fprintf(f, ", \"currency\": ");
		out_json_string(f, r->currency);
		fprintf(f, ", \"rate\": \"%s\"", c.rate);
		time_format_iso(t, sizeof t, r->observed_at, utc);
		fprintf(f, ", \"observed_at\": \"%s\"", t);
		time_format_iso(t, sizeof t, r->fetched_at, utc);
		fprintf(f, ", \"fetched_at\": \"%s\"", t);
		fprintf(f, ", \"age_seconds\": %lld", (long long)(now -
		    r->observed_at));
		if (r->has_previous) {
			time_format_iso(t, sizeof t, r->prev_observed_at, utc);
			fprintf(f, ", \"previous\": \"%s\", \"previous_observed_at"
			    "\": \"%s\", \"change\": \"%s\", \"change_pct\": "
			    "\"%s\"}", c.prev, t, c.diff, c.pct);
		} else
			fprintf(f, ", \"previous\": null, \"previous_observed_at\": "
			    "null, \"change\": null, \"change_pct\": null}");
	}
	fprintf(f, "%s]\n", n ? "\n" : "");
}

/* CSV: the fields of the JSON, no '+' (a cell must not look a formula). */
static void
print_csv(FILE *f, const struct latest_row *rows, size_t n, time_t now,
    int utc)
{
	static const char *const names[] = {"source", "currency", "rate",
	    "observed_at", "fetched_at", "age_seconds", "previous",
	    "previous_observed_at", "change", "change_pct"};
	static const enum col_kind kinds[] = {COL_TEXT, COL_TEXT, COL_RATE,
	    COL_TIME, COL_TIME, COL_COUNT, COL_RATE, COL_TIME, COL_RATE,
	    COL_RATE};
	struct writer_opts wo = {.format = FMT_CSV, .delimiter = ',',
	    .utc = utc};
	struct writer *w = writer_new(f, &wo, names, kinds, 10);
	const struct latest_row *r;
	const char *cells[10];
	struct change c;
	char t[3][64], age[32];
	size_t i;

	for (i = 0; i < n; i++) {
		r = &rows[i];
		change(r, &c);
		time_format_iso(t[0], sizeof t[0], r->observed_at, utc);
		time_format_iso(t[1], sizeof t[1], r->fetched_at, utc);
		time_format_iso(t[2], sizeof t[2], r->prev_observed_at, utc);
		snprintf(age, sizeof age, "%lld", (long long)(now -
		    r->observed_at));
		cells[0] = r->source;
		cells[1] = r->currency;
		cells[2] = c.rate;
		cells[3] = t[0];
		cells[4] = t[1];
		cells[5] = age;
		cells[6] = r->has_previous ? c.prev : NULL;
		cells[7] = r->has_previous ? t[2] : NULL;
		cells[8] = r->has_previous ? c.diff + (c.diff[0] == '+') : NULL;
		cells[9] = r->has_previous ? c.pct + (c.pct[0] == '+') : NULL;
		writer_row(w, cells);
	}
	(void)writer_finish(w);
	writer_free(w);
}

static void
print_table(const struct latest_row *rows, size_t n, time_t now, int utc)
{
	const struct latest_row *r;
	struct change c;
	char when[64], age[32], ch[80];
	const char *color;
	size_t i;

	printf("%-10s %-4s %12s  %-18s  %-24s %s\n", "SOURCE", "CUR", "RATE",
	    "CHANGE", "OBSERVED", "AGE");
	for (i = 0; i < n; i++) {
		r = &rows[i];
		change(r, &c);
		if (r->has_previous)
			snprintf(ch, sizeof ch, "%s (%s%%)", c.diff, c.pct);
		else
			snprintf(ch, sizeof ch, "-");
		time_format(when, sizeof when, r->observed_at, utc);
		time_format_age(age, sizeof age, (long)(now - r->observed_at));
		/* A rise in green, a fall in red, on a terminal with colour. */
		color = !out_color || !r->has_previous ||
		    r->rate_scaled == r->prev_scaled ? "" :
		    r->rate_scaled > r->prev_scaled ? COLOR_UP : COLOR_DOWN;
		printf("%-10s %-4s %12s  %s%-18s%s  %-24s %s\n", r->source,
		    r->currency, c.rate, color, ch, *color ? COLOR_OFF : "",
		    when, age);
	}
}

static int
cmd_latest_exec(struct cmd_ctx *ctx)
{
	struct latest_row *rows;
	size_t n;
	char *cause;
	int utc = args_has(ctx->args, OPT_UTC), format;

	if (writer_format_arg(ctx->args, FMT_TABLE, &format, &cause) != 0)
		cmd_usage_error(&cmd_latest_entry, "%s", cause);

	if (db_latest(ctx->db, &rows, &n, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
		return EXIT_ERROR;
	}
	if (format == FMT_JSON)
		print_json(stdout, rows, n, ctx->now, utc);
	else if (format == FMT_CSV)
		print_csv(stdout, rows, n, ctx->now, utc);
	else if (n == 0)
		log_info("no rates recorded yet in %s", ctx->db_path);
	else
		print_table(rows, n, ctx->now, utc);
	db_latest_free(rows, n);
	return EXIT_OK;
}

/* The JSON or CSV of latest to f, for serve. */
int
latest_write(struct db *db, int format, time_t now, int utc, FILE *f,
    char **cause)
{
	struct latest_row *rows;
	size_t n;

	if (db_latest(db, &rows, &n, cause) != 0)
		return -1;
	if (format == FMT_CSV)
		print_csv(f, rows, n, now, utc);
	else
		print_json(f, rows, n, now, utc);
	db_latest_free(rows, n);
	return 0;
}
