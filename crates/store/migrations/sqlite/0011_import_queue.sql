-- Exchange imports as a queue: a job waits `queued` (in `queued_at` order) until a worker of
-- any instance claims it (`running`, with a lease it renews every second while it writes the
-- import's progress here, so any instance can answer `progress`). A job whose lease ran out
-- (its instance died) is claimed again. At most one job of a tenant runs at a time.
ALTER TABLE exchange_jobs ADD COLUMN queued_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE exchange_jobs ADD COLUMN lease_until BIGINT NOT NULL DEFAULT 0;
ALTER TABLE exchange_jobs ADD COLUMN progress_bytes BIGINT NOT NULL DEFAULT 0;
ALTER TABLE exchange_jobs ADD COLUMN progress_items BIGINT NOT NULL DEFAULT 0;
CREATE INDEX exchange_jobs_state ON exchange_jobs (state, queued_at);
