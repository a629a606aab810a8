//! The import queue: exchange jobs waiting, claimed by workers of any instance under a lease,
//! their progress, and the claims of instances that died.

use crate::{BatchId, Db, InterruptedJob, StoreError, TenantId, now_millis};

words! {
    /// Where an exchange job or an import stands (`exchange_jobs.state`, `imports.state`).
    pub enum JobState {
        /// Waiting for its tenant's turn (jobs only).
        Queued = "queued",
        Running = "running",
        Done = "done",
        Failed = "failed",
        /// Stopped by the safety brake before publishing; waits for the owner (jobs only).
        Held = "held",
        /// A held job the owner chose not to apply (jobs only).
        Discarded = "discarded",
    }
}
sql_word!(JobState);

impl JobState {
    /// Still to end: queued or running.
    pub fn is_pending(self) -> bool {
        matches!(self, Self::Queued | Self::Running)
    }
}

use JobState::{Failed, Queued, Running};

/// A job a worker claimed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ClaimedJob {
    pub tenant_id: TenantId,
    pub batch_id: BatchId,
    pub name: String,
    /// When the claim was made (Unix ms): imports it starts begin later.
    pub started_at: i64,
    /// When it was queued (Unix ms).
    pub queued_at: i64,
    /// The process that queued it and alone runs it (a command-line import of local files).
    pub pinned_to: Option<String>,
    /// A held pass the owner applied: it publishes whatever the brake would say.
    pub unbraked: bool,
}

/// Which queued jobs a worker may claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimScope {
    /// Any job not pinned to a process: a server's worker.
    Shared,
    /// The jobs of one batch only, pinned to the claimant or to nobody: a command-line import
    /// or re-run that runs its own jobs in their turn.
    Batch(TenantId, BatchId),
}

/// Claims the oldest queued job of a tenant that has no job running: a shared one for `$4 = 0`,
/// else one of batch ($4, $5) that is shared or pinned to the claimant. `$6` is running, `$7`
/// queued.
const CLAIM: &str = "UPDATE exchange_jobs SET state = $6, owner = $1, lease_until = $2, \
     started_at = $3, progress_bytes = 0, progress_items = 0 \
     WHERE (tenant_id, batch_id, name) = (SELECT j.tenant_id, j.batch_id, j.name FROM exchange_jobs j \
     WHERE j.state = $7 AND NOT EXISTS (SELECT 1 FROM exchange_jobs r \
     WHERE r.tenant_id = j.tenant_id AND r.state = $6) \
     AND ((CAST($4 AS BIGINT) = 0 AND j.pinned_to IS NULL) \
     OR (j.tenant_id = $4 AND j.batch_id = $5 AND COALESCE(j.pinned_to, $1) = $1)) \
     ORDER BY j.queued_at, j.batch_id, j.name LIMIT 1) \
     RETURNING tenant_id, batch_id, name, started_at, queued_at, pinned_to, unbraked";

impl Db {
    /// Queues the import of `name` from a batch unless a job for it exists; `true` when this
    /// call queued it.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn enqueue_job(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
    ) -> Result<bool, StoreError> {
        let sql = "INSERT INTO exchange_jobs (tenant_id, batch_id, name, state, owner, started_at, queued_at) \
                   VALUES ($1, $2, $3, $5, '', $4, $4) ON CONFLICT DO NOTHING";
        let inserted = with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(batch)
                .bind(name)
                .bind(now_millis())
                .bind(Queued)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(inserted == 1)
    }

    /// Queues the import of a local file that only the process `owner` can read (a
    /// command-line import), at `at` among the queued (Unix ms), its lease running to
    /// `lease_until` while it waits.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn enqueue_pinned_job(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
        owner: &str,
        (at, lease_until): (i64, i64),
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO exchange_jobs (tenant_id, batch_id, name, state, owner, started_at, queued_at, \
                   lease_until, pinned_to) VALUES ($1, $2, $3, $7, '', $4, $4, $5, $6)";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(batch).bind(name).bind(at).bind(lease_until).bind(owner)
                .bind(Queued).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// Extends the leases of the queued jobs pinned to `owner`: it still runs and waits for
    /// their turn.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn renew_waiting_jobs(
        &self,
        owner: &str,
        lease_until: i64,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE exchange_jobs SET lease_until = $2 WHERE state = $3 AND pinned_to = $1";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(owner).bind(lease_until).bind(Queued).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// Fails the queued jobs whose pinned process stopped renewing them before `now`: nobody
    /// else can read their files. How many.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn fail_abandoned_jobs(&self, now: i64, message: &str) -> Result<u64, StoreError> {
        let sql = "UPDATE exchange_jobs SET state = $3, message = $2, finished_at = $1 \
                   WHERE state = $4 AND pinned_to IS NOT NULL AND lease_until < $1";
        let failed = with_pool!(self, pool => {
            sqlx::query(sql).bind(now).bind(message).bind(Failed).bind(Queued).execute(pool).await.map(|done| done.rows_affected())
        })?;
        Ok(failed)
    }

    /// Puts a job back in the queue, its earlier outcome cleared: a re-run, or a job whose
    /// worker could not run it now. `at` orders it among the queued (Unix ms).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn requeue_job(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
        at: i64,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE exchange_jobs SET state = $5, owner = '', message = NULL, report = NULL, \
                   queued_at = $4, started_at = $4, finished_at = NULL, lease_until = 0, \
                   progress_bytes = 0, progress_items = 0, unbraked = FALSE \
                   WHERE tenant_id = $1 AND batch_id = $2 AND name = $3";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(batch).bind(name).bind(at).bind(Queued).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// Claims the oldest queued job of a tenant with nothing running, for `owner` until
    /// `lease_until`. Claims are serialized (SQLite's write lock; an advisory lock on
    /// PostgreSQL), so two workers never start two jobs of one tenant.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claim_job(
        &self,
        owner: &str,
        lease_until: i64,
        scope: ClaimScope,
    ) -> Result<Option<ClaimedJob>, StoreError> {
        let (tenant, batch) = match scope {
            ClaimScope::Shared => (0, 0),
            ClaimScope::Batch(tenant, batch) => (tenant.0, batch.0),
        };
        let now = now_millis();
        let claimed = write_tx!(self, tx => {
            if matches!(self, Db::Postgres(_)) {
                // One claimer at a time across instances; held until the commit. (SQLite's
                // write transaction is already the only one.)
                sqlx::query("SELECT pg_advisory_xact_lock(7020511)")
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query_as::<_, ClaimedJob>(CLAIM)
                .bind(owner)
                .bind(lease_until)
                .bind(now)
                .bind(tenant)
                .bind(batch)
                .bind(Running)
                .bind(Queued)
                .fetch_optional(&mut *tx)
                .await?
        });
        Ok(claimed)
    }

    /// Renews `owner`'s lease on a running job and records its progress; `false` when the job
    /// is no longer this owner's (its lease ran out and another worker took it).
    #[allow(clippy::too_many_arguments)] // one row's key and its four new values
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn renew_job(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
        owner: &str,
        lease_until: i64,
        bytes: i64,
        items: i64,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE exchange_jobs SET lease_until = $5, progress_bytes = $6, progress_items = $7 \
                   WHERE tenant_id = $1 AND batch_id = $2 AND name = $3 AND owner = $4 AND state = $8";
        let renewed = with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(batch)
                .bind(name)
                .bind(owner)
                .bind(lease_until)
                .bind(bytes)
                .bind(items)
                .bind(Running)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(renewed == 1)
    }

    /// Running jobs whose lease ended before `now` (their instance stopped renewing them),
    /// and with `now = i64::MAX` every running job.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn expired_jobs(&self, now: i64) -> Result<Vec<InterruptedJob>, StoreError> {
        let sql = "SELECT tenant_id, batch_id, name, started_at, owner, pinned_to, lease_until FROM exchange_jobs \
                   WHERE state = $2 AND lease_until < $1";
        let jobs = with_pool!(self, pool => {
            sqlx::query_as::<_, InterruptedJob>(sql).bind(now).bind(Running).fetch_all(pool).await
        })?;
        Ok(jobs)
    }

    /// Puts a running job of `owner` back in the queue (its instance died or handed it back);
    /// `false` when it is no longer `owner`'s.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn requeue_claimed_job(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
        owner: &str,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE exchange_jobs SET state = $5, owner = '', lease_until = 0, \
                   progress_bytes = 0, progress_items = 0 \
                   WHERE tenant_id = $1 AND batch_id = $2 AND name = $3 AND owner = $4 AND state = $6";
        let requeued = with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(batch)
                .bind(name)
                .bind(owner)
                .bind(Queued)
                .bind(Running)
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        Ok(requeued == 1)
    }

    /// A queued job's place in the queue (1 for the next to run), or `None` when it is not
    /// queued.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn queue_position(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
    ) -> Result<Option<i64>, StoreError> {
        let sql = "SELECT COUNT(*) FROM exchange_jobs q, exchange_jobs j \
                   WHERE j.tenant_id = $1 AND j.batch_id = $2 AND j.name = $3 AND j.state = $4 \
                   AND q.state = $4 AND (q.queued_at < j.queued_at OR (q.queued_at = j.queued_at \
                   AND (q.batch_id < j.batch_id OR (q.batch_id = j.batch_id AND q.name <= j.name))))";
        let place = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(tenant).bind(batch).bind(name).bind(Queued).fetch_one(pool).await
        })?;
        Ok((place > 0).then_some(place))
    }

    /// Whether a job of the tenant is queued or running.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn has_pending_jobs(&self, tenant: TenantId) -> Result<bool, StoreError> {
        let sql = "SELECT COUNT(*) FROM exchange_jobs WHERE tenant_id = $1 AND state IN ($2, $3)";
        let count = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(tenant).bind(Queued).bind(Running).fetch_one(pool).await
        })?;
        Ok(count > 0)
    }

    /// Whether a job of the batch is queued or running.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn batch_has_pending_jobs(
        &self,
        tenant: TenantId,
        batch: BatchId,
    ) -> Result<bool, StoreError> {
        let sql = "SELECT COUNT(*) FROM exchange_jobs WHERE tenant_id = $1 AND batch_id = $2 \
                   AND state IN ($3, $4)";
        let count = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(tenant).bind(batch).bind(Queued).bind(Running).fetch_one(pool).await
        })?;
        Ok(count > 0)
    }

    /// How many jobs are queued and running, every tenant.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn queue_depth(&self) -> Result<(i64, i64), StoreError> {
        let sql = "SELECT CAST(COALESCE(SUM(CASE WHEN state = $1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
                   CAST(COALESCE(SUM(CASE WHEN state = $2 THEN 1 ELSE 0 END), 0) AS BIGINT) \
                   FROM exchange_jobs WHERE state IN ($1, $2)";
        let depth = with_pool!(self, pool => {
            sqlx::query_as::<_, (i64, i64)>(sql).bind(Queued).bind(Running).fetch_one(pool).await
        })?;
        Ok(depth)
    }
}
