//! What the accounting system's words mean for an order: each status value and flag it sends
//! is recorded per shop and mapped to a site status (guessed by word until the owner decides),
//! and a document's status is the furthest one its values map to.

use std::collections::HashMap;

use commerceml::Order;
use vitrina_store::{Db, OrderStatus, SiteStatus, StatusValue, TenantId};

use crate::domain::DomainError;

/// The requisite carrying the accounting system's own status name.
pub const STATUS: &str = "Статус заказа";

/// Flags: requisites whose value is true or false, and what `true` means by default.
pub const FLAGS: [(&str, SiteStatus); 5] = [
    ("Заказ оплачен", SiteStatus::Paid),
    ("Отгружен", SiteStatus::Shipped),
    ("Отменен", SiteStatus::Cancelled),
    ("ПометкаУдаления", SiteStatus::Cancelled),
    ("Финальный статус", SiteStatus::Completed),
];

/// The (requisite, value) pairs of one document that statuses are decided by; flags as
/// `true` / `false`, the status name as written.
pub fn reported(order: &Order) -> Vec<(String, String)> {
    let mut values = Vec::new();
    if let Some(status) = order
        .requisite(STATUS)
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        values.push((STATUS.to_owned(), status.to_owned()));
    }
    for (name, _) in FLAGS {
        let flag = order.requisite(name).map(truthy);
        // A `<ПометкаУдаления>` element says what the requisite would.
        let flag = match (name, flag) {
            ("ПометкаУдаления", None) if order.deletion_mark => Some(true),
            ("ПометкаУдаления", Some(false)) if order.deletion_mark => Some(true),
            _ => flag,
        };
        if let Some(flag) = flag {
            values.push((name.to_owned(), flag.to_string()));
        }
    }
    values
}

fn truthy(value: &str) -> bool {
    matches!(value.trim().to_lowercase().as_str(), "true" | "да" | "1")
}

/// The mapping a value starts with: flags by what they mean, status names by their words
/// (MoySklad's and 1C's usual ones), anything else left for the owner.
pub fn guess(requisite: &str, value: &str) -> SiteStatus {
    if let Some((_, meaning)) = FLAGS.iter().find(|(name, _)| *name == requisite) {
        return if value == "true" {
            *meaning
        } else {
            SiteStatus::Keep
        };
    }
    let text = value.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    if has(&["отмен", "аннулир", "возврат"]) {
        SiteStatus::Cancelled
    } else if has(&["выполн", "закрыт", "заверш", "получен"]) {
        SiteStatus::Completed
    } else if has(&["отгруж", "отправлен", "доставлен", "в пути"]) {
        SiteStatus::Shipped
    } else if has(&["не оплач", "неоплач", "ожида"]) {
        SiteStatus::Confirmed
    } else if has(&["оплач"]) {
        SiteStatus::Paid
    } else if has(&[
        "подтвержд",
        "принят",
        "в работе",
        "собран",
        "комплект",
        "резерв",
    ]) {
        SiteStatus::Confirmed
    } else if has(&["нов"]) {
        SiteStatus::New
    } else {
        SiteStatus::Unmapped
    }
}

/// How far along a status is: a document's status is the furthest its values map to.
fn rank(status: OrderStatus) -> u8 {
    match status {
        OrderStatus::New => 0,
        OrderStatus::Confirmed => 1,
        OrderStatus::Paid => 2,
        OrderStatus::Shipped => 3,
        OrderStatus::Completed => 4,
        OrderStatus::Cancelled => 5,
    }
}

/// The shop's mapping, looked up by (requisite, value).
pub struct Mapping(HashMap<(String, String), SiteStatus>);

impl Mapping {
    pub fn of(values: Vec<StatusValue>) -> Self {
        Self(
            values
                .into_iter()
                .map(|v| ((v.requisite, v.value), v.site_status))
                .collect(),
        )
    }

    /// The shop's whole mapping.
    pub async fn load(db: &Db, tenant: TenantId) -> Result<Self, DomainError> {
        Ok(Self::of(db.status_values(tenant).await?))
    }

    /// What a value means: as mapped, or as guessed for a value not seen before.
    fn get(&self, requisite: &str, value: &str) -> SiteStatus {
        self.0
            .get(&(requisite.to_owned(), value.to_owned()))
            .copied()
            .unwrap_or_else(|| guess(requisite, value))
    }

    /// The status these values come to, if any maps to one.
    pub fn decide(&self, values: &[(String, String)]) -> Option<OrderStatus> {
        values
            .iter()
            .filter_map(|(requisite, value)| self.get(requisite, value).status())
            .max_by_key(|s| rank(*s))
    }

    /// Whether any value maps to `status` (paid and shipped are also flags of their own).
    pub fn says(&self, values: &[(String, String)], status: OrderStatus) -> bool {
        values
            .iter()
            .any(|(requisite, value)| self.get(requisite, value).status() == Some(status))
    }
}

/// Records the values an applied file carried, new ones with their guess.
pub async fn note(
    db: &Db,
    tenant: TenantId,
    reports: &[Vec<(String, String)>],
) -> Result<(), DomainError> {
    let mut seen: Vec<(String, String, SiteStatus)> = reports
        .iter()
        .flatten()
        .map(|(requisite, value)| (requisite.clone(), value.clone(), guess(requisite, value)))
        .collect();
    seen.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    seen.dedup_by(|a, b| (&a.0, &a.1) == (&b.0, &b.1));
    db.note_status_values(tenant, &seen).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_words_have_a_guess_and_others_wait_for_the_owner() {
        for (value, expected) in [
            ("Отгружен", SiteStatus::Shipped),
            ("[F] Доставлен", SiteStatus::Shipped),
            ("Отменен", SiteStatus::Cancelled),
            ("Выполнен", SiteStatus::Completed),
            ("Подтвержден", SiteStatus::Confirmed),
            ("[N] Принят, ожидается оплата", SiteStatus::Confirmed),
            ("Не оплачен", SiteStatus::Confirmed),
            ("Оплачен", SiteStatus::Paid),
            ("Новый", SiteStatus::New),
            ("Передан курьеру", SiteStatus::Unmapped),
        ] {
            assert_eq!(guess(STATUS, value), expected, "{value}");
        }
        assert_eq!(guess("Отгружен", "true"), SiteStatus::Shipped);
        assert_eq!(guess("Отгружен", "false"), SiteStatus::Keep);
    }

    #[test]
    fn the_furthest_mapped_status_wins() {
        let mapping = Mapping::of(vec![
            value(STATUS, "Собран", SiteStatus::Confirmed),
            value("Заказ оплачен", "true", SiteStatus::Paid),
            value("Отменен", "false", SiteStatus::Keep),
            value(STATUS, "Странный", SiteStatus::Unmapped),
        ]);
        let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
            list.iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect()
        };
        let both = pairs(&[
            (STATUS, "Собран"),
            ("Заказ оплачен", "true"),
            ("Отменен", "false"),
        ]);
        assert_eq!(mapping.decide(&both), Some(OrderStatus::Paid));
        assert_eq!(mapping.decide(&pairs(&[(STATUS, "Странный")])), None);
    }

    fn value(requisite: &str, value: &str, site_status: SiteStatus) -> StatusValue {
        StatusValue {
            requisite: requisite.into(),
            value: value.into(),
            site_status,
            seen: 1,
            first_seen: 0,
            last_seen: 0,
        }
    }
}
