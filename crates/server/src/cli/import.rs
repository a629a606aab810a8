//! `vitrina import`: applies CommerceML files, folders or zips to a tenant's catalog, with a
//! progress bar and a summary per file.

use std::cell::RefCell;
use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use tokio::task::JoinHandle;
use vitrina_store::{BatchId, TenantId};

use crate::bootstrap::StorageConfig;
use crate::catalog::archive;
use crate::catalog::import::{ImportReport, Progress};
use crate::domain::{DomainError, tenants};
use crate::i18n::{Lang, Message};
use crate::queue::Queue;

/// Most entries and bytes a zip given to the CLI may unpack to.
const ZIP_MAX_ENTRIES: usize = 100_000;
const ZIP_MAX_BYTES: u64 = 16 << 30;
const ZIP_MAX_RATIO: u64 = 1000;

/// Imports `paths` in a sensible order, each file a job of the import queue that this
/// process runs in the tenant's turn; `Err` when any file failed (after trying them all).
pub async fn run(
    storage: &StorageConfig,
    tenant: &str,
    paths: &[PathBuf],
    progress: bool,
    lang: Lang,
) -> anyhow::Result<()> {
    let storage = storage.open().await?;
    let tenant = tenants::find(&storage.db, tenant).await?;
    let mut scratch = Vec::new();
    let mut documents = Vec::new();
    for path in paths {
        documents.extend(documents_in(path, &mut scratch)?);
    }
    let paths = documents
        .iter()
        .map(|document| std::path::absolute(document).map(|p| p.to_string_lossy().into_owned()))
        .collect::<Result<Vec<_>, _>>()?;
    let queue = Queue::new(
        storage.imports.clone(),
        storage.files.clone(),
        Arc::default(),
    );
    let batch = queue.enqueue_local(tenant.id, &paths).await?;
    let failed = run_jobs(&queue, (tenant.id, batch), &paths, progress, lang).await?;
    storage.db.close().await;
    match (failed, documents.len()) {
        (0, _) => Ok(()),
        // The file's own error is the whole story.
        (_, 1) => Err(super::AlreadyReported.into()),
        (failed, total) => {
            Err(DomainError::Invalid(Message::ImportFilesFailed { failed, total }).into())
        }
    }
}

/// Runs the queued jobs `names` of `batch` from this process (see [`Queue::drain`]), printing
/// each one's summary or error as it ends, with a progress bar on a terminal. The number of
/// jobs that failed; a job another instance ran is told from its row.
pub async fn run_jobs(
    queue: &Queue,
    (tenant, batch): (TenantId, BatchId),
    names: &[String],
    progress: bool,
    lang: Lang,
) -> anyhow::Result<usize> {
    let showing: RefCell<Option<(ProgressBar, JoinHandle<()>)>> = RefCell::new(None);
    let mut ran = Vec::new();
    let mut failed = 0;
    let started = |path: &str| {
        let counter = Arc::new(Progress::default());
        let name = file_name(path);
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if let Some(bar) = progress_bar(progress, bytes, &name) {
            let ticker = tokio::spawn(tick(bar.clone(), counter.clone(), name));
            *showing.borrow_mut() = Some((bar, ticker));
        }
        counter
    };
    let ended = |path: &str, outcome: Result<ImportReport, Message>| {
        if let Some((bar, ticker)) = showing.borrow_mut().take() {
            ticker.abort();
            bar.finish_and_clear();
        }
        ran.push(path.to_owned());
        match outcome {
            Ok(report) => print_indented(&report.details(lang)),
            Err(message) => {
                failed += 1;
                eprintln!("{}", message.text(lang));
            }
        }
    };
    queue.drain(tenant, batch, started, ended).await?;
    for name in names.iter().filter(|name| !ran.contains(name)) {
        let job = queue.pool().find_job(tenant, batch, name).await?;
        let (state, message) = job
            .map(|job| (Some(job.state), job.message.unwrap_or_default()))
            .unwrap_or_default();
        if state == Some(vitrina_store::JobState::Done) {
            print_indented(&[format!("{}: {message}", file_name(name))]);
        } else {
            failed += 1;
            eprintln!("{}: {message}", file_name(name));
        }
    }
    Ok(failed)
}

/// The last component of a job's name (a path or a batch file name).
fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_owned())
}

/// Keeps a progress bar moving with an import's counters.
async fn tick(bar: ProgressBar, counter: Arc<Progress>, name: String) {
    loop {
        bar.set_position(counter.bytes.load(Ordering::Relaxed));
        bar.set_message(format!(
            "{name} · {}",
            counter.items.load(Ordering::Relaxed)
        ));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn progress_bar(enabled: bool, bytes: u64, name: &str) -> Option<ProgressBar> {
    if !enabled || !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = ProgressBar::new(bytes);
    let style = ProgressStyle::with_template(
        "{msg:32} [{bar:40}] {bytes}/{total_bytes} {bytes_per_sec} {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(name.to_owned());
    Some(bar)
}

/// The documents a path stands for, in the order they must be applied: catalogs (groups,
/// properties, products) before offer packages, offers before order documents. Zips are
/// unpacked into `scratch` folders that live as long as the import.
fn documents_in(path: &Path, scratch: &mut Vec<tempfile::TempDir>) -> anyhow::Result<Vec<PathBuf>> {
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let folder = if is_zip {
        let dir = tempfile::tempdir()?;
        let limits = archive::Limits {
            entries: ZIP_MAX_ENTRIES,
            bytes: ZIP_MAX_BYTES,
            ratio: ZIP_MAX_RATIO,
        };
        archive::unpack(path, dir.path(), limits)
            .with_context(|| format!("unpacking {}", path.display()))?;
        let folder = dir.path().to_path_buf();
        scratch.push(dir);
        folder
    } else if path.is_dir() {
        path.to_path_buf()
    } else if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    } else {
        return Err(DomainError::Invalid(Message::NotImportable {
            path: path.display().to_string(),
        })
        .into());
    };
    let mut documents = Vec::new();
    collect_xml(&folder, &mut documents)?;
    let mut ranked: Vec<(u8, PathBuf)> = documents.into_iter().map(|p| (rank(&p), p)).collect();
    ranked.sort();
    Ok(ranked.into_iter().map(|(_, p)| p).collect())
}

fn collect_xml(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect_xml(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Where a document goes in the order, judged by its first section, never by its name.
fn rank(path: &Path) -> u8 {
    let Ok(file) = std::fs::File::open(path) else {
        return 9;
    };
    let Ok(mut reader) = commerceml::Reader::new(BufReader::new(file)) else {
        return 9;
    };
    match reader.next_item() {
        Ok(Some(
            commerceml::Item::Classifier(_)
            | commerceml::Item::Group(_)
            | commerceml::Item::Property(_),
        )) => 0,
        Ok(Some(commerceml::Item::Catalog(_) | commerceml::Item::Product(_))) => 1,
        Ok(Some(
            commerceml::Item::OfferPackage(_)
            | commerceml::Item::PriceType(_)
            | commerceml::Item::Warehouse(_)
            | commerceml::Item::Offer(_),
        )) => 2,
        Ok(Some(commerceml::Item::Order(_))) => 3,
        _ => 9,
    }
}

/// The first line as it is, the rest indented under it.
pub fn print_indented(lines: &[String]) {
    for (i, line) in lines.iter().enumerate() {
        let indent = if i == 0 { "" } else { "  " };
        println!("{indent}{line}");
    }
}
