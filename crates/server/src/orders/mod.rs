//! Orders: placed by storefronts and priced from the catalog, sent to MoySklad and 1C
//! (`type=sale`), their statuses changed in the panel or by the accounting system.

pub mod changes;
pub mod document;
pub mod input;
pub mod journey;
pub mod limits;
pub mod pricing;
pub mod statuses;

use std::collections::BTreeMap;
use std::str::FromStr;

use commerceml::Decimal;
use serde::Serialize;
use sha2::{Digest, Sha256};
use vitrina_store::{
    CustomerKind, Db, NewOrder, OrderEvent, OrderLineRow, OrderRow, OrderStatus, TenantId,
};

pub use input::{CustomerInput, DeliveryInput, LineInput, OrderInput};
use pricing::Asked;

use crate::catalog::canonical;
use crate::catalog::view::CatalogView;
use crate::domain::settings::Settings;
use crate::domain::{DomainError, tokens};
use crate::i18n::{Lang, Message, OrderProblem};

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

/// An order as the API shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct OrderView {
    pub number: String,
    pub status: String,
    /// The status in the shop's words, for the customer.
    pub status_text: String,
    pub currency: Option<String>,
    /// What the lines come to after every discount, plus delivery.
    pub total: String,
    pub customer: CustomerView,
    pub address: String,
    pub comment: String,
    pub lines: Vec<LineView>,
    pub delivery: Option<DeliveryView>,
    pub payment_method: String,
    pub discount: Option<DiscountView>,
    pub extra: BTreeMap<String, String>,
    pub history: Vec<EventView>,
    pub status_url: String,
    pub created_at: i64,
}

/// Who ordered; the company fields only for a company.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CustomerView {
    pub kind: &'static str,
    pub name: String,
    pub phone: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inn: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kpp: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_address: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DeliveryView {
    pub method: String,
    pub price: String,
    pub address: String,
}

/// The order's own discount.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DiscountView {
    pub percent: Option<String>,
    pub amount: String,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineView {
    pub external_id: String,
    pub name: String,
    pub quantity: String,
    pub price: String,
    /// The line's own discount percent, if one was asked for.
    pub discount_percent: Option<String>,
    /// Everything taken off the line: its own discount and its share of the order's.
    pub discount: String,
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
    let company = input::company(&input.customer)?;
    let order_discount = Asked::read(
        "",
        input.discount_percent.as_deref(),
        input.discount_amount.as_deref(),
    )?;
    let delivery_price = match &input.delivery {
        Some(d) => Some(pricing::money("delivery.price", &d.price)?),
        None => None,
    };
    let settings = Settings::load(db, tenant).await?.orders;
    let (allow_oversell, first_number) =
        (settings.allow_oversell, i64::from(settings.first_number));
    let catalog = CatalogView::load(db, tenant).await?;
    let mut lines = Vec::new();
    let mut nets = Vec::new();
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
        let prefix = format!("lines[{index}].");
        let asked = Asked::read(
            &prefix,
            line.discount_percent.as_deref(),
            line.discount_amount.as_deref(),
        )?;
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
        let gross = amount
            .checked_mul(quantity)
            .ok_or_else(|| bad(Message::OrderTooLarge))?;
        let own = asked.of(gross).ok_or_else(|| {
            input::refuse(
                format!("{prefix}discount_amount"),
                OrderProblem::DiscountAboveSum,
            )
        })?;
        nets.push(gross - own);
        lines.push(OrderLineRow {
            external_id: line.external_id.clone(),
            name,
            sku: product.sku.clone(),
            unit: product.unit.clone(),
            quantity: canonical(quantity),
            price: canonical(amount),
            discount_percent: asked.percent().map(canonical),
            line_discount: canonical(own),
            order_discount: String::new(),
            sum: String::new(),
        });
    }
    let goods: Decimal = nets.iter().copied().sum();
    let discount_field = if input.discount_percent.is_some() {
        "discount_percent"
    } else {
        "discount_amount"
    };
    let discount = order_discount
        .of(goods)
        .ok_or_else(|| input::refuse(discount_field, OrderProblem::DiscountAboveSum))?;
    let shares = pricing::spread(discount, &nets)
        .ok_or_else(|| input::refuse(discount_field, OrderProblem::DiscountAboveSum))?;
    for ((line, net), share) in lines.iter_mut().zip(&nets).zip(&shares) {
        line.order_discount = canonical(*share);
        line.sum = canonical(*net - *share);
    }
    let total = (goods - discount)
        .checked_add(delivery_price.unwrap_or(Decimal::ZERO))
        .ok_or_else(|| invalid(Message::OrderTooLarge))?;
    let extra = serde_json::to_string(&input.extra).map_err(|e| DomainError::Internal(e.into()))?;
    let company = company.unwrap_or_default();
    let delivery_price = delivery_price.map(canonical);
    let discount_percent = order_discount.percent().map(canonical);
    let discount = canonical(discount);
    let token = tokens::new_token();
    let total = canonical(total);
    let delivery = input.delivery.as_ref();
    let new = NewOrder {
        customer_name: name,
        customer_phone: input.customer.phone.trim(),
        customer_email: input.customer.email.trim(),
        address: input.address.trim(),
        comment: input.comment.trim(),
        customer_kind: input.customer.kind.into(),
        company_inn: &company.inn,
        company_kpp: &company.kpp,
        legal_address: &company.legal_address,
        delivery_price: delivery_price.as_deref(),
        delivery_method: delivery.map_or("", |d| d.method.trim()),
        delivery_address: delivery.map_or("", |d| d.address.trim()),
        payment_method: input.payment_method.trim(),
        discount_percent: discount_percent.as_deref(),
        discount_amount: &discount,
        extra: &extra,
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
    let company = row.customer_kind == CustomerKind::Company;
    let if_company = |value: String| company.then_some(value);
    OrderView {
        status_url: format!("/api/v1/orders/status/{}", row.status_token),
        number: row.number,
        status: row.status.to_string(),
        status_text: status_label(row.status, Lang::Ru).to_owned(),
        currency: row.currency,
        total: row.total,
        customer: CustomerView {
            kind: row.customer_kind.as_str(),
            name: row.customer_name,
            phone: row.customer_phone,
            email: row.customer_email,
            inn: if_company(row.company_inn),
            kpp: if_company(row.company_kpp).filter(|k| !k.is_empty()),
            legal_address: if_company(row.legal_address),
        },
        address: row.address,
        comment: row.comment,
        lines: lines
            .into_iter()
            .map(|l| LineView {
                discount: canonical(money_of(&l.line_discount) + money_of(&l.order_discount)),
                external_id: l.external_id,
                name: l.name,
                quantity: l.quantity,
                price: l.price,
                discount_percent: l.discount_percent,
                sum: l.sum,
            })
            .collect(),
        delivery: row.delivery_price.map(|price| DeliveryView {
            method: row.delivery_method,
            price,
            address: row.delivery_address,
        }),
        payment_method: row.payment_method,
        discount: (row.discount_percent.is_some()
            || money_of(&row.discount_amount) > Decimal::ZERO)
            .then_some(DiscountView {
                percent: row.discount_percent,
                amount: row.discount_amount,
            }),
        extra: serde_json::from_str(&row.extra).unwrap_or_default(),
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

/// A stored amount (always written by [`canonical`]); 0 for the empty text of older rows.
pub fn money_of(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap_or(Decimal::ZERO)
}
