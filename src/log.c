/*
 * log.c: the messages rates writes: to stderr, where every line reads
 * "rates: <command>: <subject>: <reason>", lower case, no full stop; or,
 * for the daemon, to syslog (--detach) or to a file with the time in front
 * (--log FILE, reopened by log_reopen on SIGHUP for log rotation).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "rates.h"

int log_level;
static const char *log_command;
static int log_syslog;
static FILE *log_file;
static char *log_file_path;

void
log_set_command(const char *name)
{
	log_command = name;
}

/* Log to syslog from now on. */
void
log_to_syslog(void)
{
	openlog("rates", LOG_PID, LOG_DAEMON);
	log_syslog = 1;
}

/* Log to a file (appended) from now on; -1 if it cannot be opened. */
int
log_to_file(const char *path, char **cause)
{
	FILE *f;

	if ((f = fopen(path, "a")) == NULL) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	if (log_file != NULL)
		fclose(log_file);
	log_file = f;
	if (log_file_path != path) {
		free(log_file_path);
		log_file_path = xstrdup(path);
	}
	return 0;
}

/* Open the log again (after it was rotated); keep the old one on error. */
int
log_reopen(char **cause)
{
	if (log_syslog) {
		closelog();
		openlog("rates", LOG_PID, LOG_DAEMON);
	}
	if (log_file_path != NULL)
		return log_to_file(log_file_path, cause);
	return 0;
}

/*
 * Is stderr the journal?  systemd says so in JOURNAL_STREAM, "DEV:INODE"
 * of the stream it gave us; asked once.
 */
static int
journal(void)
{
	static int known = 0, is = 0;
	unsigned long long dev, ino;
	const char *js;
	struct stat sb;
	char end;

	if (known)
		return is;
	known = 1;
	if ((js = getenv("JOURNAL_STREAM")) == NULL ||
	    sscanf(js, "%llu:%llu%c", &dev, &ino, &end) != 2 ||
	    fstat(STDERR_FILENO, &sb) != 0)
		return is;
	is = (unsigned long long)sb.st_dev == dev &&
	    (unsigned long long)sb.st_ino == ino;
	return is;
}

static void PRINTFLIKE(2, 0)
log_vprint_at(int prio, const char *fmt, va_list ap)
{
	char when[64], *msg;
	time_t now;

	if (log_syslog) {
		vsyslog(prio, fmt, ap);
		return;
	}
	if (log_file != NULL) {
		now = time(NULL);
		time_format_iso(when, sizeof when, now, 0);
		msg = xvasprintf(fmt, ap);
		fprintf(log_file, "%s %s: %s\n", when, prio <= LOG_ERR ?
		    "error" : prio == LOG_WARNING ? "warning" : prio ==
		    LOG_INFO ? "info" : "debug", msg);
		free(msg);
		return;
	}
	/* To the journal: the level as sd-daemon(3) prefixes say it. */
	if (journal())
		fprintf(stderr, "<%d>", prio);
	if (log_command != NULL)
		fprintf(stderr, "rates: %s: ", log_command);
	else
		fputs("rates: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void PRINTFLIKE(1, 0)
log_vprint(const char *fmt, va_list ap)
{
	log_vprint_at(LOG_ERR, fmt, ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint_at(LOG_WARNING, fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 0)
		return;
	va_start(ap, fmt);
	log_vprint_at(LOG_INFO, fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	log_vprint_at(LOG_DEBUG, fmt, ap);
	va_end(ap);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
	exit(EXIT_ERROR);
}
