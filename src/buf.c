/*
 * buf.c: a growable byte string, always NUL-terminated, for building lines
 * and holding pages (after git's strbuf).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rates.h"

void
buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = b->size = 0;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

/* Make room for n more bytes and the terminating NUL. */
void
buf_grow(struct buf *b, size_t n)
{
	size_t want;

	if (n > SIZE_MAX - b->len - 1)
		fatal("buffer overflow");
	want = b->len + n + 1;
	if (want <= b->size)
		return;
	if (b->size == 0)
		b->size = 64;
	while (b->size < want)
		b->size = b->size > SIZE_MAX / 2 ? want : b->size * 2;
	b->data = xrealloc(b->data, b->size);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n != 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	buf_grow(b, 64);
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->size - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		fatal("bad format string");
	if ((size_t)n >= b->size - b->len) {
		buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->size - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Hand the string to the caller; the buf is empty afterwards. */
char *
buf_detach(struct buf *b)
{
	char *s;

	if (b->data == NULL)
		return xstrdup("");
	s = b->data;
	buf_init(b);
	return s;
}

/*
 * A flag that a signal handler sets: a read that a signal interrupts while
 * it is true ends with "interrupted" instead of going on (import, Ctrl-C).
 */
static volatile sig_atomic_t *read_stop;

void
buf_set_read_stop(volatile sig_atomic_t *stop)
{
	read_stop = stop;
}

/* Append all of fd, refusing more than max bytes. */
int
buf_read_fd(struct buf *b, int fd, size_t max, char **cause)
{
	size_t start = b->len;
	ssize_t n;

	for (;;) {
		buf_grow(b, 65536);
		n = read(fd, b->data + b->len, b->size - b->len - 1);
		if (n < 0) {
			if (errno == EINTR && read_stop != NULL && *read_stop) {
				*cause = xstrdup("interrupted");
				return -1;
			}
			if (errno == EINTR)
				continue;
			*cause = xstrdup(strerror(errno));
			return -1;
		}
		if (n == 0)
			break;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
		if (b->len - start > max) {
			*cause = xasprintf("larger than %zu MiB",
			    max / (1024 * 1024));
			return -1;
		}
	}
	return 0;
}

/* Append the file at path ("-" is standard input). */
int
buf_read_file(struct buf *b, const char *path, size_t max, char **cause)
{
	int fd, r;

	if (strcmp(path, "-") == 0)
		return buf_read_fd(b, STDIN_FILENO, max, cause);
	while ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		/* Opening a FIFO waits for a writer; a signal may end it. */
		if (errno == EINTR && (read_stop == NULL || !*read_stop))
			continue;
		*cause = xstrdup(errno == EINTR ? "interrupted" :
		    strerror(errno));
		return -1;
	}
	r = buf_read_fd(b, fd, max, cause);
	close(fd);
	return r;
}
