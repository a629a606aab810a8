//! What the live catalog holds for each id, as an import compares against it: read from the
//! store the first time it is needed (an offers pass never needs the products', a catalog
//! without variants never needs the offers'), then marked as the document mentions items.

use std::num::NonZeroU128;

use commerceml::ItemKind;
// An import looks up every item's id a few times: foldhash is several times faster than std's
// SipHash for that (a 140k-offer re-import spent a tenth of its parsing time hashing).
use foldhash::HashMap as IdMap;
use tokio::runtime::Handle;
use vitrina_store::{Db, ItemState, TenantId};

use super::ImportError;

/// One live item (or one the document creates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct State {
    /// Its stored hash (a number: 16 bytes, not a 32-character string, for each of a big
    /// shop's items, and no more with `None`); `None` for a row without one and for an item
    /// new in this document. (A hash that is zero reads as none: the row is then read.)
    pub hash: Option<NonZeroU128>,
    /// The hash it is known by from its item's bytes (see `digest`).
    pub source: Option<NonZeroU128>,
    pub active: bool,
    /// Whether the document mentioned it.
    pub seen: bool,
}

/// The states of one kind of item, by id.
pub(super) type States = IdMap<Box<str>, State>;

/// One kind of item's states, read on first use.
pub(super) struct Live {
    /// Where they are read from, until they have been.
    source: Option<(Db, TenantId, ItemKind, Handle)>,
    states: States,
}

impl Live {
    /// States of `tenant`'s items of `kind`, read through `runtime` (the parser runs on a
    /// blocking thread of it) when first asked for.
    pub fn new(db: Db, tenant: TenantId, kind: ItemKind, runtime: Handle) -> Self {
        Self {
            source: Some((db, tenant, kind, runtime)),
            states: States::default(),
        }
    }

    /// The states, read from the store if this is the first call (a failed read is tried
    /// again by the next call, never taken for a whole one).
    pub fn states(&mut self) -> Result<&mut States, ImportError> {
        if let Some((db, tenant, kind, runtime)) = &self.source {
            let mut states = States::default();
            let keep = |state: ItemState| keep(&mut states, state);
            match kind {
                ItemKind::Product => runtime.block_on(db.each_product_state(*tenant, keep))?,
                ItemKind::Offer => runtime.block_on(db.each_offer_state(*tenant, keep))?,
            }
            self.states = states;
            self.source = None;
        }
        Ok(&mut self.states)
    }
}

/// Adds a live item's state to `states`.
fn keep(states: &mut States, state: ItemState) {
    let state_of = State {
        hash: state.content_hash.as_deref().and_then(hash_key),
        source: state.source_hash.as_deref().and_then(hash_key),
        active: state.active,
        seen: false,
    };
    states.insert(state.external_id.into_boxed_str(), state_of);
}

/// A stored hash as [`States`] keeps it.
pub(super) fn hash_key(hex: &str) -> Option<NonZeroU128> {
    u128::from_str_radix(hex, 16)
        .ok()
        .and_then(NonZeroU128::new)
}

/// Marks `id` seen, adding it (with `active`) if new; `true` the first time it is seen.
pub(super) fn see(states: &mut States, id: &str, active: bool) -> bool {
    match states.get_mut(id) {
        Some(state) => !std::mem::replace(&mut state.seen, true),
        None => {
            let state = State {
                hash: None,
                source: None,
                active,
                seen: true,
            };
            states.insert(id.into(), state);
            true
        }
    }
}

/// Active live ids the document did not mention, sorted.
pub(super) fn missing(states: &States) -> Vec<String> {
    let mut ids: Vec<String> = states
        .iter()
        .filter(|(_, state)| state.active && !state.seen)
        .map(|(id, _)| id.to_string())
        .collect();
    ids.sort();
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeing_marks_once_and_adds_the_new() {
        let mut states = States::default();
        keep(
            &mut states,
            ItemState {
                external_id: "a".into(),
                content_hash: Some("ff".into()),
                source_hash: Some("ee".into()),
                active: true,
            },
        );
        keep(
            &mut states,
            ItemState {
                external_id: "b".into(),
                content_hash: None,
                source_hash: None,
                active: true,
            },
        );
        assert_eq!(
            (states["a"].hash, states["a"].source),
            (NonZeroU128::new(0xff), NonZeroU128::new(0xee))
        );
        assert_eq!(
            size_of::<State>(),
            48,
            "a state stays small: a big shop holds 240 000 of them"
        );
        assert!(see(&mut states, "a", true));
        assert!(!see(&mut states, "a", true));
        assert!(see(&mut states, "new", false));
        assert_eq!(missing(&states), ["b"]);
    }
}
