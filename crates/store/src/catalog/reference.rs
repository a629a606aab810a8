//! Reference data a document carries besides products and offers: the category tree, price
//! types and warehouses. Small enough to hold in memory and write at publish time.

/// A category (`Группа`) as a document states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCategory {
    /// `Ид`.
    pub external_id: String,
    /// `Наименование`.
    pub name: String,
    /// The enclosing group's `Ид`.
    pub parent_external_id: Option<String>,
    /// Order within the document.
    pub position: i64,
}

/// A price type (`ТипЦены`) as a document states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPriceType {
    /// `Ид`.
    pub external_id: String,
    /// `Наименование`.
    pub name: String,
    /// `Валюта`.
    pub currency: Option<String>,
    /// Order within the document's list.
    pub position: i64,
}

/// A warehouse (`Склад`) as a document states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWarehouse {
    /// `Ид`.
    pub external_id: String,
    /// `Наименование`.
    pub name: String,
    /// Order within the document's list.
    pub position: i64,
}

/// A property (`Свойство`) with its reference-book values.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NewProperty {
    /// `Ид`.
    pub external_id: String,
    /// `Наименование`.
    pub name: String,
    /// `ТипЗначений`.
    pub value_type: Option<String>,
    /// JSON object: value id → text.
    pub ref_values: String,
}
