//! Imports as a bounded queue in the database: exchange imports, re-runs and command-line
//! imports are jobs, enqueued by whichever instance the client reached, claimed by workers of
//! any instance under a lease, at most one job of a tenant at a time and at most
//! `--import-workers` per instance. A command-line import's jobs read local files, so they are
//! pinned to its process, which runs them itself in the tenant's turn ([`Queue::drain`]). A running job's progress lives in its row, so any instance answers `progress`;
//! a job whose lease ran out (its instance died) is run again from the stored upload, unless
//! its import had already committed.
//!
//! Workers draw their connections from the imports' own pool ([`crate::bootstrap::Storage`]),
//! so requests never wait behind imports.

mod source;
mod worker;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use vitrina_store::{
    BatchId, ClaimScope, Db, InterruptedJob, JobState, StoreError, TenantId, now_millis,
};

use crate::catalog::import::{ImportReport, Progress, owner};
use crate::domain::DomainError;
use crate::files::Files;
use crate::i18n::{Lang, Message};
use crate::metrics::Metrics;

pub use source::{ZipPolicy, is_zip, job_source, part_key};

/// How long a claim holds without renewal: an instance that stops renewing (it died) loses
/// its jobs this long after its last renewal.
pub const LEASE: Duration = Duration::from_secs(30);
/// How often a running job renews its lease and records its progress.
const RENEW_EVERY: Duration = Duration::from_secs(1);
/// How often an idle worker looks for work queued by another instance.
const POLL_EVERY: Duration = Duration::from_millis(500);

/// The queue as one instance sees it. Cheap to share.
#[derive(Debug)]
pub struct Queue {
    /// The imports' pool.
    db: Db,
    files: Files,
    /// Wakes idle workers of this instance when it queues something.
    wake: Notify,
    /// This process, as job rows name their claimant.
    owner: String,
    /// Set when the process stops: workers hand their jobs back and end.
    stopping: watch::Sender<bool>,
    workers: std::sync::Mutex<Vec<JoinHandle<()>>>,
    metrics: Arc<Metrics>,
}

impl Queue {
    /// The queue over the imports' pool and the file store.
    pub fn new(db: Db, files: Files, metrics: Arc<Metrics>) -> Arc<Self> {
        Arc::new(Self {
            db,
            files,
            wake: Notify::new(),
            owner: owner(),
            stopping: watch::Sender::new(false),
            workers: std::sync::Mutex::new(Vec::new()),
            metrics,
        })
    }

    /// Queues the import of `name` from `batch` unless a job for it exists; `true` when this
    /// call queued it.
    pub async fn enqueue(
        &self,
        tenant: TenantId,
        batch: BatchId,
        name: &str,
    ) -> Result<bool, StoreError> {
        let queued = self.db.enqueue_job(tenant, batch, name).await?;
        self.wake.notify_waiters();
        Ok(queued)
    }

    /// Queues the imports of a batch again, in this order (a re-run).
    pub async fn requeue(
        &self,
        tenant: TenantId,
        batch: BatchId,
        names: &[String],
    ) -> Result<(), StoreError> {
        let now = now_millis();
        for (offset, name) in (0_i64..).zip(names) {
            self.db
                .requeue_job(tenant, batch, name, now + offset)
                .await?;
        }
        self.wake.notify_waiters();
        Ok(())
    }

    /// Queues imports of local files, in this order, that only this process can read (a
    /// command-line import) into a new batch; run them with [`Queue::drain`].
    pub async fn enqueue_local(
        &self,
        tenant: TenantId,
        paths: &[String],
    ) -> Result<BatchId, StoreError> {
        let batch = self
            .db
            .open_batch(tenant, &format!("cli:{}", self.owner))
            .await?;
        let now = now_millis();
        for (offset, path) in (0_i64..).zip(paths) {
            let at = (now + offset, worker::lease_end());
            self.db
                .enqueue_pinned_job(tenant, batch, path, &self.owner, at)
                .await?;
        }
        Ok(batch)
    }

    /// Runs the queued jobs of `batch` from this process, each when the tenant's turn comes,
    /// until none of them waits or runs (a job of the batch that another instance claimed is
    /// waited for). `started` gives each job this process starts its progress counter;
    /// `ended` hears how it ended.
    pub async fn drain(
        &self,
        tenant: TenantId,
        batch: BatchId,
        mut started: impl FnMut(&str) -> Arc<Progress>,
        mut ended: impl FnMut(&str, Result<ImportReport, Message>),
    ) -> Result<(), StoreError> {
        let mut stopping = self.stopping.subscribe();
        let scope = ClaimScope::Batch(tenant, batch);
        loop {
            if let Some(job) = self
                .db
                .claim_job(&self.owner, worker::lease_end(), scope)
                .await?
            {
                let name = job.name.clone();
                let progress = started(&name);
                if let worker::Ran::Ended(outcome) =
                    worker::run(self, job, progress, &mut stopping).await
                {
                    ended(&name, *outcome);
                }
                continue;
            }
            if !self.db.batch_has_pending_jobs(tenant, batch).await? {
                return Ok(());
            }
            // Waiting for the tenant's turn: say this process is alive, and free the turn
            // if a stopped process holds it.
            self.db
                .renew_waiting_jobs(&self.owner, worker::lease_end())
                .await?;
            worker::reap(self).await?;
            tokio::time::sleep(POLL_EVERY / 2).await;
        }
    }

    /// The imports' pool.
    pub fn pool(&self) -> &Db {
        &self.db
    }

    /// Whether the imports' pool reaches the database.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.db.ping().await
    }

    /// Starts `count` workers; they run until [`Queue::stop`].
    pub fn start_workers(self: &Arc<Self>, count: usize) {
        let mut workers = self.workers.lock().unwrap_or_else(|e| e.into_inner());
        for _ in 0..count.max(1) {
            workers.push(tokio::spawn(worker::work(self.clone())));
        }
    }

    /// Stops the workers: each hands its running job back to the queue at once (another
    /// instance, or this one when it starts again, runs it from the stored upload) and ends.
    /// Returns when they all have, or after `patience`.
    pub async fn stop(&self, patience: Duration) {
        self.stopping.send_replace(true);
        let workers = std::mem::take(&mut *self.workers.lock().unwrap_or_else(|e| e.into_inner()));
        let all = futures_util::future::join_all(workers);
        if tokio::time::timeout(patience, all).await.is_err() {
            tracing::warn!("import workers did not stop in time");
        }
    }
}

/// Takes back what the process `owner` left running: each job done (its import committed) or
/// queued again, and its imports marked interrupted.
pub async fn take_back(db: &Db, owner: &str) -> Result<(), StoreError> {
    for job in db.running_jobs_of(owner).await? {
        let done = settle_or_requeue(db, &job).await?;
        tracing::warn!(%owner, job = %job.name, done, "took back an import job of a stopped process");
    }
    let message = Message::ExchangeImportInterrupted.text(Lang::Ru);
    let failed = db.fail_runs_of(owner, &message).await?;
    if failed > 0 {
        tracing::warn!(%owner, failed, "marked the imports of a stopped process as interrupted");
    }
    Ok(())
}

/// Settles a job whose claimant stopped: `done` with its import's report if that import
/// committed (the catalog changed, whatever the client was last told), else back in the
/// queue to run again from the stored upload (or failed, for a command-line import whose
/// local file nobody else can read). Whether it ended done.
pub async fn settle_or_requeue(db: &Db, job: &InterruptedJob) -> Result<bool, StoreError> {
    let source = job_source(job.batch_id, &job.name);
    match db
        .committed_import(job.tenant_id, &source, job.started_at)
        .await?
    {
        Some(json) => {
            let summary = serde_json::from_str::<ImportReport>(&json)
                .map(|report| report.summary(Lang::Ru))
                .unwrap_or_default();
            db.finish_job(
                job.tenant_id,
                job.batch_id,
                &job.name,
                &job.owner,
                JobState::Done,
                &summary,
                Some(&json),
            )
            .await?;
            Ok(true)
        }
        None if job.pinned_to.is_some() => {
            let message = Message::CliImportInterrupted.text(Lang::Ru);
            db.finish_job(
                job.tenant_id,
                job.batch_id,
                &job.name,
                &job.owner,
                JobState::Failed,
                &message,
                None,
            )
            .await?;
            Ok(false)
        }
        None => {
            db.requeue_claimed_job(job.tenant_id, job.batch_id, &job.name, &job.owner)
                .await?;
            Ok(false)
        }
    }
}

/// Queues the files a batch imported again, in the order the client imported them, each as
/// its job again (the history then shows the new outcomes). Refused while an import of the
/// shop is queued or running.
pub async fn rerun(
    queue: &Queue,
    tenant: TenantId,
    batch: BatchId,
) -> Result<Vec<String>, DomainError> {
    let db = queue.pool();
    if db.has_pending_jobs(tenant).await? {
        return Err(DomainError::Conflict(Message::ImportBusy));
    }
    let names = db.batch_imports(tenant, batch).await?;
    if names.is_empty() {
        return Err(DomainError::NotFound(Message::NothingToRerun {
            id: batch.0.to_string(),
        }));
    }
    queue.requeue(tenant, batch, &names).await?;
    Ok(names)
}

/// A held pass of `tenant`: the batch of the exchange `id` names (as the history shows it).
pub async fn held_batch(db: &Db, tenant: TenantId, id: &str) -> Result<BatchId, DomainError> {
    let nothing = || DomainError::NotFound(Message::NothingHeld { id: id.to_owned() });
    let batch = db
        .batch_of_exchange(tenant, id)
        .await?
        .ok_or_else(nothing)?;
    match db.held_file(tenant, batch).await? {
        Some(_) => Ok(batch),
        None => Err(nothing()),
    }
}

/// "Применить": queues a held pass's files again, in their order, to be published whatever
/// the brake says. Their names.
pub async fn release(
    queue: &Queue,
    tenant: TenantId,
    batch: BatchId,
) -> Result<Vec<String>, DomainError> {
    let names = queue.db.release_held(tenant, batch, now_millis()).await?;
    queue.wake.notify_waiters();
    clear_held_alert(&queue.db, tenant).await?;
    Ok(names)
}

/// "Отменить": a held pass will never be applied; its batch is pruned like any other.
pub async fn discard(db: &Db, tenant: TenantId, batch: BatchId) -> Result<u64, DomainError> {
    let message = Message::PassDiscarded.text(Lang::Ru);
    let discarded = db.discard_held(tenant, batch, &message).await?;
    clear_held_alert(db, tenant).await?;
    Ok(discarded)
}

/// The "pass held" alert clears once no pass of the shop is held.
async fn clear_held_alert(db: &Db, tenant: TenantId) -> Result<(), DomainError> {
    if db.held_jobs(tenant).await?.is_empty() {
        crate::alerts::clear(db, tenant, crate::alerts::Kind::PassHeld).await;
    }
    Ok(())
}
