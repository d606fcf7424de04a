/*
 * cmd_sources.c: the effective sources, after the built-in one and the
 * config files, printed in the config file's own syntax so that any of
 * them can be copied into a file and changed.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static int cmd_sources_exec(struct cmd_ctx *);

static const struct cmd_option cmd_sources_options[] = {
	{"format", 'f', "FMT", "conf (the config syntax, the default) or json"},
	{"json", 'j', NULL, "the same as --format json"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_sources_entry = {
	.name = "sources",
	.usage = "[--format conf|json]",
	.summary = "the configured sources and their settings",
	.options = cmd_sources_options,
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
	if (s->type == SOURCE_NBKR_XML)
		printf("type = nbkr-xml\n");
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
	if (s->reference != NULL) {
		dec_format_short(jump, sizeof jump, s->max_deviation);
		printf("reference = %s\nmax_deviation = %s%%\n", s->reference,
		    jump);
	}
	if (s->archive_url != NULL)
		printf("archive_url = %s\n", s->archive_url);
	if (s->narchive_ids != 0) {
		printf("archive_ids =");
		for (i = 0; i < s->narchive_ids; i++)
			printf(" %s=%ld", s->archive_ids[i].code,
			    s->archive_ids[i].id);
		printf("\n");
	}
}

static void
json_key_str(const char *key, const char *value, int comma)
{
	printf("%s\"%s\": ", comma ? ", " : "", key);
	if (value == NULL)
		printf("null");
	else
		out_json_string(stdout, value);
}

/* One source as a JSON object, with the keys of the config file. */
static void
print_json(const struct source *s)
{
	char off[16], jump[32], dec[2] = {s->decimal, '\0'};
	size_t i;

	printf("  {");
	json_key_str("name", s->name, 0);
	json_key_str("type", s->type == SOURCE_NBKR_XML ? "nbkr-xml" : "page",
	    1);
	json_key_str("url", s->url, 1);
	json_key_str("quote", s->quote, 1);
	printf(", \"currencies\": [");
	for (i = 0; i < s->ncurrencies; i++) {
		printf("%s", i ? ", " : "");
		out_json_string(stdout, s->currencies[i]);
	}
	printf("], \"patterns\": {");
	for (i = 0; i < s->npats; i++) {
		json_key_str(s->pats[i].code, s->pats[i].text, i != 0);
	}
	printf("}");
	json_key_str("pattern", s->pattern_text, 1);
	json_key_str("decimal", s->decimal != 0 ? dec : "any", 1);
	json_key_str("time_pattern", s->time_text, 1);
	json_key_str("date_format", s->date_format, 1);
	time_format_offset(off, sizeof off, s->utc_offset);
	json_key_str("utc_offset", off, 1);
	printf(", \"interval_seconds\": %ld, \"timeout_seconds\": %ld",
	    s->interval, s->timeout);
	json_key_str("user_agent", s->user_agent, 1);
	dec_format_short(jump, sizeof jump, s->max_jump);
	json_key_str("max_jump_pct", jump, 1);
	json_key_str("reference", s->reference, 1);
	dec_format_short(jump, sizeof jump, s->max_deviation);
	json_key_str("max_deviation_pct", s->reference != NULL ? jump : NULL,
	    1);
	json_key_str("archive_url", s->archive_url, 1);
	printf(", \"archive_ids\": {");
	for (i = 0; i < s->narchive_ids; i++)
		printf("%s\"%s\": %ld", i ? ", " : "", s->archive_ids[i].code,
		    s->archive_ids[i].id);
	printf("}");
	printf(", \"enabled\": %s", s->enabled ? "true" : "false");
	json_key_str("origin", s->origin, 1);
	printf("}");
}

static int
cmd_sources_exec(struct cmd_ctx *ctx)
{
	const char *v = args_get(ctx->args, 'f');
	size_t i;

	if (args_has(ctx->args, 'j') || (v != NULL && strcmp(v, "json") == 0)) {
		if (v != NULL && strcmp(v, "json") != 0)
			cmd_usage_error(&cmd_sources_entry, "--json and "
			    "--format %s do not go together", v);
		printf("[");
		for (i = 0; i < ctx->config->nsources; i++) {
			printf("%s\n", i ? "," : "");
			print_json(ctx->config->sources[i]);
		}
		printf("%s]\n", i ? "\n" : "");
		return EXIT_OK;
	}
	if (v != NULL && strcmp(v, "conf") != 0)
		cmd_usage_error(&cmd_sources_entry, "--format '%s': expected "
		    "conf or json", v);
	for (i = 0; i < ctx->config->nsources; i++) {
		if (i != 0)
			printf("\n");
		print_source(ctx->config->sources[i]);
	}
	return EXIT_OK;
}
