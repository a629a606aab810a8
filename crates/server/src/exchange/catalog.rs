//! `type=catalog`: a pass of MoySklad or 1C. `init` opens an upload batch, `file` appends a
//! part to one of its files, `import` queues a file's import and reports on it (`progress` while
//! it waits or runs, whichever instance runs it, then `success` or `failure` with its reason),
//! `deactivate` and `complete` close the pass.

use vitrina_store::{BatchId, JobState, TenantId};

use super::protocol::{Authorised, Record, Reply, Services, Upload, refuse};
use super::{Mode, prune_batches, upload_name};
use crate::catalog::import::Progress;
use crate::domain::DomainError;
use crate::i18n::{Lang, Message};
use crate::queue::{ZipPolicy, is_zip, part_key};

pub(super) async fn answer(
    services: Services<'_>,
    call: Authorised<'_>,
    mode: Mode,
    body: impl Upload,
    record: &mut Record,
) -> Result<Reply, DomainError> {
    let db = services.db;
    match mode {
        Mode::Init => {
            let exchange = &call.settings.exchange;
            let keep_days = u64::from(exchange.keep_batches_days);
            prune_batches(db, services.files, call.tenant, keep_days)
                .await
                .map_err(DomainError::Internal)?;
            // Each init starts a new upload batch: MoySklad sends checkauth + init per pass.
            db.open_batch(call.tenant, &call.caller.batch_key).await?;
            let zip = if exchange.zip { "yes" } else { "no" };
            let limit = exchange.file_limit;
            Ok(Reply::text(format!("zip={zip}\nfile_limit={limit}\n")))
        }
        Mode::File => {
            let name = file_name(call)?;
            let bytes = receive_file(services, call, &name, body).await?;
            record.bytes = Some(bytes as i64);
            Ok(Reply::success(&[]))
        }
        Mode::Import => {
            let name = file_name(call)?;
            let batch = current_batch(db, call).await?;
            let (reply, line) = match import(services, call, batch, &name).await? {
                Standing::Waiting(line) => (Reply::progress(&line), line),
                Standing::Done(line) => (Reply::success(&[&line]), line),
            };
            record.message = Some(line);
            Ok(reply)
        }
        Mode::Deactivate => {
            // Products a full catalog no longer lists were deactivated when it was imported
            // (commerceml.deactivate_missing); a batch without a finished import has nothing to say.
            let batch = current_batch(db, call).await?;
            if db.done_jobs(call.tenant, batch).await? == 0 {
                return Err(refuse(Message::ExchangeNothingToDeactivate));
            }
            let said = Message::ExchangeDeactivated.text(Lang::Ru);
            Ok(Reply::success(&[&said]))
        }
        Mode::Complete => {
            tracing::info!(employee = %call.caller.employee.email, "exchange complete");
            Ok(Reply::success(&[]))
        }
        // `checkauth` is answered before; `query` and `success` are the orders exchange's.
        Mode::CheckAuth | Mode::Query | Mode::Success => Err(refuse(Message::ExchangeModeNotYet {
            mode: mode.to_string(),
        })),
    }
}

/// The `filename` parameter as a safe name inside the batch.
fn file_name(call: Authorised<'_>) -> Result<String, DomainError> {
    let raw = call.filename.unwrap_or_default();
    upload_name(raw).ok_or_else(|| bad_file_name(raw))
}

fn bad_file_name(name: &str) -> DomainError {
    refuse(Message::ExchangeBadFileName {
        name: name.to_owned(),
    })
}

/// The batch the caller's last `init` opened, or the failure telling them to call `init`.
async fn current_batch(
    db: &vitrina_store::Db,
    call: Authorised<'_>,
) -> Result<BatchId, DomainError> {
    db.current_batch(call.tenant, &call.caller.batch_key)
        .await?
        .ok_or_else(|| refuse(Message::ExchangeNoBatch))
}

/// Appends the body to the named file of the caller's current batch, as one more part in the
/// file store, within the file and batch limits while it streams. The bytes stored.
async fn receive_file(
    services: Services<'_>,
    call: Authorised<'_>,
    name: &str,
    body: impl Upload,
) -> Result<u64, DomainError> {
    let (db, tenant) = (services.db, call.tenant);
    let max_file = call.settings.exchange.max_file_bytes;
    let max_batch = call.settings.exchange.max_batch_bytes;
    let batch = current_batch(db, call).await?;
    // One upload of a batch at a time: parts numbered and limits checked on what is stored.
    let _turn = services.upload_locks.lock((tenant, batch.0)).await;
    let uploaded = db.batch_files(tenant, batch).await?;
    if let Some((other, _)) = uploaded.iter().find(|(other, _)| clashes(name, other)) {
        return Err(refuse(Message::ExchangeNameClash {
            name: name.to_owned(),
            other: other.clone(),
        }));
    }
    let totals = db.upload_totals(tenant, batch, name).await?;
    let file_room = max_file.saturating_sub(totals.file_bytes as u64);
    let batch_room = max_batch.saturating_sub(totals.batch_bytes as u64);
    let key =
        part_key(tenant, batch, name, totals.file_parts + 1).ok_or_else(|| bad_file_name(name))?;
    let stored = services
        .files
        .put_stream(&key, body, file_room.min(batch_room))
        .await
        .map_err(DomainError::Internal)?;
    let Some(bytes) = stored else {
        return Err(refuse(if file_room <= batch_room {
            Message::ExchangeFileTooLarge {
                name: name.to_owned(),
                limit: max_file,
            }
        } else {
            Message::ExchangeBatchTooLarge { limit: max_batch }
        }));
    };
    db.record_part(tenant, batch, name, bytes as i64).await?;
    tracing::info!(file = %name, bytes, batch = batch.0, "exchange file part received");
    Ok(bytes)
}

/// Whether one name is a folder of the other (`import.xml` and `import.xml/000001`): both
/// cannot exist side by side in the batch.
fn clashes(name: &str, other: &str) -> bool {
    let folder_of =
        |a: &str, b: &str| b.len() > a.len() && b.starts_with(a) && b.as_bytes()[a.len()] == b'/';
    folder_of(name, other) || folder_of(other, name)
}

/// How an import job stands, in a line for the client.
enum Standing {
    /// Queued (with its place) or running (with its progress).
    Waiting(String),
    /// Done, with its summary.
    Done(String),
}

/// Queues the import of `name` from `batch`, or says how its job stands (a failed job is the
/// call's failure).
async fn import(
    services: Services<'_>,
    call: Authorised<'_>,
    batch: BatchId,
    name: &str,
) -> Result<Standing, DomainError> {
    let (db, tenant) = (services.db, call.tenant);
    let Some(job) = db.find_job(tenant, batch, name).await? else {
        let files = db.batch_files(tenant, batch).await?;
        // With zip on, `filename` names an entry of an uploaded archive.
        let zip = ZipPolicy::of(&call.settings.exchange);
        let inside_zip = zip.enabled && files.iter().any(|(file, _)| is_zip(file));
        if !inside_zip && !files.iter().any(|(file, _)| file == name) {
            return Err(refuse(Message::ExchangeFileNotUploaded {
                name: name.to_owned(),
            }));
        }
        services.queue.enqueue(tenant, batch, name).await?;
        return waiting(db, tenant, batch, name).await;
    };
    match job.state {
        JobState::Done => Ok(Standing::Done(job.message.unwrap_or_default())),
        // Held: the reason and what to do, which MoySklad shows its user too.
        JobState::Failed | JobState::Held | JobState::Discarded => {
            Err(refuse(Message::Text(job.message.unwrap_or_default())))
        }
        JobState::Queued => waiting(db, tenant, batch, name).await,
        JobState::Running => {
            let line = Message::ExchangeImportRunning {
                megabytes: Progress::megabytes_of(job.progress_bytes),
                items: u64::try_from(job.progress_items).unwrap_or_default(),
            };
            Ok(Standing::Waiting(line.text(Lang::Ru)))
        }
    }
}

/// `progress` with the job's place in the queue.
async fn waiting(
    db: &vitrina_store::Db,
    tenant: TenantId,
    batch: BatchId,
    name: &str,
) -> Result<Standing, DomainError> {
    let line = match db.queue_position(tenant, batch, name).await? {
        Some(place) => Message::ExchangeImportQueued { place },
        None => Message::ExchangeImportStarted,
    };
    Ok(Standing::Waiting(line.text(Lang::Ru)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_clashes_with_its_folder() {
        assert!(clashes("import.xml", "import.xml/000001"));
        assert!(clashes("import.xml/000001", "import.xml"));
        assert!(!clashes("import.xml", "import.xml"));
        assert!(!clashes("import.xml", "import.xml2/a"));
        assert!(!clashes("import_files/a.jpg", "import_files/b.jpg"));
    }
}
