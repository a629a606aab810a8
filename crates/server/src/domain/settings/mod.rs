//! Per-tenant settings. The [`registry`] knows every key, its kind and its default, checks and
//! stores values, and reads them back as [`Raw`] text; [`resolved`] parses that text once into
//! typed structs per area, which is all the rest of the service reads.

pub mod registry;
pub mod resolved;

pub use registry::{CATALOG, Kind, Raw, Setting, find, key, set};
pub use resolved::{
    BrakeLimits, CatalogSettings, ExchangeSettings, OrderSettings, OrdersEncoding, PicturePolicy,
    Settings, VisibilityRules,
};
