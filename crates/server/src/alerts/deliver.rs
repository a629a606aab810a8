//! Delivering alerts: every instance claims due messages under a lease, sends them, and
//! records the outcome; a failed attempt is tried again later, each wait twice the last, until
//! the last attempt gives up. Every attempt is in the delivery log.

use std::sync::LazyLock;
use std::time::Duration;

use tokio::sync::Notify;
use vitrina_store::{Channel, Db, Delivery, now_millis};

use super::channels;
use crate::domain::settings::Settings;

/// Attempts before a message is given up.
pub const ATTEMPTS: i64 = 8;
/// How long a claim holds.
const LEASE_MS: i64 = 60_000;
/// How often an idle deliverer looks for work queued by another instance.
const POLL: Duration = Duration::from_secs(2);

/// The wait after the first failed attempt; doubled after each (30 s, 1 min, … ~1 h), or as
/// `VITRINA_ALERT_RETRY_MS` says (tests).
fn first_wait_ms() -> i64 {
    std::env::var("VITRINA_ALERT_RETRY_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30_000)
}

/// Wakes this instance's deliverer: something was queued.
pub fn wake() {
    WAKE.notify_waiters();
}

static WAKE: LazyLock<Notify> = LazyLock::new(Notify::new);

/// Delivers until the process ends.
pub async fn run(db: Db) {
    let http = reqwest::Client::new();
    loop {
        let woken = WAKE.notified();
        match run_once(&db, &http).await {
            Ok(0) => {}
            Ok(_) => continue,
            Err(err) => tracing::warn!(error = %err, "could not claim alert deliveries"),
        }
        tokio::select! {
            () = woken => {}
            () = tokio::time::sleep(POLL) => {}
        }
    }
}

/// Attempts every delivery due now (of any shop); how many.
pub async fn run_once(db: &Db, http: &reqwest::Client) -> Result<usize, vitrina_store::StoreError> {
    let due = db.claim_deliveries(now_millis() + LEASE_MS, 20).await?;
    for delivery in &due {
        attempt(db, http, delivery).await;
    }
    Ok(due.len())
}

/// One attempt at `delivery`, recorded.
#[tracing::instrument(skip_all, fields(delivery = delivery.id, channel = delivery.channel.as_str()))]
async fn attempt(db: &Db, http: &reqwest::Client, delivery: &Delivery) {
    let sent = match Settings::load(db, delivery.tenant_id).await {
        Err(err) => Err(err.to_string()),
        Ok(settings) => match (delivery.channel, &settings.alerts) {
            (Channel::Webhook, alerts) => match &alerts.webhook {
                Some(webhook) => channels::webhook(http, webhook, delivery).await,
                None => Err("no webhook is set up any more".to_owned()),
            },
            (Channel::Email, alerts) => match &alerts.email {
                Some(email) => channels::email(email, delivery).await,
                None => Err("no e-mail is set up any more".to_owned()),
            },
        },
    };
    let outcome = match &sent {
        Ok(()) => Ok(()),
        Err(error) => {
            let retry = (delivery.attempts + 1 < ATTEMPTS)
                .then(|| now_millis() + first_wait_ms() * (1_i64 << delivery.attempts.clamp(0, 7)));
            tracing::warn!(%error, attempts = delivery.attempts + 1, retry = retry.is_some(), "an alert was not delivered");
            Err((error.as_str(), retry))
        }
    };
    if let Err(err) = db.record_delivery(delivery.id, outcome).await {
        tracing::error!(error = %err, "could not record an alert delivery");
    }
}
