//! Order changes the accounting system sends (`type=sale&mode=file`, MoySklad's `orders.xml`):
//! its own number, and the status values and flags the shop's mapping turns into a status. A
//! file is applied whole or not at all; an order number the shop does not have refuses it.

use std::io::BufReader;

use commerceml::{Item, Order, Reader};
use vitrina_store::{AccountingChange, Db, OrderStatus, Origin, TenantId};

use super::statuses::{self, Mapping};
use crate::domain::DomainError;
use crate::i18n::Message;

/// Who the history names for changes from the accounting system.
pub const ACTOR: &str = "accounting";

/// What applying a file did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Applied {
    pub orders: usize,
}

/// Reads every order of `bytes`, then applies them all in one transaction.
pub async fn apply(
    db: &Db,
    tenant: TenantId,
    origin: Origin<'_>,
    bytes: &[u8],
) -> Result<Applied, DomainError> {
    let file = origin.file.unwrap_or_default();
    let at_line = |line: u64, what: Message| {
        DomainError::Invalid(Message::AtLine {
            file: file.to_owned(),
            line,
            what: Box::new(what),
        })
    };
    let mut reader = Reader::new(BufReader::new(bytes))
        .map_err(|e| at_line(e.position.line, Message::Document(e.kind)))?;
    let mut orders = Vec::new();
    while let Some(item) = reader
        .next_item()
        .map_err(|e| at_line(e.position.line, Message::Document(e.kind)))?
    {
        if let Item::Order(order) = item {
            orders.push(*order);
        }
    }
    let reports: Vec<Vec<(String, String)>> = orders.iter().map(statuses::reported).collect();
    let mapping = Mapping::load(db, tenant).await?;
    let mut changes = Vec::new();
    for (order, reported) in orders.iter().zip(&reports) {
        let number = order
            .number
            .as_deref()
            .or(order.id.as_deref())
            .map(str::trim)
            .unwrap_or_default();
        let Some(row) = db.order_by_number(tenant, number).await? else {
            return Err(at_line(
                order.line,
                Message::UnknownOrder {
                    number: number.to_owned(),
                },
            ));
        };
        changes.push((row.id, change_of(order, reported, &mapping)));
    }
    db.apply_accounting_changes(tenant, &changes, ACTOR, origin)
        .await?;
    // Only a file that applied adds to the values the owner is shown.
    statuses::note(db, tenant, &reports).await?;
    Ok(Applied {
        orders: changes.len(),
    })
}

/// What one `Документ` says, in our terms.
fn change_of(order: &Order, reported: &[(String, String)], mapping: &Mapping) -> AccountingChange {
    let accounting_number = order
        .requisite("Номер по 1С")
        .map(str::to_owned)
        .or_else(|| order.number_1c.clone())
        .filter(|n| !n.trim().is_empty());
    let mut change = decided(reported, mapping);
    change.accounting_number = accounting_number;
    change.line = order.line;
    change
}

/// The status, paid and shipped that reported values come to under `mapping`.
fn decided(reported: &[(String, String)], mapping: &Mapping) -> AccountingChange {
    let flag = |name: &str, status: OrderStatus| {
        let said = reported
            .iter()
            .find(|(r, _)| r == name)
            .map(|(_, v)| v == "true");
        match said {
            Some(true) => Some(true),
            _ if mapping.says(reported, status) => Some(true),
            said => said,
        }
    };
    AccountingChange {
        accounting_number: None,
        status: mapping.decide(reported),
        paid: flag("Заказ оплачен", OrderStatus::Paid),
        shipped: flag("Отгружен", OrderStatus::Shipped),
        note: reported
            .iter()
            .find(|(r, _)| r == statuses::STATUS)
            .map(|(_, v)| v.clone()),
        line: 0,
        reported: serde_json::to_string(reported).unwrap_or_default(),
    }
}

/// Applies the shop's mapping as it is now to the last change each order received, where
/// nothing was changed on the site since; how many orders changed status.
pub async fn reapply(db: &Db, tenant: TenantId) -> Result<usize, DomainError> {
    let mapping = Mapping::load(db, tenant).await?;
    let mut changes = Vec::new();
    for (order, status, detail) in db.last_received_reports(tenant).await? {
        let reported: Vec<(String, String)> = serde_json::from_str(&detail).unwrap_or_default();
        let change = decided(&reported, &mapping);
        if change.status.is_some_and(|s| s != status) {
            changes.push((order, change));
        }
    }
    let origin = Origin {
        exchange_key: None,
        file: None,
    };
    db.apply_accounting_changes(tenant, &changes, REMAPPED, origin)
        .await?;
    Ok(changes.len())
}

/// Who the history names for statuses set by a change of the mapping.
pub const REMAPPED: &str = "mapping";
