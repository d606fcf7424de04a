/*
 * extract.c: all of PCRE2, and the finding of a page's header block.
 * A source's patterns are compiled once (with JIT where the platform has
 * it) together with their match data, and run over the raw bytes of a page.
 *
 * The header is found as a unit (SPEC section 3): the combined pattern
 * matches one item, a currency code and what follows it (a number, a
 * placeholder such as "n/a", or nothing), and a block is a run of items
 * with only separators (white space, entities, tags) between them, their
 * codes in the order of the source's currencies.  The first run that
 * carries at least two of them (one, for a source of one currency), shows
 * something for at least one, and has no number in another notation than
 * the source's is the header; a later block is never used instead.  The
 * time of the page is the one just above the block (or inside it), with
 * no other number between: never one from elsewhere on the page.
 *
 * Every match runs under match, depth and heap limits so that a pattern
 * that backtracks without end is an error, not a hang.  Those limits hold
 * for one start position: a user's pattern could still spend them again at
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
#define TIME_REACH 1024 /* bytes above the block where its time may end */
#define TAG_MAX 4096    /* the longest tag (as in SEP_UNIT) */

struct pattern {
	pcre2_code *code;
	pcre2_code *anchored; /* the same, anchored: the next item of a block */
	pcre2_match_data *md;
	int kind;
	int rate_group; /* 0 is the whole match */
	int code_group;
	int date_group; /* -1 if none */
	int time_group;
	int na_group;   /* a placeholder shown instead of a number, or -1 */
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
	p->na_group = group(code, "na");
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
	if (kind == PAT_COMBINED) {
		/* The same pattern anchored, for the items after the first. */
		p->anchored = pcre2_compile((PCRE2_SPTR)text,
		    PCRE2_ZERO_TERMINATED, opts | PCRE2_ANCHORED, &err, &off,
		    NULL);
		if (p->anchored == NULL)
			fatal("pattern compiles once, not twice");
		(void)pcre2_jit_compile(p->anchored, PCRE2_JIT_COMPLETE);
	}
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
	pcre2_code_free(p->anchored);
	free(p);
}

/*
 * Run p (or its anchored twin) at offset; 1 on a match, 0 on none, -1 with
 * *cause on a failure.
 */
static int
run_code(struct pattern *p, pcre2_code *code, const char *buf, size_t len,
    size_t start, char **cause)
{
	int rc;
	char *msg;

	rc = pcre2_match(code, (PCRE2_SPTR)buf, len, start, 0, p->md,
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

static int
run(struct pattern *p, const char *buf, size_t len, size_t start,
    char **cause)
{
	return run_code(p, p->code, buf, len, start, cause);
}

/* The text of buf[a, b), NULs shown as '?', cut at max (0: whole). */
static char *
text_of(const char *buf, size_t a, size_t b, size_t max)
{
	char *s;
	size_t i;

	if (max != 0 && b - a > max)
		b = a + max;
	s = xstrndup(buf + a, b - a);
	for (i = 0; i < b - a; i++) {
		if (s[i] == '\0')
			s[i] = '?';
	}
	return s;
}

/* The span of group n of the last match; 0 when it is unset. */
static int
span(struct pattern *p, int n, size_t *a, size_t *b)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(p->md);

	if (n < 0 || ov[2 * n] == PCRE2_UNSET || ov[2 * n + 1] < ov[2 * n])
		return 0;
	*a = ov[2 * n];
	*b = ov[2 * n + 1];
	return 1;
}

/* The text of group n of the last match, or NULL when it is unset. */
static char *
captured(struct pattern *p, const char *buf, int n, size_t max)
{
	size_t a, b;

	if (!span(p, n, &a, &b))
		return NULL;
	/* A NUL byte must not end the text early: show it, and fail it. */
	return text_of(buf, a, b, max);
}


/* A per-currency pattern's first match on the page. */
static void
take(struct extract_item *it, struct pattern *p, const char *buf)
{
	it->found = 1;
	it->match = captured(p, buf, 0, MATCH_TEXT_MAX);
	it->rate_text = captured(p, buf, p->rate_group, 0);
	if (it->rate_text == NULL)
		it->rate_text = xstrdup("");
	span(p, 0, &it->start, &it->end);
}

/* One separator between the items of a block: white space, an entity, a tag. */
static pcre2_code *sep_code;
static pcre2_match_data *sep_md;

/* Past the separator at pos, or pos itself when there is none. */
static size_t
sep_unit(const char *buf, size_t len, size_t pos)
{
	PCRE2_SIZE off;
	int err;

	if (sep_code == NULL) {
		sep_code = pcre2_compile((PCRE2_SPTR)SEP_UNIT,
		    PCRE2_ZERO_TERMINATED, PCRE2_ANCHORED, &err, &off, NULL);
		if (sep_code == NULL)
			fatal("the separator pattern does not compile");
		(void)pcre2_jit_compile(sep_code, PCRE2_JIT_COMPLETE);
		if ((sep_md = pcre2_match_data_create(1, NULL)) == NULL)
			fatal("out of memory");
	}
	if (pcre2_match(sep_code, (PCRE2_SPTR)buf, len, pos, 0, sep_md,
	    limits()) < 0)
		return pos;
	return pcre2_get_ovector_pointer(sep_md)[1];
}

/* Does a tag open at buf[i] ("<a", "</", "<!", "<?"), not a "<" in text? */
static int
tag_opens(const char *buf, size_t len, size_t i)
{
	char c;

	if (i + 1 >= len || buf[i] != '<')
		return 0;
	c = buf[i + 1];
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '/' ||
	    c == '!' || c == '?';
}

/*
 * Is pos inside a tag (an attribute, say: <div title="USD 1.00">)?  A tag
 * opens before it with no '>' between, and closes after it.
 */
static int
in_tag(const char *buf, size_t len, size_t pos)
{
	size_t i, n;

	for (i = pos, n = 0; i > 0 && n < TAG_MAX; i--, n++) {
		if (buf[i - 1] == '>')
			return 0;
		if (buf[i - 1] == '<') {
			if (!tag_opens(buf, len, i - 1))
				return 0;
			for (n = 0; pos < len && n < TAG_MAX; pos++, n++) {
				if (buf[pos] == '>')
					return 1;
				if (buf[pos] == '<')
					return 0;
			}
			return 0;
		}
	}
	return 0;
}

/* One item of the combined pattern: where, which currency, what it shows. */
struct item {
	size_t start, end;
	int idx;     /* the source's currency, or -1 for another code */
	int coded;   /* the match named a code at all */
	int number;  /* rs..re is the number */
	int na;      /* ns..ne is a placeholder */
	size_t rs, re, ns, ne;
};

static int
item_at(const struct source *src, struct pattern *p, const char *buf,
    size_t len, size_t pos, int anchored, struct item *c, char **cause)
{
	size_t a, b, i;
	int r;

	r = run_code(p, anchored ? p->anchored : p->code, buf, len, pos, cause);
	if (r != 1)
		return r;
	memset(c, 0, sizeof *c);
	span(p, 0, &c->start, &c->end);
	c->idx = -1;
	if (span(p, p->code_group, &a, &b) && b > a) {
		c->coded = 1;
		for (i = 0; i < src->ncurrencies; i++) {
			if (strlen(src->currencies[i]) == b - a &&
			    memcmp(src->currencies[i], buf + a, b - a) == 0)
				c->idx = (int)i;
		}
	}
	c->number = span(p, p->rate_group, &c->rs, &c->re) && c->re > c->rs;
	c->na = span(p, p->na_group, &c->ns, &c->ne) && c->ne > c->ns;
	return 1;
}

/*
 * Is the number in another notation than the source's: one decimal mark,
 * not the source's own (11,22 where the source prints 87.45)?  A number
 * with no mark is in every notation; one with several is not a number,
 * which is that currency's error, not the block's.
 */
static int
other_notation(const struct source *src, const char *s, size_t n)
{
	size_t i, marks = 0;
	char mark = 0;

	if (src->decimal == 0)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == ',') {
			marks++;
			mark = s[i];
		}
	}
	return marks == 1 && mark != src->decimal;
}


/*
 * Find the header block with the combined pattern and fill the items of
 * the currencies that have no pattern of their own.  Returns -1 when the
 * pattern failed (limits), with *cause.
 */
static int
find_block(const struct source *src, const char *buf, size_t len,
    struct extraction *ex, char **cause)
{
	struct pattern *p = src->pattern;
	struct item c, *chain = NULL;
	struct extract_item *it;
	size_t pos = 0, n, i, k, nsrc, need, end, next, sep, good, bad;
	size_t first_bad = 0, wanted, nothing;
	int r = 0, last, shown, why;

	need = src->ncurrencies < 2 ? src->ncurrencies : 2;
	work_left = WORK_BUDGET; /* for all the matching of the search */
	while (pos <= len) {
		if ((r = item_at(src, p, buf, len, pos, 0, &c, cause)) != 1)
			break;
		if (!c.coded || c.idx == -1 || in_tag(buf, len, c.start)) {
			pos = c.end > pos ? c.end : pos + 1;
			if (c.start >= pos)
				pos = c.start + 1;
			continue;
		}
		/* The run of items from here. */
		n = 0;
		last = -1;
		end = c.start;
		for (;;) {
			if (c.idx != -1) {
				if (c.idx <= last)
					break; /* out of order, or again */
				last = c.idx;
			}
			chain = xreallocarray(chain, n + 1, sizeof *chain);
			chain[n++] = c;
			end = c.end;
			/*
			 * The next item starts after some of the separators:
			 * try after each (a tag may open the next item).
			 */
			for (next = end, k = 0; k <= SEP_MAX; k++) {
				r = item_at(src, p, buf, len, next, 1, &c,
				    cause);
				if (r == -1)
					goto out;
				if (r == 1 && c.coded && c.end > end)
					break;
				r = 0;
				if ((sep = sep_unit(buf, len, next)) == next)
					break;
				next = sep;
			}
			if (r == 0)
				break;
		}
		/*
		 * Numbers in another notation: all of them (a widget's
		 * "USD 11,22") make the block no header; some among numbers
		 * in the source's notation are those currencies' errors.
		 */
		nsrc = shown = good = bad = wanted = nothing = 0;
		for (i = 0; i < n; i++) {
			if (chain[i].idx == -1)
				continue;
			nsrc++;
			if (!chain[i].number && !chain[i].na)
				nothing++;
			wanted += source_pattern_for(src,
			    src->currencies[chain[i].idx]) == NULL;
			shown += chain[i].number || chain[i].na;
			if (!chain[i].number)
				continue;
			if (!other_notation(src, buf + chain[i].rs,
			    chain[i].re - chain[i].rs)) {
				good++;
				continue;
			}
			if (bad++ == 0)
				first_bad = i;
		}
		why = bad != 0 && good == 0;
		if (why && ex->not_header == NULL) {
			char *num = text_of(buf, chain[first_bad].rs,
			    chain[first_bad].re, 32);

			ex->not_header = xasprintf("%s %s is not in the "
			    "source's notation, decimal '%c'",
			    src->currencies[chain[first_bad].idx], num,
			    src->decimal);
			free(num);
		}
		/*
		 * More codes showing nothing than something: codes in a row
		 * over their numbers (a table), or a menu beside another
		 * number, where a number would go to the wrong code.  It is
		 * in the header's place, so no later block is taken either.
		 */
		if (nsrc >= need && shown != 0 && !why && nothing > (size_t)shown) {
			if (ex->not_header == NULL)
				ex->not_header = xasprintf("more of its "
				    "currencies show no number than a number");
			break;
		}
		if (nsrc >= need && wanted != 0 && shown != 0 && !why) {
			ex->has_block = 1;
			ex->block_start = chain[0].start;
			ex->block_end = end;
			ex->block_text = text_of(buf, ex->block_start, end,
			    MATCH_TEXT_MAX);
			for (i = 0; i < n; i++) {
				if (chain[i].idx == -1)
					continue;
				it = &ex->items[chain[i].idx];
				if (source_pattern_for(src, it->code) != NULL)
					continue;
				it->found = 1;
				it->start = chain[i].start;
				it->end = chain[i].end;
				it->match = text_of(buf, chain[i].start,
				    chain[i].end, MATCH_TEXT_MAX);
				if (chain[i].number) {
					it->rate_text = text_of(buf,
					    chain[i].rs, chain[i].re, 0);
					it->notation = other_notation(src,
					    buf + chain[i].rs, chain[i].re -
					    chain[i].rs) ? src->decimal : 0;
				} else if (chain[i].na)
					it->shown = text_of(buf, chain[i].ns,
					    chain[i].ne, 32);
				else
					it->shown = xstrdup("");
			}
			break;
		}
		/* Not the header: go on after the whole run. */
		pos = end > chain[0].start ? end : chain[0].start + 1;
	}
out:
	free(chain);
	return r == -1 ? -1 : 0;
}

/*
 * Is there no number in the text between a time and its block?  Tags and
 * entities may hold digits (class names, &#160;); the text may not.  A '<'
 * that opens no tag is text.
 */
static int
gap_clean(const char *buf, size_t a, size_t b)
{
	const char *q;

	if (b - a > TIME_REACH)
		return 0;
	while (a < b) {
		if (tag_opens(buf, b, a) &&
		    (q = memchr(buf + a, '>', b - a)) != NULL)
			a = (size_t)(q - buf) + 1;
		else if (buf[a] == '&' &&
		    (q = memchr(buf + a, ';', b - a < 12 ? b - a : 12)) != NULL)
			a = (size_t)(q - buf) + 1;
		else if (buf[a] >= '0' && buf[a] <= '9')
			return 0;
		else
			a++;
	}
	return 1;
}

/*
 * The time of the block: the last match of the time pattern that starts
 * inside the block, or ends at most TIME_REACH bytes above it with no
 * number between; never one inside a tag, from below the block or further
 * away.  The search starts further up, so that a date is not cut off its
 * clock.
 */
static void
find_time(const struct source *src, const char *buf, size_t bstart,
    size_t bend, struct extraction *ex)
{
	struct pattern *p = src->time;
	size_t pos, a = 0, b = 0, best_a = 0, best_b = 0, ta, tb, da, db;
	int r, found = 0, has_date = 0;

	pos = bstart > 2 * TIME_REACH ? bstart - 2 * TIME_REACH : 0;
	/* Start at a line or a tag, not inside a date. */
	for (a = 0; pos > 0 && a < 64 && buf[pos - 1] != '\n' &&
	    buf[pos - 1] != '>'; a++)
		pos--;
	work_left = WORK_BUDGET;
	while (pos <= bend) {
		r = run(p, buf, bend, pos, &ex->time_error);
		if (r != 1)
			break;
		span(p, 0, &a, &b);
		if (!in_tag(buf, bend, a) && (a >= bstart ||
		    (b <= bstart && gap_clean(buf, b, bstart)))) {
			if (span(p, p->time_group, &ta, &tb)) {
				found = 1;
				best_a = a;
				best_b = b;
				has_date = span(p, p->date_group, &da, &db);
				ex->time_at = a;
				free(ex->time_text);
				free(ex->date_text);
				ex->time_text = text_of(buf, ta, tb, 64);
				ex->date_text = has_date ? text_of(buf, da, db,
				    64) : NULL;
			}
		}
		pos = b > a ? b : a + 1;
		if (pos <= a)
			break;
	}
	if (found) {
		ex->has_time = 1;
		ex->time_match = text_of(buf, best_a, best_b, MATCH_TEXT_MAX);
	} else {
		free(ex->time_text);
		free(ex->date_text);
		ex->time_text = ex->date_text = NULL;
	}
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
	size_t i, left, a = SIZE_MAX, b = 0;
	char *err = NULL;
	int r;

	if (src->type == SOURCE_NBKR_XML) {
		nbkr_feed_extract(src, buf, len, ex);
		return;
	}
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
		if (r == 1) {
			take(it, sp->re, buf);
			if (it->start < a)
				a = it->start;
			if (it->end > b)
				b = it->end;
		}
	}

	/* The header block, for the currencies without their own pattern. */
	if (left != 0 && src->pattern != NULL) {
		ex->searched = 1;
		if (find_block(src, buf, len, ex, &err) != 0) {
			for (i = 0; i < ex->nitems; i++) {
				it = &ex->items[i];
				if (!it->found && source_pattern_for(src,
				    it->code) == NULL)
					it->error = xstrdup(err);
			}
			free(err);
		}
	}
	/* Without a block, the span of the per-currency matches stands in. */
	if (!ex->has_block && a < b) {
		ex->block_start = a;
		ex->block_end = b;
	}

	if (src->time != NULL && (ex->has_block || a < b))
		find_time(src, buf, ex->block_start, ex->block_end, ex);
}

void
extraction_release(struct extraction *ex)
{
	size_t i;

	for (i = 0; i < ex->nitems; i++) {
		free(ex->items[i].match);
		free(ex->items[i].rate_text);
		free(ex->items[i].shown);
		free(ex->items[i].error);
	}
	free(ex->items);
	free(ex->time_match);
	free(ex->date_text);
	free(ex->time_text);
	free(ex->time_error);
	free(ex->block_text);
	free(ex->not_header);
	free(ex->doc_error);
	for (i = 0; i < ex->nnotes; i++)
		free(ex->notes[i]);
	free(ex->notes);
	memset(ex, 0, sizeof *ex);
}

/*
 * Why a page gave no rates, for the message: no pattern matched, or the
 * blocks found were not the header (the first reason).
 */
char *
extraction_none(const struct extraction *ex)
{
	if (ex->doc_error != NULL)
		return xstrdup(ex->doc_error);
	if (ex->not_header != NULL)
		return xasprintf("a block is not the header: %s",
		    ex->not_header);
	if (ex->searched)
		return xstrdup("no block of its currencies");
	return xstrdup("no pattern matched");
}

/* PCRE2's version ("10.42 2022-12-11"), the caller's. */
char *
pcre_version(void)
{
	char v[64];

	if (pcre2_config(PCRE2_CONFIG_VERSION, v) < 0)
		return xstrdup("unknown");
	return xstrdup(v);
}
