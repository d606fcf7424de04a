/*
 * fuzz_time.c: the time parsers of timefmt.c over arbitrary text, at a
 * fixed now in a fixed zone.  What they accept must be in range (a clock
 * within a day, an offset within ±14:59, a date a real day from 1970 to
 * 9999); a WHEN must print with time_format_iso and, from 1970 to 9999,
 * parse back from that print to the same second; a date must come back
 * from time_from_civil through gmtime_r; an offset back from
 * time_format_offset.  The text after the first newline is also read as a
 * date in the format before it.  Then the input's bytes, eight at a time,
 * are times for time_format_iso_fast and time_local_day, whose cache must
 * agree with time_format_iso and localtime_r.
 */
#include <string.h>
#include <time.h>

#include "rates.h"
#include "fuzz.h"

#define MAX_OFFSET (14 * 3600 + 59 * 60)
#define MAX_DURATION (1000LL * 366 * 86400)
/* 9999-12-30T23:59:59Z: a day before the end of year 9999, in any zone */
#define YEAR_9999_END ((time_t)253402214399)

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TZ", FUZZ_TZ, 1);
	tzset();
	return 0;
}

static int
year_of(time_t t)
{
	struct tm tm;

	CHECK(gmtime_r(&t, &tm) != NULL, "gmtime_r(%lld) failed",
	    (long long)t);
	return tm.tm_year + 1900;
}

/* A date in fmt: in range, and the same day back through gmtime_r. */
static void
check_date(const char *s, size_t len, const char *fmt)
{
	int y, m, d, r;
	char *cause = NULL;
	struct tm tm;
	time_t t;

	r = time_parse_date(s, len, fmt, &y, &m, &d, &cause);
	if (r != 0) {
		CHECK(r == -1 && cause != NULL, "time_parse_date failed with "
		    "%d and no cause", r);
		free(cause);
		return;
	}
	CHECK(y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= 31, "'%.*s' in '%s' gave %d-%d-%d", (int)len, s, fmt, y, m,
	    d);
	t = time_from_civil(y, m, d, 0, 0);
	CHECK(gmtime_r(&t, &tm) != NULL, "gmtime_r");
	CHECK(tm.tm_year + 1900 == y && tm.tm_mon + 1 == m && tm.tm_mday == d &&
	    tm.tm_hour == 0 && tm.tm_min == 0 && tm.tm_sec == 0,
	    "time_from_civil(%d, %d, %d) is %lld", y, m, d, (long long)t);
}

/*
 * time_parse_when2, and the round trip through both forms rates prints
 * (ISO 8601 and "2025-12-18 11:26 +06:00"): every time it prints reads
 * back as the same instant.
 */
static void
check_when(const char *s)
{
	struct when w;
	time_t t, back;
	char out[64], *cause = NULL;
	int r, utc, y, form;

	r = time_parse_when2(s, FUZZ_NOW, &w, &cause);
	if (r != 0) {
		CHECK(r == -1 && cause != NULL, "no cause");
		free(cause);
		return;
	}
	t = w.t;
	CHECK(w.span >= 1 && w.span <= 90000, "'%s': span %lld", s,
	    (long long)w.span);
	CHECK(!w.has_date || (w.m >= 1 && w.m <= 12 && w.d >= 1 &&
	    w.d <= 31), "'%s': date %d-%d-%d", s, w.y, w.m, w.d);
	y = year_of(t);
	for (utc = 0; utc <= 1; utc++) {
		for (form = 0; form <= 1; form++) {
			if (form == 0)
				time_format_iso(out, sizeof out, t, utc);
			else
				time_format(out, sizeof out, t, utc);
			if (y < 1971 || y > 9998)
				continue;
			if (time_parse_when(out, FUZZ_NOW, &back, &cause) != 0) {
				CHECK(0, "'%s' gave %lld, printed '%s', which "
				    "does not parse: %s", s, (long long)t, out,
				    cause);
			}
			CHECK(back == t, "'%s' gave %lld, printed '%s', which "
			    "parses to %lld", s, (long long)t, out,
			    (long long)back);
		}
	}
}

static void
check_durations(const char *s)
{
	long secs;
	long long ms;
	char *cause = NULL, out[64];
	size_t n;

	if (time_parse_duration(s, &secs, &cause) == 0) {
		CHECK(secs >= 0 && secs <= MAX_DURATION, "'%s' is %ld s", s,
		    secs);
		time_format_age(out, sizeof out, secs);
	} else {
		CHECK(cause != NULL, "no cause");
		free(cause);
		cause = NULL;
	}
	if (time_parse_duration_ms(s, &ms, &cause) == 0) {
		n = strlen(s);
		CHECK(ms >= 0, "'%s' is %lld ms", s, ms);
		if (n > 2 && strcmp(s + n - 2, "ms") == 0)
			CHECK(ms <= 999999999999LL, "'%s' is %lld ms", s, ms);
		else
			CHECK(ms <= MAX_DURATION * 1000, "'%s' is %lld ms", s,
			    ms);
	} else {
		CHECK(cause != NULL, "no cause");
		free(cause);
	}
}

/* Returns the offset parsed, or 6 hours when s is not one. */
static int
check_offset(const char *s)
{
	int off, back;
	char out[32], *cause = NULL;

	if (time_parse_offset(s, &off, &cause) != 0) {
		CHECK(cause != NULL, "no cause");
		free(cause);
		return 6 * 3600;
	}
	CHECK(off >= -MAX_OFFSET && off <= MAX_OFFSET && off % 60 == 0,
	    "'%s' is %d s", s, off);
	time_format_offset(out, sizeof out, off);
	CHECK(time_parse_offset(out, &back, &cause) == 0 && back == off,
	    "'%s' is %d s, printed '%s'", s, off, out);
	return off;
}

static void
check_clock(const char *s, size_t len, int offset)
{
	static const time_t refs[] = {FUZZ_NOW, 0, 86399, 1735689599};
	int secs;
	size_t i;
	time_t t;
	char *cause = NULL;

	if (time_parse_clock(s, len, &secs, &cause) != 0) {
		CHECK(cause != NULL, "no cause");
		free(cause);
		return;
	}
	CHECK(secs >= 0 && secs < 86400, "'%.*s' is %d s", (int)len, s, secs);
	for (i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		t = time_place_clock(secs, refs[i], offset);
		CHECK(llabs((long long)(t - refs[i])) <= 43200, "clock %d at "
		    "offset %d placed %lld s from %lld", secs, offset,
		    (long long)(t - refs[i]), (long long)refs[i]);
		CHECK(((t + offset) % 86400 + 86400) % 86400 == secs,
		    "clock %d placed at %lld", secs, (long long)t);
	}
}

/* Times from the raw bytes: the cached printers against the plain ones. */
static void
check_cache(const uint8_t *data, size_t size)
{
	struct time_cache cache[2];
	char fast[64], slow[64], day[32];
	uint64_t u;
	time_t t;
	size_t i;
	struct tm tm;
	long dn;
	int utc;

	memset(cache, 0, sizeof cache);
	for (i = 0; i + 8 <= size && i < 64 * 8; i += 8) {
		memcpy(&u, data + i, 8);
		utc = (int)(u & 1);
		/* Near the last time, or anywhere from 1970 to 9999. */
		if (u & 2)
			t = (time_t)((u >> 2) % (YEAR_9999_END + 1));
		else
			t = (time_t)(FUZZ_NOW + (int64_t)((u >> 2) % 200000) -
			    100000);
		(void)time_format_iso_fast(fast, t, utc, &cache[utc]);
		time_format_iso(slow, sizeof slow, t, utc);
		CHECK(strcmp(fast, slow) == 0, "time %lld (utc %d): fast '%s', "
		    "plain '%s'", (long long)t, utc, fast, slow);
		dn = time_local_day(t, utc, &cache[utc]);
		time_format_day(day, sizeof day, dn);
		CHECK(strncmp(day, slow, 10) == 0, "time %lld (utc %d): day "
		    "%ld is '%s', time is '%s'", (long long)t, utc, dn, day,
		    slow);
		if (utc)
			gmtime_r(&t, &tm);
		else
			localtime_r(&t, &tm);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const formats[] = {"%Y-%m-%d", "%d.%m.%Y",
	    "%e %m %Y", "%Y%%%m/%d", "%d %m %Y %%"};
	char *s, *nl;
	size_t i;
	int off;

	s = xstrndup((const char *)data, size);
	check_when(s);
	check_durations(s);
	off = check_offset(s);
	check_clock((const char *)data, size, off);
	check_clock(s, strlen(s), 0);
	for (i = 0; i < sizeof formats / sizeof formats[0]; i++)
		check_date((const char *)data, size, formats[i]);
	/* "FORMAT\nTEXT": a date in a format of the input's own. */
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		check_date(nl + 1, strlen(nl + 1), s);
	}
	check_cache(data, size);
	free(s);
	return 0;
}
