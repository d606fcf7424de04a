/*
 * writer.c: rows out as an aligned table, CSV or JSON, streamed through a
 * buffer so that an export of millions of rows costs no more memory than
 * one.  CSV is RFC 4180 (CRLF, a header row, quotes only where needed),
 * with a delimiter and decimal mark of choice and an optional BOM; no text
 * cell can start a spreadsheet formula.  With a decimal comma the file is
 * for a spreadsheet, which reads no ISO 8601 time with an offset as a
 * time: each time is then written as wall-clock time without the offset
 * ("2025-12-18T11:26:00"), followed by a column with the offset
 * ("UTC+06:00"), so that the instant is still exact.  In JSON, rates are strings so
 * that they stay exact.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rates.h"

#define FLUSH_AT 65536

struct writer {
	FILE *f;
	struct writer_opts o;
	const char *const *names;
	const enum col_kind *kinds;
	size_t ncols;
	int *width;
	struct {
		int set;
		int64_t v;
	} *prev; /* the rates of the row above, for colour */
	size_t rows;
	struct buf b;
	int error; /* errno of the first failure */
};

static void
flush(struct writer *w)
{
	if (w->b.len != 0 && fwrite(w->b.data, 1, w->b.len, w->f) != w->b.len &&
	    w->error == 0)
		w->error = errno != 0 ? errno : EIO;
	buf_reset(&w->b);
}

static void
pad(struct buf *b, size_t n)
{
	while (n-- > 0)
		buf_addc(b, ' ');
}

/*
 * On a terminal with colour, a rate that rose since the row above is
 * green, one that fell red: -1, 0 or 1.
 */
static int
trend(struct writer *w, size_t i, const char *s)
{
	int64_t now;
	char *why = NULL;
	int r = 0;

	if (!out_color || w->kinds[i] != COL_RATE || s == NULL || *s == '\0')
		return 0;
	if (dec_parse(s, strlen(s), &now, NULL, &why) != 0) {
		free(why); /* a heading, not a rate */
		return 0;
	}
	if (w->prev[i].set)
		r = now > w->prev[i].v ? 1 : now < w->prev[i].v ? -1 : 0;
	w->prev[i].set = 1;
	w->prev[i].v = now;
	return r;
}

/* A table cell, left or right aligned in its width. */
static void
table_cell(struct writer *w, size_t i, const char *s)
{
	size_t n, width = (size_t)w->width[i];
	int right = w->kinds[i] == COL_RATE || w->kinds[i] == COL_COUNT;
	int t = trend(w, i, s);

	if (s == NULL)
		s = "";
	n = strlen(s);
	if (i != 0)
		buf_adds(&w->b, "  ");
	if (right && n < width)
		pad(&w->b, width - n);
	if (t != 0)
		buf_adds(&w->b, t > 0 ? COLOR_UP : COLOR_DOWN);
	buf_add(&w->b, s, n);
	if (t != 0)
		buf_adds(&w->b, COLOR_OFF);
	if (!right && i + 1 < w->ncols && n < width)
		pad(&w->b, width - n);
}

static void csv_cell(struct writer *, int, enum col_kind, const char *);

/* Split "2025-12-18T11:26:00+06:00" into the time and "UTC+06:00". */
static void
csv_time(struct writer *w, int first, const char *s)
{
	char t[20], zone[16];

	if (s == NULL || strlen(s) < 20) {
		csv_cell(w, first, COL_TEXT, s);
		csv_cell(w, 0, COL_TEXT, NULL);
		return;
	}
	memcpy(t, s, 19);
	t[19] = '\0';
	snprintf(zone, sizeof zone, "UTC%s", strcmp(s + 19, "Z") == 0 ? "" :
	    s + 19);
	csv_cell(w, first, COL_TEXT, t);
	csv_cell(w, 0, COL_TEXT, zone);
}

/* A CSV cell: decimal mark, formula guard, quotes where needed. */
static void
csv_cell(struct writer *w, int first, enum col_kind kind, const char *s)
{
	char comma[64], *q;
	const char *p;
	int guard;

	if (!first)
		buf_addc(&w->b, w->o.delimiter);
	if (s == NULL || *s == '\0')
		return;
	if (kind == COL_RATE && w->o.decimal_comma &&
	    strlen(s) < sizeof comma) {
		for (q = comma, p = s; *p != '\0'; p++)
			*q++ = *p == '.' ? ',' : *p;
		*q = '\0';
		s = comma;
	}
	guard = kind == COL_TEXT && strchr("=+-@\t\r", *s) != NULL;
	if (!guard && strchr(s, w->o.delimiter) == NULL &&
	    strpbrk(s, "\"\r\n") == NULL) {
		buf_adds(&w->b, s);
		return;
	}
	buf_addc(&w->b, '"');
	if (guard)
		buf_addc(&w->b, '\'');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			buf_addc(&w->b, '"');
		buf_addc(&w->b, *p);
	}
	buf_addc(&w->b, '"');
}

static void json_str(struct buf *, const char *);

/* A JSON key: no spaces ("USD open" is "USD_open"), the same everywhere. */
static void
json_key(struct buf *b, const char *s)
{
	char key[64];
	size_t i;

	snprintf(key, sizeof key, "%s", s);
	for (i = 0; key[i] != '\0'; i++) {
		if (key[i] == ' ')
			key[i] = '_';
	}
	json_str(b, key);
}

static void
json_str(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*p);
		} else if (*p < 0x20)
			buf_addf(b, "\\u%04x", *p);
		else
			buf_addc(b, (char)*p);
	}
	buf_addc(b, '"');
}

struct writer *
writer_new(FILE *f, const struct writer_opts *o, const char *const *names,
    const enum col_kind *kinds, size_t ncols)
{
	struct writer *w;
	size_t i, n;

	w = xcalloc(1, sizeof *w);
	w->f = f;
	w->o = *o;
	w->names = names;
	w->kinds = kinds;
	w->ncols = ncols;
	w->width = xcalloc(ncols, sizeof *w->width);
	w->prev = xcalloc(ncols, sizeof *w->prev);
	buf_init(&w->b);
	for (i = 0; i < ncols; i++) {
		n = strlen(names[i]);
		switch (kinds[i]) {
		case COL_TIME:
			w->width[i] = o->utc ? 20 : 23;
			break;
		case COL_DATE:
			w->width[i] = 10;
			break;
		case COL_RATE:
			w->width[i] = 10;
			break;
		case COL_COUNT:
			w->width[i] = 7;
			break;
		case COL_TEXT:
			w->width[i] = 8;
			break;
		}
		if ((size_t)w->width[i] < n)
			w->width[i] = (int)n;
	}

	switch (o->format) {
	case FMT_TABLE:
		break; /* the header comes with the first row */
	case FMT_CSV:
		if (o->bom)
			buf_adds(&w->b, "\xef\xbb\xbf");
		for (i = 0; i < ncols; i++) {
			csv_cell(w, i == 0, COL_TEXT, names[i]);
			if (kinds[i] == COL_TIME && o->sheet_times) {
				char *extra = strcmp(names[i], "time") == 0 ?
				    xstrdup("utc_offset") :
				    xasprintf("%s_utc_offset", names[i]);

				csv_cell(w, 0, COL_TEXT, extra);
				free(extra);
			}
		}
		buf_adds(&w->b, "\r\n");
		break;
	case FMT_JSON:
		buf_addc(&w->b, '[');
		break;
	default:
		break; /* price lines have no header */
	}
	return w;
}

static void
table_header(struct writer *w)
{
	char *up, *p;
	size_t i;

	for (i = 0; i < w->ncols; i++) {
		up = xstrdup(w->names[i]);
		for (p = up; *p != '\0'; p++)
			*p = (char)toupper((unsigned char)*p);
		table_cell(w, i, up);
		free(up);
	}
	buf_addc(&w->b, '\n');
}

/* One row: cells[i] for column i, NULL for an empty cell. */
void
writer_row(struct writer *w, const char *const *cells)
{
	size_t i;

	switch (w->o.format) {
	case FMT_TABLE:
		if (w->rows == 0)
			table_header(w);
		for (i = 0; i < w->ncols; i++)
			table_cell(w, i, cells[i]);
		buf_addc(&w->b, '\n');
		break;
	case FMT_CSV:
		for (i = 0; i < w->ncols; i++) {
			if (w->kinds[i] == COL_TIME && w->o.sheet_times)
				csv_time(w, i == 0, cells[i]);
			else
				csv_cell(w, i == 0, w->kinds[i], cells[i]);
		}
		buf_adds(&w->b, "\r\n");
		break;
	case FMT_JSON:
		buf_adds(&w->b, w->rows == 0 ? "\n  {" : ",\n  {");
		for (i = 0; i < w->ncols; i++) {
			if (i != 0)
				buf_adds(&w->b, ", ");
			json_key(&w->b, w->names[i]);
			buf_adds(&w->b, ": ");
			if (cells[i] == NULL)
				buf_adds(&w->b, "null");
			else if (w->kinds[i] == COL_COUNT)
				buf_adds(&w->b, cells[i]);
			else
				json_str(&w->b, cells[i]);
		}
		buf_addc(&w->b, '}');
		break;
	default:
		/*
		 * A price line, from a long row (time, source, currency,
		 * rate) against KGS; hledger and beancount take the date.
		 */
		if (w->o.format == FMT_BEANCOUNT)
			buf_addf(&w->b, "%.10s price %s %s KGS\n", cells[0],
			    cells[2], cells[3]);
		else
			buf_addf(&w->b, "P %.*s %s %s KGS\n",
			    w->o.format == FMT_LEDGER ? 19 : 10, cells[0],
			    cells[2], cells[3]);
		break;
	}
	w->rows++;
	if (w->b.len >= FLUSH_AT)
		flush(w);
}

size_t
writer_rows(const struct writer *w)
{
	return w->rows;
}

/* End the output; -1 with errno set when anything could not be written. */
int
writer_finish(struct writer *w)
{
	if (w->o.format == FMT_JSON)
		buf_adds(&w->b, w->rows == 0 ? "]\n" : "\n]\n");
	flush(w);
	if ((fflush(w->f) != 0 || ferror(w->f)) && w->error == 0)
		w->error = errno != 0 ? errno : EIO;
	errno = w->error;
	return w->error != 0 ? -1 : 0;
}

void
writer_free(struct writer *w)
{
	if (w == NULL)
		return;
	buf_release(&w->b);
	free(w->width);
	free(w->prev);
	free(w);
}

/*
 * The --format of a command (and its synonym --json, -j): table, csv or
 * json; def when neither is given.  -1 with *cause on a bad one.
 */
int
writer_format_arg(const struct args *a, int def, int *out, char **cause)
{
	const char *v = args_get(a, 'f');

	*out = args_has(a, 'j') ? FMT_JSON : def;
	if (v == NULL)
		return 0;
	if (args_has(a, 'j') && strcmp(v, "json") != 0) {
		*cause = xasprintf("--json and --format %s do not go together",
		    v);
		return -1;
	}
	if (strcmp(v, "table") == 0)
		*out = FMT_TABLE;
	else if (strcmp(v, "csv") == 0)
		*out = FMT_CSV;
	else if (strcmp(v, "json") == 0)
		*out = FMT_JSON;
	else {
		*cause = xasprintf("--format '%s': expected table, csv or json",
		    v);
		return -1;
	}
	return 0;
}

/* A time cell: as people read it in a table, ISO 8601 in CSV and JSON. */
void
writer_time(char *out, size_t size, time_t t, const struct writer_opts *o)
{
	if (o->format == FMT_TABLE)
		time_format(out, size, t, o->utc);
	else
		time_format_iso(out, size, t, o->utc);
}
