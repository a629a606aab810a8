-- Failed sign-ins, shared by every instance and kept across restarts. One row per key
-- (an address, an account at an address, an account) and fixed window: `failures` counts the
-- failed attempts and the attempts still being checked (an attempt is counted before its
-- password is checked and uncounted when it succeeds, so parallel guesses cannot slip past).
CREATE TABLE sign_in_failures (
    key          TEXT   NOT NULL PRIMARY KEY,
    window_start BIGINT NOT NULL,
    failures     BIGINT NOT NULL
);
CREATE INDEX sign_in_failures_window ON sign_in_failures (window_start);

-- Calls nobody signed in for are kept per address and hour: one row (`refused`, unique by its
-- key), counted in `repeats`.
ALTER TABLE exchange_log ADD COLUMN repeats BIGINT NOT NULL DEFAULT 1;
ALTER TABLE exchange_log ADD COLUMN refused BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX exchange_log_refused ON exchange_log (tenant_id, exchange_key) WHERE refused;

-- What started an import (an exchange job names its batch and file), so that after a crash
-- the job's outcome is read from what the import committed.
ALTER TABLE imports ADD COLUMN source TEXT;
CREATE INDEX imports_source ON imports (tenant_id, source);
