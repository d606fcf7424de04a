-- 004: revisions.  When a page shows another value for a sample already
-- stored (the same source, currency and observed_at), the new value becomes
-- the sample's and the one it replaced is kept here, with the time it was
-- read: no value ever read is lost.  A row says: at revised_at, the value
-- old_text (read at old_fetched_at) was replaced by new_text.
CREATE TABLE revision (
	id             INTEGER PRIMARY KEY,
	source         TEXT    NOT NULL,
	currency       TEXT    NOT NULL,
	observed_at    INTEGER NOT NULL,
	old_text       TEXT    NOT NULL,
	old_scaled     INTEGER NOT NULL,
	old_fetched_at INTEGER NOT NULL,
	new_text       TEXT    NOT NULL,
	new_scaled     INTEGER NOT NULL,
	revised_at     INTEGER NOT NULL
);
CREATE INDEX revision_key ON revision (source, currency, observed_at);
