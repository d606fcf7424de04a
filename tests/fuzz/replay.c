/*
 * replay.c: a main for a harness without libFuzzer, so that any compiler
 * builds it and the test suite runs it over the kept inputs
 * (tests/fuzz/seeds/NAME/, tests/fuzz/regress/NAME/).  Each file named on
 * the command line is read whole and given once to LLVMFuzzerTestOneInput,
 * in a buffer of exactly its size, as libFuzzer does.  A broken invariant
 * aborts; otherwise the exit status is 0, or 1 when a file cannot be read.
 */
#include <errno.h>
#include <string.h>

#include "fuzz.h"

#define REPLAY_MAX (16u * 1024 * 1024)

/* Read path whole into a new buffer of exactly its size. */
static int
slurp(const char *path, uint8_t **data, size_t *size)
{
	FILE *f;
	uint8_t *p = NULL, *q;
	size_t n = 0, cap = 0, got;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	for (;;) {
		if (n == cap) {
			cap = cap == 0 ? 4096 : cap * 2;
			if (cap > REPLAY_MAX || (q = realloc(p, cap)) == NULL) {
				errno = EFBIG;
				goto fail;
			}
			p = q;
		}
		got = fread(p + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f))
		goto fail;
	fclose(f);
	/* Exactly n bytes, so that AddressSanitizer sees a read past them. */
	if ((*data = malloc(n == 0 ? 1 : n)) == NULL) {
		free(p);
		return -1;
	}
	memcpy(*data, p, n);
	free(p);
	*size = n;
	return 0;
fail:
	free(p);
	fclose(f);
	return -1;
}

int
main(int argc, char **argv)
{
	uint8_t *data;
	size_t size;
	int i, status = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++) {
		if (slurp(argv[i], &data, &size) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i],
			    strerror(errno));
			status = 1;
			continue;
		}
		fprintf(stderr, "replay: %s (%zu bytes)\n", argv[i], size);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
	}
	return status;
}
