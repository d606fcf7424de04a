/*
 * afile.c: a file written beside its place and renamed into it once whole
 * and on disk, so that a reader never sees half a file (export -o, chart
 * --svg).  It gets the permissions a plain fopen would give.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rates.h"

struct afile *
afile_open(const char *path, char **cause)
{
	struct afile *a;
	mode_t mask;
	int fd;

	a = xcalloc(1, sizeof *a);
	a->path = xstrdup(path);
	a->tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(a->tmp)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(a->tmp);
		a->tmp = NULL;
		afile_abort(a);
		return NULL;
	}
	mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	if ((a->f = fdopen(fd, "w")) == NULL)
		fatal("out of memory");
	return a;
}

/* Flush, sync, close and rename into place; on any failure, nothing. */
int
afile_commit(struct afile *a, char **cause)
{
	int r = 0;

	if (fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0)
		r = -1;
	if (fclose(a->f) != 0)
		r = -1;
	a->f = NULL;
	if (r == 0 && rename(a->tmp, a->path) != 0)
		r = -1;
	if (r != 0)
		*cause = xasprintf("%s: %s", a->path, strerror(errno));
	else {
		free(a->tmp);
		a->tmp = NULL;
	}
	afile_abort(a);
	return r;
}

/* Give the file up: the temporary file goes. */
void
afile_abort(struct afile *a)
{
	if (a == NULL)
		return;
	if (a->f != NULL)
		fclose(a->f);
	if (a->tmp != NULL)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	free(a);
}
