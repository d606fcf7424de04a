/*
 * output.c: printing shared by the commands: rates as exact decimals,
 * stored samples, JSON strings, and page text made safe for a terminal.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rates.h"

/* A stored rate for people: '.' decimal, as many places as published. */
void
out_rate(char *out, size_t size, const char *text, int64_t scaled)
{
	dec_format(out, size, scaled, dec_frac_digits(text), 0);
}

/*
 * One line per currency that was stored, or would be, or already was, or
 * was revised (with the value it replaced); with OUT_REVISED only those.
 */
void
out_record(const struct source *src, const struct record_result *res,
    int utc, int flags)
{
	const struct record_item *ri;
	char when[64], rate[32], was[32];
	size_t i;
	int revised;

	time_format(when, sizeof when, res->observed_at, utc);
	for (i = 0; i < res->nitems; i++) {
		ri = &res->items[i];
		revised = ri->status == REC_REVISED ||
		    ri->status == REC_WOULD_REVISE;
		if ((flags & OUT_REVISED) && !revised)
			continue;
		if (ri->status != REC_ADDED && ri->status != REC_PRESENT &&
		    ri->status != REC_WOULD_ADD && !revised)
			continue;
		out_rate(rate, sizeof rate, ri->rate_text, ri->rate_scaled);
		printf("%-10s %-4s %-12s %-24s %s", src->name, ri->code, rate,
		    when, record_status_name(ri->status));
		if (revised) {
			out_rate(was, sizeof was, ri->was_text, ri->was_scaled);
			printf(" (was %s)", was);
		}
		printf("\n");
	}
}

/* Text for XML; a control character (not allowed there) shows as '?'. */
void
out_xml(FILE *f, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else if ((unsigned char)*s < 0x20)
			fputc('?', f);
		else
			fputc(*s, f);
	}
}

void
out_json_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* Page text on one line: white space runs as one space, controls as '?'. */
void
out_visible(FILE *f, const char *s, size_t max)
{
	const unsigned char *p;
	size_t n = 0;
	int space = 0;

	for (p = (const unsigned char *)s; *p != '\0' && n < max; p++) {
		if (isspace(*p)) {
			space = 1;
			continue;
		}
		if (space && n > 0) {
			fputc(' ', f);
			n++;
		}
		space = 0;
		fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
		n++;
	}
	if (*p != '\0')
		fputs("…", f);
}

/* Colour on the terminal (--color, NO_COLOR): 1 to colour rises and falls. */
int out_color;

/*
 * --color=WHEN: always, never, or auto (the default): on when standard
 * output is a terminal that is not "dumb" and NO_COLOR is not set.
 */
int
out_color_set(const char *when, char **cause)
{
	const char *term = getenv("TERM"), *no = getenv("NO_COLOR");

	if (when == NULL || strcmp(when, "auto") == 0)
		out_color = isatty(STDOUT_FILENO) && (no == NULL ||
		    *no == '\0') && term != NULL && strcmp(term, "dumb") != 0;
	else if (strcmp(when, "always") == 0)
		out_color = 1;
	else if (strcmp(when, "never") == 0)
		out_color = 0;
	else {
		*cause = xasprintf("--color '%s': expected auto, always or "
		    "never", when);
		return -1;
	}
	return 0;
}
