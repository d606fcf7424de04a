/*
 * fuzz.h: what the libFuzzer harnesses share.  Each harness defines
 * LLVMFuzzerInitialize (run once) and LLVMFuzzerTestOneInput (run per
 * input); replay.c calls them without libFuzzer.  A broken invariant
 * aborts with a message, so that libFuzzer and the replay both see it.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *, char ***);
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* An invariant: on failure, say where and what, and abort. */
#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s: ",	\
		    __FILE__, __LINE__, #cond);				\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	}								\
} while (0)

/*
 * Is the bug named id known, and to be passed over?  FUZZ_KNOWN_BUGS lists
 * such names (see the harnesses), so that a bug found and reported but
 * not yet fixed does not stop the fuzzer from looking for others.  Unset,
 * as in the test suite, every invariant holds.
 */
static inline int
fuzz_known(const char *id)
{
	const char *list = getenv("FUZZ_KNOWN_BUGS"), *p;
	size_t n = strlen(id);

	for (p = list; p != NULL && (p = strstr(p, id)) != NULL; p += n) {
		if ((p == list || p[-1] == ' ' || p[-1] == ',') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == ','))
			return 1;
	}
	return 0;
}

/* A fixed "now" (2025-12-18T05:26:00Z) and zone, so that runs repeat. */
#define FUZZ_NOW ((time_t)1766035560)
#define FUZZ_TZ "Asia/Bishkek"

#endif
