//! What can be wrong with one field of a posted order, in both languages.

use super::Lang;

/// The problem with an order's field ([`super::Message::OrderField`] names the field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderProblem {
    /// The API does not take this field.
    Unknown,
    /// A value of the wrong JSON type or shape.
    Json {
        reason: String,
    },
    /// Needed here and missing.
    Required,
    /// An ИНН that is not 10 or 12 digits with matching check digits.
    BadInn,
    /// A КПП that is not 9 characters of the right shape.
    BadKpp,
    /// A КПП with a 12-digit ИНН (sole traders have none).
    KppOfSoleTrader,
    /// A company's field on a person's order.
    OnlyForCompany,
    BadMoney {
        value: String,
    },
    BadPercent {
        value: String,
    },
    /// Both a percent and an amount.
    BothDiscounts,
    /// A discount larger than what it is taken from.
    DiscountAboveSum,
    /// One of the names Vitrina writes itself.
    ReservedName,
    /// More entries than taken.
    TooMany {
        max: usize,
    },
    /// An empty name.
    Empty,
}

impl OrderProblem {
    pub fn text(&self, lang: Lang) -> String {
        let ru = lang == Lang::Ru;
        let pick = |ru_text: String, en_text: String| if ru { ru_text } else { en_text };
        match self {
            Self::Unknown => pick(
                "такого поля API не принимает (см. /api/v1/openapi.json)".into(),
                "the API takes no such field (see /api/v1/openapi.json)".into(),
            ),
            Self::Json { reason } => pick(
                format!("не то значение: {reason}"),
                format!("wrong value: {reason}"),
            ),
            Self::Required => pick("нужно заполнить".into(), "is required".into()),
            Self::BadInn => pick(
                "ИНН — 10 цифр (организация) или 12 (ИП), с верными контрольными цифрами".into(),
                "an INN is 10 digits (a company) or 12 (a sole trader) with matching check digits"
                    .into(),
            ),
            Self::BadKpp => pick(
                "КПП — 9 знаков: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры".into(),
                "a KPP is 9 characters: 4 digits, 2 digits or capital Latin letters, 3 digits"
                    .into(),
            ),
            Self::KppOfSoleTrader => pick(
                "у ИП (12-значный ИНН) нет КПП".into(),
                "a sole trader (12-digit INN) has no KPP".into(),
            ),
            Self::OnlyForCompany => pick(
                "только для покупателя-компании (customer.kind = company)".into(),
                "only for a company buyer (customer.kind = company)".into(),
            ),
            Self::BadMoney { value } => pick(
                format!(
                    "«{value}» — не сумма: цифры и не больше двух знаков после точки (например, 350 или 350.50)"
                ),
                format!(
                    "\"{value}\" is not an amount: digits, at most two after the point (say 350 or 350.50)"
                ),
            ),
            Self::BadPercent { value } => pick(
                format!(
                    "«{value}» — не процент: число больше 0 и не больше 100, до двух знаков после точки"
                ),
                format!(
                    "\"{value}\" is not a percentage: above 0 and at most 100, at most two digits after the point"
                ),
            ),
            Self::BothDiscounts => pick(
                "укажите либо discount_percent, либо discount_amount".into(),
                "give discount_percent or discount_amount, not both".into(),
            ),
            Self::DiscountAboveSum => pick(
                "скидка больше суммы, с которой она берётся".into(),
                "the discount is more than the sum it is taken from".into(),
            ),
            Self::ReservedName => pick(
                "это имя реквизита Витрина пишет сама".into(),
                "Vitrina writes a requisite of this name itself".into(),
            ),
            Self::TooMany { max } => pick(format!("не больше {max}"), format!("at most {max}")),
            Self::Empty => pick(
                "имя не может быть пустым".into(),
                "the name cannot be empty".into(),
            ),
        }
    }
}
