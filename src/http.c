/*
 * http.c: all of libcurl.  One handle per source, kept between requests so
 * that connections are reused.  The limits of SPEC section 7 are set on
 * every handle: http and https only (also after redirects, at most 5), TLS
 * verified, 8 MiB counted after decompression, connect 10 s, whole request
 * at most 60 s, a transfer under 100 bytes/s for 20 s is cut.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rates.h"

struct http {
	CURL *curl;
	struct curl_slist *headers;
	char errbuf[CURL_ERROR_SIZE];
	struct http_response *resp;
	int too_big;
};

int
http_global_init(char **cause)
{
	CURLcode rc;

	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		*cause = xasprintf("libcurl: %s", curl_easy_strerror(rc));
		return -1;
	}
	return 0;
}

void
http_global_cleanup(void)
{
	curl_global_cleanup();
}

/* The body, counted as it arrives (decoded): over the limit aborts. */
static size_t
write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http *h = arg;
	size_t len = size * n;

	if (h->resp->body.len + len > HTTP_MAX_BODY) {
		h->too_big = 1;
		return 0;
	}
	buf_add(&h->resp->body, data, len);
	return len;
}

static char *
header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);
	const char *v, *e = line + len;

	if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
		return NULL;
	for (v = line + n + 1; v < e && (*v == ' ' || *v == '\t'); v++)
		;
	while (e > v && (e[-1] == '\r' || e[-1] == '\n' || e[-1] == ' '))
		e--;
	return xstrndup(v, (size_t)(e - v));
}

/* Keep ETag and Last-Modified (of the last response after redirects). */
static size_t
header_cb(char *data, size_t size, size_t n, void *arg)
{
	struct http *h = arg;
	size_t len = size * n;
	char *v;

	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		free(h->resp->etag);
		free(h->resp->last_modified);
		h->resp->etag = h->resp->last_modified = NULL;
	} else if ((v = header_value(data, len, "ETag")) != NULL) {
		free(h->resp->etag);
		h->resp->etag = v;
	} else if ((v = header_value(data, len, "Last-Modified")) != NULL) {
		free(h->resp->last_modified);
		h->resp->last_modified = v;
	}
	return len;
}

struct http *
http_new(void)
{
	struct http *h;
	CURL *c;

	h = xcalloc(1, sizeof *h);
	if ((c = h->curl = curl_easy_init()) == NULL)
		fatal("libcurl: cannot make a handle");
	h->headers = curl_slist_append(NULL, "Accept: */*");
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, HTTP_MAX_REDIRS);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, HTTP_CONNECT_TIMEOUT);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, HTTP_LOW_SPEED_LIMIT);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, HTTP_LOW_SPEED_TIME);
	curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)HTTP_MAX_BODY);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, h);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, h);
	return h;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->headers);
	free(h);
}

void
http_response_release(struct http_response *r)
{
	buf_release(&r->body);
	free(r->etag);
	free(r->last_modified);
	memset(r, 0, sizeof *r);
}

/*
 * GET url into resp.  Anything but a 200 with a body is an error, named
 * with the URL; resp->status is set whenever the server answered.
 */
int
http_get(struct http *h, const char *url, const char *user_agent,
    long timeout, struct http_response *resp, char **cause)
{
	CURL *c = h->curl;
	CURLcode rc;
	double secs = 0;

	memset(resp, 0, sizeof *resp);
	buf_init(&resp->body);
	h->resp = resp;
	h->too_big = 0;
	h->errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_USERAGENT, user_agent);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, timeout > 0 ? timeout :
	    HTTP_TIMEOUT);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &secs);
	resp->seconds = secs;
	h->resp = NULL;
	if (h->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		*cause = xasprintf("response larger than %u MiB from %s",
		    HTTP_MAX_BODY / (1024 * 1024), url);
		return -1;
	}
	if (rc == CURLE_TOO_MANY_REDIRECTS) {
		*cause = xasprintf("more than %ld redirects from %s",
		    HTTP_MAX_REDIRS, url);
		return -1;
	}
	if (rc != CURLE_OK) {
		*cause = xasprintf("%s: %s", url, h->errbuf[0] != '\0' ?
		    h->errbuf : curl_easy_strerror(rc));
		return -1;
	}
	if (resp->status != 200) {
		*cause = xasprintf("HTTP %ld from %s", resp->status, url);
		return -1;
	}
	if (resp->body.len == 0) {
		*cause = xasprintf("empty response from %s", url);
		return -1;
	}
	return 0;
}
