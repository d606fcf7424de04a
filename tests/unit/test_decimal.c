/*
 * test_decimal.c: exact decimals (decimal.c).  dec_parse must accept the
 * ways a page prints a rate ("87.45", "87,45", "1.10", "87,4500", leading
 * zeros, surrounding white space, a sign) and give the value scaled by 10^6
 * together with the published text normalised to a '.' decimal mark, and it
 * must refuse anything that is not one plain number (empty, letters, a
 * dangling or leading mark, two marks, more than nine integer digits, a
 * seventh non-zero decimal place).  dec_frac_digits counts published
 * decimals; dec_format prints a scaled value with 0..6 decimals and an
 * optional plus sign; dec_percent prints a change in percent rounded half
 * away from zero; dec_exceeds_pct decides the max_jump check, whose 50 %
 * boundary itself is allowed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rates.h"

/* Parse s (all of it), expect success, the scaled value and the text. */
static void
parse_ok(const char *s, int64_t want, const char *want_norm)
{
	int64_t v = -12345;
	char *norm = NULL, *cause = NULL;
	int r;

	r = dec_parse(s, strlen(s), &v, &norm, &cause);
	if (r != 0)
		fail_msg("dec_parse(\"%s\") failed: %s", s,
		    cause != NULL ? cause : "(no cause)");
	assert_null(cause);
	assert_int_equal(v, want);
	assert_non_null(norm);
	assert_string_equal(norm, want_norm);
	free(norm);
}

/* Parse s, expect a refusal with a cause that quotes the input. */
static void
parse_bad(const char *s)
{
	int64_t v = 0;
	char *norm = NULL, *cause = NULL;
	int r;

	r = dec_parse(s, strlen(s), &v, &norm, &cause);
	if (r == 0)
		fail_msg("dec_parse(\"%s\") accepted it as %lld", s,
		    (long long)v);
	assert_int_equal(r, -1);
	assert_null(norm);
	assert_non_null(cause);
	assert_true(strlen(cause) > 0);
	free(cause);
}

static void
test_parse_dot_and_comma(void **state)
{
	(void)state;
	parse_ok("87.45", 87450000, "87.45");
	parse_ok("87,45", 87450000, "87.45");
	parse_ok("102.48", 102480000, "102.48");
	parse_ok("87,4500", 87450000, "87.4500");
}

static void
test_parse_keeps_trailing_zero(void **state)
{
	(void)state;
	parse_ok("1.10", 1100000, "1.10");
	parse_ok("1,10", 1100000, "1.10");
	parse_ok("0.000001", 1, "0.000001");
	parse_ok("999999999.999999", 999999999999999LL, "999999999.999999");
}

static void
test_parse_integers_and_zeros(void **state)
{
	(void)state;
	parse_ok("0", 0, "0");
	parse_ok("87", 87000000, "87");
	parse_ok("007", 7000000, "7");
	parse_ok("00.5", 500000, "0.5");
	parse_ok("0087.45", 87450000, "87.45");
	/* Leading zeros do not count towards the nine integer digits. */
	parse_ok("0000000000123456789", 123456789000000LL, "123456789");
}

static void
test_parse_trims_white_space(void **state)
{
	(void)state;
	parse_ok("  87.45", 87450000, "87.45");
	parse_ok("87.45\n", 87450000, "87.45");
	parse_ok("\t 1,10 \r\n", 1100000, "1.10");
}

static void
test_parse_signs(void **state)
{
	(void)state;
	parse_ok("+3", 3000000, "3");
	parse_ok("-0.5", -500000, "-0.5");
	parse_ok("-87,45", -87450000, "-87.45");
}

/* Only len bytes are read: the rest of a page does not leak in. */
static void
test_parse_uses_len(void **state)
{
	const char *page = "87.45 EUR 102.48";
	int64_t v = 0;
	char *norm = NULL, *cause = NULL;

	(void)state;
	assert_int_equal(dec_parse(page, 5, &v, &norm, &cause), 0);
	assert_int_equal(v, 87450000);
	assert_string_equal(norm, "87.45");
	free(norm);

	/* And norm may be NULL when only the value is wanted. */
	assert_int_equal(dec_parse("2.5", 3, &v, NULL, &cause), 0);
	assert_int_equal(v, 2500000);
}

static void
test_parse_rejects_garbage(void **state)
{
	(void)state;
	parse_bad("");
	parse_bad("   ");
	parse_bad("abc");
	parse_bad("1.");
	parse_bad("1,");
	parse_bad(".5");
	parse_bad(",5");
	parse_bad("1,2,3");
	parse_bad("1.2.3");
	parse_bad("+");
	parse_bad("-");
	parse_bad("87.45x");
	parse_bad("8 7");
	parse_bad("1e5");
	parse_bad("0x10");
	parse_bad("--1");
}

static void
test_parse_too_large(void **state)
{
	(void)state;
	parse_ok("123456789", 123456789000000LL, "123456789");
	parse_bad("1234567890");
	parse_bad("1234567890.5");
	parse_bad("-9999999999");
}

static void
test_parse_decimal_places(void **state)
{
	int64_t v = 0;
	char *cause = NULL;

	(void)state;
	parse_ok("1.123456", 1123456, "1.123456");
	/* A seventh place is fine only if it is zero: the value is exact. */
	parse_ok("1.1000000", 1100000, "1.1000000");
	parse_ok("1.12345600", 1123456, "1.12345600");
	parse_bad("1.1234567");
	parse_bad("1.0000001");

	assert_int_equal(dec_parse("1.0000001", 9, &v, NULL, &cause), -1);
	assert_non_null(strstr(cause, "decimal places"));
	free(cause);
}

static void
test_frac_digits(void **state)
{
	(void)state;
	assert_int_equal(dec_frac_digits("87"), 0);
	assert_int_equal(dec_frac_digits("87.45"), 2);
	assert_int_equal(dec_frac_digits("87,45"), 2);
	assert_int_equal(dec_frac_digits("1.10"), 2);
	assert_int_equal(dec_frac_digits("87,4500"), 4);
	assert_int_equal(dec_frac_digits("0.000001"), 6);
	assert_int_equal(dec_frac_digits("1.1000000"), 6); /* capped */
	assert_int_equal(dec_frac_digits("-0.5"), 1);
}

static void
test_format_places(void **state)
{
	char out[64];

	(void)state;
	dec_format(out, sizeof out, 87450000, 2, 0);
	assert_string_equal(out, "87.45");
	dec_format(out, sizeof out, 87450000, 4, 0);
	assert_string_equal(out, "87.4500");
	dec_format(out, sizeof out, 1100000, 2, 0);
	assert_string_equal(out, "1.10");
	dec_format(out, sizeof out, 87000000, 0, 0);
	assert_string_equal(out, "87");
	dec_format(out, sizeof out, 1, 6, 0);
	assert_string_equal(out, "0.000001");
	dec_format(out, sizeof out, 123456789123456LL, 6, 0);
	assert_string_equal(out, "123456789.123456");
	dec_format(out, sizeof out, 0, 2, 0);
	assert_string_equal(out, "0.00");
	/* Out-of-range places are clamped to 0..6. */
	dec_format(out, sizeof out, 87450000, -3, 0);
	assert_string_equal(out, "87");
	dec_format(out, sizeof out, 87450000, 9, 0);
	assert_string_equal(out, "87.450000");
}

static void
test_format_short(void **state)
{
	char out[64];

	(void)state;
	dec_format_short(out, sizeof out, 50000000);
	assert_string_equal(out, "50");
	dec_format_short(out, sizeof out, 2555000);
	assert_string_equal(out, "2.555");
	dec_format_short(out, sizeof out, 1);
	assert_string_equal(out, "0.000001");
	dec_format_short(out, sizeof out, 0);
	assert_string_equal(out, "0");
}

static void
test_format_signs(void **state)
{
	char out[64];

	(void)state;
	dec_format(out, sizeof out, 50000, 2, 1);
	assert_string_equal(out, "+0.05");
	dec_format(out, sizeof out, 50000, 2, 0);
	assert_string_equal(out, "0.05");
	dec_format(out, sizeof out, -50000, 2, 1);
	assert_string_equal(out, "-0.05");
	dec_format(out, sizeof out, -1100000, 2, 0);
	assert_string_equal(out, "-1.10");
	dec_format(out, sizeof out, -123456789123456LL, 6, 0);
	assert_string_equal(out, "-123456789.123456");
	/* Zero has no sign, even when a plus is asked for. */
	dec_format(out, sizeof out, 0, 2, 1);
	assert_string_equal(out, "0.00");
	/* The extremes of int64_t do not overflow. */
	dec_format(out, sizeof out, INT64_MIN, 6, 0);
	assert_string_equal(out, "-9223372036854.775808");
	dec_format(out, sizeof out, INT64_MAX, 6, 1);
	assert_string_equal(out, "+9223372036854.775807");
}

static void
test_percent(void **state)
{
	char out[32];

	(void)state;
	/* 87.45 -> 87.50 is +0.0571...% */
	dec_percent(out, sizeof out, 50000, 87450000);
	assert_string_equal(out, "+0.06");
	/* 100 -> 150 is +50% and back is -33.33% */
	dec_percent(out, sizeof out, 50000000, 100000000);
	assert_string_equal(out, "+50.00");
	dec_percent(out, sizeof out, -50000000, 150000000);
	assert_string_equal(out, "-33.33");
	dec_percent(out, sizeof out, 2000000, 3000000);
	assert_string_equal(out, "+66.67");
	dec_percent(out, sizeof out, 0, 87450000);
	assert_string_equal(out, "0.00");
	dec_percent(out, sizeof out, 300000000, 100000000);
	assert_string_equal(out, "+300.00");
}

/* Exactly half a hundredth rounds away from zero, both ways. */
static void
test_percent_rounding(void **state)
{
	char out[32];

	(void)state;
	dec_percent(out, sizeof out, 1, 20000); /* 0.005% */
	assert_string_equal(out, "+0.01");
	dec_percent(out, sizeof out, -1, 20000);
	assert_string_equal(out, "-0.01");
	dec_percent(out, sizeof out, 3, 20000); /* 0.015% */
	assert_string_equal(out, "+0.02");
	dec_percent(out, sizeof out, -3, 20000);
	assert_string_equal(out, "-0.02");
	dec_percent(out, sizeof out, 1, 20001); /* just under half */
	assert_string_equal(out, "0.00");
	dec_percent(out, sizeof out, -1, 20001);
	assert_string_equal(out, "0.00");
	dec_percent(out, sizeof out, 1250, 1000000); /* 0.125% */
	assert_string_equal(out, "+0.13");
	dec_percent(out, sizeof out, -1250, 1000000);
	assert_string_equal(out, "-0.13");
	/* A negative base flips the sign. */
	dec_percent(out, sizeof out, 1, -20000);
	assert_string_equal(out, "-0.01");
}

static void
test_percent_base_zero(void **state)
{
	char out[32];

	(void)state;
	dec_percent(out, sizeof out, 50000, 0);
	assert_string_equal(out, "n/a");
	dec_percent(out, sizeof out, 0, 0);
	assert_string_equal(out, "n/a");
}

static void
test_exceeds_pct(void **state)
{
	const int64_t fifty = 50 * DEC_SCALE;

	(void)state;
	/* The boundary itself is not "more than 50 %". */
	assert_false(dec_exceeds_pct(150 * DEC_SCALE, 100 * DEC_SCALE, fifty));
	assert_true(dec_exceeds_pct(150 * DEC_SCALE + 1, 100 * DEC_SCALE,
	    fifty));
	assert_false(dec_exceeds_pct(149999999, 100 * DEC_SCALE, fifty));
	/* Downwards the same: 100 -> 50 is -50 %. */
	assert_false(dec_exceeds_pct(50 * DEC_SCALE, 100 * DEC_SCALE, fifty));
	assert_true(dec_exceeds_pct(50 * DEC_SCALE - 1, 100 * DEC_SCALE,
	    fifty));
	/* Realistic rates and a smaller limit (2.5 %). */
	assert_false(dec_exceeds_pct(87500000, 87450000, 2500000));
	assert_true(dec_exceeds_pct(90000000, 87450000, 2500000));
	assert_false(dec_exceeds_pct(87450000, 87450000, 1));
	/* Big values do not overflow. */
	assert_false(dec_exceeds_pct(999999999999999LL, 999999999999999LL,
	    fifty));
	assert_true(dec_exceeds_pct(999999999999999LL, 1000000, fifty));
	/* Without a positive previous value there is nothing to compare. */
	assert_false(dec_exceeds_pct(87450000, 0, fifty));
	assert_false(dec_exceeds_pct(87450000, -1000000, fifty));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_dot_and_comma),
		cmocka_unit_test(test_format_short),
		cmocka_unit_test(test_parse_keeps_trailing_zero),
		cmocka_unit_test(test_parse_integers_and_zeros),
		cmocka_unit_test(test_parse_trims_white_space),
		cmocka_unit_test(test_parse_signs),
		cmocka_unit_test(test_parse_uses_len),
		cmocka_unit_test(test_parse_rejects_garbage),
		cmocka_unit_test(test_parse_too_large),
		cmocka_unit_test(test_parse_decimal_places),
		cmocka_unit_test(test_frac_digits),
		cmocka_unit_test(test_format_places),
		cmocka_unit_test(test_format_signs),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_percent_rounding),
		cmocka_unit_test(test_percent_base_zero),
		cmocka_unit_test(test_exceeds_pct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
