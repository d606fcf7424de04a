/*
 * args.c: a command's parsed options, as main.c leaves them: whether an
 * option was given and its argument.  Apart from main.c so that the
 * modules that read options (select.c, report.c) link without it.
 */
#include "rates.h"

int
args_has(const struct args *a, int flag)
{
	return a->present[flag];
}

const char *
args_get(const struct args *a, int flag)
{
	return a->values[flag];
}
