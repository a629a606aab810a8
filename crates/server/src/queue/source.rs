//! Where a job's file comes from: an upload batch's parts put together in a work folder
//! (pictures beside the documents, zips unpacked) and given to the catalog engine.

use std::path::Path;
use std::sync::Arc;

use vitrina_store::{BatchId, Db, TenantId};

use crate::catalog::archive;
use crate::catalog::import::{self, ImportReport, Progress, import_file};
use crate::files::Files;
use crate::i18n::Message;

/// Most entries, and most compression per entry, an uploaded zip may have.
const ZIP_MAX_ENTRIES: usize = 100_000;
const ZIP_MAX_RATIO: u64 = 200;

use crate::domain::settings::ExchangeSettings;

/// How zips of a batch are treated (`commerceml.zip`, `commerceml.max_batch_bytes`).
#[derive(Debug, Clone, Copy)]
pub struct ZipPolicy {
    pub enabled: bool,
    pub max_bytes: u64,
}

impl ZipPolicy {
    /// The policy a tenant's exchange settings give.
    pub fn of(settings: &ExchangeSettings) -> Self {
        Self {
            enabled: settings.zip,
            max_bytes: settings.max_batch_bytes,
        }
    }
}

/// What an exchange job's import is recorded as started by.
pub fn job_source(batch: BatchId, name: &str) -> String {
    format!("exchange:{}:{name}", batch.0)
}

/// Whether an uploaded file is an archive to unpack.
pub fn is_zip(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

/// Whether an uploaded file is a CommerceML document (as opposed to a picture or a zip).
fn is_document(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".xml")
}

/// A batch's uploaded files and how to treat its zips.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub tenant: TenantId,
    pub batch: BatchId,
    /// Each file's name and part count.
    pub files: &'a [(String, i64)],
    pub zip: ZipPolicy,
}

/// Puts the batch's files together in a work folder (pictures beside the documents, as
/// `Картинка` expects) and imports `name` from it.
pub async fn apply_from_batch(
    db: &Db,
    files: &Files,
    upload: &Upload<'_>,
    name: &str,
    progress: Arc<Progress>,
) -> Result<ImportReport, Message> {
    let Upload {
        tenant,
        batch,
        files: batch_files,
        zip,
    } = *upload;
    let internal = |err: anyhow::Error| {
        tracing::error!(error = %format!("{err:#}"), "exchange import failed");
        Message::Internal
    };
    let work = tempfile::tempdir().map_err(|e| internal(e.into()))?;
    // The other documents of the batch are not needed, and copying them made an HTTP import of
    // a 240 MB offers.xml also copy the 200 MB import.xml uploaded beside it.
    let needed = batch_files
        .iter()
        .filter(|(file, _)| file == name || !is_document(file));
    for (file, parts) in needed {
        assemble(files, tenant, batch, file, *parts, work.path())
            .await
            .map_err(internal)?;
    }
    if zip.enabled {
        let limits = archive::Limits {
            entries: ZIP_MAX_ENTRIES,
            bytes: zip.max_bytes,
            ratio: ZIP_MAX_RATIO,
        };
        for (file, _) in batch_files.iter().filter(|(file, _)| is_zip(file)) {
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
    let source = job_source(batch, name);
    apply_file(db, files, tenant, (&path, name), &source, progress).await
}

/// Imports the document at `path` for a job started by `source`: the engine's refusal as the
/// message the client (or the CLI) shows, naming the file as `shown`; anything else logged and
/// told as internal.
pub async fn apply_file(
    db: &Db,
    files: &Files,
    tenant: TenantId,
    (path, shown): (&Path, &str),
    source: &str,
    progress: Arc<Progress>,
) -> Result<ImportReport, Message> {
    match import_file(db, files, tenant, path, Some(source), progress).await {
        Ok(report) => Ok(report),
        Err(import::ImportError::Internal(err)) => {
            tracing::error!(error = %format!("{err:#}"), "an import failed");
            Err(Message::Internal)
        }
        Err(err) => Err(err.message(shown)),
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
