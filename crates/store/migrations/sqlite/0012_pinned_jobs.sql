-- Imports started from the command line are jobs too, in the same queue and turn as the
-- exchange's, but they read files on the machine that started them: such a job is pinned to
-- that process, and only it claims the job. While it waits, that process renews the job's
-- lease like a running one's, so the job of a process that died is failed, not left queued.
ALTER TABLE exchange_jobs ADD COLUMN pinned_to TEXT;
