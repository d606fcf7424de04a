/*
 * cmd_chart.c: a chart of the selection.  On a terminal, one currency drawn
 * with braille dots (2 by 4 in each cell), fitted to the terminal's width
 * and labelled with its lowest and highest value as stored and with its
 * first and last dates; with --svg FILE, a standalone SVG picture with a
 * panel per selected series, written beside FILE and renamed into it.
 *
 * Memory does not grow with the number of samples.  A first pass over the
 * scan finds each series' period, count, lowest and highest value; a
 * second puts every sample in a time bucket (a column of dots, or two
 * pixels) that keeps only its lowest, highest and last value, so that a
 * spike inside a bucket is still drawn.  A rate holds until the next
 * sample, so the line is drawn in steps.  Values stay exact scaled
 * integers; floating point only places dots and pixels.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rates.h"

#define TEXT_MAX 32
#define CLOCK_SPAN (3 * 86400) /* a shorter chart shows times of day */

#define TERM_WIDTH 80
#define TERM_HEIGHT 12
#define TERM_MIN_COLS 8
#define GAP_FACTOR 5 /* a pause this many times the mean spacing is a gap */

#define SVG_WIDTH 1000
#define SVG_TOP 44    /* the title */
#define SVG_LEGEND 26 /* above each panel */
#define SVG_GAP 14    /* between panels */
#define SVG_BOTTOM 34 /* the dates */
#define SVG_RIGHT 44
#define SVG_MIN_PANEL 60
#define SVG_INSET 6 /* between a panel's frame and its highest tick */
#define SVG_CHAR 7.2     /* the width of a digit at 12px, near enough */
#define SVG_TICK_GAP 110 /* pixels between dates on the time axis */
#define SVG_MAX_TICKS 64

static void cmd_chart_prepare(struct cmd_ctx *);
static int cmd_chart_exec(struct cmd_ctx *);

static const struct cmd_option cmd_chart_options[] = {
	SELECT_OPTIONS,
	{"svg", OPT_SVG, "FILE", "write an SVG picture of each currency"},
	{"width", OPT_WIDTH, "N", "columns (default the terminal's), or SVG "
	    "pixels"},
	{"height", OPT_HEIGHT, "N", "rows of the chart (12), or SVG pixels"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_chart_entry = {
	.name = "chart",
	.usage = "[--since WHEN] [--until WHEN] [--currency USD] [--source S] "
	    "[--width N] [--height N] [--svg FILE] [--utc]",
	.summary = "a chart of a period in the terminal, or as SVG",
	.options = cmd_chart_options,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_CONFIG | CMD_DB_READ,
	.prepare = cmd_chart_prepare,
	.exec = cmd_chart_exec,
};

struct chart_state {
	struct selection sel;
	const char *svg;
	long width; /* 0: the default */
	long height;
};

/* The lowest, highest and last value of the samples in one time bucket. */
struct bucket {
	int set;
	int gap; /* inside a pause of the recording: drawn empty */
	int64_t lo, hi, last;
};

/* One series to draw. */
struct line {
	char *source;
	char *currency;
	const char *quote; /* NULL when the source is no longer configured */
	size_t n;
	time_t first, last_at;
	int64_t lo, hi, last;
	time_t fill_at; /* chart_fill: the sample before */
	int last_frac;
	char lo_text[TEXT_MAX], hi_text[TEXT_MAX];
	struct bucket *b;
};

/* The value axis of an SVG panel: lo and hi are ticks, step apart. */
struct panel {
	int64_t lo, hi, step;
	int decimals;
	double top; /* of the plot area */
};

struct chart {
	struct line *lines;
	size_t nlines;
	time_t t0, t1; /* the first and last sample drawn */
	size_t total;
	int utc;
	int clock; /* labels show the time of day */
	size_t nb; /* buckets per line */
	/* the terminal */
	int labw, cols, rows;
	/* SVG */
	int width, height;
	int inline_svg; /* in a page: without the XML declaration */
	double left, plotw, ploth;
	struct panel *panels;
};

struct tick {
	time_t t;
	char label[24];
};

static const char *const palette[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
	"#e377c2", "#17becf",
};

static int
parse_size(const char *opt, const char *v, long min, long max, long *out,
    char **cause)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || end == v || *end != '\0' || n < min || n > max) {
		*cause = xasprintf("%s '%s': expected a whole number from %ld "
		    "to %ld", opt, v, min, max);
		return -1;
	}
	*out = n;
	return 0;
}

static void
cmd_chart_prepare(struct cmd_ctx *ctx)
{
	struct chart_state *st = xcalloc(1, sizeof *st);
	const char *v;
	char *cause;
	int svg;

	ctx->state = st;
	if (selection_parse(ctx->args, ctx->now, &st->sel, &cause) != 0)
		cmd_usage_error(&cmd_chart_entry, "%s", cause);
	st->svg = args_get(ctx->args, OPT_SVG);
	if ((svg = st->svg != NULL) && *st->svg == '\0')
		cmd_usage_error(&cmd_chart_entry, "--svg: no file name");
	if (!svg && st->sel.ncurrencies > 1)
		cmd_usage_error(&cmd_chart_entry, "the terminal chart draws "
		    "one currency; --svg draws several");
	if ((v = args_get(ctx->args, OPT_WIDTH)) != NULL &&
	    parse_size("--width", v, svg ? 300 : 20, svg ? 10000 : 1000,
	    &st->width, &cause) != 0)
		cmd_usage_error(&cmd_chart_entry, "%s", cause);
	if ((v = args_get(ctx->args, OPT_HEIGHT)) != NULL &&
	    parse_size("--height", v, svg ? 150 : 2, svg ? 10000 : 100,
	    &st->height, &cause) != 0)
		cmd_usage_error(&cmd_chart_entry, "%s", cause);
}

/* Columns a UTF-8 string takes: its bytes less continuation bytes. */
static int
ncols(const char *s)
{
	int n = 0;

	for (; *s != '\0'; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	}
	return n;
}

/* "USD/KGS 24kg". */
static void
line_name(const struct line *l, char *out, size_t size)
{
	if (l->quote != NULL)
		snprintf(out, size, "%s/%s %s", l->currency, l->quote,
		    l->source);
	else
		snprintf(out, size, "%s %s", l->currency, l->source);
}

/* A date, or a date and a time of day for a short chart. */
static void
when_label(char *out, size_t size, time_t t, int utc, int clock)
{
	char full[64];

	time_format(full, sizeof full, t, utc);
	snprintf(out, size, "%.*s", clock ? 16 : 10, full);
}

/* "2025-12-01 – 2025-12-31 (1234 samples)", in two parts for wrapping. */
static void
range_label(const struct chart *c, size_t n, char *from, char *to,
    size_t size)
{
	char a[32], b[32];

	when_label(a, sizeof a, c->t0, c->utc, c->clock);
	when_label(b, sizeof b, c->t1, c->utc, c->clock);
	if (strcmp(a, b) == 0) {
		snprintf(from, size, "%s", a);
		snprintf(to, size, "(%zu sample%s)", n, n == 1 ? "" : "s");
		return;
	}
	snprintf(from, size, "%s –", a);
	if (c->clock && strncmp(a, b, 11) == 0) /* the same day */
		snprintf(to, size, "%s (%zu sample%s)", b + 11, n,
		    n == 1 ? "" : "s");
	else
		snprintf(to, size, "%s (%zu sample%s)", b, n,
		    n == 1 ? "" : "s");
}

static void
line_add(struct line *l, const struct scan_row *row)
{
	int64_t v = row->rate_scaled;

	if (l->n == 0 || v < l->lo) {
		l->lo = v;
		out_rate(l->lo_text, sizeof l->lo_text, row->rate_text, v);
	}
	if (l->n == 0 || v > l->hi) {
		l->hi = v;
		out_rate(l->hi_text, sizeof l->hi_text, row->rate_text, v);
	}
	if (l->n == 0)
		l->first = row->observed_at;
	l->last_at = row->observed_at;
	l->last = v;
	l->last_frac = dec_frac_digits(row->rate_text);
	l->n++;
}

static void
lines_free(struct chart *c)
{
	size_t i;

	for (i = 0; i < c->nlines; i++) {
		free(c->lines[i].source);
		free(c->lines[i].currency);
		free(c->lines[i].b);
	}
	free(c->lines);
	free(c->panels);
}

/*
 * The first pass: a line per selected series with its period, count,
 * lowest and highest value.
 */
static int
chart_extent(struct cmd_ctx *ctx, const struct selection *sel,
    struct chart *c, char **cause)
{
	const struct series *se;
	const struct source *src;
	struct scan *s;
	struct scan_row row;
	size_t i;
	int r;

	if ((s = scan_open(ctx->db, sel, 0, cause)) == NULL)
		return -1;
	c->nlines = scan_nseries(s);
	c->lines = xcalloc(c->nlines + 1, sizeof *c->lines);
	for (i = 0; i < c->nlines; i++) {
		se = scan_series(s, i);
		c->lines[i].source = xstrdup(se->source);
		c->lines[i].currency = xstrdup(se->currency);
		if (ctx->config != NULL &&
		    (src = config_find(ctx->config, se->source)) != NULL)
			c->lines[i].quote = src->quote;
	}
	while ((r = scan_next(s, &i, &row, cause)) == 1)
		line_add(&c->lines[i], &row);
	scan_close(s);
	return r;
}

/*
 * Keep the lines with samples (for the terminal only one: USD if there is,
 * else the first) and take the period they share.
 */
static void
chart_keep(struct chart *c, int one)
{
	size_t i, n = 0, pick = c->nlines;

	for (i = 0; i < c->nlines && one; i++) {
		if (c->lines[i].n == 0)
			continue;
		if (pick == c->nlines || (strcmp(c->lines[i].currency,
		    "USD") == 0 && strcmp(c->lines[pick].currency, "USD") != 0))
			pick = i;
	}
	for (i = 0; i < c->nlines; i++) {
		if (c->lines[i].n == 0 || (one && i != pick)) {
			free(c->lines[i].source);
			free(c->lines[i].currency);
			continue;
		}
		c->lines[n++] = c->lines[i];
	}
	c->nlines = n;
	c->total = 0;
	for (i = 0; i < n; i++) {
		if (i == 0 || c->lines[i].first < c->t0)
			c->t0 = c->lines[i].first;
		if (i == 0 || c->lines[i].last_at > c->t1)
			c->t1 = c->lines[i].last_at;
		c->total += c->lines[i].n;
	}
	c->clock = c->t1 - c->t0 < CLOCK_SPAN;
}

/* The bucket of a time: the first sample in the first, the last in the last. */
static size_t
bucket_of(const struct chart *c, time_t t)
{
	__int128 span = (__int128)c->t1 - c->t0;

	if (span <= 0 || c->nb < 2)
		return c->nb / 2;
	if (t < c->t0)
		t = c->t0;
	if (t > c->t1)
		t = c->t1;
	return (size_t)((((__int128)t - c->t0) * (c->nb - 1) * 2 + span) /
	    (2 * span));
}

static void
bucket_add(struct bucket *b, int64_t v)
{
	if (!b->set) {
		b->set = 1;
		b->lo = b->hi = v;
	} else if (v < b->lo)
		b->lo = v;
	else if (v > b->hi)
		b->hi = v;
	b->last = v;
}

/*
 * A pause in the recording: more than GAP_FACTOR times the line's mean
 * spacing since the sample before.  The buckets strictly between them are
 * a gap, drawn empty, not as a flat line that no sample showed.
 */
static void
mark_gap(const struct chart *c, struct line *l, time_t t)
{
	double mean;
	size_t a, b;

	if (l->fill_at != 0 && l->n > 2 && l->last_at > l->first) {
		mean = (double)(l->last_at - l->first) / (double)(l->n - 1);
		if ((double)(t - l->fill_at) > GAP_FACTOR * mean) {
			a = bucket_of(c, l->fill_at);
			b = bucket_of(c, t);
			while (++a < b)
				l->b[a].gap = 1;
		}
	}
	l->fill_at = t;
}

/*
 * The second pass: every sample into its line's bucket.  It reads only the
 * period and series the first pass found, mapped by name, so a sample or a
 * series stored meanwhile changes nothing.
 */
static int
chart_fill(struct cmd_ctx *ctx, const struct selection *sel,
    struct chart *c, char **cause)
{
	struct selection period = *sel; /* shares sel's strings */
	const struct series *se;
	struct scan *s;
	struct scan_row row;
	struct line *l;
	size_t *map, i, j;
	int r;

	period.since = c->t0;
	period.until = c->t1 + 1;
	if (c->nlines == 1) {
		period.source = c->lines[0].source;
		period.currencies = &c->lines[0].currency;
		period.ncurrencies = 1;
	}
	for (i = 0; i < c->nlines; i++)
		c->lines[i].b = xcalloc(c->nb, sizeof *c->lines[i].b);
	if ((s = scan_open(ctx->db, &period, 0, cause)) == NULL)
		return -1;
	map = xcalloc(scan_nseries(s) + 1, sizeof *map);
	for (j = 0; j < scan_nseries(s); j++) {
		se = scan_series(s, j);
		map[j] = c->nlines;
		for (i = 0; i < c->nlines; i++) {
			if (strcmp(c->lines[i].source, se->source) == 0 &&
			    strcmp(c->lines[i].currency, se->currency) == 0)
				map[j] = i;
		}
	}
	while ((r = scan_next(s, &j, &row, cause)) == 1) {
		if (map[j] == c->nlines)
			continue;
		l = &c->lines[map[j]];
		mark_gap(c, l, row.observed_at);
		bucket_add(&l->b[bucket_of(c, row.observed_at)],
		    row.rate_scaled);
	}
	free(map);
	scan_close(s);
	return r;
}

/* The width of the terminal: --width, the terminal's, $COLUMNS, or 80. */
static long
term_width(long width)
{
	struct winsize ws;
	const char *e;
	char *end;
	long n;

	if (width > 0)
		return width;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	if ((e = getenv("COLUMNS")) != NULL) {
		n = strtol(e, &end, 10);
		if (end != e && *end == '\0' && n > 0 && n <= 1000)
			return n;
	}
	return TERM_WIDTH;
}

static void
term_layout(struct chart *c, long width, long height)
{
	const struct line *l = &c->lines[0];
	int lo = (int)strlen(l->lo_text), hi = (int)strlen(l->hi_text);

	c->width = (int)term_width(width);
	c->rows = height > 0 ? (int)height : TERM_HEIGHT;
	c->labw = lo > hi ? lo : hi;
	c->cols = c->width - c->labw - 2;
	if (c->cols < TERM_MIN_COLS)
		c->cols = TERM_MIN_COLS;
	c->nb = (size_t)c->cols * 2;
}

/* The row of dots of a value, 0 at the top; a flat line is in the middle. */
static int
dot_row(const struct line *l, int ndots, int64_t v)
{
	__int128 range = (__int128)l->hi - l->lo;

	if (range == 0)
		return (ndots - 1) / 2;
	if (v < l->lo)
		v = l->lo;
	if (v > l->hi)
		v = l->hi;
	return ndots - 1 - (int)((((__int128)v - l->lo) * (ndots - 1) * 2 +
	    range) / (2 * range));
}

/* Add a braille cell (U+2800 and its dots) to b as UTF-8. */
static void
put_braille(struct buf *b, unsigned char dots)
{
	buf_addc(b, (char)0xe2);
	buf_addc(b, (char)(0xa0 | dots >> 6));
	buf_addc(b, (char)(0x80 | (dots & 0x3f)));
}

/* Print words on lines no wider than width (a longer word alone). */
static void
put_wrapped(const char *const *words, size_t n, int width)
{
	size_t i;
	int col = 0, w;

	for (i = 0; i < n; i++) {
		w = ncols(words[i]);
		if (col > 0 && col + 1 + w > width) {
			putchar('\n');
			col = 0;
		}
		if (col > 0) {
			putchar(' ');
			col++;
		}
		fputs(words[i], stdout);
		col += w;
	}
	putchar('\n');
}

/*
 * The line of dots: each column covers its bucket's lowest and highest
 * value and, for the step from the column before, that column's last.
 */
static unsigned char *
term_dots(const struct chart *c, const struct line *l)
{
	static const unsigned char bit[2][4] = {
		{0x01, 0x02, 0x04, 0x40},
		{0x08, 0x10, 0x20, 0x80},
	};
	unsigned char *cells;
	const struct bucket *b;
	int64_t cur = 0, lo, hi;
	int ndots = c->rows * 4, have = 0, y, ytop;
	size_t x, end;

	cells = xcalloc((size_t)c->rows * c->cols, 1);
	for (end = c->nb; end > 0 && !l->b[end - 1].set; end--)
		;
	for (x = 0; x < end; x++) {
		b = &l->b[x];
		if (b->set) {
			lo = have && cur < b->lo ? cur : b->lo;
			hi = have && cur > b->hi ? cur : b->hi;
			cur = b->last;
			have = 1;
		} else if (b->gap) {
			/* A pause: nothing drawn, and no step across it. */
			have = 0;
			continue;
		} else if (have)
			lo = hi = cur;
		else
			continue;
		ytop = dot_row(l, ndots, hi);
		for (y = dot_row(l, ndots, lo); y >= ytop; y--)
			cells[(size_t)(y / 4) * c->cols + x / 2] |=
			    bit[x % 2][y % 4];
	}
	return cells;
}

static void
term_print(const struct chart *c)
{
	const struct line *l = &c->lines[0];
	const char *words[3];
	unsigned char *cells;
	char name[128], title[132], from[64], to[64], first[32], mid[32];
	char last[32];
	char *dates;
	struct buf b = BUF_INIT;
	int ndots = c->rows * 4, top, bottom, r, x, m, nf, nm, nl, at;

	cells = term_dots(c, l);
	line_name(l, name, sizeof name);
	snprintf(title, sizeof title, "%s,", name);
	range_label(c, l->n, from, to, sizeof from);
	words[0] = title;
	words[1] = from;
	words[2] = to;
	put_wrapped(words, 3, c->width);

	top = dot_row(l, ndots, l->hi) / 4;
	bottom = dot_row(l, ndots, l->lo) / 4;
	for (r = 0; r < c->rows; r++) {
		buf_reset(&b);
		buf_addf(&b, "%*s %s", c->labw, r == top ? l->hi_text :
		    r == bottom ? l->lo_text : "",
		    r == top || r == bottom ? "┤" : "│");
		for (x = 0; x < c->cols; x++) {
			if (cells[(size_t)r * c->cols + x] != 0)
				put_braille(&b, cells[(size_t)r * c->cols + x]);
			else
				buf_addc(&b, ' ');
		}
		while (b.len > 0 && b.data[b.len - 1] == ' ')
			b.data[--b.len] = '\0';
		printf("%s\n", b.data);
	}

	/* The time axis: the first and last date, a middle one if it fits. */
	when_label(first, sizeof first, c->t0, c->utc, c->clock);
	when_label(last, sizeof last, c->t1, c->utc, c->clock);
	m = (c->cols - 1) / 2;
	when_label(mid, sizeof mid, c->t0 + (time_t)((double)(c->t1 - c->t0) *
	    (2.0 * m) / (double)(c->nb - 1)), c->utc, c->clock);
	nf = (int)strlen(first);
	nm = (int)strlen(mid);
	nl = (int)strlen(last);
	dates = xmalloc((size_t)c->cols + 1);
	memset(dates, ' ', (size_t)c->cols);
	dates[c->cols] = '\0';
	if (c->t1 == c->t0) {
		/* One time, drawn in the middle: its date under it. */
		at = m - nf / 2 < 0 ? 0 : m - nf / 2;
		memcpy(dates + at, first, (size_t)(at + nf <= c->cols ? nf :
		    c->cols - at));
	} else if (nf + 1 + nl <= c->cols)
		memcpy(dates, first, (size_t)nf);
	if (c->t1 != c->t0 && nf + 1 + nl > c->cols) {
		/* Too narrow for both: the last date, the one a reader wants. */
		at = c->cols - nl < 0 ? 0 : c->cols - nl;
		memcpy(dates + at, last, (size_t)(nl < c->cols ? nl : c->cols));
		m = -1;
	} else if (c->t1 != c->t0) {
		memcpy(dates + c->cols - nl, last, (size_t)nl);
		at = m - nm / 2;
		if (at >= nf + 2 && at + nm + 2 <= c->cols - nl &&
		    strcmp(mid, first) != 0 && strcmp(mid, last) != 0)
			memcpy(dates + at, mid, (size_t)nm);
		else
			m = -1;
	}
	buf_reset(&b);
	buf_addf(&b, "%*s └", c->labw, "");
	for (x = 0; x < c->cols; x++)
		buf_adds(&b, x == m || (c->t1 != c->t0 && (x == 0 ||
		    x == c->cols - 1)) ? "┬" : "─");
	printf("%s\n", b.data);
	at = c->cols;
	while (at > 0 && dates[at - 1] == ' ')
		dates[--at] = '\0';
	printf("%*s  %s\n", c->labw, "", dates);

	free(dates);
	free(cells);
	buf_release(&b);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && a < 0);
}

static int64_t
ceil_div(int64_t a, int64_t b)
{
	return a / b + (a % b != 0 && a > 0);
}

/*
 * The value axis of a panel: a step of 1, 2 or 5 times a power of ten, no
 * finer than the last digit published, with at most max steps between the
 * ticks around the lowest and highest value.
 */
static void
value_axis(const struct line *l, int max, struct panel *p)
{
	static const int mult[] = {1, 2, 5};
	int64_t unit = 1, pow, t;
	int frac, f, k, i;

	frac = dec_frac_digits(l->lo_text);
	if ((f = dec_frac_digits(l->hi_text)) > frac)
		frac = f;
	if (l->last_frac > frac)
		frac = l->last_frac;
	for (k = frac; k < DEC_FRAC; k++)
		unit *= 10;
	for (pow = unit;; pow *= 10) {
		for (i = 0; i < 3; i++) {
			p->step = pow * mult[i];
			p->lo = floor_div(l->lo, p->step) * p->step;
			p->hi = ceil_div(l->hi, p->step) * p->step;
			if (p->lo == p->hi) {
				p->lo -= p->step;
				p->hi += p->step;
			}
			if ((p->hi - p->lo) / p->step <= max)
				goto found;
		}
	}
found:
	p->decimals = DEC_FRAC;
	for (t = p->step; p->decimals > 0 && t % 10 == 0; t /= 10)
		p->decimals--;
	if (frac > p->decimals)
		p->decimals = frac;
}

static void
svg_layout(struct chart *c, long width, long height)
{
	char a[TEXT_MAX], b[TEXT_MAX];
	size_t i, n = c->nlines;
	int ph, labw = 0, w;

	if (height > 0) {
		ph = ((int)height - SVG_TOP - SVG_BOTTOM - (int)n * SVG_LEGEND -
		    ((int)n - 1) * SVG_GAP) / (int)n;
		if (ph < SVG_MIN_PANEL)
			ph = SVG_MIN_PANEL;
	} else
		ph = n == 1 ? 360 : n == 2 ? 220 : 160;
	c->height = SVG_TOP + (int)n * (SVG_LEGEND + ph) + ((int)n - 1) *
	    SVG_GAP + SVG_BOTTOM;
	if (height > c->height)
		c->height = (int)height;
	c->width = width > 0 ? (int)width : SVG_WIDTH;
	c->ploth = ph;
	c->panels = xcalloc(n, sizeof *c->panels);
	for (i = 0; i < n; i++) {
		value_axis(&c->lines[i], ph / 32 < 2 ? 2 : ph / 32,
		    &c->panels[i]);
		c->panels[i].top = SVG_TOP + (double)i * (SVG_LEGEND + ph +
		    SVG_GAP) + SVG_LEGEND;
		dec_format(a, sizeof a, c->panels[i].lo,
		    c->panels[i].decimals, 0);
		dec_format(b, sizeof b, c->panels[i].hi,
		    c->panels[i].decimals, 0);
		w = (int)(strlen(a) > strlen(b) ? strlen(a) : strlen(b));
		if (w > labw)
			labw = w;
	}
	c->left = 16 + labw * SVG_CHAR;
	c->plotw = c->width - c->left - SVG_RIGHT;
	c->nb = (size_t)(c->plotw / 2) + 1;
}

/* The first local time at or after t that is a multiple of step. */
static time_t
clock_align(time_t t, long step, int utc)
{
	struct tm tm;
	long off = 0, r;

	if (!utc) {
		localtime_r(&t, &tm);
		off = tm.tm_gmtoff;
	}
	r = (long)((t + off) % step);
	if (r < 0)
		r += step;
	return r == 0 ? t : t + (step - r);
}

/* The time a day begins, local or UTC; mktime carries an overflowing day. */
static time_t
day_start(int y, int mon, int d, int utc)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mon;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return utc ? timegm(&tm) : mktime(&tm);
}

static void
split_time(time_t t, int utc, struct tm *tm)
{
	if (utc)
		gmtime_r(&t, tm);
	else
		localtime_r(&t, tm);
}

/*
 * Dates for the time axis: a step of minutes, hours, days or months that
 * gives no more than max ticks, at round local times.
 */
static size_t
time_ticks(const struct chart *c, size_t max, struct tick *out)
{
	static const struct {
		long secs;
		int days, months;
	} steps[] = {
		{60, 0, 0}, {300, 0, 0}, {900, 0, 0}, {1800, 0, 0},
		{3600, 0, 0}, {3 * 3600, 0, 0}, {6 * 3600, 0, 0},
		{12 * 3600, 0, 0}, {0, 1, 0}, {0, 2, 0}, {0, 7, 0},
		{0, 14, 0}, {0, 0, 1}, {0, 0, 2}, {0, 0, 3}, {0, 0, 6},
		{0, 0, 12}, {0, 0, 24}, {0, 0, 60}, {0, 0, 120},
	};
	struct tm tm;
	struct time_cache tc;
	time_t t, span = c->t1 - c->t0;
	size_t i, n = 0, ns = sizeof steps / sizeof steps[0];
	long approx, k;
	int y, mon, d;

	if (max > SVG_MAX_TICKS)
		max = SVG_MAX_TICKS;
	for (i = 0; i < ns - 1; i++) {
		approx = steps[i].secs ? steps[i].secs : steps[i].days ?
		    steps[i].days * 86400L : steps[i].months * 2629746L;
		if ((size_t)(span / approx) + 1 <= max)
			break;
	}
	memset(&tc, 0, sizeof tc);
	split_time(c->t0, c->utc, &tm);
	y = tm.tm_year + 1900;
	mon = tm.tm_mon;
	d = tm.tm_mday;
	if (steps[i].secs != 0) {
		for (t = clock_align(c->t0, steps[i].secs, c->utc);
		    t <= c->t1 && n < max; t += steps[i].secs) {
			split_time(t, c->utc, &tm);
			out[n].t = t;
			snprintf(out[n++].label, sizeof out[0].label,
			    "%02d-%02d %02d:%02d", tm.tm_mon + 1, tm.tm_mday,
			    tm.tm_hour, tm.tm_min);
		}
	} else if (steps[i].days != 0) {
		/* Every day from the first midnight; weeks begin on Monday. */
		for (;; d++) {
			if ((t = day_start(y, mon, d, c->utc)) < c->t0)
				continue;
			if (t > c->t1 || n == max)
				break;
			k = time_local_day(t, c->utc, &tc);
			if ((k + (steps[i].days >= 7 ? 3 : 0)) %
			    steps[i].days != 0)
				continue;
			out[n].t = t;
			time_format_day(out[n++].label, sizeof out[0].label, k);
		}
	} else {
		for (;; mon++) {
			if ((t = day_start(y, mon, 1, c->utc)) < c->t0)
				continue;
			if (t > c->t1 || n == max)
				break;
			split_time(t, c->utc, &tm);
			if (((tm.tm_year + 1900L) * 12 + tm.tm_mon) %
			    steps[i].months != 0)
				continue;
			out[n].t = t;
			snprintf(out[n++].label, sizeof out[0].label,
			    "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
		}
	}
	if (n < 2) {
		/* Too short for round times: the first and last sample. */
		n = 0;
		out[n].t = c->t0;
		when_label(out[n++].label, sizeof out[0].label, c->t0, c->utc,
		    1);
		if (max >= 2 && c->t1 != c->t0) {
			out[n].t = c->t1;
			when_label(out[n++].label, sizeof out[0].label, c->t1,
			    c->utc, 1);
		}
	}
	return n;
}

static double
time_x(const struct chart *c, time_t t)
{
	if (c->t1 == c->t0)
		return c->left + c->plotw / 2;
	return c->left + (double)(t - c->t0) * c->plotw /
	    (double)(c->t1 - c->t0);
}

static double
bucket_x(const struct chart *c, size_t k)
{
	if (c->t1 == c->t0 || c->nb < 2)
		return c->left + c->plotw / 2;
	return c->left + (double)k * c->plotw / (double)(c->nb - 1);
}

static double
value_y(const struct chart *c, const struct panel *p, int64_t v)
{
	return p->top + SVG_INSET + (double)(p->hi - v) * (c->ploth -
	    2 * SVG_INSET) / (double)(p->hi - p->lo);
}

/*
 * A line as a polyline: at each bucket, a step from the last value before it,
 * its lowest and highest value (nearest to that first), its last value;
 * no point twice in a row.  At most four to a bucket, two pixels wide.
 */
static void
svg_line(FILE *f, const struct chart *c, const struct line *l,
    const struct panel *p, const char *color)
{
	const struct bucket *b;
	int64_t seq[4], prev = 0;
	size_t k, i, ns, npts = 0;
	double x, y = 0, x0 = 0, y0 = 0;
	int have = 0;

	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
	    "stroke-linejoin=\"round\" points=\"", color);
	for (k = 0; k < c->nb; k++) {
		b = &l->b[k];
		if (b->gap && have) {
			/* A pause: this line ends, another begins after. */
			fprintf(f, "\"/>\n<polyline fill=\"none\" stroke=\"%s\" "
			    "stroke-width=\"1.5\" stroke-linejoin=\"round\" "
			    "class=\"after-gap\" points=\"", color);
			have = 0;
			continue;
		}
		if (!b->set)
			continue;
		ns = 0;
		if (have)
			seq[ns++] = prev;
		if (!have || (prev - b->lo <= b->hi - prev)) {
			seq[ns++] = b->lo;
			seq[ns++] = b->hi;
		} else {
			seq[ns++] = b->hi;
			seq[ns++] = b->lo;
		}
		seq[ns++] = b->last;
		x = bucket_x(c, k);
		for (i = 0; i < ns; i++) {
			if (i > 0 && seq[i] == seq[i - 1])
				continue;
			y = value_y(c, p, seq[i]);
			fprintf(f, "%s%.1f,%.1f", npts ? " " : "", x, y);
			if (npts++ == 0) {
				x0 = x;
				y0 = y;
			}
		}
		prev = b->last;
		have = 1;
	}
	fputs("\"/>\n", f);
	/* One point alone is a line of no length: a dot shows it. */
	if (npts == 1)
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
		    "fill=\"%s\"/>\n", x0, y0, color);
}

static void
svg_panel(FILE *f, const struct chart *c, size_t i, const struct tick *ticks,
    size_t nticks)
{
	const struct line *l = &c->lines[i];
	const struct panel *p = &c->panels[i];
	const char *color = palette[i % (sizeof palette / sizeof palette[0])];
	char name[128], v[TEXT_MAX];
	double right = c->left + c->plotw, bottom = p->top + c->ploth, y, x;
	int64_t t;
	size_t k;

	/* The legend of the panel: the line's colour, name and values. */
	line_name(l, name, sizeof name);
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\" stroke-width=\"3\"/>\n", c->left, p->top - 13,
	    c->left + 18, p->top - 13, color);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"><tspan font-weight=\"bold\">",
	    c->left + 24, p->top - 9);
	out_xml(f, name);
	dec_format(v, sizeof v, l->last, l->last_frac, 0);
	fprintf(f, "</tspan><tspan dx=\"12\" fill=\"#555\">min %s · max %s · "
	    "last %s · %zu sample%s</tspan></text>\n", l->lo_text, l->hi_text,
	    v, l->n, l->n == 1 ? "" : "s");

	/* Grid and value axis. */
	for (t = p->lo; t <= p->hi; t += p->step) {
		y = value_y(c, p, t);
		dec_format(v, sizeof v, t, p->decimals, 0);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#e6e6e6\"/>\n", c->left, y, right, y);
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" dy=\"0.35em\" "
		    "text-anchor=\"end\">%s</text>\n", c->left - 6, y, v);
	}
	for (k = 0; k < nticks; k++) {
		x = time_x(c, ticks[k].t);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#e6e6e6\"/>\n", x, p->top, x, bottom);
	}
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
	    "fill=\"none\" stroke=\"#999\"/>\n", c->left, p->top, c->plotw,
	    c->ploth);
	svg_line(f, c, l, p, color);
}

/* The title: "USD, EUR in KGS from 24kg, 2025-12-01 – 2025-12-31 (...)". */
static void
svg_title(const struct chart *c, struct buf *b)
{
	char from[64], to[64];
	size_t i, j;
	int dup, same_quote = 1, same_source = 1;

	for (i = 0; i < c->nlines; i++) {
		for (j = 0, dup = 0; j < i; j++) {
			if (strcmp(c->lines[j].currency,
			    c->lines[i].currency) == 0)
				dup = 1;
		}
		if (!dup)
			buf_addf(b, "%s%s", b->len ? ", " : "",
			    c->lines[i].currency);
		if (c->lines[i].quote == NULL || strcmp(c->lines[i].quote,
		    c->lines[0].quote != NULL ? c->lines[0].quote : "") != 0)
			same_quote = 0;
		if (strcmp(c->lines[i].source, c->lines[0].source) != 0)
			same_source = 0;
	}
	if (same_quote)
		buf_addf(b, " in %s", c->lines[0].quote);
	if (same_source)
		buf_addf(b, " from %s", c->lines[0].source);
	range_label(c, c->total, from, to, sizeof from);
	buf_addf(b, ", %s %s", from, to);
}

/*
 * The picture.  Currencies differ in scale (EUR near 100, RUB near 1), so
 * each series has a panel of its own with its own value axis; the panels
 * are stacked and share the time axis, whose dates are under the last.
 */
static void
svg_write(FILE *f, const struct chart *c)
{
	struct tick ticks[SVG_MAX_TICKS];
	struct buf title = BUF_INIT;
	size_t i, nticks;
	double bottom, x, half, size;
	int max;

	max = (int)(c->plotw / SVG_TICK_GAP);
	nticks = time_ticks(c, max < 1 ? 1 : (size_t)max, ticks);
	svg_title(c, &title);
	if (!c->inline_svg)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans, "
	    "Helvetica, Arial, sans-serif\" font-size=\"12\" fill=\"#222\">\n",
	    c->width, c->height, c->width, c->height);
	fputs("<title>", f);
	out_xml(f, title.data);
	fputs("</title>\n", f);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n",
	    c->width, c->height);
	/* A long title (many currencies) is made smaller to fit. */
	size = (c->width - c->left - 8) / (ncols(title.data) * 0.62);
	fprintf(f, "<text x=\"%.1f\" y=\"26\" font-size=\"%.1f\" "
	    "font-weight=\"bold\">", c->left, size < 16 ? size : 16);
	out_xml(f, title.data);
	fputs("</text>\n", f);
	for (i = 0; i < c->nlines; i++)
		svg_panel(f, c, i, ticks, nticks);
	bottom = c->panels[c->nlines - 1].top + c->ploth;
	for (i = 0; i < nticks; i++) {
		x = time_x(c, ticks[i].t);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#999\"/>\n", x, bottom, x,
		    bottom + 4);
		half = strlen(ticks[i].label) * SVG_CHAR / 2;
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">"
		    "%s</text>\n", x, bottom + 18, x + half > c->width - 8 ?
		    "end" : x - half < 8 ? "start" : "middle", ticks[i].label);
	}
	fputs("</svg>\n", f);
	buf_release(&title);
}

/* Write the SVG to path, replaced whole (afile.c), or "-". */
static int
svg_file(const char *path, const struct chart *c)
{
	struct afile *a;
	char *cause;

	if ((a = afile_open(path, &cause)) != NULL) {
		svg_write(a->f, c);
		if (afile_commit(a, &cause) == 0)
			return 0;
	}
	log_error("%s", cause);
	free(cause);
	return -1;
}

static int
cmd_chart_exec(struct cmd_ctx *ctx)
{
	struct chart_state *st = ctx->state;
	struct selection usd;
	struct chart c;
	char *cause, what[256], usd_code[] = "USD", *code = usd_code;
	size_t i, j;
	int r = EXIT_OK, found;

	memset(&c, 0, sizeof c);
	c.utc = st->sel.utc;
	if (st->svg == NULL && st->sel.ncurrencies == 0) {
		/* The terminal draws USD if it can: read only it first. */
		usd = st->sel;
		usd.currencies = &code;
		usd.ncurrencies = 1;
		if (chart_extent(ctx, &usd, &c, &cause) != 0)
			goto fail;
		chart_keep(&c, 1);
		if (c.nlines == 0)
			lines_free(&c);
	}
	if (c.nlines == 0) {
		memset(&c, 0, sizeof c);
		c.utc = st->sel.utc;
		if (chart_extent(ctx, &st->sel, &c, &cause) != 0)
			goto fail;
		chart_keep(&c, st->svg == NULL);
	}
	if (c.nlines == 0) {
		selection_describe(&st->sel, what, sizeof what);
		log_info("no samples%s", what);
		goto out;
	}
	for (i = 0; st->svg != NULL && i < st->sel.ncurrencies; i++) {
		for (j = 0, found = 0; j < c.nlines; j++) {
			if (strcmp(c.lines[j].currency,
			    st->sel.currencies[i]) == 0)
				found = 1;
		}
		if (!found)
			log_info("no samples of %s", st->sel.currencies[i]);
	}
	if (st->svg != NULL)
		svg_layout(&c, st->width, st->height);
	else
		term_layout(&c, st->width, st->height);
	if (chart_fill(ctx, &st->sel, &c, &cause) != 0)
		goto fail;
	if (st->svg == NULL)
		term_print(&c);
	else if (svg_file(st->svg, &c) != 0)
		r = EXIT_ERROR;
	goto out;
fail:
	log_error("%s", cause);
	free(cause);
	r = EXIT_ERROR;
out:
	lines_free(&c);
	selection_release(&st->sel);
	return r;
}

/*
 * An SVG picture of the selection to f, for serve's page: 1 when drawn, 0
 * when there is nothing to draw, -1 on an error.
 */
int
chart_svg_write(struct db *db, struct config *config,
    const struct selection *sel, long width, long height, FILE *f,
    char **cause)
{
	struct cmd_ctx ctx;
	struct chart c;
	int r = 1;

	memset(&ctx, 0, sizeof ctx);
	ctx.db = db;
	ctx.config = config;
	memset(&c, 0, sizeof c);
	c.utc = sel->utc;
	if (chart_extent(&ctx, sel, &c, cause) != 0) {
		r = -1;
		goto out;
	}
	chart_keep(&c, 0);
	if (c.nlines == 0) {
		r = 0;
		goto out;
	}
	svg_layout(&c, width, height);
	c.inline_svg = 1;
	if (chart_fill(&ctx, sel, &c, cause) != 0) {
		r = -1;
		goto out;
	}
	svg_write(f, &c);
out:
	lines_free(&c);
	return r;
}
