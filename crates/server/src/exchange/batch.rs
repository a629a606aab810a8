//! Upload batches' housekeeping: batches older than the shop keeps are forgotten when a new one
//! opens.

use vitrina_store::{Db, TenantId};

use crate::files::Files;

/// Forgets upload batches older than `keep_days` (`commerceml.keep_batches_days`): their parts
/// in the file store, then their rows. Called when a new batch opens.
pub async fn prune_batches(
    db: &Db,
    files: &Files,
    tenant: TenantId,
    keep_days: u64,
) -> anyhow::Result<()> {
    let keep_ms = i64::try_from(keep_days.saturating_mul(86_400_000)).unwrap_or(i64::MAX);
    let before = vitrina_store::now_millis().saturating_sub(keep_ms);
    for batch in db.batches_before(tenant, before).await? {
        for (name, parts) in db.batch_files(tenant, batch).await? {
            for part in 1..=parts {
                if let Some(key) = Files::key(
                    tenant,
                    &format!("exchange/{}/files/{name}/{part:06}", batch.0),
                ) {
                    files.delete(&key).await?;
                }
            }
        }
        db.delete_batch(tenant, batch).await?;
    }
    Ok(())
}
