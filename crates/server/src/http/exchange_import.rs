//! `mode=import`: one background job per uploaded file, polled by the client. Every call
//! answers at once: `progress` while the job runs, then `success` or `failure` with its reason.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use vitrina_store::{BatchId, TenantId};

use super::AppState;
use crate::catalog::import::{Progress, owner, owner_alive};
use crate::domain::DomainError;
use crate::exchange::{Upload, ZipPolicy, apply_from_batch, is_zip};
use crate::i18n::{Lang, Message};

/// Progress of the jobs this process runs, for the `progress` lines.
pub type RunningJobs = Arc<Mutex<HashMap<(TenantId, i64, String), Arc<Progress>>>>;

/// What to answer an `import` call.
pub enum Answer {
    Progress(String),
    Success(String),
    Failure(Message),
}

/// Starts or polls the import of `name` from `batch`.
pub async fn import_call(
    state: &AppState,
    tenant: TenantId,
    batch: BatchId,
    name: &str,
    zip: ZipPolicy,
) -> Result<Answer, DomainError> {
    let Some(job) = state.db.find_job(tenant, batch, name).await? else {
        let files = state.db.batch_files(tenant, batch).await?;
        // With zip on, `filename` names an entry of an uploaded archive.
        let inside_zip = zip.enabled && files.iter().any(|(file, _)| is_zip(file));
        if !inside_zip && !files.iter().any(|(file, _)| file == name) {
            return Ok(Answer::Failure(Message::ExchangeFileNotUploaded {
                name: name.to_owned(),
            }));
        }
        if state.db.start_job(tenant, batch, name, &owner()).await? {
            spawn_job(state.clone(), tenant, batch, name.to_owned(), files, zip);
        }
        return Ok(Answer::Progress(
            Message::ExchangeImportStarted.text(Lang::Ru),
        ));
    };
    match job.state.as_str() {
        "done" => Ok(Answer::Success(job.message.unwrap_or_default())),
        "failed" => Ok(Answer::Failure(Message::Text(
            job.message.unwrap_or_default(),
        ))),
        _ if !owner_alive(&job.owner) => {
            // Read what committed: the process may have died after publishing.
            let settled =
                crate::exchange::settle_interrupted(&state.db, tenant, batch, name, job.started_at);
            if !settled.await? {
                return Ok(Answer::Failure(Message::ExchangeImportInterrupted));
            }
            let job = state.db.find_job(tenant, batch, name).await?;
            Ok(Answer::Success(
                job.and_then(|job| job.message).unwrap_or_default(),
            ))
        }
        _ => {
            let line = match progress_of(state, tenant, batch, name) {
                Some(p) => Message::ExchangeImportRunning {
                    megabytes: p.megabytes(),
                    items: p.items.load(Ordering::Relaxed),
                },
                None => Message::ExchangeImportStarted,
            };
            Ok(Answer::Progress(line.text(Lang::Ru)))
        }
    }
}

fn spawn_job(
    state: AppState,
    tenant: TenantId,
    batch: BatchId,
    name: String,
    files: Vec<(String, i64)>,
    zip: ZipPolicy,
) {
    tokio::spawn(async move { run_job(&state, tenant, batch, &name, &files, zip).await });
}

/// Applies the files a batch imported again, in the order the client imported them, each as
/// its job again (the history then shows the new outcomes). Refused while an import of the
/// shop runs.
pub async fn rerun(
    state: &AppState,
    tenant: TenantId,
    batch: BatchId,
    zip: ZipPolicy,
) -> Result<(), DomainError> {
    let running = state.db.running_job_owners(tenant).await?;
    if running.iter().any(|owner| owner_alive(owner)) {
        return Err(DomainError::Conflict(Message::ImportBusy));
    }
    let names = state.db.batch_imports(tenant, batch).await?;
    if names.is_empty() {
        return Err(DomainError::NotFound(Message::NothingToRerun {
            id: batch.0.to_string(),
        }));
    }
    let files = state.db.batch_files(tenant, batch).await?;
    for name in &names {
        state.db.restart_job(tenant, batch, name, &owner()).await?;
    }
    let state = state.clone();
    tokio::spawn(async move {
        for name in names {
            run_job(&state, tenant, batch, &name, &files, zip).await;
        }
    });
    Ok(())
}

/// How far the running import of `name` from `batch` has got, if this process runs it.
pub fn progress_of(
    state: &AppState,
    tenant: TenantId,
    batch: BatchId,
    name: &str,
) -> Option<Arc<Progress>> {
    state
        .running_jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&(tenant, batch.0, name.to_owned()))
        .cloned()
}

/// Imports `name` from the batch through the catalog engine and records the outcome.
async fn run_job(
    state: &AppState,
    tenant: TenantId,
    batch: BatchId,
    name: &str,
    files: &[(String, i64)],
    zip: ZipPolicy,
) {
    let key = (tenant, batch.0, name.to_owned());
    let progress = Arc::new(Progress::default());
    state
        .running_jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key.clone(), progress.clone());
    let upload = Upload {
        tenant,
        batch,
        files,
        zip,
    };
    let outcome = apply_from_batch(&state.db, &state.files, &upload, name, progress).await;
    let (job_state, message, report) = match outcome {
        Ok(report) => (
            "done",
            report.summary(Lang::Ru),
            serde_json::to_string(&report).ok(),
        ),
        Err(message) => ("failed", message.text(Lang::Ru), None),
    };
    if let Err(err) = state
        .db
        .finish_job(tenant, batch, name, job_state, &message, report.as_deref())
        .await
    {
        tracing::error!(error = %err, "could not record the end of an exchange import");
    }
    state
        .running_jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&key);
}
