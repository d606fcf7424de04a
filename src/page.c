/*
 * page.c: where a page comes from for check and import: a URL (through
 * http.c) or a file, with the same size limit either way.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

/*
 * Read a page for a source: from url when it is http(s), else from the
 * file of that name ("-" for standard input).
 */
int
page_read(struct http **h, const struct source *src, const char *where,
    struct buf *page, struct http_response *resp, char **cause)
{
	char *why;

	memset(resp, 0, sizeof *resp);
	if (strncmp(where, "http://", 7) == 0 ||
	    strncmp(where, "https://", 8) == 0) {
		if (*h == NULL)
			*h = http_new();
		if (http_get(*h, &(struct http_request){.url = where,
		    .user_agent = src->user_agent, .timeout = src->timeout}, resp,
		    cause) != 0)
			return -1;
		buf_release(page);
		*page = resp->body;
		buf_init(&resp->body);
		return 0;
	}
	if (strstr(where, "://") != NULL) {
		*cause = xasprintf("%s: only http and https URLs", where);
		return -1;
	}
	if (buf_read_file(page, where, HTTP_MAX_BODY, &why) != 0) {
		*cause = xasprintf("%s: %s", where, why);
		free(why);
		return -1;
	}
	return 0;
}
