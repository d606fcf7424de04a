/*
 * test_config.c: reading sources from config text (config.c).  Every error
 * config_parse reports must start with "FILE:LINE" (counting comment and
 * blank lines) and say what is wrong: an unknown key, a key before any
 * section, a bad section or source name, a pattern PCRE2 refuses (with its
 * offset), a combined pattern without its named groups, a bad currency
 * code, a URL that is not http(s), a bad UTC offset, interval or enabled
 * flag, a timeout above 60 s, a max_jump that is not a positive percentage.
 * A section for the built-in 24kg changes only the keys it names; a new
 * source that lacks a pattern for one of its currencies is refused by
 * config_finish naming the source and the currency, unless it is disabled;
 * max_jump takes "10%" and "2.5".
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rates.h"

static int
setup(void **state)
{
	*state = config_new();
	return *state == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	config_free(*state);
	return 0;
}

static void
parse_ok(void **state, const char *text)
{
	char *cause = NULL;

	if (config_parse(*state, text, strlen(text), "test.conf", &cause) != 0)
		fail_msg("config_parse failed: %s", cause);
	assert_null(cause);
}

/*
 * Parse text, expect an error that starts with where ("test.conf:N: ")
 * and contains each of the NULL-terminated words.
 */
static void
parse_bad(void **state, const char *text, const char *where, ...)
{
	char *cause = NULL;
	const char *word;
	va_list ap;

	if (config_parse(*state, text, strlen(text), "test.conf", &cause) == 0)
		fail_msg("config_parse accepted:\n%s", text);
	assert_non_null(cause);
	if (strncmp(cause, where, strlen(where)) != 0 ||
	    strncmp(cause + strlen(where), ": ", 2) != 0)
		fail_msg("'%s' does not start with '%s: '", cause, where);
	va_start(ap, where);
	while ((word = va_arg(ap, const char *)) != NULL) {
		if (strstr(cause, word) == NULL) {
			va_end(ap);
			fail_msg("'%s' does not say '%s'", cause, word);
		}
	}
	va_end(ap);
	free(cause);
}

static void
test_builtin(void **state)
{
	struct config *cfg = *state;
	struct source *s;
	char *cause = NULL;

	/* 24kg, nbkr and nbkr-weekly (disabled). */
	assert_int_equal(cfg->nsources, 3);
	assert_true(config_find(cfg, "nbkr")->enabled);
	assert_int_equal(config_find(cfg, "nbkr")->type, SOURCE_NBKR_XML);
	assert_false(config_find(cfg, "nbkr-weekly")->enabled);
	s = config_find(cfg, "24kg");
	assert_non_null(s);
	assert_null(config_find(cfg, "24KG"));
	assert_null(config_find(cfg, "nope"));
	assert_string_equal(s->url, "https://24.kg/english/");
	assert_string_equal(s->quote, "KGS");
	assert_int_equal(s->ncurrencies, 3);
	assert_string_equal(s->currencies[0], "USD");
	assert_string_equal(s->currencies[1], "EUR");
	assert_string_equal(s->currencies[2], "RUB");
	/* One pattern for the header block, no pattern of one currency. */
	assert_non_null(s->pattern);
	assert_int_equal(s->npats, 0);
	assert_null(source_pattern_for(s, "USD"));
	assert_int_equal(s->decimal, '.');
	assert_non_null(s->time);
	assert_string_equal(s->date_format, "%Y-%m-%d");
	assert_int_equal(s->utc_offset, 6 * 3600);
	assert_int_equal(s->interval, 600);
	assert_int_equal(s->timeout, 60);
	assert_int_equal(s->max_jump, 50 * DEC_SCALE);
	assert_true(s->enabled);
	assert_int_equal(strncmp(s->origin, "built-in", 8), 0);
	assert_int_equal(config_finish(cfg, &cause), 0);
	assert_null(cause);
}

static void
test_unknown_key(void **state)
{
	parse_bad(state, "[source mine]\nurl = https://example.com/\n"
	    "colour = blue\n", "test.conf:3", "unknown key", "colour", NULL);
	/* A misspelt pattern key is not silently ignored either. */
	parse_bad(state, "[source mine]\npatern.USD = x\n", "test.conf:2",
	    "unknown key", "patern.USD", NULL);
}

/* Line numbers count comments and blank lines. */
static void
test_line_numbers(void **state)
{
	parse_bad(state,
	    "# rates.conf\n"
	    "\n"
	    "; another comment\n"
	    "[source mine]\n"
	    "   # indented comment\n"
	    "url = https://example.com/\n"
	    "\n"
	    "bogus = 1\n", "test.conf:8", "unknown key 'bogus'", NULL);
	parse_bad(state, "[source mine]\r\nurl = https://example.com/\r\n"
	    "bogus = 1\r\n", "test.conf:3", "unknown key 'bogus'", NULL);
}

static void
test_key_outside_section(void **state)
{
	parse_bad(state, "# top\nurl = https://example.com/\n",
	    "test.conf:2", "'url'", "outside", "[source NAME]", NULL);
}

static void
test_bad_lines(void **state)
{
	parse_bad(state, "[source mine]\njust some words\n", "test.conf:2",
	    "key = value", NULL);
	parse_bad(state, "[source mine]\nurl =\n", "test.conf:2", "url",
	    "empty value", NULL);
}

static void
test_bad_section(void **state)
{
	parse_bad(state, "[source Mine]\n", "test.conf:1", "bad source name",
	    "'Mine'", NULL);
	parse_bad(state, "\n[source my source]\n", "test.conf:2",
	    "bad source name", NULL);
	parse_bad(state, "[source bad!]\n", "test.conf:1", "bad source name",
	    "'bad!'", NULL);
	parse_bad(state, "[source ]\n", "test.conf:1", NULL);
	parse_bad(state, "[sauce usd]\n", "test.conf:1", "unknown section",
	    "[source NAME] or [alert NAME]", NULL);
	parse_bad(state, "[alert Big]\n", "test.conf:1", "bad alert name",
	    NULL);
	parse_bad(state, "[alert a]\ncolour = red\n", "test.conf:2",
	    "unknown key 'colour' in an alert", NULL);
	parse_bad(state, "[alert a]\nbelow = -1\n", "test.conf:2", "below",
	    NULL);
	parse_bad(state, "[source mine\n", "test.conf:1", "']'", NULL);
	/* A quoted name is fine. */
	parse_ok(state, "[source \"my-site_2\"]\nurl = https://example.com/\n");
	assert_non_null(config_find(*state, "my-site_2"));
}

static void
test_bad_pattern(void **state)
{
	parse_bad(state, "[source mine]\ncurrencies = USD\n"
	    "pattern.USD = USD (?<rate>[0-9.]+\n", "test.conf:3",
	    "pattern.USD", "offset", "missing closing parenthesis", NULL);
	parse_bad(state, "[source mine]\npattern = [A-Z\n", "test.conf:2",
	    "pattern", "offset", NULL);
	parse_bad(state, "[source mine]\ntime_pattern = (?<time>x\n",
	    "test.conf:2", "time_pattern", "offset", NULL);
	parse_bad(state, "[source mine]\npattern.usd = USD ([0-9.]+)\n",
	    "test.conf:2", "pattern.usd", "not a currency code", NULL);
}

static void
test_combined_needs_groups(void **state)
{
	parse_bad(state, "[source mine]\n"
	    "pattern = ([A-Z]{3}) ([0-9.]+)\n", "test.conf:2", "pattern",
	    "(?<code>", "(?<rate>", NULL);
	parse_bad(state, "[source mine]\n"
	    "pattern = (?<code>[A-Z]{3}) ([0-9.]+)\n", "test.conf:2",
	    "(?<rate>", NULL);
	parse_bad(state, "[source mine]\n"
	    "time_pattern = ([0-9]{2}:[0-9]{2})\n", "test.conf:2",
	    "time_pattern", "(?<time>", NULL);
}

static void
test_bad_currency(void **state)
{
	parse_bad(state, "[source mine]\ncurrencies = USD eur\n",
	    "test.conf:2", "'eur'", "not a currency code", NULL);
	parse_bad(state, "[source mine]\ncurrencies = USD DOLLAR\n",
	    "test.conf:2", "'DOLLAR'", NULL);
	parse_bad(state, "[source mine]\ncurrencies = USD EUR USD\n",
	    "test.conf:2", "USD", "twice", NULL);
	parse_bad(state, "[source mine]\ncurrencies = , ,\n", "test.conf:2",
	    "no currencies", NULL);
	parse_bad(state, "[source mine]\nquote = som\n", "test.conf:2",
	    "quote", "'som'", NULL);
}

static void
test_bad_url(void **state)
{
	parse_bad(state, "[source mine]\nurl = ftp://example.com/rates\n",
	    "test.conf:2", "ftp://example.com/rates", "http", NULL);
	parse_bad(state, "[source mine]\nurl = file:///etc/passwd\n",
	    "test.conf:2", "file:///etc/passwd", NULL);
	parse_bad(state, "[source mine]\nurl = example.com\n", "test.conf:2",
	    "example.com", NULL);
	parse_ok(state, "[source mine]\nurl = http://example.com/\n");
	assert_string_equal(config_find(*state, "mine")->url,
	    "http://example.com/");
}

static void
test_bad_utc_offset(void **state)
{
	parse_bad(state, "[source mine]\nutc_offset = +25:00\n", "test.conf:2",
	    "utc_offset", "+25:00", NULL);
	parse_bad(state, "[source mine]\nutc_offset = Asia/Bishkek\n",
	    "test.conf:2", "utc_offset", NULL);
	parse_ok(state, "[source mine]\nutc_offset = -03:30\n");
	assert_int_equal(config_find(*state, "mine")->utc_offset,
	    -(3 * 3600 + 30 * 60));
}

static void
test_bad_durations(void **state)
{
	struct source *s;

	parse_bad(state, "[source mine]\ninterval = 10x\n", "test.conf:2",
	    "interval", "10x", NULL);
	parse_bad(state, "[source mine]\ninterval = soon\n", "test.conf:2",
	    "interval", NULL);
	parse_bad(state, "[source mine]\ninterval = 0s\n", "test.conf:2",
	    "interval", "more than zero", NULL);
	parse_bad(state, "[source mine]\ntimeout = 61s\n", "test.conf:2",
	    "timeout", "60s", NULL);
	parse_bad(state, "[source mine]\ntimeout = 2m\n", "test.conf:2",
	    "timeout", "60s", NULL);
	parse_ok(state, "[source mine]\ninterval = 1h\ntimeout = 60s\n");
	s = config_find(*state, "mine");
	assert_int_equal(s->interval, 3600);
	assert_int_equal(s->timeout, 60);
}

static void
test_bad_date_format(void **state)
{
	parse_bad(state, "[source mine]\ndate_format = %Y-%m\n", "test.conf:2",
	    "date_format", NULL);
}

/* A section for 24kg changes what it names and nothing else. */
static void
test_override_builtin(void **state)
{
	struct config *cfg = *state;
	struct source *s = config_find(cfg, "24kg");
	char *pat_text = xstrdup(s->pattern_text);
	char *time_text = xstrdup(s->time_text);
	char *cause = NULL;

	parse_ok(state, "\n[source 24kg]\nurl = http://127.0.0.1:1/\n");
	assert_int_equal(cfg->nsources, 3);
	assert_ptr_equal(config_find(cfg, "24kg"), s);
	assert_string_equal(s->url, "http://127.0.0.1:1/");
	assert_int_equal(s->ncurrencies, 3);
	assert_string_equal(s->currencies[0], "USD");
	assert_string_equal(s->currencies[2], "RUB");
	assert_int_equal(s->npats, 0);
	assert_string_equal(s->pattern_text, pat_text);
	assert_int_equal(s->decimal, '.');
	assert_non_null(s->time);
	assert_string_equal(s->time_text, time_text);
	assert_string_equal(s->quote, "KGS");
	assert_string_equal(s->date_format, "%Y-%m-%d");
	assert_int_equal(s->utc_offset, 6 * 3600);
	assert_int_equal(s->interval, 600);
	assert_int_equal(s->timeout, 60);
	assert_int_equal(s->max_jump, 50 * DEC_SCALE);
	assert_true(s->enabled);
	assert_string_equal(s->origin, "test.conf:2");
	assert_int_equal(config_finish(cfg, &cause), 0);
	free(pat_text);
	free(time_text);
}

/*
 * A pattern for one currency is added beside the header pattern, which
 * stays for the others; decimal takes '.', ',' or any.
 */
static void
test_override_one_pattern(void **state)
{
	struct source *s = config_find(*state, "24kg");
	char *pat_text = xstrdup(s->pattern_text);

	parse_ok(state, "[source 24kg]\npattern.USD = Dollar ([0-9.]+)\n"
	    "decimal = ,\n");
	assert_int_equal(s->npats, 1);
	assert_string_equal(source_pattern_for(s, "USD")->text,
	    "Dollar ([0-9.]+)");
	assert_null(source_pattern_for(s, "EUR"));
	assert_string_equal(s->pattern_text, pat_text);
	assert_int_equal(s->decimal, ',');
	parse_ok(state, "[source 24kg]\ndecimal = any\n");
	assert_int_equal(s->decimal, 0);
	parse_bad(state, "[source 24kg]\ndecimal = ;\n", "test.conf:2",
	    "decimal", NULL);
	free(pat_text);
}

static void
test_missing_pattern(void **state)
{
	char *cause = NULL;

	parse_ok(state,
	    "[source mine]\n"
	    "url = https://example.com/\n"
	    "currencies = USD EUR\n"
	    "pattern.USD = USD ([0-9.]+)\n");
	assert_int_equal(config_finish(*state, &cause), -1);
	assert_non_null(cause);
	assert_non_null(strstr(cause, "test.conf:1"));
	assert_non_null(strstr(cause, "'mine'"));
	assert_non_null(strstr(cause, "EUR"));
	assert_null(strstr(cause, "USD"));
	free(cause);
}

static void
test_missing_url_and_currencies(void **state)
{
	char *cause = NULL;

	parse_ok(state, "[source nourl]\ncurrencies = USD\n"
	    "pattern.USD = USD ([0-9.]+)\n");
	assert_int_equal(config_finish(*state, &cause), -1);
	assert_non_null(strstr(cause, "'nourl'"));
	assert_non_null(strstr(cause, "url"));
	free(cause);
	cause = NULL;

	parse_ok(state, "[source nourl]\nurl = https://example.com/\n"
	    "[source nocur]\nurl = https://example.com/\n");
	assert_int_equal(config_finish(*state, &cause), -1);
	assert_non_null(strstr(cause, "test.conf:3"));
	assert_non_null(strstr(cause, "'nocur'"));
	assert_non_null(strstr(cause, "no currencies"));
	free(cause);
}

/* A combined pattern serves every currency without its own. */
static void
test_combined_is_enough(void **state)
{
	char *cause = NULL;

	parse_ok(state,
	    "[source combo]\n"
	    "url = https://example.com/\n"
	    "currencies = USD EUR GBP\n"
	    "pattern = (?<code>[A-Z]{3}) (?<rate>[0-9.]+)\n");
	if (config_finish(*state, &cause) != 0)
		fail_msg("config_finish: %s", cause);
	assert_non_null(config_find(*state, "combo")->pattern);
}

static void
test_enabled(void **state)
{
	struct source *s;
	char *cause = NULL;

	/* Disabled and incomplete: config_finish does not mind. */
	parse_ok(state, "[source mine]\ncurrencies = USD EUR\nenabled = no\n");
	s = config_find(*state, "mine");
	assert_false(s->enabled);
	assert_int_equal(config_finish(*state, &cause), 0);
	assert_null(cause);

	parse_ok(state, "[source mine]\nenabled = yes\n");
	assert_true(s->enabled);
	assert_int_equal(config_finish(*state, &cause), -1);
	free(cause);
	cause = NULL;

	parse_ok(state, "[source 24kg]\nenabled = off\n");
	assert_false(config_find(*state, "24kg")->enabled);
	parse_ok(state, "[source 24kg]\nenabled = true\n");
	assert_true(config_find(*state, "24kg")->enabled);
	parse_bad(state, "[source 24kg]\nenabled = maybe\n", "test.conf:2",
	    "enabled", "'maybe'", NULL);
}

static void
test_max_jump(void **state)
{
	struct source *s = config_find(*state, "24kg");

	parse_ok(state, "[source 24kg]\nmax_jump = 10%\n");
	assert_int_equal(s->max_jump, 10 * DEC_SCALE);
	parse_ok(state, "[source 24kg]\nmax_jump = 2.5\n");
	assert_int_equal(s->max_jump, 2500000);
	parse_ok(state, "[source 24kg]\nmax_jump = 0,75%\n");
	assert_int_equal(s->max_jump, 750000);
	parse_ok(state, "[source 24kg]\nmax_jump = 200\n");
	assert_int_equal(s->max_jump, 200 * DEC_SCALE);

	parse_bad(state, "[source 24kg]\nmax_jump = 0\n", "test.conf:2",
	    "max_jump", "'0'", NULL);
	parse_bad(state, "[source 24kg]\nmax_jump = -5%\n", "test.conf:2",
	    "max_jump", NULL);
	parse_bad(state, "[source 24kg]\nmax_jump = lots\n", "test.conf:2",
	    "max_jump", "lots", NULL);
	parse_bad(state, "[source 24kg]\nmax_jump = %\n", "test.conf:2",
	    "max_jump", NULL);
	parse_bad(state, "[source 24kg]\nmax_jump = 10%%\n", "test.conf:2",
	    "max_jump", NULL);
}

/* Values are trimmed; other keys are kept as given. */
static void
test_user_agent_and_spaces(void **state)
{
	struct source *s;

	parse_ok(state, "  [ source   mine ]  \n"
	    "\turl   =   https://example.com/x  \n"
	    "user_agent = my agent/1.0 (+https://example.com)\n"
	    "date_format = %d.%m.%Y\n");
	s = config_find(*state, "mine");
	assert_non_null(s);
	assert_string_equal(s->url, "https://example.com/x");
	assert_string_equal(s->user_agent,
	    "my agent/1.0 (+https://example.com)");
	assert_string_equal(s->date_format, "%d.%m.%Y");
	/* Defaults of a new source. */
	assert_string_equal(s->quote, "KGS");
	assert_int_equal(s->interval, 600);
	assert_int_equal(s->timeout, 60);
	assert_int_equal(s->max_jump, 50 * DEC_SCALE);
	assert_int_equal(s->utc_offset, 0);
	assert_true(s->enabled);
}

int
main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_builtin),
		T(test_unknown_key),
		T(test_line_numbers),
		T(test_key_outside_section),
		T(test_bad_lines),
		T(test_bad_section),
		T(test_bad_pattern),
		T(test_combined_needs_groups),
		T(test_bad_currency),
		T(test_bad_url),
		T(test_bad_utc_offset),
		T(test_bad_durations),
		T(test_bad_date_format),
		T(test_override_builtin),
		T(test_override_one_pattern),
		T(test_missing_pattern),
		T(test_missing_url_and_currencies),
		T(test_combined_is_enough),
		T(test_enabled),
		T(test_max_jump),
		T(test_user_agent_and_spaces),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
