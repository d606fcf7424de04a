/*
 * fuzz_feed.c: the National Bank's XML feed through nbkr_feed_extract, as
 * the built-in sources nbkr and nbkr-weekly read it, then the time
 * (record_observed_at) and record_store with no database, as a dry run.
 * Invariants: one item per currency, in order; a document error means no
 * item found, no time and no notes; a found item has a rate text in the
 * normal form of dec_parse (a '.' mark, at most six places) that parses
 * to a value, and no error; an item not found has an error; the time is
 * 00:00 of a value date; record_store never fails and counts every item
 * once, and each note as a failure.
 */
#include <string.h>
#include <time.h>

#include "rates.h"
#include "fuzz.h"

static struct config *cfg;
static const struct source *sources[2];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", FUZZ_TZ, 1);
	tzset();
	cfg = config_new();
	sources[0] = config_find(cfg, "nbkr");
	sources[1] = config_find(cfg, "nbkr-weekly");
	if (sources[0] == NULL || sources[1] == NULL)
		abort();
	return 0;
}

static void
one(const struct source *src, const char *data, size_t size)
{
	struct extraction ex;
	struct record_result res;
	const struct extract_item *it;
	time_t observed;
	int64_t v;
	char *cause = NULL, *norm = NULL;
	size_t i, found = 0;

	extract_run(src, data, size, &ex);
	CHECK(ex.nitems == src->ncurrencies, "%zu items for %zu currencies",
	    ex.nitems, src->ncurrencies);
	for (i = 0; i < ex.nitems; i++) {
		it = &ex.items[i];
		CHECK(strcmp(it->code, src->currencies[i]) == 0,
		    "item %zu is %s, not %s", i, it->code, src->currencies[i]);
		if (!it->found) {
			CHECK(it->rate_text == NULL, "%s: a rate not found",
			    it->code);
			CHECK(ex.doc_error != NULL || it->error != NULL,
			    "%s: not found, and no reason", it->code);
			continue;
		}
		found++;
		CHECK(it->error == NULL, "%s: found, with an error", it->code);
		CHECK(it->rate_text != NULL, "%s: found, no text", it->code);
		CHECK(dec_parse(it->rate_text, strlen(it->rate_text), &v,
		    &norm, &cause) == 0, "%s: '%s' does not parse: %s",
		    it->code, it->rate_text, cause);
		CHECK(strcmp(norm, it->rate_text) == 0, "%s: '%s' is not in "
		    "its normal form '%s'", it->code, it->rate_text, norm);
		free(norm);
		norm = NULL;
	}
	if (ex.doc_error != NULL) {
		CHECK(found == 0 && ex.nnotes == 0 && !ex.has_time,
		    "a document error with rates, notes or a time");
		extraction_release(&ex);
		return;
	}
	CHECK(ex.has_time && ex.date_text != NULL && ex.time_text != NULL &&
	    strcmp(ex.time_text, "00:00") == 0, "a feed without its time");
	if (record_observed_at(src, &ex, FUZZ_NOW, NULL, 1, &observed, NULL,
	    &cause) == 0)
		CHECK((observed + src->utc_offset) % 86400 == 0,
		    "%lld is not 00:00 of a day", (long long)observed);
	else
		free(cause);
	cause = NULL;
	CHECK(record_store(NULL, src, &ex, FUZZ_NOW - 3600, FUZZ_NOW,
	    RECORD_DRY_RUN, &res, &cause) == 0, "record_store: %s", cause);
	CHECK(res.added + res.present + res.revised + res.failed ==
	    res.nitems + ex.nnotes, "%zu + %zu + %zu + %zu for %zu items and "
	    "%zu notes", res.added, res.present, res.revised, res.failed,
	    res.nitems, ex.nnotes);
	record_result_release(&res);
	extraction_release(&ex);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(sources[0], (const char *)data, size);
	one(sources[1], (const char *)data, size);
	return 0;
}
