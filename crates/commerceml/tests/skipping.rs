//! Stepping over unchanged items (`Reader::next_item_skipping`) on every sample file: asked
//! nothing, the reader reads what `next_item` reads; told "unchanged", it steps over exactly
//! the items it gave a digest, with their ids and lines, and reads the rest as before.

use std::collections::HashSet;
use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use commerceml::{ErrorKind, Item, ItemKind, Reader};

fn fixtures() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    files
}

fn read_all(
    path: &PathBuf,
    mut ask: Option<&mut dyn FnMut(&commerceml::Digest<'_>) -> bool>,
) -> Vec<Item> {
    let mut reader = Reader::new(BufReader::new(File::open(path).unwrap())).unwrap();
    let mut items = Vec::new();
    loop {
        let next = match ask.as_mut() {
            Some(ask) => reader.next_item_skipping(*ask),
            None => reader.next_item(),
        };
        match next.unwrap_or_else(|e| panic!("{}: {e}", path.display())) {
            Some(item) => items.push(item),
            None => break,
        }
    }
    items
}

/// An item with its digest taken away, to compare with a plain reading.
fn without_digest(item: &Item) -> Item {
    let mut item = item.clone();
    match &mut item {
        Item::Product(product) => product.digest = None,
        Item::Offer(offer) => offer.digest = None,
        _ => {}
    }
    item
}

fn digest_of(item: &Item) -> Option<(ItemKind, &str, u128, u64)> {
    match item {
        Item::Product(p) => p
            .digest
            .map(|d| (ItemKind::Product, p.id.as_str(), d, p.line)),
        Item::Offer(o) => o
            .digest
            .map(|d| (ItemKind::Offer, o.id.as_str(), d, o.line)),
        _ => None,
    }
}

#[test]
fn asked_nothing_new_it_reads_what_next_item_reads() {
    let mut digested = 0;
    for path in fixtures() {
        let plain = read_all(&path, None);
        let asked = read_all(&path, Some(&mut |_| false));
        assert_eq!(plain.len(), asked.len(), "{}", path.display());
        for (plain, asked) in plain.iter().zip(&asked) {
            assert_eq!(plain, &without_digest(asked), "{}", path.display());
            digested += usize::from(digest_of(asked).is_some());
        }
    }
    assert!(
        digested > 1000,
        "most products and offers get a digest: {digested}"
    );
}

#[test]
fn told_unchanged_it_steps_over_exactly_the_digested_items() {
    for path in fixtures() {
        let asked = read_all(&path, Some(&mut |_| false));
        let mut told = Vec::new();
        let skipped = read_all(
            &path,
            Some(&mut |digest| {
                told.push((digest.kind, digest.id.to_owned(), digest.hash));
                true
            }),
        );
        assert_eq!(asked.len(), skipped.len(), "{}", path.display());
        let mut told = told.into_iter();
        for (asked, skipped) in asked.iter().zip(&skipped) {
            match (digest_of(asked), skipped) {
                (Some((kind, id, hash, line)), Item::Unchanged(unchanged)) => {
                    assert_eq!(
                        (unchanged.kind, unchanged.id.as_str(), unchanged.line),
                        (kind, id, line)
                    );
                    assert_eq!(told.next(), Some((kind, id.to_owned(), hash)));
                }
                (Some(_), other) => panic!("{}: not stepped over: {other:?}", path.display()),
                (None, _) => assert_eq!(asked, skipped, "{}", path.display()),
            }
        }
        assert_eq!(told.next(), None);
    }
}

#[test]
fn a_changed_byte_changes_the_digest_and_equal_items_share_one() {
    let doc = |price: &str| {
        format!(
            "<КоммерческаяИнформация><ПакетПредложений><Предложения>\
             <Предложение><Ид>o1</Ид><Количество>{price}</Количество></Предложение>\
             <Предложение><Ид>o2</Ид><Количество>5</Количество></Предложение>\
             </Предложения></ПакетПредложений></КоммерческаяИнформация>"
        )
    };
    let digests = |xml: String| {
        let mut reader = Reader::new(xml.as_bytes()).unwrap();
        let mut seen = Vec::new();
        let mut ask = |d: &commerceml::Digest<'_>| {
            seen.push((d.id.to_owned(), d.hash));
            false
        };
        while reader.next_item_skipping(&mut ask).unwrap().is_some() {}
        seen
    };
    let (five, six) = (digests(doc("5")), digests(doc("6")));
    assert_ne!(five[0], six[0], "o1 changed");
    assert_eq!(five[1], six[1], "o2 did not");
    assert_ne!(five[0].1, five[1].1, "o1 and o2 differ in their Ид");
}

#[test]
fn lines_and_errors_after_stepping_over_stay_where_they_are() {
    // Many items, so that lookahead moves the buffer, then a broken byte on a known line.
    let mut xml = String::from("<КоммерческаяИнформация><Каталог><Товары>\n");
    for i in 0..3000 {
        xml.push_str(&format!(
            "<Товар>\n<Ид>p{i}</Ид>\n<Наименование>Товар {i}</Наименование>\n</Товар>\n"
        ));
    }
    let broken_line = 1 + 3000 * 4 + 1;
    let mut bytes = xml.into_bytes();
    bytes.extend_from_slice(b"<\xD0\xA2\xFF\xB0\xD0\xB2\xD0\xB0\xD1\x80>\n");
    let mut reader = Reader::new(&bytes[..]).unwrap();
    let mut lines = HashSet::new();
    let err = loop {
        match reader.next_item_skipping(&mut |_| true) {
            Ok(Some(Item::Unchanged(u))) => {
                lines.insert(u.line);
            }
            Ok(Some(_)) => {}
            Ok(None) => panic!("the broken byte was not seen"),
            Err(err) => break err,
        }
    };
    assert_eq!(lines.len(), 3000);
    assert!(
        lines.contains(&2) && lines.contains(&(2 + 2999 * 4)),
        "{:?}",
        lines.iter().max()
    );
    assert!(matches!(err.kind, ErrorKind::Encoding { .. }), "{err}");
    assert_eq!(err.position.line, broken_line as u64, "{err}");
}

#[test]
fn an_empty_item_tag_is_read_not_stepped_over() {
    // The second document is broken after the empty tag in a way a quick look would take for
    // the item's content: nothing may be stepped over, and the breakage is reported.
    for xml in [
        "<КоммерческаяИнформация><Каталог><Товары><Товар/><Товар><Ид>p</Ид></Товар>\
         </Товары></Каталог></КоммерческаяИнформация>",
        "<КоммерческаяИнформация><Каталог><Товары><Товар/><Ид>p</Ид></Товар>\
         </Товары></Каталог></КоммерческаяИнформация>",
    ] {
        let mut reader = Reader::new(xml.as_bytes()).unwrap();
        let err = loop {
            match reader.next_item_skipping(&mut |_| true) {
                Ok(Some(Item::Unchanged(u))) => panic!("stepped over {u:?} in {xml}"),
                Ok(Some(_)) => {}
                Ok(None) => panic!("{xml} must be refused"),
                Err(err) => break err,
            }
        };
        assert!(err.position.line == 1, "{err}");
    }
}
