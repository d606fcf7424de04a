/*
 * config.c: sources.  The built-in source 24kg is itself a config text,
 * read by the same parser as the files, so that what `rates sources` shows
 * can be copied into a file and changed.  Files are read in order
 * (/etc/rates/rates.conf, $XDG_CONFIG_HOME/rates/rates.conf, -c FILE); a
 * later section for the same source overrides the keys it names.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

/*
 * The header of 24.kg: USD, EUR and RUB, each code followed by its number
 * in the site's notation (87.45), by a placeholder that is no number
 * ("n/a", a dash), or by nothing.  The pattern matches one such item; the
 * block finder of extract.c chains the items that follow each other with
 * only separators between (SEP_DEFINE), codes in this order, and takes the
 * first chain that is a header.  The number is taken wide (any run of
 * digits and marks, with a sign), so that a malformed or negative number
 * is that currency's error, not a gap in the header; but not the year of
 * a date or the hour of a clock (2025-12-18, 11:26) after a bare code.  A
 * number broken by a space or a NUL byte ("1 100.10") is not cut short: it
 * is shown as what it is, which is no number.  The time is a clock
 * (with seconds, perhaps), and perhaps the date before it; extract.c takes
 * the one just above the header, with no other number between.
 */
#define DEF "(?(DEFINE)" SEP_DEFINE ")"

static const char builtin[] =
	"[source 24kg]\n"
	"url = https://24.kg/english/\n"
	"quote = KGS\n"
	"currencies = USD EUR RUB\n"
	"pattern = " DEF "(?<![A-Za-z])(?<code>USD|EUR|RUB)(?![A-Za-z])(?&sp)"
	"(?:(?<rate>(?>[-+]?[0-9](?:[0-9.,]*[0-9])?))"
	"(?![-:/][0-9]|(?: |\\xc2\\xa0|\\xa0)[0-9]|\\x00[0-9.,])"
	"|(?<na>(?>[-+]?[0-9][0-9.,]*(?:(?: |\\xc2\\xa0|\\xa0|\\x00)[0-9.,]+)+)"
	"|(?i:n/?a)(?![A-Za-z])|(?:-|\\xe2\\x80[\\x90-\\x95]|"
	"\\xe2\\x88\\x92){1,3}(?![0-9])|\\.\\.\\.|\\xe2\\x80\\xa6|\\?))?\n"
	"decimal = .\n"
	"time_pattern = " DEF "(?<![0-9:.-])(?:(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})"
	",?(?&sp))?(?<time>[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)(?![0-9:])\n"
	"date_format = %Y-%m-%d\n"
	"utc_offset = +06:00\n"
	"interval = 10m\n"
	"timeout = 60s\n"
	"max_jump = 50%\n"
	"reference = nbkr\n"
	"max_deviation = 10%\n"
	"\n"
	"[source nbkr]\n"
	"type = nbkr-xml\n"
	"url = https://www.nbkr.kg/XML/daily.xml\n"
	"quote = KGS\n"
	"currencies = USD EUR CNY KZT RUB\n"
	"date_format = %d.%m.%Y\n"
	"utc_offset = +06:00\n"
	"interval = 1h\n"
	"timeout = 60s\n"
	"max_jump = 50%\n"
	"archive_url = https://www.nbkr.kg/index1.jsp\n"
	"archive_ids = USD=15 EUR=20 KZT=40 RUB=44 CNY=24\n"
	"\n"
	"[source nbkr-weekly]\n"
	"enabled = no\n"
	"type = nbkr-xml\n"
	"url = https://www.nbkr.kg/XML/weekly.xml\n"
	"quote = KGS\n"
	"currencies = GBP DKK INR CAD KRW NOK XDR SEK CHF JPY AMD BYR MDL TJS "
	"UZS UAH KWD HUF CZK NZD PKR AUD TRY AZN SGD AFN BRL GEL AED IRR MYR "
	"MNT TWD TMT PLN SAR BYN OMR HKD IDR\n"
	"date_format = %d.%m.%Y\n"
	"utc_offset = +06:00\n"
	"interval = 1h\n"
	"timeout = 60s\n"
	"max_jump = 50%\n";

#undef DEF

static int valid_name(const char *);
static int valid_code(const char *);

struct config *
config_new(void)
{
	struct config *cfg;
	char *cause = NULL;

	cfg = xcalloc(1, sizeof *cfg);
	if (config_parse(cfg, builtin, sizeof builtin - 1, "built-in",
	    &cause) != 0)
		fatal("built-in config: %s", cause);
	return cfg;
}

static void
source_free(struct source *s)
{
	size_t i;

	for (i = 0; i < s->ncurrencies; i++)
		free(s->currencies[i]);
	free(s->currencies);
	for (i = 0; i < s->npats; i++) {
		free(s->pats[i].text);
		pattern_free(s->pats[i].re);
	}
	free(s->pats);
	free(s->pattern_text);
	pattern_free(s->pattern);
	free(s->time_text);
	pattern_free(s->time);
	free(s->name);
	free(s->url);
	free(s->quote);
	free(s->date_format);
	free(s->user_agent);
	free(s->origin);
	free(s->archive_url);
	free(s->archive_ids);
	free(s->reference);
	free(s);
}

static void
alert_free(struct alert *a)
{
	free(a->name);
	free(a->source);
	free(a->currency);
	free(a->exec);
	free(a->origin);
	free(a);
}

void
config_free(struct config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->nsources; i++)
		source_free(cfg->sources[i]);
	free(cfg->sources);
	for (i = 0; i < cfg->nalerts; i++)
		alert_free(cfg->alerts[i]);
	free(cfg->alerts);
	free(cfg);
}

static struct alert *
alert_find_or_add(struct config *cfg, const char *name, const char *origin)
{
	struct alert *a;
	size_t i;

	for (i = 0; i < cfg->nalerts; i++) {
		if (strcmp(cfg->alerts[i]->name, name) == 0) {
			free(cfg->alerts[i]->origin);
			cfg->alerts[i]->origin = xstrdup(origin);
			return cfg->alerts[i];
		}
	}
	a = xcalloc(1, sizeof *a);
	a->name = xstrdup(name);
	a->origin = xstrdup(origin);
	cfg->alerts = xreallocarray(cfg->alerts, cfg->nalerts + 1,
	    sizeof *cfg->alerts);
	cfg->alerts[cfg->nalerts++] = a;
	return a;
}

/* Apply one key = value to an alert. */
static int
set_alert_key(struct alert *a, const char *key, const char *value,
    char **cause)
{
	char *copy, *why = NULL;
	size_t n;
	int kind;

	if (strcmp(key, "currency") == 0) {
		if (!valid_code(value)) {
			*cause = xasprintf("currency '%s' is not a currency "
			    "code", value);
			return -1;
		}
		free(a->currency);
		a->currency = xstrdup(value);
		return 0;
	}
	if (strcmp(key, "source") == 0) {
		if (!valid_name(value)) {
			*cause = xasprintf("bad source name '%s'", value);
			return -1;
		}
		free(a->source);
		a->source = xstrdup(value);
		return 0;
	}
	if (strcmp(key, "exec") == 0) {
		free(a->exec);
		a->exec = xstrdup(value);
		return 0;
	}
	if (strcmp(key, "timeout") == 0) {
		if (time_parse_duration(value, &a->timeout, &why) != 0) {
			*cause = xasprintf("timeout: %s", why);
			free(why);
			return -1;
		}
		if (a->timeout <= 0) {
			*cause = xstrdup("timeout must be more than zero");
			return -1;
		}
		return 0;
	}
	if (strcmp(key, "above") == 0)
		kind = ALERT_ABOVE;
	else if (strcmp(key, "below") == 0)
		kind = ALERT_BELOW;
	else if (strcmp(key, "change_pct") == 0)
		kind = ALERT_CHANGE;
	else {
		*cause = xasprintf("unknown key '%s' in an alert", key);
		return -1;
	}
	copy = xstrdup(value);
	n = strlen(copy);
	if (kind == ALERT_CHANGE && n > 0 && copy[n - 1] == '%')
		copy[--n] = '\0';
	if (dec_parse(copy, n, &a->threshold, NULL, &why) != 0 ||
	    a->threshold <= 0) {
		*cause = xasprintf("%s: %s", key, a->threshold <= 0 &&
		    why == NULL ? "must be above zero" : why);
		free(why);
		free(copy);
		return -1;
	}
	free(copy);
	if (a->nkinds == 0 || a->kind != kind)
		a->nkinds++;
	a->kind = kind;
	return 0;
}

struct source *
config_find(struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nsources; i++) {
		if (strcmp(cfg->sources[i]->name, name) == 0)
			return cfg->sources[i];
	}
	return NULL;
}

const struct source_pattern *
source_pattern_for(const struct source *s, const char *code)
{
	size_t i;

	for (i = 0; i < s->npats; i++) {
		if (strcmp(s->pats[i].code, code) == 0)
			return &s->pats[i];
	}
	return NULL;
}

/*
 * Sources in the order to poll them: first those another source of the
 * list names as its reference, then the others, each group in the order
 * given.  fetch and the daemon poll nbkr before 24kg, so that even the
 * first fetch into a fresh database has the official rate to check the
 * ticker against.
 */
void
config_order_by_reference(struct source **list, size_t n)
{
	struct source **tmp;
	size_t i, j, k = 0;
	int pass, ref;

	tmp = xcalloc(n + 1, sizeof *tmp);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < n; i++) {
			for (j = 0, ref = 0; j < n && !ref; j++)
				ref = j != i && list[j]->reference != NULL &&
				    strcmp(list[j]->reference, list[i]->name) == 0;
			if (ref == (pass == 0))
				tmp[k++] = list[i];
		}
	}
	memcpy(list, tmp, n * sizeof *list);
	free(tmp);
}

/* Does the source record this currency? */
int
source_has(const struct source *s, const char *code)
{
	size_t i;

	for (i = 0; i < s->ncurrencies; i++) {
		if (strcmp(s->currencies[i], code) == 0)
			return 1;
	}
	return 0;
}

static int
valid_name(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-");

	return n > 0 && n <= 64 && s[n] == '\0';
}

static int
valid_code(const char *s)
{
	return strlen(s) == 3 && isupper((unsigned char)s[0]) &&
	    isupper((unsigned char)s[1]) && isupper((unsigned char)s[2]);
}

static struct source *
source_add(struct config *cfg, const char *name, const char *origin)
{
	struct source *s;

	s = xcalloc(1, sizeof *s);
	s->name = xstrdup(name);
	s->quote = xstrdup("KGS");
	s->date_format = xstrdup("%Y-%m-%d");
	s->interval = 600;
	s->timeout = HTTP_TIMEOUT;
	s->user_agent = xstrdup("rates/" RATES_VERSION);
	s->max_jump = 50 * DEC_SCALE;
	s->max_deviation = 10 * DEC_SCALE;
	s->enabled = 1;
	s->origin = xstrdup(origin);
	cfg->sources = xreallocarray(cfg->sources, cfg->nsources + 1,
	    sizeof *cfg->sources);
	cfg->sources[cfg->nsources++] = s;
	return s;
}

static void
replace(char **field, const char *value)
{
	free(*field);
	*field = xstrdup(value);
}

static int
set_currencies(struct source *s, const char *value, char **cause)
{
	char *copy, *tok, *save = NULL;
	size_t i;

	for (i = 0; i < s->ncurrencies; i++)
		free(s->currencies[i]);
	free(s->currencies);
	s->currencies = NULL;
	s->ncurrencies = 0;
	copy = xstrdup(value);
	for (tok = strtok_r(copy, " \t,", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t,", &save)) {
		if (!valid_code(tok)) {
			*cause = xasprintf("'%s' is not a currency code "
			    "(three capital letters)", tok);
			goto fail;
		}
		for (i = 0; i < s->ncurrencies; i++) {
			if (strcmp(s->currencies[i], tok) == 0) {
				*cause = xasprintf("currency %s is listed "
				    "twice", tok);
				goto fail;
			}
		}
		s->currencies = xreallocarray(s->currencies,
		    s->ncurrencies + 1, sizeof *s->currencies);
		s->currencies[s->ncurrencies++] = xstrdup(tok);
	}
	free(copy);
	if (s->ncurrencies == 0) {
		*cause = xstrdup("no currencies");
		return -1;
	}
	return 0;
fail:
	free(copy);
	return -1;
}

static int
set_pattern(struct source *s, const char *code, const char *value,
    int untrusted, char **cause)
{
	struct source_pattern *sp = NULL;
	struct pattern *re;
	char *why;
	size_t i;

	if (!valid_code(code)) {
		*cause = xasprintf("pattern.%s: not a currency code", code);
		return -1;
	}
	if ((re = pattern_new(value, PAT_RATE | untrusted, &why)) == NULL) {
		*cause = xasprintf("pattern.%s: %s", code, why);
		free(why);
		return -1;
	}
	for (i = 0; i < s->npats; i++) {
		if (strcmp(s->pats[i].code, code) == 0)
			sp = &s->pats[i];
	}
	if (sp == NULL) {
		s->pats = xreallocarray(s->pats, s->npats + 1, sizeof *s->pats);
		sp = &s->pats[s->npats++];
		memset(sp, 0, sizeof *sp);
		snprintf(sp->code, sizeof sp->code, "%s", code);
	}
	free(sp->text);
	pattern_free(sp->re);
	sp->text = xstrdup(value);
	sp->re = re;
	return 0;
}

static int
set_regex(char **text, struct pattern **re, int kind, const char *key,
    const char *value, char **cause)
{
	struct pattern *p;
	char *why;

	if ((p = pattern_new(value, kind, &why)) == NULL) {
		*cause = xasprintf("%s: %s", key, why);
		free(why);
		return -1;
	}
	pattern_free(*re);
	*re = p;
	replace(text, value);
	return 0;
}

/* archive_ids = USD=15 EUR=20: the archive's number of each currency. */
static int
set_archive_ids(struct source *s, const char *value, char **cause)
{
	struct archive_id *ids = NULL;
	size_t n = 0, i;
	char *copy, *tok, *save = NULL, *eq, *e;
	long id;

	copy = xstrdup(value);
	for (tok = strtok_r(copy, " \t,", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t,", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			goto bad;
		*eq = '\0';
		id = strtol(eq + 1, &e, 10);
		if (!valid_code(tok) || eq[1] == '\0' || *e != '\0' ||
		    id <= 0 || id > 1000000)
			goto bad;
		for (i = 0; i < n; i++) {
			if (strcmp(ids[i].code, tok) == 0) {
				*cause = xasprintf("archive_ids: %s is listed "
				    "twice", tok);
				goto fail;
			}
		}
		ids = xreallocarray(ids, n + 1, sizeof *ids);
		snprintf(ids[n].code, sizeof ids[n].code, "%s", tok);
		ids[n++].id = id;
	}
	free(copy);
	free(s->archive_ids);
	s->archive_ids = ids;
	s->narchive_ids = n;
	return 0;
bad:
	*cause = xasprintf("archive_ids: '%s' is not CODE=NUMBER", tok);
fail:
	free(ids);
	free(copy);
	return -1;
}

static int
set_bool(int *out, const char *value)
{
	if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
	    strcmp(value, "on") == 0 || strcmp(value, "1") == 0)
		*out = 1;
	else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 ||
	    strcmp(value, "off") == 0 || strcmp(value, "0") == 0)
		*out = 0;
	else
		return -1;
	return 0;
}

/* Apply one key = value to a source (untrusted: PAT_UNTRUSTED or 0). */
static int
set_key(struct source *s, const char *key, const char *value, int untrusted,
    char **cause)
{
	char *why = NULL, *copy;
	long secs;
	int64_t pct;
	size_t n;

	if (strcmp(key, "url") == 0) {
		if (strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			*cause = xasprintf("url '%s': only http:// and "
			    "https:// URLs", value);
			return -1;
		}
		replace(&s->url, value);
	} else if (strcmp(key, "quote") == 0) {
		if (!valid_code(value)) {
			*cause = xasprintf("quote '%s' is not a currency code",
			    value);
			return -1;
		}
		replace(&s->quote, value);
	} else if (strcmp(key, "currencies") == 0)
		return set_currencies(s, value, cause);
	else if (strncmp(key, "pattern.", 8) == 0)
		return set_pattern(s, key + 8, value, untrusted, cause);
	else if (strcmp(key, "pattern") == 0)
		return set_regex(&s->pattern_text, &s->pattern,
		    PAT_COMBINED | untrusted, key, value, cause);
	else if (strcmp(key, "time_pattern") == 0)
		return set_regex(&s->time_text, &s->time, PAT_TIME | untrusted,
		    key, value, cause);
	else if (strcmp(key, "date_format") == 0) {
		if (strstr(value, "%Y") == NULL || strstr(value, "%m") == NULL ||
		    (strstr(value, "%d") == NULL && strstr(value, "%e") == NULL)) {
			*cause = xasprintf("date_format '%s' needs %%Y, %%m "
			    "and %%d", value);
			return -1;
		}
		replace(&s->date_format, value);
	} else if (strcmp(key, "decimal") == 0) {
		if (strcmp(value, ".") == 0 || strcmp(value, ",") == 0)
			s->decimal = value[0];
		else if (strcmp(value, "any") == 0)
			s->decimal = 0;
		else {
			*cause = xasprintf("decimal '%s': expected '.', ',' or "
			    "any", value);
			return -1;
		}
	} else if (strcmp(key, "utc_offset") == 0) {
		if (time_parse_offset(value, &s->utc_offset, &why) != 0)
			goto bad;
	} else if (strcmp(key, "interval") == 0 ||
	    strcmp(key, "timeout") == 0) {
		if (time_parse_duration(value, &secs, &why) != 0)
			goto bad;
		if (secs <= 0) {
			*cause = xasprintf("%s must be more than zero", key);
			return -1;
		}
		if (key[0] == 't' && secs > HTTP_TIMEOUT) {
			*cause = xasprintf("timeout is at most %lds",
			    HTTP_TIMEOUT);
			return -1;
		}
		*(key[0] == 'i' ? &s->interval : &s->timeout) = secs;
	} else if (strcmp(key, "user_agent") == 0)
		replace(&s->user_agent, value);
	else if (strcmp(key, "max_jump") == 0 ||
	    strcmp(key, "max_deviation") == 0) {
		copy = xstrdup(value);
		n = strlen(copy);
		if (n > 0 && copy[n - 1] == '%')
			copy[--n] = '\0';
		if (dec_parse(copy, n, &pct, NULL, &why) != 0 || pct <= 0) {
			free(copy);
			goto bad;
		}
		free(copy);
		*(key[4] == 'j' ? &s->max_jump : &s->max_deviation) = pct;
	} else if (strcmp(key, "type") == 0) {
		if (strcmp(value, "page") == 0)
			s->type = SOURCE_PAGE;
		else if (strcmp(value, "nbkr-xml") == 0) {
			s->type = SOURCE_NBKR_XML;
			/* The feed's Date, unless the section says otherwise. */
			if (strcmp(s->date_format, "%Y-%m-%d") == 0)
				replace(&s->date_format, "%d.%m.%Y");
		}
		else {
			*cause = xasprintf("type '%s': expected page or "
			    "nbkr-xml", value);
			return -1;
		}
	} else if (strcmp(key, "archive_url") == 0) {
		if (strncmp(value, "http://", 7) != 0 &&
		    strncmp(value, "https://", 8) != 0) {
			*cause = xasprintf("archive_url '%s': only http:// "
			    "and https:// URLs", value);
			return -1;
		}
		replace(&s->archive_url, value);
	} else if (strcmp(key, "archive_ids") == 0)
		return set_archive_ids(s, value, cause);
	else if (strcmp(key, "reference") == 0) {
		if (strcmp(value, "none") == 0) {
			free(s->reference);
			s->reference = NULL;
		} else if (!valid_name(value)) {
			*cause = xasprintf("reference: bad source name '%s'",
			    value);
			return -1;
		} else
			replace(&s->reference, value);
	} else if (strcmp(key, "enabled") == 0) {
		if (set_bool(&s->enabled, value) != 0) {
			*cause = xasprintf("enabled '%s': expected yes or no",
			    value);
			return -1;
		}
	} else {
		*cause = xasprintf("unknown key '%s'", key);
		return -1;
	}
	return 0;
bad:
	if (why == NULL)
		why = xasprintf("'%s' is not a percentage", value);
	*cause = xasprintf("%s: %s", key, why);
	free(why);
	return -1;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * Parse a section header "[source NAME]" or "[alert NAME]" (the name may
 * be quoted); *alert says which.
 */
static int
section(char *line, char **name, int *alert, char **cause)
{
	char *p, *e;
	size_t n;

	e = line + strlen(line) - 1;
	if (*e != ']') {
		*cause = xstrdup("section header without ']'");
		return -1;
	}
	*e = '\0';
	p = trim(line + 1);
	*alert = strncmp(p, "alert", 5) == 0 && isspace((unsigned char)p[5]);
	n = *alert ? 5 : 6;
	if (!*alert && (strncmp(p, "source", 6) != 0 ||
	    !isspace((unsigned char)p[6]))) {
		*cause = xasprintf("unknown section '[%s]' (expected "
		    "[source NAME] or [alert NAME])", p);
		return -1;
	}
	p = trim(p + n);
	e = p + strlen(p);
	if (*p == '"' && e > p + 1 && e[-1] == '"') {
		e[-1] = '\0';
		p++;
	}
	if (!valid_name(p)) {
		*cause = xasprintf("bad %s name '%s' (expected [a-z0-9_-]+)",
		    *alert ? "alert" : "source", p);
		return -1;
	}
	*name = p;
	return 0;
}

/*
 * Parse a config text.  Lines are "[source NAME]", "key = value", blank
 * or comments starting with '#' or ';'.  Errors name the file and line.
 */
int
config_parse(struct config *cfg, const char *text, size_t len,
    const char *file, char **cause)
{
	const char *p = text, *end = text + len, *nl;
	struct source *s = NULL;
	struct alert *a = NULL;
	char *line, *l, *eq, *key, *value, *name, *why = NULL, *origin;
	unsigned lineno = 0;
	int is_alert;

	while (p < end) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		line = xstrndup(p, (size_t)(nl - p));
		p = nl + 1;
		l = trim(line);
		if (*l == '\0' || *l == '#' || *l == ';') {
			free(line);
			continue;
		}
		origin = xasprintf("%s:%u", file, lineno);
		if (*l == '[') {
			if (section(l, &name, &is_alert, &why) != 0)
				goto fail;
			s = NULL;
			a = NULL;
			if (is_alert)
				a = alert_find_or_add(cfg, name, origin);
			else if ((s = config_find(cfg, name)) == NULL)
				s = source_add(cfg, name, origin);
			else
				replace(&s->origin, origin);
		} else {
			if ((eq = strchr(l, '=')) == NULL) {
				why = xstrdup("expected 'key = value'");
				goto fail;
			}
			*eq = '\0';
			key = trim(l);
			value = trim(eq + 1);
			if (s == NULL && a == NULL) {
				why = xasprintf("'%s' outside a [source NAME] "
				    "section", key);
				goto fail;
			}
			if (*value == '\0') {
				why = xasprintf("%s: empty value", key);
				goto fail;
			}
			/* Only the built-in text is trusted with patterns. */
			if (a != NULL ? set_alert_key(a, key, value, &why) != 0 :
			    set_key(s, key, value, text == builtin ? 0 :
			    PAT_UNTRUSTED, &why) != 0)
				goto fail;
		}
		free(origin);
		free(line);
	}
	return 0;
fail:
	*cause = xasprintf("%s: %s", origin, why);
	free(why);
	free(origin);
	free(line);
	return -1;
}

/*
 * Read a config file.  A missing file is fine unless required (the file
 * named by -c).
 */
int
config_load(struct config *cfg, const char *path, int required, char **cause)
{
	struct buf b = BUF_INIT;
	char *why;
	int r;

	if (buf_read_file(&b, path, 1024 * 1024, &why) != 0) {
		if (!required && errno == ENOENT) {
			free(why);
			buf_release(&b);
			return 0;
		}
		*cause = xasprintf("%s: %s", path, why);
		free(why);
		buf_release(&b);
		return -1;
	}
	if (memchr(b.data, '\0', b.len) != NULL) {
		*cause = xasprintf("%s: not a text file", path);
		buf_release(&b);
		return -1;
	}
	r = config_parse(cfg, b.data, b.len, path, cause);
	buf_release(&b);
	return r;
}

/* Is the source complete enough to read a page with? */
int
config_check_source(const struct source *s, char **cause)
{
	size_t j;

	if (s->url == NULL) {
		*cause = xasprintf("%s: source '%s' has no url", s->origin,
		    s->name);
		return -1;
	}
	if (s->ncurrencies == 0) {
		*cause = xasprintf("%s: source '%s' has no currencies",
		    s->origin, s->name);
		return -1;
	}
	if (s->type == SOURCE_NBKR_XML) {
		if (s->pattern != NULL || s->npats != 0 || s->time != NULL) {
			*cause = xasprintf("%s: source '%s' is read as the "
			    "nbkr-xml feed: patterns are not used", s->origin,
			    s->name);
			return -1;
		}
		return 0;
	}
	for (j = 0; j < s->ncurrencies; j++) {
		if (s->pattern == NULL &&
		    source_pattern_for(s, s->currencies[j]) == NULL) {
			*cause = xasprintf("%s: source '%s' has no pattern for "
			    "%s", s->origin, s->name, s->currencies[j]);
			return -1;
		}
	}
	return 0;
}

/* Check that every enabled source and every alert is complete. */
int
config_finish(struct config *cfg, char **cause)
{
	struct alert *a;
	size_t i;

	struct source *s;

	for (i = 0; i < cfg->nsources; i++) {
		s = cfg->sources[i];
		if (s->enabled && config_check_source(s, cause) != 0)
			return -1;
		if (s->reference != NULL && (strcmp(s->reference, s->name) ==
		    0 || config_find(cfg, s->reference) == NULL)) {
			*cause = xasprintf("%s: source '%s': reference '%s' is "
			    "%s", s->origin, s->name, s->reference,
			    strcmp(s->reference, s->name) == 0 ? "itself" :
			    "not a source");
			return -1;
		}
	}
	for (i = 0; i < cfg->nalerts; i++) {
		a = cfg->alerts[i];
		if (a->currency == NULL) {
			*cause = xasprintf("%s: alert '%s' has no currency",
			    a->origin, a->name);
			return -1;
		}
		if (a->nkinds != 1) {
			*cause = xasprintf("%s: alert '%s' needs one of above, "
			    "below or change_pct", a->origin, a->name);
			return -1;
		}
	}
	return 0;
}

/*
 * The config in effect: the built-in source, then /etc/rates/rates.conf,
 * $XDG_CONFIG_HOME/rates/rates.conf (or ~/.config/...), then file (which
 * must exist) when not NULL.
 */
struct config *
config_read(const char *file, char **cause)
{
	struct config *cfg;
	const char *xdg, *home;
	char *path = NULL;

	cfg = config_new();
	if (config_load(cfg, "/etc/rates/rates.conf", 0, cause) != 0)
		goto fail;
	if ((xdg = getenv("XDG_CONFIG_HOME")) != NULL && *xdg == '/')
		path = xasprintf("%s/rates/rates.conf", xdg);
	else if ((home = getenv("HOME")) != NULL && *home != '\0')
		path = xasprintf("%s/.config/rates/rates.conf", home);
	if (path != NULL && config_load(cfg, path, 0, cause) != 0)
		goto fail;
	if (file != NULL && config_load(cfg, file, 1, cause) != 0)
		goto fail;
	if (config_finish(cfg, cause) != 0)
		goto fail;
	free(path);
	return cfg;
fail:
	free(path);
	config_free(cfg);
	return NULL;
}
