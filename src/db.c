/*
 * db.c: all of SQL.  Statements are prepared once per connection and always
 * take bound parameters.  The schema (schema/NNN_*.sql, built in) is
 * migrated on open under PRAGMA user_version.  The database runs in WAL
 * mode so that readers never block the writer; writers take the lock up
 * front with BEGIN IMMEDIATE and wait for each other with a busy timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rates.h"

#define BUSY_TIMEOUT_MS 15000

enum {
	ST_INSERT,
	ST_AT,
	ST_GET,
	ST_UPDATE,
	ST_REVISION,
	ST_BEFORE,
	ST_AFTER,
	ST_LOG,
	ST_NEXT_CURRENCY,
	ST_NEXT_SOURCE,
	ST_NEWEST,
	ST_PREV_DIFFERENT,
	ST_STATE_GET,
	ST_STATE_VALIDATORS,
	ST_STATE_NEXT,
	ST_STATUS_LAST,
	ST_STATUS_OK,
	ST_STATUS_FAILURES,
	ST_STATUS_STATE,
	ST_ALERT_GET,
	ST_ALERT_SET,
	ST_DISAGREE,
	ST_DATA_VERSION,
	ST_COUNT
};

static const char *const statements[ST_COUNT] = {
	[ST_INSERT] = "INSERT OR IGNORE INTO sample (source, currency, "
	    "observed_at, fetched_at, rate_text, rate_scaled) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	[ST_AT] = "SELECT observed_at, fetched_at, rate_text, rate_scaled "
	    "FROM sample WHERE source = ?1 AND currency = ?2 AND "
	    "observed_at <= ?3 ORDER BY observed_at DESC LIMIT 1",
	[ST_GET] = "SELECT fetched_at, rate_text, rate_scaled FROM sample "
	    "WHERE source = ?1 AND currency = ?2 AND observed_at = ?3",
	[ST_UPDATE] = "UPDATE sample SET fetched_at = ?4, rate_text = ?5, "
	    "rate_scaled = ?6 WHERE source = ?1 AND currency = ?2 AND "
	    "observed_at = ?3",
	[ST_REVISION] = "INSERT INTO revision (source, currency, observed_at, "
	    "old_text, old_scaled, old_fetched_at, new_text, new_scaled, "
	    "revised_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	/* The neighbours of a value for the jump check, within ?4 seconds. */
	[ST_BEFORE] = "SELECT rate_scaled FROM sample WHERE source = ?1 AND "
	    "currency = ?2 AND observed_at < ?3 AND "
	    "observed_at >= ?3 - ?4 ORDER BY observed_at DESC LIMIT 1",
	[ST_AFTER] = "SELECT rate_scaled FROM sample WHERE source = ?1 AND "
	    "currency = ?2 AND observed_at > ?3 AND "
	    "observed_at <= ?3 + ?4 ORDER BY observed_at LIMIT 1",
	[ST_LOG] = "INSERT INTO fetch_log (source, started_at, duration_ms, "
	    "http_status, bytes, outcome, message) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	/* Two seeks: SQLite walks a series for a row-value comparison. */
	[ST_NEXT_CURRENCY] = "SELECT source, currency FROM sample "
	    "WHERE source = ?1 AND currency > ?2 "
	    "ORDER BY source, currency LIMIT 1",
	[ST_NEXT_SOURCE] = "SELECT source, currency FROM sample "
	    "WHERE source > ?1 ORDER BY source, currency LIMIT 1",
	[ST_NEWEST] = "SELECT observed_at, fetched_at, rate_text, rate_scaled "
	    "FROM sample WHERE source = ?1 AND currency = ?2 "
	    "ORDER BY observed_at DESC LIMIT 1",
	[ST_STATE_GET] = "SELECT etag, last_modified, next_poll_at, url "
	    "FROM source_state WHERE source = ?1",
	[ST_STATE_VALIDATORS] = "INSERT INTO source_state (source, etag, "
	    "last_modified, url) VALUES (?1, ?2, ?3, ?4) ON CONFLICT (source) "
	    "DO UPDATE SET etag = excluded.etag, "
	    "last_modified = excluded.last_modified, url = excluded.url",
	[ST_STATE_NEXT] = "INSERT INTO source_state (source, next_poll_at, "
	    "interval) VALUES (?1, ?2, ?3) ON CONFLICT (source) DO UPDATE SET "
	    "next_poll_at = excluded.next_poll_at, "
	    "interval = excluded.interval",
	[ST_STATUS_LAST] = "SELECT started_at, outcome, http_status, message "
	    "FROM fetch_log WHERE source = ?1 ORDER BY id DESC LIMIT 1",
	[ST_STATUS_OK] = "SELECT id, started_at FROM fetch_log WHERE "
	    "source = ?1 AND outcome IN ('ok', 'unchanged') "
	    "ORDER BY id DESC LIMIT 1",
	[ST_STATUS_FAILURES] = "SELECT count(*) FROM fetch_log WHERE "
	    "source = ?1 AND id > ?2",
	[ST_STATUS_STATE] = "SELECT next_poll_at, interval, disagreed_at, "
	    "disagreement FROM source_state WHERE source = ?1",
	[ST_DISAGREE] = "INSERT INTO source_state (source, disagreed_at, "
	    "disagreement) VALUES (?1, ?2, ?3) ON CONFLICT (source) DO UPDATE "
	    "SET disagreed_at = excluded.disagreed_at, "
	    "disagreement = excluded.disagreement",
	[ST_ALERT_GET] = "SELECT active FROM alert_state WHERE name = ?1",
	[ST_ALERT_SET] = "INSERT INTO alert_state (name, active, changed_at) "
	    "VALUES (?1, ?2, ?3) ON CONFLICT (name) DO UPDATE SET "
	    "active = excluded.active, changed_at = excluded.changed_at",
	[ST_PREV_DIFFERENT] = "SELECT observed_at, rate_text, rate_scaled "
	    "FROM sample WHERE source = ?1 AND currency = ?2 AND "
	    "observed_at < ?3 AND rate_scaled <> ?4 "
	    "ORDER BY observed_at DESC LIMIT 1",
	[ST_DATA_VERSION] = "PRAGMA data_version",
};

static char *column_text(sqlite3_stmt *, int);

struct db {
	sqlite3 *h;
	char *path;
	int cache_kib; /* 0: SQLite's default (2 MiB) */
	sqlite3_stmt *st[ST_COUNT];
	int nested; /* read transactions begun inside another */
	int immutable; /* opened read-only as a file nobody writes */
};

/* $RATES_DB, else $XDG_DATA_HOME/rates/rates.db, else ~/.local/share/… */
char *
db_default_path(void)
{
	const char *v;

	if ((v = getenv("RATES_DB")) != NULL && *v != '\0')
		return xstrdup(v);
	if ((v = getenv("XDG_DATA_HOME")) != NULL && *v == '/')
		return xasprintf("%s/rates/rates.db", v);
	if ((v = getenv("HOME")) == NULL || *v == '\0')
		v = ".";
	return xasprintf("%s/.local/share/rates/rates.db", v);
}

static char *
db_error(struct db *db, const char *what)
{
	return xasprintf("%s: %s: %s", db->path, what, sqlite3_errmsg(db->h));
}

static int
exec(struct db *db, const char *sql, char **cause)
{
	char *msg = NULL;

	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", db->path,
		    msg != NULL ? msg : sqlite3_errmsg(db->h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* Create the folders above path, like mkdir -p. */
int
db_make_parents(const char *path, char **cause)
{
	struct stat sb;
	char *copy, *p;

	copy = xstrdup(path);
	for (p = copy + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && (errno != EEXIST ||
		    stat(copy, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
			*cause = xasprintf("cannot create %s: %s", copy,
			    strerror(errno == EEXIST ? ENOTDIR : errno));
			free(copy);
			return -1;
		}
		*p = '/';
	}
	free(copy);
	return 0;
}

int
db_schema_version(struct db *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * Is it a database of something else: tables, but not rates' sample?  (A
 * new, empty file is ours to make.)  1 with *cause.  It only reads.
 */
static int
foreign(struct db *db, char **cause)
{
	sqlite3_stmt *st;
	char *name = NULL;
	int n = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT count(*), min(name), "
	    "sum(name = 'sample') FROM sqlite_schema WHERE type = 'table'", -1,
	    &st, NULL) != SQLITE_OK) {
		*cause = db_error(db, "cannot read the schema");
		return 1;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		n = sqlite3_column_int(st, 0);
		if (n > 0 && sqlite3_column_int(st, 2) == 0)
			name = column_text(st, 1);
		else
			n = 0;
	}
	sqlite3_finalize(st);
	if (n == 0)
		return 0;
	*cause = xasprintf("%s: not a rates database: it holds %d table%s of "
	    "another program (%s%s) and none of rates; give another path "
	    "with -d", db->path, n, n == 1 ? "" : "s", name, n > 1 ? ", ..." :
	    "");
	free(name);
	return 1;
}

/* Bring the schema up to date, one step per schema file, in one txn. */
static int
migrate(struct db *db, char **cause)
{
	char pragma[64];
	int v, i;

	if ((v = db_schema_version(db)) < 0) {
		*cause = db_error(db, "cannot read schema version");
		return -1;
	}
	if (v > schema_version) {
		*cause = xasprintf("%s: schema version %d is newer than this "
		    "rates knows (%d)", db->path, v, schema_version);
		return -1;
	}
	if (v == schema_version)
		return 0;
	if (exec(db, "BEGIN IMMEDIATE", cause) != 0)
		return -1;
	/* Another process may have migrated meanwhile. */
	if ((v = db_schema_version(db)) < 0 || v > schema_version) {
		*cause = v < 0 ? db_error(db, "cannot read schema version") :
		    xasprintf("%s: schema version %d is newer than this rates "
		    "knows (%d)", db->path, v, schema_version);
		goto fail;
	}
	for (i = v; i < schema_version; i++) {
		if (exec(db, schema_steps[i].sql, cause) != 0)
			goto fail;
	}
	/* PRAGMA takes no parameters; the number is our own constant. */
	snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
	    schema_version);
	if (exec(db, pragma, cause) != 0 || exec(db, "COMMIT", cause) != 0)
		goto fail;
	return 0;
fail:
	sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/*
 * May a reader only read?  The file, or the folder where SQLite keeps the
 * -wal and -shm beside it, is not ours to write.
 */
static int
read_only_here(const char *path)
{
	char *dir, *slash;
	int ro;

	if (access(path, W_OK) != 0)
		return 1;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) == NULL)
		ro = access(".", W_OK) != 0;
	else {
		slash[slash == dir] = '\0';
		ro = access(dir, W_OK) != 0;
	}
	free(dir);
	return ro;
}

/*
 * The URI that opens path read-only.  Without a -shm beside it no writer
 * is connected (a writer of a WAL database keeps one), and none can come
 * (the folder is not writable to make one... by us): immutable=1, so that
 * SQLite does not try to make one either.
 */
static char *
read_only_uri(const char *path)
{
	struct buf b = BUF_INIT;
	char *shm = xasprintf("%s-shm", path);
	const char *p;

	/* "file://" and an absolute path: "//x" is not read as a host. */
	buf_adds(&b, *path == '/' ? "file://" : "file:");
	for (p = path; *p != '\0'; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			buf_addf(&b, "%%%02X", (unsigned char)*p);
		else
			buf_addc(&b, *p);
	}
	buf_adds(&b, access(shm, F_OK) == 0 ? "?mode=ro" :
	    "?mode=ro&immutable=1");
	free(shm);
	return buf_detach(&b);
}

/* Open db->path into db->h, set it up, migrate, prepare. */
static int
db_connect(struct db *db, int mode, char **cause)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, i, v, rc;
	char *uri;

	if (mode == DB_WRITE)
		flags |= SQLITE_OPEN_CREATE;
	/*
	 * A reader of a database it may not write (a copy on read-only
	 * media, a folder of another user): opened read-only, as it is.
	 */
	if (mode == DB_READ && read_only_here(db->path))
		flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX |
		    SQLITE_OPEN_URI;
	uri = flags & SQLITE_OPEN_URI ? read_only_uri(db->path) : NULL;
	db->immutable = uri != NULL && strstr(uri, "&immutable=1") != NULL;
	rc = sqlite3_open_v2(uri != NULL ? uri : db->path, &db->h, flags, NULL);
	free(uri);
	if (rc != SQLITE_OK) {
		*cause = db->h != NULL ? db_error(db, "cannot open") :
		    xasprintf("%s: cannot open", db->path);
		return -1;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, BUSY_TIMEOUT_MS);
	/* Another program's database: refused before anything is written. */
	if (foreign(db, cause))
		return -1;
	/*
	 * WAL, so that readers never block the writer; FULL, so that a
	 * reported store survives a power cut; the WAL file is cut back to
	 * 4 MiB when it restarts, after a long reader made it grow.
	 */
	if (flags & SQLITE_OPEN_READONLY) {
		if ((v = db_schema_version(db)) < 0) {
			*cause = db_error(db, "cannot read schema version");
			return -1;
		}
		if (v != schema_version) {
			*cause = xasprintf("%s: read-only, and its schema "
			    "version %d is not this rates' (%d): open it once "
			    "where it may be written", db->path, v,
			    schema_version);
			return -1;
		}
	} else if (exec(db, "PRAGMA journal_mode = WAL", cause) != 0 ||
	    exec(db, "PRAGMA synchronous = FULL", cause) != 0 ||
	    exec(db, "PRAGMA journal_size_limit = 4194304", cause) != 0 ||
	    migrate(db, cause) != 0)
		return -1;
	for (i = 0; i < ST_COUNT; i++) {
		if (sqlite3_prepare_v3(db->h, statements[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &db->st[i], NULL) != SQLITE_OK) {
			*cause = db_error(db, "cannot prepare");
			return -1;
		}
	}
	return 0;
}

static void
db_disconnect(struct db *db)
{
	int i;

	for (i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(db->st[i]);
		db->st[i] = NULL;
	}
	sqlite3_close(db->h);
	db->h = NULL;
}

/*
 * Open the database at path.  DB_WRITE creates it and its folder; DB_READ
 * wants it to exist.  Either way the schema is migrated.
 */
struct db *
db_open(const char *path, int mode, char **cause)
{
	struct db *db;
	struct stat sb;

	/* An empty file is no database yet either: a reader makes none. */
	if (mode == DB_READ && (stat(path, &sb) != 0 || sb.st_size == 0)) {
		*cause = xasprintf("%s: no database here yet (record rates "
		    "with 'rates fetch' or 'rates import')", path);
		return NULL;
	}
	if (mode == DB_WRITE && db_make_parents(path, cause) != 0)
		return NULL;
	db = xcalloc(1, sizeof *db);
	db->path = xstrdup(path);
	if (db_connect(db, mode, cause) != 0) {
		db_close(db);
		return NULL;
	}
	return db;
}

/*
 * SQLite opens a file it may not write read-only, and the connection stays
 * so.  For the daemon, which must go on when the file is writable again:
 * when the connection is read-only, open it again.  0 when the database
 * is writable now.
 */
int
db_reopen_if_readonly(struct db *db, char **cause)
{
	struct db fresh;

	if (sqlite3_db_readonly(db->h, "main") != 1)
		return 0;
	/* The old connection stays until a new one is ready. */
	memset(&fresh, 0, sizeof fresh);
	fresh.path = db->path;
	fresh.cache_kib = db->cache_kib;
	if (db_connect(&fresh, DB_WRITE, cause) != 0 ||
	    db_set_cache(&fresh, db->cache_kib, cause) != 0) {
		db_disconnect(&fresh);
		return -1;
	}
	if (sqlite3_db_readonly(fresh.h, "main") == 1) {
		db_disconnect(&fresh);
		*cause = xasprintf("%s: the database is read-only", db->path);
		return -1;
	}
	db_disconnect(db);
	db->h = fresh.h;
	memcpy(db->st, fresh.st, sizeof db->st);
	return 0;
}

/*
 * The most memory the page cache of this connection may hold (0: SQLite's
 * default, 2 MiB).  The daemon, which writes a few rows a poll, takes
 * less, so that its memory does not creep up as the tables grow.
 */
int
db_set_cache(struct db *db, int kib, char **cause)
{
	char sql[64];

	db->cache_kib = kib;
	if (kib <= 0)
		return 0;
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%d", kib);
	return exec(db, sql, cause);
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	db_disconnect(db);
	free(db->path);
	free(db);
}

int
db_begin(struct db *db, char **cause)
{
	return exec(db, "BEGIN IMMEDIATE", cause);
}

int
db_commit(struct db *db, char **cause)
{
	return exec(db, "COMMIT", cause);
}

void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

static sqlite3_stmt *
stmt(struct db *db, int which)
{
	sqlite3_stmt *st = db->st[which];

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return st;
}

static void
bind_key(sqlite3_stmt *st, const char *source, const char *currency,
    time_t at)
{
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, currency, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
}

/* Insert or ignore: 1 if added, 0 if already there, -1 on error. */
int
db_insert_sample(struct db *db, const struct sample *s, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_INSERT);
	int rc;

	bind_key(st, s->source, s->currency, s->observed_at);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s->fetched_at);
	sqlite3_bind_text(st, 5, s->rate_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, s->rate_scaled);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot store a sample");
		return -1;
	}
	return sqlite3_changes(db->h) > 0;
}

/* 1 with the stored value of the sample's key in *out, 0 if none, -1. */
int
db_sample_get(struct db *db, const struct sample *s, struct stored *out,
    char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_GET);
	int rc;

	memset(out, 0, sizeof *out);
	bind_key(st, s->source, s->currency, s->observed_at);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->fetched_at = (time_t)sqlite3_column_int64(st, 0);
		out->rate_text = column_text(st, 1);
		out->rate_scaled = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot read samples");
		return -1;
	}
	return rc == SQLITE_ROW;
}

void
db_stored_release(struct stored *st)
{
	free(st->rate_text);
	memset(st, 0, sizeof *st);
}

/*
 * A revision: the sample's key takes s's value and fetch time, and the
 * value it had (old) is kept in the table of revisions.  The caller holds
 * the transaction.
 */
int
db_revise_sample(struct db *db, const struct sample *s,
    const struct stored *old, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_REVISION);
	int rc;

	bind_key(st, s->source, s->currency, s->observed_at);
	sqlite3_bind_text(st, 4, old->rate_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, old->rate_scaled);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)old->fetched_at);
	sqlite3_bind_text(st, 7, s->rate_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, s->rate_scaled);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)s->fetched_at);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot store a revision");
		return -1;
	}
	st = stmt(db, ST_UPDATE);
	bind_key(st, s->source, s->currency, s->observed_at);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)s->fetched_at);
	sqlite3_bind_text(st, 5, s->rate_text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, s->rate_scaled);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot revise a sample");
		return -1;
	}
	return 0;
}

static int
one_int64(struct db *db, int which, const char *source, const char *cur,
    time_t at, time_t window, int64_t *out, char **cause)
{
	sqlite3_stmt *st = stmt(db, which);
	int rc;

	bind_key(st, source, cur, at);
	if (which == ST_BEFORE || which == ST_AFTER)
		sqlite3_bind_int64(st, 4, (sqlite3_int64)(window > 0 ? window :
		    (time_t)1 << 40));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot read samples");
		return -1;
	}
	return rc == SQLITE_ROW;
}

/*
 * The stored value nearest before at (or, when there is none, nearest
 * after) for a currency, within window seconds (0: any): what a new value
 * is checked against.
 */
int
db_neighbour(struct db *db, const char *source, const char *cur, time_t at,
    time_t window, int64_t *out, char **cause)
{
	int r;

	r = one_int64(db, ST_BEFORE, source, cur, at, window, out, cause);
	if (r != 0)
		return r;
	return one_int64(db, ST_AFTER, source, cur, at, window, out, cause);
}

int
db_log_fetch(struct db *db, const struct fetch_log *l, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_LOG);
	int rc;

	sqlite3_bind_text(st, 1, l->source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)l->started_at);
	sqlite3_bind_int64(st, 3, l->duration_ms);
	if (l->http_status > 0)
		sqlite3_bind_int64(st, 4, l->http_status);
	sqlite3_bind_int64(st, 5, l->bytes);
	sqlite3_bind_text(st, 6, l->outcome, -1, SQLITE_STATIC);
	if (l->message != NULL)
		sqlite3_bind_text(st, 7, l->message, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot log the fetch");
		return -1;
	}
	return 0;
}

static char *
column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return xstrdup(t != NULL ? (const char *)t : "");
}

/*
 * The series (source, currency) that have samples, of one source or all,
 * in order.  They are found by skipping through the primary key, so the
 * cost grows with the number of series, not of samples.
 */
int
db_series(struct db *db, const char *source, struct series **out, size_t *n,
    char **cause)
{
	struct series *list = NULL, *s;
	sqlite3_stmt *st;
	sqlite3_value *src = NULL, *cur = NULL; /* the last key, exactly */
	const char *a, *b;
	size_t count = 0;
	int rc, which = source != NULL ? ST_NEXT_CURRENCY : ST_NEXT_SOURCE;

	for (;;) {
		st = stmt(db, which);
		/*
		 * The next key is after the last one as stored, whatever its
		 * type or bytes: a name with a NUL in it, or a blob, must not
		 * bring the same row back for ever.
		 */
		if (src != NULL)
			sqlite3_bind_value(st, 1, src);
		else
			sqlite3_bind_text(st, 1, source != NULL ? source : "",
			    -1, SQLITE_TRANSIENT);
		if (which == ST_NEXT_CURRENCY) {
			if (cur != NULL)
				sqlite3_bind_value(st, 2, cur);
			else
				sqlite3_bind_text(st, 2, "", -1, SQLITE_STATIC);
		}
		rc = sqlite3_step(st);
		if (rc == SQLITE_DONE && which == ST_NEXT_CURRENCY &&
		    source == NULL) {
			/* This source is done: on to the next. */
			sqlite3_reset(st);
			sqlite3_value_free(cur);
			cur = NULL;
			which = ST_NEXT_SOURCE;
			continue;
		}
		if (rc != SQLITE_ROW)
			break;
		sqlite3_value_free(src);
		sqlite3_value_free(cur);
		src = sqlite3_value_dup(sqlite3_column_value(st, 0));
		cur = sqlite3_value_dup(sqlite3_column_value(st, 1));
		sqlite3_reset(st);
		if (src == NULL || cur == NULL)
			fatal("out of memory");
		which = ST_NEXT_CURRENCY;
		/*
		 * Only names as text, whole, can be asked for again (and a
		 * blob is not looked at as text: that would change its type).
		 */
		if (sqlite3_value_type(src) != SQLITE_TEXT ||
		    sqlite3_value_type(cur) != SQLITE_TEXT)
			continue;
		a = (const char *)sqlite3_value_text(src);
		b = (const char *)sqlite3_value_text(cur);
		if (a == NULL || b == NULL ||
		    strlen(a) != (size_t)sqlite3_value_bytes(src) ||
		    strlen(b) != (size_t)sqlite3_value_bytes(cur))
			continue;
		list = xreallocarray(list, count + 1, sizeof *list);
		s = &list[count++];
		s->source = xstrdup(a);
		s->currency = xstrdup(b);
	}
	sqlite3_reset(st);
	sqlite3_value_free(src);
	sqlite3_value_free(cur);
	if (rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot read samples");
		db_series_free(list, count);
		return -1;
	}
	*out = list;
	*n = count;
	return 0;
}

void
db_series_free(struct series *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(list[i].source);
		free(list[i].currency);
	}
	free(list);
}

/* One read transaction, so that what is read agrees with itself. */
/*
 * A number that changes when another connection, or another process, has
 * committed a change to the database since the last call: serve's answers
 * are kept until it does.
 */
int
db_data_version(struct db *db, long long *version, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_DATA_VERSION);
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		*version = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW) {
		*cause = db_error(db, "cannot read the data version");
		return -1;
	}
	return 0;
}

const char *
db_path(const struct db *db)
{
	return db->path;
}

/*
 * Was it opened as a file nobody writes (read-only, no -shm beside it)?
 * Then SQLite does not look for changes: the caller must, and open it
 * again.
 */
int
db_immutable(const struct db *db)
{
	return db->immutable;
}

int
db_read_begin(struct db *db, char **cause)
{
	/* Inside another: a part of it, which ends with it. */
	if (!sqlite3_get_autocommit(db->h)) {
		db->nested++;
		return 0;
	}
	return exec(db, "BEGIN", cause);
}

void
db_read_end(struct db *db)
{
	if (db->nested > 0) {
		db->nested--;
		return;
	}
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
}

/* The newest sample of every series, with the value before it that differs. */
int
db_latest(struct db *db, struct latest_row **out, size_t *n, char **cause)
{
	struct latest_row *rows, *r;
	struct series *series;
	sqlite3_stmt *st = NULL;
	size_t count, i;
	int rc;

	if (db_read_begin(db, cause) != 0)
		return -1;
	if (db_series(db, NULL, &series, &count, cause) != 0) {
		db_read_end(db);
		return -1;
	}
	rows = xcalloc(count, sizeof *rows);
	for (i = 0; i < count; i++) {
		r = &rows[i];
		r->source = series[i].source;
		r->currency = series[i].currency;
		series[i].source = series[i].currency = NULL;

		st = stmt(db, ST_NEWEST);
		sqlite3_bind_text(st, 1, r->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, r->currency, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW)
			goto fail;
		r->observed_at = (time_t)sqlite3_column_int64(st, 0);
		r->fetched_at = (time_t)sqlite3_column_int64(st, 1);
		r->rate_text = column_text(st, 2);
		r->rate_scaled = sqlite3_column_int64(st, 3);
		sqlite3_reset(st);

		st = stmt(db, ST_PREV_DIFFERENT);
		bind_key(st, r->source, r->currency, r->observed_at);
		sqlite3_bind_int64(st, 4, r->rate_scaled);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			r->has_previous = 1;
			r->prev_observed_at = (time_t)sqlite3_column_int64(st,
			    0);
			r->prev_text = column_text(st, 1);
			r->prev_scaled = sqlite3_column_int64(st, 2);
		} else if (rc != SQLITE_DONE)
			goto fail;
		sqlite3_reset(st);
	}
	db_read_end(db);
	db_series_free(series, count);
	*out = rows;
	*n = count;
	return 0;
fail:
	*cause = db_error(db, "cannot read samples");
	sqlite3_reset(st);
	db_read_end(db);
	db_series_free(series, count);
	db_latest_free(rows, count);
	return -1;
}

struct db_scan {
	struct db *db;
	sqlite3_stmt *st;
	sqlite3_stmt *next; /* changes only: the next different value */
	int started;
	time_t at;
	int64_t v;
};

static const char scan_sql[] = "SELECT observed_at, rate_text, rate_scaled "
    "FROM sample WHERE source = ?1 AND currency = ?2 AND observed_at >= ?3 "
    "AND observed_at < ?4 ORDER BY observed_at";
static const char change_sql[] = "SELECT observed_at, rate_text, "
    "rate_scaled FROM sample WHERE source = ?1 AND currency = ?2 AND "
    "observed_at > ?3 AND observed_at < ?4 AND rate_scaled <> ?5 "
    "ORDER BY observed_at LIMIT 1";

/*
 * Samples of one series with since <= observed_at < until, in time order;
 * with changes, only the first and each one whose value differs from the
 * one before, found by seeking, so that SQLite hands over no others.
 */
struct db_scan *
db_scan_open(struct db *db, const char *source, const char *currency,
    time_t since, time_t until, int changes, char **cause)
{
	struct db_scan *sc;
	sqlite3_stmt *st[2] = {NULL, NULL};
	int i, n = changes ? 2 : 1;

	for (i = 0; i < n; i++) {
		if (sqlite3_prepare_v2(db->h, i == 0 ? scan_sql : change_sql,
		    -1, &st[i], NULL) != SQLITE_OK) {
			*cause = db_error(db, "cannot prepare");
			sqlite3_finalize(st[0]);
			return NULL;
		}
		sqlite3_bind_text(st[i], 1, source, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st[i], 2, currency, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st[i], 3, (sqlite3_int64)since);
		sqlite3_bind_int64(st[i], 4, (sqlite3_int64)until);
	}
	sc = xcalloc(1, sizeof *sc);
	sc->db = db;
	sc->st = st[0];
	sc->next = st[1];
	return sc;
}

/* 1 with the next row (its text lent until the next call), 0 at the end. */
int
db_scan_next(struct db_scan *sc, struct scan_row *row, char **cause)
{
	sqlite3_stmt *st = sc->st;
	int rc;

	if (sc->next != NULL && sc->started) {
		st = sc->next;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)sc->at);
		sqlite3_bind_int64(st, 5, sc->v);
	}
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row->observed_at = (time_t)sqlite3_column_int64(st, 0);
		row->rate_text = (const char *)sqlite3_column_text(st, 1);
		row->rate_scaled = sqlite3_column_int64(st, 2);
		if (row->rate_text == NULL)
			row->rate_text = "";
		sc->started = 1;
		sc->at = row->observed_at;
		sc->v = row->rate_scaled;
		return 1;
	}
	if (rc == SQLITE_DONE)
		return 0;
	*cause = db_error(sc->db, "cannot read samples");
	return -1;
}

void
db_scan_close(struct db_scan *sc)
{
	if (sc == NULL)
		return;
	sqlite3_finalize(sc->st);
	sqlite3_finalize(sc->next);
	free(sc);
}

void
db_latest_free(struct latest_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(rows[i].source);
		free(rows[i].currency);
		free(rows[i].rate_text);
		free(rows[i].prev_text);
	}
	free(rows);
}

static char *
column_text_or_null(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t != NULL ? xstrdup((const char *)t) : NULL;
}

/*
 * What the daemon kept of a source: the validators of its last good
 * response (NULL when none) and when its next poll was due (0 if never).
 */
int
db_state_get(struct db *db, const char *source, char **etag,
    char **last_modified, char **url, time_t *next, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_STATE_GET);
	int rc;

	*etag = *last_modified = *url = NULL;
	*next = 0;
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*etag = column_text_or_null(st, 0);
		*last_modified = column_text_or_null(st, 1);
		*next = (time_t)sqlite3_column_int64(st, 2);
		*url = column_text_or_null(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot read the source state");
		return -1;
	}
	return 0;
}

static int
step_done(struct db *db, sqlite3_stmt *st, const char *what, char **cause)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		*cause = db_error(db, what);
		return -1;
	}
	return 0;
}

int
db_state_set_validators(struct db *db, const char *source, const char *etag,
    const char *last_modified, const char *url, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_STATE_VALIDATORS);

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	if (etag != NULL)
		sqlite3_bind_text(st, 2, etag, -1, SQLITE_STATIC);
	if (last_modified != NULL)
		sqlite3_bind_text(st, 3, last_modified, -1, SQLITE_STATIC);
	if (url != NULL)
		sqlite3_bind_text(st, 4, url, -1, SQLITE_STATIC);
	return step_done(db, st, "cannot keep the validators", cause);
}

int
db_state_set_next(struct db *db, const char *source, time_t next,
    long interval, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_STATE_NEXT);

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)next);
	sqlite3_bind_int64(st, 3, interval);
	return step_done(db, st, "cannot keep the next poll", cause);
}

/* Whether an alert's condition held when last evaluated (0 if never). */
int
db_alert_get(struct db *db, const char *name, int *active, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_ALERT_GET);
	int rc;

	*active = 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*active = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot read the alert state");
		return -1;
	}
	return 0;
}

int
db_alert_set(struct db *db, const char *name, int active, time_t at,
    char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_ALERT_SET);

	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, active);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)at);
	return step_done(db, st, "cannot keep the alert state", cause);
}

/* The stored value just before at, for a currency: 1 found, 0 none. */
int
db_before(struct db *db, const char *source, const char *currency, time_t at,
    int64_t *out, char **cause)
{
	return one_int64(db, ST_BEFORE, source, currency, at, 0, out, cause);
}

/* What `rates status` shows of a source, from the fetch log and state. */
int
db_status(struct db *db, const char *source, struct source_status *ss,
    char **cause)
{
	sqlite3_stmt *st;
	sqlite3_int64 ok_id = 0;
	int rc;

	memset(ss, 0, sizeof *ss);
	st = stmt(db, ST_STATUS_LAST);
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ss->attempted = 1;
		ss->last_at = (time_t)sqlite3_column_int64(st, 0);
		ss->outcome = column_text(st, 1);
		ss->http_status = sqlite3_column_int64(st, 2);
		ss->message = column_text_or_null(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	st = stmt(db, ST_STATUS_OK);
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ss->succeeded = 1;
		ok_id = sqlite3_column_int64(st, 0);
		ss->ok_at = (time_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	st = stmt(db, ST_STATUS_FAILURES);
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, ok_id);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		ss->failures = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		goto fail;
	st = stmt(db, ST_STATUS_STATE);
	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ss->next_at = (time_t)sqlite3_column_int64(st, 0);
		ss->interval = sqlite3_column_int64(st, 1);
		ss->disagreed_at = (time_t)sqlite3_column_int64(st, 2);
		ss->disagreement = column_text_or_null(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto fail;
	return 0;
fail:
	*cause = db_error(db, "cannot read the fetch log");
	db_status_release(ss);
	return -1;
}

void
db_status_release(struct source_status *ss)
{
	free(ss->outcome);
	free(ss->message);
	free(ss->disagreement);
	memset(ss, 0, sizeof *ss);
}

/* A value rejected against the reference source: when, and what. */
int
db_state_set_disagreement(struct db *db, const char *source, time_t at,
    const char *what, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_DISAGREE);
	int rc;

	sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)at);
	sqlite3_bind_text(st, 3, what, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot store the source's state");
		return -1;
	}
	return 0;
}

/* Revisions of samples observed in [since, until), of one source or all. */
struct db_revisions {
	struct db *db;
	sqlite3_stmt *st;
};

static const char revisions_sql[] =
    "SELECT source, currency, observed_at, old_text, old_scaled, "
    "old_fetched_at, new_text, new_scaled, revised_at FROM revision "
    "WHERE (?1 IS NULL OR source = ?1) AND observed_at >= ?2 AND "
    "observed_at < ?3 ORDER BY observed_at, source, currency, id";

struct db_revisions *
db_revisions_open(struct db *db, const char *source, time_t since,
    time_t until, char **cause)
{
	struct db_revisions *rv;
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(db->h, revisions_sql, -1, &st, NULL) !=
	    SQLITE_OK) {
		*cause = db_error(db, "cannot prepare");
		return NULL;
	}
	if (source != NULL)
		sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)since);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)until);
	rv = xcalloc(1, sizeof *rv);
	rv->db = db;
	rv->st = st;
	return rv;
}

/* 1 with the next row (its texts lent until the next call), 0 at the end. */
int
db_revisions_next(struct db_revisions *rv, struct revision_row *row,
    char **cause)
{
	sqlite3_stmt *st = rv->st;
	int rc;

	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row->source = (const char *)sqlite3_column_text(st, 0);
		row->currency = (const char *)sqlite3_column_text(st, 1);
		row->observed_at = (time_t)sqlite3_column_int64(st, 2);
		row->old_text = (const char *)sqlite3_column_text(st, 3);
		row->old_scaled = sqlite3_column_int64(st, 4);
		row->old_fetched_at = (time_t)sqlite3_column_int64(st, 5);
		row->new_text = (const char *)sqlite3_column_text(st, 6);
		row->new_scaled = sqlite3_column_int64(st, 7);
		row->revised_at = (time_t)sqlite3_column_int64(st, 8);
		if (row->source == NULL || row->currency == NULL ||
		    row->old_text == NULL || row->new_text == NULL) {
			*cause = xstrdup("a revision with an empty field");
			return -1;
		}
		return 1;
	}
	if (rc == SQLITE_DONE)
		return 0;
	*cause = db_error(rv->db, "cannot read revisions");
	return -1;
}

void
db_revisions_close(struct db_revisions *rv)
{
	if (rv == NULL)
		return;
	sqlite3_finalize(rv->st);
	free(rv);
}

/*
 * The sample of a series in effect at a time: the newest observed at or
 * before it.  1 with it in *out (its text the caller's), 0 if none, -1.
 */
int
db_at(struct db *db, const char *source, const char *currency, time_t at,
    struct at_row *out, char **cause)
{
	sqlite3_stmt *st = stmt(db, ST_AT);
	int rc;

	memset(out, 0, sizeof *out);
	bind_key(st, source, currency, at);
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		out->observed_at = (time_t)sqlite3_column_int64(st, 0);
		out->fetched_at = (time_t)sqlite3_column_int64(st, 1);
		out->rate_text = column_text(st, 2);
		out->rate_scaled = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot read samples");
		return -1;
	}
	return rc == SQLITE_ROW;
}

/* The version of the SQLite library in use. */
const char *
db_sqlite_version(void)
{
	return sqlite3_libversion();
}

/*
 * A consistent copy of the database, as of one moment, into the empty file
 * at path (VACUUM INTO reads one snapshot, beside writers, and writes a
 * compact copy; the copy is then synced).
 */
int
db_backup(struct db *db, const char *path, char **cause)
{
	sqlite3_stmt *st;
	int rc, fd;

	if (sqlite3_prepare_v2(db->h, "VACUUM INTO ?1", -1, &st, NULL) !=
	    SQLITE_OK) {
		*cause = db_error(db, "cannot prepare the backup");
		return -1;
	}
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		*cause = db_error(db, "cannot back up");
		return -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1 || fsync(fd) != 0) {
		*cause = xasprintf("%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
