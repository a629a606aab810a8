//! `vitrina alerts test`: a test message to every channel the shop set up, delivered from this
//! process at once, each channel's outcome printed.

use crate::bootstrap::StorageConfig;
use crate::domain::DomainError;
use crate::domain::tenants;
use crate::i18n::Message;

pub async fn test(storage: &StorageConfig, tenant: &str) -> anyhow::Result<()> {
    let db = storage.open().await?.db;
    let tenant = tenants::find(&db, tenant).await?;
    let queued = crate::alerts::send_test(&db, tenant.id).await?;
    if queued == 0 {
        return Err(DomainError::Invalid(Message::AlertNoChannel).into());
    }
    crate::alerts::deliver::run_once(&db, &reqwest::Client::new()).await?;
    let mut failed = false;
    for delivery in db.deliveries(tenant.id, queued as i64).await? {
        match (delivery.delivered_at, &delivery.last_error) {
            (Some(_), _) => println!("{}\tok", delivery.channel.as_str()),
            (None, error) => {
                failed = true;
                println!(
                    "{}\t{}",
                    delivery.channel.as_str(),
                    error.as_deref().unwrap_or("-")
                );
            }
        }
    }
    db.close().await;
    if failed {
        return Err(super::AlreadyReported.into());
    }
    Ok(())
}
