/*
 * nbkr.c: the National Bank of the Kyrgyz Republic's two formats.
 *
 * The daily and weekly feeds are XML, read with expat (a real parser, not
 * patterns): <CurrencyRates Date="23.05.2026"> holds one <Currency
 * ISOCode="USD"> per currency with <Nominal> and <Value> ("87,4500", the
 * price of Nominal units).  They declare windows-1251, which expat does not
 * know by itself: the table below maps it.  A currency is found by its
 * ISOCode, whatever the order and the set; its rate is Value / Nominal,
 * exact, or an error.  The feed's Date is the value date: observed_at is
 * 00:00 of it at the source's offset (record.c, with date_format
 * %d.%m.%Y).  A document that is not such a feed (an HTML error page, a
 * truncated download, a DOCTYPE) gives no rates at all.
 *
 * The archive (index1.jsp) answers HTML whose rows read
 * <td><!--date-->25.06.2005<!--date--></td><td><!--value-->40,9614<!--value-->
 * and is read by those markers.
 */
#include <ctype.h>
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rates.h"

#define FIELD_MAX 64      /* bytes of a Nominal, a Value, an ISOCode */
#define FEED_MAX_ENTRIES 1000

/* Windows-1251, 0x80 to 0xff, as Unicode; -1 for the one unused byte. */
static const int cp1251[128] = {
	0x0402, 0x0403, 0x201a, 0x0453, 0x201e, 0x2026, 0x2020, 0x2021,
	0x20ac, 0x2030, 0x0409, 0x2039, 0x040a, 0x040c, 0x040b, 0x040f,
	0x0452, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	-1, 0x2122, 0x0459, 0x203a, 0x045a, 0x045c, 0x045b, 0x045f,
	0x00a0, 0x040e, 0x045e, 0x0408, 0x00a4, 0x0490, 0x00a6, 0x00a7,
	0x0401, 0x00a9, 0x0404, 0x00ab, 0x00ac, 0x00ad, 0x00ae, 0x0407,
	0x00b0, 0x00b1, 0x0406, 0x0456, 0x0491, 0x00b5, 0x00b6, 0x00b7,
	0x0451, 0x2116, 0x0454, 0x00bb, 0x0458, 0x0405, 0x0455, 0x0457,
	0x0410, 0x0411, 0x0412, 0x0413, 0x0414, 0x0415, 0x0416, 0x0417,
	0x0418, 0x0419, 0x041a, 0x041b, 0x041c, 0x041d, 0x041e, 0x041f,
	0x0420, 0x0421, 0x0422, 0x0423, 0x0424, 0x0425, 0x0426, 0x0427,
	0x0428, 0x0429, 0x042a, 0x042b, 0x042c, 0x042d, 0x042e, 0x042f,
	0x0430, 0x0431, 0x0432, 0x0433, 0x0434, 0x0435, 0x0436, 0x0437,
	0x0438, 0x0439, 0x043a, 0x043b, 0x043c, 0x043d, 0x043e, 0x043f,
	0x0440, 0x0441, 0x0442, 0x0443, 0x0444, 0x0445, 0x0446, 0x0447,
	0x0448, 0x0449, 0x044a, 0x044b, 0x044c, 0x044d, 0x044e, 0x044f,
};

static int XMLCALL
unknown_encoding(void *data, const XML_Char *name, XML_Encoding *info)
{
	int i;

	(void)data;
	if (strcasecmp(name, "windows-1251") != 0 &&
	    strcasecmp(name, "cp1251") != 0)
		return XML_STATUS_ERROR;
	for (i = 0; i < 128; i++)
		info->map[i] = i;
	for (i = 0; i < 128; i++)
		info->map[128 + i] = cp1251[i];
	info->data = NULL;
	info->convert = NULL;
	info->release = NULL;
	return XML_STATUS_OK;
}

/* Where the parser is, and what it has read. */
enum { IN_NONE, IN_NOMINAL, IN_VALUE, IN_OTHER };
struct feed_entry {
	char *code;     /* as written, checked later */
	struct buf nominal, value;
	int has_nominal, has_value;
	char *markup;   /* an element inside Nominal or Value */
	unsigned long line;
};
struct feed_parse {
	XML_Parser p;
	int depth;
	int root_ok;
	char *date;
	struct feed_entry *entries;
	size_t nentries;
	struct feed_entry *cur; /* inside a <Currency> */
	int field;              /* IN_* of the element being read */
	int field_depth;
	char *error; /* stops the parse */
};

static void
stop(struct feed_parse *fp, char *why)
{
	if (fp->error == NULL)
		fp->error = why;
	else
		free(why);
	XML_StopParser(fp->p, XML_FALSE);
}

static const char *
attr(const XML_Char **atts, const char *name)
{
	for (; atts[0] != NULL; atts += 2) {
		if (strcmp(atts[0], name) == 0)
			return atts[1];
	}
	return NULL;
}

static void XMLCALL
start(void *data, const XML_Char *name, const XML_Char **atts)
{
	struct feed_parse *fp = data;
	struct feed_entry *e;
	const char *v;

	fp->depth++;
	if (fp->depth == 1) {
		if (strcmp(name, "CurrencyRates") != 0) {
			stop(fp, xasprintf("the document is <%.40s>, not "
			    "<CurrencyRates>", name));
			return;
		}
		if ((v = attr(atts, "Date")) == NULL) {
			stop(fp, xstrdup("<CurrencyRates> has no Date"));
			return;
		}
		fp->date = xstrndup(v, strnlen(v, FIELD_MAX));
		fp->root_ok = 1;
		return;
	}
	if (fp->depth == 2 && strcmp(name, "Currency") == 0) {
		if (fp->nentries == FEED_MAX_ENTRIES) {
			stop(fp, xasprintf("more than %d currencies",
			    FEED_MAX_ENTRIES));
			return;
		}
		fp->entries = xreallocarray(fp->entries, fp->nentries + 1,
		    sizeof *fp->entries);
		e = fp->cur = &fp->entries[fp->nentries++];
		memset(e, 0, sizeof *e);
		v = attr(atts, "ISOCode");
		e->code = xstrndup(v != NULL ? v : "", v != NULL ? strnlen(v,
		    FIELD_MAX) : 0);
		e->line = XML_GetCurrentLineNumber(fp->p);
		return;
	}
	/* Text only: an element inside a number would hide a part of it. */
	if (fp->cur != NULL && (fp->field == IN_NOMINAL ||
	    fp->field == IN_VALUE) && fp->depth > fp->field_depth &&
	    fp->cur->markup == NULL) {
		fp->cur->markup = xasprintf("<%s> has an element <%.40s> "
		    "inside", fp->field == IN_VALUE ? "Value" : "Nominal",
		    name);
		return;
	}
	if (fp->depth == 3 && fp->cur != NULL && fp->field == IN_NONE) {
		fp->field_depth = 3;
		if (strcmp(name, "Nominal") == 0) {
			fp->field = IN_NOMINAL;
			if (fp->cur->has_nominal++)
				stop(fp, xasprintf("line %lu: two <Nominal> in "
				    "one <Currency>",
				    XML_GetCurrentLineNumber(fp->p)));
		} else if (strcmp(name, "Value") == 0) {
			fp->field = IN_VALUE;
			if (fp->cur->has_value++)
				stop(fp, xasprintf("line %lu: two <Value> in "
				    "one <Currency>",
				    XML_GetCurrentLineNumber(fp->p)));
		} else
			fp->field = IN_OTHER;
	}
}

static void XMLCALL
end(void *data, const XML_Char *name)
{
	struct feed_parse *fp = data;

	(void)name;
	if (fp->field != IN_NONE && fp->depth == fp->field_depth)
		fp->field = IN_NONE;
	if (fp->depth == 2)
		fp->cur = NULL;
	fp->depth--;
}

static void XMLCALL
text(void *data, const XML_Char *s, int len)
{
	struct feed_parse *fp = data;
	struct buf *b;

	if (fp->cur == NULL || fp->depth != fp->field_depth)
		return;
	if (fp->field == IN_NOMINAL)
		b = &fp->cur->nominal;
	else if (fp->field == IN_VALUE)
		b = &fp->cur->value;
	else
		return;
	if (b->len + (size_t)len > FIELD_MAX) {
		stop(fp, xasprintf("line %lu: <%s> is longer than %d bytes",
		    XML_GetCurrentLineNumber(fp->p), fp->field == IN_VALUE ?
		    "Value" : "Nominal", FIELD_MAX));
		return;
	}
	buf_add(b, s, (size_t)len);
}

static void XMLCALL
doctype(void *data, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal)
{
	struct feed_parse *fp = data;

	(void)sysid;
	(void)pubid;
	(void)has_internal;
	stop(fp, xasprintf("a DOCTYPE (%.40s), which the feed has not",
	    name));
}

/* Does the body look like an HTML page (an error page, a login page)? */
static int
looks_html(const char *s, size_t len)
{
	size_t i = 0;

	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && isspace((unsigned char)s[i]))
		i++;
	return (len - i >= 9 && strncasecmp(s + i, "<!doctype", 9) == 0) ||
	    (len - i >= 5 && strncasecmp(s + i, "<html", 5) == 0);
}

static void
entries_free(struct feed_parse *fp)
{
	size_t i;

	for (i = 0; i < fp->nentries; i++) {
		free(fp->entries[i].code);
		free(fp->entries[i].markup);
		buf_release(&fp->entries[i].nominal);
		buf_release(&fp->entries[i].value);
	}
	free(fp->entries);
	free(fp->date);
	free(fp->error);
}

static int
valid_code(const char *s)
{
	return strlen(s) == 3 && isupper((unsigned char)s[0]) &&
	    isupper((unsigned char)s[1]) && isupper((unsigned char)s[2]);
}

static char *
trimmed(const struct buf *b)
{
	const char *p = b->data != NULL ? b->data : "";
	size_t n = b->len;

	while (n > 0 && isspace((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)p[n - 1]))
		n--;
	return xstrndup(p, n);
}

/*
 * The rate of one unit from Value and Nominal: exact, with the places of
 * Value and those the division by a power of ten adds (5,4969 for 10 is
 * 0.54969).  Fills it->rate_text or it->error.
 */
static void
per_unit(struct extract_item *it, const char *value, const char *nominal)
{
	int64_t v, n = 0;
	const char *p;
	char out[64], *why;
	int frac, k;

	if (*nominal == '\0') {
		it->error = xstrdup("<Nominal> is empty");
		return;
	}
	for (p = nominal; *p != '\0'; p++) {
		if (!isdigit((unsigned char)*p) || n > 100000000) {
			it->error = xasprintf("<Nominal> '%s' is not a whole "
			    "number of units", nominal);
			return;
		}
		n = n * 10 + (*p - '0');
	}
	if (n == 0) {
		it->error = xstrdup("<Nominal> is 0");
		return;
	}
	if (*value == '\0') {
		it->found = 1;
		it->shown = xstrdup("");
		return;
	}
	if (dec_parse(value, strlen(value), &v, NULL, &why) != 0) {
		it->error = xasprintf("<Value> %s", why);
		free(why);
		return;
	}
	if (v % n != 0) {
		it->error = xasprintf("%s for %s units is not exact in %d "
		    "decimal places", value, nominal, DEC_FRAC);
		return;
	}
	frac = dec_frac_digits(value);
	for (k = (int)n; k > 1 && k % 10 == 0; k /= 10)
		frac++;
	if (k != 1)
		frac = DEC_FRAC;
	dec_format(out, sizeof out, v / n, frac, 0);
	if (k != 1) {
		/* Not a power of ten: as many places as needed, at least
		 * those of Value (3,0000 for 3 is 1.0000). */
		dec_format_short(out, sizeof out, v / n);
		if (dec_frac_digits(out) < dec_frac_digits(value))
			dec_format(out, sizeof out, v / n,
			    dec_frac_digits(value), 0);
	}
	it->found = 1;
	it->rate_text = xstrdup(out);
}

static void
note(struct extraction *ex, char *s)
{
	ex->notes = xreallocarray(ex->notes, ex->nnotes + 1,
	    sizeof *ex->notes);
	ex->notes[ex->nnotes++] = s;
}

/*
 * Read a feed into an extraction, as extract_run does a page: one item per
 * currency of the source, found by ISOCode.  Entries that cannot be
 * attributed to a currency (a bad or repeated code) are notes: errors of
 * the feed that store nothing.
 */
void
nbkr_feed_extract(const struct source *src, const char *buf, size_t len,
    struct extraction *ex)
{
	struct feed_parse fp;
	struct feed_entry *e;
	struct extract_item *it;
	char *value, *nominal;
	size_t i, j;
	int twice;

	memset(ex, 0, sizeof *ex);
	memset(&fp, 0, sizeof fp);
	ex->nitems = src->ncurrencies;
	ex->items = xcalloc(ex->nitems, sizeof *ex->items);
	for (i = 0; i < ex->nitems; i++)
		snprintf(ex->items[i].code, sizeof ex->items[i].code, "%s",
		    src->currencies[i]);
	ex->searched = 1;

	if (len > HTTP_MAX_BODY || len > (size_t)INT32_MAX) {
		ex->doc_error = xstrdup("the document is too large");
		return;
	}
	if (looks_html(buf, len)) {
		ex->doc_error = xstrdup("an HTML page, not the XML feed");
		return;
	}
	if ((fp.p = XML_ParserCreate(NULL)) == NULL) {
		ex->doc_error = xstrdup("out of memory for the XML parser");
		return;
	}
	XML_SetUserData(fp.p, &fp);
	XML_SetElementHandler(fp.p, start, end);
	XML_SetCharacterDataHandler(fp.p, text);
	XML_SetStartDoctypeDeclHandler(fp.p, doctype);
	XML_SetUnknownEncodingHandler(fp.p, unknown_encoding, NULL);
	if (XML_Parse(fp.p, buf, (int)len, XML_TRUE) == XML_STATUS_ERROR &&
	    fp.error == NULL) {
		fp.error = xasprintf("%s at line %lu, column %lu",
		    XML_ErrorString(XML_GetErrorCode(fp.p)),
		    XML_GetCurrentLineNumber(fp.p),
		    XML_GetCurrentColumnNumber(fp.p));
		if (XML_GetErrorCode(fp.p) == XML_ERROR_NO_ELEMENTS ||
		    XML_GetErrorCode(fp.p) == XML_ERROR_UNCLOSED_TOKEN) {
			free(fp.error);
			fp.error = xstrdup(len == 0 ? "an empty document" :
			    "the document ends early (truncated)");
		}
	}
	XML_ParserFree(fp.p);
	if (fp.error == NULL && !fp.root_ok)
		fp.error = xstrdup("no <CurrencyRates>");
	if (fp.error != NULL) {
		ex->doc_error = xasprintf("not a rates feed: %s", fp.error);
		goto out;
	}

	ex->has_block = 1;
	ex->block_text = xasprintf("CurrencyRates Date=\"%s\", %zu "
	    "currencies", fp.date, fp.nentries);
	ex->has_time = 1;
	ex->date_text = xstrdup(fp.date);
	ex->time_text = xstrdup("00:00");
	ex->time_match = xasprintf("Date=\"%s\"", fp.date);

	for (i = 0; i < fp.nentries; i++) {
		e = &fp.entries[i];
		if (!valid_code(e->code)) {
			note(ex, xasprintf("line %lu: ISOCode '%s' is not a "
			    "currency code", e->line, e->code));
			continue;
		}
		twice = 0;
		for (j = 0; j < fp.nentries; j++)
			twice += j != i && strcmp(fp.entries[j].code,
			    e->code) == 0;
		it = NULL;
		for (j = 0; j < ex->nitems; j++) {
			if (strcmp(ex->items[j].code, e->code) == 0)
				it = &ex->items[j];
		}
		if (it == NULL) {
			/* Not asked for; said once when it is there twice. */
			for (j = 0; j < i; j++) {
				if (strcmp(fp.entries[j].code, e->code) == 0)
					break;
			}
			if (twice && j == i)
				note(ex, xasprintf("line %lu: %s is in the feed "
				    "twice", e->line, e->code));
			continue;
		}
		if (it->found || it->error != NULL)
			continue; /* the second of a repeated code */
		value = trimmed(&e->value);
		nominal = trimmed(&e->nominal);
		it->match = xasprintf("%s: Nominal %s, Value %s", e->code,
		    e->has_nominal ? nominal : "(none)",
		    e->has_value ? value : "(none)");
		if (twice)
			it->error = xasprintf("%s is in the feed twice",
			    e->code);
		else if (e->markup != NULL)
			it->error = xstrdup(e->markup);
		else if (!e->has_value)
			it->error = xstrdup("no <Value>");
		else if (!e->has_nominal)
			it->error = xstrdup("no <Nominal>");
		else {
			per_unit(it, value, nominal);
			if (it->error == NULL && it->rate_text == NULL)
				it->error = xstrdup("<Value> is empty");
		}
		if (it->error != NULL)
			it->found = 0;
		it->start = it->end = 0;
		free(value);
		free(nominal);
	}
	for (i = 0; i < ex->nitems; i++) {
		it = &ex->items[i];
		if (!it->found && it->error == NULL)
			it->error = xstrdup("not in the feed");
	}
out:
	entries_free(&fp);
}

/*
 * The archive's HTML: every row marked <!--date-->DD.MM.YYYY<!--date-->
 * then <!--value-->N,NNNN<!--value-->.  A marker without its pair, a date
 * or a value that does not parse, is an error for the whole answer.
 */
static const char *
marked(const char *p, const char *end, const char *mark, const char **s,
    size_t *n)
{
	size_t ml = strlen(mark);
	const char *a, *b;

	if ((a = memmem(p, (size_t)(end - p), mark, ml)) == NULL)
		return NULL;
	a += ml;
	if ((b = memmem(a, (size_t)(end - a), mark, ml)) == NULL)
		return a; /* *s left NULL: an unpaired marker */
	*s = a;
	*n = (size_t)(b - a);
	return b + ml;
}

int
nbkr_archive_parse(const char *buf, size_t len, struct archive_row **rows,
    size_t *nrows, char **cause)
{
	const char *p = buf, *end = buf + len, *ds, *vs, *q;
	struct archive_row *r;
	size_t dn, vn, alloc = 0;
	char *why;
	int64_t v;

	*rows = NULL;
	*nrows = 0;
	for (;;) {
		ds = vs = NULL;
		if ((q = marked(p, end, "<!--date-->", &ds, &dn)) == NULL)
			break;
		if (ds == NULL) {
			*cause = xstrdup("a date marker without its end");
			goto fail;
		}
		p = q;
		q = marked(p, end, "<!--value-->", &vs, &vn);
		if (q == NULL || vs == NULL) {
			*cause = xasprintf("the row of %.*s has no value",
			    (int)(dn < 20 ? dn : 20), ds);
			goto fail;
		}
		/* The value belongs to this row: no date marker between. */
		if (memmem(p, (size_t)(vs - p), "<!--date-->", 11) != NULL) {
			*cause = xasprintf("the row of %.*s has no value",
			    (int)(dn < 20 ? dn : 20), ds);
			goto fail;
		}
		p = q;
		if (*nrows == alloc) {
			alloc = alloc ? alloc * 2 : 64;
			*rows = xreallocarray(*rows, alloc, sizeof **rows);
		}
		r = &(*rows)[*nrows];
		memset(r, 0, sizeof *r);
		if (time_parse_date(ds, dn, "%d.%m.%Y", &r->y, &r->m, &r->d,
		    &why) != 0) {
			*cause = xasprintf("row %zu: %s", *nrows + 1, why);
			free(why);
			goto fail;
		}
		while (vn > 0 && isspace((unsigned char)*vs)) {
			vs++;
			vn--;
		}
		while (vn > 0 && isspace((unsigned char)vs[vn - 1]))
			vn--;
		if (vn > FIELD_MAX || dec_parse(vs, vn, &v, NULL, &why) != 0) {
			if (vn > FIELD_MAX)
				why = xstrdup("too long");
			*cause = xasprintf("row %zu (%02d.%02d.%04d): value "
			    "'%.*s': %s", *nrows + 1, r->d, r->m, r->y,
			    (int)(vn < 20 ? vn : 20), vs, why);
			free(why);
			goto fail;
		}
		r->scaled = v;
		snprintf(r->text, sizeof r->text, "%.*s", (int)vn, vs);
		for (q = r->text; *q != '\0'; q++) {
			if (*q == ',')
				r->text[q - r->text] = '.';
		}
		(*nrows)++;
	}
	return 0;
fail:
	free(*rows);
	*rows = NULL;
	*nrows = 0;
	return -1;
}
