-- Issue 12: an app may have its own request rate limit (requests a second and burst; NULL: the server's per-app default)
-- and its own backend timeout in seconds (NULL: what backend_timeout, DEFAULT or LONG, means).
ALTER TABLE app ADD COLUMN throttle_per_second INTEGER;
ALTER TABLE app ADD COLUMN throttle_burst INTEGER;
ALTER TABLE app ADD COLUMN backend_timeout_seconds INTEGER;
