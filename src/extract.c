/*
 * extract.c: all of PCRE2.  A source's patterns are compiled once (with JIT
 * where the platform has it) together with their match data, and run over
 * the raw bytes of a page; the first match in the document wins.  Every
 * match runs under match, depth and heap limits so that a pattern that
 * backtracks without end is an error, not a hang.  Those limits hold for
 * one start position: a user's pattern could still spend them again at
 * each of a page's million positions.  So the patterns of config files are
 * compiled with automatic callouts, and a callout counts the work of all
 * the matching a pattern does on one page against a budget.  The built-in
 * patterns, written not to backtrack, run without that cost.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define MATCH_LIMIT 20000000u
#define DEPTH_LIMIT 100000u
#define HEAP_LIMIT_KIB (64u * 1024)
#define JIT_STACK_MAX (8u * 1024 * 1024)
#define MATCH_TEXT_MAX 200
#define WORK_BUDGET 100000000ul /* callouts of one pattern on one page */

struct pattern {
	pcre2_code *code;
	pcre2_match_data *md;
	int kind;
	int rate_group; /* 0 is the whole match */
	int code_group;
	int date_group; /* -1 if none */
	int time_group;
};

static pcre2_match_context *match_context;
static pcre2_jit_stack *jit_stack;
static unsigned long work_left; /* of the pattern running now */

/* Count the work of an untrusted pattern; past the budget, give up. */
static int
work(pcre2_callout_block *cb, void *arg)
{
	(void)cb;
	(void)arg;
	if (work_left == 0)
		return PCRE2_ERROR_CALLOUT;
	work_left--;
	return 0;
}

/* The match context with the limits, made on first use. */
static pcre2_match_context *
limits(void)
{
	if (match_context != NULL)
		return match_context;
	if ((match_context = pcre2_match_context_create(NULL)) == NULL)
		fatal("out of memory");
	pcre2_set_match_limit(match_context, MATCH_LIMIT);
	pcre2_set_depth_limit(match_context, DEPTH_LIMIT);
	pcre2_set_heap_limit(match_context, HEAP_LIMIT_KIB);
	pcre2_set_callout(match_context, work, NULL);
	jit_stack = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, NULL);
	if (jit_stack != NULL)
		pcre2_jit_stack_assign(match_context, NULL, jit_stack);
	return match_context;
}

static char *
pcre_error(int rc)
{
	PCRE2_UCHAR msg[256];

	if (pcre2_get_error_message(rc, msg, sizeof msg) < 0)
		return xasprintf("error %d", rc);
	return xstrdup((char *)msg);
}

static int
group(pcre2_code *code, const char *name)
{
	int n = pcre2_substring_number_from_name(code, (PCRE2_SPTR)name);

	return n > 0 ? n : -1;
}

/*
 * Compile one pattern of a kind (PAT_RATE, PAT_COMBINED, PAT_TIME), or'd
 * with PAT_UNTRUSTED for a pattern from a config file.
 */
struct pattern *
pattern_new(const char *text, int kind, char **cause)
{
	struct pattern *p;
	pcre2_code *code;
	PCRE2_SIZE off;
	uint32_t ncap, opts;
	int err;
	char *msg;

	opts = PCRE2_DOLLAR_ENDONLY;
	if (kind & PAT_UNTRUSTED)
		opts |= PCRE2_AUTO_CALLOUT;
	kind &= ~PAT_UNTRUSTED;
	code = pcre2_compile((PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, opts,
	    &err, &off, NULL);
	if (code == NULL) {
		msg = pcre_error(err);
		*cause = xasprintf("at offset %zu: %s", (size_t)off, msg);
		free(msg);
		return NULL;
	}
	p = xcalloc(1, sizeof *p);
	p->code = code;
	p->kind = kind;
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &ncap);
	p->rate_group = group(code, "rate");
	if (p->rate_group == -1)
		p->rate_group = ncap >= 1 ? 1 : 0;
	p->code_group = group(code, "code");
	p->date_group = group(code, "date");
	p->time_group = group(code, "time");
	if (kind == PAT_COMBINED &&
	    (p->code_group == -1 || group(code, "rate") == -1)) {
		*cause = xstrdup("needs the named groups (?<code>...) and "
		    "(?<rate>...)");
		goto fail;
	}
	if (kind == PAT_TIME && p->time_group == -1) {
		*cause = xstrdup("needs the named group (?<time>...)");
		goto fail;
	}
	/* JIT is an optimisation: where it is missing, interpret. */
	(void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	if ((p->md = pcre2_match_data_create_from_pattern(code, NULL)) == NULL)
		fatal("out of memory");
	return p;
fail:
	pattern_free(p);
	return NULL;
}

void
pattern_free(struct pattern *p)
{
	if (p == NULL)
		return;
	pcre2_match_data_free(p->md);
	pcre2_code_free(p->code);
	free(p);
}

/* Run p at offset; 1 on a match, 0 on none, -1 with *cause on a failure. */
static int
run(struct pattern *p, const char *buf, size_t len, size_t start,
    char **cause)
{
	int rc;
	char *msg;

	rc = pcre2_match(p->code, (PCRE2_SPTR)buf, len, start, 0, p->md,
	    limits());
	if (rc >= 0)
		return 1;
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	msg = pcre_error(rc);
	if (rc == PCRE2_ERROR_CALLOUT)
		*cause = xstrdup("pattern gave up: it does too much work on this "
		    "page (it backtracks too much)");
	else if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
	    rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
		*cause = xasprintf("pattern gave up: %s (it backtracks too "
		    "much)", msg);
	else
		*cause = xasprintf("pattern failed: %s", msg);
	free(msg);
	return -1;
}

/* The text of group n of the last match, or NULL when it is unset. */
static char *
captured(struct pattern *p, const char *buf, int n, size_t max)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);
	size_t a = ov[2 * n], b = ov[2 * n + 1], i;
	char *s;

	if (a == PCRE2_UNSET || b < a)
		return NULL;
	if (max != 0 && b - a > max)
		b = a + max;
	s = xstrndup(buf + a, b - a);
	/* A NUL byte must not end the text early: show it, and fail it. */
	for (i = 0; i < b - a; i++) {
		if (s[i] == '\0')
			s[i] = '?';
	}
	return s;
}

static void
take(struct extract_item *it, struct pattern *p, const char *buf, int rate)
{
	it->found = 1;
	it->match = captured(p, buf, 0, MATCH_TEXT_MAX);
	it->rate_text = captured(p, buf, rate, 0);
	if (it->rate_text == NULL)
		it->rate_text = xstrdup("");
}

/*
 * Extract every currency of src and the page time from buf.  It cannot
 * fail as a whole: what was not found, or a pattern that failed, is marked on
 * its item.
 */
void
extract_run(const struct source *src, const char *buf, size_t len,
    struct extraction *ex)
{
	const struct source_pattern *sp;
	struct extract_item *it;
	struct pattern *p;
	PCRE2_SIZE *ov;
	size_t i, start, left;
	char *code;
	int r;

	memset(ex, 0, sizeof *ex);
	ex->nitems = src->ncurrencies;
	ex->items = xcalloc(ex->nitems, sizeof *ex->items);
	left = 0;
	for (i = 0; i < ex->nitems; i++) {
		it = &ex->items[i];
		snprintf(it->code, sizeof it->code, "%s", src->currencies[i]);
		if ((sp = source_pattern_for(src, it->code)) == NULL) {
			left++;
			continue;
		}
		work_left = WORK_BUDGET;
		r = run(sp->re, buf, len, 0, &it->error);
		if (r == 1)
			take(it, sp->re, buf, sp->re->rate_group);
	}

	/* One pattern for the rest: each match names its currency. */
	if (left != 0 && (p = src->pattern) != NULL) {
		work_left = WORK_BUDGET; /* for all the matches of the loop */
		start = 0;
		while (left != 0 && start <= len) {
			char *err = NULL;

			r = run(p, buf, len, start, &err);
			if (r != 1) {
				for (i = 0; r == -1 && i < ex->nitems; i++) {
					it = &ex->items[i];
					if (!it->found && source_pattern_for(src,
					    it->code) == NULL)
						it->error = xstrdup(err);
				}
				free(err);
				break;
			}
			code = captured(p, buf, p->code_group, 8);
			for (i = 0; code != NULL && i < ex->nitems; i++) {
				it = &ex->items[i];
				if (!it->found && strcmp(it->code, code) == 0) {
					take(it, p, buf, p->rate_group);
					left--;
				}
			}
			free(code);
			ov = pcre2_get_ovector_pointer(p->md);
			start = ov[1] > ov[0] ? ov[1] : ov[0] + 1;
		}
	}

	if ((p = src->time) != NULL) {
		work_left = WORK_BUDGET;
		r = run(p, buf, len, 0, &ex->time_error);
		if (r == 1) {
			ex->has_time = 1;
			ex->time_match = captured(p, buf, 0, MATCH_TEXT_MAX);
			ex->time_text = captured(p, buf, p->time_group, 64);
			if (p->date_group != -1)
				ex->date_text = captured(p, buf, p->date_group,
				    64);
			if (ex->time_text == NULL)
				ex->has_time = 0;
		}
	}
}

void
extraction_release(struct extraction *ex)
{
	size_t i;

	for (i = 0; i < ex->nitems; i++) {
		free(ex->items[i].match);
		free(ex->items[i].rate_text);
		free(ex->items[i].error);
	}
	free(ex->items);
	free(ex->time_match);
	free(ex->date_text);
	free(ex->time_text);
	free(ex->time_error);
	memset(ex, 0, sizeof *ex);
}
