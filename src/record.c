/*
 * record.c: from what the patterns found on a page to stored samples.  This
 * is where the rules of SPEC sections 3 and 4 live: which time a sample is
 * observed at, which values are rejected (no number, not above zero, a jump
 * larger than the source allows), and what becomes of each: added, already
 * present (the same value), or revised (another value at a key already
 * stored: the new value is the sample's, the old one is kept in the table
 * of revisions).  Nothing read is dropped without a word.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define FUTURE_SLACK 86400 /* a page time this far ahead is wrong */

/* An observation before 1970 or more than a day after the fetch is wrong. */
static int
check_range(time_t t, time_t fetched_at, char **cause)
{
	char when[64];

	if (t >= 0 && t <= fetched_at + FUTURE_SLACK)
		return 0;
	time_format(when, sizeof when, t, 1);
	*cause = xasprintf("observation time %s is %s", when, t < 0 ?
	    "before 1970" : "in the future");
	return -1;
}

/*
 * The observation time of a page, in UTC.  A full date and time is taken
 * as it is (and --at is then ignored: *at_ignored says so); a clock alone
 * goes on the day nearest to the fetch, or on the day of --at (import) as
 * written, whatever the local zone; no time at all means the fetch time
 * (fetch) or --at (import), and is an error for import without --at.
 */
int
record_observed_at(const struct source *src, const struct extraction *ex,
    time_t fetched_at, const struct when *at, int import, time_t *out,
    int *at_ignored, char **cause)
{
	int secs, y, m, d;
	char *why;
	struct tm tm;

	if (at_ignored != NULL)
		*at_ignored = 0;
	if (ex->time_error != NULL) {
		/* Not "no time": a time the pattern could not read. */
		*cause = xasprintf("time_pattern: %s", ex->time_error);
		return -1;
	}
	if (!ex->has_time) {
		if (at != NULL)
			*out = at->t;
		else if (!import)
			*out = fetched_at;
		else {
			*cause = xstrdup("the page shows no time; give --at "
			    "WHEN");
			return -1;
		}
		return check_range(*out, fetched_at, cause);
	}
	if (time_parse_clock(ex->time_text, strlen(ex->time_text), &secs,
	    &why) != 0)
		goto bad;
	if (ex->date_text != NULL) {
		if (time_parse_date(ex->date_text, strlen(ex->date_text),
		    src->date_format, &y, &m, &d, &why) != 0)
			goto bad;
		*out = time_from_civil(y, m, d, secs, src->utc_offset);
		if (at != NULL && at_ignored != NULL)
			*at_ignored = 1;
	} else if (at != NULL) {
		if (at->has_date) {
			y = at->y;
			m = at->m;
			d = at->d;
		} else {
			localtime_r(&at->t, &tm);
			y = tm.tm_year + 1900;
			m = tm.tm_mon + 1;
			d = tm.tm_mday;
		}
		*out = time_from_civil(y, m, d, secs, src->utc_offset);
	} else if (!import)
		*out = time_place_clock(secs, fetched_at, src->utc_offset);
	else {
		*cause = xasprintf("the page shows only a clock (%s); give "
		    "--at DAY", ex->time_text);
		return -1;
	}
	if (*out > fetched_at + FUTURE_SLACK) {
		*cause = xasprintf("page time '%s%s%s' is in the future",
		    ex->date_text != NULL ? ex->date_text : "",
		    ex->date_text != NULL ? " " : "", ex->time_text);
		return -1;
	}
	return check_range(*out, fetched_at, cause);
bad:
	*cause = xasprintf("page time: %s", why);
	free(why);
	return -1;
}

#define REFERENCE_AGE (3 * 86400) /* an older reference value is none */

/*
 * A value that differs from the reference source's value for the same
 * currency in effect at observed_at (its newest sample up to then, at
 * most three days old) by more than max_deviation is rejected, naming
 * both, and the disagreement is kept for `rates status`.  1 when
 * rejected, 0 when not (or there is no reference value), -1 on a
 * database error.
 */
static int
reference_check(struct db *db, const struct source *src,
    struct record_item *ri, time_t observed_at, time_t fetched_at,
    int stored, int flags, char **cause)
{
	struct at_row ref;
	char when[64], pct[32], lim[32], *what;
	int r;

	if ((r = db_at(db, src->reference, ri->code, observed_at, &ref,
	    cause)) <= 0)
		return r;
	if (ref.observed_at < observed_at - REFERENCE_AGE ||
	    !dec_exceeds_pct(ri->rate_scaled, ref.rate_scaled,
	    src->max_deviation)) {
		free(ref.rate_text);
		return 0;
	}
	time_format(when, sizeof when, ref.observed_at, 0);
	dec_percent(pct, sizeof pct, ri->rate_scaled - ref.rate_scaled,
	    ref.rate_scaled);
	dec_format_short(lim, sizeof lim, src->max_deviation);
	ri->status = REC_DEVIATION;
	ri->reason = xasprintf("%s differs from %s's %s (of %s) by %s%%, "
	    "more than max_deviation %s%%%s", ri->rate_text, src->reference,
	    ref.rate_text, when, pct, lim, stored ?
	    "; the stored value is kept" : "");
	free(ref.rate_text);
	if (!(flags & RECORD_DRY_RUN)) {
		what = xasprintf("%s %s", ri->code, ri->reason);
		r = db_state_set_disagreement(db, src->name, fetched_at, what,
		    cause);
		free(what);
		if (r != 0)
			return -1;
	}
	return 1;
}

/* Check one item and store it unless dry_run; fills it. */
static int
record_one(struct db *db, const struct source *src,
    const struct extract_item *ei, time_t observed_at, time_t fetched_at,
    int flags, struct record_item *ri, char **cause)
{
	struct sample s;
	struct stored old;
	int64_t prev;
	char a[32], b[32], pct[32], lim[32];
	int r, frac, stored;

	snprintf(ri->code, sizeof ri->code, "%s", ei->code);
	if (!ei->found) {
		ri->status = REC_MISSING;
		ri->reason = xstrdup(ei->error != NULL ? ei->error :
		    src->pattern != NULL && source_pattern_for(src,
		    ei->code) == NULL ? "not in the header" :
		    "pattern matched nothing");
		return 0;
	}
	if (ei->rate_text == NULL) {
		ri->status = REC_MISSING;
		ri->reason = ei->shown != NULL && ei->shown[0] != '\0' ?
		    xasprintf("the header shows '%s', not a number", ei->shown) :
		    xstrdup("the header shows no number");
		return 0;
	}
	if (ei->notation != 0) {
		ri->status = REC_BAD_NUMBER;
		ri->reason = xasprintf("'%s' is not in the source's notation, "
		    "decimal '%c'", ei->rate_text, ei->notation);
		return 0;
	}
	if (dec_parse(ei->rate_text, strlen(ei->rate_text), &ri->rate_scaled,
	    &ri->rate_text, &ri->reason) != 0) {
		ri->status = REC_BAD_NUMBER;
		return 0;
	}
	if (ri->rate_scaled <= 0) {
		ri->status = REC_NOT_POSITIVE;
		ri->reason = xasprintf("rate %s is not above zero",
		    ri->rate_text);
		return 0;
	}

	s.source = src->name;
	s.currency = ri->code;
	s.observed_at = observed_at;
	s.fetched_at = fetched_at;
	s.rate_text = ei->rate_text;
	s.rate_scaled = ri->rate_scaled;
	/* A dry run without a database has nothing to compare with. */
	if (db == NULL) {
		ri->status = REC_WOULD_ADD;
		return 0;
	}
	if ((r = db_sample_get(db, &s, &old, cause)) < 0)
		return -1;
	stored = r == 1;
	if (stored && old.rate_scaled == ri->rate_scaled) {
		ri->status = REC_PRESENT;
		db_stored_release(&old);
		return 0;
	}
	/* Against the reference source's value in effect (SPEC §4). */
	if (src->reference != NULL && (r = reference_check(db, src, ri,
	    observed_at, fetched_at, stored, flags, cause)) != 0) {
		if (stored)
			db_stored_release(&old);
		return r < 0 ? -1 : 0;
	}
	/* Against the neighbours; a revision alone, against what it replaces. */
	if ((r = db_neighbour(db, src->name, ri->code, observed_at,
	    (flags & RECORD_BACKFILL) ? 366 * 86400 : 0, &prev, cause)) < 0) {
		if (stored)
			db_stored_release(&old);
		return -1;
	}
	if (r == 0 && stored) {
		prev = old.rate_scaled;
		r = 1;
	}
	if (r == 1 && dec_exceeds_pct(ri->rate_scaled, prev, src->max_jump)) {
		/* The old value with as many places as the new, or more. */
		frac = dec_frac_digits(ri->rate_text);
		dec_format_short(a, sizeof a, prev);
		if (dec_frac_digits(a) < frac)
			dec_format(a, sizeof a, prev, frac, 0);
		dec_format(b, sizeof b, ri->rate_scaled, frac, 0);
		dec_percent(pct, sizeof pct, ri->rate_scaled - prev, prev);
		dec_format_short(lim, sizeof lim, src->max_jump);
		ri->status = REC_JUMP;
		ri->reason = xasprintf("jump from %s to %s (%s%%) is more than "
		    "max_jump %s%%%s", a, b, pct, lim, stored ?
		    "; the stored value is kept" : "");
		db_stored_release(&old);
		return 0;
	}
	if (stored) {
		/* Another value at a key already stored: a revision. */
		ri->was_text = xstrdup(old.rate_text);
		ri->was_scaled = old.rate_scaled;
		if (flags & RECORD_DRY_RUN)
			ri->status = REC_WOULD_REVISE;
		else {
			if (db_revise_sample(db, &s, &old, cause) != 0) {
				db_stored_release(&old);
				return -1;
			}
			ri->status = REC_REVISED;
		}
		db_stored_release(&old);
		return 0;
	}
	if (flags & RECORD_DRY_RUN) {
		ri->status = REC_WOULD_ADD;
		return 0;
	}
	if ((r = db_insert_sample(db, &s, cause)) < 0)
		return -1;
	ri->status = r == 1 ? REC_ADDED : REC_PRESENT;
	return 0;
}

/*
 * Check and store every currency of an extraction.  Returns -1 only on a
 * database error; rejected values are marked on their items and counted
 * in failed.  The caller holds the transaction.
 */
int
record_store(struct db *db, const struct source *src,
    const struct extraction *ex, time_t observed_at, time_t fetched_at,
    int flags, struct record_result *res, char **cause)
{
	struct record_item *ri;
	size_t i;

	memset(res, 0, sizeof *res);
	res->observed_at = observed_at;
	res->nitems = ex->nitems;
	res->items = xcalloc(ex->nitems, sizeof *res->items);
	for (i = 0; i < ex->nitems; i++) {
		ri = &res->items[i];
		if (record_one(db, src, &ex->items[i], observed_at, fetched_at,
		    flags, ri, cause) != 0)
			return -1;
		switch (ri->status) {
		case REC_ADDED:
		case REC_WOULD_ADD:
			res->added++;
			break;
		case REC_PRESENT:
			res->present++;
			break;
		case REC_REVISED:
		case REC_WOULD_REVISE:
			res->revised++;
			break;
		default:
			res->failed++;
			break;
		}
	}
	/* Errors of the document that name no currency fail it too. */
	res->failed += ex->nnotes;
	return 0;
}

void
record_result_release(struct record_result *res)
{
	size_t i;

	for (i = 0; i < res->nitems; i++) {
		free(res->items[i].rate_text);
		free(res->items[i].was_text);
		free(res->items[i].reason);
	}
	free(res->items);
	memset(res, 0, sizeof *res);
}

const char *
record_status_name(enum record_status st)
{
	switch (st) {
	case REC_ADDED:
		return "added";
	case REC_PRESENT:
		return "already present";
	case REC_WOULD_ADD:
		return "would add";
	case REC_REVISED:
		return "revised";
	case REC_WOULD_REVISE:
		return "would revise";
	case REC_MISSING:
		return "missing";
	case REC_BAD_NUMBER:
		return "not a number";
	case REC_NOT_POSITIVE:
		return "not above zero";
	case REC_JUMP:
	case REC_DEVIATION:
		return "rejected";
	}
	return "?";
}
