-- 002: every fetch attempt, successful or not, for `rates status`.
-- outcome is one of: ok, partial (some rates missing or rejected),
-- norates (the page had none), error (nothing usable was read).
CREATE TABLE fetch_log (
	id          INTEGER PRIMARY KEY,
	source      TEXT    NOT NULL,
	started_at  INTEGER NOT NULL,
	duration_ms INTEGER NOT NULL,
	http_status INTEGER,
	bytes       INTEGER,
	outcome     TEXT    NOT NULL,
	message     TEXT
);
CREATE INDEX fetch_log_source ON fetch_log (source, started_at);
