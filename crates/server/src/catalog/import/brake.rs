//! The safety brake: a full pass that would take much of the shop off sale, leave it without
//! the shop's price or strip its pictures is held, not published. A wrong filter or price type
//! in the accounting system then costs the owner a decision instead of half the shop.
//!
//! The figures are taken inside the publish's own transaction (`vitrina_store::Impact`), so
//! they are what the pass would really do; the catalog is untouched when it is held.

use serde::{Deserialize, Serialize};
use vitrina_store::{Db, Impact, Measure, PriceTypeRow, PublishOptions, StoreError, TenantId};

use super::ImportReport;
use crate::domain::settings::{BrakeLimits, CatalogSettings};
use crate::i18n::Message;

vitrina_store::words! {
    /// What the brake checks.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Check {
        OffSale = "off_sale",
        Unpriced = "unpriced",
        Pictures = "pictures",
    }
}

/// One check a pass failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tripped {
    pub check: Check,
    /// Products the pass would affect so, …
    pub count: u64,
    /// … of this many (active products, or products with pictures).
    pub of: u64,
    /// The threshold, in percent.
    pub limit: u32,
    /// The first products affected, by name.
    pub first: Vec<String>,
}

impl Tripped {
    /// `count` of `of`, in whole percent (rounded up: 30.2% is over 30%).
    pub fn percent(&self) -> u64 {
        (self.count * 100).div_ceil(self.of.max(1))
    }
}

/// Why a file of a pass was held: every check it failed, or the file held before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Held {
    pub tripped: Vec<Tripped>,
    /// What the file would have done, had it been published.
    pub report: ImportReport,
    /// The file of the same pass the brake held, which this one waits with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behind: Option<String>,
}

impl Held {
    /// A file that waits with `file`, held before it: the files of one pass belong together.
    pub fn behind(file: String) -> Self {
        Self {
            behind: Some(file),
            ..Self::default()
        }
    }

    /// What the client and the owner are told.
    pub fn message(&self) -> Message {
        match &self.behind {
            Some(file) => Message::HeldBehind { file: file.clone() },
            None => Message::PassHeld {
                reasons: self
                    .tripped
                    .iter()
                    .map(|t| (t.check, t.percent(), t.limit))
                    .collect(),
            },
        }
    }
}

/// What one import must check before it publishes, decided from what the parser found.
#[derive(Debug)]
pub(super) struct Plan {
    limits: BrakeLimits,
    /// Active products before the pass.
    active: u64,
    /// Products with pictures before the pass.
    pictured: u64,
    /// Active products the pass takes off sale, and the first of them by name.
    offsale: (u64, Vec<String>),
    pub measure: Measure,
}

/// A published pass that takes this share of the active products off sale is told of.
pub const SPIKE_PERCENT: u64 = 10;

/// How many products the first-affected lists name.
const FIRST: usize = 20;

/// Whether a count of `of` is over `limit` percent (a limit of 0 is off).
fn over(limit: u32, count: u64, of: u64) -> bool {
    limit > 0 && of > 0 && count * 100 > u64::from(limit) * of
}

impl Plan {
    /// What to check of a pass, or `None` when nothing can trip: a changes-only document, a
    /// first pass into an empty catalog, checks turned off, or too few rows changed for any
    /// limit (then the pass costs no measuring).
    pub async fn of(
        db: &Db,
        tenant: TenantId,
        settings: &CatalogSettings,
        parsed: (&ImportReport, &PublishOptions, u64),
        full: bool,
    ) -> Result<Option<Self>, StoreError> {
        let (report, publish, taken_off) = parsed;
        let limits = settings.brake;
        let changed_offers = report.offers.updated + report.offers.deactivated;
        let offsale = report.products.deactivated + taken_off;
        let anything = offsale > 0 || changed_offers > 0 || report.pictures > 0;
        if !full || !anything || limits == BrakeLimits::OFF {
            return Ok(None);
        }
        let active = db.active_products(tenant).await? as u64;
        if active == 0 {
            return Ok(None);
        }
        let pictured = match report.pictures > 0 && limits.pictures > 0 {
            true => db.pictured_products(tenant).await? as u64,
            false => 0,
        };
        // Measured from the alert's share up: a smaller change can neither trip the brake nor
        // make a spike worth telling.
        let gate = match limits.unpriced {
            0 => SPIKE_PERCENT as u32,
            limit => limit.min(SPIKE_PERCENT as u32),
        };
        let shop_price = if over(gate, changed_offers, active) {
            shop_price_type(
                &settings.price_type,
                db.list_price_types(tenant).await?,
                publish,
            )
        } else {
            None
        };
        let pictures = over(limits.pictures, report.pictures, pictured);
        let offsale_first = if over(limits.offsale, offsale, active) {
            let ids: Vec<String> = publish
                .deactivate_products
                .iter()
                .take(FIRST)
                .cloned()
                .collect();
            db.product_names(tenant, &ids).await?
        } else {
            Vec::new()
        };
        Ok(Some(Self {
            limits,
            active,
            pictured,
            offsale: (offsale, offsale_first),
            measure: Measure {
                shop_price,
                pictures,
            },
        }))
    }

    /// What to say when the pass, published, took at least [`SPIKE_PERCENT`] of the active
    /// products off sale or left them without the shop's price (as `impact` measured it): not
    /// enough to hold it, enough for the owner to hear of it.
    pub fn spike(&self, impact: Option<&Impact>) -> Option<Message> {
        let percent = |count: u64| (count * 100).div_ceil(self.active.max(1));
        let spiked = |count: u64| count > 0 && count * 100 >= SPIKE_PERCENT * self.active;
        let (offsale, _) = &self.offsale;
        let unpriced = impact.map_or(0, |i| i.unpriced as u64);
        if spiked(*offsale) {
            Some(Message::AlertOffSaleSpike {
                count: *offsale,
                percent: percent(*offsale),
            })
        } else if spiked(unpriced) {
            Some(Message::AlertUnpricedSpike {
                count: unpriced,
                percent: percent(unpriced),
            })
        } else {
            None
        }
    }

    /// The checks `impact` fails, if any.
    pub fn judge(&self, impact: &Impact) -> Vec<Tripped> {
        let (offsale, first) = &self.offsale;
        let candidates = [
            (
                Check::OffSale,
                self.limits.offsale,
                *offsale,
                self.active,
                first.clone(),
            ),
            (
                Check::Unpriced,
                self.limits.unpriced,
                impact.unpriced as u64,
                self.active,
                impact.unpriced_first.clone(),
            ),
            (
                Check::Pictures,
                self.limits.pictures,
                impact.pictures_lost as u64,
                self.pictured,
                impact.pictures_first.clone(),
            ),
        ];
        candidates
            .into_iter()
            .filter(|(_, limit, count, of, _)| over(*limit, *count, *of))
            .map(|(check, limit, count, of, first)| Tripped {
                check,
                count,
                of,
                limit,
                first,
            })
            .collect()
    }
}

/// The Ид of the shop's price type as the storefront picks it (the setting's Ид or name, else
/// the first listed), the pass's own list first.
fn shop_price_type(
    wanted: &Option<String>,
    live: Vec<PriceTypeRow>,
    publish: &PublishOptions,
) -> Option<String> {
    let mut listed: Vec<(String, String)> = publish
        .price_types
        .iter()
        .map(|p| (p.external_id.clone(), p.name.clone()))
        .collect();
    if listed.is_empty() {
        listed = live.into_iter().map(|p| (p.external_id, p.name)).collect();
    }
    match wanted {
        Some(wanted) => listed
            .iter()
            .find(|(id, _)| id == wanted)
            .or_else(|| listed.iter().find(|(_, name)| name == wanted))
            .map(|(id, _)| id.clone()),
        None => listed.first().map(|(id, _)| id.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_is_crossed_only_above_it_and_zero_is_off() {
        assert!(!over(30, 30, 100), "exactly 30% is allowed");
        assert!(over(30, 31, 100));
        assert!(!over(0, 100, 100), "0 turns the check off");
        assert!(!over(30, 5, 0), "nothing to take from");
        let tripped = Tripped {
            check: Check::OffSale,
            count: 302,
            of: 1000,
            limit: 30,
            first: Vec::new(),
        };
        assert_eq!(
            tripped.percent(),
            31,
            "rounded up, never shown as the limit"
        );
    }
}
