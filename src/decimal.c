/*
 * decimal.c: rates as exact decimals.  A rate is kept as the text the page
 * published and as a 64-bit integer scaled by 10^6; binary floating point is
 * never involved, so 87.45 stays 87.45 and 1.10 keeps its zero.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

/*
 * Parse "87.45", "87,45", "1.10", "87,4500", "+3", "-0.5" (a sign is parsed
 * so that the caller can reject the value by its sign, with that reason).
 * Returns the scaled value and, in *norm, the text with '.' as decimal mark.
 */
int
dec_parse(const char *s, size_t len, int64_t *out, char **norm, char **cause)
{
	const char *p = s, *end = s + len;
	int64_t v = 0;
	int neg = 0, nint = 0, nfrac = 0;
	struct buf b = BUF_INIT;

	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	if (p == end) {
		*cause = xstrdup("empty number");
		return -1;
	}
	if (*p == '+' || *p == '-') {
		neg = (*p == '-');
		if (neg)
			buf_addc(&b, '-');
		p++;
	}
	for (; p < end && isdigit((unsigned char)*p); p++) {
		if (nint == 0 && *p == '0' && p + 1 < end &&
		    isdigit((unsigned char)p[1]))
			continue; /* leading zero */
		if (++nint > DEC_MAX_INT)
			goto toolong;
		v = v * 10 + (*p - '0');
		buf_addc(&b, *p);
	}
	if (nint == 0)
		goto bad;
	if (p < end && (*p == '.' || *p == ',')) {
		p++;
		if (p == end)
			goto bad;
		buf_addc(&b, '.');
		for (; p < end && isdigit((unsigned char)*p); p++) {
			nfrac++;
			if (nfrac > DEC_FRAC) {
				if (*p != '0') {
					*cause = xasprintf("'%.*s' has more "
					    "than %d decimal places", (int)len,
					    s, DEC_FRAC);
					buf_release(&b);
					return -1;
				}
			} else
				v = v * 10 + (*p - '0');
			buf_addc(&b, *p);
		}
		if (nfrac == 0)
			goto bad;
	}
	if (p != end)
		goto bad;
	for (; nfrac < DEC_FRAC; nfrac++)
		v *= 10;
	*out = neg ? -v : v;
	if (norm != NULL)
		*norm = buf_detach(&b);
	buf_release(&b);
	return 0;

toolong:
	*cause = xasprintf("'%.*s' is too large", (int)len, s);
	buf_release(&b);
	return -1;
bad:
	*cause = xasprintf("'%.*s' is not a number", (int)len, s);
	buf_release(&b);
	return -1;
}

/* Number of digits after the decimal mark of a published rate. */
int
dec_frac_digits(const char *s)
{
	const char *p;
	int n = 0;

	if ((p = strpbrk(s, ".,")) == NULL)
		return 0;
	for (p++; isdigit((unsigned char)*p); p++)
		n++;
	return n > DEC_FRAC ? DEC_FRAC : n;
}

/* Print a scaled value with frac decimal places (and '+' if plus). */
void
dec_format(char *out, size_t size, int64_t v, int frac, int plus)
{
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t ip = a / DEC_SCALE, fp = a % DEC_SCALE;
	const char *sign = v < 0 ? "-" : (plus && v > 0 ? "+" : "");
	int i;

	if (frac < 0)
		frac = 0;
	if (frac > DEC_FRAC)
		frac = DEC_FRAC;
	for (i = frac; i < DEC_FRAC; i++)
		fp /= 10;
	if (frac == 0)
		snprintf(out, size, "%s%llu", sign, (unsigned long long)ip);
	else
		snprintf(out, size, "%s%llu.%0*llu", sign,
		    (unsigned long long)ip, frac, (unsigned long long)fp);
}

/* Print a scaled value with no more decimals than it needs: 2.555, 50. */
void
dec_format_short(char *out, size_t size, int64_t v)
{
	int64_t t = v;
	int frac = DEC_FRAC;

	while (frac > 0 && t % 10 == 0) {
		t /= 10;
		frac--;
	}
	dec_format(out, size, v, frac, 0);
}

/* Print 100 × diff / base with two decimals, rounded half away from zero. */
void
dec_percent(char *out, size_t size, int64_t diff, int64_t base)
{
	__int128 num = (__int128)diff * 10000, q;
	unsigned __int128 a;

	if (base == 0) {
		snprintf(out, size, "n/a");
		return;
	}
	if (base < 0) {
		num = -num;
		base = -base;
	}
	q = (num >= 0 ? num + base / 2 : num - base / 2) / base;
	/* |q| <= 10^19 (rates below 10^9, to 10^-6): q / 100 fits 64 bits. */
	a = (unsigned __int128)(q < 0 ? -q : q);
	snprintf(out, size, "%s%llu.%02llu", q < 0 ? "-" : (q > 0 ? "+" : ""),
	    (unsigned long long)(a / 100), (unsigned long long)(a % 100));
}

/* Compare 100 × |value - prev| / prev with pct (scaled): <0, 0, >0. */
static int
cmp_pct(int64_t value, int64_t prev, int64_t pct)
{
	__int128 d = (__int128)value - prev, l, r;

	if (d < 0)
		d = -d;
	l = d * 100 * DEC_SCALE;
	r = (__int128)pct * prev;
	return l < r ? -1 : l > r;
}

/* Does value differ from prev by pct percent or more (pct scaled)? */
int
dec_reaches_pct(int64_t value, int64_t prev, int64_t pct)
{
	return prev > 0 && cmp_pct(value, prev, pct) >= 0;
}

/* Does value differ from prev by more than pct percent (pct scaled)? */
int
dec_exceeds_pct(int64_t value, int64_t prev, int64_t pct)
{
	return prev > 0 && cmp_pct(value, prev, pct) > 0;
}
