//! The registry of per-tenant settings: keys, kinds, defaults, and validation.
//!
//! The store keeps explicitly set values as text; a key never set has its default. This module
//! guarantees that every stored value is one the setting can take, and is the only place that
//! reads a value by its key (see [`super::resolved`] for what the values mean).

use std::str::FromStr;

use vitrina_store::{Db, TenantId};

use super::resolved::{OrdersEncoding, PicturePolicy, SmtpTls};
use crate::domain::DomainError;
use crate::i18n::Message;

/// Every key, named once.
pub mod key {
    pub const ZIP: &str = "commerceml.zip";
    pub const FILE_LIMIT: &str = "commerceml.file_limit";
    pub const MAX_FILE_BYTES: &str = "commerceml.max_file_bytes";
    pub const MAX_BATCH_BYTES: &str = "commerceml.max_batch_bytes";
    pub const KEEP_BATCHES_DAYS: &str = "commerceml.keep_batches_days";
    pub const ROOT_GROUP: &str = "commerceml.root_group";
    pub const PRICE_TYPE: &str = "commerceml.price_type";
    pub const WAREHOUSES: &str = "commerceml.warehouses";
    pub const IMAGES: &str = "commerceml.images";
    pub const DEACTIVATE_MISSING: &str = "commerceml.deactivate_missing";
    pub const MATCH_BY_SKU: &str = "commerceml.match_by_sku";
    pub const ORDERS: &str = "commerceml.orders";
    pub const ORDERS_ENCODING: &str = "commerceml.orders_encoding";
    pub const ALLOW_OVERSELL: &str = "orders.allow_oversell";
    pub const FIRST_NUMBER: &str = "orders.first_number";
    pub const BRAKE_OFFSALE: &str = "catalog.brake_offsale_percent";
    pub const BRAKE_UNPRICED: &str = "catalog.brake_unpriced_percent";
    pub const BRAKE_PICTURES: &str = "catalog.brake_pictures_percent";
    pub const HISTORY_DAYS: &str = "catalog.history_days";
    pub const HIDE_WITHOUT_STOCK: &str = "catalog.hide_without_stock";
    pub const HIDE_WITHOUT_PRICE: &str = "catalog.hide_without_price";
    pub const HIDE_WITHOUT_PICTURES: &str = "catalog.hide_without_pictures";
    pub const WEBHOOK_URL: &str = "alerts.webhook_url";
    pub const WEBHOOK_SECRET: &str = "alerts.webhook_secret";
    pub const EMAIL_TO: &str = "alerts.email_to";
    pub const SMTP_HOST: &str = "alerts.smtp_host";
    pub const SMTP_PORT: &str = "alerts.smtp_port";
    pub const SMTP_TLS: &str = "alerts.smtp_tls";
    pub const SMTP_LOGIN: &str = "alerts.smtp_login";
    pub const SMTP_PASSWORD: &str = "alerts.smtp_password";
    pub const SMTP_FROM: &str = "alerts.smtp_from";
    pub const NO_EXCHANGE_HOURS: &str = "alerts.no_exchange_hours";
    pub const PICKUP_ALERT_HOURS: &str = "orders.pickup_alert_hours";
}

/// What values a setting takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `true` or `false`.
    Bool,
    /// A size in bytes, above zero.
    Bytes,
    /// A whole number, zero or more.
    Count,
    /// A whole percentage, 0 to 100.
    Percent,
    /// Comma-separated items without spaces; empty means "all" or "none" as documented.
    List,
    /// One of a fixed set of words.
    Choice(&'static [&'static str]),
    /// One line of free text (an Ид or a name); empty is allowed.
    Text,
}

/// One setting of the catalog.
#[derive(Debug)]
pub struct Setting {
    /// The key, e.g. `commerceml.zip`.
    pub key: &'static str,
    /// Its kind.
    pub kind: Kind,
    /// The value in effect when none was set.
    pub default: &'static str,
}

const fn setting(key: &'static str, kind: Kind, default: &'static str) -> Setting {
    Setting { key, kind, default }
}

/// Every setting there is.
pub static CATALOG: &[Setting] = &[
    setting(key::ZIP, Kind::Bool, "false"),
    setting(key::FILE_LIMIT, Kind::Bytes, "8388608"),
    setting(key::MAX_FILE_BYTES, Kind::Bytes, "2147483648"),
    setting(key::MAX_BATCH_BYTES, Kind::Bytes, "8589934592"),
    setting(key::KEEP_BATCHES_DAYS, Kind::Count, "7"),
    setting(key::ROOT_GROUP, Kind::Text, ""),
    setting(key::PRICE_TYPE, Kind::Text, ""),
    setting(key::WAREHOUSES, Kind::List, ""),
    setting(
        key::IMAGES,
        Kind::Choice(PicturePolicy::WORDS),
        "keep_admin",
    ),
    setting(key::DEACTIVATE_MISSING, Kind::Bool, "true"),
    // A card deleted and made again in the accounting system gets a new Ид; with this on, a
    // new Ид whose Артикул matches a product gone from the same full pass takes that product.
    setting(key::MATCH_BY_SKU, Kind::Bool, "false"),
    setting(key::ORDERS, Kind::Bool, "false"),
    setting(
        key::ORDERS_ENCODING,
        Kind::Choice(OrdersEncoding::WORDS),
        "utf-8",
    ),
    setting(key::ALLOW_OVERSELL, Kind::Bool, "true"),
    // Shops moving from another site continue their numbering.
    setting(key::FIRST_NUMBER, Kind::Count, "1001"),
    // Orders the accounting system has not picked up for this many hours are flagged in the
    // list and alerted on (0: never).
    setting(key::PICKUP_ALERT_HOURS, Kind::Count, "2"),
    // The safety brake: a full pass beyond any of these is held for the owner (0 = no check).
    setting(key::BRAKE_OFFSALE, Kind::Percent, "30"),
    setting(key::BRAKE_UNPRICED, Kind::Percent, "30"),
    setting(key::BRAKE_PICTURES, Kind::Percent, "30"),
    // How long what each publish changed is kept, to roll back to.
    setting(key::HISTORY_DAYS, Kind::Count, "14"),
    // Visibility rules, applied when storefronts read: active products are hidden without
    // counted stock, without the shop's price or without pictures.
    setting(key::HIDE_WITHOUT_STOCK, Kind::Bool, "false"),
    setting(key::HIDE_WITHOUT_PRICE, Kind::Bool, "false"),
    setting(key::HIDE_WITHOUT_PICTURES, Kind::Bool, "false"),
    // Alerts: a webhook (signed with the secret) and e-mail through the shop's SMTP server.
    setting(key::WEBHOOK_URL, Kind::Text, ""),
    setting(key::WEBHOOK_SECRET, Kind::Text, ""),
    setting(key::EMAIL_TO, Kind::List, ""),
    setting(key::SMTP_HOST, Kind::Text, ""),
    setting(key::SMTP_PORT, Kind::Count, "587"),
    setting(key::SMTP_TLS, Kind::Choice(SmtpTls::WORDS), "starttls"),
    setting(key::SMTP_LOGIN, Kind::Text, ""),
    setting(key::SMTP_PASSWORD, Kind::Text, ""),
    setting(key::SMTP_FROM, Kind::Text, ""),
    // Hours without a successful exchange, and with orders not picked up, before an alert
    // (0: none).
    setting(key::NO_EXCHANGE_HOURS, Kind::Count, "3"),
];

/// Settings whose values are secrets: never printed back.
pub const SECRETS: [&str; 2] = [key::WEBHOOK_SECRET, key::SMTP_PASSWORD];

/// The setting with this key.
pub fn find(key: &str) -> Result<&'static Setting, DomainError> {
    CATALOG.iter().find(|s| s.key == key).ok_or_else(|| {
        DomainError::Invalid(Message::UnknownSetting {
            key: key.to_owned(),
        })
    })
}

impl Setting {
    /// Checks `value` against the kind. The empty string is always accepted: it resets.
    pub fn validate(&self, value: &str) -> Result<(), DomainError> {
        crate::domain::input::line(self.key, value, MAX_VALUE)?;
        if value.is_empty() || self.accepts(value) {
            return Ok(());
        }
        Err(DomainError::Invalid(Message::InvalidSettingValue {
            key: self.key.to_owned(),
            value: value.to_owned(),
            expected: Box::new(self.expected()),
        }))
    }

    fn accepts(&self, value: &str) -> bool {
        let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
        match self.kind {
            Kind::Bool => matches!(value, "true" | "false"),
            Kind::Bytes => digits && value.parse::<u64>().is_ok_and(|n| n > 0),
            Kind::Count => digits && value.parse::<u32>().is_ok(),
            Kind::Percent => digits && value.parse::<u32>().is_ok_and(|n| n <= 100),
            Kind::List => value.split(',').all(|item| {
                !item.is_empty() && !item.chars().any(|c| c.is_whitespace() || c.is_control())
            }),
            Kind::Choice(choices) => choices.contains(&value),
            Kind::Text => value.trim() == value && !value.chars().any(char::is_control),
        }
    }

    fn expected(&self) -> Message {
        match self.kind {
            Kind::Bool => Message::ExpectedBool,
            Kind::Bytes => Message::ExpectedBytes,
            Kind::Count => Message::ExpectedCount,
            Kind::Percent => Message::ExpectedPercent,
            Kind::List => Message::ExpectedList,
            Kind::Choice(choices) => Message::ExpectedChoice {
                choices: choices.join(", "),
            },
            Kind::Text => Message::ExpectedText,
        }
    }
}

/// Longest setting value, in characters.
const MAX_VALUE: usize = 1000;

/// Sets `key` to `value` for a tenant; the empty string resets it to the default.
pub async fn set(db: &Db, tenant: TenantId, key: &str, value: &str) -> Result<(), DomainError> {
    let setting = find(key)?;
    setting.validate(value)?;
    let stored = (!value.is_empty()).then_some(value);
    db.set_tenant_setting(tenant, setting.key, stored).await?;
    Ok(())
}

/// A tenant's settings as text: each key's stored value, or its default, in catalog order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Raw {
    values: Vec<(&'static str, String)>,
}

impl Raw {
    /// The settings of a tenant.
    pub async fn load(db: &Db, tenant: TenantId) -> Result<Self, DomainError> {
        let mut stored = db.tenant_settings(tenant).await?;
        Ok(Self::from_stored(|key| stored.remove(key)))
    }

    /// Every setting at its default.
    pub fn defaults() -> Self {
        Self::from_stored(|_| None)
    }

    fn from_stored(mut stored: impl FnMut(&str) -> Option<String>) -> Self {
        let values = CATALOG
            .iter()
            .map(|s| (s.key, stored(s.key).unwrap_or_else(|| s.default.to_owned())))
            .collect();
        Self { values }
    }

    /// Each key with its value, in catalog order (to show or edit them, not to act on them).
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.values.iter().map(|(k, v)| (*k, v.as_str()))
    }

    /// The same settings with one value changed (tests and previews).
    pub fn with(mut self, key: &str, value: &str) -> Self {
        if let Some((_, v)) = self.values.iter_mut().find(|(k, _)| *k == key) {
            value.clone_into(v);
        }
        self
    }

    /// The text of a key.
    fn text(&self, key: &str) -> &str {
        self.values
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{key} is not in the settings catalog"))
    }

    /// A key's value parsed. A stored value that no longer parses (written by an older
    /// version) reads as the default, which a unit test proves parses.
    pub(super) fn parse<T: FromStr>(&self, key: &'static str) -> T {
        self.text(key).parse().unwrap_or_else(|_| {
            tracing::warn!(
                key,
                value = self.text(key),
                "stored setting unreadable; default used"
            );
            find(key)
                .ok()
                .and_then(|s| s.default.parse().ok())
                .unwrap_or_else(|| panic!("the default of {key} does not parse"))
        })
    }

    /// A text key: `None` when empty.
    pub(super) fn optional(&self, key: &'static str) -> Option<String> {
        Some(self.text(key))
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    }

    /// A list key: its items (empty: none).
    pub(super) fn list(&self, key: &'static str) -> Vec<String> {
        self.text(key)
            .split(',')
            .filter(|item| !item.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accepts(key: &str, value: &str) -> bool {
        find(key).unwrap().validate(value).is_ok()
    }

    #[test]
    fn values_are_checked_against_their_kind() {
        assert!(accepts("commerceml.zip", "true") && accepts("commerceml.zip", "false"));
        assert!(!accepts("commerceml.zip", "yes") && !accepts("commerceml.zip", "TRUE"));
        assert!(accepts("commerceml.file_limit", "1048576"));
        for bad in ["0", "-1", "1e6", "1 000", "8M", "99999999999999999999999"] {
            assert!(!accepts("commerceml.file_limit", bad), "{bad}");
        }
        assert!(accepts("commerceml.keep_batches_days", "0"));
        assert!(!accepts("commerceml.keep_batches_days", "seven"));
        for (value, ok) in [
            ("0", true),
            ("100", true),
            ("101", false),
            ("-5", false),
            ("30%", false),
        ] {
            assert_eq!(
                accepts("catalog.brake_offsale_percent", value),
                ok,
                "{value}"
            );
        }
        assert!(accepts("commerceml.warehouses", "a1,b-2"));
        for bad in ["a, b", "a,,b", "a,", ",a"] {
            assert!(!accepts("commerceml.warehouses", bad), "{bad}");
        }
        assert!(accepts("commerceml.images", "replace") && !accepts("commerceml.images", "all"));
        assert!(accepts("commerceml.orders_encoding", "windows-1251"));
        assert!(accepts("commerceml.price_type", "Розничная цена"));
        assert!(!accepts("commerceml.price_type", " padded"));
        assert!(accepts("commerceml.zip", ""), "the empty string resets");
    }

    #[test]
    fn every_default_is_a_valid_value() {
        for setting in CATALOG {
            assert!(setting.validate(setting.default).is_ok(), "{}", setting.key);
        }
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert_eq!(
            find("commerceml.zipp").unwrap_err().message(),
            Message::UnknownSetting {
                key: "commerceml.zipp".into()
            }
        );
    }
}
