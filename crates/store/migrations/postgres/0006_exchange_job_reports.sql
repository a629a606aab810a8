-- What each exchange import did, for the history: the catalog engine's report as JSON
-- (counts, warnings with their lines, duration). NULL for failed or older jobs.
ALTER TABLE exchange_jobs ADD COLUMN report TEXT;
