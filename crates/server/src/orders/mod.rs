//! Orders: placed by storefronts and priced from the catalog, sent to MoySklad and 1C
//! (`type=sale`), their statuses changed in the panel or by the accounting system.

pub mod changes;
pub mod document;
pub mod limits;

use std::str::FromStr;

use commerceml::Decimal;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use vitrina_store::{Db, NewOrder, OrderEvent, OrderLineRow, OrderRow, OrderStatus, TenantId};

use crate::catalog::canonical;
use crate::catalog::view::CatalogView;
use crate::domain::settings::Settings;
use crate::domain::{DomainError, tokens};
use crate::i18n::{Lang, Message};

/// A status's name for people.
pub fn status_label(status: OrderStatus, lang: Lang) -> &'static str {
    let (ru, en) = match status {
        OrderStatus::New => ("Новый", "New"),
        OrderStatus::Confirmed => ("Подтверждён", "Confirmed"),
        OrderStatus::Paid => ("Оплачен", "Paid"),
        OrderStatus::Shipped => ("Отгружен", "Shipped"),
        OrderStatus::Completed => ("Выполнен", "Completed"),
        OrderStatus::Cancelled => ("Отменён", "Cancelled"),
    };
    match lang {
        Lang::Ru => ru,
        Lang::En => en,
    }
}

/// `POST /api/v1/orders` as a storefront sends it.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct OrderInput {
    pub customer: Customer,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub comment: String,
    pub lines: Vec<LineInput>,
}

/// Who orders.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct Customer {
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
}

/// One line: a product or `product#variant`, and how many.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct LineInput {
    pub external_id: String,
    pub quantity: String,
}

/// An order as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrderView {
    pub number: String,
    pub status: String,
    pub currency: Option<String>,
    pub total: String,
    pub customer: Customer,
    pub address: String,
    pub comment: String,
    pub lines: Vec<LineView>,
    pub history: Vec<EventView>,
    pub status_url: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineView {
    pub external_id: String,
    pub name: String,
    pub quantity: String,
    pub price: String,
    pub sum: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct EventView {
    pub status: String,
    pub at: i64,
}

/// What placing an order came to.
#[derive(Debug)]
pub enum Placed {
    /// A new order.
    Created(OrderView),
    /// The same request with the same `Idempotency-Key` again: the order it created.
    Repeated(OrderView),
}

fn invalid(message: Message) -> DomainError {
    DomainError::Invalid(message)
}

/// Checks, prices and stores an order. Prices and totals come from the catalog (the shop's
/// price type), never from the request.
pub async fn place(
    db: &Db,
    tenant: TenantId,
    input: &OrderInput,
    idempotency_key: Option<&str>,
) -> Result<Placed, DomainError> {
    let request_hash = {
        let json = serde_json::to_vec(input).map_err(|e| DomainError::Internal(e.into()))?;
        Sha256::digest(&json)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    if let Some(key) = idempotency_key
        && let Some(existing) = db.order_by_idempotency_key(tenant, key).await?
    {
        if existing.request_hash.as_deref() != Some(request_hash.as_str()) {
            return Err(DomainError::Conflict(Message::IdempotencyKeyReused));
        }
        return Ok(Placed::Repeated(view(db, tenant, existing).await?));
    }
    limits::check(input)?;
    let name = input.customer.name.trim();
    if name.is_empty() {
        return Err(invalid(Message::OrderNoName));
    }
    if input.customer.phone.trim().is_empty() && input.customer.email.trim().is_empty() {
        return Err(invalid(Message::OrderNoContact));
    }
    if input.lines.is_empty() {
        return Err(invalid(Message::OrderNoLines));
    }
    let settings = Settings::load(db, tenant).await?.orders;
    let (allow_oversell, first_number) =
        (settings.allow_oversell, i64::from(settings.first_number));
    let catalog = CatalogView::load(db, tenant).await?;
    let mut lines = Vec::new();
    let mut total = Decimal::ZERO;
    let mut currency: Option<String> = None;
    for (index, line) in input.lines.iter().enumerate() {
        let bad = |reason: Message| {
            invalid(Message::OrderBadLine {
                line: index + 1,
                id: line.external_id.clone(),
                reason: Box::new(reason),
            })
        };
        let quantity = limits::quantity(&line.quantity).ok_or_else(|| {
            bad(Message::OrderBadQuantity {
                value: line.quantity.clone(),
            })
        })?;
        let (product_id, _) = commerceml::split_offer_id(&line.external_id);
        let product = catalog
            .product(db, tenant, product_id)
            .await?
            .ok_or_else(|| bad(Message::OrderUnknownItem))?;
        let (name, price, stock) = if line.external_id == product_id {
            (
                product.name.clone(),
                product.price.clone(),
                product.stock.total.clone(),
            )
        } else {
            let variant = product
                .variants
                .iter()
                .find(|v| v.external_id == line.external_id)
                .ok_or_else(|| bad(Message::OrderUnknownItem))?;
            let name = match &variant.name {
                Some(n) => n.clone(),
                None => product.name.clone(),
            };
            (name, variant.price.clone(), variant.stock.total.clone())
        };
        let price = price.ok_or_else(|| bad(Message::OrderNoPrice))?;
        let amount =
            Decimal::from_str(&price.amount).map_err(|e| DomainError::Internal(e.into()))?;
        if !allow_oversell {
            let available = Decimal::from_str(&stock).unwrap_or(Decimal::ZERO);
            if quantity > available {
                return Err(bad(Message::OrderNotEnoughStock { available: stock }));
            }
        }
        match (&currency, &price.currency) {
            (Some(have), Some(this)) if have != this => {
                return Err(bad(Message::OrderMixedCurrency));
            }
            (None, Some(this)) => currency = Some(this.clone()),
            _ => {}
        }
        let sum = amount
            .checked_mul(quantity)
            .ok_or_else(|| bad(Message::OrderTooLarge))?;
        total = total
            .checked_add(sum)
            .ok_or_else(|| bad(Message::OrderTooLarge))?;
        lines.push(OrderLineRow {
            external_id: line.external_id.clone(),
            name,
            sku: product.sku.clone(),
            unit: product.unit.clone(),
            quantity: canonical(quantity),
            price: canonical(amount),
            sum: canonical(sum),
        });
    }
    let token = tokens::new_token();
    let total = canonical(total);
    let new = NewOrder {
        customer_name: name,
        customer_phone: input.customer.phone.trim(),
        customer_email: input.customer.email.trim(),
        address: input.address.trim(),
        comment: input.comment.trim(),
        currency: currency.as_deref(),
        total: &total,
        status_token: &token,
        idempotency_key,
        request_hash: Some(&request_hash),
        lines: &lines,
    };
    let row = match db.create_order(tenant, &new, first_number).await {
        Ok(row) => row,
        // The same Idempotency-Key stored a moment ago by a concurrent request: its order.
        Err(vitrina_store::StoreError::Conflict) if idempotency_key.is_some() => {
            let key = idempotency_key.unwrap_or_default();
            let existing = db
                .order_by_idempotency_key(tenant, key)
                .await?
                .ok_or_else(|| DomainError::Conflict(Message::IdempotencyKeyReused))?;
            return Ok(Placed::Repeated(view(db, tenant, existing).await?));
        }
        Err(err) => return Err(err.into()),
    };
    Ok(Placed::Created(view(db, tenant, row).await?))
}

/// The order behind a customer's status URL.
pub async fn by_status_token(
    db: &Db,
    tenant: TenantId,
    token: &str,
) -> Result<Option<OrderView>, DomainError> {
    if token.len() > 128 {
        return Ok(None);
    }
    match db.order_by_status_token(tenant, token).await? {
        Some(row) => Ok(Some(view(db, tenant, row).await?)),
        None => Ok(None),
    }
}

/// An order with its lines and history, as the API shows it.
pub async fn view(db: &Db, tenant: TenantId, row: OrderRow) -> Result<OrderView, DomainError> {
    let lines = db.order_lines(tenant, row.id).await?;
    let history = db.order_history(tenant, row.id).await?;
    Ok(view_of(row, lines, &history))
}

/// An order as the API shows it, from rows already read (the panel reads the history for
/// itself: it also shows who made each change).
pub fn view_of(row: OrderRow, lines: Vec<OrderLineRow>, history: &[OrderEvent]) -> OrderView {
    OrderView {
        status_url: format!("/api/v1/orders/status/{}", row.status_token),
        number: row.number,
        status: row.status.to_string(),
        currency: row.currency,
        total: row.total,
        customer: Customer {
            name: row.customer_name,
            phone: row.customer_phone,
            email: row.customer_email,
        },
        address: row.address,
        comment: row.comment,
        lines: lines
            .into_iter()
            .map(|l| LineView {
                external_id: l.external_id,
                name: l.name,
                quantity: l.quantity,
                price: l.price,
                sum: l.sum,
            })
            .collect(),
        history: history
            .iter()
            .map(|e| EventView {
                status: e.status.to_string(),
                at: e.at,
            })
            .collect(),
        created_at: row.created_at,
    }
}
