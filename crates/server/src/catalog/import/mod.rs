//! Applying one CommerceML document to a tenant's catalog, all or nothing.
//!
//! A blocking thread parses the document and turns items into rows ([`parse`]); this side
//! hands them to the store's import session as they come and stores pictures; when the
//! document has been read to its end, the session publishes everything at once (on SQLite
//! rows wait in staging tables, on PostgreSQL in the import's own transaction: see
//! `vitrina_store`'s `staging`). A parse error, a crash or a kill publishes nothing: the live
//! catalog is the old one or the new one.

mod brake;
mod convert;
mod digest;
mod document;
mod live;
mod locks;
mod parse;
mod pictures;
mod report;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use commerceml::ItemKind;
use tokio::sync::mpsc;
use vitrina_store::{CatalogTable, Db, ImportSession, StoreError, TenantId};

pub use brake::{Check, Held, Tripped};
pub use convert::{NameValue, StoredPrice, StoredStock, search_text};
pub use document::Document;
pub use pictures::{Picture, PictureProblem, sniff as sniff_picture};
pub use report::{Counts, ImportReport, KEPT_WARNINGS, Rollback, Warning, WarningKind};

use self::convert::PropertyInfo;
use self::live::Live;
use self::parse::{Batch, ParseInput, Parsed};
use crate::alerts;
use crate::domain::settings::{CatalogSettings, Settings};
use crate::files::Files;
use crate::i18n::Message;

/// An import that runs longer than this without a heartbeat was interrupted (as long as a
/// queue job's lease, so a job taken back from a dead instance can start at once).
const STALE_AFTER: Duration = Duration::from_secs(30);
/// How often a running import says it is alive.
const HEARTBEAT: Duration = Duration::from_secs(5);

/// Why a document was not applied. The catalog is unchanged in every case.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Another import of this tenant is running.
    #[error("another import of this shop is running")]
    Busy,
    /// The document is broken; the reader says where and why.
    #[error("{0}")]
    Document(commerceml::Error),
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    /// The safety brake held the pass: nothing was published.
    #[error("the pass was held by the safety brake")]
    Held(Box<Held>),
    /// The writer stopped (the process is shutting down).
    #[error("the import was cancelled")]
    Cancelled,
    /// A failure of ours.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for ImportError {
    fn from(err: StoreError) -> Self {
        Self::Internal(err.into())
    }
}

impl ImportError {
    /// What to tell the shop owner about `file`.
    pub fn message(&self, file: &str) -> Message {
        match self {
            Self::Busy => Message::ImportBusy,
            Self::Document(err) => Message::AtLine {
                file: file.to_owned(),
                line: err.position.line,
                what: Box::new(Message::Document(err.kind.clone())),
            },
            Self::Unreadable(reason) => Message::FileUnreadable {
                file: file.to_owned(),
                reason: reason.clone(),
            },
            Self::Held(held) => held.message(),
            Self::Cancelled => Message::ImportCancelled,
            Self::Internal(_) => Message::Internal,
        }
    }
}

/// How far an import has got, for progress bars and the exchange's `progress` answers.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of the document read.
    pub bytes: AtomicU64,
    /// Items (groups, products, offers, …) read.
    pub items: AtomicU64,
}

impl Progress {
    /// `bytes` in megabytes, to a tenth (how progress is shown).
    pub fn megabytes_of(bytes: i64) -> String {
        format!("{:.1}", bytes as f64 / 1e6)
    }
}

/// Applies the document at `path` to `tenant`'s catalog: [`import_document`] of a file, with
/// no brake (the operator asked for it).
pub async fn import_file(
    db: &Db,
    files: &Files,
    tenant: TenantId,
    path: &Path,
    source: Option<&str>,
    progress: Arc<Progress>,
) -> Result<ImportReport, ImportError> {
    let document = Document::file(path);
    let how = How {
        source,
        brake: false,
    };
    import_document(db, files, tenant, &document, how, progress).await
}

/// Who asked for an import, and whether the safety brake may hold it.
#[derive(Debug, Clone, Copy)]
pub struct How<'a> {
    /// What asked for it (an exchange job), stored with the import so that its outcome can be
    /// read from what committed should the process die before telling anyone.
    pub source: Option<&'a str>,
    /// Whether a destructive full pass is held ([`brake`]) rather than published.
    pub brake: bool,
}

/// Applies `document` to `tenant`'s catalog, counting in `progress`.
pub async fn import_document(
    db: &Db,
    files: &Files,
    tenant: TenantId,
    document: &Document,
    how: How<'_>,
    progress: Arc<Progress>,
) -> Result<ImportReport, ImportError> {
    let source = how.source;
    let started = Instant::now();
    let file_name = document.name.clone();
    let stale = STALE_AFTER.as_millis() as i64;
    let mut session = match db
        .begin_import(tenant, &file_name, source, &owner(), stale, owner_alive)
        .await
    {
        Ok(session) => session,
        Err(StoreError::Conflict) => return Err(ImportError::Busy),
        Err(err) => return Err(err.into()),
    };
    let settings = match Settings::load(db, tenant).await {
        Ok(settings) => settings.catalog,
        Err(err) => {
            let _ = session.fail(r#"{"error":"settings"}"#).await;
            return Err(anyhow::anyhow!(err).into());
        }
    };
    match run(
        db,
        files,
        tenant,
        &mut session,
        document,
        &settings,
        progress,
    )
    .await
    {
        Ok(Parsed {
            publish,
            mut report,
            full,
            taken_off,
        }) => {
            report.file = file_name;
            report.duration_ms = started.elapsed().as_millis() as u64;
            let json = serde_json::to_string(&report).unwrap_or_default();
            let plan = match how.brake {
                true => {
                    let parsed = (&report, &publish, taken_off);
                    brake::Plan::of(db, tenant, &settings, parsed, full).await?
                }
                false => None,
            };
            let mut spike = None;
            if let Some(plan) = plan {
                let mut tripped = Vec::new();
                let held = session
                    .publish_unless(&publish, &json, &plan.measure, |impact| {
                        tripped = plan.judge(impact);
                        spike = plan.spike(Some(impact));
                        !tripped.is_empty()
                    })
                    .await?;
                if held.is_some() {
                    tracing::warn!(?tripped, "the safety brake held a pass");
                    let held = Held {
                        tripped,
                        report,
                        behind: None,
                    };
                    return Err(ImportError::Held(Box::new(held)));
                }
            } else {
                session.publish(&publish, &json).await?;
            }
            // A full exchange pass that took many products off sale is told of; the next
            // one that did not clears it.
            if how.brake && full {
                match spike {
                    Some(what) => alerts::open(db, tenant, alerts::Kind::OffSaleSpike, &what).await,
                    None => alerts::clear(db, tenant, alerts::Kind::OffSaleSpike).await,
                }
            }
            let kept_since = super::history::kept_since(&settings);
            if let Err(err) = db.prune_history(tenant, kept_since).await {
                tracing::warn!(error = %err, "could not prune the catalog history");
            }
            if let Err(err) = db.refresh_statistics(&stale_statistics(&report)).await {
                tracing::warn!(error = %err, "could not refresh the planner's statistics");
            }
            // What the caller reports includes publishing, which the stored report cannot.
            report.duration_ms = started.elapsed().as_millis() as u64;
            Ok(report)
        }
        Err(err) => {
            let json = serde_json::json!({ "error": err.to_string() }).to_string();
            if let Err(cleanup) = session.fail(&json).await {
                tracing::error!(error = %cleanup, "could not record a failed import");
            }
            Err(err)
        }
    }
}

async fn run(
    db: &Db,
    files: &Files,
    tenant: TenantId,
    session: &mut ImportSession,
    document: &Document,
    settings: &CatalogSettings,
    progress: Arc<Progress>,
) -> Result<Parsed, ImportError> {
    let runtime = tokio::runtime::Handle::current();
    let products = Live::new(db.clone(), tenant, ItemKind::Product, runtime.clone());
    let offers = Live::new(db.clone(), tenant, ItemKind::Offer, runtime.clone());
    let properties: HashMap<String, PropertyInfo> = db
        .list_properties(tenant)
        .await?
        .into_iter()
        .map(|p| {
            let values = serde_json::from_str(&p.ref_values).unwrap_or_default();
            (
                p.external_id,
                PropertyInfo {
                    name: p.name,
                    values,
                },
            )
        })
        .collect();
    let input = ParseInput {
        document: document.clone(),
        files: files.clone(),
        runtime,
        products,
        offers,
        properties,
        price_types: db
            .list_price_types(tenant)
            .await?
            .into_iter()
            .map(|p| p.external_id)
            .collect(),
        warehouses: db
            .list_warehouses(tenant)
            .await?
            .into_iter()
            .map(|w| w.external_id)
            .collect(),
        pictures: settings.pictures,
        deactivate_missing: settings.deactivate_missing,
        locks: locks::Locks::new(db.all_locks(tenant).await?),
        skus: if settings.match_by_sku {
            Some(db.product_skus(tenant).await?.into_iter().collect())
        } else {
            None
        },
        progress,
    };
    let (sender, mut batches) = mpsc::channel(4);
    let parser = tokio::task::spawn_blocking(move || parse::parse(input, sender));
    let mut stored_pictures = HashSet::new();
    let mut last_heartbeat = Instant::now();
    let written: Result<(), ImportError> = async {
        while let Some(batch) = batches.recv().await {
            match batch {
                Batch::Products(rows) => session.write_products(rows).await?,
                Batch::Offers(rows) => session.write_offers(rows).await?,
                Batch::HeldProducts(rows) => session.stage_products(rows).await?,
                Batch::HeldOffers(rows) => session.stage_offers(rows).await?,
                Batch::Pictures(rows) => session.stage_pictures(&rows).await?,
                Batch::PictureFile(picture) => {
                    if stored_pictures.insert(picture.hash.clone()) {
                        let key = picture_key(tenant, &picture.hash);
                        files.put(&key, picture.bytes).await?;
                    }
                }
            }
            if last_heartbeat.elapsed() > HEARTBEAT {
                session.heartbeat().await?;
                last_heartbeat = Instant::now();
            }
        }
        Ok(())
    }
    .await;
    // Dropping the receiver stops a parser still sending; then its own result is the cause.
    drop(batches);
    let parsed = parser
        .await
        .map_err(|e| anyhow::anyhow!("the parser thread failed: {e}"))?;
    written?;
    parsed
}

/// Rows a publish must change for the planner's statistics to be refreshed after it.
const STATISTICS_AFTER_ROWS: u64 = 500;

/// The tables whose planner statistics are worth refreshing after `report`'s publish: those
/// of a kind of which it changed many rows, and a tenth of those it met. A pass that changes a
/// few prices leaves the tables' make-up as it was, analysing a big catalog costs more than
/// such a pass, and a catalog pass says nothing new about offers (nor an offers pass about
/// products).
fn stale_statistics(report: &ImportReport) -> Vec<CatalogTable> {
    let many = |c: &Counts| {
        let changed = c.created + c.updated + c.deactivated;
        changed >= STATISTICS_AFTER_ROWS && changed * 10 >= changed + c.unchanged
    };
    let mut tables = Vec::new();
    if many(&report.products) {
        tables.extend([
            CatalogTable::Products,
            CatalogTable::Categories,
            CatalogTable::Pictures,
        ]);
    }
    if many(&report.offers) {
        tables.push(CatalogTable::Offers);
    }
    tables
}

/// This process, as `host:pid`, so that another process on the same host can tell whether an
/// import it finds running is still alive.
pub fn owner() -> String {
    format!("{}:{}", host_name(), std::process::id())
}

/// This host, and the process-id namespace within it: two containers of one host may share
/// a host name but never a namespace, and a pid means something only within its own.
fn host_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "unknown".to_owned());
    let namespace = std::fs::read_link("/proc/self/ns/pid")
        .map(|link| {
            link.to_string_lossy()
                .chars()
                .filter(char::is_ascii_digit)
                .collect::<String>()
        })
        .unwrap_or_default();
    format!("{host}/{namespace}")
}

/// Whether the process named by `owner` still runs. Only answerable on this host (Linux
/// `/proc`); elsewhere the heartbeat decides.
pub fn owner_alive(owner: &str) -> bool {
    match owner.rsplit_once(':') {
        Some((host, pid)) if host == host_name() && Path::new("/proc/self").exists() => {
            Path::new("/proc").join(pid).exists()
        }
        _ => true,
    }
}

/// Where a picture's bytes live in the file store.
pub fn picture_key(tenant: TenantId, hash: &str) -> object_store::path::Path {
    Files::key(tenant, &format!("pictures/{hash}")).expect("a hex hash is a safe key")
}

/// The time an import may go without a heartbeat before the next one treats it as dead.
pub fn stale_after() -> Duration {
    STALE_AFTER
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statistics_follow_big_changes_of_their_own_kind_only() {
        let counts = |created, updated, unchanged| Counts {
            created,
            updated,
            unchanged,
            ..Counts::default()
        };
        let report = |products, offers| ImportReport {
            products,
            offers,
            ..ImportReport::default()
        };
        let first_offers = report(Counts::default(), counts(140_000, 0, 0));
        assert_eq!(stale_statistics(&first_offers), [CatalogTable::Offers]);
        let first_catalog = report(counts(100_000, 0, 0), Counts::default());
        assert!(stale_statistics(&first_catalog).contains(&CatalogTable::Products));
        assert!(!stale_statistics(&first_catalog).contains(&CatalogTable::Offers));
        let big_change = report(Counts::default(), counts(0, 20_000, 120_000));
        assert_eq!(stale_statistics(&big_change), [CatalogTable::Offers]);
        let one_percent = report(Counts::default(), counts(0, 1_405, 139_065));
        assert_eq!(stale_statistics(&one_percent), [], "1% changed");
        let small_shop = report(counts(0, 100, 0), Counts::default());
        assert_eq!(stale_statistics(&small_shop), [], "a small shop's pass");
    }

    #[test]
    fn a_gone_process_is_not_alive() {
        assert!(owner_alive(&owner()), "this process");
        assert!(
            !owner_alive(&format!("{}:999999999", host_name())),
            "no such pid"
        );
        assert!(
            owner_alive("another-host:1"),
            "other hosts: the heartbeat decides"
        );
    }

    #[test]
    fn picture_keys_are_per_tenant() {
        assert_eq!(
            picture_key(TenantId(3), "ab12").as_ref(),
            "tenants/3/pictures/ab12"
        );
    }

    #[test]
    fn document_errors_name_file_and_line() {
        let err = ImportError::Document(commerceml::Error {
            position: commerceml::Position { line: 7, column: 3 },
            kind: commerceml::ErrorKind::Missing {
                element: "Цена",
                missing: "ИдТипаЦены",
            },
        });
        let text = err.message("offers.xml").text(crate::i18n::Lang::En);
        assert_eq!(text, "offers.xml, line 7: Цена has no ИдТипаЦены");
    }
}
