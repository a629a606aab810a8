//! What an import did: counts, and warnings with the line they come from.

use serde::{Deserialize, Serialize};

use crate::i18n::{ImportSummary, Lang, Message};

/// How many rows of one kind an import created, changed, found unchanged or deactivated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub deactivated: u64,
}

/// Something in a document that was not applied, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WarningKind {
    /// An offer for a product the catalog does not have (offers never create products).
    UnknownProduct { offer: String },
    /// A price of a type no document has listed.
    UnknownPriceType { offer: String, price_type: String },
    /// Stock at a warehouse no document has listed.
    UnknownWarehouse { offer: String, warehouse: String },
    /// A `Картинка` file that was not uploaded with the document.
    PictureMissing { product: String, path: String },
    /// A `Картинка` file that is not a JPEG, PNG, WebP or GIF.
    PictureNotRaster { product: String, path: String },
    /// A `Картинка` file that looks like a picture but does not decode.
    PictureUndecodable {
        product: String,
        path: String,
        reason: String,
    },
    /// An order document, which catalog imports do not apply.
    OrdersIgnored,
}

/// A warning and the line of the element it is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub line: u64,
    #[serde(flatten)]
    pub kind: WarningKind,
}

impl Warning {
    /// The warning as a sentence.
    pub fn text(&self, file: &str, lang: Lang) -> String {
        let what = match &self.kind {
            WarningKind::UnknownProduct { offer } => Message::WarnUnknownProduct {
                offer: offer.clone(),
            },
            WarningKind::UnknownPriceType { offer, price_type } => Message::WarnUnknownPriceType {
                offer: offer.clone(),
                price_type: price_type.clone(),
            },
            WarningKind::UnknownWarehouse { offer, warehouse } => Message::WarnUnknownWarehouse {
                offer: offer.clone(),
                warehouse: warehouse.clone(),
            },
            WarningKind::PictureMissing { product, path } => Message::WarnPictureMissing {
                product: product.clone(),
                path: path.clone(),
            },
            WarningKind::PictureNotRaster { product, path } => Message::WarnPictureNotRaster {
                product: product.clone(),
                path: path.clone(),
            },
            WarningKind::PictureUndecodable {
                product,
                path,
                reason,
            } => Message::WarnPictureUndecodable {
                product: product.clone(),
                path: path.clone(),
                reason: reason.clone(),
            },
            WarningKind::OrdersIgnored => Message::WarnOrdersIgnored,
        };
        Message::AtLine {
            file: file.to_owned(),
            line: self.line,
            what: Box::new(what),
        }
        .text(lang)
    }
}

/// How many warnings a report keeps word for word; the rest are only counted.
pub const KEPT_WARNINGS: usize = 200;

/// What the file held, as the reader counted it: every item met ends applied, unchanged or
/// warned about, and these are printed beside what was done.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFile {
    pub groups: u64,
    pub products: u64,
    pub offers: u64,
    pub documents: u64,
}

impl InFile {
    /// The counts of a document the reader finished.
    pub fn of(summary: &commerceml::Summary) -> Self {
        Self {
            groups: summary.groups,
            products: summary.products,
            offers: summary.offers,
            documents: summary.orders,
        }
    }
}

/// Elements of the file the reader does not use, once per path.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unused {
    pub path: String,
    pub count: u64,
    pub line: u64,
}

impl From<&commerceml::UnusedElement> for Unused {
    fn from(element: &commerceml::UnusedElement) -> Self {
        Self {
            path: element.path.clone(),
            count: element.count,
            line: element.line,
        }
    }
}

/// A product that took a new Ид (a card recreated in the accounting system, same SKU).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
    pub sku: String,
}

/// The outcome of importing one file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// The file's name.
    pub file: String,
    /// `catalog`, `offers`, `classifier`, `orders` or `empty`.
    pub kind: String,
    pub products: Counts,
    pub offers: Counts,
    pub categories: u64,
    pub properties: u64,
    pub price_types: u64,
    pub warehouses: u64,
    pub pictures: u64,
    /// The first [`KEPT_WARNINGS`] warnings.
    pub warnings: Vec<Warning>,
    /// All warnings, kept or not.
    pub warning_count: u64,
    pub duration_ms: u64,
    /// What the file held.
    #[serde(default)]
    pub in_file: InFile,
    /// Elements not used, once per path.
    #[serde(default)]
    pub unused: Vec<Unused>,
    /// Products that took a new Ид by their SKU.
    #[serde(default)]
    pub renamed: Vec<Renamed>,
    /// Locked fields the document would have changed and did not.
    #[serde(default)]
    pub locked: u64,
    /// What a rollback did (its report has nothing else).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rollback: Option<Rollback>,
}

/// What a rollback put back and took away.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rollback {
    /// The publish the catalog went back to before.
    pub before: i64,
    pub products_restored: u64,
    pub products_removed: u64,
    pub offers_restored: u64,
    pub offers_removed: u64,
    pub categories: u64,
    pub picture_lists: u64,
}

impl ImportReport {
    pub(super) fn warn(&mut self, line: u64, kind: WarningKind) {
        self.warning_count += 1;
        if self.warnings.len() < KEPT_WARNINGS {
            self.warnings.push(Warning { line, kind });
        }
    }

    /// One line for people: what changed.
    pub fn summary(&self, lang: Lang) -> String {
        if let Some(r) = &self.rollback {
            return Message::RolledBack(Box::new(r.clone())).text(lang);
        }
        Message::ImportSummary(Box::new(ImportSummary {
            file: self.file.clone(),
            in_file: self.in_file_text(lang),
            created: self.products.created,
            updated: self.products.updated,
            unchanged: self.products.unchanged,
            deactivated: self.products.deactivated,
            offers: self.offers.created + self.offers.updated,
            offers_unchanged: self.offers.unchanged,
            warnings: self.warning_count,
            seconds: crate::clock::seconds(self.duration_ms as i64),
        }))
        .text(lang)
    }

    /// "3 товара, 4 предложения": the kinds of item the file held, the empty ones left out.
    fn in_file_text(&self, lang: Lang) -> String {
        let InFile {
            groups,
            products,
            offers,
            documents,
        } = self.in_file;
        let parts: Vec<String> = [
            (groups, Message::CountGroups { count: groups }),
            (products, Message::CountProducts { count: products }),
            (offers, Message::CountOffers { count: offers }),
            (documents, Message::CountDocuments { count: documents }),
        ]
        .into_iter()
        .filter(|(count, _)| *count > 0)
        .map(|(_, message)| message.text(lang))
        .collect();
        if parts.is_empty() {
            Message::CountNothing.text(lang)
        } else {
            parts.join(", ")
        }
    }

    /// The summary, then each kept warning on a line of its own, how many were not kept, and
    /// the elements the file holds that were not used.
    pub fn details(&self, lang: Lang) -> Vec<String> {
        let mut lines = vec![self.summary(lang)];
        lines.extend(self.warnings.iter().map(|w| w.text(&self.file, lang)));
        let dropped = self
            .warning_count
            .saturating_sub(self.warnings.len() as u64);
        if dropped > 0 {
            lines.push(Message::MoreWarnings { count: dropped }.text(lang));
        }
        if self.locked > 0 {
            lines.push(Message::LockedLeftAlone { count: self.locked }.text(lang));
        }
        lines.extend(self.renamed.iter().map(|r| {
            Message::ProductRenamed {
                from: r.from.clone(),
                to: r.to.clone(),
                sku: r.sku.clone(),
            }
            .text(lang)
        }));
        lines.extend(self.unused.iter().map(|u| {
            Message::UnusedElement {
                file: self.file.clone(),
                path: u.path.clone(),
                count: u.count,
                line: u.line,
            }
            .text(lang)
        }));
        lines
    }
}
