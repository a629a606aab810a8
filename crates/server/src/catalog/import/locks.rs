//! Fields the shop owner locked on a product: the import leaves them as they are by not
//! stating them (`None` keeps the live value), so the row's hash still describes the document
//! and an unchanged pass steps over it. Unlocking forgets the product's hashes, so the next
//! pass reads it in full and hands the fields back to the exchange.

use std::collections::HashMap;

use vitrina_store::{LockedField, StagedProduct};

/// Every locked field of a tenant, by product.
#[derive(Debug, Default)]
pub(super) struct Locks {
    by_product: HashMap<String, Vec<LockedField>>,
}

impl Locks {
    /// The locks as the store lists them.
    pub fn new(rows: Vec<(String, LockedField)>) -> Self {
        let mut by_product: HashMap<String, Vec<LockedField>> = HashMap::new();
        for (product, field) in rows {
            by_product.entry(product).or_default().push(field);
        }
        Self { by_product }
    }

    /// Whether `field` of `product` is locked.
    pub fn has(&self, product: &str, field: LockedField) -> bool {
        !self.by_product.is_empty()
            && self
                .by_product
                .get(product)
                .is_some_and(|fields| fields.contains(&field))
    }

    /// Unstates the locked fields of a row about to be written (its visibility kept as
    /// `live_active` says); how many fields it would have changed.
    pub fn apply(&self, row: &mut StagedProduct, live_active: Option<bool>) -> u64 {
        let Some(fields) = self.by_product.get(&row.external_id) else {
            return 0;
        };
        let mut left = 0;
        for field in fields {
            let stated = match field {
                LockedField::Name => {
                    // The search text is made of the name: the owner's name keeps its own.
                    row.search_text = None;
                    row.name.take().is_some()
                }
                LockedField::Description => row.description.take().is_some(),
                LockedField::Category => row.category_external_id.take().is_some(),
                LockedField::Visibility => match live_active {
                    Some(active) if active != row.active => {
                        row.active = active;
                        true
                    }
                    _ => false,
                },
                // Pictures are never read for a product that locks them.
                LockedField::Pictures => false,
            };
            left += u64::from(stated);
        }
        left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_fields_are_left_unstated_and_counted() {
        let locks = Locks::new(vec![
            ("p".into(), LockedField::Description),
            ("p".into(), LockedField::Visibility),
            ("q".into(), LockedField::Name),
        ]);
        let row = |id: &str| {
            StagedProduct {
                active: false,
                ..StagedProduct::default()
            }
            .with_text("external_id", Some(id))
            .with_text("name", Some("Новое"))
            .with_text("description", Some("Новое описание"))
            .with_text("search_text", Some("новое"))
        };
        let mut p = row("p");
        assert_eq!(locks.apply(&mut p, Some(true)), 2);
        assert_eq!(
            (p.description, p.active, p.name.as_deref()),
            (None, true, Some("Новое"))
        );
        let mut q = row("q");
        assert_eq!(locks.apply(&mut q, Some(false)), 1);
        assert_eq!((q.name, q.search_text), (None, None));
        let mut other = row("other");
        assert_eq!(locks.apply(&mut other, Some(true)), 0);
        assert_eq!(other, row("other"));
        assert!(locks.has("p", LockedField::Visibility) && !locks.has("p", LockedField::Name));
    }
}
