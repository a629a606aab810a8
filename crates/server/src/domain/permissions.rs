//! The fixed catalog of permissions, grouped by section, and what an employee may do.
//!
//! Permissions are granted to user groups only; an employee's permissions are the union over
//! their groups, and apply only while the employee is active and has admin-panel access. The
//! tenant's owner holds every permission under the same two conditions.

use std::collections::BTreeSet;

use vitrina_store::{Db, Employee};

use crate::domain::DomainError;
use crate::i18n::{Lang, Message};

/// One permission: a stable key stored in the database, and its labels.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Permission {
    /// Stable key, e.g. `integrations.commerceml_import`.
    pub key: &'static str,
    ru: &'static str,
    en: &'static str,
}

impl Permission {
    /// The label shown next to the checkbox.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => self.ru,
            Lang::En => self.en,
        }
    }
}

/// A section of the admin panel and the permissions that belong to it.
#[derive(Debug)]
pub struct Section {
    /// Stable key, e.g. `integrations`.
    pub key: &'static str,
    ru: &'static str,
    en: &'static str,
    /// The section's permissions, in display order.
    pub permissions: &'static [Permission],
}

impl Section {
    /// The section's heading.
    pub fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Ru => self.ru,
            Lang::En => self.en,
        }
    }
}

macro_rules! permission {
    ($key:literal, $ru:literal, $en:literal) => {
        Permission {
            key: $key,
            ru: $ru,
            en: $en,
        }
    };
}

/// May upload and import catalog files over the exchange endpoint ("Проверить соединение").
pub const COMMERCEML_IMPORT: &Permission = &SECTIONS[0].permissions[0];
/// May exchange orders with the accounting system.
pub const COMMERCEML_ORDERS: &Permission = &SECTIONS[0].permissions[1];

/// May see the catalog pages.
pub const CATALOG_VIEW: &Permission = &SECTIONS[1].permissions[0];
/// May change the catalog (pictures uploaded in the panel).
pub const CATALOG_EDIT: &Permission = &SECTIONS[1].permissions[1];
/// May manage employees.
pub const SETTINGS_EMPLOYEES: &Permission = &SECTIONS[2].permissions[0];
/// May manage user groups and their permissions.
pub const SETTINGS_ACCESS: &Permission = &SECTIONS[2].permissions[1];
/// May set up the exchange and read its history.
pub const SETTINGS_INTEGRATIONS: &Permission = &SECTIONS[2].permissions[2];

/// May see orders.
pub const ORDERS_VIEW: &Permission = &SECTIONS[3].permissions[0];
/// May change an order's status.
pub const ORDERS_MANAGE: &Permission = &SECTIONS[3].permissions[1];

/// Every permission there is, by section.
pub static SECTIONS: [Section; 4] = [
    Section {
        key: "integrations",
        ru: "Интеграции",
        en: "Integrations",
        permissions: &[
            permission!(
                "integrations.commerceml_import",
                "Импорт CommerceML",
                "Import CommerceML"
            ),
            permission!(
                "integrations.commerceml_orders",
                "Обмен заказами CommerceML",
                "Exchange orders over CommerceML"
            ),
        ],
    },
    Section {
        key: "catalog",
        ru: "Каталог",
        en: "Catalog",
        permissions: &[
            permission!("catalog.view", "Просмотр каталога", "View the catalog"),
            permission!(
                "catalog.edit",
                "Редактирование каталога",
                "Edit the catalog"
            ),
        ],
    },
    Section {
        key: "settings",
        ru: "Настройки",
        en: "Settings",
        permissions: &[
            permission!("settings.employees", "Сотрудники", "Employees"),
            permission!("settings.access", "Права доступа", "Access rights"),
            permission!("settings.integrations", "Интеграции", "Integrations"),
        ],
    },
    Section {
        key: "orders",
        ru: "Заказы",
        en: "Orders",
        permissions: &[
            permission!("orders.view", "Просмотр заказов", "View orders"),
            permission!("orders.manage", "Управление заказами", "Manage orders"),
        ],
    },
];

/// Every permission in catalog order.
pub fn all() -> impl Iterator<Item = &'static Permission> {
    SECTIONS
        .iter()
        .flat_map(|section| section.permissions.iter())
}

/// The permission with this key.
pub fn find(key: &str) -> Result<&'static Permission, DomainError> {
    all().find(|p| p.key == key).ok_or_else(|| {
        DomainError::Invalid(Message::UnknownPermission {
            key: key.to_owned(),
        })
    })
}

/// What one employee may do right now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionSet(BTreeSet<&'static str>);

impl PermissionSet {
    /// Whether the set holds `permission`.
    pub fn has(&self, permission: &Permission) -> bool {
        self.0.contains(permission.key)
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().copied()
    }
}

/// The employee's effective permissions: none when blocked or without admin-panel access,
/// all for the owner, else the union over their groups (keys no longer in the catalog ignored).
pub async fn effective(db: &Db, employee: &Employee) -> Result<PermissionSet, DomainError> {
    if employee.blocked || !employee.admin_access {
        return Ok(PermissionSet::default());
    }
    if employee.is_owner {
        return Ok(PermissionSet(all().map(|p| p.key).collect()));
    }
    let granted = db
        .granted_permissions(employee.tenant_id, employee.id)
        .await?;
    Ok(PermissionSet(
        all()
            .map(|p| p.key)
            .filter(|key| granted.iter().any(|g| g == key))
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_has_unique_keys_under_their_section() {
        let keys: BTreeSet<_> = all().map(|p| p.key).collect();
        assert_eq!(keys.len(), all().count());
        for section in &SECTIONS {
            for permission in section.permissions {
                assert!(permission.key.starts_with(&format!("{}.", section.key)));
            }
        }
        assert_eq!(COMMERCEML_IMPORT.key, "integrations.commerceml_import");
        assert_eq!(COMMERCEML_IMPORT.label(Lang::Ru), "Импорт CommerceML");
        assert_eq!(COMMERCEML_ORDERS.key, "integrations.commerceml_orders");
        assert_eq!(SECTIONS[0].label(Lang::Ru), "Интеграции");
        assert_eq!(CATALOG_VIEW.key, "catalog.view");
        assert_eq!(CATALOG_EDIT.key, "catalog.edit");
        assert_eq!(SETTINGS_EMPLOYEES.key, "settings.employees");
        assert_eq!(SETTINGS_ACCESS.key, "settings.access");
        assert_eq!(SETTINGS_INTEGRATIONS.key, "settings.integrations");
        assert_eq!(ORDERS_VIEW.key, "orders.view");
        assert_eq!(ORDERS_MANAGE.key, "orders.manage");
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(find("catalog.view").is_ok());
        assert_eq!(
            find("catalog.delete").unwrap_err().message(),
            Message::UnknownPermission {
                key: "catalog.delete".into()
            }
        );
    }
}
