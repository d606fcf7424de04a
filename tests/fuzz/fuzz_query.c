/*
 * fuzz_query.c: query_parse, serve's parser of a request target, over
 * arbitrary bytes (up to the first NUL, as libmicrohttpd hands it over).
 * What it accepts: a path that begins with '/', names and values that are
 * UTF-8 without control characters, at most QUERY_MAX_PARAMS of them, each
 * name given once and found by query_get, and query_only agreeing with the
 * names.  What it refuses: a status of 400 or 414 and a message.  No leak
 * either way (the fuzzer runs with LeakSanitizer).
 */
#include "rates.h"
#include "fuzz.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int
clean(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || *p == 0xc0 || *p == 0xc1 ||
		    *p >= 0xf5)
			return 0;
	}
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const one[] = {"format", NULL};
	char *uri = malloc(size + 1), *cause = NULL;
	struct query q;
	size_t i, j;
	int status, r;

	memcpy(uri, data, size);
	uri[size] = '\0';
	r = query_parse(uri, &q, &status, &cause);
	if (r != 0) {
		CHECK(status == 400 || status == 414, "status %d", status);
		CHECK(cause != NULL && *cause != '\0', "no message");
		CHECK(status != 414 || strlen(uri) > QUERY_MAX_URI, "414 for "
		    "%zu bytes", strlen(uri));
		CHECK(q.path == NULL && q.nparams == 0, "not released");
		free(cause);
		free(uri);
		return 0;
	}
	CHECK(strlen(uri) <= QUERY_MAX_URI, "%zu bytes accepted",
	    strlen(uri));
	CHECK(q.path != NULL && q.path[0] == '/', "path '%s'", q.path);
	CHECK(clean(q.path), "path not clean");
	CHECK(q.nparams <= QUERY_MAX_PARAMS, "%zu parameters", q.nparams);
	for (i = 0; i < q.nparams; i++) {
		CHECK(q.params[i].name[0] != '\0', "an empty name");
		CHECK(clean(q.params[i].name) && clean(q.params[i].value),
		    "parameter %zu not clean", i);
		CHECK(strlen(q.params[i].name) + strlen(q.params[i].value) <=
		    QUERY_MAX_PARAM, "parameter %zu too long", i);
		CHECK(query_get(&q, q.params[i].name) == q.params[i].value,
		    "query_get of '%s'", q.params[i].name);
		for (j = 0; j < i; j++)
			CHECK(strcmp(q.params[i].name, q.params[j].name) != 0,
			    "'%s' twice", q.params[i].name);
	}
	r = query_only(&q, one, &cause);
	for (i = 0, j = 0; i < q.nparams; i++)
		j += strcmp(q.params[i].name, "format") != 0;
	CHECK((r == 0) == (j == 0), "query_only %d with %zu others", r, j);
	if (r != 0) {
		CHECK(strstr(cause, "no such parameter") != NULL, "%s", cause);
		free(cause);
	}
	query_release(&q);
	free(uri);
	return 0;
}
