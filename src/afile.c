/*
 * afile.c: one way to write an output file (export -o, chart --svg).  A
 * regular file (or a new one) is written beside its place and renamed into
 * it once whole and on disk, so that a reader never sees half a file; it
 * keeps the permissions of the file it replaces, or gets those a plain
 * fopen would give.  A symbolic link is followed, and its target replaced
 * so.  Anything else (a device such as /dev/stdout or /dev/full, a FIFO, a
 * socket) is written in place, as it cannot be replaced; "-" is standard
 * output.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rates.h"

#define LINKS_MAX 40

/*
 * The file a path names in the end: symbolic links followed, also one
 * that points to nothing yet (its target is then the file to make).
 */
char *
afile_resolve(const char *path, char **cause)
{
	char *cur = xstrdup(path), *next, *dir, target[PATH_MAX];
	struct stat sb;
	ssize_t n;
	int i;

	for (i = 0; i < LINKS_MAX; i++) {
		if (lstat(cur, &sb) != 0 || !S_ISLNK(sb.st_mode))
			return cur;
		if ((n = readlink(cur, target, sizeof target - 1)) == -1) {
			*cause = xasprintf("%s: %s", cur, strerror(errno));
			free(cur);
			return NULL;
		}
		target[n] = '\0';
		if (target[0] == '/')
			next = xstrdup(target);
		else {
			dir = xstrdup(cur);
			next = xasprintf("%s/%s", dirname(dir), target);
			free(dir);
		}
		free(cur);
		cur = next;
	}
	*cause = xasprintf("%s: %s", path, strerror(ELOOP));
	free(cur);
	return NULL;
}

struct afile *
afile_open(const char *path, char **cause)
{
	struct afile *a;
	struct stat sb;
	mode_t mode, mask;
	char *real;
	int fd;

	a = xcalloc(1, sizeof *a);
	if (strcmp(path, "-") == 0) {
		a->path = xstrdup("standard output");
		a->f = stdout;
		a->direct = 1;
		return a;
	}
	/*
	 * What the path leads to, through any links: a device or a FIFO is
	 * opened by the path itself (/dev/stdout is a link into /proc that
	 * only the kernel follows to a pipe).
	 */
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		a->path = xstrdup(path);
		if (S_ISDIR(sb.st_mode)) {
			*cause = xasprintf("%s: %s", path, strerror(EISDIR));
			afile_abort(a);
			return NULL;
		}
		/* A device or a FIFO: written in place. */
		if ((fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)) == -1 ||
		    (a->f = fdopen(fd, "w")) == NULL) {
			*cause = xasprintf("%s: %s", path, strerror(errno));
			if (fd != -1)
				close(fd);
			afile_abort(a);
			return NULL;
		}
		a->direct = 1;
		return a;
	}
	if ((real = afile_resolve(path, cause)) == NULL) {
		free(a);
		return NULL;
	}
	a->path = real;
	if (stat(real, &sb) == 0)
		mode = sb.st_mode & 07777;
	else {
		mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	a->tmp = xasprintf("%s.XXXXXX", real);
	if ((fd = mkstemp(a->tmp)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		free(a->tmp);
		a->tmp = NULL;
		afile_abort(a);
		return NULL;
	}
	(void)fchmod(fd, mode);
	if ((a->f = fdopen(fd, "w")) == NULL)
		fatal("out of memory");
	return a;
}

/*
 * Flush, sync, close and rename into place; on any failure, nothing.  In
 * place (a device, standard output): flush, and say whether all of it was
 * written.
 */
int
afile_commit(struct afile *a, char **cause)
{
	int r = 0;

	if (a->direct) {
		if (fflush(a->f) != 0 || ferror(a->f))
			r = -1;
		if (a->f != stdout && fclose(a->f) != 0)
			r = -1;
		a->f = NULL;
		if (r != 0)
			*cause = xasprintf("%s: %s", a->path,
			    strerror(errno != 0 ? errno : EIO));
		afile_abort(a);
		return r;
	}
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
	if (a->f != NULL && a->f != stdout)
		fclose(a->f);
	if (a->tmp != NULL)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	free(a);
}
