//! An order's journey as its page shows it: each step with where it happened, and for each
//! change made on the site whether the accounting system has it yet.

use serde::Serialize;
use vitrina_store::{Db, JourneyStep, OrderRow, TenantId};

use crate::domain::DomainError;

/// How far a change made on the site has gone.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Delivery {
    /// Not fetched yet.
    Waiting,
    /// Fetched by `mode=query`, not confirmed by `success`.
    Sent,
    /// Confirmed: the accounting system has it.
    Confirmed,
}

/// One step.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Step {
    pub at: i64,
    pub step: &'static str,
    pub revision: i64,
    pub exchange_key: Option<String>,
    pub file: Option<String>,
    pub line: Option<i64>,
    pub actor: String,
    /// The status set on the site, or the values a received change carried.
    pub detail: String,
    /// For what the site made (placing, changes, resending): whether it has gone out.
    pub delivery: Option<Delivery>,
}

/// The journey of `order`, oldest step first.
pub async fn of(db: &Db, tenant: TenantId, order: &OrderRow) -> Result<Vec<Step>, DomainError> {
    let rows = db.order_journey(tenant, order.id).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let made_here = matches!(
                row.step,
                JourneyStep::Placed | JourneyStep::Changed | JourneyStep::Resent
            );
            let delivery = if order.exported_revision >= row.revision {
                Delivery::Confirmed
            } else if order.sent_revision >= row.revision {
                Delivery::Sent
            } else {
                Delivery::Waiting
            };
            let delivery = made_here.then_some(delivery);
            let detail = if row.step == JourneyStep::Received {
                let values: Vec<(String, String)> =
                    serde_json::from_str(&row.detail).unwrap_or_default();
                values
                    .iter()
                    .map(|(name, value)| format!("{name}: {value}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            } else {
                row.detail
            };
            Step {
                at: row.at,
                step: row.step.as_str(),
                revision: row.revision,
                exchange_key: row.exchange_key,
                file: row.file,
                line: row.line,
                actor: row.actor,
                detail,
                delivery,
            }
        })
        .collect())
}

/// Whether the order still waits for the accounting system with a change made before
/// `deadline` ([`crate::domain::settings::OrderSettings::pickup_deadline`]); the store counts
/// the same orders for the alert (`orders_waiting_since`).
pub fn overdue(order: &OrderRow, deadline: Option<i64>) -> bool {
    deadline
        .is_some_and(|before| order.revision > order.exported_revision && order.changed_at < before)
}
