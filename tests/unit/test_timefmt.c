/*
 * test_timefmt.c: parsing and printing times (timefmt.c).  It covers UTC
 * offsets, clocks (00:00 to 23:59, nothing past), dates in the formats
 * "%Y-%m-%d" and "%d.%m.%Y" with real calendars (leap days), civil time to
 * UTC, placing a bare page clock on the day nearest to the fetch (across
 * midnight, month and year ends, at +06:00 and at other offsets), every
 * form of WHEN (dates, date-times with and without a zone, relative
 * durations, today, yesterday, now) in two local zones including a DST
 * change, and ISO 8601 and age printing.  Expected instants come from
 * timegm(), not from the code under test.  Local zones are set with
 * setenv("TZ")/tzset(); where the tz database is missing, equivalent POSIX
 * TZ strings are used.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rates.h"

#define H 3600
#define M 60

/* Use a zone from the tz database, or its POSIX equivalent. */
static void
set_tz(const char *zone, const char *posix)
{
	char path[256];

	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
	if (setenv("TZ", access(path, R_OK) == 0 ? zone : posix, 1) != 0)
		fail_msg("setenv TZ failed");
	tzset();
}

static void
tz_bishkek(void)
{
	set_tz("Asia/Bishkek", "<+06>-6");
}

static void
tz_new_york(void)
{
	set_tz("America/New_York", "EST5EDT,M3.2.0,M11.1.0");
}

static void
tz_kathmandu(void)
{
	set_tz("Asia/Kathmandu", "<+0545>-5:45");
}

/* A UTC instant, independently of timefmt.c. */
static time_t
utc(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return timegm(&tm);
}

static void
offset_ok(const char *s, int want)
{
	char *cause = NULL;
	int off = 12345;

	if (time_parse_offset(s, &off, &cause) != 0)
		fail_msg("time_parse_offset(\"%s\"): %s", s, cause);
	assert_int_equal(off, want);
}

static void
offset_bad(const char *s)
{
	char *cause = NULL;
	int off = 0;

	if (time_parse_offset(s, &off, &cause) == 0)
		fail_msg("time_parse_offset(\"%s\") accepted as %d", s, off);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "offset"));
	free(cause);
}

static void
test_parse_offset(void **state)
{
	(void)state;
	offset_ok("Z", 0);
	offset_ok("UTC", 0);
	offset_ok("+06:00", 6 * H);
	offset_ok("+0600", 6 * H);
	offset_ok("+06", 6 * H);
	offset_ok("-05:00", -5 * H);
	offset_ok("+05:45", 5 * H + 45 * M);
	offset_ok("-03:30", -(3 * H + 30 * M));
	offset_ok("+14:00", 14 * H);
	offset_ok("-00:00", 0);

	offset_bad("");
	offset_bad("06:00");
	offset_bad("+6");
	offset_bad("+6:00");
	offset_bad("+15:00");
	offset_bad("+06:60");
	offset_bad("+06:0");
	offset_bad("+06:");
	offset_bad("+06:00x");
	offset_bad("+06:00:00");
	offset_bad("GMT");
	offset_bad("z");
}

static void
clock_ok(const char *s, int want)
{
	char *cause = NULL;
	int secs = -1;

	if (time_parse_clock(s, strlen(s), &secs, &cause) != 0)
		fail_msg("time_parse_clock(\"%s\"): %s", s, cause);
	assert_int_equal(secs, want);
}

static void
clock_bad(const char *s)
{
	char *cause = NULL;
	int secs = 0;

	if (time_parse_clock(s, strlen(s), &secs, &cause) == 0)
		fail_msg("time_parse_clock(\"%s\") accepted as %d", s, secs);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "not a time of day"));
	free(cause);
}

static void
test_parse_clock(void **state)
{
	char *cause = NULL;
	int secs = -1;

	(void)state;
	clock_ok("00:00", 0);
	clock_ok("0:00", 0);
	clock_ok("9:05", 9 * H + 5 * M);
	clock_ok("11:26", 11 * H + 26 * M);
	clock_ok("23:59", 23 * H + 59 * M);
	clock_ok("11:26:30", 11 * H + 26 * M + 30);
	clock_ok("23:59:59", 86399);

	clock_bad("24:00");
	clock_bad("12:60");
	clock_bad("1:5");
	clock_bad("");
	clock_bad(":00");
	clock_bad("11:");
	clock_bad("11:26:60");
	clock_bad("11:26:");
	clock_bad("1126");
	clock_bad("11-26");
	clock_bad("11:26 ");
	clock_bad("111:26");
	clock_bad("11:2a");

	/* Only len bytes are read. */
	assert_int_equal(time_parse_clock("11:26\nUSD", 5, &secs, &cause), 0);
	assert_int_equal(secs, 11 * H + 26 * M);
}

static void
date_ok(const char *s, const char *fmt, int wy, int wm, int wd)
{
	char *cause = NULL;
	int y, m, d;

	if (time_parse_date(s, strlen(s), fmt, &y, &m, &d, &cause) != 0)
		fail_msg("time_parse_date(\"%s\", \"%s\"): %s", s, fmt, cause);
	assert_int_equal(y, wy);
	assert_int_equal(m, wm);
	assert_int_equal(d, wd);
}

static void
date_bad(const char *s, const char *fmt)
{
	char *cause = NULL;
	int y, m, d;

	if (time_parse_date(s, strlen(s), fmt, &y, &m, &d, &cause) == 0)
		fail_msg("time_parse_date(\"%s\", \"%s\") accepted it", s,
		    fmt);
	assert_non_null(cause);
	assert_true(strstr(cause, "not a date") != NULL ||
	    strstr(cause, "no day of the calendar") != NULL);
	free(cause);
}

static void
test_parse_date_iso(void **state)
{
	(void)state;
	date_ok("2025-12-18", "%Y-%m-%d", 2025, 12, 18);
	date_ok("2025-1-5", "%Y-%m-%d", 2025, 1, 5);
	date_ok("2024-02-29", "%Y-%m-%d", 2024, 2, 29);
	date_ok("2000-02-29", "%Y-%m-%d", 2000, 2, 29);
	date_ok("2025-12-31", "%Y-%m-%d", 2025, 12, 31);

	date_bad("2025-02-29", "%Y-%m-%d");
	date_bad("1900-02-29", "%Y-%m-%d");
	date_bad("2025-02-30", "%Y-%m-%d");
	date_bad("2024-02-30", "%Y-%m-%d");
	date_bad("2025-04-31", "%Y-%m-%d");
	date_bad("2025-13-01", "%Y-%m-%d");
	date_bad("2025-00-10", "%Y-%m-%d");
	date_bad("2025-12-00", "%Y-%m-%d");
	date_bad("2025-12-32", "%Y-%m-%d");
	date_bad("25-12-18", "%Y-%m-%d");
	date_bad("2025/12/18", "%Y-%m-%d");
	date_bad("2025-12-18 ", "%Y-%m-%d");
	date_bad("2025-12-180", "%Y-%m-%d");
	date_bad("", "%Y-%m-%d");
}

static void
test_parse_date_dotted(void **state)
{
	(void)state;
	date_ok("18.12.2025", "%d.%m.%Y", 2025, 12, 18);
	date_ok("1.2.2025", "%d.%m.%Y", 2025, 2, 1);
	date_ok("29.02.2024", "%d.%m.%Y", 2024, 2, 29);

	date_bad("29.02.2025", "%d.%m.%Y");
	date_bad("30.02.2024", "%d.%m.%Y");
	date_bad("31.04.2025", "%d.%m.%Y");
	date_bad("18-12-2025", "%d.%m.%Y");
	date_bad("2025-12-18", "%d.%m.%Y");
	date_bad("18.12.25", "%d.%m.%Y");

	/* A space in the format matches any run of white space. */
	date_ok("18 12\t 2025", "%d %m %Y", 2025, 12, 18);
	date_bad("18122025", "%d %m %Y");
}

static void
test_from_civil(void **state)
{
	(void)state;
	assert_int_equal(time_from_civil(1970, 1, 1, 0, 0), 0);
	/* The fixture's header: 2025-12-18 11:26 in Bishkek. */
	assert_int_equal(time_from_civil(2025, 12, 18, 11 * H + 26 * M, 6 * H),
	    1766035560);
	assert_int_equal(time_from_civil(2025, 12, 18, 11 * H + 26 * M, 0),
	    utc(2025, 12, 18, 11, 26, 0));
	assert_int_equal(time_from_civil(2025, 12, 18, 6 * H + 26 * M, -5 * H),
	    utc(2025, 12, 18, 11, 26, 0));
	assert_int_equal(time_from_civil(2024, 2, 29, 0, 0), 1709164800);
	/* Early on Jan 1 at +06:00 is still the old year in UTC. */
	assert_int_equal(time_from_civil(2026, 1, 1, 3 * H, 6 * H),
	    utc(2025, 12, 31, 21, 0, 0));
	assert_int_equal(time_from_civil(2025, 3, 1, 0, 5 * H + 45 * M),
	    utc(2025, 2, 28, 18, 15, 0));
}

static void
test_place_clock_bishkek(void **state)
{
	const int off = 6 * H;

	(void)state;
	/* 23:59 read at 00:01 the next day is yesterday's. */
	assert_int_equal(time_place_clock(23 * H + 59 * M,
	    utc(2025, 12, 18, 18, 1, 0), off), utc(2025, 12, 18, 17, 59, 0));
	/* 00:01 read at 23:59 (a clock ahead of ours) is tomorrow's. */
	assert_int_equal(time_place_clock(1 * M,
	    utc(2025, 12, 18, 17, 59, 0), off), utc(2025, 12, 18, 18, 1, 0));
	/* The same day, behind and ahead of the fetch. */
	assert_int_equal(time_place_clock(11 * H + 26 * M,
	    utc(2025, 12, 18, 5, 30, 0), off), utc(2025, 12, 18, 5, 26, 0));
	assert_int_equal(time_place_clock(11 * H + 30 * M,
	    utc(2025, 12, 18, 5, 26, 0), off), utc(2025, 12, 18, 5, 30, 0));
	/* The local day, not the UTC day: 02:00 on the 19th is 20:00Z. */
	assert_int_equal(time_place_clock(1 * H + 58 * M,
	    utc(2025, 12, 18, 20, 0, 0), off), utc(2025, 12, 18, 19, 58, 0));
	/* Year and month ends. */
	assert_int_equal(time_place_clock(23 * H + 59 * M,
	    utc(2025, 12, 31, 18, 1, 0), off), utc(2025, 12, 31, 17, 59, 0));
	assert_int_equal(time_place_clock(1 * M,
	    utc(2025, 12, 31, 17, 59, 0), off), utc(2025, 12, 31, 18, 1, 0));
	assert_int_equal(time_place_clock(23 * H + 58 * M,
	    utc(2024, 2, 29, 18, 2, 0), off), utc(2024, 2, 29, 17, 58, 0));
}

static void
test_place_clock_other_offsets(void **state)
{
	const int ny = -5 * H, np = 5 * H + 45 * M;

	(void)state;
	/* -05:00: local midnight is 05:00Z. */
	assert_int_equal(time_place_clock(23 * H + 59 * M,
	    utc(2025, 12, 19, 5, 1, 0), ny), utc(2025, 12, 19, 4, 59, 0));
	assert_int_equal(time_place_clock(1 * M,
	    utc(2025, 12, 19, 4, 59, 0), ny), utc(2025, 12, 19, 5, 1, 0));
	assert_int_equal(time_place_clock(11 * H + 26 * M,
	    utc(2025, 12, 18, 16, 30, 0), ny), utc(2025, 12, 18, 16, 26, 0));
	/* 20:00 local on the 18th is 01:00Z on the 19th. */
	assert_int_equal(time_place_clock(20 * H,
	    utc(2025, 12, 19, 1, 5, 0), ny), utc(2025, 12, 19, 1, 0, 0));
	/* +05:45: local midnight is 18:15Z. */
	assert_int_equal(time_place_clock(23 * H + 59 * M,
	    utc(2025, 12, 18, 18, 16, 0), np), utc(2025, 12, 18, 18, 14, 0));
	assert_int_equal(time_place_clock(1 * M,
	    utc(2025, 12, 18, 18, 14, 0), np), utc(2025, 12, 18, 18, 16, 0));
	assert_int_equal(time_place_clock(11 * H + 26 * M,
	    utc(2025, 12, 18, 5, 45, 0), np), utc(2025, 12, 18, 5, 41, 0));
	/* UTC itself. */
	assert_int_equal(time_place_clock(23 * H + 59 * M,
	    utc(2026, 1, 1, 0, 1, 0), 0), utc(2025, 12, 31, 23, 59, 0));
}

static void
when_ok(const char *s, time_t now, time_t want)
{
	char *cause = NULL;
	time_t t = (time_t)-1;

	if (time_parse_when(s, now, &t, &cause) != 0)
		fail_msg("time_parse_when(\"%s\"): %s", s, cause);
	if (t != want)
		fail_msg("time_parse_when(\"%s\") = %lld, want %lld (%+lld s)",
		    s, (long long)t, (long long)want,
		    (long long)(t - want));
}

static void
when_bad(const char *s)
{
	char *cause = NULL;
	time_t t = 0;

	if (time_parse_when(s, utc(2025, 12, 18, 5, 26, 0), &t, &cause) == 0)
		fail_msg("time_parse_when(\"%s\") accepted as %lld", s,
		    (long long)t);
	assert_non_null(cause);
	assert_non_null(strstr(cause, s));
	free(cause);
}

/* Zoned forms do not depend on TZ. */
static void
test_when_zoned(void **state)
{
	const time_t now = utc(2025, 12, 18, 5, 26, 0);
	int i;

	(void)state;
	for (i = 0; i < 2; i++) {
		if (i == 0)
			tz_new_york();
		else
			tz_bishkek();
		when_ok("2025-12-01T10:00Z", now, utc(2025, 12, 1, 10, 0, 0));
		when_ok("2025-12-01 10:00Z", now, utc(2025, 12, 1, 10, 0, 0));
		when_ok("2025-12-01T10:00+06:00", now,
		    utc(2025, 12, 1, 4, 0, 0));
		when_ok("2025-12-01 10:00+06:00", now,
		    utc(2025, 12, 1, 4, 0, 0));
		when_ok("2025-12-01T10:00-03:30", now,
		    utc(2025, 12, 1, 13, 30, 0));
		when_ok("2025-12-01T10:00:30Z", now,
		    utc(2025, 12, 1, 10, 0, 30));
		when_ok("2025-12-01Z", now, utc(2025, 12, 1, 0, 0, 0));
		when_ok("2025-12-01+06:00", now, utc(2025, 11, 30, 18, 0, 0));
		when_ok("2026-01-01T02:00+06:00", now,
		    utc(2025, 12, 31, 20, 0, 0));
	}
}

static void
test_when_local_bishkek(void **state)
{
	const time_t now = utc(2025, 12, 18, 5, 26, 0);

	(void)state;
	tz_bishkek();
	when_ok("2025-12-01", now, utc(2025, 11, 30, 18, 0, 0));
	when_ok("2025-12-01T10:00", now, utc(2025, 12, 1, 4, 0, 0));
	when_ok("2025-12-01 10:00", now, utc(2025, 12, 1, 4, 0, 0));
	when_ok("2025-12-01 10:00:30", now, utc(2025, 12, 1, 4, 0, 30));
	when_ok("2024-02-29", now, utc(2024, 2, 28, 18, 0, 0));
}

static void
test_when_local_new_york(void **state)
{
	const time_t now = utc(2025, 12, 18, 5, 26, 0);

	(void)state;
	tz_new_york();
	when_ok("2025-12-01", now, utc(2025, 12, 1, 5, 0, 0));
	when_ok("2025-12-01T10:00", now, utc(2025, 12, 1, 15, 0, 0));
	when_ok("2025-12-01 10:00", now, utc(2025, 12, 1, 15, 0, 0));
	/* Summer time: -04:00. */
	when_ok("2025-07-01T10:00", now, utc(2025, 7, 1, 14, 0, 0));
	when_ok("2025-07-01", now, utc(2025, 7, 1, 4, 0, 0));
}

static void
test_when_relative(void **state)
{
	const time_t now = utc(2025, 12, 3, 10, 0, 0);

	(void)state;
	tz_bishkek();
	when_ok("now", now, now);
	when_ok("90m", now, now - 90 * M);
	when_ok("36h", now, now - 36 * H);
	when_ok("7d", now, now - 7 * 86400);
	when_ok("30s", now, now - 30);
	/* Two weeks back crosses the end of November. */
	when_ok("2w", now, utc(2025, 11, 19, 10, 0, 0));
	when_ok("7d", utc(2026, 1, 3, 0, 0, 0), utc(2025, 12, 27, 0, 0, 0));
	/* Relative forms are the same in every zone. */
	tz_new_york();
	when_ok("36h", now, now - 36 * H);
	when_ok("2w", now, utc(2025, 11, 19, 10, 0, 0));
}

static void
test_when_today_yesterday(void **state)
{
	time_t now;

	(void)state;
	tz_bishkek();
	/* 11:26 in Bishkek on the 18th. */
	now = utc(2025, 12, 18, 5, 26, 0);
	when_ok("today", now, utc(2025, 12, 17, 18, 0, 0));
	when_ok("yesterday", now, utc(2025, 12, 16, 18, 0, 0));
	/* 01:00 on the 19th in Bishkek, still the 18th in UTC. */
	now = utc(2025, 12, 18, 19, 0, 0);
	when_ok("today", now, utc(2025, 12, 18, 18, 0, 0));
	when_ok("yesterday", now, utc(2025, 12, 17, 18, 0, 0));
	/* Yesterday on Jan 1 is Dec 31 of the year before. */
	now = utc(2026, 1, 1, 6, 0, 0);
	when_ok("today", now, utc(2025, 12, 31, 18, 0, 0));
	when_ok("yesterday", now, utc(2025, 12, 30, 18, 0, 0));
	/* Yesterday on Mar 1 of a leap year is Feb 29. */
	now = utc(2024, 3, 1, 6, 0, 0);
	when_ok("yesterday", now, utc(2024, 2, 28, 18, 0, 0));

	tz_new_york();
	now = utc(2026, 1, 1, 17, 0, 0);
	when_ok("today", now, utc(2026, 1, 1, 5, 0, 0));
	when_ok("yesterday", now, utc(2025, 12, 31, 5, 0, 0));
	/* Across the spring DST change: the 9th began at -05:00. */
	now = utc(2025, 3, 10, 16, 0, 0);
	when_ok("today", now, utc(2025, 3, 10, 4, 0, 0));
	when_ok("yesterday", now, utc(2025, 3, 9, 5, 0, 0));
}

/*
 * Every form rates prints reads back, 1y is a calendar year, and the span
 * of what is named (a day in its zone, a minute, a second) is what
 * --until adds; the day as written is kept for a clock to go on.
 */
static void
test_when_printed_forms_and_spans(void **state)
{
	const time_t now = utc(2025, 12, 18, 5, 26, 0);
	struct when w;
	char *cause = NULL;

	(void)state;
	tz_new_york();
	when_ok("2025-12-18 11:26 +06:00", now, utc(2025, 12, 18, 5, 26, 0));
	when_ok("2025-12-18 11:26:05 +06:00", now, utc(2025, 12, 18, 5, 26, 5));
	when_ok("2025-12-18 05:26 UTC", now, utc(2025, 12, 18, 5, 26, 0));
	when_ok("2025-12-18T11:26:00+06:00", now, utc(2025, 12, 18, 5, 26, 0));
	when_ok("2025-12-18T05:26:00Z", now, utc(2025, 12, 18, 5, 26, 0));
	when_ok("2025-12-18 +06:00", now, utc(2025, 12, 17, 18, 0, 0));
	when_ok("1y", now, utc(2024, 12, 18, 5, 26, 0));
	when_bad("1000y");

	assert_int_equal(time_parse_when2("2025-12-18Z", now, &w, &cause), 0);
	assert_int_equal(w.span, 86400);
	assert_true(w.has_date);
	assert_int_equal(w.d, 18);
	assert_int_equal(time_parse_when2("2025-12-18 10:00", now, &w,
	    &cause), 0);
	assert_int_equal(w.span, 60);
	assert_int_equal(time_parse_when2("2025-12-18 10:00:00", now, &w,
	    &cause), 0);
	assert_int_equal(w.span, 1);
	/* A local day across the autumn change lasts 25 hours. */
	assert_int_equal(time_parse_when2("2025-11-02", now, &w, &cause), 0);
	assert_int_equal(w.span, 25 * 3600);
	/* The day written, whatever TZ says of the instant. */
	assert_int_equal(time_parse_when2("2025-12-18T02:00+06:00", now, &w,
	    &cause), 0);
	assert_true(w.has_date);
	assert_int_equal(w.y * 10000 + w.m * 100 + w.d, 20251218);
	assert_int_equal(time_parse_when2("7d", now, &w, &cause), 0);
	assert_false(w.has_date);
	assert_int_equal(w.span, 1);
}

static void
test_when_bad(void **state)
{
	(void)state;
	tz_bishkek();
	when_bad("");
	when_bad("2025-13-01");
	when_bad("2025-02-29");
	when_bad("2025-12-32");
	when_bad("7x");
	when_bad("x7d");
	when_bad("-7d");
	when_bad("7dd");
	when_bad("d");
	when_bad("2025-12-01T25:00");
	when_bad("2025-12-01T10:60");
	when_bad("2025-12-01T");
	when_bad("2025-12-01T10");
	when_bad("2025-12-01T10:00+25:00");
	when_bad("2025-12-01T10:00junk");
	when_bad("2025-12-1");
	when_bad("25-12-01");
	when_bad("Today");
	when_bad("yesterday ");
	when_bad("tomorrow");
}

static void
test_format_iso(void **state)
{
	const time_t t = utc(2025, 12, 18, 5, 26, 0);
	char out[64];

	(void)state;
	tz_bishkek();
	time_format_iso(out, sizeof out, t, 1);
	assert_string_equal(out, "2025-12-18T05:26:00Z");
	time_format_iso(out, sizeof out, t + 7, 1);
	assert_string_equal(out, "2025-12-18T05:26:07Z");
	time_format_iso(out, sizeof out, t, 0);
	assert_string_equal(out, "2025-12-18T11:26:00+06:00");
	time_format_iso(out, sizeof out, utc(2025, 12, 31, 18, 30, 0), 0);
	assert_string_equal(out, "2026-01-01T00:30:00+06:00");

	tz_new_york();
	time_format_iso(out, sizeof out, t, 0);
	assert_string_equal(out, "2025-12-18T00:26:00-05:00");
	time_format_iso(out, sizeof out, utc(2025, 7, 1, 14, 0, 0), 0);
	assert_string_equal(out, "2025-07-01T10:00:00-04:00");
	time_format_iso(out, sizeof out, t, 1);
	assert_string_equal(out, "2025-12-18T05:26:00Z");

	tz_kathmandu();
	time_format_iso(out, sizeof out, t, 0);
	assert_string_equal(out, "2025-12-18T11:11:00+05:45");
}

static void
test_format_age(void **state)
{
	char out[32];

	(void)state;
	time_format_age(out, sizeof out, 45);
	assert_string_equal(out, "45s");
	time_format_age(out, sizeof out, 59);
	assert_string_equal(out, "59s");
	time_format_age(out, sizeof out, 60);
	assert_string_equal(out, "1m");
	time_format_age(out, sizeof out, 12 * M + 59);
	assert_string_equal(out, "12m");
	time_format_age(out, sizeof out, 3599);
	assert_string_equal(out, "59m");
	time_format_age(out, sizeof out, 3600);
	assert_string_equal(out, "1h 0m");
	time_format_age(out, sizeof out, 3 * H + 5 * M + 10);
	assert_string_equal(out, "3h 5m");
	time_format_age(out, sizeof out, 86399);
	assert_string_equal(out, "23h 59m");
	time_format_age(out, sizeof out, 86400);
	assert_string_equal(out, "1d 0h");
	time_format_age(out, sizeof out, 2 * 86400 + 4 * H + 59 * M);
	assert_string_equal(out, "2d 4h");
	time_format_age(out, sizeof out, 400L * 86400);
	assert_string_equal(out, "400d 0h");
	time_format_age(out, sizeof out, -5);
	assert_string_equal(out, "in the future");
}

/* Durations (interval, timeout) and printed offsets, used by config. */
static void
test_duration_and_offset(void **state)
{
	char out[16], *cause = NULL;
	long secs = 0;

	(void)state;
	assert_int_equal(time_parse_duration("30s", &secs, &cause), 0);
	assert_int_equal(secs, 30);
	assert_int_equal(time_parse_duration("10m", &secs, &cause), 0);
	assert_int_equal(secs, 600);
	assert_int_equal(time_parse_duration("1h", &secs, &cause), 0);
	assert_int_equal(secs, 3600);
	assert_int_equal(time_parse_duration("2w", &secs, &cause), 0);
	assert_int_equal(secs, 14 * 86400);
	assert_int_equal(time_parse_duration("45", &secs, &cause), 0);
	assert_int_equal(secs, 45);
	assert_int_equal(time_parse_duration("10x", &secs, &cause), -1);
	assert_non_null(strstr(cause, "10x"));
	free(cause);
	cause = NULL;
	assert_int_equal(time_parse_duration("", &secs, &cause), -1);
	free(cause);
	cause = NULL;
	assert_int_equal(time_parse_duration("99999999999999999999s", &secs,
	    &cause), -1);
	free(cause);

	time_format_offset(out, sizeof out, 6 * H);
	assert_string_equal(out, "+06:00");
	time_format_offset(out, sizeof out, -(3 * H + 30 * M));
	assert_string_equal(out, "-03:30");
	time_format_offset(out, sizeof out, 0);
	assert_string_equal(out, "+00:00");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_offset),
		cmocka_unit_test(test_parse_clock),
		cmocka_unit_test(test_parse_date_iso),
		cmocka_unit_test(test_parse_date_dotted),
		cmocka_unit_test(test_from_civil),
		cmocka_unit_test(test_place_clock_bishkek),
		cmocka_unit_test(test_place_clock_other_offsets),
		cmocka_unit_test(test_when_zoned),
		cmocka_unit_test(test_when_local_bishkek),
		cmocka_unit_test(test_when_local_new_york),
		cmocka_unit_test(test_when_relative),
		cmocka_unit_test(test_when_today_yesterday),
		cmocka_unit_test(test_when_printed_forms_and_spans),
		cmocka_unit_test(test_when_bad),
		cmocka_unit_test(test_format_iso),
		cmocka_unit_test(test_format_age),
		cmocka_unit_test(test_duration_and_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
