//! What a storefront's order may hold: every field bounded, quantities plain decimals, so no
//! input can flood the database or overflow the arithmetic.

use std::str::FromStr;

use commerceml::Decimal;

use super::OrderInput;
use super::input::refuse;
use crate::domain::{DomainError, input};
use crate::i18n::{Message, OrderProblem};

/// Largest order body, in bytes.
pub const MAX_BODY: usize = 256 * 1024;
/// Most lines in one order.
const MAX_LINES: usize = 500;
/// Largest quantity of one line.
const MAX_QUANTITY: u32 = 1_000_000;
/// Most digits after the point in a quantity.
const MAX_SCALE: usize = 3;
/// Most of the shop's own fields on one order.
const MAX_EXTRA: usize = 30;

/// Refuses an order whose fields are too long, hold control characters, or that has too many
/// lines; the error names the field.
pub fn check(order: &OrderInput) -> Result<(), DomainError> {
    let customer = &order.customer;
    input::line("customer.name", &customer.name, 200)?;
    input::line("customer.phone", &customer.phone, 50)?;
    input::line("customer.email", &customer.email, 254)?;
    input::text("address", &order.address, 1000)?;
    input::text("comment", &order.comment, 2000)?;
    for (field, value) in [
        ("customer.inn", &customer.inn),
        ("customer.kpp", &customer.kpp),
    ] {
        input::line(field, value.as_deref().unwrap_or_default(), 12)?;
    }
    let legal = customer.legal_address.as_deref().unwrap_or_default();
    input::text("customer.legal_address", legal, 1000)?;
    if let Some(delivery) = &order.delivery {
        input::line("delivery.method", &delivery.method, 200)?;
        input::line("delivery.price", &delivery.price, 32)?;
        input::text("delivery.address", &delivery.address, 1000)?;
    }
    input::line("payment_method", &order.payment_method, 200)?;
    for (field, value) in [
        ("discount_percent", &order.discount_percent),
        ("discount_amount", &order.discount_amount),
    ] {
        input::line(field, value.as_deref().unwrap_or_default(), 32)?;
    }
    if order.extra.len() > MAX_EXTRA {
        return Err(refuse("extra", OrderProblem::TooMany { max: MAX_EXTRA }));
    }
    for (name, value) in &order.extra {
        let field = format!("extra.{name}");
        if name.trim().is_empty() {
            return Err(refuse(field, OrderProblem::Empty));
        }
        input::line(&field, name, 100)?;
        input::text(&field, value, 1000)?;
        if super::document::WRITTEN_REQUISITES.contains(&name.trim()) {
            return Err(refuse(field, OrderProblem::ReservedName));
        }
    }
    if order.lines.len() > MAX_LINES {
        return Err(DomainError::Invalid(Message::OrderTooManyLines {
            max: MAX_LINES,
        }));
    }
    for (index, line) in order.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{index}].{name}");
        input::line(&field("external_id"), &line.external_id, 512)?;
        input::line(&field("quantity"), &line.quantity, 32)?;
        for (name, value) in [
            ("discount_percent", &line.discount_percent),
            ("discount_amount", &line.discount_amount),
        ] {
            input::line(&field(name), value.as_deref().unwrap_or_default(), 32)?;
        }
    }
    Ok(())
}

/// A quantity as people write it: digits, optionally a point and at most three more digits;
/// above zero and at most a million. No exponents, signs, separators or grouping.
pub fn quantity(text: &str) -> Option<Decimal> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let point_without_digits = text.contains('.') && fraction.is_empty();
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let plain = !whole.is_empty()
        && whole.len() <= 7
        && digits(whole)
        && digits(fraction)
        && fraction.len() <= MAX_SCALE
        && !point_without_digits;
    if !plain {
        return None;
    }
    Decimal::from_str(text)
        .ok()
        .filter(|q| *q > Decimal::ZERO && *q <= Decimal::from(MAX_QUANTITY))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_are_plain_bounded_decimals() {
        for good in ["1", "2.5", "0.001", "1000000", " 3 ", "10.250"] {
            assert!(quantity(good).is_some(), "{good}");
        }
        for bad in [
            "0",
            "0.000",
            "-1",
            "+1",
            "1e3",
            "1_000",
            "1,5",
            "1.",
            ".5",
            "0.0001",
            "1000000.001",
            "79228162514264337593543950335",
            "1e-28",
            "NaN",
            "",
        ] {
            assert!(quantity(bad).is_none(), "{bad}");
        }
    }
}
