//! Every sample file from MoySklad, 1C and Bitrix reads completely, with the totals an
//! independent count gives and the values the files hold.
//!
//! The totals come from `count_samples.py` (Python's ElementTree, matching local names):
//! `python3 tests/count_samples.py tests/fixtures/*.xml`.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

use commerceml::{DocumentKind, Item, Order, Reader, Status, Summary};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// Reads a fixture whole: its items, its summary and its encoding.
fn read(name: &str) -> (Vec<Item>, Summary, &'static str) {
    let file = File::open(fixture(name)).unwrap();
    let mut reader = Reader::new(BufReader::new(file)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut items = Vec::new();
    while let Some(item) = reader.next_item().unwrap_or_else(|e| panic!("{name}: {e}")) {
        items.push(item);
    }
    let summary = reader.summary().expect("finished").clone();
    (items, summary, reader.encoding())
}

/// groups, properties, price types, warehouses, units, products, offers, prices, stock lines,
/// orders; pictures present.
const EXPECTED: &[(&str, [u64; 10], bool)] = &[
    (
        "1c-bitrix-module-2.09__import___b815e2db-7a65-4265-9241-5f0c4f0565a7.xml",
        [97, 1908, 1, 1, 2, 0, 0, 0, 0, 0],
        false,
    ),
    (
        "1c-bitrix-module-2.09__offers___7f304edc-2527-4d3d-b058-6e4ee53de2e0.xml",
        [0, 0, 0, 0, 0, 0, 978, 0, 0, 0],
        false,
    ),
    (
        "1c-bitrix-module-2.09__prices___d66a6b51-ce9c-4e7a-8c7c-25079721107f.xml",
        [0, 0, 0, 0, 0, 0, 978, 978, 0, 0],
        false,
    ),
    (
        "1c-bitrix-module-2.09__rests___1af6e7b8-a026-4690-9752-1c9d64cb914d.xml",
        [0, 0, 0, 0, 0, 0, 978, 0, 978, 0],
        false,
    ),
    (
        "1c-cml3.1__import___29d3f7f0-36dd-4eea-a06c-4c325bed4285.xml",
        [25, 0, 0, 13, 10, 0, 0, 0, 0, 0],
        false,
    ),
    (
        "1c-official__import_2.04.xml",
        [1, 0, 0, 0, 0, 4, 0, 0, 0, 0],
        false,
    ),
    (
        "1c-official__offers_2.04.xml",
        [0, 0, 4, 0, 0, 0, 2, 8, 0, 0],
        false,
    ),
    (
        "1c-official__orders_from_site_cp1251.xml",
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        false,
    ),
    (
        "1c-official__orders_to_site_cp1251.xml",
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
        false,
    ),
    (
        "1c-ut11-demo__import.xml",
        [22, 10, 0, 0, 0, 2, 0, 0, 0, 0],
        true,
    ),
    (
        "1c-ut11-demo__offers.xml",
        [0, 0, 1, 5, 0, 0, 5, 5, 5, 0],
        false,
    ),
    (
        "1c-ut11__documents_2.09.xml",
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
        false,
    ),
    (
        "1c-ut11__import0_1.xml",
        [1, 12, 0, 0, 0, 36, 0, 0, 0, 0],
        false,
    ),
    (
        "1c-ut11__offers0_1.xml",
        [0, 0, 1, 3, 0, 0, 44, 44, 132, 0],
        false,
    ),
    (
        "bitrix__sale_query_response_cp1251.xml",
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
        false,
    ),
    (
        "bitrix__sale_query_response_empty_cp1251.xml",
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        false,
    ),
    (
        "moysklad__images_session_import.xml",
        [2, 21, 0, 0, 0, 1, 0, 0, 0, 0],
        true,
    ),
    (
        "moysklad__import_full.xml",
        [6, 21, 0, 0, 0, 174, 0, 0, 0, 0],
        false,
    ),
    (
        "moysklad__offers_full.xml",
        [0, 0, 1, 1, 0, 0, 174, 174, 174, 0],
        false,
    ),
    (
        "moysklad__session_import.xml",
        [2, 21, 0, 0, 0, 2, 0, 0, 0, 0],
        false,
    ),
    (
        "moysklad__session_offers.xml",
        [0, 0, 1, 1, 0, 0, 2, 2, 2, 0],
        false,
    ),
];

#[test]
fn every_sample_has_the_independently_counted_totals() {
    let on_disk = std::fs::read_dir(fixture(""))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "xml")
        })
        .count();
    assert_eq!(on_disk, EXPECTED.len(), "every fixture is in the table");
    for (name, counts, pictures) in EXPECTED {
        let (items, s, _) = read(name);
        let got = [
            s.groups,
            s.properties,
            s.price_types,
            s.warehouses,
            s.units,
            s.products,
            s.offers,
            s.prices,
            s.stock_lines,
            s.orders,
        ];
        assert_eq!(&got, counts, "{name}");
        assert_eq!(s.has_pictures, *pictures, "{name}");
        let yielded = |f: fn(&Item) -> bool| items.iter().filter(|i| f(i)).count() as u64;
        assert_eq!(
            yielded(|i| matches!(i, Item::Product(_))),
            s.products,
            "{name}"
        );
        assert_eq!(yielded(|i| matches!(i, Item::Offer(_))), s.offers, "{name}");
        assert_eq!(yielded(|i| matches!(i, Item::Group(_))), s.groups, "{name}");
    }
}

#[test]
fn kinds_come_from_content_not_names() {
    let kind = |name| read(name).1.kind();
    assert_eq!(kind("moysklad__import_full.xml"), DocumentKind::Catalog);
    assert_eq!(kind("moysklad__offers_full.xml"), DocumentKind::Offers);
    assert_eq!(
        kind("1c-bitrix-module-2.09__rests___1af6e7b8-a026-4690-9752-1c9d64cb914d.xml"),
        DocumentKind::Offers
    );
    assert_eq!(kind("1c-ut11__documents_2.09.xml"), DocumentKind::Orders);
    assert_eq!(
        kind("bitrix__sale_query_response_empty_cp1251.xml"),
        DocumentKind::Empty
    );
}

fn products(items: &[Item]) -> impl Iterator<Item = &commerceml::Product> {
    items.iter().filter_map(|i| match i {
        Item::Product(p) => Some(p.as_ref()),
        _ => None,
    })
}

fn offers(items: &[Item]) -> impl Iterator<Item = &commerceml::Offer> {
    items.iter().filter_map(|i| match i {
        Item::Offer(o) => Some(o.as_ref()),
        _ => None,
    })
}

fn orders(items: &[Item]) -> Vec<&Order> {
    items
        .iter()
        .filter_map(|i| match i {
            Item::Order(o) => Some(o.as_ref()),
            _ => None,
        })
        .collect()
}

#[test]
fn moysklad_catalog_values() {
    let file = File::open(fixture("moysklad__import_full.xml")).unwrap();
    let reader = Reader::new(BufReader::new(file)).unwrap();
    assert!(reader.header().is_moysklad());
    assert_eq!(reader.header().schema_version.as_deref(), Some("2.04"));
    assert_eq!(reader.header().namespace, None);
    let (items, _, encoding) = read("moysklad__import_full.xml");
    assert_eq!(encoding, "UTF-8");
    let Item::Classifier(classifier) = &items[0] else {
        panic!("classifier first: {:?}", items[0])
    };
    assert_eq!(
        classifier.id, "bd72d8f9-55bc-11d9-848a-00112f43529a",
        "not the Владелец's Ид"
    );
    let omen = products(&items)
        .find(|p| p.id == "5wceZf8djXSdCHMIIIWw-3")
        .unwrap();
    assert_eq!(omen.sku.as_deref(), Some("492J1PA"));
    assert_eq!(omen.name.as_deref(), Some("HP Omen Laptop 16-b0005TX (ЦО)"));
    assert_eq!(omen.base_unit.as_ref().unwrap().label(), Some("шт"));
    assert_eq!(
        omen.group_ids.as_deref(),
        Some(&["4FjBlYFgi83BwaK2Y7i8t2".to_owned()][..])
    );
    assert_eq!(omen.description.as_deref(), Some(""), "present but empty");
    assert_eq!(omen.pictures, None, "the data pass carries no pictures");
    assert_eq!(omen.requisite("ВидНоменклатуры"), Some("Товар"));
    let catalog = items.iter().find_map(|i| match i {
        Item::Catalog(c) => Some(c),
        _ => None,
    });
    assert!(!catalog.unwrap().changes_only);

    // A long property value with entity-escaped HTML keeps its inner lines.
    let dell = products(&items)
        .find(|p| p.id == "zaVkUbH0hYP5k44k6UsaJ3")
        .unwrap();
    let values = dell.property_values.as_ref().unwrap();
    let long = &values
        .iter()
        .find(|v| v.property_id == "a3905008-2fc0-11ee-0a80-0b35003adddf")
        .unwrap()
        .values[0];
    assert!(
        long.starts_with("Новый ноутбук Dell XPS 9350.\n\n<strong>\nВ наличии 1 шт."),
        "{long}"
    );
}

#[test]
fn moysklad_offer_values() {
    let (items, _, _) = read("moysklad__offers_full.xml");
    let omen = offers(&items)
        .find(|o| o.id == "5wceZf8djXSdCHMIIIWw-3")
        .unwrap();
    assert_eq!(omen.variant_id(), None);
    let price = &omen.prices.as_ref().unwrap()[0];
    assert_eq!(price.price_type_id, "cbcf493b-55bc-11d9-848a-00112f43529a");
    assert_eq!(price.per_unit.normalize().to_string(), "79900");
    assert_eq!(price.currency.as_deref(), Some("RUB"));
    assert_eq!(price.unit.as_deref(), Some("шт"));
    assert_eq!(omen.quantity.unwrap().normalize().to_string(), "1");
    let stock = omen.stock.as_ref().unwrap();
    assert_eq!(stock[0].warehouse_id, "k8SNns6tiJ0jr7NUyPEkc2");
    assert_eq!(stock[0].quantity.normalize().to_string(), "1");
    let honor = offers(&items)
        .find(|o| o.id == "iDbu0DaEh7JZnphjzdCp52")
        .unwrap();
    assert_eq!(honor.sku.as_deref(), Some(""));
    assert_eq!(
        honor.prices.as_ref().unwrap()[0]
            .per_unit
            .normalize()
            .to_string(),
        "56500"
    );
}

#[test]
fn moysklad_picture_pass() {
    let (items, summary, _) = read("moysklad__images_session_import.xml");
    assert!(summary.has_pictures);
    let product = products(&items).next().unwrap();
    let pictures = product.pictures.as_ref().unwrap();
    assert_eq!(pictures.len(), 1);
    assert!(
        pictures[0].ends_with("_imageid.jpg") || pictures[0].ends_with(".png"),
        "{pictures:?}"
    );
    assert!(!pictures[0].contains('/'), "MoySklad sends bare names");
}

#[test]
fn one_c_variants_pictures_and_reference_values() {
    let (items, _, _) = read("1c-ut11-demo__import.xml");
    let boots = products(&items)
        .find(|p| p.id == "bd72d910-55bc-11d9-848a-00112f43529a")
        .unwrap();
    assert_eq!(boots.barcodes, ["2000018987155"]);
    assert_eq!(boots.pictures.as_ref().unwrap().len(), 3);
    assert!(boots.pictures.as_ref().unwrap()[0].starts_with("import_files/9d/"));
    let unit = boots.base_unit.as_ref().unwrap();
    assert_eq!(
        (unit.code.as_deref(), unit.full_name.as_deref()),
        (Some("715"), Some("Пара (2 шт.)"))
    );
    assert_eq!(unit.label(), Some("Пара (2 шт.)"));
    let maker = items.iter().find_map(|i| match i {
        Item::Property(p) if p.id == "bb14a4b8-6b17-11e0-9819-e0cb4ed5eed4" => Some(p),
        _ => None,
    });
    let maker = maker.unwrap();
    assert_eq!(maker.name, "Производитель");
    assert_eq!(maker.value_type.as_deref(), Some("Справочник"));
    assert!(
        maker.values.iter().any(
            |v| v.id == "444bbea3-6b18-11e0-9819-e0cb4ed5eed4" && v.value == "Обувной комбинат"
        )
    );
    let values = boots.property_values.as_ref().unwrap();
    assert_eq!(values[0].values, ["444bbea3-6b18-11e0-9819-e0cb4ed5eed4"]);

    let (items, _, _) = read("1c-ut11-demo__offers.xml");
    let size_38 = offers(&items)
        .find(|o| {
            o.id == "bd72d910-55bc-11d9-848a-00112f43529a#90c55447-d3a8-11e4-9423-e0cb4ed5eed4"
        })
        .unwrap();
    assert_eq!(size_38.product_id(), "bd72d910-55bc-11d9-848a-00112f43529a");
    assert_eq!(
        size_38.variant_id(),
        Some("90c55447-d3a8-11e4-9423-e0cb4ed5eed4")
    );
    let characteristics = size_38.characteristics.as_ref().unwrap();
    assert_eq!(characteristics.len(), 3);
    assert_eq!(
        (
            characteristics[0].name.as_str(),
            characteristics[0].value.as_str()
        ),
        ("Размер", "40")
    );
    let price = &size_38.prices.as_ref().unwrap()[0];
    assert_eq!(price.per_unit.normalize().to_string(), "1719");
    assert_eq!(
        price.presentation.as_deref(),
        Some("1\u{a0}719 RUB за пара"),
        "NBSP kept, leading space trimmed"
    );
    assert_eq!(
        size_38.stock.as_ref().unwrap()[0]
            .quantity
            .normalize()
            .to_string(),
        "20"
    );
    assert_eq!(size_38.quantity.unwrap().normalize().to_string(), "20");
    let warehouses: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Warehouse(w) => Some(w.name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(warehouses[0], "Магазин \"Обувь\"");
}

#[test]
fn characteristics_in_the_catalog_and_tax_rates() {
    let (items, _, _) = read("1c-official__import_2.04.xml");
    let table = products(&items).next().unwrap();
    assert_eq!(table.product_id(), "05e26d70-01e4-11dc-a411-00055d80a2d1");
    assert_eq!(
        table.variant_id(),
        Some("05e26d76-01e4-11dc-a411-00055d80a2d1")
    );
    let colour = &table.characteristics.as_ref().unwrap()[0];
    assert_eq!(
        (colour.name.as_str(), colour.value.as_str()),
        ("Цвет", "Белый")
    );
    assert_eq!(table.tax_rates[0].name, "НДС");
    assert_eq!(table.tax_rates[0].rate, "18");
    assert_eq!(
        table.base_unit.as_ref().unwrap().international.as_deref(),
        Some("PCE")
    );
}

#[test]
fn packaged_exchange_price_types_warehouses_and_rests() {
    let (items, _, _) =
        read("1c-bitrix-module-2.09__import___b815e2db-7a65-4265-9241-5f0c4f0565a7.xml");
    let price_type = items.iter().find_map(|i| match i {
        Item::PriceType(p) => Some(p),
        _ => None,
    });
    let price_type = price_type.unwrap();
    assert_eq!(price_type.id, "4d968229-47ba-11e4-a628-003048c64779");
    assert_eq!(price_type.name, "Типовое соглашение Интернет-МХТ");
    assert_eq!(price_type.currency.as_deref(), Some("RUB"));
    assert_eq!(price_type.tax_name.as_deref(), Some("НДС"));
    assert_eq!(price_type.tax_included, Some(true));
    let unit = items.iter().find_map(|i| match i {
        Item::Unit(u) => Some(u),
        _ => None,
    });
    let unit = unit.unwrap();
    assert_eq!(
        (unit.short_name.as_deref(), unit.code.as_deref()),
        (Some("упа"), Some("778"))
    );

    let (items, _, _) =
        read("1c-bitrix-module-2.09__rests___1af6e7b8-a026-4690-9752-1c9d64cb914d.xml");
    let first = offers(&items).next().unwrap();
    assert_eq!(first.prices, None, "a rests file leaves prices alone");
    let stock = first.stock.as_ref().unwrap();
    assert_eq!(
        stock[0].warehouse_id,
        "5d1caeb1-44b2-11e4-a628-003048c64779"
    );
    assert_eq!(stock[0].quantity.normalize().to_string(), "1");

    let (items, _, _) =
        read("1c-bitrix-module-2.09__offers___7f304edc-2527-4d3d-b058-6e4ee53de2e0.xml");
    let first = offers(&items).next().unwrap();
    assert_eq!(
        (first.prices.as_ref(), first.stock.as_ref(), first.status),
        (None, None, Status::Active)
    );
    assert_eq!(
        first.name.as_deref(),
        Some("Дезодорант для мужчин Чистая линия Фито защита без белых следов 150мл"),
        "trailing space trimmed"
    );
}

#[test]
fn cml_3_1_classifier() {
    let file = File::open(fixture(
        "1c-cml3.1__import___29d3f7f0-36dd-4eea-a06c-4c325bed4285.xml",
    ))
    .unwrap();
    let reader = Reader::new(BufReader::new(file)).unwrap();
    assert_eq!(reader.header().schema_version.as_deref(), Some("3.1"));
    assert_eq!(
        reader.header().namespace.as_deref(),
        Some("urn:1C.ru:commerceml_3")
    );
}

#[test]
fn orders_in_windows_1251_both_directions() {
    let (items, _, encoding) = read("1c-official__orders_to_site_cp1251.xml");
    assert_eq!(encoding, "windows-1251");
    let order = orders(&items)[0];
    assert_eq!(order.number.as_deref(), Some("20"));
    assert_eq!(order.sum.unwrap().to_string(), "9683.42");
    assert_eq!(order.operation.as_deref(), Some("Заказ товара"));
    let buyer = &order.contractors[0];
    assert_eq!(buyer.name.as_deref(), Some("Петр Петров"));
    assert_eq!(
        buyer.id.as_deref(),
        Some("1#admin#Петров Петр"),
        "not the representative's Ид"
    );
    assert_eq!(buyer.address.as_deref(), Some("87698"));
    assert_eq!(order.lines.len(), 2);
    assert_eq!(order.lines[0].id, "ORDER_DELIVERY");
    assert_eq!(
        order.lines[1].quantity.unwrap().normalize().to_string(),
        "1"
    );
    assert_eq!(order.lines[1].requisites[0].value, "Товар");
    assert_eq!(order.requisites.len(), 10);

    let (items, _, _) = read("1c-ut11__documents_2.09.xml");
    let order = orders(&items)[0];
    assert_eq!(order.number.as_deref(), Some("142"));
    assert_eq!(order.number_1c.as_deref(), Some("ТДЦУ-000001"));
    assert!(!order.deletion_mark);
    assert_eq!(
        order.comment.as_deref(),
        Some("[Номер документа на сайте: 142]")
    );
    assert_eq!(
        order.contractors[0].id.as_deref(),
        Some("4a65ecb6-8b1b-11df-be16-e0cb4ed5f70f")
    );
    assert_eq!(
        order.contractors[0].name.as_deref(),
        Some("Kikinda (Сербия)")
    );
    assert_eq!(order.requisite("Номер оплаты по 1С"), Some("ТДЦУ-000001"));
    assert_eq!(order.sum.unwrap().to_string(), "8186.84");

    let (items, _, _) = read("bitrix__sale_query_response_cp1251.xml");
    assert_eq!(orders(&items).len(), 2);
    assert!(orders(&items).iter().all(|o| !o.lines.is_empty()));
}
