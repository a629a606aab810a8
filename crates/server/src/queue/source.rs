//! Where a job's file comes from: an upload batch's document read from its stored parts as
//! they are, its pictures and zips put together in a work folder (pictures where `Картинка`
//! expects them, zips unpacked), and all given to the catalog engine.

use std::path::Path;
use std::sync::Arc;

use vitrina_store::{BatchId, Db, TenantId};

use crate::catalog::archive;
use crate::catalog::import::{self, Document, Held, How, ImportReport, Progress, import_document};
use crate::files::{Files, Key};
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

/// Where part `part` (from 1) of the uploaded file `name` of `batch` is stored; `None` for a
/// name that cannot be a key.
pub fn part_key(tenant: TenantId, batch: BatchId, name: &str, part: i64) -> Option<Key> {
    Files::key(
        tenant,
        &format!("exchange/{}/files/{name}/{part:06}", batch.0),
    )
}

/// Where each of the `parts` of the uploaded file `name` is stored, in order.
fn part_keys(tenant: TenantId, batch: BatchId, name: &str, parts: i64) -> anyhow::Result<Vec<Key>> {
    (1..=parts)
        .map(|part| part_key(tenant, batch, name, part))
        .collect::<Option<_>>()
        .ok_or_else(|| anyhow::anyhow!("unsafe stored name {name}"))
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

/// Why a job's file was not applied.
#[derive(Debug)]
pub enum Refused {
    /// It failed: what to tell the client.
    Failed(Message),
    /// The safety brake held it.
    Held(Box<Held>),
}

impl From<Message> for Refused {
    fn from(message: Message) -> Self {
        Self::Failed(message)
    }
}

impl Refused {
    /// What to tell the client.
    pub fn message(&self) -> Message {
        match self {
            Self::Failed(message) => message.clone(),
            Self::Held(held) => held.message(),
        }
    }
}

/// Imports `name` from the batch: read from its stored parts when it was uploaded as itself,
/// from the work folder when it came in a zip; pictures (and zips) are put together in the
/// work folder first.
pub async fn apply_from_batch(
    db: &Db,
    files: &Files,
    upload: &Upload<'_>,
    (name, brake): (&str, bool),
    progress: Arc<Progress>,
) -> Result<ImportReport, Refused> {
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
    // Documents are read from their parts; copying them made an HTTP import of a 240 MB
    // offers.xml cost twice its reading.
    let needed = batch_files.iter().filter(|(file, _)| !is_document(file));
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
                }
                .into());
            }
        }
    }
    let path = work.path().join(name);
    let document = match batch_files.iter().find(|(file, _)| file == name) {
        Some((_, parts)) => {
            let keys = part_keys(tenant, batch, name, *parts).map_err(internal)?;
            let pictures = path.parent().unwrap_or(work.path());
            Document::parts(name, keys, pictures)
        }
        None if path.is_file() => Document::file(&path),
        None => {
            return Err(Message::ExchangeFileNotUploaded {
                name: name.to_owned(),
            }
            .into());
        }
    };
    let source = job_source(batch, name);
    let how = How {
        source: Some(&source),
        brake,
    };
    apply_document(db, files, tenant, (&document, name), how, progress).await
}

/// Imports `document` for a job: the engine's refusal as the message the client (or the CLI)
/// shows, naming the file as `shown`; anything else logged and told as internal.
pub async fn apply_document(
    db: &Db,
    files: &Files,
    tenant: TenantId,
    (document, shown): (&Document, &str),
    how: How<'_>,
    progress: Arc<Progress>,
) -> Result<ImportReport, Refused> {
    match import_document(db, files, tenant, document, how, progress).await {
        Ok(report) => Ok(report),
        Err(import::ImportError::Internal(err)) => {
            tracing::error!(error = %format!("{err:#}"), "an import failed");
            Err(Message::Internal.into())
        }
        Err(import::ImportError::Held(held)) => Err(Refused::Held(held)),
        Err(err) => Err(err.message(shown).into()),
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
    for key in part_keys(tenant, batch, name, parts)? {
        files.copy_into(&key, &mut out).await?;
    }
    tokio::io::AsyncWriteExt::flush(&mut out).await?;
    Ok(())
}
