//! The typed catalog of per-tenant settings: keys, kinds, defaults, and validation.
//!
//! The store keeps explicitly set values as text; a key never set has its default. The issues
//! that use a setting give it its effect; this module only guarantees that every stored value
//! is one the setting can take.

use vitrina_store::{Db, TenantId};

use crate::domain::DomainError;
use crate::i18n::Message;

/// What values a setting takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `true` or `false`.
    Bool,
    /// A size in bytes, above zero.
    Bytes,
    /// A whole number, zero or more.
    Count,
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
    setting("commerceml.zip", Kind::Bool, "false"),
    setting("commerceml.file_limit", Kind::Bytes, "8388608"),
    setting("commerceml.max_file_bytes", Kind::Bytes, "2147483648"),
    setting("commerceml.max_batch_bytes", Kind::Bytes, "8589934592"),
    setting("commerceml.keep_batches_days", Kind::Count, "7"),
    setting("commerceml.root_group", Kind::Text, ""),
    setting("commerceml.price_type", Kind::Text, ""),
    setting("commerceml.warehouses", Kind::List, ""),
    setting(
        "commerceml.images",
        Kind::Choice(&["keep_admin", "replace", "off"]),
        "keep_admin",
    ),
    setting("commerceml.deactivate_missing", Kind::Bool, "true"),
    // A card deleted and made again in the accounting system gets a new Ид; with this on, a
    // new Ид whose Артикул matches a product gone from the same full pass takes that product.
    setting("commerceml.match_by_sku", Kind::Bool, "false"),
    setting("commerceml.orders", Kind::Bool, "false"),
    setting(
        "commerceml.orders_encoding",
        Kind::Choice(&["utf-8", "windows-1251"]),
        "utf-8",
    ),
    setting("orders.allow_oversell", Kind::Bool, "true"),
    // Shops moving from another site continue their numbering.
    setting("orders.first_number", Kind::Count, "1001"),
];

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

/// The value of `key` among effective settings (empty when absent).
pub fn value<'a>(settings: &'a [(&'static str, String)], key: &str) -> &'a str {
    settings
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

/// Every setting of a tenant with its effective value, in catalog order.
pub async fn effective(
    db: &Db,
    tenant: TenantId,
) -> Result<Vec<(&'static str, String)>, DomainError> {
    let mut stored = db.tenant_settings(tenant).await?;
    Ok(CATALOG
        .iter()
        .map(|s| {
            (
                s.key,
                stored.remove(s.key).unwrap_or_else(|| s.default.to_owned()),
            )
        })
        .collect())
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

/// What to do with pictures that arrive over the exchange (`commerceml.images`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PicturePolicy {
    /// Exchange pictures replace earlier exchange pictures; admin uploads stay.
    KeepAdmin,
    /// Exchange pictures replace all pictures of the product.
    Replace,
    /// Exchange pictures are ignored.
    Off,
}

/// The settings the catalog engine and API act on, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogSettings {
    /// `commerceml.root_group`: only this group's subtree is shown.
    pub root_group: Option<String>,
    /// `commerceml.price_type`: Ид or name of the shop price.
    pub price_type: Option<String>,
    /// `commerceml.warehouses`: which warehouses count (empty: all).
    pub warehouses: Vec<String>,
    /// `commerceml.images`.
    pub pictures: PicturePolicy,
    /// `commerceml.deactivate_missing`.
    pub deactivate_missing: bool,
    /// `commerceml.match_by_sku`.
    pub match_by_sku: bool,
}

/// The catalog settings of a tenant, with defaults filled in.
pub async fn catalog(db: &Db, tenant: TenantId) -> Result<CatalogSettings, DomainError> {
    let values: std::collections::HashMap<_, _> =
        effective(db, tenant).await?.into_iter().collect();
    let text = |key: &str| values.get(key).cloned().filter(|v| !v.is_empty());
    Ok(CatalogSettings {
        root_group: text("commerceml.root_group"),
        price_type: text("commerceml.price_type"),
        warehouses: text("commerceml.warehouses")
            .map(|list| list.split(',').map(str::to_owned).collect())
            .unwrap_or_default(),
        pictures: match text("commerceml.images").as_deref() {
            Some("replace") => PicturePolicy::Replace,
            Some("off") => PicturePolicy::Off,
            _ => PicturePolicy::KeepAdmin,
        },
        deactivate_missing: text("commerceml.deactivate_missing").as_deref() != Some("false"),
        match_by_sku: text("commerceml.match_by_sku").as_deref() == Some("true"),
    })
}
