//! `POST /api/v1/orders` as a storefront sends it: read strictly (an unknown field is refused,
//! never dropped, so a storefront cannot believe something was taken that was not), and every
//! refusal names the field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vitrina_store::CustomerKind;

use crate::domain::DomainError;
use crate::i18n::{Message, OrderProblem};

/// An order as posted.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    pub customer: CustomerInput,
    /// Where to deliver, for orders without `delivery` (kept for older storefronts).
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub comment: String,
    pub lines: Vec<LineInput>,
    #[serde(default)]
    pub delivery: Option<DeliveryInput>,
    #[serde(default)]
    pub payment_method: String,
    /// The order's own discount, on the goods after the lines' own.
    #[serde(default)]
    pub discount_percent: Option<String>,
    #[serde(default)]
    pub discount_amount: Option<String>,
    /// The shop's own fields: sent as requisites under these names.
    #[serde(default)]
    pub extra: BTreeMap<String, String>,
}

/// Who orders: a person (the default) or a company.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CustomerInput {
    #[serde(default)]
    pub kind: Kind,
    /// A person's name, or a company's.
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    /// Companies only: ИНН (10 digits; 12 for a sole trader).
    #[serde(default)]
    pub inn: Option<String>,
    /// Companies with a 10-digit ИНН: КПП.
    #[serde(default)]
    pub kpp: Option<String>,
    #[serde(default)]
    pub legal_address: Option<String>,
}

/// `customer.kind`.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Person,
    Company,
}

impl From<Kind> for CustomerKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Person => Self::Person,
            Kind::Company => Self::Company,
        }
    }
}

/// `delivery`: a service line in the accounting system.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct DeliveryInput {
    #[serde(default)]
    pub method: String,
    /// What delivery costs the buyer, in the order's currency ("0" when free).
    pub price: String,
    #[serde(default)]
    pub address: String,
}

/// One line: a product or `product#variant`, how many, and its own discount.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LineInput {
    pub external_id: String,
    pub quantity: String,
    #[serde(default)]
    pub discount_percent: Option<String>,
    #[serde(default)]
    pub discount_amount: Option<String>,
}

/// Reads a posted order; a refusal names the field at fault (`customer.inn`, `lines[2].quantity`).
pub fn parse(body: &[u8]) -> Result<OrderInput, DomainError> {
    let mut json = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut json).map_err(|err| {
        // The path ends at the field at fault, an unknown one included.
        let field = err.path().to_string();
        let reason = err.inner().to_string();
        let problem = if reason.starts_with("unknown field") {
            OrderProblem::Unknown
        } else {
            OrderProblem::Json {
                reason: reason
                    .split(" at line ")
                    .next()
                    .unwrap_or(&reason)
                    .to_owned(),
            }
        };
        match field.as_str() {
            "." | "" => DomainError::Invalid(Message::BadJson { reason }),
            _ => DomainError::Invalid(Message::OrderField { field, problem }),
        }
    })
}

/// A refusal of `field`.
pub fn refuse(field: impl Into<String>, problem: OrderProblem) -> DomainError {
    DomainError::Invalid(Message::OrderField {
        field: field.into(),
        problem,
    })
}

/// A buyer's company as checked: ИНН with a valid checksum, КПП when the ИНН is a company's.
/// Empty for a person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Company {
    pub inn: String,
    pub kpp: String,
    pub legal_address: String,
}

/// Checks the company fields against the kind: a company needs a valid ИНН (and КПП for a
/// 10-digit one); a person has none of them.
pub fn company(customer: &CustomerInput) -> Result<Option<Company>, DomainError> {
    fn given(value: &Option<String>) -> Option<&str> {
        value.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    match customer.kind {
        Kind::Person => {
            for (field, value) in [
                ("customer.inn", &customer.inn),
                ("customer.kpp", &customer.kpp),
                ("customer.legal_address", &customer.legal_address),
            ] {
                if given(value).is_some() {
                    return Err(refuse(field, OrderProblem::OnlyForCompany));
                }
            }
            Ok(None)
        }
        Kind::Company => {
            let inn = given(&customer.inn)
                .ok_or_else(|| refuse("customer.inn", OrderProblem::Required))?;
            if !inn_is_valid(inn) {
                return Err(refuse("customer.inn", OrderProblem::BadInn));
            }
            let kpp = given(&customer.kpp);
            let kpp = match (inn.len(), kpp) {
                (10, None) => return Err(refuse("customer.kpp", OrderProblem::Required)),
                (10, Some(kpp)) if !kpp_is_valid(kpp) => {
                    return Err(refuse("customer.kpp", OrderProblem::BadKpp));
                }
                (12, Some(_)) => return Err(refuse("customer.kpp", OrderProblem::KppOfSoleTrader)),
                (_, kpp) => kpp.unwrap_or_default(),
            };
            Ok(Some(Company {
                inn: inn.to_owned(),
                kpp: kpp.to_owned(),
                legal_address: given(&customer.legal_address)
                    .unwrap_or_default()
                    .to_owned(),
            }))
        }
    }
}

/// A Russian taxpayer number: 10 digits (an organisation) or 12 (a person or sole trader) whose
/// check digits match (the Federal Tax Service's weights).
pub fn inn_is_valid(inn: &str) -> bool {
    let digits: Vec<u32> = inn.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != inn.len() {
        return false;
    }
    let check = |weights: &[u32], upto: usize| {
        let sum: u32 = weights
            .iter()
            .zip(&digits[..upto])
            .map(|(w, d)| w * d)
            .sum();
        sum % 11 % 10
    };
    const W10: [u32; 9] = [2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W11: [u32; 10] = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    const W12: [u32; 11] = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
    match digits.len() {
        10 => check(&W10, 9) == digits[9],
        12 => check(&W11, 10) == digits[10] && check(&W12, 11) == digits[11],
        _ => false,
    }
}

/// A КПП: four digits (the tax office), two digits or capital Latin letters (the reason), three
/// digits.
pub fn kpp_is_valid(kpp: &str) -> bool {
    let bytes = kpp.as_bytes();
    bytes.len() == 9
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4..6]
            .iter()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
        && bytes[6..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taxpayer_numbers_are_checked_by_their_check_digits() {
        // Published numbers: Sberbank, Yandex (10 digits), and a valid 12-digit one.
        for good in ["7707083893", "7736207543", "500100732259"] {
            assert!(inn_is_valid(good), "{good}");
        }
        for bad in [
            "7707083894",
            "770708389",
            "500100732258",
            "77070838930",
            "77070838a3",
            "",
        ] {
            assert!(!inn_is_valid(bad), "{bad}");
        }
        assert!(kpp_is_valid("773601001"));
        assert!(kpp_is_valid("7736AB001"));
        for bad in ["77360100", "7736ab001", "77360100X", "7736010011"] {
            assert!(!kpp_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn refusals_name_the_field() {
        let field = |body: &str| match parse(body.as_bytes()) {
            Err(DomainError::Invalid(Message::OrderField { field, .. })) => field,
            other => panic!("{other:?}"),
        };
        let lines = r#""lines":[{"external_id":"a","quantity":"1"}]"#;
        assert_eq!(
            field(&format!(r#"{{"customer":{{"name":"a","inn":1}},{lines}}}"#)),
            "customer.inn"
        );
        assert_eq!(
            field(&format!(
                r#"{{"customer":{{"name":"a","vat":"1"}},{lines}}}"#
            )),
            "customer.vat"
        );
        assert_eq!(
            field(&format!(
                r#"{{"customer":{{"name":"a"}},{lines},"coupon":"X"}}"#
            )),
            "coupon"
        );
        assert_eq!(
            field(
                r#"{"customer":{"name":"a"},"lines":[{"external_id":"a","quantity":"1","price":"1"}]}"#
            ),
            "lines[0].price"
        );
        assert_eq!(
            field(&format!(
                r#"{{"customer":{{"name":"a","kind":"firm"}},{lines}}}"#
            )),
            "customer.kind"
        );
    }
}
