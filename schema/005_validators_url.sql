-- 005: the validators (ETag, Last-Modified) belong to the URL they came
-- from: a poll of another URL (--url, a changed config) sends none of them.
ALTER TABLE source_state ADD COLUMN url TEXT;
