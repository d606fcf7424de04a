/*
 * timefmt.c: parsing and printing times.  Storage is UTC seconds; pages
 * speak in their source's fixed offset; people speak in the local zone
 * (TZ).  Calendar arithmetic is done here with civil-day formulas so that
 * it does not depend on the process time zone.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

static int
valid_date(int y, int m, int d)
{
	return y >= 1970 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= days_in_month(y, m);
}

/* Read exactly n digits. */
static int
digits(const char **pp, const char *end, int n, int *out)
{
	const char *p = *pp;
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (p >= end || !isdigit((unsigned char)*p))
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	*pp = p;
	*out = v;
	return 0;
}

/* Read one or two digits. */
static int
digits12(const char **pp, const char *end, int *out)
{
	if (digits(pp, end, 2, out) == 0)
		return 0;
	return digits(pp, end, 1, out);
}

/* Parse "Z", "UTC", "+06:00", "+0600", "+06" into seconds east of UTC. */
int
time_parse_offset(const char *s, int *out, char **cause)
{
	const char *p = s, *end = s + strlen(s);
	int h, m = 0, sign;

	if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0) {
		*out = 0;
		return 0;
	}
	if (*p != '+' && *p != '-')
		goto bad;
	sign = *p++ == '-' ? -1 : 1;
	if (digits(&p, end, 2, &h) != 0)
		goto bad;
	if (*p == ':') {
		p++;
		if (digits(&p, end, 2, &m) != 0)
			goto bad;
	} else if (p != end && digits(&p, end, 2, &m) != 0)
		goto bad;
	if (p != end || h > 14 || m > 59)
		goto bad;
	*out = sign * (h * 3600 + m * 60);
	return 0;
bad:
	*cause = xasprintf("bad UTC offset '%s' (expected like +06:00)", s);
	return -1;
}

/* Parse a clock "HH:MM" or "HH:MM:SS" into seconds since midnight. */
int
time_parse_clock(const char *s, size_t len, int *out, char **cause)
{
	const char *p = s, *end = s + len;
	int h, m, sec = 0;

	if (digits12(&p, end, &h) != 0 || p >= end || *p++ != ':' ||
	    digits(&p, end, 2, &m) != 0)
		goto bad;
	if (p < end && *p == ':') {
		p++;
		if (digits(&p, end, 2, &sec) != 0)
			goto bad;
	}
	if (p != end || h > 23 || m > 59 || sec > 59)
		goto bad;
	*out = h * 3600 + m * 60 + sec;
	return 0;
bad:
	*cause = xasprintf("'%.*s' is not a time of day", (int)len, s);
	return -1;
}

/*
 * Parse a date by a small strptime-like format: %Y (four digits), %m, %d
 * (one or two digits), a space matches any run of white space, anything
 * else matches itself.
 */
int
time_parse_date(const char *s, size_t len, const char *fmt, int *y, int *m,
    int *d, char **cause)
{
	const char *p = s, *end = s + len, *f;
	int ok = 0;

	*y = *m = *d = 0;
	for (f = fmt; *f != '\0'; f++) {
		if (*f == '%' && f[1] != '\0') {
			f++;
			if (*f == 'Y')
				ok = digits(&p, end, 4, y) == 0;
			else if (*f == 'm')
				ok = digits12(&p, end, m) == 0;
			else if (*f == 'd' || *f == 'e')
				ok = digits12(&p, end, d) == 0;
			else if (*f == '%')
				ok = p < end && *p++ == '%';
			else
				ok = 0;
		} else if (isspace((unsigned char)*f)) {
			ok = p < end && isspace((unsigned char)*p);
			while (p < end && isspace((unsigned char)*p))
				p++;
		} else
			ok = p < end && *p++ == *f;
		if (!ok)
			break;
	}
	if (ok && p == end && !valid_date(*y, *m, *d)) {
		*cause = xasprintf("'%.*s' is no day of the calendar (or before "
		    "1970)", (int)len, s);
		return -1;
	}
	if (!ok || p != end) {
		*cause = xasprintf("'%.*s' is not a date of the form '%s'",
		    (int)len, s, fmt);
		return -1;
	}
	return 0;
}

/* UTC seconds of a civil date and time at a fixed offset. */
time_t
time_from_civil(int y, int m, int d, int secs, int offset)
{
	return (time_t)(days_from_civil(y, m, d) * 86400 + secs - offset);
}

/*
 * Place a clock reading (seconds since midnight at offset) on the day that
 * puts it nearest to ref: 23:59 read at 00:01 is yesterday's.
 */
time_t
time_place_clock(int secs, time_t ref, int offset)
{
	int64_t local = (int64_t)ref + offset, day, t, best, c;
	int i;

	day = local - ((local % 86400) + 86400) % 86400;
	best = day + secs;
	for (i = -1; i <= 1; i += 2) {
		c = day + (int64_t)i * 86400 + secs;
		if (llabs((long long)(c - local)) <
		    llabs((long long)(best - local)))
			best = c;
	}
	t = best - offset;
	return (time_t)t;
}

/* Local midnight of the day containing now, days days away. */
static time_t
local_midnight(time_t now, int days)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday += days;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

/*
 * Parse a duration "30s", "10m", "1h", "2d", "1w" (or plain seconds) into
 * seconds.
 */
int
time_parse_duration(const char *s, long *out, char **cause)
{
	char *end;
	unsigned long long n;
	long unit = 1;

	if (!isdigit((unsigned char)*s))
		goto bad;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0 || n > 100000000ULL)
		goto bad;
	if (*end != '\0') {
		if (end[1] != '\0')
			goto bad;
		switch (*end) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		case 'w': unit = 7 * 86400; break;
		default: goto bad;
		}
	}
	if (n > (unsigned long long)(LONG_MAX / unit) || n * unit > 1000LL * 366 * 86400)
		goto bad;
	*out = (long)n * unit;
	return 0;
bad:
	*cause = xasprintf("bad duration '%s' (expected like 30s, 10m, 1h)", s);
	return -1;
}

/* A duration that may also be in milliseconds ("500ms"), in ms. */
int
time_parse_duration_ms(const char *s, long long *out, char **cause)
{
	size_t n = strlen(s);
	char *copy, *end;
	long secs;
	unsigned long long v;

	if (n > 2 && strcmp(s + n - 2, "ms") == 0 &&
	    strspn(s, "0123456789") == n - 2 && n - 2 <= 12) {
		copy = xstrndup(s, n - 2);
		v = strtoull(copy, &end, 10);
		free(copy);
		*out = (long long)v;
		return 0;
	}
	if (time_parse_duration(s, &secs, cause) != 0)
		return -1;
	*out = (long long)secs * 1000;
	return 0;
}

/* Skip white space. */
static const char *
skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p;
}

/*
 * Parse WHEN into w: 2025-12-01, 2025-12-01T10:00, 2025-12-01 10:00[:SS],
 * each with an optional zone (Z, UTC, +06:00, +0600, +06, with or without
 * a space before it; else local time), so that every time rates prints
 * reads back; 90m, 36h, 7d, 2w, 1y before now; today, yesterday (local
 * midnight); now.  w->t is the instant; w->span how long the thing named
 * lasts (a day, a minute, a second), so that --until can mean its end;
 * w->has_date and w->y, m, d the calendar day as written (or the local
 * day of today and yesterday), for a clock that must go on that day.
 */
int
time_parse_when2(const char *s, time_t now, struct when *w, char **cause)
{
	const char *p = s, *end = s + strlen(s), *t;
	int y, m, d, secs = 0, offset = 0, zoned = 0;
	long dur;
	char *c2, zone[16];
	struct tm tm;
	size_t n;

	memset(w, 0, sizeof *w);
	w->span = 1;
	if (strcmp(s, "now") == 0) {
		w->t = now;
		return 0;
	}
	if (strcmp(s, "today") == 0 || strcmp(s, "yesterday") == 0) {
		w->t = local_midnight(now, s[0] == 't' ? 0 : -1);
		w->span = local_midnight(w->t, 1) - w->t;
		localtime_r(&w->t, &tm);
		w->has_date = 1;
		w->y = tm.tm_year + 1900;
		w->m = tm.tm_mon + 1;
		w->d = tm.tm_mday;
		return 0;
	}
	n = strspn(s, "0123456789");
	if (n > 0 && end - s == (ptrdiff_t)n + 1 && end[-1] == 'y') {
		/* Calendar years: the same local date and time, years ago. */
		if (n > 3)
			goto bad;
		localtime_r(&now, &tm);
		tm.tm_year -= atoi(s);
		tm.tm_isdst = -1;
		w->t = mktime(&tm);
		return 0;
	}
	if (*s != '\0' && strchr("smhdw", end[-1]) != NULL &&
	    n == (size_t)(end - s - 1) && end - s > 1) {
		if (time_parse_duration(s, &dur, &c2) != 0) {
			free(c2);
			goto bad;
		}
		w->t = now - dur;
		return 0;
	}
	if (digits(&p, end, 4, &y) != 0 || p >= end || *p++ != '-' ||
	    digits(&p, end, 2, &m) != 0 || p >= end || *p++ != '-' ||
	    digits(&p, end, 2, &d) != 0 || !valid_date(y, m, d))
		goto bad;
	w->span = 86400;
	if (p < end && (*p == 'T' || *p == ' ') && p + 1 < end &&
	    isdigit((unsigned char)p[1])) {
		t = ++p;
		while (p < end && (isdigit((unsigned char)*p) || *p == ':'))
			p++;
		if (time_parse_clock(t, (size_t)(p - t), &secs, &c2) != 0) {
			free(c2);
			goto bad;
		}
		w->span = p - t > 5 ? 1 : 60;
	}
	p = skip_space(p, end);
	if (p < end) {
		if ((size_t)(end - p) >= sizeof zone)
			goto bad;
		memcpy(zone, p, (size_t)(end - p));
		zone[end - p] = '\0';
		if (time_parse_offset(zone, &offset, &c2) != 0) {
			free(c2);
			goto bad;
		}
		zoned = 1;
	}
	w->has_date = 1;
	w->y = y;
	w->m = m;
	w->d = d;
	if (zoned) {
		w->t = time_from_civil(y, m, d, secs, offset);
		return 0;
	}
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = secs / 3600;
	tm.tm_min = secs / 60 % 60;
	tm.tm_sec = secs % 60;
	tm.tm_isdst = -1;
	w->t = mktime(&tm);
	if (w->span == 86400) {
		/* A local day is not always 24 hours long. */
		tm.tm_mday++;
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_isdst = -1;
		w->span = mktime(&tm) - w->t;
	}
	return 0;
bad:
	*cause = xasprintf("bad time '%s' (expected 2025-12-01, "
	    "2025-12-01T10:00, 2025-12-01 10:00 +06:00 (or Z, UTC), 90m, 36h, "
	    "7d, 2w, 1y, today, yesterday or now)", s);
	return -1;
}

/* WHEN as an instant (see time_parse_when2). */
int
time_parse_when(const char *s, time_t now, time_t *out, char **cause)
{
	struct when w;

	if (time_parse_when2(s, now, &w, cause) != 0)
		return -1;
	*out = w.t;
	return 0;
}

void
time_format_offset(char *out, size_t size, int off)
{
	int a = off < 0 ? -off : off;

	snprintf(out, size, "%c%02d:%02d", off < 0 ? '-' : '+', a / 3600,
	    a / 60 % 60);
}

static void
split(time_t t, int utc, struct tm *tm, char *zone, size_t zsize)
{
	if (utc) {
		gmtime_r(&t, tm);
		snprintf(zone, zsize, "Z");
	} else {
		localtime_r(&t, tm);
		time_format_offset(zone, zsize, (int)tm->tm_gmtoff);
	}
}

/* "2025-12-18 11:26 +06:00" (seconds shown only when not zero). */
void
time_format(char *out, size_t size, time_t t, int utc)
{
	struct tm tm;
	char zone[16];

	split(t, utc, &tm, zone, sizeof zone);
	if (utc)
		snprintf(zone, sizeof zone, "UTC");
	if (tm.tm_sec != 0)
		snprintf(out, size, "%04d-%02d-%02d %02d:%02d:%02d %s",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, zone);
	else
		snprintf(out, size, "%04d-%02d-%02d %02d:%02d %s",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, zone);
}

/* ISO 8601: "2025-12-18T11:26:00+06:00", or "…Z" in UTC. */
void
time_format_iso(char *out, size_t size, time_t t, int utc)
{
	struct tm tm;
	char zone[16];

	split(t, utc, &tm, zone, sizeof zone);
	snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d%s",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, zone);
}

/* An age for people: "45s", "12m", "3h 5m", "2d 4h". */
void
time_format_age(char *out, size_t size, long secs)
{
	if (secs < 0)
		snprintf(out, size, "in the future");
	else if (secs < 60)
		snprintf(out, size, "%lds", secs);
	else if (secs < 3600)
		snprintf(out, size, "%ldm", secs / 60);
	else if (secs < 86400)
		snprintf(out, size, "%ldh %ldm", secs / 3600, secs / 60 % 60);
	else
		snprintf(out, size, "%ldd %ldh", secs / 86400,
		    secs / 3600 % 24);
}

static char *
put2(char *p, int v)
{
	*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

/*
 * The broken-down local (or UTC) time of t, through a cache: the zone is
 * asked once per quarter of an hour, as every zone's offset changes only
 * on a quarter hour, and the rest is arithmetic.  For long exports.
 */
static void
cached_tm(struct time_cache *c, time_t t, int utc, struct tm *tm)
{
	time_t base = t - ((t % 900) + 900) % 900;
	int d = (int)(t - base);

	if (!c->valid || c->base != base || c->utc != utc) {
		if (utc)
			gmtime_r(&base, &c->tm);
		else
			localtime_r(&base, &c->tm);
		c->base = base;
		c->utc = utc;
		c->valid = 1;
	}
	*tm = c->tm;
	tm->tm_sec += d;
	tm->tm_min += tm->tm_sec / 60;
	tm->tm_sec %= 60;
	if (tm->tm_min >= 60) {
		/* An offset that is not whole minutes: ask the zone. */
		if (utc)
			gmtime_r(&t, tm);
		else
			localtime_r(&t, tm);
	}
}

/* ISO 8601 through the cache: "2025-12-18T11:26:00+06:00"; returns length. */
size_t
time_format_iso_fast(char *out, time_t t, int utc, struct time_cache *c)
{
	struct tm tm;
	char *p = out;
	long off;
	int y;

	cached_tm(c, t, utc, &tm);
	y = tm.tm_year + 1900;
	p = put2(p, y / 100);
	p = put2(p, y % 100);
	*p++ = '-';
	p = put2(p, tm.tm_mon + 1);
	*p++ = '-';
	p = put2(p, tm.tm_mday);
	*p++ = 'T';
	p = put2(p, tm.tm_hour);
	*p++ = ':';
	p = put2(p, tm.tm_min);
	*p++ = ':';
	p = put2(p, tm.tm_sec);
	if (utc)
		*p++ = 'Z';
	else {
		off = tm.tm_gmtoff;
		*p++ = off < 0 ? '-' : '+';
		if (off < 0)
			off = -off;
		p = put2(p, (int)(off / 3600));
		*p++ = ':';
		p = put2(p, (int)(off / 60 % 60));
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* Milliseconds on the monotonic clock: for intervals, never for dates. */
long
time_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The local (or UTC) calendar day of t as days since 1970-01-01. */
long
time_local_day(time_t t, int utc, struct time_cache *c)
{
	struct tm tm;

	cached_tm(c, t, utc, &tm);
	return (long)days_from_civil(tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}

/* "2025-12-18" of a day number. */
void
time_format_day(char *out, size_t size, long day)
{
	time_t t = (time_t)day * 86400;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}
