/*
 * fuzz_config.c: config_parse over arbitrary text, after the built-in
 * source, as a file would be read; then config_finish.  A failure must
 * come with a cause that names the file and line ("fuzz.conf:N: ..."); a
 * config that parses must hold what the parser promises: valid names and
 * codes, compiled patterns for the texts, positive intervals and timeouts
 * of at most HTTP_TIMEOUT, offsets within ±14:59.  The patterns are only
 * compiled, never run.  Everything is freed: leaks are found by
 * LeakSanitizer.  FUZZ_KNOWN_BUGS=alert-threshold passes over the inputs
 * with an alert threshold not above zero (a bug, not yet fixed).
 */
#include <ctype.h>
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

static int
is_code(const char *s)
{
	return s != NULL && strlen(s) == 3 && isupper((unsigned char)s[0]) &&
	    isupper((unsigned char)s[1]) && isupper((unsigned char)s[2]);
}

static int
is_name(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-");

	return n > 0 && n <= 64 && s[n] == '\0';
}

static void
check_source(const struct source *s)
{
	size_t i, j;

	CHECK(is_name(s->name), "source name '%s'", s->name);
	CHECK(s->origin != NULL, "%s: no origin", s->name);
	CHECK(is_code(s->quote), "%s: quote '%s'", s->name, s->quote);
	CHECK(s->url == NULL || strncmp(s->url, "http://", 7) == 0 ||
	    strncmp(s->url, "https://", 8) == 0, "%s: url '%s'", s->name,
	    s->url);
	for (i = 0; i < s->ncurrencies; i++) {
		CHECK(is_code(s->currencies[i]), "%s: currency '%s'", s->name,
		    s->currencies[i]);
		for (j = 0; j < i; j++)
			CHECK(strcmp(s->currencies[i], s->currencies[j]) != 0,
			    "%s: %s twice", s->name, s->currencies[i]);
	}
	for (i = 0; i < s->npats; i++) {
		CHECK(is_code(s->pats[i].code) && s->pats[i].text != NULL &&
		    s->pats[i].re != NULL, "%s: pattern %zu", s->name, i);
		CHECK(source_pattern_for(s, s->pats[i].code) == &s->pats[i],
		    "%s: pattern.%s twice", s->name, s->pats[i].code);
	}
	CHECK((s->pattern_text == NULL) == (s->pattern == NULL),
	    "%s: pattern text and pattern", s->name);
	CHECK((s->time_text == NULL) == (s->time == NULL),
	    "%s: time_pattern text and pattern", s->name);
	CHECK(s->date_format != NULL && strstr(s->date_format, "%Y") != NULL,
	    "%s: date_format", s->name);
	CHECK(s->utc_offset >= -(14 * 3600 + 59 * 60) &&
	    s->utc_offset <= 14 * 3600 + 59 * 60, "%s: utc_offset %d",
	    s->name, s->utc_offset);
	CHECK(s->interval > 0 && s->timeout > 0 && s->timeout <= HTTP_TIMEOUT,
	    "%s: interval %ld, timeout %ld", s->name, s->interval, s->timeout);
	CHECK(s->max_jump > 0, "%s: max_jump %lld", s->name,
	    (long long)s->max_jump);
	CHECK(s->enabled == 0 || s->enabled == 1, "%s: enabled %d", s->name,
	    s->enabled);
	CHECK(s->user_agent != NULL, "%s: user_agent", s->name);
}

static void
check_alert(const struct alert *a)
{
	CHECK(is_name(a->name) && a->origin != NULL, "alert name '%s'",
	    a->name);
	CHECK(a->currency == NULL || is_code(a->currency), "alert %s: "
	    "currency '%s'", a->name, a->currency);
	CHECK(a->source == NULL || is_name(a->source), "alert %s: source '%s'",
	    a->name, a->source);
	CHECK(a->kind == ALERT_ABOVE || a->kind == ALERT_BELOW ||
	    a->kind == ALERT_CHANGE, "alert %s: kind %d", a->name, a->kind);
	CHECK(a->nkinds == 0 || a->threshold > 0, "alert %s: threshold %lld",
	    a->name, (long long)a->threshold);
	CHECK(a->timeout >= 0, "alert %s: timeout %ld", a->name, a->timeout);
}

/*
 * Known bug "alert-threshold": in set_alert_key, a threshold that parses
 * but is not above zero ("above = 0") formats and frees an uninitialised
 * pointer.  Does the text have such a line?
 */
static int
alert_threshold_bug(const char *text, size_t len)
{
	const char *p = text, *end = text + len, *nl;
	char *line, *eq, *key, *value, *e, *why = NULL;
	int64_t v;
	int hit = 0;

	for (; p < end && !hit; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line = xstrndup(p, (size_t)(nl - p));
		if ((eq = strchr(line, '=')) != NULL) {
			*eq = '\0';
			for (key = line; isspace((unsigned char)*key); key++)
				;
			for (e = eq; e > key && isspace((unsigned char)e[-1]);)
				*--e = '\0';
			for (value = eq + 1; isspace((unsigned char)*value);)
				value++;
			e = value + strlen(value);
			while (e > value && isspace((unsigned char)e[-1]))
				*--e = '\0';
			if (e > value && e[-1] == '%')
				*--e = '\0';
			if ((strcmp(key, "above") == 0 ||
			    strcmp(key, "below") == 0 ||
			    strcmp(key, "change_pct") == 0) &&
			    dec_parse(value, strlen(value), &v, NULL, &why) == 0)
				hit = v <= 0;
			free(why);
			why = NULL;
		}
		free(line);
	}
	return hit;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config *cfg;
	char *cause = NULL;
	size_t i;
	int r;

	if (fuzz_known("alert-threshold") &&
	    alert_threshold_bug((const char *)data, size))
		return 0;
	cfg = config_new();
	r = config_parse(cfg, (const char *)data, size, "fuzz.conf", &cause);
	if (r != 0) {
		/* After an error the config is only freed: no checks then. */
		CHECK(r == -1, "config_parse returned %d", r);
		CHECK(cause != NULL && strncmp(cause, "fuzz.conf:", 10) == 0,
		    "cause '%s'", cause != NULL ? cause : "(null)");
		free(cause);
		cause = NULL;
	} else {
		CHECK(cause == NULL, "a cause on success: %s", cause);
		CHECK(config_find(cfg, "24kg") != NULL, "the built-in source "
		    "is gone");
		for (i = 0; i < cfg->nsources; i++)
			check_source(cfg->sources[i]);
		for (i = 0; i < cfg->nalerts; i++)
			check_alert(cfg->alerts[i]);
		r = config_finish(cfg, &cause);
		CHECK(r == 0 || (r == -1 && cause != NULL), "config_finish "
		    "returned %d", r);
		free(cause);
	}
	config_free(cfg);
	return 0;
}
