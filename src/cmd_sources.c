/*
 * cmd_sources.c: the effective sources, after the built-in one and the
 * config files, printed in the config file's own syntax so that any of
 * them can be copied into a file and changed.
 */
#include <stdlib.h>

#include "rates.h"

static int cmd_sources_exec(struct cmd_ctx *);

const struct cmd_entry cmd_sources_entry = {
	.name = "sources",
	.usage = "",
	.summary = "the configured sources and their settings",
	.options = NULL,
	.min_args = 0,
	.max_args = 0,
	.flags = CMD_CONFIG,
	.exec = cmd_sources_exec,
};

static void
print_source(const struct source *s)
{
	char off[16], jump[32];
	size_t i;

	printf("# from %s\n[source %s]\n", s->origin, s->name);
	if (!s->enabled)
		printf("enabled = no\n");
	if (s->url != NULL)
		printf("url = %s\n", s->url);
	printf("quote = %s\ncurrencies =", s->quote);
	for (i = 0; i < s->ncurrencies; i++)
		printf(" %s", s->currencies[i]);
	printf("\n");
	for (i = 0; i < s->npats; i++)
		printf("pattern.%s = %s\n", s->pats[i].code, s->pats[i].text);
	if (s->pattern_text != NULL)
		printf("pattern = %s\n", s->pattern_text);
	if (s->decimal != 0)
		printf("decimal = %c\n", s->decimal);
	else
		printf("decimal = any\n");
	if (s->time_text != NULL)
		printf("time_pattern = %s\n", s->time_text);
	time_format_offset(off, sizeof off, s->utc_offset);
	dec_format_short(jump, sizeof jump, s->max_jump);
	printf("date_format = %s\nutc_offset = %s\ninterval = %lds\n"
	    "timeout = %lds\nuser_agent = %s\nmax_jump = %s%%\n",
	    s->date_format, off, s->interval, s->timeout, s->user_agent, jump);
}

static int
cmd_sources_exec(struct cmd_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->config->nsources; i++) {
		if (i != 0)
			printf("\n");
		print_source(ctx->config->sources[i]);
	}
	return EXIT_OK;
}
