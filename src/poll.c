/*
 * poll.c: one poll of one source, for fetch and the daemon alike: the
 * request (conditional when validators are known), extraction, the rules
 * of record.c, storage in one transaction with the log of the attempt.
 * It prints nothing: what went wrong comes back as lines in the result,
 * for the caller to print or log.
 */
#include <stdlib.h>
#include <string.h>

#include "rates.h"

static long
elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 +
	    (now.tv_nsec - start->tv_nsec) / 1000000;
}

static void
problem(struct poll_result *pr, const char *fmt, ...)
{
	va_list ap;

	pr->problems = xreallocarray(pr->problems, pr->nproblems + 1,
	    sizeof *pr->problems);
	va_start(ap, fmt);
	pr->problems[pr->nproblems++] = xvasprintf(fmt, ap);
	va_end(ap);
}

/* Log the attempt; a failure to log is a problem, not a failed poll. */
static void
log_attempt(struct db *db, struct poll_result *pr, struct fetch_log *l)
{
	char *cause;

	if (db == NULL || (pr->flags & POLL_DRY_RUN))
		return;
	if (db_log_fetch(db, l, &cause) != 0) {
		problem(pr, "%s", cause);
		free(cause);
	}
}

/* What was rejected, as problems; returns the exit status of the page. */
static int
judge(struct poll_result *pr, const struct extraction *ex, const char *url,
    struct buf *msg)
{
	const struct record_item *ri;
	size_t i, found = 0;
	char *why;

	for (i = 0; i < ex->nitems; i++)
		found += ex->items[i].found;
	if (found == 0 && ex->nitems != 0) {
		for (i = 0; i < ex->nitems; i++) {
			if (ex->items[i].error != NULL)
				problem(pr, "%s: %s", ex->items[i].code,
				    ex->items[i].error);
		}
		buf_addf(msg, "no rates on the page from %s", url);
		why = extraction_none(ex);
		problem(pr, "%s (%s)", msg->data, why);
		free(why);
		/* A document that is not the feed at all: nothing was read. */
		return ex->doc_error != NULL ? EXIT_ERROR : EXIT_NORATES;
	}
	for (i = 0; i < ex->nnotes; i++) {
		problem(pr, "%s", ex->notes[i]);
		buf_addf(msg, "%s%s", msg->len ? "; " : "", ex->notes[i]);
	}
	for (i = 0; i < pr->rec.nitems; i++) {
		ri = &pr->rec.items[i];
		if (ri->reason == NULL)
			continue;
		problem(pr, "%s: %s", ri->code, ri->reason);
		buf_addf(msg, "%s%s: %s", msg->len ? "; " : "", ri->code,
		    ri->reason);
	}
	return pr->rec.failed != 0 ? EXIT_NORATES : EXIT_OK;
}

/*
 * Poll src once through h.  req gives the URL and, for a conditional
 * request, the validators.  Returns the exit status of SPEC §5 for this
 * page (also in pr->status); the details are in pr.
 */
int
poll_source(struct db *db, const struct source *src, struct http *h,
    const struct http_request *req, int flags, struct poll_result *pr)
{
	struct http_response resp;
	struct extraction ex;
	struct fetch_log l;
	struct timespec start;
	struct buf msg = BUF_INIT;
	char *cause = NULL;
	int dry = flags & POLL_DRY_RUN;

	memset(pr, 0, sizeof *pr);
	memset(&l, 0, sizeof l);
	memset(&ex, 0, sizeof ex);
	pr->flags = flags;
	l.source = src->name;
	l.started_at = pr->started_at = time(NULL);
	clock_gettime(CLOCK_MONOTONIC, &start);

	if (http_get(h, req, &resp, &cause) != 0) {
		problem(pr, "%s", cause);
		l.duration_ms = pr->ms = elapsed_ms(&start);
		l.http_status = pr->http_status = resp.status;
		l.bytes = (long)resp.body.len;
		l.outcome = "error";
		l.message = cause;
		log_attempt(db, pr, &l);
		pr->status = EXIT_ERROR;
		goto out;
	}
	l.duration_ms = pr->ms = elapsed_ms(&start);
	l.http_status = pr->http_status = resp.status;
	l.bytes = (long)(pr->bytes = resp.body.len);
	if (resp.status == 304) {
		pr->unchanged = 1;
		l.outcome = "unchanged";
		log_attempt(db, pr, &l);
		pr->status = EXIT_OK;
		goto out;
	}
	pr->etag = resp.etag;
	pr->last_modified = resp.last_modified;
	resp.etag = resp.last_modified = NULL;

	extract_run(src, resp.body.data, resp.body.len, &ex);
	if (record_observed_at(src, &ex, l.started_at, NULL, 0,
	    &pr->rec.observed_at, NULL, &cause) != 0) {
		problem(pr, "%s", cause);
		l.outcome = "norates";
		l.message = cause;
		log_attempt(db, pr, &l);
		pr->status = EXIT_NORATES;
		goto out;
	}
	if (db != NULL && !dry && db_begin(db, &cause) != 0)
		goto dberr;
	if (record_store(db, src, &ex, pr->rec.observed_at, l.started_at,
	    dry ? RECORD_DRY_RUN : 0, &pr->rec, &cause) != 0)
		goto dberr;
	pr->status = judge(pr, &ex, req->url, &msg);
	l.outcome = pr->status == EXIT_OK ? "ok" : pr->status == EXIT_ERROR ?
	    "error" : (pr->rec.added +
	    pr->rec.present + pr->rec.revised != 0 ? "partial" : "norates");
	l.message = msg.len != 0 ? msg.data : NULL;
	log_attempt(db, pr, &l);
	if (db != NULL && !dry && db_commit(db, &cause) != 0)
		goto dberr;
	goto out;

dberr:
	problem(pr, "%s", cause);
	if (db != NULL)
		db_rollback(db);
	/* Nothing was stored: the samples are not reported as stored. */
	record_result_release(&pr->rec);
	pr->status = EXIT_ERROR;
out:
	free(cause);
	buf_release(&msg);
	extraction_release(&ex);
	http_response_release(&resp);
	return pr->status;
}

void
poll_result_release(struct poll_result *pr)
{
	size_t i;

	for (i = 0; i < pr->nproblems; i++)
		free(pr->problems[i]);
	free(pr->problems);
	free(pr->etag);
	free(pr->last_modified);
	record_result_release(&pr->rec);
	memset(pr, 0, sizeof *pr);
}
