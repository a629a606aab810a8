//! The catalog as storefronts see it: the tenant's settings applied at read time to the rows
//! the exchange wrote (root group, shop price type, counted warehouses, variant totals).

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use commerceml::Decimal;
use serde::Serialize;
use vitrina_store::{
    CategoryRow, Db, IndexedOfferRow, OfferRow, PictureRow, PriceTypeRow, ProductRow, TenantId,
};

use super::canonical;
use super::import::{StoredPrice, StoredStock};
use crate::domain::DomainError;
use crate::domain::settings::{CatalogSettings, Settings};

/// Longest search text, in characters.
pub const MAX_QUERY: usize = 200;
/// Longest external id looked up (1C's `product#variant` ids are under 80 bytes).
const MAX_ID: usize = 512;

/// A category in the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Category {
    pub external_id: String,
    pub name: String,
    pub parent_external_id: Option<String>,
}

/// An amount in a currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Money {
    pub amount: String,
    pub currency: Option<String>,
}

/// One price of a price type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Price {
    pub price_type_external_id: String,
    pub price_type: String,
    pub amount: String,
    pub currency: Option<String>,
}

/// Stock at one counted warehouse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WarehouseStock {
    pub external_id: String,
    pub name: String,
    pub quantity: String,
}

/// Stock over the counted warehouses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stock {
    pub total: String,
    pub warehouses: Vec<WarehouseStock>,
}

/// A name/value pair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Pair {
    pub name: String,
    pub value: String,
}

/// A variant of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Variant {
    pub external_id: String,
    pub name: Option<String>,
    pub characteristics: Vec<Pair>,
    pub price: Option<Money>,
    pub prices: Vec<Price>,
    pub stock: Stock,
}

/// A picture of a product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Image {
    pub url: String,
    pub source: String,
}

/// A product in the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub external_id: String,
    pub name: String,
    pub sku: String,
    pub barcodes: Vec<String>,
    pub description: String,
    pub unit: Option<String>,
    pub category_external_id: Option<String>,
    pub price: Option<Money>,
    pub prices: Vec<Price>,
    pub stock: Stock,
    pub variants: Vec<Variant>,
    pub images: Vec<Image>,
    pub properties: Vec<Pair>,
}

/// Settings and reference data, loaded once per catalog version (see `read_model`).
#[derive(Debug)]
pub struct CatalogView {
    settings: CatalogSettings,
    categories: Vec<CategoryRow>,
    /// Categories a product may be in to be shown; `None` = all (no root group set).
    scope: Option<HashSet<String>>,
    price_types: HashMap<String, PriceTypeRow>,
    shop_price_type: Option<String>,
    warehouses: HashMap<String, String>,
    warehouse_order: Vec<String>,
}

impl CatalogView {
    /// Loads the tenant's settings and reference data.
    pub async fn load(db: &Db, tenant: TenantId) -> Result<Self, DomainError> {
        let settings = Settings::load(db, tenant).await?.catalog;
        let categories = db.list_categories(tenant).await?;
        let scope = settings
            .root_group
            .as_ref()
            .map(|root| subtree(&categories, root));
        let price_types = db.list_price_types(tenant).await?;
        let shop_price_type = match &settings.price_type {
            Some(wanted) => price_types
                .iter()
                .find(|p| &p.external_id == wanted)
                .or_else(|| price_types.iter().find(|p| &p.name == wanted))
                .map(|p| p.external_id.clone()),
            // The first price type of the latest document that listed any (rows come sorted).
            None => price_types.first().map(|p| p.external_id.clone()),
        };
        let warehouse_rows = db.list_warehouses(tenant).await?;
        let counted = |id: &str| {
            settings.warehouses.is_empty() || settings.warehouses.iter().any(|w| w == id)
        };
        let warehouse_order: Vec<String> = warehouse_rows
            .iter()
            .filter(|w| counted(&w.external_id))
            .map(|w| w.external_id.clone())
            .collect();
        let warehouses = warehouse_rows
            .into_iter()
            .map(|w| (w.external_id, w.name))
            .collect();
        let price_types = price_types
            .into_iter()
            .map(|p| (p.external_id.clone(), p))
            .collect();
        Ok(Self {
            settings,
            categories,
            scope,
            price_types,
            shop_price_type,
            warehouses,
            warehouse_order,
        })
    }

    /// Which active products storefronts do not see.
    pub fn visibility(&self) -> crate::domain::settings::VisibilityRules {
        self.settings.visibility
    }

    /// The category tree as shown: under a root group, its subtree without the root itself.
    pub fn categories(&self) -> Vec<Category> {
        let root = self.settings.root_group.as_deref();
        self.categories
            .iter()
            .filter(|c| {
                self.scope
                    .as_ref()
                    .is_none_or(|s| s.contains(&c.external_id))
            })
            .filter(|c| Some(c.external_id.as_str()) != root)
            .map(|c| Category {
                external_id: c.external_id.clone(),
                name: c.name.clone(),
                parent_external_id: c
                    .parent_external_id
                    .clone()
                    .filter(|p| Some(p.as_str()) != root),
            })
            .collect()
    }

    /// These products, in this order (those gone since are left out).
    pub async fn products_in_order(
        &self,
        db: &Db,
        tenant: TenantId,
        ids: &[String],
    ) -> Result<Vec<Product>, DomainError> {
        let mut rows: HashMap<String, ProductRow> = db
            .products_by_ids(tenant, ids)
            .await?
            .into_iter()
            .map(|(row, _)| (row.external_id.clone(), row))
            .collect();
        let ordered = ids.iter().filter_map(|id| rows.remove(id)).collect();
        self.assemble(db, tenant, ordered).await
    }

    /// One active, visible product.
    pub async fn product(
        &self,
        db: &Db,
        tenant: TenantId,
        external_id: &str,
    ) -> Result<Option<Product>, DomainError> {
        if external_id.len() > MAX_ID {
            return Ok(None);
        }
        let Some((row, active)) = db.find_product(tenant, external_id).await? else {
            return Ok(None);
        };
        if !active || !self.visible(row.category_external_id.as_deref()) {
            return Ok(None);
        }
        Ok(self.assemble(db, tenant, vec![row]).await?.pop())
    }

    /// One product whatever its state, for the admin panel; with whether it is active.
    pub async fn any_product(
        &self,
        db: &Db,
        tenant: TenantId,
        external_id: &str,
    ) -> Result<Option<(Product, bool)>, DomainError> {
        let Some((row, active)) = db.find_product(tenant, external_id).await? else {
            return Ok(None);
        };
        Ok(self
            .assemble(db, tenant, vec![row])
            .await?
            .pop()
            .map(|p| (p, active)))
    }

    /// Every category row, in document order (the tree, hidden parts included).
    pub fn category_rows(&self) -> &[CategoryRow] {
        &self.categories
    }

    /// The shop price and the stock total the API shows for a product whose active offers
    /// are these: its own offer's, or the cheapest variant's and the variants' sum.
    pub fn price_and_stock(&self, offers: &[&IndexedOfferRow]) -> (Option<Decimal>, Decimal) {
        let amount = |money: Option<Money>| money.and_then(|m| Decimal::from_str(&m.amount).ok());
        let total = |stock: Stock| Decimal::from_str(&stock.total).unwrap_or_default();
        let offer = |o: &IndexedOfferRow| {
            let prices = self.prices(o.prices.as_deref());
            let price = amount(self.shop_price(&prices));
            let stock = total(self.stock(o.stock.as_deref(), o.quantity.as_deref()));
            (price, stock)
        };
        let variants: Vec<(Option<Decimal>, Decimal)> = offers
            .iter()
            .filter(|o| o.variant_external_id.is_some())
            .map(|o| offer(o))
            .collect();
        if variants.is_empty() {
            return offers
                .iter()
                .find(|o| o.variant_external_id.is_none())
                .map(|o| offer(o))
                .unwrap_or((None, Decimal::ZERO));
        }
        let price = variants.iter().filter_map(|(price, _)| *price).min();
        let stock = variants.iter().map(|(_, stock)| *stock).sum();
        (price, stock)
    }

    /// Whether a product in `category` is within the shop's root group (all are without one).
    pub fn visible(&self, category: Option<&str>) -> bool {
        match (&self.scope, category) {
            (None, _) => true,
            (Some(scope), Some(c)) => scope.contains(c),
            (Some(_), None) => false,
        }
    }

    async fn assemble(
        &self,
        db: &Db,
        tenant: TenantId,
        rows: Vec<ProductRow>,
    ) -> Result<Vec<Product>, DomainError> {
        let ids: Vec<String> = rows.iter().map(|r| r.external_id.clone()).collect();
        let mut offers: HashMap<String, Vec<OfferRow>> = HashMap::new();
        for offer in db.offers_of(tenant, &ids).await? {
            offers
                .entry(offer.product_external_id.clone())
                .or_default()
                .push(offer);
        }
        let mut pictures: HashMap<String, Vec<PictureRow>> = HashMap::new();
        for picture in db.pictures_of(tenant, &ids).await? {
            pictures
                .entry(picture.product_external_id.clone())
                .or_default()
                .push(picture);
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let offers = offers.remove(&row.external_id).unwrap_or_default();
                let pictures = pictures.remove(&row.external_id).unwrap_or_default();
                self.product_of(row, offers, pictures)
            })
            .collect())
    }

    fn product_of(
        &self,
        row: ProductRow,
        offers: Vec<OfferRow>,
        pictures: Vec<PictureRow>,
    ) -> Product {
        let root = self.settings.root_group.as_deref();
        let (variants, own): (Vec<OfferRow>, Vec<OfferRow>) = offers
            .into_iter()
            .partition(|o| o.variant_external_id.is_some());
        let variants: Vec<Variant> = variants.into_iter().map(|o| self.variant(o)).collect();
        let (price, prices, stock) = if variants.is_empty() {
            match own.into_iter().next() {
                Some(offer) => {
                    let prices = self.prices(offer.prices.as_deref());
                    let price = self.shop_price(&prices);
                    (
                        price,
                        prices,
                        self.stock(offer.stock.as_deref(), offer.quantity.as_deref()),
                    )
                }
                None => (None, Vec::new(), self.stock(None, None)),
            }
        } else {
            let price = variants
                .iter()
                .filter_map(|v| v.price.clone())
                .min_by_key(|m| Decimal::from_str(&m.amount).unwrap_or(Decimal::MAX));
            (
                price,
                Vec::new(),
                sum_stock(
                    variants.iter().map(|v| &v.stock),
                    &self.warehouse_order,
                    &self.warehouses,
                ),
            )
        };
        Product {
            external_id: row.external_id,
            name: row.name.unwrap_or_default(),
            sku: row.sku.unwrap_or_default(),
            barcodes: row
                .barcodes
                .and_then(|b| serde_json::from_str(&b).ok())
                .unwrap_or_default(),
            description: row.description.unwrap_or_default(),
            unit: row.unit.filter(|u| !u.is_empty()),
            category_external_id: row
                .category_external_id
                .filter(|c| !c.is_empty() && Some(c.as_str()) != root),
            price,
            prices,
            stock,
            variants,
            images: pictures
                .into_iter()
                .map(|p| Image {
                    url: format!("/api/v1/pictures/{}", p.content_hash),
                    source: p.source,
                })
                .collect(),
            properties: row
                .properties
                .and_then(|p| serde_json::from_str(&p).ok())
                .unwrap_or_default(),
        }
    }

    fn variant(&self, offer: OfferRow) -> Variant {
        let prices = self.prices(offer.prices.as_deref());
        Variant {
            price: self.shop_price(&prices),
            stock: self.stock(offer.stock.as_deref(), offer.quantity.as_deref()),
            external_id: offer.external_id,
            name: offer.name,
            characteristics: offer
                .characteristics
                .and_then(|c| serde_json::from_str(&c).ok())
                .unwrap_or_default(),
            prices,
        }
    }

    /// The prices of known price types, in the order the documents list the types.
    fn prices(&self, json: Option<&str>) -> Vec<Price> {
        let stored: Vec<StoredPrice> = json
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default();
        let mut prices: Vec<(i64, Price)> = stored
            .into_iter()
            .filter_map(|p| {
                let price_type = self.price_types.get(&p.price_type)?;
                Some((
                    price_type.position,
                    Price {
                        price_type_external_id: p.price_type,
                        price_type: price_type.name.clone(),
                        amount: p.amount,
                        currency: p.currency.or_else(|| price_type.currency.clone()),
                    },
                ))
            })
            .collect();
        prices.sort_by_key(|(position, _)| *position);
        prices.into_iter().map(|(_, p)| p).collect()
    }

    fn shop_price(&self, prices: &[Price]) -> Option<Money> {
        let wanted = self.shop_price_type.as_deref()?;
        prices
            .iter()
            .find(|p| p.price_type_external_id == wanted)
            .map(|p| Money {
                amount: p.amount.clone(),
                currency: p.currency.clone(),
            })
    }

    /// Stock over the counted warehouses; the file's own total only when it gives no breakdown.
    fn stock(&self, json: Option<&str>, quantity: Option<&str>) -> Stock {
        let stored: Vec<StoredStock> = json
            .and_then(|j| serde_json::from_str(j).ok())
            .unwrap_or_default();
        if stored.is_empty() {
            let total = quantity.filter(|q| !q.is_empty()).unwrap_or("0").to_owned();
            return Stock {
                total,
                warehouses: Vec::new(),
            };
        }
        let by_id: HashMap<&str, &str> = stored
            .iter()
            .map(|s| (s.warehouse.as_str(), s.quantity.as_str()))
            .collect();
        let mut total = Decimal::ZERO;
        let mut warehouses = Vec::new();
        for id in &self.warehouse_order {
            if let Some(quantity) = by_id.get(id.as_str()) {
                let value = Decimal::from_str(quantity).unwrap_or_default();
                total += value;
                warehouses.push(WarehouseStock {
                    external_id: id.clone(),
                    name: self.warehouses.get(id).cloned().unwrap_or_default(),
                    quantity: canonical(value),
                });
            }
        }
        Stock {
            total: canonical(total),
            warehouses,
        }
    }
}

/// The variants' stock added up, per warehouse and in total.
fn sum_stock<'a>(
    stocks: impl Iterator<Item = &'a Stock>,
    order: &[String],
    names: &HashMap<String, String>,
) -> Stock {
    let mut total = Decimal::ZERO;
    let mut per: HashMap<&str, Decimal> = HashMap::new();
    for stock in stocks {
        total += Decimal::from_str(&stock.total).unwrap_or_default();
        for line in &stock.warehouses {
            *per.entry(line.external_id.as_str()).or_default() +=
                Decimal::from_str(&line.quantity).unwrap_or_default();
        }
    }
    let warehouses = order
        .iter()
        .filter_map(|id| {
            per.get(id.as_str()).map(|q| WarehouseStock {
                external_id: id.clone(),
                name: names.get(id).cloned().unwrap_or_default(),
                quantity: canonical(*q),
            })
        })
        .collect();
    Stock {
        total: canonical(total),
        warehouses,
    }
}

/// `root` and every category below it.
fn subtree(categories: &[CategoryRow], root: &str) -> HashSet<String> {
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for c in categories {
        if let Some(parent) = &c.parent_external_id {
            children
                .entry(parent.as_str())
                .or_default()
                .push(&c.external_id);
        }
    }
    let mut scope = HashSet::new();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        if scope.insert(id.to_owned()) {
            stack.extend(children.get(id).into_iter().flatten());
        }
    }
    scope
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtrees_include_the_root_and_all_descendants() {
        let row = |id: &str, parent: Option<&str>| CategoryRow {
            external_id: id.into(),
            name: id.into(),
            parent_external_id: parent.map(Into::into),
        };
        let rows = [
            row("a", None),
            row("b", Some("a")),
            row("c", Some("b")),
            row("d", None),
        ];
        let scope = subtree(&rows, "a");
        assert_eq!(scope.len(), 3);
        assert!(!scope.contains("d"));
    }
}
