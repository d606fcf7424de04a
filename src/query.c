/*
 * query.c: the target of an HTTP request that serve answers, as the client
 * sent it ("/api/history?since=7d&currency=USD%2CEUR"), taken apart: the
 * path and the parameters, percent-decoded.  Strict, so that a bad request
 * is answered with what is wrong in it, never guessed at: a bad or encoded
 * NUL escape, bytes that are not UTF-8, control characters, a parameter
 * given twice, too many or too long ones.  No MHD here: the fuzz harness
 * runs it alone.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Is s[0..n) UTF-8, without control characters? */
static int
clean_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0, k, len;
	unsigned long cp, min;

	while (i < n) {
		if (s[i] < 0x80) {
			if (s[i] < 0x20 || s[i] == 0x7f)
				return 0;
			i++;
			continue;
		}
		if ((s[i] & 0xe0) == 0xc0) {
			len = 2;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			len = 3;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if ((s[i] & 0xf8) == 0xf0) {
			len = 4;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (n - i < len)
			return 0;
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/*
 * Decode s[0..n): %XX, and '+' as a space in the query.  NULL, with *why,
 * when it is not clean text.
 */
static char *
decode(const char *s, size_t n, int plus, const char **why)
{
	char *out = xmalloc(n + 1), *p = out;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (n - i < 3 || (hi = hexval((unsigned char)s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)s[i + 2])) < 0) {
				*why = "a '%' not followed by two hex digits";
				goto fail;
			}
			*p++ = (char)(hi << 4 | lo);
			i += 2;
		} else if (s[i] == '+' && plus)
			*p++ = ' ';
		else if ((unsigned char)s[i] <= 0x20 ||
		    (unsigned char)s[i] >= 0x7f) {
			*why = "a byte that must be percent-encoded";
			goto fail;
		} else
			*p++ = s[i];
	}
	*p = '\0';
	if (!clean_utf8((unsigned char *)out, (size_t)(p - out))) {
		*why = "a control character or bytes that are not UTF-8";
		goto fail;
	}
	return out;
fail:
	free(out);
	return NULL;
}

/*
 * Parse uri.  0, or -1 with *status (400 or 414) and *cause naming what is
 * wrong.  A target in absolute form (http://host/path) counts from its path.
 */
int
query_parse(const char *uri, struct query *q, int *status, char **cause)
{
	const char *path, *qs, *end, *amp, *eq;
	const char *why = NULL;
	char *name, *value;
	size_t n, i;

	memset(q, 0, sizeof *q);
	*status = 400;
	n = strlen(uri);
	if (n > QUERY_MAX_URI) {
		*status = 414;
		*cause = xasprintf("the request target is longer than %d bytes",
		    QUERY_MAX_URI);
		return -1;
	}
	path = uri;
	if (strncmp(uri, "http://", 7) == 0 || strncmp(uri, "https://", 8) == 0) {
		path = strchr(uri, ':') + 3;
		path += strcspn(path, "/?");
		if (*path == '\0')
			path = "/";
	}
	if (*path != '/') {
		*cause = xstrdup("the request target is not a path");
		return -1;
	}
	end = path + strlen(path);
	if ((qs = strchr(path, '?')) == NULL)
		qs = end;
	if ((q->path = decode(path, (size_t)(qs - path), 0, &why)) == NULL) {
		*cause = xasprintf("the path has %s", why);
		return -1;
	}
	if (memchr(path, '#', (size_t)(end - path)) != NULL) {
		*cause = xstrdup("the request target has a fragment ('#')");
		goto fail;
	}
	if (qs == end)
		return 0;
	for (qs++; qs <= end; qs = amp + 1) {
		if ((amp = strchr(qs, '&')) == NULL)
			amp = end;
		if (amp == qs)
			continue; /* "a=1&&b=2", a trailing '&' */
		if ((eq = memchr(qs, '=', (size_t)(amp - qs))) == NULL)
			eq = amp;
		if (eq == qs) {
			*cause = xstrdup("a parameter without a name");
			goto fail;
		}
		if ((size_t)(amp - qs) > QUERY_MAX_PARAM) {
			*cause = xasprintf("a parameter longer than %d bytes",
			    QUERY_MAX_PARAM);
			goto fail;
		}
		if (q->nparams == QUERY_MAX_PARAMS) {
			*cause = xasprintf("more than %d parameters",
			    QUERY_MAX_PARAMS);
			goto fail;
		}
		if ((name = decode(qs, (size_t)(eq - qs), 1, &why)) == NULL) {
			*cause = xasprintf("a parameter's name has %s", why);
			goto fail;
		}
		value = eq == amp ? xstrdup("") :
		    decode(eq + 1, (size_t)(amp - eq - 1), 1, &why);
		if (value == NULL) {
			*cause = xasprintf("%s: the value has %s", name, why);
			free(name);
			goto fail;
		}
		for (i = 0; i < q->nparams; i++) {
			if (strcmp(q->params[i].name, name) == 0) {
				*cause = xasprintf("%s: given twice", name);
				free(name);
				free(value);
				goto fail;
			}
		}
		q->params[q->nparams].name = name;
		q->params[q->nparams++].value = value;
	}
	return 0;
fail:
	query_release(q);
	return -1;
}

void
query_release(struct query *q)
{
	size_t i;

	for (i = 0; i < q->nparams; i++) {
		free(q->params[i].name);
		free(q->params[i].value);
	}
	free(q->path);
	memset(q, 0, sizeof *q);
}

const char *
query_get(const struct query *q, const char *name)
{
	size_t i;

	for (i = 0; i < q->nparams; i++) {
		if (strcmp(q->params[i].name, name) == 0)
			return q->params[i].value;
	}
	return NULL;
}

/*
 * Is every parameter one of allowed (NULL-terminated)?  Else *cause names
 * the first that is not, and what the answer takes.
 */
int
query_only(const struct query *q, const char *const *allowed, char **cause)
{
	struct buf b = BUF_INIT;
	size_t i, j;

	for (i = 0; i < q->nparams; i++) {
		for (j = 0; allowed[j] != NULL; j++) {
			if (strcmp(q->params[i].name, allowed[j]) == 0)
				break;
		}
		if (allowed[j] != NULL)
			continue;
		buf_addf(&b, "%s: no such parameter here", q->params[i].name);
		for (j = 0; allowed[j] != NULL; j++)
			buf_addf(&b, "%s%s", j ? ", " : " (it takes ",
			    allowed[j]);
		buf_adds(&b, j ? ")" : " (it takes none)");
		*cause = buf_detach(&b);
		return -1;
	}
	return 0;
}
