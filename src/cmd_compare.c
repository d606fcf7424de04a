/*
 * cmd_compare.c: two sources side by side, per day and currency (SPEC
 * section 8).  A day is one of the sources' own (A's utc_offset: Bishkek
 * for 24kg and nbkr), not of TZ, so that the verdicts do not depend on
 * where the command runs (nbkr's value date starts at 00:00 Bishkek, which
 * is the day before in UTC).  For each day on which A has a value, A's
 * last value of the day is set against B's value in effect at the end of
 * that day (B's newest sample up to then, at most three days old).  They agree
 * when equal at the coarser of their two precisions: 87.45 agrees with
 * 87.4500 and 87.4523, 1.10 with 1.0987.  The days that differ are shown
 * (every day with --all), then a line per currency.  Exit 0 when every
 * day agrees, 1 when one differs or nothing could be compared.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define STALE (3 * 86400) /* B's value older than this is no value */

static void cmd_compare_prepare(struct cmd_ctx *);
static int cmd_compare_exec(struct cmd_ctx *);

static const struct cmd_option cmd_compare_options[] = {
	{"since", OPT_SINCE, "WHEN", "from WHEN on"},
	{"until", OPT_UNTIL, "WHEN", "up to WHEN (a day: its end)"},
	{"currency", OPT_CURRENCY, "USD,EUR", "only these currencies, in order"},
	{"all", 'a', NULL, "every day, not only those that differ"},
	{"format", 'f', "FMT", "table, csv or json"},
	{"json", 'j', NULL, "the same as --format json"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_compare_entry = {
	.name = "compare",
	.usage = "A B [--since WHEN] [--until WHEN] [--currency USD,EUR] "
	    "[--all] [--format table|csv|json]",
	.summary = "two sources side by side per day; exit 1 when they differ",
	.options = cmd_compare_options,
	.min_args = 2,
	.max_args = 2,
	.flags = CMD_CONFIG | CMD_DB_READ,
	.prepare = cmd_compare_prepare,
	.exec = cmd_compare_exec,
};

struct compare_state {
	const char *a, *b;
	int offset; /* A's utc_offset: where its days begin */
	struct selection sel;
	struct writer_opts w;
	int all;
};

static void
cmd_compare_prepare(struct cmd_ctx *ctx)
{
	struct args *args = ctx->args;
	struct compare_state *st = xcalloc(1, sizeof *st);
	char *cause;
	int i;

	ctx->state = st;
	st->a = args->argv[0];
	st->b = args->argv[1];
	for (i = 0; i < 2; i++) {
		if (config_find(ctx->config, args->argv[i]) == NULL)
			cmd_usage_error(&cmd_compare_entry, "unknown source "
			    "'%s' (see 'rates sources')", args->argv[i]);
	}
	st->offset = config_find(ctx->config, st->a)->utc_offset;
	if (strcmp(st->a, st->b) == 0)
		cmd_usage_error(&cmd_compare_entry, "A and B are the same "
		    "source");
	if (selection_parse(args, ctx->now, &st->sel, &cause) != 0)
		cmd_usage_error(&cmd_compare_entry, "%s", cause);
	/*
	 * A day named by --since or --until is one of the sources' days,
	 * as every day here: from 00:00 at A's offset, whatever TZ is.
	 */
	for (i = 0; i < 2; i++) {
		const char *v = args_get(args, i == 0 ? OPT_SINCE : OPT_UNTIL);
		struct when w;

		if (v == NULL || time_parse_when2(v, ctx->now, &w, &cause) != 0 ||
		    !w.has_date || w.span < 86400)
			continue;
		if (i == 0)
			st->sel.since = time_from_civil(w.y, w.m, w.d, 0,
			    st->offset);
		else
			st->sel.until = time_from_civil(w.y, w.m, w.d, 0,
			    st->offset) + 86400;
	}
	st->all = args_has(args, 'a');
	st->w.delimiter = ',';
	if (writer_format_arg(args, FMT_TABLE, &st->w.format, &cause) != 0)
		cmd_usage_error(&cmd_compare_entry, "%s", cause);
}

struct bval {
	time_t at;
	char *text;
	int64_t v;
};

/* Round a positive scaled value to places decimals, half up. */
static int64_t
round_to(int64_t v, int places)
{
	int64_t unit = 1;
	int i;

	for (i = places; i < DEC_FRAC; i++)
		unit *= 10;
	return (v + unit / 2) / unit * unit;
}

static int
agree(const char *at, int64_t av, const char *bt, int64_t bv)
{
	int pa = dec_frac_digits(at), pb = dec_frac_digits(bt);
	int p = pa < pb ? pa : pb;

	return round_to(av, p) == round_to(bv, p);
}

/* The day of an instant at a UTC offset, and the last second of a day. */
static long
day_of(time_t t, int offset)
{
	time_t u = t + offset;

	return (long)(u >= 0 ? u / 86400 : (u - 86399) / 86400);
}

static time_t
day_end(long day, int offset)
{
	return (time_t)(day + 1) * 86400 - offset - 1;
}

struct counts {
	size_t days, agree, differ, missing;
	int64_t worst; /* the largest difference, in hundredths of a percent */
	long worst_day;
};

static const char *const headings[] = {"day", "currency", NULL, NULL,
    "difference", "difference_pct", "verdict"};
static const enum col_kind kinds[] = {COL_DATE, COL_TEXT, COL_RATE,
    COL_RATE, COL_RATE, COL_RATE, COL_TEXT};

/* Compare one currency; -1 on a database error. */
static int
compare_one(struct cmd_ctx *ctx, struct compare_state *st, struct writer *w,
    const char *code, struct counts *c, char **cause)
{
	struct db_scan *sc;
	struct scan_row row;
	struct bval *bs = NULL;
	size_t nb = 0, k = 0;
	time_t since = st->sel.since > STALE ? st->sel.since - STALE : 0;
	long day = 0, d;
	char *atext = NULL;
	int64_t av = 0;
	int r, have = 0, json = st->w.format == FMT_JSON;

	memset(c, 0, sizeof *c);
	/* B up to the end of A's last day: a day past until is enough. */
	if ((sc = db_scan_open(ctx->db, st->b, code, since, st->sel.until >
	    (time_t)INT64_MAX - 86400 ? st->sel.until : st->sel.until + 86400,
	    0, cause)) == NULL)
		return -1;
	while ((r = db_scan_next(sc, &row, cause)) == 1) {
		bs = xreallocarray(bs, nb + 1, sizeof *bs);
		bs[nb].at = row.observed_at;
		bs[nb].text = xstrdup(row.rate_text);
		bs[nb++].v = row.rate_scaled;
	}
	db_scan_close(sc);
	if (r < 0)
		goto fail;
	if ((sc = db_scan_open(ctx->db, st->a, code, st->sel.since,
	    st->sel.until, 0, cause)) == NULL)
		goto fail;
	for (;;) {
		if ((r = db_scan_next(sc, &row, cause)) < 0) {
			db_scan_close(sc);
			goto fail;
		}
		d = r == 1 ? day_of(row.observed_at, st->offset) : 0;
		if (have && (r == 0 || d != day)) {
			/* The day is over: A's last value against B's. */
			time_t end = day_end(day, st->offset);
			const struct bval *b = NULL;
			char dtext[16], diff[32], pct[32];
			const char *cells[7], *verdict;
			int ok;

			while (k < nb && bs[k].at <= end)
				k++;
			if (k > 0 && bs[k - 1].at > end - STALE)
				b = &bs[k - 1];
			c->days++;
			if (b == NULL) {
				c->missing++;
				verdict = "no value of B";
				ok = 1;
			} else if ((ok = agree(atext, av, b->text, b->v))) {
				c->agree++;
				verdict = "agree";
			} else {
				c->differ++;
				verdict = "differ";
			}
			if (b != NULL) {
				__int128 d128 = (__int128)b->v - av;
				int64_t p;

				/* Hundredths of a percent, rounded. */
				d128 = ((d128 < 0 ? -d128 : d128) * 10000 +
				    av / 2) / av;
				p = d128 > INT64_MAX / 10000 ? INT64_MAX / 10000 :
				    (int64_t)d128;
				if (!ok && (p > c->worst || c->worst_day == 0)) {
					c->worst = p;
					c->worst_day = day;
				}
			}
			if (!ok || st->all) {
				time_format_day(dtext, sizeof dtext, day);
				cells[0] = dtext;
				cells[1] = code;
				cells[2] = atext;
				cells[3] = b != NULL ? b->text : "";
				diff[0] = pct[0] = '\0';
				if (b != NULL) {
					dec_format_short(diff, sizeof diff,
					    b->v - av);
					if (json && b->v > av) {
						memmove(diff + 1, diff,
						    strlen(diff) + 1);
						diff[0] = '+';
					}
					dec_percent(pct, sizeof pct, b->v - av,
					    av);
				}
				cells[4] = diff;
				cells[5] = pct[0] == '+' && !json ? pct + 1 :
				    pct;
				cells[6] = b == NULL ? (json ? "missing" :
				    "no value") : verdict;
				writer_row(w, cells);
			}
			have = 0;
		}
		if (r == 0)
			break;
		free(atext);
		atext = xstrdup(row.rate_text);
		av = row.rate_scaled;
		day = d;
		have = 1;
	}
	db_scan_close(sc);
	free(atext);
	while (nb > 0)
		free(bs[--nb].text);
	free(bs);
	return 0;
fail:
	free(atext);
	while (nb > 0)
		free(bs[--nb].text);
	free(bs);
	return -1;
}

/* "USD: 30 days, 28 agree, 2 differ (largest 0.35% on 2025-12-03)" */
static void
summary(FILE *f, const char *code, const struct counts *c, const char *b)
{
	char day[16], pct[32];

	fprintf(f, "%s: %zu day%s, %zu agree", code, c->days - c->missing,
	    c->days - c->missing == 1 ? "" : "s", c->agree);
	if (c->differ != 0) {
		time_format_day(day, sizeof day, c->worst_day);
		dec_format(pct, sizeof pct, c->worst * 10000, 2, 0);
		fprintf(f, ", %zu differ (the most %s%% on %s)", c->differ, pct,
		    day);
	}
	if (c->missing != 0)
		fprintf(f, "; %zu day%s without a value of %s", c->missing,
		    c->missing == 1 ? "" : "s", b);
	fprintf(f, "\n");
}

static int
cmd_compare_exec(struct cmd_ctx *ctx)
{
	struct compare_state *st = ctx->state;
	struct series *sa = NULL, *sb = NULL;
	struct counts *c = NULL;
	struct writer *w;
	const char *names[7], **codes = NULL;
	FILE *sum = st->w.format == FMT_TABLE ? stdout : stderr;
	size_t na = 0, nb = 0, i, j, ncodes = 0, days = 0, differ = 0;
	char *cause = NULL;
	int status = EXIT_OK;

	memcpy(names, headings, sizeof names);
	names[2] = st->a;
	names[3] = st->b;
	if (db_series(ctx->db, st->a, &sa, &na, &cause) != 0 ||
	    db_series(ctx->db, st->b, &sb, &nb, &cause) != 0)
		goto fail;
	/* The currencies asked for, or those both sources have. */
	if (st->sel.currencies != NULL) {
		for (i = 0; i < st->sel.ncurrencies; i++) {
			codes = xreallocarray(codes, ncodes + 1,
			    sizeof *codes);
			codes[ncodes++] = st->sel.currencies[i];
		}
	} else {
		for (i = 0; i < na; i++) {
			for (j = 0; j < nb; j++) {
				if (strcmp(sa[i].currency, sb[j].currency) ==
				    0) {
					codes = xreallocarray(codes, ncodes + 1,
					    sizeof *codes);
					codes[ncodes++] = sa[i].currency;
				}
			}
		}
	}
	c = xcalloc(ncodes + 1, sizeof *c);
	w = writer_new(stdout, &st->w, names, kinds, 7);
	for (i = 0; i < ncodes; i++) {
		if (compare_one(ctx, st, w, codes[i], &c[i], &cause) != 0) {
			writer_free(w);
			goto fail;
		}
		days += c[i].days - c[i].missing;
		differ += c[i].differ;
	}
	if (writer_finish(w) != 0)
		status = EXIT_ERROR;
	writer_free(w);
	if (sum == stdout)
		fflush(stdout);
	for (i = 0; i < ncodes && log_level >= 0; i++) {
		if (c[i].days != 0)
			summary(sum, codes[i], &c[i], st->b);
	}
	if (days == 0) {
		log_error("nothing to compare: no day has values of both %s "
		    "and %s", st->a, st->b);
		status = EXIT_ERROR;
	} else if (differ != 0 && status == EXIT_OK)
		status = EXIT_ERROR; /* 1: they differ */
	free(c);
	free(codes);
	db_series_free(sa, na);
	db_series_free(sb, nb);
	selection_release(&st->sel);
	return status;
fail:
	log_error("%s", cause);
	free(cause);
	free(c);
	free(codes);
	db_series_free(sa, na);
	db_series_free(sb, nb);
	selection_release(&st->sel);
	return EXIT_ERROR;
}
