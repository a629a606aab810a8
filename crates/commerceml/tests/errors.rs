//! Broken and hostile documents: each is a clear error with its line, never a panic and never
//! a silent partial success.

use commerceml::{Error, ErrorKind, Item, Limits, Reader};

/// Reads everything; the error, if any.
fn read_all(xml: &[u8]) -> Result<Vec<Item>, Error> {
    read_with(xml, Limits::default())
}

fn read_with(xml: &[u8], limits: Limits) -> Result<Vec<Item>, Error> {
    let reader = Reader::with_limits(xml, limits)?;
    reader.collect()
}

fn kind(xml: &str) -> ErrorKind {
    read_all(xml.as_bytes()).expect_err("must fail").kind
}

const HEAD: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<КоммерческаяИнформация ВерсияСхемы=\"2.04\">\n";

#[test]
fn a_price_without_its_type_names_element_and_line() {
    let xml = format!(
        "{HEAD}<ПакетПредложений><Предложения>\n<Предложение><Ид>p1</Ид>\n<Цены>\n<Цена>\n<ЦенаЗаЕдиницу>10</ЦенаЗаЕдиницу>\n</Цена>\n</Цены></Предложение></Предложения></ПакетПредложений></КоммерческаяИнформация>"
    );
    let err = read_all(xml.as_bytes()).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::Missing {
            element: "Цена",
            missing: "ИдТипаЦены"
        }
    );
    assert_eq!(err.position.line, 6, "the line of <Цена>");
    assert_eq!(err.to_string(), "line 6: Цена has no ИдТипаЦены");
}

#[test]
fn bad_numbers_are_errors_not_zeroes() {
    let xml = format!(
        "{HEAD}<ПакетПредложений><Предложения><Предложение><Ид>p1</Ид><Количество>много</Количество></Предложение></Предложения></ПакетПредложений></КоммерческаяИнформация>"
    );
    assert_eq!(
        kind(&xml),
        ErrorKind::BadNumber {
            element: "Количество",
            value: "много".into()
        }
    );
    let xml = format!(
        "{HEAD}<ПакетПредложений><Предложения><Предложение><Ид>p1</Ид><Цены><Цена><ИдТипаЦены>t</ИдТипаЦены><ЦенаЗаЕдиницу>1e5</ЦенаЗаЕдиницу></Цена></Цены></Предложение></Предложения></ПакетПредложений></КоммерческаяИнформация>"
    );
    assert_eq!(
        kind(&xml),
        ErrorKind::BadNumber {
            element: "ЦенаЗаЕдиницу",
            value: "1e5".into()
        }
    );
}

#[test]
fn products_and_offers_need_an_id() {
    let xml = format!(
        "{HEAD}<Каталог><Товары><Товар><Ид> </Ид></Товар></Товары></Каталог></КоммерческаяИнформация>"
    );
    assert_eq!(
        kind(&xml),
        ErrorKind::Missing {
            element: "Товар",
            missing: "Ид"
        }
    );
    let xml = format!(
        "{HEAD}<ПакетПредложений><Предложения><Предложение/></Предложения></ПакетПредложений></КоммерческаяИнформация>"
    );
    assert_eq!(
        kind(&xml),
        ErrorKind::Missing {
            element: "Предложение",
            missing: "Ид"
        }
    );
}

#[test]
fn truncated_uploads_are_detected_wherever_they_are_cut() {
    let full = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/moysklad__offers_full.xml"
    ))
    .unwrap();
    assert!(read_all(&full).is_ok());
    // MoySklad cuts chunks at arbitrary bytes: every cut must fail, none may pass silently.
    for cut in (200..full.len() - 1).step_by(997) {
        let err = read_all(&full[..cut]).expect_err("a cut file must not pass");
        assert!(
            matches!(
                err.kind,
                ErrorKind::Truncated(_) | ErrorKind::Encoding { .. }
            ),
            "cut at {cut}: {err}"
        );
    }
    let cut = &full[..full.len() - 30];
    assert!(matches!(
        read_all(cut).unwrap_err().kind,
        ErrorKind::Truncated(_)
    ));
}

#[test]
fn not_xml_and_not_commerceml() {
    assert_eq!(read_all(b"").unwrap_err().kind, ErrorKind::Empty);
    assert!(matches!(
        read_all(b"\xFF\xD8\xFF\xE0\x00\x10JFIF").unwrap_err().kind,
        ErrorKind::Syntax(_) | ErrorKind::Encoding { .. }
    ));
    assert!(matches!(
        read_all(b"hello, world").unwrap_err().kind,
        ErrorKind::Syntax(_)
    ));
    assert_eq!(
        read_all("<?xml version=\"1.0\"?><html><body/></html>".as_bytes())
            .unwrap_err()
            .kind,
        ErrorKind::NotCommerceMl("html".into())
    );
    let trailing = format!("{HEAD}</КоммерческаяИнформация><КоммерческаяИнформация/>");
    assert_eq!(kind(&trailing), ErrorKind::TrailingContent);
    let mismatched = format!("{HEAD}<Каталог></Товары></КоммерческаяИнформация>");
    assert!(matches!(kind(&mismatched), ErrorKind::Syntax(_)));
}

#[test]
fn invalid_utf8_is_an_encoding_error_with_advice() {
    // windows-1251 bytes in a file that says UTF-8: the commonest 1C mistake.
    let (body, _, _) = encoding_rs::WINDOWS_1251
        .encode("<Каталог><Ид>Каталог</Ид></Каталог></КоммерческаяИнформация>");
    let mut xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><КоммерческаяИнформация>"
        .as_bytes()
        .to_vec();
    xml.extend_from_slice(&body);
    let err = read_all(&xml).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::Encoding {
            encoding: "UTF-8".into()
        }
    );
    assert!(err.to_string().contains("not valid UTF-8"));
}

#[test]
fn windows_1251_with_cyrillic_right_after_the_declaration() {
    let text = "<?xml version=\"1.0\" encoding=\"windows-1251\"?><КоммерческаяИнформация ВерсияСхемы=\"2.03\"><Каталог><Товары><Товар><Ид>1</Ид><Наименование>Чайник «Ёж»</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>";
    let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    let items = read_all(&bytes).unwrap();
    let name = items.iter().find_map(|i| match i {
        Item::Product(p) => p.name.clone(),
        _ => None,
    });
    assert_eq!(name.as_deref(), Some("Чайник «Ёж»"));
}

#[test]
fn utf16_with_a_bom_and_utf8_with_a_bom() {
    let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><КоммерческаяИнформация><Каталог><Товары><Товар><Ид>1</Ид></Товар></Товары></Каталог></КоммерческаяИнформация>";
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        utf16.extend_from_slice(&unit.to_le_bytes());
    }
    assert_eq!(read_all(&utf16).unwrap().len(), 2);
    let mut utf8 = vec![0xEF, 0xBB, 0xBF];
    utf8.extend_from_slice(text.replace("UTF-16", "UTF-8").as_bytes());
    assert_eq!(read_all(&utf8).unwrap().len(), 2);
}

#[test]
fn doctype_and_external_entities_are_refused() {
    let xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><КоммерческаяИнформация>&xxe;</КоммерческаяИнформация>";
    assert_eq!(kind(xxe), ErrorKind::DocType);
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><КоммерческаяИнформация>&lol2;</КоммерческаяИнформация>";
    assert_eq!(kind(laughs), ErrorKind::DocType);
    let undeclared = format!(
        "{HEAD}<Каталог><Наименование>&nbsp;</Наименование></Каталог></КоммерческаяИнформация>"
    );
    assert_eq!(kind(&undeclared), ErrorKind::UnknownEntity("nbsp".into()));
}

#[test]
fn entities_and_character_references_decode() {
    let xml = format!(
        "{HEAD}<Каталог><Товары><Товар><Ид>1</Ид><Наименование>Рога &amp; копыта &lt;XL&gt; &#1025;&#x436; &quot;q&quot;</Наименование></Товар></Товары></Каталог></КоммерческаяИнформация>"
    );
    let items = read_all(xml.as_bytes()).unwrap();
    let Item::Product(p) = &items[1] else {
        panic!()
    };
    assert_eq!(p.name.as_deref(), Some("Рога & копыта <XL> Ёж \"q\""));
}

#[test]
fn limits_on_depth_text_attributes_and_tokens() {
    let deep = format!(
        "{HEAD}{}{}</КоммерческаяИнформация>",
        "<a>".repeat(100),
        "</a>".repeat(100)
    );
    assert_eq!(kind(&deep), ErrorKind::TooDeep(64));

    let limits = Limits {
        max_text_bytes: 1000,
        ..Limits::default()
    };
    let long = format!(
        "{HEAD}<Каталог><Наименование>{}</Наименование></Каталог></КоммерческаяИнформация>",
        "я".repeat(600)
    );
    let err = read_with(long.as_bytes(), limits).unwrap_err();
    assert_eq!(
        err.kind,
        ErrorKind::TextTooLong {
            element: "Наименование".into(),
            limit: 1000
        }
    );

    let attrs: String = (0..40).map(|i| format!(" a{i}=\"1\"")).collect();
    let many = format!("{HEAD}<Каталог{attrs}/></КоммерческаяИнформация>");
    assert_eq!(
        kind(&many),
        ErrorKind::TooManyAttributes {
            element: "Каталог".into(),
            limit: 32
        }
    );

    // A tag that never closes cannot make the reader buffer without bound.
    let limits = Limits {
        max_token_bytes: 100_000,
        ..Limits::default()
    };
    let endless = format!("{HEAD}<Каталог x=\"{}", "y".repeat(1_000_000));
    assert_eq!(
        read_with(endless.as_bytes(), limits).unwrap_err().kind,
        ErrorKind::TokenTooLong(100_000)
    );
}

#[test]
fn unknown_elements_are_listed_and_their_content_ignored() {
    let xml = format!(
        "{HEAD}<Неизвестное><Что-то>x</Что-то></Неизвестное><Каталог><Товары><Товар><Ид>1</Ид><Новинка>да</Новинка><Владелец><Ид>not-me</Ид></Владелец></Товар></Товары></Каталог></КоммерческаяИнформация>"
    );
    let mut reader = Reader::new(xml.as_bytes()).unwrap();
    let items: Vec<Item> = reader.by_ref().collect::<Result<_, _>>().unwrap();
    let ids: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Product(p) => Some(p.id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        ids,
        ["1"],
        "an Ид under Владелец never becomes the product's"
    );
    let paths: Vec<&str> = reader
        .summary()
        .unwrap()
        .unused
        .iter()
        .map(|u| u.path.as_str())
        .collect();
    assert_eq!(
        paths,
        [
            "Неизвестное",
            "Каталог/Товары/Товар/Новинка",
            "Каталог/Товары/Товар/Владелец"
        ]
    );
}

#[test]
fn a_product_under_an_unknown_parent_is_refused_not_dropped() {
    let xml = format!(
        "{HEAD}<Неизвестное><Товар><Ид>x</Ид></Товар></Неизвестное><Каталог><Товары><Товар><Ид>1</Ид></Товар></Товары></Каталог></КоммерческаяИнформация>"
    );
    assert_eq!(
        kind(&xml),
        ErrorKind::Misplaced {
            element: "Товар",
            path: "Неизвестное".into()
        }
    );
}

#[test]
fn after_an_error_the_reader_stays_stopped() {
    let xml = format!(
        "{HEAD}<Каталог><Товары><Товар></Товар><Товар><Ид>2</Ид></Товар></Товары></Каталог></КоммерческаяИнформация>"
    );
    let mut reader = Reader::new(xml.as_bytes()).unwrap();
    let mut saw_error = false;
    for result in reader.by_ref() {
        if result.is_err() {
            saw_error = true;
        }
    }
    assert!(saw_error);
    assert!(reader.next().is_none());
    assert!(
        reader.summary().is_none(),
        "no totals for a failed document"
    );
}
