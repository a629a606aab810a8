//! Shapes real exporters write beyond the plain one: sections nested in one another
//! (`Каталог` inside `Классификатор`, an offer package inside either), orders wrapped in a
//! `Контейнер`, reference-book property values by id, prices given only as a presentation,
//! comma decimals, windows-1251 with a namespace. And what cannot be placed fails loudly.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use commerceml::{Decimal, ErrorKind, Item, Reader, Summary};

fn shape(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/shapes")
        .join(name)
}

fn read(name: &str) -> (Vec<Item>, Summary) {
    let file = BufReader::new(File::open(shape(name)).unwrap());
    let mut reader = Reader::new(file).unwrap_or_else(|e| panic!("{name}: {e}"));
    let items: Vec<Item> = reader
        .by_ref()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    (items, reader.summary().expect("finished").clone())
}

fn d(text: &str) -> Decimal {
    text.parse().unwrap()
}

#[test]
fn a_catalog_nested_in_its_classifier_reads_whole() {
    let (items, summary) = read("import_nested_cp1251.xml");
    assert_eq!(
        (summary.groups, summary.properties, summary.products),
        (2, 1, 3)
    );
    assert!(summary.has_classifier && summary.has_catalog);
    let products: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Product(p) => Some(p),
            _ => None,
        })
        .collect();
    assert_eq!(products[0].name.as_deref(), Some("Красные кеды"));
    assert_eq!(
        products[0].group_ids.as_deref(),
        Some(&["g-sneakers".to_owned()][..])
    );
    let values = |i: usize| {
        products[i].property_values.as_ref().unwrap()[0]
            .values
            .clone()
    };
    assert_eq!(values(0), ["c-red"], "ИдЗначения");
    assert_eq!(values(1), ["c-blue"], "a value id under Значение");
    assert_eq!(products[2].characteristics.as_ref().unwrap().len(), 2);
    // The classifier comes before the products it describes.
    let first_product = items
        .iter()
        .position(|i| matches!(i, Item::Product(_)))
        .unwrap();
    let classifier = items
        .iter()
        .position(|i| matches!(i, Item::Classifier(_)))
        .unwrap();
    assert!(classifier < first_product);
    // What the reader does not use is listed once per path, with a count and the first line.
    let unused: Vec<(&str, u64)> = summary
        .unused
        .iter()
        .map(|u| (u.path.as_str(), u.count))
        .collect();
    assert_eq!(
        unused,
        [
            ("Классификатор/Владелец", 1),
            ("Классификатор/Каталог/Владелец", 1),
            ("Классификатор/Каталог/Товары/Товар/Вес", 2),
        ]
    );
    assert_eq!(summary.unused[2].line, 43);
}

#[test]
fn an_offer_package_nested_in_a_classifier_with_presentations_and_commas() {
    let (items, summary) = read("offers_nested_cp1251.xml");
    assert_eq!(
        (summary.price_types, summary.warehouses, summary.offers),
        (1, 1, 4)
    );
    let offers: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Offer(o) => Some(o),
            _ => None,
        })
        .collect();
    let price = &offers[0].prices.as_ref().unwrap()[0];
    assert_eq!(price.per_unit, d("2490.50"), "from Представление alone");
    assert_eq!(offers[0].quantity, Some(d("3.5")));
    assert_eq!(offers[0].stock.as_ref().unwrap()[0].quantity, d("3.5"));
    assert_eq!(
        offers[1].prices.as_ref().unwrap()[0].per_unit,
        d("1990"),
        "ЦенаЗаЕдиницу wins"
    );
    assert_eq!(offers[3].quantity, Some(d("1.5")));
    assert_eq!(offers[2].id, "sku-3#size-40");
}

#[test]
fn a_changes_only_package_three_sections_deep() {
    let (items, summary) = read("rests_changes.xml");
    assert_eq!(summary.offers, 1);
    let package = items
        .iter()
        .find_map(|i| match i {
            Item::OfferPackage(p) => Some(p),
            _ => None,
        })
        .unwrap();
    assert!(package.changes_only);
    let classifier = items
        .iter()
        .find_map(|i| match i {
            Item::Classifier(c) => Some(c),
            _ => None,
        })
        .unwrap();
    assert!(
        classifier.changes_only,
        "СодержитТолькоИзменения on Классификатор"
    );
    let offer = items
        .iter()
        .find_map(|i| match i {
            Item::Offer(o) => Some(o),
            _ => None,
        })
        .unwrap();
    assert_eq!(offer.stock.as_ref().unwrap()[0].quantity, d("7.25"));
}

#[test]
fn a_container_holds_several_documents() {
    let (items, summary) = read("orders_container.xml");
    assert_eq!(summary.orders, 2);
    let orders: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Order(o) => Some(o),
            _ => None,
        })
        .collect();
    assert_eq!(orders[0].number.as_deref(), Some("1001"));
    assert_eq!(orders[1].requisite("Статус заказа"), Some("Отменен"));
    assert_eq!(
        orders[0].lines.len(),
        1,
        "a subordinate document's lines are not the order's"
    );
    assert!(
        summary
            .unused
            .iter()
            .any(|u| u.path == "Контейнер/Документ/ПодчиненныеДокументы"),
        "{:?}",
        summary.unused
    );
}

const HEAD: &str =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<КоммерческаяИнформация ВерсияСхемы=\"2.08\">\n";

fn error(xml: &str) -> commerceml::Error {
    let mut reader = Reader::new(xml.as_bytes()).unwrap();
    reader
        .by_ref()
        .find_map(Result::err)
        .expect("the document must be refused")
}

#[test]
fn items_where_no_exporter_puts_them_are_refused_with_their_place() {
    let err = error(&format!(
        "{HEAD}<Каталог><Ид>c</Ид><Товары>\n<Товар><Ид>1</Ид></Товар></Товары></Каталог>\n<Выгрузка>\n<Товар><Ид>2</Ид></Товар></Выгрузка></КоммерческаяИнформация>"
    ));
    assert_eq!(
        err.kind,
        ErrorKind::Misplaced {
            element: "Товар",
            path: "Выгрузка".into()
        }
    );
    assert_eq!(err.position.line, 6, "the line of the misplaced <Товар>");
    for (xml, element, path) in [
        (
            "<Каталог><Склад><Товар/></Склад></Каталог>",
            "Товар",
            "Каталог/Склад",
        ),
        (
            "<ПакетПредложений><Предложение/></ПакетПредложений>",
            "Предложение",
            "ПакетПредложений",
        ),
        (
            "<Классификатор><Группа/></Классификатор>",
            "Группа",
            "Классификатор",
        ),
        ("<Каталог><Документ/></Каталог>", "Документ", "Каталог"),
    ] {
        let err = error(&format!("{HEAD}{xml}</КоммерческаяИнформация>"));
        assert_eq!(
            err.kind,
            ErrorKind::Misplaced {
                element,
                path: path.into()
            },
            "{xml}"
        );
    }
}

#[test]
fn a_document_with_nothing_recognisable_is_refused() {
    let err = error(&format!(
        "{HEAD}<Выгрузка><Что-то>1</Что-то></Выгрузка></КоммерческаяИнформация>"
    ));
    assert_eq!(err.kind, ErrorKind::NothingRecognised);
    // An empty but recognisable section is fine: MoySklad sends packages with no changes.
    let empty = format!(
        "{HEAD}<ПакетПредложений СодержитТолькоИзменения=\"true\"><Ид>x</Ид></ПакетПредложений></КоммерческаяИнформация>"
    );
    let mut reader = Reader::new(empty.as_bytes()).unwrap();
    assert!(reader.by_ref().all(|item| item.is_ok()));
    assert_eq!(reader.summary().unwrap().offers, 0);
}
