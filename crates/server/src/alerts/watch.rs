//! The conditions nothing reports by itself: no successful exchange for hours, orders the
//! accounting system has not picked up. Checked every minute by every instance (an incident
//! opens at most once, so two instances checking at once send one message).

use std::time::Duration;

use vitrina_store::{Db, TenantId, now_millis};

use super::{Kind, clear, open};
use crate::clock::HOUR_MS;
use crate::domain::DomainError;
use crate::domain::settings::Settings;
use crate::i18n::Message;

/// How often the conditions are checked, or as `VITRINA_ALERT_WATCH_MS` says (tests).
fn every() -> Duration {
    std::env::var("VITRINA_ALERT_WATCH_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_secs(60))
}

/// Checks until the process ends.
pub async fn run(db: Db) {
    loop {
        tokio::time::sleep(every()).await;
        match db.tenants_with_alerts().await {
            Ok(tenants) => {
                for tenant in tenants {
                    if let Err(err) = check(&db, tenant).await {
                        tracing::warn!(error = %err, tenant = %tenant, "could not check alert conditions");
                    }
                }
            }
            Err(err) => tracing::warn!(error = %err, "could not list shops with alerts"),
        }
    }
}

/// Opens or clears the shop's time-based incidents as things stand now.
pub async fn check(db: &Db, tenant: TenantId) -> Result<(), DomainError> {
    let settings = Settings::load(db, tenant).await?;
    let now = now_millis();
    let hours = settings.alerts.no_exchange_hours;
    // Only a shop that ever imported misses its exchange.
    if let Some(last) = db.last_import_done(tenant).await?.filter(|_| hours > 0) {
        if now - last > i64::from(hours) * HOUR_MS {
            open(
                db,
                tenant,
                Kind::NoExchange,
                &Message::AlertNoExchange { hours },
            )
            .await;
        } else {
            clear(db, tenant, Kind::NoExchange).await;
        }
    }
    if let Some(deadline) = settings.orders.pickup_deadline(now) {
        let hours = settings.orders.pickup_alert_hours;
        let waiting = db.orders_waiting_since(tenant, deadline).await?;
        if waiting > 0 {
            let what = Message::AlertOrdersWaiting {
                count: waiting as u64,
                hours,
            };
            open(db, tenant, Kind::OrdersWaiting, &what).await;
        } else {
            clear(db, tenant, Kind::OrdersWaiting).await;
        }
    }
    Ok(())
}
