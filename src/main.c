/*
 * main.c: the table of commands and the dispatch.  Global options come
 * before the command; each command's options are parsed here from its
 * entry, and what the command says it needs (config, database, network)
 * is prepared before it runs, so that a bad option never creates a
 * database and no command opens one by itself.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rates.h"

const struct cmd_entry *const cmd_table[] = {
	&cmd_fetch_entry,
	&cmd_daemon_entry,
	&cmd_import_entry,
	&cmd_check_entry,
	&cmd_latest_entry,
	&cmd_at_entry,
	&cmd_history_entry,
	&cmd_export_entry,
	&cmd_chart_entry,
	&cmd_stats_entry,
	&cmd_revisions_entry,
	&cmd_compare_entry,
	&cmd_backfill_entry,
	&cmd_status_entry,
	&cmd_serve_entry,
	&cmd_sources_entry,
	&cmd_backup_entry,
	&cmd_completion_entry,
	NULL,
};
#define NCOMMANDS (sizeof cmd_table / sizeof cmd_table[0] - 1)

static const char *global_usage =
    "usage: rates [-d DB] [-c CONFIG] [-q|-v] COMMAND [ARGS]\n"
    "       rates help [COMMAND]";

#define HELP_WIDTH 80

/*
 * Words out, wrapped at HELP_WIDTH: the first goes at column col (after a
 * space when space is set), and lines after the first start at column
 * indent.  Returns the column reached.
 */
static int
wrap(FILE *f, const char *text, int col, int indent, int space)
{
	const char *p = text, *e;
	int n, depth;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		/* A word: up to a space outside brackets ("[--source S]"). */
		for (e = p, depth = 0; *e != '\0' && (*e != ' ' || depth > 0);
		    e++) {
			if (*e == '[')
				depth++;
			else if (*e == ']' && depth > 0)
				depth--;
		}
		n = (int)(e - p);
		if (col > indent && col + space + n > HELP_WIDTH) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (space) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", n, p);
		col += n;
		space = 1;
		p = e;
	}
	return col;
}

/* "usage: rates NAME USAGE", wrapped under the usage. */
static void
print_usage(FILE *f, const struct cmd_entry *e)
{
	int col = fprintf(f, "usage: rates %s", e->name);

	if (e->usage[0] != '\0')
		wrap(f, e->usage, col, col + 1, 1);
	fputc('\n', f);
}

static void
usage(FILE *f)
{
	size_t i;
	int col;

	fprintf(f, "%s\n\nRecord the som exchange rates a web page shows, and "
	    "answer questions\nabout them.\n\ncommands:\n", global_usage);
	for (i = 0; i < NCOMMANDS; i++) {
		col = fprintf(f, "  %-10s", cmd_table[i]->name);
		wrap(f, cmd_table[i]->summary, col, 13, 1);
		fputc('\n', f);
	}
	fprintf(f, "\noptions:\n"
	    "  -d, --db DB        the database (default $RATES_DB, else\n"
	    "                     $XDG_DATA_HOME/rates/rates.db)\n"
	    "  -c, --config FILE  a config file read after the default ones\n"
	    "  -q, --quiet        only problems on stderr\n"
	    "  -v, --verbose      more detail on stderr\n"
	    "  -h, --help         this help\n"
	    "  -V, --version      the versions of rates and its libraries\n"
	    "\n'rates help COMMAND' (or 'rates COMMAND --help') shows a "
	    "command's options;\n'man rates' has everything.\n");
}

static void
cmd_help(const struct cmd_entry *e, FILE *f)
{
	const struct cmd_option *o;
	char left[64];
	int col;

	print_usage(f, e);
	fprintf(f, "\n%c", toupper((unsigned char)e->summary[0]));
	fputs(e->summary + 1, f);
	fprintf(f, ".\n\noptions:\n");
	for (o = e->options; o != NULL && o->name != NULL; o++) {
		if (o->flag < 256)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->flag,
			    o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name,
			    o->arg ? " " : "", o->arg ? o->arg : "");
		col = fprintf(f, "  %-24s", left);
		wrap(f, o->help, col, 27, 1);
		fputc('\n', f);
	}
	fprintf(f, "  %-24s %s\n", "-h, --help", "this help");
}

/* The distance of two words: edits, a swap of neighbours being one. */
static size_t
distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d[24][24], c;

	if (la >= 24 || lb >= 24)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	}
	return d[la][lb];
}

/* The command a mistyped name most likely meant, or NULL. */
static const char *
nearest(const char *name)
{
	const char *best = NULL;
	/* Two edits for a word of four letters or more, one below. */
	size_t i, d, bd = strlen(name) >= 4 ? 3 : 2;

	for (i = 0; i < NCOMMANDS; i++) {
		d = distance(name, cmd_table[i]->name);
		if (d < bd ||
		    (strncmp(cmd_table[i]->name, name, strlen(name)) == 0 &&
		    strlen(name) >= 2 && bd > 1)) {
			bd = d < bd ? d : 1;
			best = cmd_table[i]->name;
		}
	}
	return best;
}

static const struct cmd_entry *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++) {
		if (strcmp(name, cmd_table[i]->name) == 0)
			return cmd_table[i];
	}
	return NULL;
}

volatile sig_atomic_t cmd_stopped;

static void
on_stop(int sig)
{
	cmd_stopped = sig;
}

/*
 * For the commands that stop between steps (import, backfill): Ctrl-C or
 * SIGTERM sets cmd_stopped.  No SA_RESTART: a read of a pipe or a FIFO,
 * or a sleep, ends at the signal.
 */
void
cmd_catch_stop(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
cmd_usage_error(const struct cmd_entry *e, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "rates: %s: ", e->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_usage(stderr, e);
	exit(EXIT_USAGE);
}

/* Parse a command's options by its table into a. */
static void
args_parse(const struct cmd_entry *e, int argc, char **argv, struct args *a)
{
	struct option lo[32];
	const struct cmd_option *o;
	char shortopts[80] = ":h", *sp = shortopts + 2;
	size_t n = 0;
	int c, idx;

	memset(a, 0, sizeof *a);
	for (o = e->options; o != NULL && o->name != NULL; o++) {
		lo[n].name = o->name;
		lo[n].has_arg = o->arg != NULL ? required_argument :
		    no_argument;
		lo[n].flag = NULL;
		lo[n].val = o->flag;
		n++;
		if (o->flag < 256) {
			*sp++ = (char)o->flag;
			if (o->arg != NULL)
				*sp++ = ':';
		}
	}
	*sp = '\0';
	lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
	lo[n] = (struct option){NULL, 0, NULL, 0};

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, lo, &idx)) != -1) {
		if (c == 'h') {
			cmd_help(e, stdout);
			exit(EXIT_OK);
		}
		if (c == '?') {
			if (optopt != 0 && optopt < 256)
				cmd_usage_error(e, "unknown option '-%c'",
				    optopt);
			cmd_usage_error(e, "unknown option '%s'",
			    argv[optind - 1]);
		}
		if (c == ':')
			cmd_usage_error(e, "option '%s' needs an argument",
			    argv[optind - 1]);
		a->present[c] = 1;
		a->values[c] = optarg;
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	if (a->argc < e->min_args)
		cmd_usage_error(e, "missing argument");
	if (e->max_args >= 0 && a->argc > e->max_args)
		cmd_usage_error(e, "unexpected argument '%s'",
		    a->argv[e->max_args]);
}

static NORETURN void PRINTFLIKE(1, 2)
global_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("rates: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s\n(see 'rates --help')\n", global_usage);
	exit(EXIT_USAGE);
}

int
main(int argc, char **argv)
{
	const struct cmd_entry *e = NULL;
	struct cmd_ctx ctx;
	struct args args;
	const char *db_arg = NULL, *config_arg = NULL, *color_arg = NULL, *a;
	char *db_path, *cause;
	size_t i;
	int r, mode, net = 0;

	memset(&ctx, 0, sizeof ctx);
	for (i = 1; i < (size_t)argc && argv[i][0] == '-'; i++) {
		a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			char *curl = http_version(), *pcre = pcre_version();

			printf("rates %s\nlibcurl %s\nSQLite %s\nPCRE2 %s\n",
			    RATES_VERSION, curl, db_sqlite_version(), pcre);
			free(curl);
			free(pcre);
			return EXIT_OK;
		}
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			log_level = -1;
		else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			log_level = 1;
		else if (strncmp(a, "--color=", 8) == 0)
			color_arg = a + 8;
		else if (strcmp(a, "--color") == 0) {
			if (i + 1 >= (size_t)argc)
				global_usage_error("option '%s' needs an "
				    "argument", a);
			color_arg = argv[++i];
		} else if (strcmp(a, "--db=") == 0 || strcmp(a, "--config=") == 0)
			global_usage_error("option '%.*s' needs an argument",
			    (int)strlen(a) - 1, a);
		else if (strncmp(a, "--db=", 5) == 0 && a[5] != '\0')
			db_arg = a + 5;
		else if (strncmp(a, "--config=", 9) == 0 && a[9] != '\0')
			config_arg = a + 9;
		else if (strcmp(a, "-d") == 0 || strcmp(a, "-c") == 0 ||
		    strcmp(a, "--db") == 0 || strcmp(a, "--config") == 0) {
			if (i + 1 >= (size_t)argc || argv[i + 1][0] == '\0')
				global_usage_error("option '%s' needs an "
				    "argument", a);
			if (a[1] == 'd' || a[2] == 'd')
				db_arg = argv[++i];
			else
				config_arg = argv[++i];
		} else
			global_usage_error("unknown option '%s'", a);
	}
	if (i >= (size_t)argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* rates help [COMMAND] */
	if (strcmp(argv[i], "help") == 0) {
		if (i + 1 >= (size_t)argc || strcmp(argv[i + 1], "help") == 0 ||
		    strcmp(argv[i + 1], "--help") == 0 ||
		    strcmp(argv[i + 1], "-h") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		if ((e = find_command(argv[i + 1])) != NULL) {
			cmd_help(e, stdout);
			return EXIT_OK;
		}
		i++;
	}
	if ((e = find_command(argv[i])) == NULL) {
		const char *near = nearest(argv[i]);

		if (near != NULL)
			global_usage_error("unknown command '%s' (did you mean "
			    "'%s'?)", argv[i], near);
		global_usage_error("unknown command '%s'", argv[i]);
	}
	log_set_command(e->name);
	args_parse(e, argc - (int)i, argv + i, &args);
	if (args_has(&args, OPT_COLOR))
		color_arg = args_get(&args, OPT_COLOR);
	if (out_color_set(color_arg, &cause) != 0)
		cmd_usage_error(e, "%s", cause);
	ctx.args = &args;
	ctx.now = time(NULL);

	db_path = db_arg != NULL ? xstrdup(db_arg) : db_default_path();
	ctx.db_path = db_path;
	ctx.config_path = config_arg;
	r = EXIT_ERROR;
	/* A file named with -c must be there and sound, whatever the command. */
	if (((e->flags & CMD_CONFIG) || config_arg != NULL) &&
	    (ctx.config = config_read(config_arg, &cause)) == NULL) {
		log_error("config: %s", cause);
		goto fail;
	}
	if (e->prepare != NULL)
		e->prepare(&ctx);
	if (e->flags & (CMD_DB_READ | CMD_DB_WRITE)) {
		mode = (e->flags & CMD_DB_WRITE) ? DB_WRITE : DB_READ;
		if (((e->flags & CMD_DRY_RUN) && args_has(&args, 'n')) ||
		    (e->flags & CMD_DB_IF_ANY))
			mode = access(db_path, F_OK) == 0 ? DB_READ : -1;
		if (mode != -1 &&
		    (ctx.db = db_open(db_path, mode, &cause)) == NULL) {
			log_error("%s", cause);
			goto fail;
		}
	}
	if (e->flags & CMD_NETWORK) {
		if (http_global_init(&cause) != 0) {
			log_error("%s", cause);
			goto fail;
		}
		net = 1;
	}

	r = e->exec(&ctx);
	cause = NULL;
fail:
	free(cause);
	free(ctx.state);
	db_close(ctx.db);
	config_free(ctx.config);
	free(db_path);
	if (net)
		http_global_cleanup();
	if (fflush(stdout) != 0 || ferror(stdout)) {
		log_error("standard output: %s", strerror(errno != 0 ? errno :
		    EIO));
		return EXIT_ERROR;
	}
	return r;
}
