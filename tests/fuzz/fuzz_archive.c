/*
 * fuzz_archive.c: the National Bank archive's HTML through
 * nbkr_archive_parse.  Invariants: on success every row has a real
 * calendar day and a value whose text (with '.') parses to the same
 * scaled value, and the row count is at most the number of date markers;
 * on failure there are no rows and a reason.
 */
#include <string.h>
#include <time.h>

#include "rates.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct archive_row *rows = NULL;
	const char *p = (const char *)data, *end = p + size, *q;
	char *cause = NULL, *why = NULL;
	size_t n = 0, i, marks = 0;
	int64_t v;
	int y, m, d;
	char day[16];

	for (q = p; (q = memmem(q, (size_t)(end - q), "<!--date-->", 11)) !=
	    NULL; q += 11)
		marks++;
	if (nbkr_archive_parse(p, size, &rows, &n, &cause) != 0) {
		CHECK(rows == NULL && n == 0 && cause != NULL,
		    "a failure with rows or without a reason");
		free(cause);
		return 0;
	}
	CHECK(n <= marks / 2, "%zu rows from %zu markers", n, marks);
	for (i = 0; i < n; i++) {
		snprintf(day, sizeof day, "%02d.%02d.%04d", rows[i].d,
		    rows[i].m, rows[i].y);
		CHECK(time_parse_date(day, strlen(day), "%d.%m.%Y", &y, &m, &d,
		    &why) == 0, "row %zu: %s", i, why);
		CHECK(dec_parse(rows[i].text, strlen(rows[i].text), &v, NULL,
		    &why) == 0, "row %zu: '%s': %s", i, rows[i].text, why);
		CHECK(v == rows[i].scaled, "row %zu: '%s' is %lld, not %lld",
		    i, rows[i].text, (long long)v, (long long)rows[i].scaled);
		CHECK(strchr(rows[i].text, ',') == NULL, "row %zu: a comma",
		    i);
	}
	free(rows);
	return 0;
}
