/*
 * lock.c: one daemon per database.  The daemon holds an exclusive flock on
 * a file of its own beside the database, DB.pid, which also holds its pid.
 * Never a lock on the database file itself: closing a second descriptor of
 * it would drop SQLite's own POSIX locks.  The kernel drops the flock when
 * the process dies, even by kill -9, so a new daemon starts at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "rates.h"

char *
lock_path(const char *db_path)
{
	return xasprintf("%s.pid", db_path);
}

static long
read_pid(int fd)
{
	char b[32];
	ssize_t n;

	n = pread(fd, b, sizeof b - 1, 0);
	if (n <= 0)
		return 0;
	b[n] = '\0';
	return strtol(b, NULL, 10);
}

/* Write our pid into the lock file (again after a fork). */
int
lock_write_pid(int fd, char **cause)
{
	char b[32];
	int n;

	n = snprintf(b, sizeof b, "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, b, (size_t)n, 0) != n) {
		*cause = xasprintf("cannot write the pid file: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Take the lock: 0 with *fd, 1 when another process holds it (*holder is
 * its pid, or 0 if unknown), -1 on an error.
 */
int
lock_acquire(const char *path, int *fd, long *holder, char **cause)
{
	int f;

	if ((f = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) == -1) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(f, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			*holder = read_pid(f);
			close(f);
			return 1;
		}
		*cause = xasprintf("%s: %s", path, strerror(errno));
		close(f);
		return -1;
	}
	if (lock_write_pid(f, cause) != 0) {
		close(f);
		return -1;
	}
	*fd = f;
	return 0;
}

/* Give the lock up: the file stays, empty, for the next daemon. */
void
lock_release(int fd)
{
	if (fd == -1)
		return;
	(void)ftruncate(fd, 0);
	close(fd);
}

/* The pid of the daemon that holds the lock, or 0 when none runs. */
long
lock_holder(const char *path)
{
	long pid = 0;
	int f;

	if ((f = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	if (flock(f, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK)
		pid = read_pid(f);
	close(f);
	return pid;
}
