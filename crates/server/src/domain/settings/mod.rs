//! Per-tenant settings. The [`registry`] knows every key, its kind and its default, checks and
//! stores values, and reads them back as [`Raw`] text; [`resolved`] parses that text once into
//! typed structs per area, which is all the rest of the service reads.

pub mod registry;
pub mod resolved;

pub use registry::{CATALOG, Kind, Raw, SECRETS, Setting, find, key, set};
pub use resolved::{
    AlertSettings, BrakeLimits, CatalogSettings, EmailSettings, ExchangeSettings, OrderSettings,
    OrdersEncoding, PicturePolicy, Settings, SmtpTls, VisibilityRules, WebhookSettings,
};
