//! From parsed CommerceML items to staged rows: JSON for lists, canonical decimals, a hash of
//! each fully stated row, and "not stated" (`None`) where a changes-only document is silent.

use std::collections::HashMap;

use commerceml::{Offer, Product, Status};
use serde::Serialize;
use vitrina_store::{StagedOffer, StagedProduct};

use crate::catalog::canonical;

/// A name/value pair as the API shows it.
#[derive(Debug, Serialize)]
pub struct NameValue<'a> {
    pub name: &'a str,
    pub value: &'a str,
}

/// A price as stored in an offer's `prices` JSON: a compact `[type, amount, currency]`, since
/// offers are the bulk of what a catalog writes.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(
    from = "(String, String, Option<String>)",
    into = "(String, String, Option<String>)"
)]
pub struct StoredPrice {
    pub price_type: String,
    pub amount: String,
    pub currency: Option<String>,
}

impl From<(String, String, Option<String>)> for StoredPrice {
    fn from((price_type, amount, currency): (String, String, Option<String>)) -> Self {
        Self {
            price_type,
            amount,
            currency,
        }
    }
}

impl From<StoredPrice> for (String, String, Option<String>) {
    fn from(p: StoredPrice) -> Self {
        (p.price_type, p.amount, p.currency)
    }
}

/// A stock line as stored in an offer's `stock` JSON: a compact `[warehouse, quantity]`.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
#[serde(from = "(String, String)", into = "(String, String)")]
pub struct StoredStock {
    pub warehouse: String,
    pub quantity: String,
}

impl From<(String, String)> for StoredStock {
    fn from((warehouse, quantity): (String, String)) -> Self {
        Self {
            warehouse,
            quantity,
        }
    }
}

impl From<StoredStock> for (String, String) {
    fn from(s: StoredStock) -> Self {
        (s.warehouse, s.quantity)
    }
}

/// A property's name and its reference-book values, for resolving product property values.
#[derive(Debug, Clone, Default)]
pub struct PropertyInfo {
    pub name: String,
    pub values: HashMap<String, String>,
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".to_owned())
}

/// `value` when the document states it; in a full document an absent element clears (`""`).
fn stated(value: Option<String>, full: bool) -> Option<String> {
    match value {
        Some(v) => Some(v),
        None if full => Some(String::new()),
        None => None,
    }
}

/// Lower-cased text to search in, with ё folded into е.
pub fn search_text(parts: &[&str]) -> String {
    parts.join(" ").to_lowercase().replace('ё', "е")
}

/// The staged product for a catalog `Товар`, and, when its `Ид` names a variant, the staged
/// variant offer carrying its name and characteristics.
pub fn product(
    product: Product,
    full: bool,
    properties: &HashMap<String, PropertyInfo>,
) -> (StagedProduct, Option<StagedOffer>) {
    let external_id = product.product_id().to_owned();
    let variant = product.variant_id().map(|v| {
        let characteristics = product.characteristics.as_ref().map(|list| {
            json(
                &list
                    .iter()
                    .map(|c| NameValue {
                        name: &c.name,
                        value: &c.value,
                    })
                    .collect::<Vec<_>>(),
            )
        });
        StagedOffer {
            external_id: product.id.clone(),
            product_external_id: external_id.clone(),
            variant_external_id: Some(v.to_owned()),
            name: product.name.clone(),
            characteristics,
            prices: None,
            stock: None,
            quantity: None,
            active: product.status != Status::Deleted,
            content_hash: None,
            source_hash: None,
        }
    });
    let properties = product.property_values.as_ref().map(|values| {
        let resolved: Vec<(String, String)> = values
            .iter()
            .map(|v| {
                let info = properties.get(&v.property_id);
                let name = info.map_or_else(|| v.property_id.clone(), |i| i.name.clone());
                let text: Vec<&str> = v
                    .values
                    .iter()
                    .map(|value| {
                        info.and_then(|i| i.values.get(value))
                            .map_or(value.as_str(), String::as_str)
                    })
                    .collect();
                (name, text.join(", "))
            })
            .collect();
        json(
            &resolved
                .iter()
                .map(|(name, value)| NameValue { name, value })
                .collect::<Vec<_>>(),
        )
    });
    let requisites = product.requisites.as_ref().map(|list| {
        json(
            &list
                .iter()
                .map(|r| NameValue {
                    name: &r.name,
                    value: &r.value,
                })
                .collect::<Vec<_>>(),
        )
    });
    let barcodes = (full || !product.barcodes.is_empty()).then(|| json(&product.barcodes));
    let unit = product
        .base_unit
        .as_ref()
        .and_then(|u| u.label())
        .map(str::to_owned);
    let category = product
        .group_ids
        .as_ref()
        .map(|groups| groups.first().cloned().unwrap_or_default());
    let name = stated(product.name, full);
    let sku = stated(product.sku, full);
    let search = match (&name, &sku) {
        (None, None) if product.barcodes.is_empty() => None,
        _ => {
            let mut parts = vec![name.as_deref().unwrap_or(""), sku.as_deref().unwrap_or("")];
            parts.extend(product.barcodes.iter().map(String::as_str));
            Some(search_text(&parts))
        }
    };
    let mut staged = StagedProduct {
        external_id,
        name,
        sku,
        description: stated(product.description, full),
        unit: stated(unit, full),
        category_external_id: category,
        barcodes,
        properties: stated(properties, full)
            .map(|p| if p.is_empty() { "[]".to_owned() } else { p }),
        requisites: stated(requisites, full)
            .map(|r| if r.is_empty() { "[]".to_owned() } else { r }),
        search_text: search,
        active: product.status != Status::Deleted,
        content_hash: None,
        source_hash: None,
    };
    if full && variant.is_none() {
        staged.content_hash = Some(staged.hash());
    }
    (staged, variant)
}

/// The staged offer for a `Предложение`.
pub fn offer(offer: Offer, full: bool) -> StagedOffer {
    let product_id = offer.product_id().to_owned();
    let variant = offer.variant_id().map(str::to_owned);
    let external_id = match (&variant, offer.id.contains('#')) {
        (Some(v), false) => format!("{product_id}#{v}"),
        _ => offer.id.clone(),
    };
    let prices = offer.prices.as_ref().map(|prices| {
        json(
            &prices
                .iter()
                .map(|p| StoredPrice {
                    price_type: p.price_type_id.clone(),
                    amount: canonical(p.per_unit),
                    currency: p.currency.clone(),
                })
                .collect::<Vec<_>>(),
        )
    });
    let stock = offer.stock.as_ref().map(|lines| {
        json(
            &lines
                .iter()
                .map(|l| StoredStock {
                    warehouse: l.warehouse_id.clone(),
                    quantity: canonical(l.quantity),
                })
                .collect::<Vec<_>>(),
        )
    });
    let characteristics = offer.characteristics.as_ref().map(|list| {
        json(
            &list
                .iter()
                .map(|c| NameValue {
                    name: &c.name,
                    value: &c.value,
                })
                .collect::<Vec<_>>(),
        )
    });
    let mut staged = StagedOffer {
        external_id,
        product_external_id: product_id,
        variant_external_id: variant,
        name: offer.name,
        characteristics,
        prices: stated(prices, full).map(|p| if p.is_empty() { "[]".to_owned() } else { p }),
        stock: stated(stock, full).map(|s| if s.is_empty() { "[]".to_owned() } else { s }),
        quantity: stated(offer.quantity.map(canonical), full),
        active: offer.status != Status::Deleted,
        content_hash: None,
        source_hash: None,
    };
    if full {
        staged.content_hash = Some(staged.hash());
    }
    staged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_and_stock_are_stored_compactly() {
        let price = StoredPrice {
            price_type: "t".into(),
            amount: "12.5".into(),
            currency: None,
        };
        assert_eq!(json(&vec![price]), r#"[["t","12.5",null]]"#);
        let stock: Vec<StoredStock> = serde_json::from_str(r#"[["w","-3"]]"#).unwrap();
        assert_eq!(
            (stock[0].warehouse.as_str(), stock[0].quantity.as_str()),
            ("w", "-3")
        );
    }

    #[test]
    fn search_text_folds_case_and_yo() {
        assert_eq!(search_text(&["Мёд Липовый", "ART-1"]), "мед липовый art-1");
    }
}
