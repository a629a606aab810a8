//! `vitrina catalog history|rollback`: the publishes that can be rolled back to, and the
//! rollback itself.

use crate::bootstrap::StorageConfig;
use crate::catalog::history;
use crate::clock::utc;
use crate::domain::tenants;
use crate::i18n::Lang;

/// Prints the publishes kept, newest first, one per line: id, time, file, what it changed.
pub async fn history(storage: &StorageConfig, tenant: &str, lang: Lang) -> anyhow::Result<()> {
    let db = storage.open().await?.db;
    let tenant = tenants::find(&db, tenant).await?;
    for publish in history::list(&db, tenant.id).await? {
        println!(
            "{}\t{}\t{}\t{}",
            publish.id.0,
            utc(publish.finished_at),
            publish.file_name,
            history::summary(&publish, lang),
        );
    }
    db.close().await;
    Ok(())
}

/// Rolls the catalog back to before publish `before` and prints what that did.
pub async fn rollback(
    storage: &StorageConfig,
    tenant: &str,
    before: i64,
    lang: Lang,
) -> anyhow::Result<()> {
    let db = storage.open().await?.db;
    let tenant = tenants::find(&db, tenant).await?;
    let report = history::roll_back(&db, tenant.id, before).await?;
    println!("{}", report.summary(lang));
    db.close().await;
    Ok(())
}
