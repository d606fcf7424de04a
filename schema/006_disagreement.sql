-- 006: the last time a source's value was rejected because it differed
-- from its reference source (24kg against nbkr) by more than
-- max_deviation, and what the two values were, for `rates status`.
ALTER TABLE source_state ADD COLUMN disagreed_at INTEGER;
ALTER TABLE source_state ADD COLUMN disagreement TEXT;
