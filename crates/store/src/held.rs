//! Passes the safety brake held: listed for the owner, then applied (queued again, without the
//! brake) or discarded. A held job keeps its batch, and so its files, until then.

use crate::{BatchId, Db, JobState, StoreError, TenantId};

/// One held file of a pass.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HeldJob {
    pub batch_id: BatchId,
    /// The exchange it came in (its key, as the exchange history names it).
    pub exchange_key: String,
    /// The `filename` imported.
    pub name: String,
    /// What the client was told: why it was held.
    pub message: Option<String>,
    /// The brake's figures (JSON), for the file the brake stopped; `None` for a file held
    /// behind it.
    pub report: Option<String>,
    /// When it was held (Unix ms).
    pub held_at: i64,
}

impl Db {
    /// Every held file of a tenant, newest pass first, each pass's files in import order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn held_jobs(&self, tenant: TenantId) -> Result<Vec<HeldJob>, StoreError> {
        let sql = "SELECT j.batch_id, b.session_hash AS exchange_key, j.name, j.message, j.report, \
                   COALESCE(j.finished_at, j.started_at) AS held_at \
                   FROM exchange_jobs j JOIN exchange_batches b ON b.tenant_id = j.tenant_id AND b.id = j.batch_id \
                   WHERE j.tenant_id = $1 AND j.state = $2 ORDER BY j.batch_id DESC, j.started_at, j.name";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, HeldJob>(sql).bind(tenant).bind(JobState::Held).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The first held file of a batch, if the brake stopped one: the files after it wait too.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn held_file(
        &self,
        tenant: TenantId,
        batch: BatchId,
    ) -> Result<Option<String>, StoreError> {
        let sql = "SELECT name FROM exchange_jobs WHERE tenant_id = $1 AND batch_id = $2 AND state = $3 \
                   ORDER BY started_at, name LIMIT 1";
        let name = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(tenant).bind(batch).bind(JobState::Held).fetch_optional(pool).await
        })?;
        Ok(name)
    }

    /// Queues a batch's held files again, in their order from `at` (Unix ms), to be published
    /// whatever the brake says: the owner applied them. The names, in order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn release_held(
        &self,
        tenant: TenantId,
        batch: BatchId,
        at: i64,
    ) -> Result<Vec<String>, StoreError> {
        let held = "SELECT name FROM exchange_jobs WHERE tenant_id = $1 AND batch_id = $2 AND state = $3 \
                    ORDER BY started_at, name";
        let queue = "UPDATE exchange_jobs SET state = $5, owner = '', message = NULL, report = NULL, \
                     queued_at = $4, started_at = $4, finished_at = NULL, lease_until = 0, \
                     progress_bytes = 0, progress_items = 0, unbraked = TRUE \
                     WHERE tenant_id = $1 AND batch_id = $2 AND name = $3 AND state = $6";
        let names = write_tx!(self, tx => {
            let names = sqlx::query_scalar::<_, String>(held)
                .bind(tenant).bind(batch).bind(JobState::Held).fetch_all(&mut *tx).await?;
            for (offset, name) in (0_i64..).zip(&names) {
                sqlx::query(queue).bind(tenant).bind(batch).bind(name).bind(at + offset)
                    .bind(JobState::Queued).bind(JobState::Held).execute(&mut *tx).await?;
            }
            names
        });
        Ok(names)
    }

    /// Marks a batch's held files discarded with `message`: they will never be applied, and
    /// the batch is pruned like any other. How many.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn discard_held(
        &self,
        tenant: TenantId,
        batch: BatchId,
        message: &str,
    ) -> Result<u64, StoreError> {
        let sql = "UPDATE exchange_jobs SET state = $3, message = $5, finished_at = $6 \
                   WHERE tenant_id = $1 AND batch_id = $2 AND state = $4";
        let discarded = with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(batch).bind(JobState::Discarded).bind(JobState::Held)
                .bind(message).bind(crate::now_millis()).execute(pool).await.map(|done| done.rows_affected())
        })?;
        Ok(discarded)
    }
}
