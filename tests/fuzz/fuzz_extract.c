/*
 * fuzz_extract.c: a page's whole path without a database.  The input is a
 * page; the built-in source 24kg and two sources of config text (made once)
 * run their patterns over it (extract_run: the header block finder), every
 * rate found goes through dec_parse, the page time through
 * record_observed_at (as fetch and as import --at), and the items through
 * record_store with no database, as a dry run.  Invariants: one item per
 * currency, in order; a found item has its texts and no error, the match
 * cut at 200 bytes, and lies inside the block; what the built-in pattern
 * captures is always a run of digits and marks (with a sign), in the
 * site's notation when it parses, and a clock; a block has two currencies
 * or more; the time starts inside the block or ends above it; an
 * observation time is never before 1970 nor more than a day after the
 * fetch; record_store without a database never fails and counts every
 * item once.
 */
#include <string.h>
#include <time.h>

#include "rates.h"
#include "fuzz.h"

/*
 * "user": a combined pattern for the rest, a per-currency pattern with a
 * group 1 for KZT and one whose group may stay unset for CNY, a time with
 * an optional date in another format.  "loose": a combined pattern that
 * can match the empty string (the loop must step over it), a per-currency
 * pattern whose rate is the whole match, a time alone whose group may stay
 * unset.
 */
static const char user_conf[] =
    "[source user]\n"
    "url = http://127.0.0.1/rates\n"
    "currencies = USD EUR RUB KZT CNY\n"
    "pattern = (?<code>[A-Z]{3})\\s*[:=]?\\s*"
    "(?<rate>[-+]?[0-9]+(?:[.,][0-9]+)?)\n"
    "pattern.KZT = KZT\\D{0,20}([0-9][0-9 .,]*)\n"
    "pattern.CNY = CNY(?:\\s*=\\s*([0-9.,]+))?\n"
    "time_pattern = (?:(?<date>[0-9]{1,2}\\.[0-9]{1,2}\\.[0-9]{4})\\s+)?"
    "(?<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)\n"
    "date_format = %d.%m.%Y\n"
    "utc_offset = -03:30\n"
    "\n"
    "[source loose]\n"
    "url = https://127.0.0.1/\n"
    "currencies = GBP USD\n"
    "pattern = (?<code>[A-Z]{3})?(?<rate>[0-9.,]*)\n"
    "pattern.USD = [0-9]+[.,][0-9]+\n"
    "time_pattern = (?<time>[^ ]{1,8}) UTC|at noon\n"
    "utc_offset = Z\n";

static struct config *cfg;
static const struct source *sources[3];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *cause = NULL;

	(void)argc;
	(void)argv;
	setenv("TZ", FUZZ_TZ, 1);
	tzset();
	cfg = config_new();
	if (config_parse(cfg, user_conf, sizeof user_conf - 1, "fuzz.conf",
	    &cause) != 0 || config_finish(cfg, &cause) != 0) {
		fprintf(stderr, "fuzz_extract: %s\n", cause);
		abort();
	}
	sources[0] = config_find(cfg, "24kg");
	sources[1] = config_find(cfg, "user");
	sources[2] = config_find(cfg, "loose");
	if (sources[0] == NULL || sources[1] == NULL || sources[2] == NULL)
		abort();
	/* cfg lives as long as the process: a static, not a leak. */
	return 0;
}

/* Is s n1 digits (1 to max1), then perhaps one of seps and 1 to max2? */
static int
digits_sep_digits(const char *s, size_t max1, const char *seps, size_t max2)
{
	size_t n = strspn(s, "0123456789");

	if (n == 0 || n > max1)
		return 0;
	s += n;
	if (*s == '\0')
		return seps[0] != ':';
	if (strchr(seps, *s) == NULL)
		return 0;
	n = strspn(++s, "0123456789");
	return n > 0 && n <= max2 && s[n] == '\0';
}

static void
check_item(const struct source *src, size_t i, const struct extract_item *it,
    int builtin)
{
	int64_t v;
	char *norm = NULL, *cause = NULL;

	CHECK(strcmp(it->code, src->currencies[i]) == 0, "item %zu is %s, "
	    "not %s", i, it->code, src->currencies[i]);
	if (!it->found) {
		CHECK(it->match == NULL && it->rate_text == NULL &&
		    it->shown == NULL, "%s: texts but not found", it->code);
		return;
	}
	CHECK(it->error == NULL, "%s: found, with an error: %s", it->code,
	    it->error);
	CHECK(it->match != NULL && strlen(it->match) <= 200, "%s: match",
	    it->code);
	CHECK(it->start <= it->end, "%s: span", it->code);
	if (it->rate_text == NULL) {
		CHECK(it->shown != NULL && strlen(it->shown) <= 32, "%s: no "
		    "number and nothing shown", it->code);
		return;
	}
	CHECK(it->shown == NULL, "%s: a number and a placeholder", it->code);
	if (builtin) {
		const char *r = it->rate_text + (strchr("+-",
		    it->rate_text[0]) != NULL && it->rate_text[0] != '\0');

		CHECK(*r >= '0' && *r <= '9' && strspn(r, "0123456789.,") ==
		    strlen(r) && strchr("0123456789", r[strlen(r) - 1]) !=
		    NULL, "%s: the built-in pattern captured '%s'", it->code,
		    it->rate_text);
		/* A comma number is marked as in another notation. */
		CHECK(!digits_sep_digits(r, 9, ",", 6) || strchr(r, ',') ==
		    NULL || it->notation == '.', "%s: '%s' is in another "
		    "notation, unmarked", it->code, it->rate_text);
	}
	if (dec_parse(it->rate_text, strlen(it->rate_text), &v, &norm,
	    &cause) == 0) {
		CHECK(v > -DEC_SCALE * 1000000000LL &&
		    v < DEC_SCALE * 1000000000LL, "%s: %lld", it->code,
		    (long long)v);
		free(norm);
	} else
		free(cause);
}

static void
check_block(const struct source *src, const struct extraction *ex)
{
	size_t i, n = 0;

	if (!ex->has_block)
		return;
	CHECK(ex->block_start < ex->block_end && ex->block_text != NULL,
	    "block");
	for (i = 0; i < ex->nitems; i++) {
		if (!ex->items[i].found ||
		    source_pattern_for(src, ex->items[i].code) != NULL)
			continue;
		n++;
		CHECK(ex->items[i].start >= ex->block_start &&
		    ex->items[i].end <= ex->block_end, "%s outside the block",
		    ex->items[i].code);
	}
	/* Others in the block may have patterns of their own; not all. */
	CHECK(n >= 1, "a block that gave nothing");
}

static void
check_time(const struct extraction *ex, int builtin)
{
	if (ex->has_time)
		CHECK(ex->time_at < ex->block_end, "a time after the block");
	if (!ex->has_time) {
		CHECK(ex->time_text == NULL || ex->time_match != NULL,
		    "a time text without a match");
		return;
	}
	CHECK(ex->time_error == NULL, "a time and an error");
	CHECK(ex->time_text != NULL && strlen(ex->time_text) <= 64,
	    "time text");
	CHECK(ex->time_match != NULL && strlen(ex->time_match) <= 200,
	    "time match");
	CHECK(ex->date_text == NULL || strlen(ex->date_text) <= 64,
	    "date text");
	if (builtin) {
		const char *t = ex->time_text;
		size_t h = strspn(t, "0123456789");

		/* H:MM or HH:MM, perhaps :SS. */
		CHECK(h >= 1 && h <= 2 && t[h] == ':' &&
		    strspn(t + h + 1, "0123456789") == 2 &&
		    (t[h + 3] == '\0' || (t[h + 3] == ':' &&
		    strspn(t + h + 4, "0123456789") == 2 && t[h + 6] == '\0')),
		    "built-in time '%s'", t);
		CHECK(ex->date_text == NULL || (strlen(ex->date_text) == 10 &&
		    strspn(ex->date_text, "0123456789-") == 10),
		    "built-in date '%s'", ex->date_text);
	}
}

/* record_observed_at; returns the time (or the fetch time on failure). */
static time_t
observed(const struct source *src, const struct extraction *ex, int import,
    const struct when *at)
{
	time_t t = -1;
	char *cause = NULL;
	char iso[64];

	if (record_observed_at(src, ex, FUZZ_NOW, at, import, &t, NULL,
	    &cause) != 0) {
		CHECK(cause != NULL, "record_observed_at failed with no cause");
		free(cause);
		return FUZZ_NOW;
	}
	CHECK(cause == NULL, "a cause on success");
	CHECK(t >= 0 && t <= FUZZ_NOW + 86400, "observed at %lld",
	    (long long)t);
	if (!ex->has_time)
		CHECK(t == (at != NULL ? at->t : FUZZ_NOW), "no time on the "
		    "page, observed at %lld", (long long)t);
	time_format_iso(iso, sizeof iso, t, 1);
	return t;
}

static void
record(const struct source *src, const struct extraction *ex, time_t t)
{
	struct record_result res;
	const struct record_item *ri;
	char *cause = NULL;
	size_t i;

	CHECK(record_store(NULL, src, ex, t, FUZZ_NOW, RECORD_DRY_RUN, &res,
	    &cause) == 0, "record_store without a database failed: %s",
	    cause);
	CHECK(res.nitems == ex->nitems && res.present == 0 &&
	    res.revised == 0 && res.added + res.failed == res.nitems,
	    "counts %zu + %zu + %zu of %zu", res.added, res.present,
	    res.failed, res.nitems);
	for (i = 0; i < res.nitems; i++) {
		ri = &res.items[i];
		CHECK(record_status_name(ri->status) != NULL, "status");
		CHECK(strcmp(ri->code, ex->items[i].code) == 0, "code");
		if (ri->status == REC_WOULD_ADD)
			CHECK(ri->rate_scaled > 0 && ri->rate_text != NULL &&
			    ri->reason == NULL, "%s would add", ri->code);
		else
			CHECK(ri->status != REC_ADDED &&
			    ri->status != REC_PRESENT && ri->reason != NULL,
			    "%s: status %d without a reason", ri->code,
			    (int)ri->status);
	}
	record_result_release(&res);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct when at = {FUZZ_NOW - 3 * 86400, 86400, 1, 2025,
	    12, 15};
	struct extraction ex;
	size_t i, j;
	time_t t;

	for (i = 0; i < sizeof sources / sizeof sources[0]; i++) {
		extract_run(sources[i], (const char *)data, size, &ex);
		CHECK(ex.nitems == sources[i]->ncurrencies, "%zu items",
		    ex.nitems);
		for (j = 0; j < ex.nitems; j++)
			check_item(sources[i], j, &ex.items[j], i == 0);
		check_block(sources[i], &ex);
		check_time(&ex, i == 0);
		t = observed(sources[i], &ex, 0, NULL);
		(void)observed(sources[i], &ex, 1, &at);
		(void)observed(sources[i], &ex, 1, NULL);
		record(sources[i], &ex, t);
		extraction_release(&ex);
	}
	return 0;
}
