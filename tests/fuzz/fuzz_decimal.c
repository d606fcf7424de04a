/*
 * fuzz_decimal.c: dec_parse over arbitrary bytes.  What it accepts must
 * print back as its normal form, stay within ±10^15 (nine integer digits,
 * six decimals) and parse again to the same value; dec_format_short must
 * print a text that parses to the same value.  The input is then split at
 * its first newline and, when both halves are numbers, dec_percent is
 * compared with an exact computation and dec_exceeds_pct with
 * dec_reaches_pct.  FUZZ_KNOWN_BUGS=percent-overflow passes over
 * dec_percent's results beyond 2^63 hundredths (a bug, not yet fixed).
 */
#include <string.h>
#include <time.h>

#include "rates.h"
#include "fuzz.h"

#define DEC_LIMIT 999999999999999LL /* 999999999.999999 scaled */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* Is norm "-?(0|[1-9][0-9]{0,8})(\.[0-9]+)?"? */
static int
normal_form(const char *s)
{
	const char *p = s;
	size_t n;

	if (*p == '-')
		p++;
	n = strspn(p, "0123456789");
	if (n == 0 || n > DEC_MAX_INT || (n > 1 && *p == '0'))
		return 0;
	p += n;
	if (*p == '\0')
		return 1;
	if (*p++ != '.')
		return 0;
	n = strspn(p, "0123456789");
	return n > 0 && p[n] == '\0';
}

/* Parse s again; it must give v (and its normal form, when norm != NULL). */
static void
reparse(const char *s, int64_t v, const char *norm, const char *what)
{
	int64_t w;
	char *n2 = NULL, *cause = NULL;

	if (dec_parse(s, strlen(s), &w, &n2, &cause) != 0) {
		CHECK(0, "%s '%s' of %lld does not parse: %s", what, s,
		    (long long)v, cause);
	}
	CHECK(w == v, "%s '%s' parses to %lld, not %lld", what, s,
	    (long long)w, (long long)v);
	if (norm != NULL)
		CHECK(strcmp(n2, norm) == 0, "%s '%s' normalises to '%s', not "
		    "'%s'", what, s, n2, norm);
	free(n2);
}

/* dec_percent against 100 × diff / base, rounded half away from zero. */
static void
check_percent(int64_t diff, int64_t base)
{
	char got[64], want[64], digits[64];
	__int128 n = (__int128)diff * 10000, b = base, q;
	size_t i = sizeof digits;
	int neg;

	dec_percent(got, sizeof got, diff, base);
	if (base == 0) {
		CHECK(strcmp(got, "n/a") == 0, "dec_percent(%lld, 0) is '%s'",
		    (long long)diff, got);
		return;
	}
	if (b < 0) {
		n = -n;
		b = -b;
	}
	neg = n < 0;
	q = ((neg ? -n : n) * 2 + b) / (2 * b);
	digits[--i] = '\0';
	do {
		digits[--i] = (char)('0' + (int)(q % 10));
		q /= 10;
	} while (q != 0 || i > sizeof digits - 4);
	/* digits + i has at least three digits: the last two are decimals. */
	snprintf(want, sizeof want, "%s%.*s.%s",
	    strspn(digits + i, "0") == strlen(digits + i) ? "" : neg ? "-" : "+",
	    (int)(strlen(digits + i) - 2), digits + i,
	    digits + sizeof digits - 3);
	/*
	 * Known bug "percent-overflow": dec_percent casts the quotient to
	 * int64_t, which 100 × 999999999.999998 / 0.000001 passes.
	 */
	if (strcmp(got, want) != 0 && fuzz_known("percent-overflow") &&
	    ((neg ? -n : n) * 2 + b) / (2 * b) > (__int128)INT64_MAX)
		return;
	CHECK(strcmp(got, want) == 0, "dec_percent(%lld, %lld) is '%s', "
	    "expected '%s'", (long long)diff, (long long)base, got, want);
}

/* The comparisons of two parsed values. */
static void
check_pair(int64_t a, int64_t b)
{
	int64_t pcts[] = {0, 1, DEC_SCALE, 50 * DEC_SCALE, a < 0 ? -a : a,
	    b < 0 ? -b : b};
	size_t i;
	int ex, re;

	check_percent(a - b, b);
	check_percent(b - a, a);
	check_percent(a, b);
	for (i = 0; i < sizeof pcts / sizeof pcts[0]; i++) {
		ex = dec_exceeds_pct(a, b, pcts[i]);
		re = dec_reaches_pct(a, b, pcts[i]);
		CHECK(ex == 0 || ex == 1, "dec_exceeds_pct is %d", ex);
		CHECK(re == 0 || re == 1, "dec_reaches_pct is %d", re);
		CHECK(!ex || re, "%lld vs %lld by %lld: exceeds but does not "
		    "reach", (long long)a, (long long)b, (long long)pcts[i]);
		if (b <= 0)
			CHECK(!re, "reaches from a base %lld <= 0",
			    (long long)b);
		if (b > 0 && pcts[i] == 0)
			CHECK(re, "every change reaches 0%%");
		if (b > 0 && a == b)
			CHECK(!ex, "no change exceeds %lld", (long long)pcts[i]);
	}
}

/* Parse data; on success check the invariants and return 0 with *v. */
static int
one(const char *data, size_t size, int64_t *v)
{
	char *norm = NULL, *cause = NULL, out[64];
	int frac, r;

	r = dec_parse(data, size, v, &norm, &cause);
	if (r != 0) {
		CHECK(r == -1, "dec_parse returned %d", r);
		CHECK(cause != NULL && *cause != '\0', "no cause");
		CHECK(norm == NULL, "a normal form on failure");
		free(cause);
		return -1;
	}
	CHECK(cause == NULL, "a cause on success: %s", cause);
	CHECK(norm != NULL, "no normal form");
	CHECK(*v >= -DEC_LIMIT && *v <= DEC_LIMIT, "%lld out of range",
	    (long long)*v);
	CHECK(normal_form(norm), "normal form '%s'", norm);
	frac = dec_frac_digits(norm);
	CHECK(frac >= 0 && frac <= DEC_FRAC, "dec_frac_digits is %d", frac);
	/* "-0" and decimals past the sixth (zeros) do not print back. */
	if (strlen(strchr(norm, '.') != NULL ? strchr(norm, '.') + 1 : "") <=
	    DEC_FRAC && !(*v == 0 && norm[0] == '-')) {
		dec_format(out, sizeof out, *v, frac, 0);
		CHECK(strcmp(out, norm) == 0, "dec_format(%lld, %d) is '%s', "
		    "parsed from '%s'", (long long)*v, frac, out, norm);
	}
	reparse(norm, *v, norm, "normal form");
	dec_format(out, sizeof out, *v, DEC_FRAC, 1);
	CHECK(*v <= 0 || out[0] == '+', "'%s' has no plus", out);
	reparse(out, *v, NULL, "dec_format");
	dec_format_short(out, sizeof out, *v);
	reparse(out, *v, NULL, "dec_format_short");
	free(norm);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data, *nl;
	int64_t v, a, b;

	(void)one(s, size, &v);
	if ((nl = memchr(s, '\n', size)) == NULL)
		return 0;
	if (one(s, (size_t)(nl - s), &a) == 0 &&
	    one(nl + 1, size - (size_t)(nl - s) - 1, &b) == 0)
		check_pair(a, b);
	return 0;
}
