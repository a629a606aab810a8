//! Exchange sessions of 1C and MoySklad clients.

use crate::{Db, EmployeeId, JobState, StoreError, TenantId, now_millis};

/// A live exchange session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeSession {
    /// The employee who signed in with `checkauth`.
    pub employee_id: EmployeeId,
    /// Unix ms after which the session is no longer accepted.
    pub expires_at: i64,
}

impl Db {
    /// Stores a new session under the hash of its token.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn create_exchange_session(
        &self,
        tenant: TenantId,
        token_hash: &str,
        employee: EmployeeId,
        client_ip: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO exchange_sessions (tenant_id, token_hash, employee_id, client_ip, \
                   created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)";
        with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(token_hash)
                .bind(employee)
                .bind(client_ip)
                .bind(now_millis())
                .bind(expires_at)
                .execute(pool)
                .await
                .map(drop)
        })?;
        Ok(())
    }

    /// The unexpired session with this token hash, if any.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn find_exchange_session(
        &self,
        tenant: TenantId,
        token_hash: &str,
    ) -> Result<Option<ExchangeSession>, StoreError> {
        let sql = "SELECT employee_id, expires_at FROM exchange_sessions \
                   WHERE tenant_id = $1 AND token_hash = $2 AND expires_at > $3";
        let found = with_pool!(self, pool => {
            sqlx::query_as::<_, ExchangeSession>(sql)
                .bind(tenant)
                .bind(token_hash)
                .bind(now_millis())
                .fetch_optional(pool)
                .await
        })?;
        Ok(found)
    }
}

/// An upload batch (`init` opens one per session).
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::Type)]
#[sqlx(transparent)]
pub struct BatchId(pub i64);

/// What a batch and one of its files hold so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UploadTotals {
    /// Bytes of the whole batch.
    pub batch_bytes: i64,
    /// Bytes of the named file.
    pub file_bytes: i64,
    /// Parts of the named file.
    pub file_parts: i64,
}

impl Db {
    /// Opens a new upload batch for the session with this token hash.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn open_batch(
        &self,
        tenant: TenantId,
        session_hash: &str,
    ) -> Result<BatchId, StoreError> {
        let sql = "INSERT INTO exchange_batches (tenant_id, session_hash, bytes, created_at) \
                   VALUES ($1, $2, 0, $3) RETURNING id";
        let id = with_pool!(self, pool => {
            sqlx::query_scalar::<_, BatchId>(sql)
                .bind(tenant)
                .bind(session_hash)
                .bind(now_millis())
                .fetch_one(pool)
                .await
        })?;
        Ok(id)
    }

    /// The latest batch of a session, if `init` was called.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn current_batch(
        &self,
        tenant: TenantId,
        session_hash: &str,
    ) -> Result<Option<BatchId>, StoreError> {
        let sql = "SELECT id FROM exchange_batches WHERE tenant_id = $1 AND session_hash = $2 \
                   ORDER BY id DESC LIMIT 1";
        let id = with_pool!(self, pool => {
            sqlx::query_scalar::<_, BatchId>(sql).bind(tenant).bind(session_hash).fetch_optional(pool).await
        })?;
        Ok(id)
    }

    /// What the batch and the named file hold so far.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn upload_totals(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
    ) -> Result<UploadTotals, StoreError> {
        let batch_sql = "SELECT bytes FROM exchange_batches WHERE tenant_id = $1 AND id = $2";
        let file_sql = "SELECT bytes, parts FROM exchange_files WHERE tenant_id = $1 AND batch_id = $2 AND name = $3";
        let (batch_bytes, file) = with_pool!(self, pool => {
            let batch_bytes = sqlx::query_scalar::<_, i64>(batch_sql).bind(tenant).bind(batch).fetch_one(pool).await?;
            let file = sqlx::query_as::<_, (i64, i64)>(file_sql)
                .bind(tenant)
                .bind(batch)
                .bind(name)
                .fetch_optional(pool)
                .await?;
            Ok::<_, sqlx::Error>((batch_bytes, file))
        })?;
        let (file_bytes, file_parts) = file.unwrap_or((0, 0));
        Ok(UploadTotals {
            batch_bytes,
            file_bytes,
            file_parts,
        })
    }

    /// Records one more part of `bytes` bytes of the named file, in one transaction.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn record_part(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
        bytes: i64,
    ) -> Result<(), StoreError> {
        let file = "INSERT INTO exchange_files (tenant_id, batch_id, name, parts, bytes, updated_at) \
                    VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (tenant_id, batch_id, name) DO UPDATE SET \
                    parts = exchange_files.parts + 1, bytes = exchange_files.bytes + excluded.bytes, \
                    updated_at = excluded.updated_at";
        let batch_sql =
            "UPDATE exchange_batches SET bytes = bytes + $3 WHERE tenant_id = $1 AND id = $2";
        let now = now_millis();
        write_tx!(self, tx => {
            sqlx::query(file).bind(tenant).bind(batch).bind(name).bind(bytes).bind(now).execute(&mut *tx).await?;
            sqlx::query(batch_sql).bind(tenant).bind(batch).bind(bytes).execute(&mut *tx).await?;
        });
        Ok(())
    }
}

/// A background import of one file of a batch.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeJob {
    pub state: JobState,
    /// What to tell the client when it ended.
    pub message: Option<String>,
    /// Bytes of the document read so far (written by the running worker).
    pub progress_bytes: i64,
    /// Items read so far.
    pub progress_items: i64,
}

impl Db {
    /// Every file of a batch with its part count.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn batch_files(
        &self,
        tenant: TenantId,
        batch: BatchId,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let sql = "SELECT name, parts FROM exchange_files WHERE tenant_id = $1 AND batch_id = $2 ORDER BY name";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, (String, i64)>(sql).bind(tenant).bind(batch).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Every file of a batch with its size in bytes, by name.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn batch_uploads(
        &self,
        tenant: TenantId,
        batch: BatchId,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let sql = "SELECT name, bytes FROM exchange_files WHERE tenant_id = $1 AND batch_id = $2 ORDER BY name";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, (String, i64)>(sql).bind(tenant).bind(batch).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The job importing `name` of a batch, if one was started.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn find_job(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
    ) -> Result<Option<ExchangeJob>, StoreError> {
        let sql = "SELECT state, message, progress_bytes, progress_items FROM exchange_jobs \
                   WHERE tenant_id = $1 AND batch_id = $2 AND name = $3";
        let job = with_pool!(self, pool => {
            sqlx::query_as::<_, ExchangeJob>(sql).bind(tenant).bind(batch).bind(name).fetch_optional(pool).await
        })?;
        Ok(job)
    }

    /// Ends a running job of `owner`: `done` or `failed`, with what to tell the client and, for
    /// a done one, the import's report (JSON). A job no longer `owner`'s (its lease ran out
    /// and it was claimed again) is left alone.
    #[allow(clippy::too_many_arguments)] // one row's key, its claimant and three new values
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn finish_job(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
        owner: &str,
        state: JobState,
        message: &str,
        report: Option<&str>,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE exchange_jobs SET state = $4, message = $5, finished_at = $6, report = $7 \
                   WHERE tenant_id = $1 AND batch_id = $2 AND name = $3 AND owner = $8 \
                   AND state = $9";
        with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(batch)
                .bind(name)
                .bind(state)
                .bind(message)
                .bind(now_millis())
                .bind(report)
                .bind(owner)
                .bind(JobState::Running)
                .execute(pool)
                .await
                .map(drop)
        })?;
        Ok(())
    }
}

impl Db {
    /// How many files of a batch were imported successfully.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn done_jobs(&self, tenant: TenantId, batch: BatchId) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM exchange_jobs WHERE tenant_id = $1 AND batch_id = $2 AND state = $3";
        let count = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(tenant).bind(batch).bind(JobState::Done).fetch_one(pool).await
        })?;
        Ok(count)
    }
}

impl Db {
    /// The processes that left anything marked running: exchange jobs and imports, every tenant.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn running_owners(&self) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT owner FROM exchange_jobs WHERE state = $1 \
                   UNION SELECT owner FROM imports WHERE state = $1";
        let owners = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(JobState::Running).fetch_all(pool).await
        })?;
        Ok(owners)
    }

    /// Marks everything `owner` (a process known to be gone) left running as failed, the
    /// exchange jobs with `message`; how many rows changed.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn fail_runs_of(&self, owner: &str, message: &str) -> Result<u64, StoreError> {
        let now = now_millis();
        let jobs = "UPDATE exchange_jobs SET state = $4, message = $2, finished_at = $3 \
                    WHERE state = $5 AND owner = $1";
        let imports = "UPDATE imports SET state = $3, finished_at = $2, \
                       report = '{\"error\":\"interrupted\"}' WHERE state = $4 AND owner = $1";
        let changed = write_tx!(self, tx => {
            let jobs = sqlx::query(jobs).bind(owner).bind(message).bind(now).bind(JobState::Failed).bind(JobState::Running).execute(&mut *tx).await?;
            let imports = sqlx::query(imports).bind(owner).bind(now).bind(JobState::Failed).bind(JobState::Running).execute(&mut *tx).await?;
            jobs.rows_affected() + imports.rows_affected()
        });
        Ok(changed)
    }
}

words! {
    /// How an exchange call was answered (`exchange_log.outcome`).
    #[derive(Default)]
    pub enum CallOutcome {
        Success = "success",
        /// Not yet: the client asks again.
        Progress = "progress",
        #[default]
        Failure = "failure",
    }
}
sql_word!(CallOutcome);

/// One call of the exchange endpoint.
#[derive(Debug, Clone, Default, PartialEq, Eq, sqlx::FromRow)]
pub struct LoggedCall {
    /// The exchange (session) it belongs to.
    pub exchange_key: String,
    /// Unix ms.
    pub at: i64,
    /// Client address.
    pub client_ip: String,
    /// The employee's email, once known.
    pub employee: Option<String>,
    /// `catalog` or `sale`.
    pub kind: String,
    /// `checkauth`, `init`, `file`, `import`, …
    pub mode: String,
    /// The `filename` parameter.
    pub filename: Option<String>,
    /// Bytes received (`file`).
    pub bytes: Option<i64>,
    pub outcome: CallOutcome,
    /// The answer's text after the keyword.
    pub message: Option<String>,
    /// How many calls this row stands for (refused calls are kept one row per address and
    /// hour; every other row is one call).
    pub repeats: i64,
}

/// One exchange in the history list.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeSummary {
    /// The exchange key.
    pub exchange_key: String,
    /// First call, Unix ms.
    pub started_at: i64,
    /// Last call, Unix ms.
    pub last_at: i64,
    /// Calls made.
    pub calls: i64,
    /// Failed calls.
    pub failures: i64,
    /// Bytes uploaded.
    pub bytes: i64,
    /// The employee.
    pub employee: Option<String>,
    /// The client address of the first call.
    pub client_ip: String,
}

impl Db {
    /// Records one call.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn log_exchange_call(
        &self,
        tenant: TenantId,
        call: &LoggedCall,
    ) -> Result<(), StoreError> {
        self.insert_call(tenant, call, false).await
    }

    /// Records a call nobody signed in for, aggregated: the first call of its key (an address
    /// and an hour) is stored, later ones only counted, so strangers cannot grow the history.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn log_refused_call(
        &self,
        tenant: TenantId,
        call: &LoggedCall,
    ) -> Result<(), StoreError> {
        self.insert_call(tenant, call, true).await
    }

    async fn insert_call(
        &self,
        tenant: TenantId,
        call: &LoggedCall,
        refused: bool,
    ) -> Result<(), StoreError> {
        // Only refused rows are unique by key (a partial index): others never conflict.
        let sql = "INSERT INTO exchange_log (tenant_id, exchange_key, at, client_ip, employee, kind, mode, \
                   filename, bytes, outcome, message, refused) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
                   ON CONFLICT (tenant_id, exchange_key) WHERE refused \
                   DO UPDATE SET repeats = exchange_log.repeats + 1, at = excluded.at";
        with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(&call.exchange_key)
                .bind(call.at)
                .bind(&call.client_ip)
                .bind(&call.employee)
                .bind(&call.kind)
                .bind(&call.mode)
                .bind(&call.filename)
                .bind(call.bytes)
                .bind(call.outcome)
                .bind(&call.message)
                .bind(refused)
                .execute(pool)
                .await
                .map(drop)
        })?;
        Ok(())
    }

    /// The tenant's exchanges, newest first.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn list_exchanges(
        &self,
        tenant: TenantId,
        limit: i64,
    ) -> Result<Vec<ExchangeSummary>, StoreError> {
        let sql = "SELECT exchange_key, MIN(at) AS started_at, MAX(at) AS last_at, CAST(SUM(repeats) AS BIGINT) AS calls, \
                   CAST(SUM(CASE WHEN outcome = $3 THEN repeats ELSE 0 END) AS BIGINT) AS failures, \
                   CAST(COALESCE(SUM(bytes), 0) AS BIGINT) AS bytes, MAX(employee) AS employee, \
                   MIN(client_ip) AS client_ip \
                   FROM exchange_log WHERE tenant_id = $1 GROUP BY exchange_key \
                   ORDER BY MAX(at) DESC LIMIT $2";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, ExchangeSummary>(sql).bind(tenant).bind(limit).bind(CallOutcome::Failure).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The calls of the exchange whose key starts with `prefix`, in order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn exchange_calls(
        &self,
        tenant: TenantId,
        prefix: &str,
    ) -> Result<Vec<LoggedCall>, StoreError> {
        let sql = "SELECT exchange_key, at, client_ip, employee, kind, mode, filename, bytes, outcome, message, repeats \
                   FROM exchange_log WHERE tenant_id = $1 AND exchange_key LIKE $2 ORDER BY at, mode";
        let pattern = format!("{}%", prefix.replace(['%', '_', '\\'], ""));
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, LoggedCall>(sql).bind(tenant).bind(&pattern).fetch_all(pool).await
        })?;
        Ok(rows)
    }
}

/// One file an exchange imported (or tried to).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeImport {
    /// The upload batch it came from.
    pub batch_id: BatchId,
    /// The `filename` imported.
    pub name: String,
    pub state: JobState,
    /// What the client was told.
    pub message: Option<String>,
    /// The catalog engine's report (JSON), for a done import.
    pub report: Option<String>,
    /// Unix ms.
    pub started_at: i64,
    /// Unix ms, once ended.
    pub finished_at: Option<i64>,
    /// Bytes read so far, while it runs.
    pub progress_bytes: i64,
    /// Items read so far, while it runs.
    pub progress_items: i64,
}

impl Db {
    /// The imports of the exchange whose key starts with `prefix`, in the order they started.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn exchange_imports(
        &self,
        tenant: TenantId,
        prefix: &str,
    ) -> Result<Vec<ExchangeImport>, StoreError> {
        let sql = "SELECT j.batch_id, j.name, j.state, j.message, j.report, j.started_at, j.finished_at, \
                   j.progress_bytes, j.progress_items \
                   FROM exchange_jobs j JOIN exchange_batches b \
                   ON b.tenant_id = j.tenant_id AND b.id = j.batch_id \
                   WHERE j.tenant_id = $1 AND b.session_hash LIKE $2 ORDER BY j.started_at, j.name";
        let pattern = format!("{}%", prefix.replace(['%', '_', '\\'], ""));
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, ExchangeImport>(sql).bind(tenant).bind(&pattern).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The newest batch of the exchange whose key starts with `prefix`.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn batch_of_exchange(
        &self,
        tenant: TenantId,
        prefix: &str,
    ) -> Result<Option<BatchId>, StoreError> {
        let sql = "SELECT id FROM exchange_batches WHERE tenant_id = $1 AND session_hash LIKE $2 \
                   ORDER BY id DESC LIMIT 1";
        let pattern = format!("{}%", prefix.replace(['%', '_', '\\'], ""));
        let id = with_pool!(self, pool => {
            sqlx::query_scalar::<_, BatchId>(sql).bind(tenant).bind(&pattern).fetch_optional(pool).await
        })?;
        Ok(id)
    }

    /// The files a batch imported (or tried to), in the order the client asked.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn batch_imports(
        &self,
        tenant: TenantId,
        batch: BatchId,
    ) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT name FROM exchange_jobs WHERE tenant_id = $1 AND batch_id = $2 ORDER BY started_at, name";
        let names = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(tenant).bind(batch).fetch_all(pool).await
        })?;
        Ok(names)
    }
}

impl Db {
    /// Batches of a tenant opened before `before` (Unix ms), oldest first, but those holding a
    /// held pass.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn batches_before(
        &self,
        tenant: TenantId,
        before: i64,
    ) -> Result<Vec<BatchId>, StoreError> {
        // A held pass keeps its files until the owner applies or discards it.
        let sql = "SELECT b.id FROM exchange_batches b WHERE b.tenant_id = $1 AND b.created_at < $2 \
                   AND NOT EXISTS (SELECT 1 FROM exchange_jobs j WHERE j.tenant_id = b.tenant_id \
                   AND j.batch_id = b.id AND j.state = $3) ORDER BY b.id";
        let ids = with_pool!(self, pool => {
            sqlx::query_scalar::<_, BatchId>(sql).bind(tenant).bind(before).bind(JobState::Held).fetch_all(pool).await
        })?;
        Ok(ids)
    }

    /// Forgets a batch: its jobs, files and row (its parts in the file store are the caller's).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn delete_batch(&self, tenant: TenantId, batch: BatchId) -> Result<(), StoreError> {
        write_tx!(self, tx => {
            for sql in [
                "DELETE FROM exchange_jobs WHERE tenant_id = $1 AND batch_id = $2",
                "DELETE FROM exchange_files WHERE tenant_id = $1 AND batch_id = $2",
                "DELETE FROM exchange_batches WHERE tenant_id = $1 AND id = $2",
            ] {
                sqlx::query(sql).bind(tenant).bind(batch).execute(&mut *tx).await?;
            }
        });
        Ok(())
    }
}

/// An exchange job left running by a process that is gone.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct InterruptedJob {
    pub tenant_id: TenantId,
    pub batch_id: BatchId,
    pub name: String,
    pub started_at: i64,
    /// The process that claimed it.
    pub owner: String,
    /// The process that alone could run it (a command-line import).
    pub pinned_to: Option<String>,
    /// When its claim ends unless renewed (Unix ms).
    pub lease_until: i64,
}

impl Db {
    /// The exchange jobs `owner` left marked running, every tenant.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn running_jobs_of(&self, owner: &str) -> Result<Vec<InterruptedJob>, StoreError> {
        let sql = "SELECT tenant_id, batch_id, name, started_at, owner, pinned_to, lease_until FROM exchange_jobs \
                   WHERE state = $2 AND owner = $1";
        let jobs = with_pool!(self, pool => {
            sqlx::query_as::<_, InterruptedJob>(sql).bind(owner).bind(JobState::Running).fetch_all(pool).await
        })?;
        Ok(jobs)
    }

    /// The report of the newest import started by `source` at or after `since` that
    /// committed, if one did: what a job's outcome is after its process died.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn committed_import(
        &self,
        tenant: TenantId,
        source: &str,
        since: i64,
    ) -> Result<Option<String>, StoreError> {
        let sql = "SELECT COALESCE(report, '') FROM imports WHERE tenant_id = $1 AND source = $2 \
                   AND started_at >= $3 AND state = $4 ORDER BY id DESC LIMIT 1";
        let report = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(tenant).bind(source).bind(since).bind(JobState::Done).fetch_optional(pool).await
        })?;
        Ok(report)
    }
}
