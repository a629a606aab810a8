//! Settings resolved: the registry's text parsed once into one typed struct per area, defaults
//! already applied (the registry holds them). Code that acts on a setting reads a field here.

use vitrina_store::{Db, TenantId};

use super::registry::{Raw, key};
use crate::domain::DomainError;

vitrina_store::words! {
    /// What to do with pictures that arrive over the exchange (`commerceml.images`).
    pub enum PicturePolicy {
        /// Exchange pictures replace earlier exchange pictures; admin uploads stay.
        KeepAdmin = "keep_admin",
        /// Exchange pictures replace all pictures of the product.
        Replace = "replace",
        /// Exchange pictures are ignored.
        Off = "off",
    }
}

vitrina_store::words! {
    /// The encodings of the orders document (`commerceml.orders_encoding`).
    pub enum OrdersEncoding {
        Utf8 = "utf-8",
        Windows1251 = "windows-1251",
    }
}

impl OrdersEncoding {
    /// The name in the XML declaration and the `Content-Type` charset.
    pub fn name(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Windows1251 => "windows-1251",
        }
    }
}

vitrina_store::words! {
    /// How alert e-mail reaches the SMTP server (`alerts.smtp_tls`).
    pub enum SmtpTls {
        /// Plain connection upgraded with STARTTLS (port 587).
        Starttls = "starttls",
        /// TLS from the start (port 465).
        Tls = "tls",
        /// No encryption (a relay on the same network).
        None = "none",
    }
}

/// Every setting of a tenant, typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub exchange: ExchangeSettings,
    pub catalog: CatalogSettings,
    pub orders: OrderSettings,
    pub alerts: AlertSettings,
}

/// Where alerts go and when they are raised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    /// `alerts.webhook_url` and `alerts.webhook_secret`.
    pub webhook: Option<WebhookSettings>,
    /// `alerts.email_to` and the SMTP server.
    pub email: Option<EmailSettings>,
    /// `alerts.no_exchange_hours` (0: off).
    pub no_exchange_hours: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookSettings {
    pub url: String,
    /// The HMAC-SHA256 key of the signature header.
    pub secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailSettings {
    pub to: Vec<String>,
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    pub login: Option<String>,
    pub password: Option<String>,
    /// The sender; the first recipient when empty.
    pub from: String,
}

/// How the exchange endpoint takes a pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeSettings {
    /// `commerceml.zip`: offer zip archives in `init`, and unpack them.
    pub zip: bool,
    /// `commerceml.file_limit`: the largest part a client should send.
    pub file_limit: u64,
    /// `commerceml.max_file_bytes`: the largest file a batch may hold.
    pub max_file_bytes: u64,
    /// `commerceml.max_batch_bytes`: the most a batch may hold (and a zip unpack to).
    pub max_batch_bytes: u64,
    /// `commerceml.keep_batches_days`: how long uploaded batches are kept.
    pub keep_batches_days: u32,
}

/// What the catalog engine and API act on.
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
    /// `catalog.brake_*_percent`.
    pub brake: BrakeLimits,
    /// `catalog.history_days`: how long publishes can be rolled back.
    pub history_days: u32,
    /// `catalog.hide_without_*`.
    pub visibility: VisibilityRules,
}

/// Which active products storefronts do not see (`catalog.hide_without_*`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VisibilityRules {
    /// Without counted stock.
    pub without_stock: bool,
    /// Without the shop's price (or at zero).
    pub without_price: bool,
    /// Without any picture.
    pub without_pictures: bool,
}

/// The thresholds, in percent; 0 turns a check off (`catalog.brake_*_percent`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BrakeLimits {
    /// Active products a pass may take off sale.
    pub offsale: u32,
    /// Active products a pass may leave without the shop's price.
    pub unpriced: u32,
    /// Products with pictures a pass may leave without any.
    pub pictures: u32,
}

impl BrakeLimits {
    /// Every check off.
    pub const OFF: Self = Self {
        offsale: 0,
        unpriced: 0,
        pictures: 0,
    };
}

/// How orders are taken and handed to the accounting system.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSettings {
    /// `commerceml.orders`: the accounting system may fetch orders.
    pub exchange: bool,
    /// `commerceml.orders_encoding`.
    pub encoding: OrdersEncoding,
    /// `orders.allow_oversell`: an order may ask for more than the counted stock.
    pub allow_oversell: bool,
    /// `orders.first_number`: the number of a shop's first order.
    pub first_number: u32,
    /// `orders.pickup_alert_hours`: orders waiting longer are flagged and alerted on (0: off).
    pub pickup_alert_hours: u32,
}

impl OrderSettings {
    /// Orders still waiting for the accounting system that changed before this moment (Unix
    /// ms) count as not picked up; `None` when none ever do (the flag or the exchange is off).
    pub fn pickup_deadline(&self, now: i64) -> Option<i64> {
        (self.exchange && self.pickup_alert_hours > 0)
            .then(|| now - i64::from(self.pickup_alert_hours) * crate::clock::HOUR_MS)
    }
}

impl Settings {
    /// A tenant's settings.
    pub async fn load(db: &Db, tenant: TenantId) -> Result<Self, DomainError> {
        Ok(Self::resolve(&Raw::load(db, tenant).await?))
    }

    /// The typed form of the registry's text.
    pub fn resolve(raw: &Raw) -> Self {
        Self {
            exchange: ExchangeSettings {
                zip: raw.parse(key::ZIP),
                file_limit: raw.parse(key::FILE_LIMIT),
                max_file_bytes: raw.parse(key::MAX_FILE_BYTES),
                max_batch_bytes: raw.parse(key::MAX_BATCH_BYTES),
                keep_batches_days: raw.parse(key::KEEP_BATCHES_DAYS),
            },
            catalog: CatalogSettings {
                root_group: raw.optional(key::ROOT_GROUP),
                price_type: raw.optional(key::PRICE_TYPE),
                warehouses: raw.list(key::WAREHOUSES),
                pictures: raw.parse(key::IMAGES),
                deactivate_missing: raw.parse(key::DEACTIVATE_MISSING),
                match_by_sku: raw.parse(key::MATCH_BY_SKU),
                brake: BrakeLimits {
                    offsale: raw.parse(key::BRAKE_OFFSALE),
                    unpriced: raw.parse(key::BRAKE_UNPRICED),
                    pictures: raw.parse(key::BRAKE_PICTURES),
                },
                history_days: raw.parse(key::HISTORY_DAYS),
                visibility: VisibilityRules {
                    without_stock: raw.parse(key::HIDE_WITHOUT_STOCK),
                    without_price: raw.parse(key::HIDE_WITHOUT_PRICE),
                    without_pictures: raw.parse(key::HIDE_WITHOUT_PICTURES),
                },
            },
            alerts: AlertSettings {
                webhook: raw.optional(key::WEBHOOK_URL).map(|url| WebhookSettings {
                    url,
                    secret: raw.optional(key::WEBHOOK_SECRET).unwrap_or_default(),
                }),
                email: {
                    let to = raw.list(key::EMAIL_TO);
                    let host = raw.optional(key::SMTP_HOST);
                    host.filter(|_| !to.is_empty()).map(|host| EmailSettings {
                        from: raw
                            .optional(key::SMTP_FROM)
                            .unwrap_or_else(|| to[0].clone()),
                        to,
                        host,
                        port: raw.parse::<u32>(key::SMTP_PORT).try_into().unwrap_or(587),
                        tls: raw.parse(key::SMTP_TLS),
                        login: raw.optional(key::SMTP_LOGIN),
                        password: raw.optional(key::SMTP_PASSWORD),
                    })
                },
                no_exchange_hours: raw.parse(key::NO_EXCHANGE_HOURS),
            },
            orders: OrderSettings {
                exchange: raw.parse(key::ORDERS),
                encoding: raw.parse(key::ORDERS_ENCODING),
                allow_oversell: raw.parse(key::ALLOW_OVERSELL),
                first_number: raw.parse(key::FIRST_NUMBER),
                pickup_alert_hours: raw.parse(key::PICKUP_ALERT_HOURS),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::settings::{CATALOG, Kind};

    #[test]
    fn the_defaults_resolve_to_what_the_registry_says() {
        let settings = Settings::resolve(&Raw::defaults());
        assert!(!settings.exchange.zip);
        assert_eq!(settings.exchange.max_file_bytes, 2_147_483_648);
        assert_eq!(settings.exchange.keep_batches_days, 7);
        assert_eq!(settings.catalog.pictures, PicturePolicy::KeepAdmin);
        assert!(settings.catalog.deactivate_missing && settings.catalog.warehouses.is_empty());
        assert_eq!(settings.orders.encoding, OrdersEncoding::Utf8);
        assert_eq!(settings.orders.first_number, 1001);
    }

    /// A setting the resolver forgot would be stored and shown but act on nothing.
    #[test]
    fn every_setting_in_the_registry_changes_the_resolved_settings() {
        // With both alert channels set up, so that their details count.
        let base = || {
            Raw::defaults()
                .with(key::WEBHOOK_URL, "https://hooks.example/1")
                .with(key::EMAIL_TO, "owner@shop.example")
                .with(key::SMTP_HOST, "smtp.example")
        };
        let defaults = Settings::resolve(&base());
        for setting in CATALOG {
            let other = match setting.kind {
                Kind::Bool if setting.default == "true" => "false",
                Kind::Bool => "true",
                Kind::Bytes | Kind::Count | Kind::Percent if setting.default == "3" => "4",
                Kind::Bytes | Kind::Count | Kind::Percent => "3",
                Kind::List | Kind::Text => "x",
                Kind::Choice(words) => words.iter().find(|w| **w != setting.default).unwrap(),
            };
            setting.validate(other).unwrap();
            let changed = Settings::resolve(&base().with(setting.key, other));
            assert_ne!(changed, defaults, "{} has no effect", setting.key);
        }
    }

    #[test]
    fn an_unreadable_stored_value_reads_as_the_default() {
        let raw = Raw::defaults().with(key::FIRST_NUMBER, "many");
        assert_eq!(Settings::resolve(&raw).orders.first_number, 1001);
    }
}
