-- 003: what the daemon keeps between polls and restarts.
-- source_state: the validators of the last successful response, for
-- conditional requests (ETag / Last-Modified), and when the next poll is
-- due and at what interval the daemon polls, for `rates status`.
CREATE TABLE source_state (
	source        TEXT PRIMARY KEY,
	etag          TEXT,
	last_modified TEXT,
	next_poll_at  INTEGER,
	interval      INTEGER
) WITHOUT ROWID;
-- alert_state: whether an alert's condition held at its last evaluation,
-- so that it fires once per crossing, also across restarts.
CREATE TABLE alert_state (
	name       TEXT PRIMARY KEY,
	active     INTEGER NOT NULL,
	changed_at INTEGER NOT NULL
) WITHOUT ROWID;
