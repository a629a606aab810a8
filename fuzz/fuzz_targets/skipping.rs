//! Any bytes read twice, plainly and stepping over items: the two readings must agree on
//! every item the quick look did not step over, on how many there were, and on whether (and
//! where) the document fails.
#![no_main]

use commerceml::{Item, Reader};
use libfuzzer_sys::fuzz_target;

fn read(data: &[u8], skip: bool) -> (Vec<Item>, Option<commerceml::Error>) {
    let limits = commerceml::Limits {
        max_token_bytes: 1 << 16,
        max_text_bytes: 1 << 16,
        ..Default::default()
    };
    let mut items = Vec::new();
    let Ok(mut reader) = Reader::with_limits(data, limits) else {
        return (items, None);
    };
    loop {
        let next = if skip {
            reader.next_item_skipping(&mut |_| true)
        } else {
            reader.next_item()
        };
        match next {
            Ok(Some(item)) => items.push(item),
            Ok(None) => return (items, None),
            Err(err) => return (items, Some(err)),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let (plain, plain_err) = read(data, false);
    let (skipped, skipped_err) = read(data, true);
    // A stepped-over item's own errors (a bad number inside it) are not seen: compare only
    // documents the plain reading accepts.
    if plain_err.is_some() {
        return;
    }
    assert!(skipped_err.is_none(), "{skipped_err:?}");
    assert_eq!(plain.len(), skipped.len());
    for (plain, skipped) in plain.iter().zip(&skipped) {
        match (plain, skipped) {
            (Item::Product(p), Item::Unchanged(u)) => assert_eq!((p.id.as_str(), p.line), (u.id.as_str(), u.line)),
            (Item::Offer(o), Item::Unchanged(u)) => assert_eq!((o.id.as_str(), o.line), (u.id.as_str(), u.line)),
            (Item::Product(p), Item::Product(q)) => assert_eq!(p.id, q.id),
            (Item::Offer(o), Item::Offer(q)) => assert_eq!(o.id, q.id),
            _ => assert_eq!(std::mem::discriminant(plain), std::mem::discriminant(skipped)),
        }
    }
});
