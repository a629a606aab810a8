//! Alerts: the shop hears about trouble before its customers do. An incident opens when its
//! condition is seen (an import failed, a pass was held, no exchange for hours, orders not
//! picked up) and clears when it ends; each opening and clearing is one message per channel
//! the shop set up (a signed webhook, e-mail), queued in the database and delivered with
//! retries by any instance ([`deliver`]). The periodic conditions are checked by [`watch`].

pub mod channels;
pub mod deliver;
pub mod watch;

use serde_json::json;
use vitrina_store::{AlertEvent, Channel, Db, TenantId, now_millis};

use crate::domain::DomainError;

use crate::domain::settings::{AlertSettings, Settings};
use crate::i18n::{Lang, Message};

vitrina_store::words! {
    /// What went wrong.
    pub enum Kind {
        /// An import of the exchange failed.
        ImportFailed = "import_failed",
        /// The safety brake held a pass.
        PassHeld = "pass_held",
        /// No successful exchange for `alerts.no_exchange_hours`.
        NoExchange = "no_exchange",
        /// Orders not picked up by the accounting system for `orders.pickup_alert_hours`.
        OrdersWaiting = "orders_waiting",
        /// A published pass took many products off sale, or left them without the shop's
        /// price, at once (below the brake's limits).
        OffSaleSpike = "off_sale_spike",
    }
}

/// Starts this instance's deliverer and watcher.
pub fn start(db: &Db) {
    tokio::spawn(deliver::run(db.clone()));
    tokio::spawn(watch::run(db.clone()));
}

/// The messages of one event of an incident, one per channel set up.
fn messages(
    settings: &AlertSettings,
    tenant: TenantId,
    kind: &str,
    event: AlertEvent,
    text: &str,
) -> Vec<(Channel, String)> {
    let mut out = Vec::new();
    if settings.webhook.is_some() {
        let body = json!({
            "event": event.as_str(),
            "incident": kind,
            "tenant_id": tenant.0,
            "text": text,
            "at": crate::clock::utc(now_millis()),
        });
        out.push((Channel::Webhook, body.to_string()));
    }
    if settings.email.is_some() {
        let subject = match event {
            AlertEvent::Opened | AlertEvent::Cleared => format!("Витрина: {text}"),
            AlertEvent::Test => "Витрина: проверка оповещений".to_owned(),
        };
        out.push((Channel::Email, format!("{subject}\n\n{text}\n")));
    }
    out
}

/// Opens an incident of `kind` saying `what`, unless one is open. Never fails the caller: an
/// alert that cannot be queued is logged.
pub async fn open(db: &Db, tenant: TenantId, kind: Kind, what: &Message) {
    if let Err(err) = try_open(db, tenant, kind, what).await {
        tracing::error!(error = %err, kind = kind.as_str(), "could not open an alert incident");
    }
}

async fn try_open(
    db: &Db,
    tenant: TenantId,
    kind: Kind,
    what: &Message,
) -> Result<(), DomainError> {
    let settings = load(db, tenant).await?;
    let text = what.text(Lang::Ru);
    let messages = messages(&settings, tenant, kind.as_str(), AlertEvent::Opened, &text);
    if db
        .open_incident(tenant, kind.as_str(), &text, &messages)
        .await?
    {
        tracing::warn!(kind = kind.as_str(), %text, "alert incident opened");
        deliver::wake();
    }
    Ok(())
}

/// Clears the open incident of `kind`, if any.
pub async fn clear(db: &Db, tenant: TenantId, kind: Kind) {
    let cleared = async {
        // Every successful import clears: with nothing open (the usual case) that is one read,
        // not a settings load and a write.
        if !db.incident_open(tenant, kind.as_str()).await? {
            return Ok(false);
        }
        let settings = load(db, tenant).await?;
        let text = Message::AlertCleared {
            kind: kind.as_str().to_owned(),
        }
        .text(Lang::Ru);
        let messages = messages(&settings, tenant, kind.as_str(), AlertEvent::Cleared, &text);
        Ok::<_, DomainError>(db.clear_incident(tenant, kind.as_str(), &messages).await?)
    };
    match cleared.await {
        Ok(true) => {
            tracing::info!(kind = kind.as_str(), "alert incident cleared");
            deliver::wake();
        }
        Ok(false) => {}
        Err(err) => tracing::error!(error = %err, "could not clear an alert incident"),
    }
}

/// "Send a test": one message to each channel set up; how many were queued.
pub async fn send_test(db: &Db, tenant: TenantId) -> Result<usize, DomainError> {
    let settings = load(db, tenant).await?;
    let text = Message::AlertTest.text(Lang::Ru);
    let messages = messages(&settings, tenant, "test", AlertEvent::Test, &text);
    for (channel, payload) in &messages {
        db.queue_alert(tenant, *channel, AlertEvent::Test, payload)
            .await?;
    }
    deliver::wake();
    Ok(messages.len())
}

async fn load(db: &Db, tenant: TenantId) -> Result<AlertSettings, DomainError> {
    Ok(Settings::load(db, tenant).await?.alerts)
}
