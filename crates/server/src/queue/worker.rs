//! One worker: claim the next job, run it with its lease renewed and its progress recorded,
//! record the outcome; between jobs, take back the jobs of instances that stopped.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use tokio::sync::watch;
use vitrina_store::{ClaimScope, ClaimedJob, JobState, now_millis};

use super::source::{Refused, Upload, ZipPolicy, apply_document, apply_from_batch, job_source};
use super::{LEASE, POLL_EVERY, Queue, RENEW_EVERY, settle_or_requeue};
use crate::alerts::Kind;
use crate::catalog::import::{Document, Held, How};
use crate::catalog::import::{ImportReport, Progress, owner_alive};
use crate::domain::settings::Settings;
use crate::i18n::{Lang, Message};

pub(super) fn lease_end() -> i64 {
    now_millis() + i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX)
}

/// A worker's life: the next job or a short wait, until the queue stops.
pub(super) async fn work(queue: Arc<Queue>) {
    let mut stopping = queue.stopping.subscribe();
    while !*stopping.borrow() {
        if let Err(err) = reap(&queue).await {
            tracing::warn!(error = %err, "could not take back expired import jobs");
        }
        match queue
            .db
            .claim_job(&queue.owner, lease_end(), ClaimScope::Shared)
            .await
        {
            Ok(Some(job)) => {
                let progress = Arc::new(Progress::default());
                run(&queue, job, progress, &mut stopping).await;
            }
            Ok(None) => {
                tokio::select! {
                    () = queue.wake.notified() => {}
                    () = tokio::time::sleep(POLL_EVERY) => {}
                    _ = stopping.changed() => {}
                }
            }
            Err(err) => {
                tracing::error!(error = %err, "could not claim an import job");
                tokio::time::sleep(POLL_EVERY * 2).await;
            }
        }
    }
}

/// Jobs whose lease ran out: done if their import committed, else queued again.
/// Also fails the waiting jobs of command-line imports whose process stopped.
pub(super) async fn reap(queue: &Queue) -> Result<(), vitrina_store::StoreError> {
    let now = now_millis();
    // Those whose lease ran out, and those of a process of this host that is gone (a killed
    // command-line import) without waiting for their lease.
    let running = queue.db.expired_jobs(i64::MAX).await?;
    let stopped = running
        .into_iter()
        .filter(|job| job.owner != queue.owner)
        .filter(|job| job.lease_until < now || !owner_alive(&job.owner));
    for job in stopped {
        let done = settle_or_requeue(&queue.db, &job).await?;
        tracing::warn!(job = %job.name, owner = %job.owner, done, "took back an import job whose lease ran out");
    }
    let message = Message::CliImportInterrupted.text(Lang::Ru);
    let abandoned = queue.db.fail_abandoned_jobs(now, &message).await?;
    if abandoned > 0 {
        tracing::warn!(
            abandoned,
            "failed the waiting jobs of a stopped command-line import"
        );
    }
    Ok(())
}

/// How a claimed job left its worker.
pub(super) enum Ran {
    /// It ended, as recorded in its row.
    Ended(Box<Result<ImportReport, Message>>),
    /// It went back to the queue: the process stops, or another import of the shop held it.
    HandedBack,
}

#[tracing::instrument(skip_all, fields(tenant = %job.tenant_id, batch = job.batch_id.0, file = %job.name))]
pub(super) async fn run(
    queue: &Queue,
    job: ClaimedJob,
    progress: Arc<Progress>,
    stopping: &mut watch::Receiver<bool>,
) -> Ran {
    let renewing = tokio::spawn(renew(
        queue.db.clone(),
        job.clone(),
        queue.owner.clone(),
        progress.clone(),
    ));
    let db = &queue.db;
    let (tenant, batch, name, owner) = (job.tenant_id, job.batch_id, &job.name, &queue.owner);
    let stop = async {
        // The guard the wait returns is not Send: dropped here, before anything else awaits.
        let _ = stopping.wait_for(|stop| *stop).await.map(drop);
    };
    let outcome = tokio::select! {
        outcome = import(queue, &job, progress.clone()) => outcome,
        // The process stops: nothing was published (the import is all or nothing), so the
        // job goes back to the queue for another worker.
        () = stop => {
            renewing.abort();
            match db.requeue_claimed_job(tenant, batch, name, owner).await {
                Ok(_) => tracing::info!("handed an import job back: the process stops"),
                Err(err) => tracing::error!(error = %err, "could not hand an import job back"),
            }
            return Ran::HandedBack;
        }
    };
    renewing.abort();
    let seconds = (now_millis() - job.started_at) as f64 / 1000.0;
    let waited = (job.started_at - job.queued_at).max(0) as f64 / 1000.0;
    let bytes = progress.bytes.load(Ordering::Relaxed);
    let recorded = match &outcome {
        // Another import of the shop holds it (one left by a process of an older version):
        // wait in the queue.
        Err(Refused::Failed(Message::ImportBusy)) => {
            tokio::time::sleep(POLL_EVERY * 2).await;
            let requeued = db.requeue_claimed_job(tenant, batch, name, owner).await;
            if let Err(err) = requeued {
                tracing::error!(error = %err, "could not hand an import job back");
            }
            return Ran::HandedBack;
        }
        Ok(report) => {
            queue.metrics.job(JobState::Done, seconds, waited, bytes);
            let json = serde_json::to_string(report).ok();
            let summary = report.summary(Lang::Ru);
            db.finish_job(
                tenant,
                batch,
                name,
                owner,
                JobState::Done,
                &summary,
                json.as_deref(),
            )
            .await
        }
        Err(Refused::Held(held)) => {
            queue.metrics.job(JobState::Held, seconds, waited, bytes);
            let json = serde_json::to_string(held).ok();
            let text = held.message().text(Lang::Ru);
            db.finish_job(
                tenant,
                batch,
                name,
                owner,
                JobState::Held,
                &text,
                json.as_deref(),
            )
            .await
        }
        Err(Refused::Failed(message)) => {
            queue.metrics.job(JobState::Failed, seconds, waited, bytes);
            let text = message.text(Lang::Ru);
            db.finish_job(tenant, batch, name, owner, JobState::Failed, &text, None)
                .await
        }
    };
    if let Err(err) = recorded {
        tracing::error!(error = %err, "could not record the end of an import job");
    }
    // The exchange's own imports raise and clear alerts (a command-line import is watched
    // by whoever runs it).
    if job.pinned_to.is_none() {
        match &outcome {
            Ok(_) => {
                crate::alerts::clear(db, tenant, Kind::ImportFailed).await;
                crate::alerts::clear(db, tenant, Kind::NoExchange).await;
            }
            Err(Refused::Held(held)) => {
                crate::alerts::open(db, tenant, Kind::PassHeld, &held.message()).await;
            }
            Err(Refused::Failed(message)) => {
                let what = Message::AlertImportFailed {
                    file: name.clone(),
                    reason: Box::new(message.clone()),
                };
                crate::alerts::open(db, tenant, Kind::ImportFailed, &what).await;
            }
        }
    }
    Ran::Ended(Box::new(outcome.map_err(|refused| refused.message())))
}

/// Applies the job's file: from its batch, or for a command-line import from the local path
/// it names. A file of a pass the brake held waits with it.
async fn import(
    queue: &Queue,
    job: &ClaimedJob,
    progress: Arc<Progress>,
) -> Result<ImportReport, Refused> {
    let internal = |err: &dyn std::fmt::Display| {
        tracing::error!(error = %err, "an import job could not start");
        Refused::Failed(Message::Internal)
    };
    let db = &queue.db;
    let source = job_source(job.batch_id, &job.name);
    if job.pinned_to.is_some() {
        let document = Document::file(std::path::Path::new(&job.name));
        let shown = document.name.clone();
        // The operator asked for this file by name: no brake.
        let how = How {
            source: Some(&source),
            brake: false,
        };
        return apply_document(
            db,
            &queue.files,
            job.tenant_id,
            (&document, &shown),
            how,
            progress,
        )
        .await;
    }
    let held = db
        .held_file(job.tenant_id, job.batch_id)
        .await
        .map_err(|e| internal(&e))?;
    if let Some(file) = held {
        return Err(Refused::Held(Box::new(Held::behind(file))));
    }
    let files = db
        .batch_files(job.tenant_id, job.batch_id)
        .await
        .map_err(|e| internal(&e))?;
    let settings = Settings::load(db, job.tenant_id)
        .await
        .map_err(|e| internal(&e))?;
    let upload = Upload {
        tenant: job.tenant_id,
        batch: job.batch_id,
        files: &files,
        zip: ZipPolicy::of(&settings.exchange),
    };
    let name = (job.name.as_str(), !job.unbraked);
    apply_from_batch(db, &queue.files, &upload, name, progress).await
}

/// Every second: the lease renewed and the progress recorded, until the job ends or is lost.
async fn renew(db: vitrina_store::Db, job: ClaimedJob, owner: String, progress: Arc<Progress>) {
    loop {
        tokio::time::sleep(RENEW_EVERY).await;
        let bytes = progress.bytes.load(Ordering::Relaxed);
        let items = progress.items.load(Ordering::Relaxed);
        let renewed = db
            .renew_job(
                job.tenant_id,
                job.batch_id,
                &job.name,
                &owner,
                lease_end(),
                i64::try_from(bytes).unwrap_or(i64::MAX),
                i64::try_from(items).unwrap_or(i64::MAX),
            )
            .await;
        match renewed {
            Ok(true) => {}
            Ok(false) => {
                tracing::warn!("the import job was taken back: its lease had run out");
                return;
            }
            Err(err) => tracing::warn!(error = %err, "could not renew an import job's lease"),
        }
    }
}
