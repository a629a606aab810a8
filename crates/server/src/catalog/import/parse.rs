//! The parsing side of an import, run on a blocking thread: reads the document item by item,
//! turns items into staged rows and sends them in batches to the async side, which writes them.

use std::collections::HashMap;

// An import looks up every item's id a few times: foldhash is several times faster than std's
// SipHash for that (a 140k-offer re-import spent a tenth of its parsing time hashing).
use foldhash::{HashMap as IdMap, HashSet as IdSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use commerceml::{Item, Reader};
use tokio::sync::mpsc;
use vitrina_store::{
    NewCategory, NewPriceType, NewProperty, NewWarehouse, PublishOptions, StagedOffer,
    StagedPicture, StagedProduct,
};

use super::convert::{self, PropertyInfo};
use super::pictures::{self, Picture, PictureProblem};
use super::report::{ImportReport, WarningKind};
use super::report::{InFile, Renamed, Unused};
use super::{ImportError, Progress};
use crate::domain::settings::PicturePolicy;

/// Rows per batch sent to the writer: one short staging transaction each.
const BATCH: usize = 2000;

/// Work for the async side.
pub(super) enum Batch {
    Products(Vec<StagedProduct>),
    Offers(Vec<StagedOffer>),
    Pictures(Vec<StagedPicture>),
    PictureFile(Picture),
}

/// What the live catalog already holds for an id: its full-statement hash (as a number: 16
/// bytes, not a 32-character string, for each of a big shop's items) and whether active.
pub(super) type States = IdMap<Box<str>, (Option<u128>, bool)>;

/// Adds a live item's state to `states`.
pub(super) fn keep_state(states: &mut States, state: vitrina_store::ItemState) {
    let hash = state.content_hash.as_deref().and_then(hash_key);
    states.insert(state.external_id.into_boxed_str(), (hash, state.active));
}

/// A content hash as [`States`] keeps it.
pub(super) fn hash_key(hex: &str) -> Option<u128> {
    u128::from_str_radix(hex, 16).ok()
}

/// Everything the parser needs to know before it starts.
pub(super) struct ParseInput {
    pub path: PathBuf,
    pub products: States,
    pub offers: States,
    pub properties: HashMap<String, PropertyInfo>,
    pub price_types: IdSet<String>,
    pub warehouses: IdSet<String>,
    pub pictures: PicturePolicy,
    pub deactivate_missing: bool,
    /// With `commerceml.match_by_sku`: the SKU of every active product that has one.
    pub skus: Option<HashMap<String, String>>,
    pub progress: Arc<Progress>,
}

/// What the parser hands back when the document was read to its end.
pub(super) struct Parsed {
    pub publish: PublishOptions,
    pub report: ImportReport,
}

/// Counts bytes read, for progress bars.
struct Counted<R> {
    inner: R,
    progress: Arc<Progress>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.bytes.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

struct Parser {
    input: ParseInput,
    out: mpsc::Sender<Batch>,
    publish: PublishOptions,
    report: ImportReport,
    products: Vec<StagedProduct>,
    offers: Vec<StagedOffer>,
    pictures: Vec<StagedPicture>,
    /// Where each id sits in the current batch, to fold repeats into one row.
    product_slots: IdMap<String, usize>,
    offer_slots: IdMap<String, usize>,
    seen_products: IdSet<String>,
    seen_offers: IdSet<String>,
    full_catalog: bool,
    full_offers: bool,
    saw_catalog: bool,
    saw_offers: bool,
    saw_orders: bool,
    /// (SKU, id) of each product this document creates, for `match_by_sku`.
    new_skus: Vec<(String, String)>,
}

/// Reads the whole document. `Err` leaves nothing behind but staged rows, which the caller drops.
pub(super) fn parse(input: ParseInput, out: mpsc::Sender<Batch>) -> Result<Parsed, ImportError> {
    let file = File::open(&input.path).map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let counted = Counted {
        inner: file,
        progress: input.progress.clone(),
    };
    let mut reader =
        Reader::new(BufReader::with_capacity(64 * 1024, counted)).map_err(ImportError::Document)?;
    let mut parser = Parser {
        input,
        out,
        publish: PublishOptions::default(),
        report: ImportReport::default(),
        products: Vec::with_capacity(BATCH),
        offers: Vec::with_capacity(BATCH),
        pictures: Vec::new(),
        product_slots: IdMap::default(),
        offer_slots: IdMap::default(),
        seen_products: IdSet::default(),
        seen_offers: IdSet::default(),
        full_catalog: false,
        full_offers: false,
        saw_catalog: false,
        saw_offers: false,
        saw_orders: false,
        new_skus: Vec::new(),
    };
    while let Some(item) = reader.next_item().map_err(ImportError::Document)? {
        parser.input.progress.items.fetch_add(1, Ordering::Relaxed);
        parser.item(item)?;
    }
    if let Some(summary) = reader.summary() {
        parser.report.in_file = InFile::of(summary);
        parser.report.unused = summary.unused.iter().map(Unused::from).collect();
    }
    let kind = reader.summary().map(|s| s.kind());
    parser.finish(kind)
}

impl Parser {
    fn send(&self, batch: Batch) -> Result<(), ImportError> {
        self.out
            .blocking_send(batch)
            .map_err(|_| ImportError::Cancelled)
    }

    fn item(&mut self, item: Item) -> Result<(), ImportError> {
        match item {
            Item::Classifier(_) | Item::Unit(_) => {}
            Item::Group(group) => {
                let position = self.publish.categories.len() as i64;
                self.publish.categories.push(NewCategory {
                    external_id: group.id,
                    name: group.name,
                    parent_external_id: group.parent_id,
                    position,
                });
            }
            Item::Property(property) => {
                let values: HashMap<String, String> = property
                    .values
                    .into_iter()
                    .map(|v| (v.id, v.value))
                    .collect();
                self.publish.properties.push(NewProperty {
                    external_id: property.id.clone(),
                    name: property.name.clone(),
                    value_type: property.value_type,
                    ref_values: serde_json::to_string(&values).unwrap_or_else(|_| "{}".into()),
                });
                self.input.properties.insert(
                    property.id,
                    PropertyInfo {
                        name: property.name,
                        values,
                    },
                );
            }
            Item::PriceType(price_type) => {
                let position = self.publish.price_types.len() as i64;
                self.input.price_types.insert(price_type.id.clone());
                self.publish.price_types.push(NewPriceType {
                    external_id: price_type.id,
                    name: price_type.name,
                    currency: price_type.currency,
                    position,
                });
            }
            Item::Warehouse(warehouse) => {
                let position = self.publish.warehouses.len() as i64;
                self.input.warehouses.insert(warehouse.id.clone());
                self.publish.warehouses.push(NewWarehouse {
                    external_id: warehouse.id,
                    name: warehouse.name,
                    position,
                });
            }
            Item::Catalog(catalog) => {
                self.saw_catalog = true;
                self.full_catalog |= !catalog.changes_only;
            }
            Item::OfferPackage(package) => {
                self.saw_offers = true;
                self.full_offers |= !package.changes_only;
            }
            Item::Product(product) => self.product(*product)?,
            Item::Offer(offer) => self.offer(*offer)?,
            // Said once per document, at the first order.
            Item::Order(order) => {
                if !self.saw_orders {
                    self.saw_orders = true;
                    self.report.warn(order.line, WarningKind::OrdersIgnored);
                }
            }
        }
        Ok(())
    }

    fn product(&mut self, product: commerceml::Product) -> Result<(), ImportError> {
        let line = product.line;
        let full = self.full_catalog;
        let picture_names = product.pictures.clone();
        let (staged, variant) = convert::product(product, full, &self.input.properties);
        let id = staged.external_id.clone();
        if let Some(names) = picture_names.filter(|_| self.input.pictures != PicturePolicy::Off) {
            self.pictures(&id, &names, line)?;
        }
        // A product may be stated several times (once per variant in some 1C catalogs).
        let first_time = self.seen_products.insert(id.clone());
        // The hash covers the active flag; a deactivated-as-missing row has no hash.
        let unchanged = matches!(
            self.input.products.get(id.as_str()),
            Some((Some(hash), _)) if staged.content_hash.as_deref().and_then(hash_key) == Some(*hash)
        );
        if unchanged {
            self.report.products.unchanged += u64::from(first_time);
        } else {
            if first_time {
                if self.input.products.contains_key(id.as_str()) {
                    self.report.products.updated += 1;
                } else {
                    self.report.products.created += 1;
                    if let Some(sku) = staged.sku.as_ref().filter(|s| !s.is_empty()) {
                        self.new_skus.push((sku.clone(), id.clone()));
                    }
                    // Later offers in this file may refer to it.
                    self.input
                        .products
                        .insert(id.as_str().into(), (None, staged.active));
                }
            }
            match self.product_slots.get(&id) {
                Some(&slot) => self.products[slot].merge(staged),
                None => {
                    self.product_slots.insert(id, self.products.len());
                    self.products.push(staged);
                }
            }
            if self.products.len() >= BATCH {
                self.product_slots.clear();
                let batch = Batch::Products(std::mem::take(&mut self.products));
                self.send(batch)?;
            }
        }
        if let Some(variant) = variant {
            self.stage_offer(variant)?;
        }
        Ok(())
    }

    fn pictures(&mut self, product: &str, names: &[String], line: u64) -> Result<(), ImportError> {
        let dir = self
            .input
            .path
            .parent()
            .map(|d| d.to_path_buf())
            .unwrap_or_default();
        // A list is replaced only by pictures that all arrived and at least one of which
        // decodes: a data pass without its picture files (MoySklad sends pictures in a
        // pass of their own) or a broken file never clears what the product shows.
        let mut usable = Vec::new();
        let mut missing = None;
        for name in names {
            match pictures::load(&dir, name) {
                Ok(picture) => usable.push(picture),
                Err(PictureProblem::Missing) => {
                    missing.get_or_insert(name);
                }
                Err(PictureProblem::NotRaster) => self.report.warn(
                    line,
                    WarningKind::PictureNotRaster {
                        product: product.to_owned(),
                        path: name.clone(),
                    },
                ),
                Err(PictureProblem::Undecodable(reason)) => self.report.warn(
                    line,
                    WarningKind::PictureUndecodable {
                        product: product.to_owned(),
                        path: name.clone(),
                        reason,
                    },
                ),
            }
        }
        if let Some(name) = missing {
            // One warning per product, however many of its files are missing.
            self.report.warn(
                line,
                WarningKind::PictureMissing {
                    product: product.to_owned(),
                    path: name.clone(),
                },
            );
            return Ok(());
        }
        if usable.is_empty() && !names.is_empty() {
            return Ok(());
        }
        for (position, picture) in usable.into_iter().enumerate() {
            self.pictures.push(StagedPicture {
                product_external_id: product.to_owned(),
                position: position as i64,
                content_hash: Some(picture.hash.clone()),
                content_type: Some(picture.content_type.to_owned()),
            });
            self.report.pictures += 1;
            self.send(Batch::PictureFile(picture))?;
        }
        if self.pictures.len() >= BATCH {
            let batch = Batch::Pictures(std::mem::take(&mut self.pictures));
            self.send(batch)?;
        }
        Ok(())
    }

    fn offer(&mut self, offer: commerceml::Offer) -> Result<(), ImportError> {
        let line = offer.line;
        if !self.input.products.contains_key(offer.product_id()) {
            self.report
                .warn(line, WarningKind::UnknownProduct { offer: offer.id });
            return Ok(());
        }
        for price in offer.prices.iter().flatten() {
            if !self.input.price_types.contains(&price.price_type_id) {
                let price_type = price.price_type_id.clone();
                self.report.warn(
                    line,
                    WarningKind::UnknownPriceType {
                        offer: offer.id.clone(),
                        price_type,
                    },
                );
            }
        }
        for stock in offer.stock.iter().flatten() {
            if !self.input.warehouses.contains(&stock.warehouse_id) {
                let warehouse = stock.warehouse_id.clone();
                self.report.warn(
                    line,
                    WarningKind::UnknownWarehouse {
                        offer: offer.id.clone(),
                        warehouse,
                    },
                );
            }
        }
        let staged = convert::offer(offer, self.full_offers);
        self.stage_offer(staged)
    }

    fn stage_offer(&mut self, staged: StagedOffer) -> Result<(), ImportError> {
        let first_time = self.seen_offers.insert(staged.external_id.clone());
        match self.input.offers.get(staged.external_id.as_str()) {
            Some((Some(hash), _))
                if staged.content_hash.as_deref().and_then(hash_key) == Some(*hash) =>
            {
                self.report.offers.unchanged += u64::from(first_time);
                return Ok(());
            }
            Some(_) => self.report.offers.updated += u64::from(first_time),
            None => self.report.offers.created += u64::from(first_time),
        }
        match self.offer_slots.get(&staged.external_id) {
            Some(&slot) => self.offers[slot].merge(staged),
            None => {
                self.offer_slots
                    .insert(staged.external_id.clone(), self.offers.len());
                self.offers.push(staged);
            }
        }
        if self.offers.len() >= BATCH {
            self.offer_slots.clear();
            let batch = Batch::Offers(std::mem::take(&mut self.offers));
            self.send(batch)?;
        }
        Ok(())
    }

    fn finish(mut self, kind: Option<commerceml::DocumentKind>) -> Result<Parsed, ImportError> {
        let batch = Batch::Products(std::mem::take(&mut self.products));
        self.send(batch)?;
        let batch = Batch::Offers(std::mem::take(&mut self.offers));
        self.send(batch)?;
        let batch = Batch::Pictures(std::mem::take(&mut self.pictures));
        self.send(batch)?;
        if self.saw_catalog && self.full_catalog {
            let gone = missing(&self.input.products, &self.seen_products);
            let renames = self.recreated_cards(&gone);
            self.publish.deactivate_products = if self.input.deactivate_missing {
                let renamed: IdSet<&str> = renames.iter().map(|(old, _)| old.as_str()).collect();
                gone.into_iter()
                    .filter(|id| !renamed.contains(id.as_str()))
                    .collect()
            } else {
                Vec::new()
            };
            self.publish.renames = renames;
        }
        if self.input.deactivate_missing && self.saw_offers && self.full_offers {
            // Only variants of products the package speaks about: another package (another
            // catalog, another price list) says nothing about the rest.
            let products: IdSet<&str> = self
                .seen_offers
                .iter()
                .map(|id| commerceml::split_offer_id(id).0)
                .collect();
            let mut gone = missing(&self.input.offers, &self.seen_offers);
            gone.retain(|id| products.contains(commerceml::split_offer_id(id).0));
            self.publish.deactivate_offers = gone;
        }
        self.publish.replace_pictures_of_all_sources =
            self.input.pictures == PicturePolicy::Replace;
        let report = &mut self.report;
        report.products.deactivated = self.publish.deactivate_products.len() as u64;
        report.offers.deactivated = self.publish.deactivate_offers.len() as u64;
        report.categories = self.publish.categories.len() as u64;
        report.properties = self.publish.properties.len() as u64;
        report.price_types = self.publish.price_types.len() as u64;
        report.warehouses = self.publish.warehouses.len() as u64;
        report.kind = match kind {
            Some(commerceml::DocumentKind::Catalog) => "catalog",
            Some(commerceml::DocumentKind::Offers) => "offers",
            Some(commerceml::DocumentKind::Classifier) => "classifier",
            Some(commerceml::DocumentKind::Orders) => "orders",
            _ => "empty",
        }
        .to_owned();
        Ok(Parsed {
            publish: self.publish,
            report: self.report,
        })
    }
}

impl Parser {
    /// With `commerceml.match_by_sku`: each product this full pass creates whose SKU is that
    /// of exactly one product the pass no longer lists (and of no other new product) takes
    /// that product's place, as (old id, new id). A card deleted and made again in the
    /// accounting system thus keeps its pictures and orders instead of leaving a duplicate.
    fn recreated_cards(&mut self, gone: &[String]) -> Vec<(String, String)> {
        let Some(skus) = &self.input.skus else {
            return Vec::new();
        };
        let mut gone_by_sku: HashMap<&str, Vec<&str>> = HashMap::new();
        for id in gone {
            if let Some(sku) = skus.get(id) {
                gone_by_sku.entry(sku).or_default().push(id);
            }
        }
        let mut new_by_sku: HashMap<&str, usize> = HashMap::new();
        for (sku, _) in &self.new_skus {
            *new_by_sku.entry(sku).or_default() += 1;
        }
        let mut renames = Vec::new();
        for (sku, new_id) in &self.new_skus {
            if let (Some([old_id]), Some(1)) = (
                gone_by_sku.get(sku.as_str()).map(Vec::as_slice),
                new_by_sku.get(sku.as_str()),
            ) {
                renames.push(((*old_id).to_owned(), new_id.clone()));
                self.report.renamed.push(Renamed {
                    from: (*old_id).to_owned(),
                    to: new_id.clone(),
                    sku: sku.clone(),
                });
            }
        }
        // What was counted as new is the old product, changed.
        let count = renames.len() as u64;
        self.report.products.created -= count;
        self.report.products.updated += count;
        renames
    }
}

/// Active ids the document did not mention, sorted.
fn missing(states: &States, seen: &IdSet<String>) -> Vec<String> {
    let mut ids: Vec<String> = states
        .iter()
        .filter(|(id, (_, active))| *active && !seen.contains(&***id))
        .map(|(id, _)| id.to_string())
        .collect();
    ids.sort();
    ids
}
