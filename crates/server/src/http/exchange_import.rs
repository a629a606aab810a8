//! `mode=import`: one background job per uploaded file, polled by the client. Every call
//! answers at once: `progress` while the job runs, then `success` or `failure` with its reason.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use vitrina_store::{BatchId, TenantId};

use super::AppState;
use crate::catalog::archive;
use crate::catalog::import::{self, Progress, import_file, owner, owner_alive};
use crate::domain::DomainError;
use crate::files::Files;
use crate::i18n::{Lang, Message};

/// Most entries, and most compression per entry, an uploaded zip may have.
const ZIP_MAX_ENTRIES: usize = 100_000;
const ZIP_MAX_RATIO: u64 = 200;

/// Progress of the jobs this process runs, for the `progress` lines.
pub type RunningJobs = Arc<Mutex<HashMap<(TenantId, i64, String), Arc<Progress>>>>;

/// What to answer an `import` call.
pub enum Answer {
    Progress(String),
    Success(String),
    Failure(Message),
}

/// How zips of a batch are treated (`commerceml.zip`, `commerceml.max_batch_bytes`).
#[derive(Debug, Clone, Copy)]
pub struct ZipPolicy {
    pub enabled: bool,
    pub max_bytes: u64,
}

fn is_zip(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
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
            let message = Message::ExchangeImportInterrupted.text(Lang::Ru);
            state
                .db
                .finish_job(tenant, batch, name, "failed", &message)
                .await?;
            Ok(Answer::Failure(Message::ExchangeImportInterrupted))
        }
        _ => {
            let key = (tenant, batch.0, name.to_owned());
            let progress = state
                .running_jobs
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get(&key)
                .cloned();
            let line = match progress {
                Some(p) => Message::ExchangeImportRunning {
                    megabytes: format!("{:.1}", p.bytes.load(Ordering::Relaxed) as f64 / 1e6),
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
    let key = (tenant, batch.0, name.clone());
    let progress = Arc::new(Progress::default());
    state
        .running_jobs
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key.clone(), progress.clone());
    tokio::spawn(async move {
        let outcome = run_job(&state, tenant, batch, &name, &files, zip, progress).await;
        let (job_state, message) = match outcome {
            Ok(summary) => ("done", summary),
            Err(message) => ("failed", message.text(Lang::Ru)),
        };
        if let Err(err) = state
            .db
            .finish_job(tenant, batch, &name, job_state, &message)
            .await
        {
            tracing::error!(error = %err, "could not record the end of an exchange import");
        }
        state
            .running_jobs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&key);
    });
}

/// Puts the batch's files together in a work folder (pictures beside the documents, as
/// `Картинка` expects) and imports `name` from it.
async fn run_job(
    state: &AppState,
    tenant: TenantId,
    batch: BatchId,
    name: &str,
    files: &[(String, i64)],
    zip: ZipPolicy,
    progress: Arc<Progress>,
) -> Result<String, Message> {
    let internal = |err: anyhow::Error| {
        tracing::error!(error = %format!("{err:#}"), "exchange import failed");
        Message::Internal
    };
    let work = tempfile::tempdir().map_err(|e| internal(e.into()))?;
    for (file, parts) in files {
        assemble(&state.files, tenant, batch, file, *parts, work.path())
            .await
            .map_err(internal)?;
    }
    if zip.enabled {
        let limits = archive::Limits {
            entries: ZIP_MAX_ENTRIES,
            bytes: zip.max_bytes,
            ratio: ZIP_MAX_RATIO,
        };
        for (file, _) in files.iter().filter(|(file, _)| is_zip(file)) {
            let (path, into) = (work.path().join(file), work.path().to_path_buf());
            let unpacked =
                tokio::task::spawn_blocking(move || archive::unpack(&path, &into, limits))
                    .await
                    .map_err(|e| internal(e.into()))?;
            if let Err(err) = unpacked {
                return Err(Message::ExchangeUnsafeZip {
                    name: file.clone(),
                    reason: err.to_string(),
                });
            }
        }
    }
    let path = work.path().join(name);
    if !path.is_file() {
        return Err(Message::ExchangeFileNotUploaded {
            name: name.to_owned(),
        });
    }
    match import_file(&state.db, &state.files, tenant, &path, progress).await {
        Ok(report) => Ok(report.summary(Lang::Ru)),
        Err(import::ImportError::Internal(err)) => Err(internal(err)),
        Err(err) => Err(err.message(name)),
    }
}

async fn assemble(
    files: &Files,
    tenant: TenantId,
    batch: BatchId,
    name: &str,
    parts: i64,
    dir: &Path,
) -> anyhow::Result<()> {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        tokio::fs::create_dir_all(parent).await?;
    }
    let mut out = tokio::fs::File::create(&path).await?;
    for part in 1..=parts {
        let key = Files::key(
            tenant,
            &format!("exchange/{}/files/{name}/{part:06}", batch.0),
        )
        .ok_or_else(|| anyhow::anyhow!("unsafe stored name {name}"))?;
        files.copy_into(&key, &mut out).await?;
    }
    tokio::io::AsyncWriteExt::flush(&mut out).await?;
    Ok(())
}
