/*
 * select.c: the selection that history, export, stats and chart share
 * (--since, --until, --currency, --source, --utc), so that every option
 * means the same in every command; and the scan that reads it: one cursor
 * per series, merged in time order, in one read transaction.  Streaming:
 * memory does not grow with the number of samples.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define TIME_MAX_SQL ((time_t)1 << 40) /* after any sample */

static int
add_currency(struct selection *sel, const char *tok, char **cause)
{
	char code[4];
	size_t i;

	if (strlen(tok) != 3 || !isalpha((unsigned char)tok[0]) ||
	    !isalpha((unsigned char)tok[1]) || !isalpha((unsigned char)tok[2])) {
		*cause = xasprintf("--currency: '%s' is not a currency code",
		    tok);
		return -1;
	}
	for (i = 0; i < 3; i++)
		code[i] = (char)toupper((unsigned char)tok[i]);
	code[3] = '\0';
	for (i = 0; i < sel->ncurrencies; i++) {
		if (strcmp(sel->currencies[i], code) == 0)
			return 0;
	}
	sel->currencies = xreallocarray(sel->currencies, sel->ncurrencies + 1,
	    sizeof *sel->currencies);
	sel->currencies[sel->ncurrencies++] = xstrdup(code);
	return 0;
}

/* Does the selection ask for this currency (all, when none is named)? */
int
selection_wants(const struct selection *sel, const char *currency)
{
	size_t i;

	if (sel->currencies == NULL)
		return 1;
	for (i = 0; i < sel->ncurrencies; i++) {
		if (strcmp(sel->currencies[i], currency) == 0)
			return 1;
	}
	return 0;
}

/* Read the selection options; on a bad one, *cause names it. */
int
selection_parse(const struct args *a, time_t now, struct selection *sel,
    char **cause)
{
	const char *v;
	char *copy, *tok, *save = NULL, *why;
	struct when w;

	memset(sel, 0, sizeof *sel);
	sel->until = TIME_MAX_SQL;
	sel->utc = args_has(a, OPT_UTC);
	if ((v = args_get(a, OPT_SINCE)) != NULL) {
		if (time_parse_when(v, now, &sel->since, &why) != 0)
			goto bad_when;
	}
	if ((v = args_get(a, OPT_UNTIL)) != NULL) {
		/* To the end of what it names: a day, a minute, a second. */
		if (time_parse_when2(v, now, &w, &why) != 0)
			goto bad_when;
		sel->until = w.t + w.span;
	}
	if (sel->until <= sel->since) {
		*cause = xstrdup("--until is not after --since");
		goto fail;
	}
	if ((v = args_get(a, 's')) != NULL)
		sel->source = xstrdup(v);
	if ((v = args_get(a, OPT_CURRENCY)) != NULL) {
		copy = xstrdup(v);
		for (tok = strtok_r(copy, ", ", &save); tok != NULL;
		    tok = strtok_r(NULL, ", ", &save)) {
			if (add_currency(sel, tok, cause) != 0) {
				free(copy);
				goto fail;
			}
		}
		free(copy);
		if (sel->ncurrencies == 0) {
			*cause = xstrdup("--currency: no currency given");
			goto fail;
		}
	}
	return 0;
bad_when:
	*cause = xasprintf("--%s: %s", v == args_get(a, OPT_SINCE) ? "since" :
	    "until", why);
	free(why);
fail:
	selection_release(sel);
	return -1;
}

void
selection_release(struct selection *sel)
{
	size_t i;

	for (i = 0; i < sel->ncurrencies; i++)
		free(sel->currencies[i]);
	free(sel->currencies);
	free(sel->source);
	memset(sel, 0, sizeof *sel);
}

/* "of USD, EUR from 2025-12-01 00:00 +06:00": for "no samples ...". */
void
selection_describe(const struct selection *sel, char *out, size_t size)
{
	struct buf b = BUF_INIT;
	char t[64];
	size_t i;

	for (i = 0; i < sel->ncurrencies; i++)
		buf_addf(&b, "%s%s", i ? ", " : " of ", sel->currencies[i]);
	if (sel->source != NULL)
		buf_addf(&b, " from source %s", sel->source);
	if (sel->since != 0) {
		time_format(t, sizeof t, sel->since, sel->utc);
		buf_addf(&b, " since %s", t);
	}
	if (sel->until != TIME_MAX_SQL) {
		time_format(t, sizeof t, sel->until, sel->utc);
		buf_addf(&b, " before %s", t);
	}
	snprintf(out, size, "%s", b.data != NULL ? b.data : "");
	buf_release(&b);
}

struct scan {
	struct db *db;
	struct series *series;
	size_t n;
	struct db_scan **sc;
	struct scan_row *head;
	int *live;
	size_t pending; /* the series whose head was handed out, or n */
};

static int
advance(struct scan *s, size_t i, char **cause)
{
	int r = db_scan_next(s->sc[i], &s->head[i], cause);

	s->live[i] = r == 1;
	return r < 0 ? -1 : 0;
}

/*
 * Open the selected series, in the order of --currency, else by name; with
 * changes, only the samples whose value differs from the one before.
 */
struct scan *
scan_open(struct db *db, const struct selection *sel, int changes,
    char **cause)
{
	struct scan *s;
	struct series *all;
	size_t nall, i, j;

	if (db_read_begin(db, cause) != 0)
		return NULL;
	if (db_series(db, sel->source, &all, &nall, cause) != 0) {
		db_read_end(db);
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	s->db = db;
	s->series = xcalloc(nall, sizeof *s->series);
	if (sel->currencies == NULL) {
		memcpy(s->series, all, nall * sizeof *all);
		s->n = nall;
		free(all);
	} else {
		for (i = 0; i < sel->ncurrencies; i++) {
			for (j = 0; j < nall; j++) {
				if (all[j].source == NULL || strcmp(
				    all[j].currency, sel->currencies[i]) != 0)
					continue;
				s->series[s->n++] = all[j];
				all[j].source = all[j].currency = NULL;
			}
		}
		db_series_free(all, nall);
	}
	s->sc = xcalloc(s->n, sizeof *s->sc);
	s->head = xcalloc(s->n, sizeof *s->head);
	s->live = xcalloc(s->n, sizeof *s->live);
	s->pending = s->n;
	for (i = 0; i < s->n; i++) {
		s->sc[i] = db_scan_open(db, s->series[i].source,
		    s->series[i].currency, sel->since, sel->until, changes,
		    cause);
		if (s->sc[i] == NULL || advance(s, i, cause) != 0) {
			scan_close(s);
			return NULL;
		}
	}
	return s;
}

size_t
scan_nseries(const struct scan *s)
{
	return s->n;
}

const struct series *
scan_series(const struct scan *s, size_t i)
{
	return &s->series[i];
}

/*
 * The next sample of any selected series, in time order (ties in series
 * order).  1 with it (its text lent until the next call), 0 at the end.
 */
int
scan_next(struct scan *s, size_t *idx, struct scan_row *row, char **cause)
{
	size_t i, best = s->n;

	if (s->pending != s->n && advance(s, s->pending, cause) != 0)
		return -1;
	for (i = 0; i < s->n; i++) {
		if (s->live[i] && (best == s->n ||
		    s->head[i].observed_at < s->head[best].observed_at))
			best = i;
	}
	s->pending = best;
	if (best == s->n)
		return 0;
	*idx = best;
	*row = s->head[best];
	return 1;
}

void
scan_close(struct scan *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		db_scan_close(s->sc[i]);
	db_read_end(s->db);
	db_series_free(s->series, s->n);
	free(s->sc);
	free(s->head);
	free(s->live);
	free(s);
}
