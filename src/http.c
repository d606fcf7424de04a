/*
 * http.c: all of libcurl.  One handle per source, kept between requests so
 * that connections are reused.  The limits of SPEC section 7 are set on
 * every handle: http and https only (also after redirects, at most 5), TLS
 * verified, 8 MiB counted after decompression, connect 10 s, whole request
 * at most 60 s, a transfer under 100 bytes/s for 20 s is cut.
 *
 * libcurl is loaded when a command first needs the network, not linked:
 * it brings some thirty libraries (TLS, Kerberos, LDAP, SSH...) whose
 * loading made every command, even `rates latest`, 5 ms slower to start.
 */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rates.h"

struct http {
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
	struct http_response *resp;
	volatile sig_atomic_t *stop;
	int too_big;
};

#define LIBCURL "libcurl.so.4" /* the soname: ABI stable since 7.16 */

/* The libcurl functions rates uses, from dlopen. */
static struct {
	void *lib;
	CURLcode (*global_init)(long);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
} lc;

static int
load(void **fn, const char *name, char **cause)
{
	if ((*fn = dlsym(lc.lib, name)) == NULL) {
		*cause = xasprintf("%s: no %s", LIBCURL, name);
		return -1;
	}
	return 0;
}

int
http_global_init(char **cause)
{
	CURLcode rc;

	if ((lc.lib = dlopen(LIBCURL, RTLD_NOW | RTLD_LOCAL)) == NULL) {
		*cause = xasprintf("cannot load libcurl: %s", dlerror());
		return -1;
	}
	if (load((void **)&lc.global_init, "curl_global_init", cause) != 0 ||
	    load((void **)&lc.global_cleanup, "curl_global_cleanup",
	    cause) != 0 ||
	    load((void **)&lc.easy_init, "curl_easy_init", cause) != 0 ||
	    load((void **)&lc.easy_setopt, "curl_easy_setopt", cause) != 0 ||
	    load((void **)&lc.easy_perform, "curl_easy_perform", cause) != 0 ||
	    load((void **)&lc.easy_getinfo, "curl_easy_getinfo", cause) != 0 ||
	    load((void **)&lc.easy_cleanup, "curl_easy_cleanup", cause) != 0 ||
	    load((void **)&lc.easy_strerror, "curl_easy_strerror",
	    cause) != 0 ||
	    load((void **)&lc.slist_append, "curl_slist_append", cause) != 0 ||
	    load((void **)&lc.slist_free_all, "curl_slist_free_all",
	    cause) != 0)
		goto fail;
	if ((rc = lc.global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		*cause = xasprintf("libcurl: %s", lc.easy_strerror(rc));
		goto fail;
	}
	return 0;
fail:
	dlclose(lc.lib);
	lc.lib = NULL;
	return -1;
}

/*
 * The version of libcurl this machine would load ("8.14.1"), or why it
 * cannot be loaded.  A string of its own, the caller's.
 */
char *
http_version(void)
{
	char *(*version)(void);
	char *v, *sp, *cause;

	/*
	 * Loaded and set up as for a transfer, and left loaded: its TLS
	 * library keeps what it set up in globals, which an unloading would
	 * turn into leaks; the caller is about to exit.
	 */
	if (http_global_init(&cause) != 0) {
		v = xasprintf("not loadable (%s)", cause);
		free(cause);
		return v;
	}
	if ((*(void **)&version = dlsym(lc.lib, "curl_version")) == NULL)
		v = xstrdup("unknown");
	else {
		/* "libcurl/7.88.1 OpenSSL/3.0.17 ...": its number. */
		v = xstrdup(version());
		if ((sp = strchr(v, ' ')) != NULL)
			*sp = '\0';
		if (strncmp(v, "libcurl/", 8) == 0)
			memmove(v, v + 8, strlen(v + 8) + 1);
	}
	return v;
}

void
http_global_cleanup(void)
{
	if (lc.lib == NULL)
		return;
	lc.global_cleanup();
	/*
	 * libcurl stays mapped until the process ends, which is next: an
	 * unloading while a thread it started (its resolver's) may still be
	 * ending is a crash waiting to happen, and LeakSanitizer's tracer did
	 * crash on it.  Nothing is lost: the process ends.
	 */
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

/* Called often during a transfer: a stop request ends it. */
static int
progress_cb(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut,
    curl_off_t un)
{
	struct http *h = arg;

	(void)dt;
	(void)dn;
	(void)ut;
	(void)un;
	return h->stop != NULL && *h->stop;
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
	if ((c = h->curl = lc.easy_init()) == NULL)
		fatal("libcurl: cannot make a handle");
	lc.easy_setopt(c, CURLOPT_ERRORBUFFER, h->errbuf);
	lc.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	lc.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	lc.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	lc.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	lc.easy_setopt(c, CURLOPT_MAXREDIRS, HTTP_MAX_REDIRS);
	lc.easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	lc.easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	lc.easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	lc.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, HTTP_CONNECT_TIMEOUT);
	lc.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, HTTP_LOW_SPEED_LIMIT);
	lc.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, HTTP_LOW_SPEED_TIME);
	lc.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
	    (curl_off_t)HTTP_MAX_BODY);
	lc.easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	lc.easy_setopt(c, CURLOPT_WRITEDATA, h);
	lc.easy_setopt(c, CURLOPT_HEADERFUNCTION, header_cb);
	lc.easy_setopt(c, CURLOPT_HEADERDATA, h);
	lc.easy_setopt(c, CURLOPT_XFERINFOFUNCTION, progress_cb);
	lc.easy_setopt(c, CURLOPT_XFERINFODATA, h);
	lc.easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
	return h;
}

void
http_free(struct http *h)
{
	if (h == NULL)
		return;
	lc.easy_cleanup(h->curl);
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
 * GET a page into resp.  Anything but a 200 with a body is an error, named
 * with the URL, except a 304 to a conditional request (resp->status says
 * which); resp->status is set whenever the server answered.
 */
int
http_get(struct http *h, const struct http_request *req,
    struct http_response *resp, char **cause)
{
	CURL *c = h->curl;
	CURLcode rc;
	struct curl_slist *headers;
	const char *url = req->url;
	char *v;
	double secs = 0;

	memset(resp, 0, sizeof *resp);
	buf_init(&resp->body);
	h->resp = resp;
	h->stop = req->stop;
	h->too_big = 0;
	h->errbuf[0] = '\0';
	headers = lc.slist_append(NULL, "Accept: */*");
	if (req->etag != NULL) {
		v = xasprintf("If-None-Match: %s", req->etag);
		headers = lc.slist_append(headers, v);
		free(v);
	}
	if (req->last_modified != NULL) {
		v = xasprintf("If-Modified-Since: %s", req->last_modified);
		headers = lc.slist_append(headers, v);
		free(v);
	}
	lc.easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	lc.easy_setopt(c, CURLOPT_URL, url);
	lc.easy_setopt(c, CURLOPT_USERAGENT, req->user_agent);
	lc.easy_setopt(c, CURLOPT_TIMEOUT, req->timeout > 0 ? req->timeout :
	    HTTP_TIMEOUT);
	rc = lc.easy_perform(c);
	lc.easy_setopt(c, CURLOPT_HTTPHEADER, NULL);
	lc.slist_free_all(headers);
	lc.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	lc.easy_getinfo(c, CURLINFO_TOTAL_TIME, &secs);
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
	if (rc == CURLE_ABORTED_BY_CALLBACK) {
		*cause = xasprintf("%s: stopped", url);
		return -1;
	}
	if (rc != CURLE_OK) {
		*cause = xasprintf("%s: %s", url, h->errbuf[0] != '\0' ?
		    h->errbuf : lc.easy_strerror(rc));
		return -1;
	}
	if (resp->status == 304 && (req->etag != NULL ||
	    req->last_modified != NULL))
		return 0;
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
