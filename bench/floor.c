/*
 * floor.c: the floor of scripts/bench-daemon, not part of rates.  The least
 * a program can be that does what the daemon does with its three libraries:
 * it links libcurl, SQLite and PCRE2, fetches a page COUNT times (default
 * 20) with one easy handle, opens an in-memory database and runs one
 * statement in it, and compiles one pattern (with JIT, as rates does) and
 * matches it over the page.  Then, with everything still alive, it prints
 * its memory from /proc/self/status, and exits.
 *
 * Usage: floor URL [COUNT]
 *
 * Output (stdout), for the bench to check and read:
 *   fetches N
 *   bytes N          (of the last page)
 *   match TEXT       (group 1 of the pattern, the USD rate)
 *   VmRSS: ... kB    (and VmHWM, RssAnon, RssFile, RssShmem, as the
 *                    kernel prints them)
 * Any failure (a status other than 200, an empty page, no match) exits 1.
 *
 * Build: cc -O2 bench/floor.c $(pkg-config --cflags --libs libcurl sqlite3
 *        libpcre2-8) -o floor
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <curl/curl.h>
#include <pcre2.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct page {
	char *data;
	size_t len, size;
};

static size_t
write_cb(char *data, size_t size, size_t n, void *arg)
{
	struct page *p = arg;
	size_t len = size * n;

	if (p->len + len + 1 > p->size) {
		size_t want = p->size ? p->size : 16384;
		char *d;

		while (want < p->len + len + 1)
			want *= 2;
		if ((d = realloc(p->data, want)) == NULL)
			return 0;
		p->data = d;
		p->size = want;
	}
	memcpy(p->data + p->len, data, len);
	p->len += len;
	p->data[p->len] = '\0';
	return len;
}

static void
print_memory(void)
{
	static const char *const keys[] = {"VmRSS:", "VmHWM:", "RssAnon:",
	    "RssFile:", "RssShmem:", NULL};
	char line[256];
	FILE *f;
	int i;

	if ((f = fopen("/proc/self/status", "r")) == NULL) {
		perror("/proc/self/status");
		exit(1);
	}
	while (fgets(line, sizeof line, f) != NULL) {
		for (i = 0; keys[i] != NULL; i++) {
			if (strncmp(line, keys[i], strlen(keys[i])) == 0)
				fputs(line, stdout);
		}
	}
	fclose(f);
}

int
main(int argc, char **argv)
{
	/* The USD rate, as on the header of the page: "USD ... 87.45". */
	static const char pattern[] =
	    "(?<![A-Za-z])USD(?:\\s|&nbsp;|<[^<>]{0,400}>){0,40}"
	    "([0-9]{1,9}(?:[.,][0-9]{1,6})?)";
	struct page page = {NULL, 0, 0};
	CURL *c;
	CURLcode rc;
	sqlite3 *db;
	char *err = NULL;
	pcre2_code *re;
	pcre2_match_data *md;
	PCRE2_SIZE off, *ov;
	long status = 0;
	int i, count = 20, e;

	if (argc < 2 || argc > 3 || (argc == 3 && (count = atoi(argv[2])) < 1)) {
		fprintf(stderr, "usage: floor URL [COUNT]\n");
		return 2;
	}

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (c = curl_easy_init()) == NULL) {
		fprintf(stderr, "floor: libcurl: cannot start\n");
		return 1;
	}
	/* The options of rates' handles that make a difference to the work. */
	curl_easy_setopt(c, CURLOPT_URL, argv[1]);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &page);
	for (i = 0; i < count; i++) {
		page.len = 0;
		if ((rc = curl_easy_perform(c)) != CURLE_OK) {
			fprintf(stderr, "floor: %s: %s\n", argv[1],
			    curl_easy_strerror(rc));
			return 1;
		}
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status != 200 || page.len == 0) {
			fprintf(stderr, "floor: %s: HTTP %ld, %zu bytes\n",
			    argv[1], status, page.len);
			return 1;
		}
	}

	if (sqlite3_open(":memory:", &db) != SQLITE_OK ||
	    sqlite3_exec(db, "CREATE TABLE sample (code TEXT, rate TEXT)",
	    NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "floor: sqlite: %s\n", err ? err :
		    sqlite3_errmsg(db));
		return 1;
	}

	if ((re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0,
	    &e, &off, NULL)) == NULL) {
		fprintf(stderr, "floor: pcre2: error %d at %zu\n", e,
		    (size_t)off);
		return 1;
	}
	(void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	if (md == NULL || pcre2_match(re, (PCRE2_SPTR)page.data, page.len, 0,
	    0, md, NULL) < 2) {
		fprintf(stderr, "floor: no USD rate on the page\n");
		return 1;
	}
	ov = pcre2_get_ovector_pointer(md);

	printf("fetches %d\nbytes %zu\nmatch %.*s\n", count, page.len,
	    (int)(ov[3] - ov[2]), page.data + ov[2]);
	print_memory();
	fflush(stdout);

	pcre2_match_data_free(md);
	pcre2_code_free(re);
	sqlite3_close(db);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	free(page.data);
	return 0;
}
