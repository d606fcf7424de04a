/*
 * log.c: the messages rates writes to stderr.  Every line reads
 * "rates: <command>: <subject>: <reason>", lower case, no full stop.
 */
#include <stdlib.h>

#include "rates.h"

int log_level;
static const char *log_command;

void
log_set_command(const char *name)
{
	log_command = name;
}

static void
log_vprint(const char *fmt, va_list ap)
{
	if (log_command != NULL)
		fprintf(stderr, "rates: %s: ", log_command);
	else
		fputs("rates: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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
	log_vprint(fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 0)
		return;
	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (log_level < 1)
		return;
	va_start(ap, fmt);
	log_vprint(fmt, ap);
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
