/*
 * cmd_completion.c: a completion script for bash, zsh or fish, made from
 * the table of commands and their options, so that it never falls behind
 * them; source and currency names come from the config in effect, asked
 * of rates itself when completing ("rates completion --list sources").
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static int cmd_completion_exec(struct cmd_ctx *);

#define OPT_LIST 300

static const struct cmd_option cmd_completion_options[] = {
	{"list", OPT_LIST, "WHAT", "print the names of sources or currencies"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_completion_entry = {
	.name = "completion",
	.usage = "bash|zsh|fish",
	.summary = "print a completion script for a shell",
	.options = cmd_completion_options,
	.min_args = 0,
	.max_args = 1,
	.flags = CMD_CONFIG,
	.exec = cmd_completion_exec,
};

/* The options of a command, "--since --until ...", into b. */
static void
options_of(const struct cmd_entry *e, struct buf *b)
{
	const struct cmd_option *o;

	for (o = e->options; o != NULL && o->name != NULL; o++)
		buf_addf(b, "%s--%s", b->len ? " " : "", o->name);
	buf_addf(b, "%s--help", b->len ? " " : "");
}

/* The options of a command that take a value, "--since|--until|...". */
static void
valued_options(struct buf *b)
{
	const struct cmd_entry *const *c;
	const struct cmd_option *o;
	char pat[64];

	for (c = cmd_table; *c != NULL; c++) {
		for (o = (*c)->options; o != NULL && o->name != NULL; o++) {
			if (o->arg == NULL)
				continue;
			snprintf(pat, sizeof pat, "--%s", o->name);
			if (strstr(b->data != NULL ? b->data : "", pat) == NULL)
				buf_addf(b, "%s%s", b->len ? "|" : "", pat);
		}
	}
}

static void
bash(void)
{
	const struct cmd_entry *const *c;
	struct buf b = BUF_INIT;

	printf("# bash completion for rates (rates completion bash)\n"
	    "_rates()\n{\n"
	    "\tlocal cur prev opt cmd i w\n"
	    "\tlocal -a g=()\n"
	    "\tcur=${COMP_WORDS[COMP_CWORD]}\n"
	    "\tprev=${COMP_WORDS[COMP_CWORD-1]}\n"
	    "\topt=$prev\n"
	    "\t# bash splits --opt=value at '=': the option is before it.\n"
	    "\tif [ \"$prev\" = = ]; then opt=${COMP_WORDS[COMP_CWORD-2]}; fi\n"
	    "\tif [ \"$cur\" = = ]; then opt=$prev; cur=; fi\n"
	    "\tcmd=\n"
	    "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
	    "\t\tw=${COMP_WORDS[i]}\n"
	    "\t\tcase $w in\n"
	    "\t\t-d|-c|--db|--config|--color)\n"
	    "\t\t\t[ \"${COMP_WORDS[i+1]}\" = = ] && ((i++))\n"
	    "\t\t\t[ \"$w\" != --color ] && g+=(\"$w\" \"${COMP_WORDS[i+1]}\")\n"
	    "\t\t\t((i++)) ;;\n"
	    "\t\t-*) ;;\n"
	    "\t\t*) cmd=$w; break ;;\n"
	    "\t\tesac\n"
	    "\tdone\n"
	    "\tcase $opt in\n"
	    "\t-d|--db|-c|--config|-o|--output|--svg|--log) COMPREPLY=($(compgen "
	    "-f -- \"$cur\")); return ;;\n"
	    "\t-s|--source) COMPREPLY=($(compgen -W \"$(rates \"${g[@]}\" "
	    "completion --list sources 2>/dev/null)\" -- \"$cur\")); return ;;\n"
	    "\t--currency) COMPREPLY=($(compgen -W \"$(rates \"${g[@]}\" "
	    "completion --list currencies 2>/dev/null)\" -- \"$cur\")); "
	    "return ;;\n"
	    "\t-f|--format) if [ \"$cmd\" = sources ]; then w='conf json'; "
	    "elif [ \"$cmd\" = export ]; then w='csv json'; else "
	    "w='table csv json'; fi\n"
	    "\t\tCOMPREPLY=($(compgen -W \"$w\" -- \"$cur\")); return ;;\n"
	    "\t--color) COMPREPLY=($(compgen -W \"auto always never\" -- "
	    "\"$cur\")); return ;;\n"
	    "\t--list) COMPREPLY=($(compgen -W \"sources currencies\" -- "
	    "\"$cur\")); return ;;\n");
	valued_options(&b);
	printf("\t%s) return ;; # a value of the user's\n", b.data);
	printf("\tesac\n"
	    "\tif [ -z \"$cmd\" ]; then\n"
	    "\t\tCOMPREPLY=($(compgen -W \"");
	for (c = cmd_table; *c != NULL; c++)
		printf("%s%s", c == cmd_table ? "" : " ", (*c)->name);
	printf(" help -d -c -q -v -h -V --db --config --quiet --verbose --help "
	    "--version --color\" -- \"$cur\"))\n\t\treturn\n\tfi\n"
	    "\tcase $cmd in\n"
	    "\thelp) COMPREPLY=($(compgen -W \"");
	for (c = cmd_table; *c != NULL; c++)
		printf("%s%s", c == cmd_table ? "" : " ", (*c)->name);
	printf("\" -- \"$cur\")) ;;\n");
	for (c = cmd_table; *c != NULL; c++) {
		buf_reset(&b);
		options_of(*c, &b);
		printf("\t%s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\"))",
		    (*c)->name, b.data);
		if (strcmp((*c)->name, "fetch") == 0 ||
		    strcmp((*c)->name, "daemon") == 0)
			printf("\n\t\t[[ $cur != -* ]] && COMPREPLY+=($(compgen "
			    "-W \"$(rates \"${g[@]}\" completion --list sources "
			    "2>/dev/null)\" -- \"$cur\"))");
		else if (strcmp((*c)->name, "import") == 0 ||
		    strcmp((*c)->name, "check") == 0 ||
		    strcmp((*c)->name, "backup") == 0)
			printf("\n\t\t[[ $cur != -* ]] && COMPREPLY+=($(compgen "
			    "-f -- \"$cur\"))");
		else if (strcmp((*c)->name, "completion") == 0)
			printf("\n\t\t[[ $cur != -* ]] && COMPREPLY=($(compgen "
			    "-W \"bash zsh fish\" -- \"$cur\"))");
		printf(" ;;\n");
	}
	printf("\tesac\n}\ncomplete -F _rates rates\n");
	buf_release(&b);
}

static void
zsh(void)
{
	const struct cmd_entry *const *c;
	const struct cmd_option *o;

	printf("#compdef rates\n# zsh completion for rates (rates completion "
	    "zsh)\n_rates() {\n\tlocal -a commands\n\tcommands=(\n");
	for (c = cmd_table; *c != NULL; c++)
		printf("\t\t'%s:%s'\n", (*c)->name, (*c)->summary);
	printf("\t)\n\tif (( CURRENT == 2 )); then\n"
	    "\t\t_describe command commands\n\t\treturn\n\tfi\n"
	    "\tcase $words[2] in\n");
	for (c = cmd_table; *c != NULL; c++) {
		printf("\t%s) _arguments", (*c)->name);
		for (o = (*c)->options; o != NULL && o->name != NULL; o++) {
			if (strcmp(o->name, "source") == 0)
				printf(" '--%s=[%s]:source:(${(f)\"$(rates "
				    "completion --list sources 2>/dev/null)\"})'",
				    o->name, "a source");
			else if (strcmp(o->name, "currency") == 0)
				printf(" '--%s=[%s]:currency:(${(f)\"$(rates "
				    "completion --list currencies 2>/dev/null)\"})'",
				    o->name, "currencies");
			else
				printf(" '--%s%s[%s]%s'", o->name, o->arg ?
				    "=" : "", o->arg ? o->arg : o->name,
				    o->arg ? ":value:" : "");
		}
		printf(" '*:file:_files' ;;\n");
	}
	printf("\tesac\n}\n_rates \"$@\"\n");
}

static void
fish(void)
{
	const struct cmd_entry *const *c;
	const struct cmd_option *o;

	printf("# fish completion for rates (rates completion fish)\n"
	    "complete -c rates -f\n");
	for (c = cmd_table; *c != NULL; c++)
		printf("complete -c rates -n __fish_use_subcommand -a %s -d '%s'\n",
		    (*c)->name, (*c)->summary);
	for (c = cmd_table; *c != NULL; c++) {
		for (o = (*c)->options; o != NULL && o->name != NULL; o++) {
			printf("complete -c rates -n '__fish_seen_subcommand_from "
			    "%s' -l %s", (*c)->name, o->name);
			if (strcmp(o->name, "source") == 0)
				printf(" -x -a '(rates completion --list sources)'");
			else if (strcmp(o->name, "currency") == 0)
				printf(" -x -a '(rates completion --list "
				    "currencies)'");
			else if (o->arg != NULL)
				printf(" -r");
			printf("\n");
		}
	}
}

static int
cmd_completion_exec(struct cmd_ctx *ctx)
{
	const char *list = args_get(ctx->args, OPT_LIST);
	const char *shell = ctx->args->argc ? ctx->args->argv[0] : NULL;
	struct config *cfg = ctx->config;
	size_t i, j, k;
	int seen;

	if (list != NULL) {
		if (strcmp(list, "sources") == 0) {
			for (i = 0; i < cfg->nsources; i++)
				printf("%s\n", cfg->sources[i]->name);
		} else if (strcmp(list, "currencies") == 0) {
			/* Of the enabled sources: nbkr-weekly has 40. */
			for (i = 0; i < cfg->nsources; i++) {
				if (!cfg->sources[i]->enabled)
					continue;
				for (j = 0; j < cfg->sources[i]->ncurrencies;
				    j++) {
					const char *cur =
					    cfg->sources[i]->currencies[j];

					for (seen = 0, k = 0; k < i && !seen; k++)
						seen = cfg->sources[k]->enabled &&
						    source_has(cfg->sources[k],
						    cur);
					if (!seen)
						printf("%s\n", cur);
				}
			}
		} else
			cmd_usage_error(&cmd_completion_entry, "--list '%s': "
			    "expected sources or currencies", list);
		return EXIT_OK;
	}
	if (shell == NULL)
		cmd_usage_error(&cmd_completion_entry, "which shell: bash, zsh "
		    "or fish");
	if (strcmp(shell, "bash") == 0)
		bash();
	else if (strcmp(shell, "zsh") == 0)
		zsh();
	else if (strcmp(shell, "fish") == 0)
		fish();
	else
		cmd_usage_error(&cmd_completion_entry, "unknown shell '%s' "
		    "(bash, zsh or fish)", shell);
	return EXIT_OK;
}
