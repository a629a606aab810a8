//! Property tests: decimals, offer ids and text survive every shape they can be written in.

use commerceml::{Decimal, Item, Reader, parse_decimal, split_offer_id};
use proptest::prelude::*;

/// Any price or quantity CommerceML carries: up to 12 integer digits and 4 decimals, signed.
fn decimals() -> impl Strategy<Value = Decimal> {
    (
        -9_999_999_999_999_999_i64..=9_999_999_999_999_999_i64,
        0u32..=4,
    )
        .prop_map(|(m, s)| Decimal::new(m, s))
}

/// The integer part with spaces every three digits, as 1C writes "1 234 567".
fn grouped(integer: &str) -> String {
    let digits: Vec<char> = integer.chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(*c);
    }
    out
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

proptest! {
    #[test]
    fn decimals_read_back_exactly_in_every_notation(d in decimals()) {
        let canonical = d.to_string();
        prop_assert_eq!(parse_decimal(&canonical), Some(d));
        // Java-style "45000.0" (MoySklad) and trailing zeros.
        let padded = if canonical.contains('.') { format!("{canonical}00") } else { format!("{canonical}.0") };
        prop_assert_eq!(parse_decimal(&padded), Some(d));
        // Comma as the decimal separator with grouped thousands ("1 234,50").
        let (sign, unsigned) = canonical.strip_prefix('-').map_or(("", canonical.as_str()), |u| ("-", u));
        let (integer, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        let russian = if fraction.is_empty() {
            format!("{sign}{}", grouped(integer))
        } else {
            format!("{sign}{},{fraction}", grouped(integer))
        };
        prop_assert_eq!(parse_decimal(&russian), Some(d), "{}", russian);
        prop_assert_eq!(parse_decimal(&format!("  {canonical}\n")), Some(d));
    }

    #[test]
    fn offer_ids_split_at_the_first_hash(product in "[^#]{1,40}", variant in "[^\\s]{1,40}") {
        let id = format!("{product}#{variant}");
        prop_assert_eq!(split_offer_id(&id), (product.as_str(), Some(variant.as_str())));
        prop_assert_eq!(split_offer_id(&product), (product.as_str(), None));
    }

    #[test]
    fn names_keep_inner_whitespace_and_any_character(name in "\\PC{0,60}", pad in "[ \t\n]{0,3}") {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><КоммерческаяИнформация><Каталог><Товары>\
             <Товар><Ид>1</Ид><Наименование>{pad}{}{pad}</Наименование></Товар>\
             </Товары></Каталог></КоммерческаяИнформация>",
            xml_escape(&name)
        );
        let items: Vec<Item> = Reader::new(xml.as_bytes()).unwrap().collect::<Result<_, _>>().unwrap();
        let Some(Item::Product(product)) = items.into_iter().find(|i| matches!(i, Item::Product(_))) else {
            panic!("no product")
        };
        let expected = name.replace("\r\n", "\n").replace('\r', "\n");
        prop_assert_eq!(product.name.as_deref(), Some(expected.trim()));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(reader) = Reader::new(&bytes[..]) {
            for item in reader {
                if item.is_err() {
                    break;
                }
            }
        }
    }
}
