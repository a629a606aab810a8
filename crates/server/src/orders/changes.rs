//! Order changes the accounting system sends (`type=sale&mode=file`, MoySklad's `orders.xml`):
//! its own number, status, paid, shipped, cancelled, deletion mark. A file is applied whole
//! or not at all; an order number the shop does not have refuses it.

use std::io::BufReader;

use commerceml::{Item, Order, Reader};
use vitrina_store::{AccountingChange, Db, OrderStatus, TenantId};

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
    file: &str,
    bytes: &[u8],
) -> Result<Applied, DomainError> {
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
    let mut changes = Vec::new();
    for order in &orders {
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
        changes.push((row.id, change_of(order)));
    }
    db.apply_accounting_changes(tenant, &changes, ACTOR).await?;
    Ok(Applied {
        orders: changes.len(),
    })
}

fn truthy(value: Option<&str>) -> Option<bool> {
    value.map(|v| matches!(v.trim().to_lowercase().as_str(), "true" | "да" | "1"))
}

/// What one `Документ` says, in our terms.
fn change_of(order: &Order) -> AccountingChange {
    let accounting_number = order
        .requisite("Номер по 1С")
        .map(str::to_owned)
        .or_else(|| order.number_1c.clone())
        .filter(|n| !n.trim().is_empty());
    let state = order.requisite("Статус заказа").map(|s| s.to_lowercase());
    let deleted = order.deletion_mark || truthy(order.requisite("ПометкаУдаления")) == Some(true);
    let cancelled = deleted
        || truthy(order.requisite("Отменен")) == Some(true)
        || state.as_deref().is_some_and(|s| s.contains("отмен"));
    let paid = truthy(order.requisite("Заказ оплачен"))
        .or_else(|| state.as_deref().map(|s| s.contains("оплач")));
    let shipped = truthy(order.requisite("Отгружен")).or_else(|| {
        state
            .as_deref()
            .map(|s| s.contains("отгруж") || s.contains("доставлен"))
    });
    let finished = truthy(order.requisite("Финальный статус")) == Some(true)
        || state
            .as_deref()
            .is_some_and(|s| s.contains("выполнен") || s.contains("закрыт"));
    let status = if cancelled {
        Some(OrderStatus::Cancelled)
    } else if finished {
        Some(OrderStatus::Completed)
    } else if shipped == Some(true) {
        Some(OrderStatus::Shipped)
    } else if paid == Some(true) {
        Some(OrderStatus::Paid)
    } else if state.is_some() {
        Some(OrderStatus::Confirmed)
    } else {
        None
    };
    AccountingChange {
        accounting_number,
        status,
        paid,
        shipped,
        note: order.requisite("Статус заказа").map(str::to_owned),
    }
}
