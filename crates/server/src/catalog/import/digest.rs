//! Telling an unchanged item by its bytes. The reader takes a digest of each product's and
//! offer's bytes before reading them; mixed with everything else a row and its warnings are
//! made from (the properties' names, the known price types and warehouses, the conversion
//! code), it is stored with the row as its `source_hash`. When the next pass brings the same
//! bytes under the same circumstances, the item is stepped over unread: an hourly pass that
//! changes little costs little more than finding where items end.

use std::collections::HashMap;

use commerceml::ItemKind;
use foldhash::HashSet as IdSet;

use vitrina_store::{StagedOffer, StagedProduct};
use xxhash_rust::xxh3::Xxh3;

use super::convert::PropertyInfo;

/// Bump when `convert.rs` makes a different row from the same bytes (a new column is noticed
/// by itself through the row shapes): every row is then read and written once more.
const CONVERSION: u32 = 1;

/// What, besides its bytes, a product's and an offer's rows are made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Contexts {
    pub product: u128,
    pub offer: u128,
}

impl Contexts {
    /// Products' rows name their properties and reference values from `properties`; offers
    /// are warned about for price types and warehouses not among those known.
    pub fn new(
        properties: &HashMap<String, PropertyInfo>,
        price_types: &IdSet<String>,
        warehouses: &IdSet<String>,
    ) -> Self {
        let mut shared = Xxh3::new();
        shared.update(&CONVERSION.to_le_bytes());
        let mut product = shared.clone();
        for column in StagedProduct::SHAPE.columns {
            field(&mut product, column.name);
        }
        let mut ids: Vec<&String> = properties.keys().collect();
        ids.sort_unstable();
        for id in ids {
            let info = &properties[id];
            field(&mut product, id);
            field(&mut product, &info.name);
            let mut values: Vec<(&String, &String)> = info.values.iter().collect();
            values.sort_unstable();
            product.update(&(values.len() as u64).to_le_bytes());
            for (value_id, value) in values {
                field(&mut product, value_id);
                field(&mut product, value);
            }
        }
        let mut offer = shared;
        for column in StagedOffer::SHAPE.columns {
            field(&mut offer, column.name);
        }
        for known in [price_types, warehouses] {
            let mut ids: Vec<&String> = known.iter().collect();
            ids.sort_unstable();
            offer.update(&(ids.len() as u64).to_le_bytes());
            for id in ids {
                field(&mut offer, id);
            }
        }
        Self {
            product: product.digest128(),
            offer: offer.digest128(),
        }
    }
}

fn field(hasher: &mut Xxh3, text: &str) {
    hasher.update(&(text.len() as u64).to_le_bytes());
    hasher.update(text.as_bytes());
}

impl Contexts {
    /// The context of items of `kind`.
    pub fn of(&self, kind: ItemKind) -> u128 {
        match kind {
            ItemKind::Product => self.product,
            ItemKind::Offer => self.offer,
        }
    }
}

/// The `source_hash` stored with a row made from an item with `digest` in `context`.
pub(super) fn source_hash(digest: u128, context: u128) -> String {
    hex(row_hash(digest, context))
}

/// The hash of a row made from an item with `digest` in `context`, as a number.
pub(super) fn row_hash(digest: u128, context: u128) -> u128 {
    let mut bytes = [0; 32];
    bytes[..16].copy_from_slice(&digest.to_le_bytes());
    bytes[16..].copy_from_slice(&context.to_le_bytes());
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

/// A hash as the catalog stores it: 32 hex digits.
fn hex(hash: u128) -> String {
    format!("{hash:032x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn property(name: &str, values: &[(&str, &str)]) -> PropertyInfo {
        PropertyInfo {
            name: name.to_owned(),
            values: values
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    #[test]
    fn a_renamed_property_or_value_changes_the_products_context_only() {
        let none = IdSet::default();
        let with = |name: &str, value: &str| {
            let properties = HashMap::from([("p1".to_owned(), property(name, &[("v1", value)]))]);
            Contexts::new(&properties, &none, &none)
        };
        let base = with("Цвет", "Красный");
        assert_eq!(base, with("Цвет", "Красный"), "deterministic");
        assert_ne!(base.product, with("Цвет ", "Красный").product);
        assert_ne!(base.product, with("Цвет", "Синий").product);
        assert_eq!(base.offer, with("Цвет", "Синий").offer);
        assert_ne!(base.product, base.offer);
    }

    #[test]
    fn a_price_type_or_warehouse_known_or_not_changes_the_offers_context_only() {
        let ids = |list: &[&str]| {
            list.iter()
                .map(|s| (*s).to_owned())
                .collect::<IdSet<String>>()
        };
        let properties = HashMap::new();
        let base = Contexts::new(&properties, &ids(&["retail"]), &ids(&["w1"]));
        let more = Contexts::new(&properties, &ids(&["retail", "opt"]), &ids(&["w1"]));
        let moved = Contexts::new(&properties, &ids(&["retail"]), &ids(&["w2"]));
        // One set's id in the other set is not the same circumstance.
        let swapped = Contexts::new(&properties, &ids(&["w1"]), &ids(&["retail"]));
        assert_ne!(base.offer, more.offer);
        assert_ne!(base.offer, moved.offer);
        assert_ne!(base.offer, swapped.offer);
        assert_eq!(base.product, more.product);
    }

    #[test]
    fn hashes_are_32_hex_digits_and_mix_both_parts() {
        assert_eq!(hex(row_hash(1, 2)).len(), 32);
        assert_ne!(row_hash(1, 2), row_hash(2, 1));
        assert_eq!(hex(0xab), format!("{}ab", "0".repeat(30)));
    }
}
