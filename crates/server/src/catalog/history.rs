//! The catalog's history: every publish (an import that committed, or a rollback) kept what
//! it changed for `catalog.history_days`, and the catalog can be brought back to how it was
//! before any of them. A rollback is a publish too, so it can be rolled back in turn.

use vitrina_store::{Db, ImportId, Publish, StoreError, TenantId, now_millis};

use super::import::{ImportReport, Rollback, owner, owner_alive, stale_after};
use crate::domain::DomainError;
use crate::domain::settings::{CatalogSettings, Settings};
use crate::i18n::{Lang, Message};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The start of the history kept (Unix ms): publishes since can be rolled back to.
pub fn kept_since(settings: &CatalogSettings) -> i64 {
    now_millis() - i64::from(settings.history_days) * DAY_MS
}

/// The publishes that can be rolled back to, newest first.
pub async fn list(db: &Db, tenant: TenantId) -> Result<Vec<Publish>, DomainError> {
    let settings = Settings::load(db, tenant).await?.catalog;
    Ok(db.publishes(tenant, kept_since(&settings)).await?)
}

/// Brings the catalog back to how it was before publish `before`, as a publish of its own.
#[tracing::instrument(skip(db))]
pub async fn roll_back(
    db: &Db,
    tenant: TenantId,
    before: i64,
) -> Result<ImportReport, DomainError> {
    let settings = Settings::load(db, tenant).await?.catalog;
    let stale = stale_after().as_millis() as i64;
    let file = Message::RollbackFile { before }.text(Lang::Ru);
    let source = format!("rollback:{before}");
    let session = match db
        .begin_import(tenant, &file, Some(&source), &owner(), stale, owner_alive)
        .await
    {
        Err(StoreError::Conflict) => return Err(DomainError::Conflict(Message::ImportBusy)),
        other => other?,
    };
    let report = |done: &vitrina_store::RolledBack| ImportReport {
        file: file.clone(),
        kind: "rollback".to_owned(),
        rollback: Some(Rollback {
            before: done.before.0,
            products_restored: done.products_restored,
            products_removed: done.products_removed,
            offers_restored: done.offers_restored,
            offers_removed: done.offers_removed,
            categories: done.categories,
            picture_lists: done.picture_lists,
        }),
        ..ImportReport::default()
    };
    let done = match session
        .roll_back(ImportId(before), kept_since(&settings), |done| {
            serde_json::to_string(&report(done)).unwrap_or_default()
        })
        .await
    {
        Err(StoreError::NotFound) => {
            return Err(DomainError::NotFound(Message::NoSuchPublish { id: before }));
        }
        other => other?,
    };
    tracing::info!(?done, "catalog rolled back");
    Ok(report(&done))
}

/// What a publish's stored report says, in a line.
pub fn summary(publish: &Publish, lang: Lang) -> String {
    publish
        .report
        .as_deref()
        .and_then(|json| serde_json::from_str::<ImportReport>(json).ok())
        .map(|report| report.summary(lang))
        .unwrap_or_default()
}
