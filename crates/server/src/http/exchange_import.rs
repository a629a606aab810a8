//! `mode=import`: the import of an uploaded file is a job in the queue (`crate::queue`);
//! every call answers at once: `progress` while it waits (with its place) or runs (with what
//! the worker recorded, whichever instance runs it), then `success` or `failure` with its
//! reason.

use vitrina_store::{BatchId, TenantId};

use super::AppState;
use crate::catalog::import::Progress;
use crate::domain::DomainError;
use crate::exchange::{ZipPolicy, is_zip};
use crate::i18n::{Lang, Message};

/// What to answer an `import` call.
pub enum Answer {
    Progress(String),
    Success(String),
    Failure(Message),
}

/// Queues or polls the import of `name` from `batch`.
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
        state.queue.enqueue(tenant, batch, name).await?;
        return waiting(state, tenant, batch, name).await;
    };
    match job.state.as_str() {
        "done" => Ok(Answer::Success(job.message.unwrap_or_default())),
        "failed" => Ok(Answer::Failure(Message::Text(
            job.message.unwrap_or_default(),
        ))),
        "queued" => waiting(state, tenant, batch, name).await,
        _ => {
            let line = Message::ExchangeImportRunning {
                megabytes: Progress::megabytes_of(job.progress_bytes),
                items: u64::try_from(job.progress_items).unwrap_or_default(),
            };
            Ok(Answer::Progress(line.text(Lang::Ru)))
        }
    }
}

/// `progress` with the job's place in the queue.
async fn waiting(
    state: &AppState,
    tenant: TenantId,
    batch: BatchId,
    name: &str,
) -> Result<Answer, DomainError> {
    let line = match state.db.queue_position(tenant, batch, name).await? {
        Some(place) => Message::ExchangeImportQueued { place },
        None => Message::ExchangeImportStarted,
    };
    Ok(Answer::Progress(line.text(Lang::Ru)))
}
