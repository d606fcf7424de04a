-- 001: samples.  One row per (source, currency, observed_at): fetching or
-- importing the same page twice adds nothing.  Times are UTC seconds since
-- the epoch; a rate is kept as published and as an exact integer scaled by
-- 10^6, never as a binary floating-point number.
CREATE TABLE sample (
	source      TEXT    NOT NULL,
	currency    TEXT    NOT NULL,
	observed_at INTEGER NOT NULL,
	fetched_at  INTEGER NOT NULL,
	rate_text   TEXT    NOT NULL,
	rate_scaled INTEGER NOT NULL CHECK (rate_scaled > 0),
	PRIMARY KEY (source, currency, observed_at)
) WITHOUT ROWID;
