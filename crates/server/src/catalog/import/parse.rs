//! The parsing side of an import, run on a blocking thread: reads the document item by item,
//! turns items into staged rows and sends them in batches to the async side, which writes them.

use std::collections::HashMap;
use std::num::NonZeroU128;

// An import looks up every item's id a few times: foldhash is several times faster than std's
// SipHash for that (a 140k-offer re-import spent a tenth of its parsing time hashing).
use foldhash::{HashMap as IdMap, HashSet as IdSet};
use std::io::{BufReader, Read};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use commerceml::{Digest, Item, ItemKind, Reader};
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use vitrina_store::{
    LockedField, NewCategory, NewPriceType, NewProperty, NewWarehouse, PublishOptions, StagedOffer,
    StagedPicture, StagedProduct,
};

use super::convert::{self, PropertyInfo};
use super::digest::{self, Contexts};
use super::document::Document;
use super::live::{self, Live, State, hash_key, see};
use super::locks::Locks;
use super::pictures::{self, Picture, PictureProblem};
use super::report::{Counts, ImportReport, WarningKind};
use super::report::{InFile, Renamed, Unused};
use super::{ImportError, Progress};
use crate::domain::settings::PicturePolicy;
use crate::files::Files;

/// Rows per batch sent to the writer: one short staging transaction each.
const BATCH: usize = 2000;

/// Work for the async side.
pub(super) enum Batch {
    /// Rows written as they come (see `ImportSession::write_products`).
    Products(Vec<StagedProduct>),
    Offers(Vec<StagedOffer>),
    /// Rows of products that may take the place of one the pass no longer lists (a card made
    /// again in the accounting system, found by its SKU): staged, and published after that
    /// rename has moved the old product's offers, pictures and order lines to them.
    HeldProducts(Vec<StagedProduct>),
    HeldOffers(Vec<StagedOffer>),
    Pictures(Vec<StagedPicture>),
    PictureFile(Picture),
}

/// Rows on their way to a batch, each id once: a repeat folds into its earlier row.
struct Pending<T> {
    rows: Vec<T>,
    slots: IdMap<String, usize>,
}

impl<T> Default for Pending<T> {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            slots: IdMap::default(),
        }
    }
}

impl<T> Pending<T> {
    /// Adds `row` (merged by `merge` into an earlier one of the same `id`); the rows, once
    /// they make a full batch.
    fn push(&mut self, id: &str, row: T, merge: impl FnOnce(&mut T, T)) -> Option<Vec<T>> {
        match self.slots.get(id) {
            Some(&slot) => merge(&mut self.rows[slot], row),
            None => {
                self.slots.insert(id.to_owned(), self.rows.len());
                self.rows.push(row);
            }
        }
        (self.rows.len() >= BATCH).then(|| self.take())
    }

    fn take(&mut self) -> Vec<T> {
        self.slots.clear();
        std::mem::replace(&mut self.rows, Vec::with_capacity(BATCH))
    }
}

/// Everything the parser needs to know before it starts.
pub(super) struct ParseInput {
    pub document: Document,
    pub files: Files,
    /// The runtime the parser's blocking thread belongs to (stored parts are awaited on it).
    pub runtime: Handle,
    pub products: Live,
    pub offers: Live,
    pub properties: HashMap<String, PropertyInfo>,
    pub price_types: IdSet<String>,
    pub warehouses: IdSet<String>,
    pub pictures: PicturePolicy,
    pub deactivate_missing: bool,
    /// With `commerceml.match_by_sku`: the SKU of every active product that has one.
    pub skus: Option<HashMap<String, String>>,
    /// Fields the owner locked.
    pub locks: Locks,
    pub progress: Arc<Progress>,
}

/// What the parser hands back when the document was read to its end.
pub(super) struct Parsed {
    pub publish: PublishOptions,
    pub report: ImportReport,
    /// Whether the document is a full one (not changes only): what it leaves out is gone.
    pub full: bool,
    /// Active products the document itself marks deleted (the brake counts them off sale).
    pub taken_off: u64,
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
    products: Pending<StagedProduct>,
    offers: Pending<StagedOffer>,
    held_products: Pending<StagedProduct>,
    held_offers: Pending<StagedOffer>,
    pictures: Vec<StagedPicture>,
    full_catalog: bool,
    full_offers: bool,
    saw_catalog: bool,
    saw_offers: bool,
    saw_orders: bool,
    /// (SKU, id) of each product this document creates, for `match_by_sku`.
    new_skus: Vec<(String, String)>,
    /// With `match_by_sku`: every SKU of an active live product.
    live_skus: IdSet<String>,
    /// Products this document creates with one of `live_skus`: their rows are held.
    held: IdSet<String>,
    /// What rows are made from besides items' bytes; `None` after the properties changed.
    contexts: Option<Contexts>,
    /// A failure met while the reader asked about an item (reading the live states).
    failure: Option<ImportError>,
    /// Active products the document marks deleted.
    taken_off: u64,
}

/// Reads the whole document. `Err` leaves nothing behind but staged rows, which the caller drops.
pub(super) fn parse(input: ParseInput, out: mpsc::Sender<Batch>) -> Result<Parsed, ImportError> {
    let file = input
        .document
        .open(&input.files, input.runtime.clone())
        .map_err(|e| ImportError::Unreadable(e.to_string()))?;
    let counted = Counted {
        inner: file,
        progress: input.progress.clone(),
    };
    let mut reader =
        Reader::new(BufReader::with_capacity(64 * 1024, counted)).map_err(ImportError::Document)?;
    let live_skus = input
        .skus
        .iter()
        .flat_map(|skus| skus.values().cloned())
        .collect();
    let mut parser = Parser {
        input,
        out,
        publish: PublishOptions::default(),
        report: ImportReport::default(),
        products: Pending::default(),
        offers: Pending::default(),
        held_products: Pending::default(),
        held_offers: Pending::default(),
        pictures: Vec::new(),
        full_catalog: false,
        full_offers: false,
        saw_catalog: false,
        saw_offers: false,
        saw_orders: false,
        new_skus: Vec::new(),
        live_skus,
        held: IdSet::default(),
        contexts: None,
        failure: None,
        taken_off: 0,
    };
    loop {
        let contexts = parser.contexts();
        let next = reader.next_item_skipping(&mut |item| parser.step_over(item, contexts));
        if let Some(failure) = parser.failure.take() {
            return Err(failure);
        }
        let Some(item) = next.map_err(ImportError::Document)? else {
            break;
        };
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
    fn contexts(&mut self) -> Contexts {
        *self.contexts.get_or_insert_with(|| {
            let input = &self.input;
            Contexts::new(&input.properties, &input.price_types, &input.warehouses)
        })
    }

    /// Whether the live catalog already holds the row the item makes, so that the reader
    /// may step over it; it is then seen and counted unchanged. (Only rows of full documents
    /// are hashed.)
    fn step_over(&mut self, item: &Digest<'_>, contexts: Contexts) -> bool {
        let context = contexts.of(item.kind);
        let (live, full, counts) = match item.kind {
            ItemKind::Product => (
                &mut self.input.products,
                self.full_catalog,
                &mut self.report.products,
            ),
            ItemKind::Offer => (
                &mut self.input.offers,
                self.full_offers,
                &mut self.report.offers,
            ),
        };
        if !full {
            return false;
        }
        let states = match live.states() {
            Ok(states) => states,
            Err(err) => {
                self.failure = Some(err);
                return false;
            }
        };
        match states.get_mut(item.id) {
            Some(state)
                if state.source == NonZeroU128::new(digest::row_hash(item.hash, context)) =>
            {
                counts.unchanged += u64::from(!std::mem::replace(&mut state.seen, true));
                true
            }
            _ => false,
        }
    }

    /// The `source_hash` of a row of `kind` read from an item with `item_digest`, when the row
    /// is stated whole (it has a content hash) and its bytes say everything about it.
    fn source_hash(
        &mut self,
        kind: ItemKind,
        item_digest: Option<u128>,
        content_hash: &Option<String>,
        by_bytes_alone: bool,
    ) -> Option<String> {
        let item_digest = item_digest.filter(|_| by_bytes_alone && content_hash.is_some())?;
        Some(digest::source_hash(item_digest, self.contexts().of(kind)))
    }

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
                self.contexts = None;
                self.input.properties.insert(
                    property.id,
                    PropertyInfo {
                        name: property.name,
                        values,
                    },
                );
            }
            Item::PriceType(price_type) => {
                self.contexts = None;
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
                self.contexts = None;
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
            // Seen and counted when the reader asked about it.
            Item::Unchanged(_) => {}
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
        let item_digest = product.digest;
        let warnings = self.report.warning_count;
        let picture_names = product
            .pictures
            .clone()
            .filter(|_| self.input.pictures != PicturePolicy::Off);
        let (mut staged, variant) = convert::product(product, full, &self.input.properties);
        let id = staged.external_id.clone();
        let pictures_locked = self.input.locks.has(&id, LockedField::Pictures);
        if let Some(names) = picture_names.as_ref().filter(|_| !pictures_locked) {
            self.pictures(&id, names, line)?;
        }
        // Stepped over next time only if its bytes say everything about it: pictures are
        // looked for in the pass's files, and warnings are said again on every pass.
        let by_bytes_alone = picture_names.is_none() && self.report.warning_count == warnings;
        staged.source_hash = self.source_hash(
            ItemKind::Product,
            item_digest,
            &staged.content_hash,
            by_bytes_alone,
        );
        let states = self.input.products.states()?;
        let live = states.get(id.as_str()).copied();
        // A product may be stated several times (once per variant in some 1C catalogs).
        // Later offers in this file may refer to a new one.
        let first_time = see(states, &id, staged.active);
        let same = sameness(live, &staged.content_hash, &staged.source_hash);
        if tally(&mut self.report.products, same, first_time) {
            let locked = self.input.locks.apply(&mut staged, live.map(|l| l.active));
            self.report.locked += locked + u64::from(pictures_locked && picture_names.is_some());
            if first_time && !staged.active && live.is_some_and(|l| l.active) {
                self.taken_off += 1;
            }
            if first_time
                && same == Sameness::Created
                && let Some(sku) = staged.sku.as_ref().filter(|s| !s.is_empty())
            {
                if self.live_skus.contains(sku) {
                    self.held.insert(id.clone());
                }
                self.new_skus.push((sku.clone(), id.clone()));
            }
            if !first_time {
                forget_hashes(&mut staged.content_hash, &mut staged.source_hash);
            }
            let batch = if self.held.contains(&id) {
                self.held_products
                    .push(&id, staged, StagedProduct::merge)
                    .map(Batch::HeldProducts)
            } else {
                self.products
                    .push(&id, staged, StagedProduct::merge)
                    .map(Batch::Products)
            };
            if let Some(batch) = batch {
                self.send(batch)?;
            }
        }
        if let Some(variant) = variant {
            self.stage_offer(variant)?;
        }
        Ok(())
    }

    fn pictures(&mut self, product: &str, names: &[String], line: u64) -> Result<(), ImportError> {
        let dir = self.input.document.pictures_dir.clone();
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
        let warnings = self.report.warning_count;
        // A known offer's product is known; only a new one's is looked for (an offers pass then
        // seldom needs the products' states at all).
        let known = self.input.offers.states()?.contains_key(offer.id.as_str())
            || self
                .input
                .products
                .states()?
                .contains_key(offer.product_id());
        if !known {
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
        let item_digest = offer.digest;
        let mut staged = convert::offer(offer, self.full_offers);
        let by_bytes_alone = self.report.warning_count == warnings;
        staged.source_hash = self.source_hash(
            ItemKind::Offer,
            item_digest,
            &staged.content_hash,
            by_bytes_alone,
        );
        self.stage_offer(staged)
    }

    /// Stages an offer unless the live one is the same.
    fn stage_offer(&mut self, mut staged: StagedOffer) -> Result<(), ImportError> {
        let states = self.input.offers.states()?;
        let live = states.get(staged.external_id.as_str()).copied();
        let first_time = see(states, &staged.external_id, staged.active);
        let same = sameness(live, &staged.content_hash, &staged.source_hash);
        if !tally(&mut self.report.offers, same, first_time) {
            return Ok(());
        }
        if !first_time {
            forget_hashes(&mut staged.content_hash, &mut staged.source_hash);
        }
        let id = staged.external_id.clone();
        let batch = if self.held.contains(staged.product_external_id.as_str()) {
            self.held_offers
                .push(&id, staged, StagedOffer::merge)
                .map(Batch::HeldOffers)
        } else {
            self.offers
                .push(&id, staged, StagedOffer::merge)
                .map(Batch::Offers)
        };
        if let Some(batch) = batch {
            self.send(batch)?;
        }
        Ok(())
    }

    fn finish(mut self, kind: Option<commerceml::DocumentKind>) -> Result<Parsed, ImportError> {
        for batch in [
            Batch::Products(self.products.take()),
            Batch::Offers(self.offers.take()),
            Batch::HeldProducts(self.held_products.take()),
            Batch::HeldOffers(self.held_offers.take()),
            Batch::Pictures(std::mem::take(&mut self.pictures)),
        ] {
            self.send(batch)?;
        }
        if self.saw_catalog && self.full_catalog {
            let gone = live::missing(self.input.products.states()?);
            let renames = self.recreated_cards(&gone);
            self.publish.deactivate_products = if self.input.deactivate_missing {
                let renamed: IdSet<&str> = renames.iter().map(|(old, _)| old.as_str()).collect();
                let locks = &self.input.locks;
                let (kept, gone): (Vec<String>, Vec<String>) = gone
                    .into_iter()
                    .filter(|id| !renamed.contains(id.as_str()))
                    .partition(|id| locks.has(id, LockedField::Visibility));
                self.report.locked += kept.len() as u64;
                gone
            } else {
                Vec::new()
            };
            self.publish.renames = renames;
        }
        if self.input.deactivate_missing && self.saw_offers && self.full_offers {
            // Only variants of products the package speaks about: another package (another
            // catalog, another price list) says nothing about the rest.
            let states = self.input.offers.states()?;
            let products: IdSet<&str> = states
                .iter()
                .filter(|(_, state)| state.seen)
                .map(|(id, _)| commerceml::split_offer_id(id).0)
                .collect();
            let mut gone = live::missing(states);
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
            full: (self.saw_catalog && self.full_catalog) || (self.saw_offers && self.full_offers),
            taken_off: self.taken_off,
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

/// A row stated again in one document is what its statements say together, which neither
/// hash describes: it is read in full next time.
fn forget_hashes(content: &mut Option<String>, source: &mut Option<String>) {
    *content = None;
    *source = None;
}

/// How a row compares with the live one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sameness {
    /// Says the same and is known by the same bytes: nothing to write.
    Unchanged,
    /// Says the same, but is now known by other bytes or circumstances (or by none): written
    /// once more for its new `source_hash`, and counted unchanged.
    Restamped,
    /// Different from the live row.
    Updated,
    /// No live row.
    Created,
}

/// How a row with hashes `content` and `source` compares with the `live` one (`None`: no live
/// row). The content hash covers the active flag; a deactivated-as-missing row has none.
fn sameness(live: Option<State>, content: &Option<String>, source: &Option<String>) -> Sameness {
    let Some(live) = live else {
        return Sameness::Created;
    };
    let same_content = live.hash.is_some() && content.as_deref().and_then(hash_key) == live.hash;
    match (
        same_content,
        source.as_deref().and_then(hash_key) == live.source,
    ) {
        (true, true) => Sameness::Unchanged,
        (true, false) => Sameness::Restamped,
        (false, _) => Sameness::Updated,
    }
}

/// Counts a row in `counts` by how it compares with the live one, once per id (`first_time`);
/// whether it is to be written.
fn tally(counts: &mut Counts, same: Sameness, first_time: bool) -> bool {
    let count = u64::from(first_time);
    match same {
        Sameness::Unchanged => counts.unchanged += count,
        Sameness::Restamped => counts.unchanged += count,
        Sameness::Updated => counts.updated += count,
        Sameness::Created => counts.created += count,
    }
    same != Sameness::Unchanged
}
