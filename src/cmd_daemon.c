/*
 * cmd_daemon.c: the polling loop.  Each source is polled on its interval
 * with ±10% jitter on the monotonic clock, and the process sleeps in
 * ppoll() in between, waking for nothing else.  A failure is retried with
 * exponential backoff and full jitter (from 30 s, doubling, capped at the
 * interval); a success resets it.  One libcurl handle per source is kept,
 * so connections are reused, and requests are conditional on the ETag and
 * Last-Modified of the last success, kept in the database so that they
 * survive a restart.  One daemon per database (lock.c).
 *
 * Signals only set flags: SIGTERM and SIGINT end the loop (a transfer in
 * progress is stopped by libcurl's progress callback within a second; a
 * page already read is stored first), SIGHUP reloads the config (a bad
 * one keeps the old) and reopens the log, SIGCHLD reaps alert commands.
 * The signals are blocked except while sleeping or transferring, so none
 * is lost between a check of the flags and the sleep.
 *
 * Alerts: after each poll, every alert on a currency that got a new
 * sample is evaluated; it fires when its condition becomes true (the state
 * is kept in the database, so a restart does not fire it again), running
 * its command with the details in its environment, killed after 30 s (or
 * its timeout) and never waited for by the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rates.h"

#define JITTER_PCT 10
#define BACKOFF_START 30
#define ALERT_TIMEOUT 30
#define MAX_CHILDREN 16

static void cmd_daemon_prepare(struct cmd_ctx *);
static int cmd_daemon_exec(struct cmd_ctx *);

#define DAEMON_CACHE_KIB 64 /* SQLite's page cache, instead of 2 MiB */

static const struct cmd_option cmd_daemon_options[] = {
	{"url", 'u', "URL", "poll URL instead of the source's url"},
	{"interval", 'i', "D", "poll every D (30s, 10m, 1h, 500ms), not the "
	    "source's"},
	{"once", OPT_ONCE, NULL, "poll every source once, then exit (cron)"},
	{"detach", OPT_DETACH, NULL, "run in the background, log to syslog"},
	{"log", OPT_LOG, "FILE", "log to FILE (reopened on SIGHUP)"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_daemon_entry = {
	.name = "daemon",
	.usage = "[SOURCE...] [--url URL] [--interval D] [--once] [--detach] "
	    "[--log FILE]",
	.summary = "poll the sources on their interval and store the rates",
	.options = cmd_daemon_options,
	.min_args = 0,
	.max_args = -1,
	.flags = CMD_CONFIG | CMD_DB_WRITE | CMD_NETWORK,
	.prepare = cmd_daemon_prepare,
	.exec = cmd_daemon_exec,
};

static volatile sig_atomic_t got_stop, got_hup, got_chld;

struct poller {
	char *name;
	const struct source *src; /* in the config in effect */
	struct http *h;
	char *etag;
	char *last_modified;
	char *validated_url; /* the URL etag and last_modified came from */
	struct timespec due; /* monotonic */
	unsigned failures;
	int done; /* --once */
};

struct child {
	pid_t pid;
	struct timespec started;
	long timeout;
	char *alert;
};

struct daemon_state {
	int lock_fd;
	long long interval_ms; /* --interval, or 0 */
	int nnames;
	char **names;  /* the sources named, or none for all enabled */
	struct poller *p;
	size_t np;
	struct child children[MAX_CHILDREN];
	int worst;
};

static void
on_signal(int sig)
{
	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGCHLD)
		got_chld = 1;
	else
		got_stop = 1;
}

static NORETURN void
prepare_fail(char *cause)
{
	log_error("%s", cause);
	free(cause);
	exit(EXIT_ERROR);
}

/*
 * Check the arguments, take the lock, and with --detach go into the
 * background, all before main opens the database: an SQLite connection
 * must not cross a fork.
 */
static void
cmd_daemon_prepare(struct cmd_ctx *ctx)
{
	struct args *a = ctx->args;
	struct daemon_state *st;
	struct source *src;
	const char *u;
	char *cause, *path;
	long holder = 0;
	int i, n, fd, r;
	pid_t pid;

	ctx->state = st = xcalloc(1, sizeof *st);
	st->lock_fd = -1;
	if (args_has(a, 'i') && time_parse_duration_ms(args_get(a, 'i'),
	    &st->interval_ms, &cause) != 0)
		cmd_usage_error(&cmd_daemon_entry, "--interval: %s", cause);
	if (args_has(a, 'i') && st->interval_ms <= 0)
		cmd_usage_error(&cmd_daemon_entry, "--interval must be more "
		    "than zero");
	for (i = 0; i < a->argc; i++) {
		if ((src = config_find(ctx->config, a->argv[i])) == NULL)
			cmd_usage_error(&cmd_daemon_entry, "unknown source "
			    "'%s' (see 'rates sources')", a->argv[i]);
		if (config_check_source(src, &cause) != 0)
			cmd_usage_error(&cmd_daemon_entry, "%s", cause);
	}
	st->nnames = a->argc;
	st->names = a->argv;
	if ((u = args_get(a, 'u')) != NULL) {
		for (i = 0, n = 0; a->argc == 0 &&
		    (size_t)i < ctx->config->nsources; i++)
			n += ctx->config->sources[i]->enabled;
		if ((a->argc == 0 ? n : a->argc) != 1)
			cmd_usage_error(&cmd_daemon_entry, "--url is for one "
			    "source: name it (rates daemon 24kg --url URL)");
		if (strncmp(u, "http://", 7) != 0 &&
		    strncmp(u, "https://", 8) != 0)
			cmd_usage_error(&cmd_daemon_entry, "--url '%s': only "
			    "http:// and https:// URLs", u);
	}
	if (args_has(a, OPT_ONCE) && args_has(a, OPT_DETACH))
		cmd_usage_error(&cmd_daemon_entry, "--once and --detach do not "
		    "go together");
	if (args_has(a, OPT_LOG) && args_has(a, OPT_DETACH))
		cmd_usage_error(&cmd_daemon_entry, "--log and --detach do not "
		    "go together (--detach logs to syslog)");

	if (db_make_parents(ctx->db_path, &cause) != 0)
		prepare_fail(cause);
	path = lock_path(ctx->db_path);
	r = lock_acquire(path, &fd, &holder, &cause);
	free(path);
	if (r == 1)
		prepare_fail(holder > 0 ? xasprintf("already running for %s, "
		    "as pid %ld", ctx->db_path, holder) :
		    xasprintf("already running for %s", ctx->db_path));
	if (r != 0)
		prepare_fail(cause);
	st->lock_fd = fd;

	if (args_has(a, OPT_LOG) &&
	    log_to_file(args_get(a, OPT_LOG), &cause) != 0)
		prepare_fail(cause);
	if (!args_has(a, OPT_DETACH))
		return;
	fflush(NULL);
	if ((pid = fork()) == -1)
		prepare_fail(xasprintf("cannot fork: %s", strerror(errno)));
	if (pid != 0) {
		printf("%ld\n", (long)pid);
		exit(EXIT_OK);
	}
	setsid();
	if (lock_write_pid(fd, &cause) != 0)
		prepare_fail(cause);
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	log_to_syslog();
}

/* A source's interval in milliseconds. */
static long long
source_interval(const struct daemon_state *st, const struct source *src)
{
	return st->interval_ms > 0 ? st->interval_ms :
	    (long long)src->interval * 1000;
}

static void
mono_now(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static void
mono_add_ms(struct timespec *ts, long long ms)
{
	ts->tv_sec += (time_t)(ms / 1000);
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static long long
mono_diff_ms(const struct timespec *a, const struct timespec *b)
{
	return (long long)(a->tv_sec - b->tv_sec) * 1000 +
	    (a->tv_nsec - b->tv_nsec) / 1000000;
}

/* A uniformly random number of milliseconds in [lo, hi]. */
static long long
random_ms(long long lo, long long hi)
{
	if (hi <= lo)
		return lo;
	return lo + (long long)arc4random_uniform((uint32_t)(hi - lo + 1));
}

/* The interval with ±10% jitter, in milliseconds. */
static long long
next_after_success(long long ms)
{
	return random_ms(ms - ms * JITTER_PCT / 100, ms + ms * JITTER_PCT / 100);
}

/* Full jitter: uniform up to min(interval, 30 s × 2^(failures-1)). */
static long long
next_after_failure(long long cap, unsigned failures)
{
	long long base;
	unsigned shift = failures > 20 ? 20 : failures - 1;

	base = (long long)BACKOFF_START * 1000 << shift;
	if (base > cap)
		base = cap;
	return random_ms(base / 10 > 0 ? base / 10 : 1, base);
}

static void
pollers_free(struct daemon_state *st)
{
	size_t i;

	for (i = 0; i < st->np; i++) {
		free(st->p[i].name);
		free(st->p[i].etag);
		free(st->p[i].validated_url);
		free(st->p[i].last_modified);
		http_free(st->p[i].h);
	}
	free(st->p);
	st->p = NULL;
	st->np = 0;
}

static int
wanted(const struct daemon_state *st, const struct source *src)
{
	int i;

	if (st->nnames == 0)
		return src->enabled;
	for (i = 0; i < st->nnames; i++) {
		if (strcmp(st->names[i], src->name) == 0)
			return 1;
	}
	return 0;
}

/*
 * Make the pollers of cfg.  Those of sources already polled keep their
 * handle, validators, schedule and failures; new ones are due now, with
 * the validators kept in the database.
 */
static void
pollers_make(struct cmd_ctx *ctx, struct daemon_state *st,
    const struct config *cfg)
{
	struct poller *np, *p, *old;
	struct source **order;
	struct timespec now;
	size_t n = 0, i, j;
	time_t next;
	char *cause;

	mono_now(&now);
	np = xcalloc(cfg->nsources + 1, sizeof *np);
	/* A reference first: the first polls are due at once, in order. */
	order = xcalloc(cfg->nsources + 1, sizeof *order);
	memcpy(order, cfg->sources, cfg->nsources * sizeof *order);
	config_order_by_reference(order, cfg->nsources);
	for (i = 0; i < cfg->nsources; i++) {
		if (!wanted(st, order[i]))
			continue;
		p = &np[n++];
		p->src = order[i];
		p->name = xstrdup(p->src->name);
		for (j = 0, old = NULL; j < st->np; j++) {
			if (st->p[j].name != NULL &&
			    strcmp(st->p[j].name, p->name) == 0)
				old = &st->p[j];
		}
		if (old != NULL) {
			p->h = old->h;
			p->etag = old->etag;
			p->last_modified = old->last_modified;
			p->validated_url = old->validated_url;
			p->due = old->due;
			p->failures = old->failures;
			free(old->name);
			memset(old, 0, sizeof *old);
			continue;
		}
		p->h = http_new();
		p->due = now;
		if (db_state_get(ctx->db, p->name, &p->etag,
		    &p->last_modified, &p->validated_url, &next,
		    &cause) != 0) {
			log_error("%s", cause);
			free(cause);
		}
	}
	free(order);
	pollers_free(st);
	st->p = np;
	st->np = n;
}

/* "9m 48s" */
static void
format_delay(char *out, size_t size, long long ms)
{
	long s = (long)((ms + 500) / 1000);

	if (s < 60)
		snprintf(out, size, "%lds", s);
	else if (s < 3600)
		snprintf(out, size, "%ldm %lds", s / 60, s % 60);
	else
		snprintf(out, size, "%ldh %ldm", s / 3600, s / 60 % 60);
}

/*
 * Run an alert's command in the background with the details; 0 once it
 * has started, -1 when it could not be.
 */
static int
alert_exec(struct daemon_state *st, const struct alert *al,
    const char *const env[][2])
{
	struct child *c = NULL;
	pid_t pid;
	int i, fd;

	for (i = 0; i < MAX_CHILDREN; i++) {
		if (st->children[i].pid == 0) {
			c = &st->children[i];
			break;
		}
	}
	if (c == NULL) {
		log_error("alert %s: %d alert commands still running; not "
		    "run", al->name, MAX_CHILDREN);
		return -1;
	}
	if ((pid = fork()) == -1) {
		log_error("alert %s: cannot fork: %s", al->name,
		    strerror(errno));
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		setpgid(0, 0);
		if ((fd = open("/dev/null", O_RDONLY)) != -1) {
			dup2(fd, STDIN_FILENO);
			close(fd);
		}
		for (i = 0; env[i][0] != NULL; i++)
			setenv(env[i][0], env[i][1], 1);
		execl("/bin/sh", "sh", "-c", al->exec, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	c->pid = pid;
	c->timeout = al->timeout > 0 ? al->timeout : ALERT_TIMEOUT;
	mono_now(&c->started);
	c->alert = xstrdup(al->name);
	log_debug("alert %s: started pid %ld", al->name, (long)pid);
	return 0;
}

/* Reap alert commands that ended; kill those past their 30 s. */
static void
children_tend(struct daemon_state *st, int stopping)
{
	struct timespec now;
	struct child *c;
	int i, status;
	pid_t r;

	mono_now(&now);
	for (i = 0; i < MAX_CHILDREN; i++) {
		c = &st->children[i];
		if (c->pid == 0)
			continue;
		r = waitpid(c->pid, &status, WNOHANG);
		if (r == c->pid || (r == -1 && errno == ECHILD)) {
			if (r == c->pid && WIFEXITED(status) &&
			    WEXITSTATUS(status) != 0)
				log_warn("alert %s: command exited %d",
				    c->alert, WEXITSTATUS(status));
			free(c->alert);
			memset(c, 0, sizeof *c);
			continue;
		}
		if (stopping ||
		    mono_diff_ms(&now, &c->started) >= c->timeout * 1000) {
			if (!stopping)
				log_warn("alert %s: command still running "
				    "after %lds; killed", c->alert, c->timeout);
			kill(-c->pid, SIGKILL);
		}
	}
}

/* The earliest time an alert command must be killed, if any runs. */
static int
children_deadline(const struct daemon_state *st, struct timespec *when)
{
	const struct child *c;
	struct timespec t;
	int i, any = 0;

	for (i = 0; i < MAX_CHILDREN; i++) {
		c = &st->children[i];
		if (c->pid == 0)
			continue;
		t = c->started;
		mono_add_ms(&t, c->timeout * 1000LL);
		if (!any || mono_diff_ms(&t, when) < 0)
			*when = t;
		any = 1;
	}
	return any;
}

/* Is the alert's condition true of this sample? */
static int
alert_holds(const struct alert *al, int64_t v, int has_prev, int64_t prev)
{
	switch (al->kind) {
	case ALERT_ABOVE:
		return v > al->threshold;
	case ALERT_BELOW:
		return v < al->threshold;
	default:
		return has_prev && dec_reaches_pct(v, prev, al->threshold);
	}
}

/* Say that an alert fired and run its command; -1 when it did not start. */
static int
alert_fire(struct daemon_state *st, const struct alert *al,
    const struct source *src, const struct record_result *rec,
    const struct record_item *ri, int has_prev, int64_t prev)
{
	char rate[32], prev_s[32], when[64];

	out_rate(rate, sizeof rate, ri->rate_text, ri->rate_scaled);
	if (has_prev) {
		/* As many places as the new rate, or more. */
		dec_format_short(prev_s, sizeof prev_s, prev);
		if (dec_frac_digits(prev_s) < dec_frac_digits(ri->rate_text))
			dec_format(prev_s, sizeof prev_s, prev,
			    dec_frac_digits(ri->rate_text), 0);
	} else
		prev_s[0] = '\0';
	time_format_iso(when, sizeof when, rec->observed_at, 0);
	log_info("alert %s: %s %s %s (%s%s%s)", al->name, ri->code, rate,
	    al->kind == ALERT_ABOVE ? "is above its line" :
	    al->kind == ALERT_BELOW ? "is below its line" :
	    "changed past its line", src->name, has_prev ? ", was " : "",
	    prev_s);
	if (al->exec != NULL) {
		const char *const env[][2] = {
			{"RATES_SOURCE", src->name},
			{"RATES_CURRENCY", ri->code},
			{"RATES_RATE", rate},
			{"RATES_PREVIOUS", prev_s},
			{"RATES_OBSERVED_AT", when},
			{"RATES_ALERT", al->name},
			{NULL, NULL},
		};

		return alert_exec(st, al, env);
	}
	return 0;
}

/* Evaluate the alerts on the samples one poll added. */
static void
alerts_check(struct cmd_ctx *ctx, struct daemon_state *st,
    const struct source *src, const struct record_result *rec)
{
	const struct record_item *ri;
	const struct alert *al;
	char *cause;
	int64_t prev = 0;
	int has_prev, active, holds;
	size_t i, j;

	for (i = 0; i < rec->nitems; i++) {
		ri = &rec->items[i];
		if (ri->status != REC_ADDED && ri->status != REC_REVISED)
			continue;
		has_prev = db_before(ctx->db, src->name, ri->code,
		    rec->observed_at, &prev, &cause);
		if (has_prev < 0) {
			log_error("%s", cause);
			free(cause);
			continue;
		}
		for (j = 0; j < ctx->config->nalerts; j++) {
			al = ctx->config->alerts[j];
			if (strcmp(al->currency, ri->code) != 0 ||
			    (al->source != NULL &&
			    strcmp(al->source, src->name) != 0))
				continue;
			if (db_alert_get(ctx->db, al->name, &active,
			    &cause) != 0) {
				log_error("%s", cause);
				free(cause);
				continue;
			}
			holds = alert_holds(al, ri->rate_scaled, has_prev,
			    prev);
			if (holds == active)
				continue;
			/*
			 * It fires: stored as fired only once its command
			 * has started (else the next poll tries again).
			 */
			if (holds && alert_fire(st, al, src, rec, ri, has_prev,
			    prev) != 0)
				continue;
			if (db_alert_set(ctx->db, al->name, holds,
			    rec->observed_at, &cause) != 0) {
				log_error("%s", cause);
				free(cause);
			}
		}
	}
}


/* Poll one source now, store, log one line, schedule the next poll. */
static void
poll_one(struct cmd_ctx *ctx, struct daemon_state *st, struct poller *p,
    const sigset_t *unblocked, const sigset_t *blocked)
{
	const struct source *src = p->src;
	const char *url = args_has(ctx->args, 'u') ? args_get(ctx->args, 'u') :
	    src->url;
	struct poll_result pr;
	struct buf line = BUF_INIT;
	struct timespec now;
	long long interval = source_interval(st, src);
	long long delay;
	char d[32], rate[32], *cause;
	size_t i;
	int same, once = args_has(ctx->args, OPT_ONCE);

	/* A database that was read-only may be writable again. */
	if (db_reopen_if_readonly(ctx->db, &cause) != 0) {
		log_error("%s", cause);
		free(cause);
	}
	/* The validators of another URL are not this one's. */
	same = p->validated_url != NULL && strcmp(p->validated_url, url) == 0;
	sigprocmask(SIG_SETMASK, unblocked, NULL);
	poll_source(ctx->db, src, p->h, &(struct http_request){.url = url,
	    .user_agent = src->user_agent, .timeout = src->timeout,
	    .etag = same ? p->etag : NULL,
	    .last_modified = same ? p->last_modified : NULL,
	    .stop = &got_stop}, 0, &pr);
	sigprocmask(SIG_SETMASK, blocked, NULL);

	mono_now(&now);
	p->due = now;
	if (pr.status == EXIT_OK) {
		p->failures = 0;
		delay = next_after_success(interval);
		if (!pr.unchanged) {
			/* A 200: its validators (or none) are the URL's. */
			free(p->etag);
			free(p->last_modified);
			free(p->validated_url);
			p->etag = pr.etag;
			p->last_modified = pr.last_modified;
			p->validated_url = xstrdup(url);
			pr.etag = pr.last_modified = NULL;
			if (db_state_set_validators(ctx->db, p->name, p->etag,
			    p->last_modified, url, &cause) != 0) {
				log_error("%s", cause);
				free(cause);
			}
		}
	} else {
		p->failures++;
		delay = next_after_failure(interval, p->failures);
	}
	mono_add_ms(&p->due, delay);
	if (db_state_set_next(ctx->db, p->name, time(NULL) +
	    (time_t)(delay / 1000), (long)((interval + 999) / 1000),
	    &cause) != 0) {
		log_error("%s", cause);
		free(cause);
	}

	format_delay(d, sizeof d, delay);
	for (i = 0; i < pr.nproblems; i++)
		log_error("%s: %s", src->name, pr.problems[i]);
	if (pr.status == EXIT_OK || pr.rec.nitems != 0) {
		buf_addf(&line, "%s:", src->name);
		if (pr.unchanged)
			buf_adds(&line, " unchanged");
		for (i = 0; i < pr.rec.nitems; i++) {
			const struct record_item *ri = &pr.rec.items[i];

			if (ri->rate_text == NULL || ri->reason != NULL)
				continue;
			out_rate(rate, sizeof rate, ri->rate_text,
			    ri->rate_scaled);
			buf_addf(&line, " %s %s", ri->code, rate);
		}
		if (!pr.unchanged)
			buf_addf(&line, ", %zu added", pr.rec.added);
		if (pr.rec.revised != 0)
			buf_addf(&line, ", %zu revised", pr.rec.revised);
		buf_addf(&line, " (HTTP %ld, %zu bytes, %ld ms)",
		    pr.http_status, pr.bytes, pr.ms);
		/* --once promises no poll that will not happen. */
		if (once)
			;
		else if (pr.status == EXIT_OK)
			buf_addf(&line, "; next poll in %s", d);
		else
			buf_addf(&line, "; retry in %s", d);
		log_info("%s", line.data);
	} else if (once)
		log_warn("%s: failed", src->name);
	else
		log_warn("%s: retry in %s (%u failure%s in a row)", src->name,
		    d, p->failures, p->failures == 1 ? "" : "s");
	buf_release(&line);
	if (log_level >= 1) {
		char when[64];

		time_format(when, sizeof when, pr.rec.observed_at, 0);
		log_debug("%s: GET %s%s: HTTP %ld, %zu bytes in %ld ms%s%s",
		    src->name, url, same && (p->etag != NULL ||
		    p->last_modified != NULL) ? " (conditional)" : "",
		    pr.http_status, pr.bytes, pr.ms,
		    pr.rec.nitems != 0 ? ", page time " : "",
		    pr.rec.nitems != 0 ? when : "");
	}

	for (i = 0; i < pr.rec.nitems; i++) {
		const struct record_item *ri = &pr.rec.items[i];
		char was[32], when[64];

		if (ri->status != REC_REVISED)
			continue;
		out_rate(rate, sizeof rate, ri->rate_text, ri->rate_scaled);
		out_rate(was, sizeof was, ri->was_text, ri->was_scaled);
		time_format(when, sizeof when, pr.rec.observed_at, 0);
		log_warn("%s: %s at %s: %s revised (was %s)", src->name,
		    ri->code, when, rate, was);
	}
	if (pr.rec.added + pr.rec.revised != 0 && ctx->config->nalerts != 0)
		alerts_check(ctx, st, src, &pr.rec);
	if (pr.status == EXIT_ERROR ||
	    (pr.status == EXIT_NORATES && st->worst == EXIT_OK))
		st->worst = pr.status;
	poll_result_release(&pr);
}

/* SIGHUP: the config again (a bad one keeps the old), the log again. */
static void
reload(struct cmd_ctx *ctx, struct daemon_state *st)
{
	struct config *cfg;
	char *cause;

	if (log_reopen(&cause) != 0) {
		log_error("log: %s", cause);
		free(cause);
	}
	if ((cfg = config_read(ctx->config_path, &cause)) == NULL) {
		log_error("config: %s; keeping the old one", cause);
		free(cause);
		return;
	}
	pollers_make(ctx, st, cfg);
	config_free(ctx->config);
	ctx->config = cfg;
	log_info("config reloaded: %zu source%s", st->np, st->np == 1 ? "" :
	    "s");
}

static int
cmd_daemon_exec(struct cmd_ctx *ctx)
{
	struct daemon_state *st = ctx->state;
	struct sigaction sa;
	sigset_t blocked, unblocked;
	struct timespec now, wake, kill_at = {0, 0};
	struct poller *next;
	long long ms;
	size_t i;
	char *cause;
	int once = args_has(ctx->args, OPT_ONCE);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&blocked);
	sigaddset(&blocked, SIGTERM);
	sigaddset(&blocked, SIGINT);
	sigaddset(&blocked, SIGHUP);
	sigaddset(&blocked, SIGCHLD);
	sigprocmask(SIG_BLOCK, &blocked, &unblocked);
	sigprocmask(SIG_BLOCK, NULL, &blocked);

	/* A small page cache: a few rows a poll need no more. */
	if (db_set_cache(ctx->db, DAEMON_CACHE_KIB, &cause) != 0) {
		log_warn("%s", cause);
		free(cause);
	}
	pollers_make(ctx, st, ctx->config);
	if (st->np == 0) {
		log_error("no sources enabled (see 'rates sources')");
		return EXIT_ERROR;
	}
	if (!once)
		log_info("polling %zu source%s (pid %ld)", st->np,
		    st->np == 1 ? "" : "s", (long)getpid());

	while (!got_stop) {
		if (got_hup) {
			got_hup = 0;
			reload(ctx, st);
		}
		if (got_chld) {
			got_chld = 0;
			children_tend(st, 0);
		}
		mono_now(&now);
		next = NULL;
		for (i = 0; i < st->np; i++) {
			if (st->p[i].done)
				continue;
			if (next == NULL ||
			    mono_diff_ms(&st->p[i].due, &next->due) < 0)
				next = &st->p[i];
		}
		if (next == NULL)
			break; /* --once: all polled */
		if (mono_diff_ms(&next->due, &now) <= 0) {
			poll_one(ctx, st, next, &unblocked, &blocked);
			if (once)
				next->done = 1;
			continue;
		}
		wake = next->due;
		if (children_deadline(st, &kill_at) &&
		    mono_diff_ms(&kill_at, &wake) < 0)
			wake = kill_at;
		ms = mono_diff_ms(&wake, &now);
		if (ms < 0)
			ms = 0;
		/* Sleep with the signals open: any of them wakes us. */
		ppoll(NULL, 0, &(struct timespec){(time_t)(ms / 1000),
		    (long)(ms % 1000) * 1000000L}, &unblocked);
		children_tend(st, 0);
	}

	/*
	 * --once (cron): the alert commands run to their end (or their
	 * timeout) before we exit, as nothing would be left to tend them.
	 */
	while (once && !got_stop && children_deadline(st, &kill_at)) {
		mono_now(&now);
		/* Past the deadline: killed, and reaped on SIGCHLD. */
		ms = mono_diff_ms(&kill_at, &now);
		if (ms < 10)
			ms = 10;
		ppoll(NULL, 0, &(struct timespec){(time_t)(ms / 1000),
		    (long)(ms % 1000) * 1000000L}, &unblocked);
		children_tend(st, 0);
	}
	children_tend(st, 1);
	pollers_free(st);
	lock_release(st->lock_fd);
	if (once)
		return st->worst;
	log_info("stopped");
	return EXIT_OK;
}
