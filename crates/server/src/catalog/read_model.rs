//! A tenant's catalog as storefronts query it, held in memory per instance and keyed by the
//! tenant's catalog version (bumped by every publish, settings change and picture change, and
//! read with the tenant's row on every request): lists are filtered, sorted, searched and
//! counted here, and only the page's products are read from the database. A request that
//! finds the version moved builds the model again (one build at a time per tenant; the others
//! wait for it), so a change made anywhere (the CLI, another instance) shows on the next
//! request; a catalog of 20 000 products or more, whose build takes seconds, is rebuilt behind
//! the requests, which get the model held until the new one is ready. Models of tenants not
//! asked for lately are dropped past a memory budget (1 GB, kept answers included).

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use commerceml::Decimal;
use vitrina_store::{Db, IndexedOfferRow, TenantId};

use super::search::SearchIndex;
use super::view::{CatalogView, Category, Pair};
use super::visibility::{self, HiddenBecause};
use crate::domain::DomainError;

/// Bytes the models of all tenants may take, their kept answers included, before the least
/// recently asked are dropped.
const BUDGET_BYTES: usize = 1 << 30;
/// About what one product takes in a model: id, name, pairs, its places in the orders, words.
const BYTES_PER_PRODUCT: usize = 300;
/// Catalogs this large are rebuilt behind the requests (about half a second of build here);
/// smaller ones before answering, so a change shows on the very next request.
pub const BUILD_BEHIND_FROM: usize = 20_000;

/// One product as lists see it.
#[derive(Debug)]
pub(super) struct Entry {
    pub id: Box<str>,
    /// Lower-cased name, for sorting.
    pub name: Box<str>,
    /// Index into the view's category rows.
    pub category: Option<u32>,
    pub active: bool,
    /// Active, within the root group and breaking no visibility rule: what storefronts see.
    pub shown: bool,
    /// The visibility rules it breaks (bits, see `visibility::hidden`).
    pub hidden: u8,
    /// The shop price (the cheapest variant's for products with variants).
    pub price: Option<Decimal>,
    pub in_stock: bool,
    pub created_at: i64,
    /// Property name/value pairs, as indexes into [`ReadModel::pairs`].
    pub pairs: Box<[u32]>,
}

/// The orders a list can be sorted in: entry indexes, and each entry's place.
#[derive(Debug, Default)]
pub(super) struct Order {
    pub entries: Vec<u32>,
    pub rank: Vec<u32>,
}

impl Order {
    fn by(count: usize, mut less: impl FnMut(&u32, &u32) -> std::cmp::Ordering) -> Self {
        let mut entries: Vec<u32> = (0..count as u32).collect();
        entries.sort_by(&mut less);
        let mut rank = vec![0; count];
        for (place, entry) in entries.iter().enumerate() {
            rank[*entry as usize] = place as u32;
        }
        Self { entries, rank }
    }
}

/// A tenant's catalog at one version.
#[derive(Debug)]
pub struct ReadModel {
    pub version: i64,
    pub view: CatalogView,
    /// The categories as the API lists them (within the root group, the root left out).
    pub categories: Vec<Category>,
    /// `GET /api/v1/categories`, serialised once.
    pub categories_json: Bytes,
    /// Sorted by id (byte order): the default order and the cursor's.
    pub(super) entries: Vec<Entry>,
    pub(super) by_name: Order,
    pub(super) by_price: Order,
    pub(super) by_price_desc: Order,
    pub(super) by_new: Order,
    pub(super) search: SearchIndex,
    /// Distinct property name/value pairs.
    pub(super) pairs: Vec<Pair>,
    /// Category row index to its children's.
    pub(super) children: Vec<Vec<u32>>,
    pub(super) category_index: HashMap<String, u32>,
    /// Per category row: whether the API lists it (within the root group, not the root).
    pub(super) category_shown: Vec<bool>,
    /// Answers already made at this version, by request (see [`ReadModel::answer`]).
    answers: Mutex<Answers>,
}

/// Serialised answers of one model, within a byte budget: storefronts ask for the same
/// first pages, categories and searches again and again, and the version keys them exactly.
#[derive(Debug, Default)]
struct Answers {
    by_request: HashMap<String, Bytes>,
    bytes: usize,
}

impl ReadModel {
    /// Reads the tenant's catalog as it is at `version` or later.
    #[tracing::instrument(skip(db), fields(tenant = %tenant))]
    pub async fn build(db: &Db, tenant: TenantId, version: i64) -> Result<Self, DomainError> {
        let started = std::time::Instant::now();
        let view = CatalogView::load(db, tenant).await?;
        let mut products = db.indexed_products(tenant).await?;
        let read_products = started.elapsed();
        let offers = db.indexed_offers(tenant).await?;
        let read_offers = started.elapsed();
        products.sort_unstable_by(|a, b| a.external_id.cmp(&b.external_id));
        let rules = view.visibility();
        let pictured: std::collections::HashSet<String> = if rules.without_pictures {
            db.pictured_product_ids(tenant).await?.into_iter().collect()
        } else {
            Default::default()
        };
        let mut offers_of: HashMap<&str, Vec<&IndexedOfferRow>> = HashMap::new();
        for offer in &offers {
            offers_of
                .entry(offer.product_external_id.as_str())
                .or_default()
                .push(offer);
        }
        let rows = view.category_rows();
        let category_index: HashMap<String, u32> = rows
            .iter()
            .enumerate()
            .map(|(i, c)| (c.external_id.clone(), i as u32))
            .collect();
        let mut children = vec![Vec::new(); rows.len()];
        for (i, row) in rows.iter().enumerate() {
            if let Some(parent) = row
                .parent_external_id
                .as_ref()
                .and_then(|p| category_index.get(p))
            {
                children[*parent as usize].push(i as u32);
            }
        }
        let mut pair_index: HashMap<(String, String), u32> = HashMap::new();
        let mut pairs = Vec::new();
        let mut entries = Vec::with_capacity(products.len());
        for product in &products {
            let offers = offers_of
                .remove(product.external_id.as_str())
                .unwrap_or_default();
            let (price, stock) = view.price_and_stock(&offers);
            let in_stock = stock > Decimal::ZERO;
            let has_pictures = pictured.contains(product.external_id.as_str());
            let hidden = visibility::hidden(&rules, in_stock, price, has_pictures);
            let category = product
                .category_external_id
                .as_deref()
                .filter(|c| !c.is_empty());
            let properties: Vec<Pair> = product
                .properties
                .as_deref()
                .and_then(|json| serde_json::from_str(json).ok())
                .unwrap_or_default();
            let own_pairs: Box<[u32]> = properties
                .into_iter()
                .map(|pair| {
                    let next = pairs.len() as u32;
                    *pair_index
                        .entry((pair.name.clone(), pair.value.clone()))
                        .or_insert_with(|| {
                            pairs.push(pair);
                            next
                        })
                })
                .collect();
            entries.push(Entry {
                id: product.external_id.as_str().into(),
                name: product
                    .name
                    .as_deref()
                    .unwrap_or_default()
                    .to_lowercase()
                    .into(),
                category: category.and_then(|c| category_index.get(c).copied()),
                active: product.active,
                shown: product.active
                    && view.visible(product.category_external_id.as_deref())
                    && hidden == 0,
                hidden,
                price,
                in_stock,
                created_at: product.created_at,
                pairs: own_pairs,
            });
        }
        let entries_made = started.elapsed();
        let search = SearchIndex::build(
            products
                .iter()
                .enumerate()
                .map(|(i, p)| (i as u32, p.search_text.as_deref().unwrap_or_default())),
        );
        let searched = started.elapsed();
        let count = entries.len();
        let by_id = |a: &u32, b: &u32| a.cmp(b);
        let by_name = Order::by(count, |a, b| {
            let (x, y) = (&entries[*a as usize], &entries[*b as usize]);
            x.name.cmp(&y.name).then(by_id(a, b))
        });
        // Products without a price go last either way.
        let price_key = |e: &Entry| (e.price.is_none(), e.price);
        let by_price = Order::by(count, |a, b| {
            let (x, y) = (&entries[*a as usize], &entries[*b as usize]);
            price_key(x).cmp(&price_key(y)).then(by_id(a, b))
        });
        let by_price_desc = Order::by(count, |a, b| {
            let (x, y) = (&entries[*a as usize], &entries[*b as usize]);
            (x.price.is_none(), std::cmp::Reverse(x.price))
                .cmp(&(y.price.is_none(), std::cmp::Reverse(y.price)))
                .then(by_id(a, b))
        });
        let by_new = Order::by(count, |a, b| {
            let (x, y) = (&entries[*a as usize], &entries[*b as usize]);
            y.created_at.cmp(&x.created_at).then(by_id(a, b))
        });
        tracing::info!(
            ?read_products, ?read_offers, ?entries_made, ?searched, sorted = ?started.elapsed(),
            products = entries.len(), "read model built"
        );
        let categories = view.categories();
        let shown: std::collections::HashSet<&str> =
            categories.iter().map(|c| c.external_id.as_str()).collect();
        let category_shown = rows
            .iter()
            .map(|c| shown.contains(c.external_id.as_str()))
            .collect();
        let categories_json = Bytes::from(
            serde_json::to_vec(&serde_json::json!({ "items": &categories }))
                .map_err(|e| DomainError::Internal(e.into()))?,
        );
        Ok(Self {
            version,
            view,
            categories,
            categories_json,
            entries,
            by_name,
            by_price,
            by_price_desc,
            by_new,
            search,
            pairs,
            children,
            category_index,
            category_shown,
            answers: Mutex::default(),
        })
    }

    /// The answer to `request` made at this version, or `make`'s, kept for the next asker.
    pub async fn answer<F>(&self, request: &str, make: F) -> Result<Bytes, DomainError>
    where
        F: std::future::Future<Output = Result<Bytes, DomainError>>,
    {
        let lock = || self.answers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(kept) = lock().by_request.get(request) {
            return Ok(kept.clone());
        }
        let made = make.await?;
        let mut answers = lock();
        let budget = self.answers_budget();
        if answers.bytes + made.len() > budget {
            answers.by_request.clear();
            answers.bytes = 0;
        }
        if made.len() <= budget / 16 {
            answers.bytes += made.len();
            answers.by_request.insert(request.to_owned(), made.clone());
        }
        Ok(made)
    }

    /// The entry of a product id, if the tenant has it.
    pub(super) fn entry_of(&self, id: &str) -> Option<usize> {
        self.entries.binary_search_by(|e| (*e.id).cmp(id)).ok()
    }

    /// Why the visibility rules hide an active product (nothing when they do not).
    pub fn hidden_because(&self, id: &str) -> Vec<HiddenBecause> {
        self.entry_of(id)
            .map(|i| &self.entries[i])
            .filter(|e| e.active)
            .map(|e| visibility::reasons(e.hidden))
            .unwrap_or_default()
    }

    /// Whether a storefront may see the product (active, within the root group).
    pub fn shows(&self, id: &str) -> bool {
        self.entry_of(id).is_some_and(|i| self.entries[i].shown)
    }

    /// The most bytes of answers this model keeps: more for a larger catalog (more pages to
    /// ask for), from 256 KB to 8 MB.
    fn answers_budget(&self) -> usize {
        (self.entries.len() * 1024).clamp(256 << 10, 8 << 20)
    }

    /// What the model may take in memory, its answers included.
    fn weight(&self) -> usize {
        self.entries.len() * BYTES_PER_PRODUCT + self.answers_budget()
    }

    /// Active and inactive products.
    pub fn counts(&self) -> (usize, usize) {
        let active = self.entries.iter().filter(|e| e.active).count();
        (active, self.entries.len() - active)
    }

    /// A listed category by id.
    pub fn category(&self, id: &str) -> Option<&Category> {
        self.category_index
            .get(id)
            .filter(|i| self.category_shown[**i as usize])
            .and_then(|_| self.categories.iter().find(|c| c.external_id == id))
    }

    /// The tree as far as `open` shows it: the top categories, and below each category on the
    /// way to `open` (and below `open`) its children; the rest folded. A 2 500-category tree
    /// is then a few dozen lines of a page, not all of them. Each level lists at most `cap`
    /// categories (the open one's way always), and says how many more it has.
    pub fn tree_to(&self, open: Option<&str>, cap: usize) -> Tree {
        let mut path: Vec<&str> = Vec::new();
        let mut at = open.and_then(|id| self.category(id));
        while let Some(category) = at {
            path.push(category.external_id.as_str());
            at = category
                .parent_external_id
                .as_deref()
                .and_then(|parent| self.category(parent));
        }
        let mut children: HashMap<Option<&str>, Vec<&Category>> = HashMap::new();
        for category in &self.categories {
            children
                .entry(category.parent_external_id.as_deref())
                .or_default()
                .push(category);
        }
        fn branch(
            parent: Option<&str>,
            children: &HashMap<Option<&str>, Vec<&Category>>,
            path: &[&str],
            cap: usize,
        ) -> Tree {
            let under = children.get(&parent).map(Vec::as_slice).unwrap_or_default();
            let listed: Vec<&&Category> = under
                .iter()
                .enumerate()
                .filter(|(i, c)| *i < cap || path.contains(&c.external_id.as_str()))
                .map(|(_, c)| c)
                .collect();
            let nodes = listed
                .iter()
                .map(|c| {
                    let id = c.external_id.as_str();
                    let open = path.contains(&id);
                    TreeNode {
                        id: c.external_id.clone(),
                        name: c.name.clone(),
                        has_children: children.contains_key(&Some(id)),
                        open,
                        children: if open {
                            branch(Some(id), children, path, cap)
                        } else {
                            Tree::default()
                        },
                    }
                })
                .collect();
            Tree {
                nodes,
                more: under.len() - listed.len(),
            }
        }
        branch(None, &children, &path, cap)
    }

    /// How many products the model holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// One level of a folded tree.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Tree {
    pub nodes: Vec<TreeNode>,
    /// Categories of this level left out past the cap.
    pub more: usize,
}

/// A category in a folded tree.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TreeNode {
    pub id: String,
    pub name: String,
    /// Whether it has categories below it (shown or folded).
    pub has_children: bool,
    /// On the way to the open category: its children are listed.
    pub open: bool,
    pub children: Tree,
}

/// Read models per tenant, for this instance.
#[derive(Debug, Default)]
pub struct ReadModels {
    slots: Mutex<HashMap<TenantId, Slot>>,
    clock: AtomicU64,
}

#[derive(Debug, Default)]
struct Slot {
    model: Option<Arc<ReadModel>>,
    /// Held while the tenant's model is built: one build at a time.
    building: Arc<tokio::sync::Mutex<()>>,
    used: u64,
}

impl ReadModels {
    /// The tenant's model at `version` (the version its row showed this request), built now
    /// if the one held is older. A large catalog's model (see [`BUILD_BEHIND_FROM`]) that is
    /// only out of date is rebuilt behind the requests, which meanwhile get the one held:
    /// its build takes seconds, and every request of the shop would wait for it.
    pub async fn get(
        self: &Arc<Self>,
        db: &Db,
        tenant: TenantId,
        version: i64,
    ) -> Result<Arc<ReadModel>, DomainError> {
        let (building, held) = match self.current(tenant, version) {
            Ok(model) => return Ok(model),
            Err(behind) => behind,
        };
        if let Some(held) = held.filter(|held| held.len() >= BUILD_BEHIND_FROM) {
            if let Ok(turn) = building.try_lock_owned() {
                let (models, db) = (self.clone(), db.clone());
                tokio::spawn(async move {
                    if let Err(err) = models.build(&db, tenant).await {
                        tracing::error!(error = %err, "could not rebuild a read model");
                    }
                    drop(turn);
                });
            }
            return Ok(held);
        }
        let _turn = building.lock().await;
        // Another request may have built it while this one waited.
        if let Ok(model) = self.current(tenant, version) {
            return Ok(model);
        }
        self.build(db, tenant).await
    }

    /// Builds the tenant's model from what the database holds now and keeps it.
    async fn build(&self, db: &Db, tenant: TenantId) -> Result<Arc<ReadModel>, DomainError> {
        // The version is read before the rows: a model may be newer than its label, never
        // older.
        let version = db.catalog_version(tenant).await?;
        let model = Arc::new(ReadModel::build(db, tenant, version).await?);
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let used = self.clock.fetch_add(1, Ordering::Relaxed);
        let slot = slots.entry(tenant).or_default();
        slot.model = Some(model.clone());
        slot.used = used;
        evict(&mut slots, tenant);
        Ok(model)
    }

    /// The model held if it is at `version` or later; else the tenant's build lock and the
    /// older model held, if any.
    #[allow(clippy::type_complexity)] // a lock and a model, named in the doc
    fn current(
        &self,
        tenant: TenantId,
        version: i64,
    ) -> Result<Arc<ReadModel>, (Arc<tokio::sync::Mutex<()>>, Option<Arc<ReadModel>>)> {
        let mut slots = self.slots.lock().unwrap_or_else(|e| e.into_inner());
        let used = self.clock.fetch_add(1, Ordering::Relaxed);
        let slot = slots.entry(tenant).or_default();
        slot.used = used;
        match &slot.model {
            Some(model) if model.version >= version => Ok(model.clone()),
            held => Err((slot.building.clone(), held.clone())),
        }
    }
}

/// Drops the least recently used models (never `keep`'s) while their weight is over budget.
fn evict(slots: &mut HashMap<TenantId, Slot>, keep: TenantId) {
    let held = |slots: &HashMap<TenantId, Slot>| -> usize {
        slots
            .values()
            .filter_map(|s| s.model.as_ref())
            .map(|m| m.weight())
            .sum()
    };
    while held(slots) > BUDGET_BYTES {
        let oldest = slots
            .iter()
            .filter(|(tenant, slot)| **tenant != keep && slot.model.is_some())
            .min_by_key(|(_, slot)| slot.used)
            .map(|(tenant, _)| *tenant);
        match oldest {
            Some(tenant) => {
                if let Some(slot) = slots.get_mut(&tenant) {
                    slot.model = None;
                }
            }
            None => break,
        }
    }
}

/// A decimal query value, as storefronts write it (`1500`, `1500.50`).
pub fn parse_amount(text: &str) -> Option<Decimal> {
    Decimal::from_str(text.trim()).ok()
}
