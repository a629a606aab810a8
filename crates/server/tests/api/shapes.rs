//! Every document a real client sends lands or fails loudly: the shapes exporters write
//! beyond the plain one, through the CLI and over the exchange, and what cannot be placed
//! refused with its element path and line, the catalog unchanged.

use serde_json::Value;
use vitrina::i18n::{Lang, Message};

use crate::app_test;
use crate::catalog_support::{fixture, get_json, import};
use crate::exchange::{import_until_done, set_up, start, upload_in_chunks};
use crate::helpers::TestApp;

/// The hand-written shapes of the commerceml crate (`tests/fixtures/shapes`).
fn shape(name: &str) -> String {
    fixture(&format!("shapes/{name}"))
}

const SHAPES: [&str; 3] = [
    "import_nested_cp1251.xml",
    "offers_nested_cp1251.xml",
    "rests_changes.xml",
];

async fn product(app: &TestApp, id: &str) -> Value {
    let (status, product) = get_json(app, &format!("/api/v1/products/{id}")).await;
    assert_eq!(status, 200, "{id}: {product}");
    product
}

/// What the three shapes must come to in the storefront API, however they arrived.
async fn assert_shapes_applied(app: &TestApp) {
    let (_, categories) = get_json(app, "/api/v1/categories").await;
    let names: Vec<&str> = categories["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"Обувь") && names.contains(&"Кеды"),
        "{categories}"
    );
    let red = product(app, "sku-1").await;
    assert_eq!(red["name"], "Красные кеды");
    // A reference-book value given by its id shows its name, never the id.
    assert_eq!(red["properties"][0]["name"], "Цвет", "{red}");
    assert_eq!(red["properties"][0]["value"], "Красный", "{red}");
    assert_eq!(
        product(app, "sku-2").await["properties"][0]["value"],
        "Синий"
    );
    // A price given only as a presentation, comma decimals, rests from a package three deep.
    assert_eq!(red["price"]["amount"], "2490.5", "{red}");
    assert_eq!(red["stock"]["total"], "7.25", "{red}");
    let sized = product(app, "sku-3").await;
    let variants = sized["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2, "{sized}");
    assert_eq!(variants[1]["stock"]["total"], "1.5", "{sized}");
    assert_eq!(variants[0]["price"]["amount"], "3100", "{sized}");
}

app_test!(async fn nested_sections_in_windows_1251_import_through_the_cli(app) {
    let paths: Vec<String> = SHAPES.iter().map(|name| shape(name)).collect();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    let out = import(app, &paths).await.ok();
    assert!(out.contains("import_nested_cp1251.xml: в файле: 2 группы, 3 товара; товары: 3 новых"), "{out}");
    assert!(out.contains("offers_nested_cp1251.xml: в файле: 4 предложения;"), "{out}");
    assert!(out.contains("элемент Классификатор/Каталог/Товары/Товар/Вес не используется (встречается 2 раза)"), "{out}");
    assert_shapes_applied(app).await;
});

app_test!(async fn nested_sections_in_windows_1251_import_over_the_exchange(app) {
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    let names = ["import.xml", "offers.xml", "rests.xml"];
    // All files first, then the imports, as MoySklad does.
    for (name, file) in names.iter().zip(SHAPES) {
        let bytes = std::fs::read(shape(file)).unwrap();
        upload_in_chunks(app, &cookie, name, &bytes, 1000).await;
    }
    for name in names {
        let done = import_until_done(app, &cookie, name).await;
        assert!(done.starts_with(&format!("success\n{name}: в файле: ")), "{done}");
    }
    assert_shapes_applied(app).await;
});

/// Counts of the demo shop's products, to prove a refused file changed nothing.
async fn product_count(app: &TestApp) -> usize {
    crate::catalog_support::all_products(app, "").await.len()
}

app_test!(async fn what_cannot_be_placed_is_refused_with_its_path_and_line(app) {
    import(app, &[&shape("import_nested_cp1251.xml")]).await.ok();
    let before = product_count(app).await;
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    let misplaced = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<КоммерческаяИнформация ВерсияСхемы=\"2.08\">\n\
        <Каталог><Ид>cat-1</Ид><Товары><Товар><Ид>new-1</Ид><Наименование>Новый</Наименование></Товар></Товары></Каталог>\n\
        <Выгрузка>\n<Товар><Ид>new-2</Ид><Наименование>Потерянный</Наименование></Товар></Выгрузка>\n</КоммерческаяИнформация>";
    upload_in_chunks(app, &cookie, "import.xml", misplaced.as_bytes(), 1 << 20).await;
    let answer = import_until_done(app, &cookie, "import.xml").await;
    let expected = Message::AtLine {
        file: "import.xml".into(),
        line: 5,
        what: Box::new(Message::Document(commerceml::ErrorKind::Misplaced { element: "Товар", path: "Выгрузка".into() })),
    };
    assert_eq!(answer, format!("failure\n{}", expected.text(Lang::Ru)));
    assert!(answer.contains("<Товар> внутри Выгрузка") && answer.contains("каталог не изменён"), "{answer}");
    assert_eq!(product_count(app).await, before, "not even the well-placed product landed");

    let nothing = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<КоммерческаяИнформация ВерсияСхемы=\"2.08\">\
        <Выгрузка><Товары><Позиция>1</Позиция></Товары></Выгрузка></КоммерческаяИнформация>";
    let cookie = start(app).await;
    upload_in_chunks(app, &cookie, "import.xml", nothing.as_bytes(), 1 << 20).await;
    let answer = import_until_done(app, &cookie, "import.xml").await;
    assert!(answer.starts_with("failure\nimport.xml, строка 2: в файле нет ни Классификатора"), "{answer}");
    assert_eq!(product_count(app).await, before);
    // The history says the same.
    let listed = app.cli(&["exchange", "list", "--tenant", "demo"]).await.ok();
    assert!(listed.lines().count() >= 2, "{listed}");
});

/// `moysklad__import_full.xml` with OMEN's card made again: a new Ид, the same Артикул.
fn recreated_omen() -> String {
    let xml = std::fs::read_to_string(fixture("moysklad__import_full.xml")).unwrap();
    assert_eq!(xml.matches("<Ид>5wceZf8djXSdCHMIIIWw-3</Ид>").count(), 1);
    xml.replace(
        "<Ид>5wceZf8djXSdCHMIIIWw-3</Ид>",
        "<Ид>omen-recreated-7</Ид>",
    )
}

const OMEN: &str = "5wceZf8djXSdCHMIIIWw-3";

app_test!(async fn a_recreated_card_keeps_its_history_when_matched_by_sku(app) {
    import(app, &[&fixture("moysklad__import_full.xml"), &fixture("moysklad__offers_full.xml")]).await.ok();
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    // Some history: a picture and an order line.
    let dir = tempfile::tempdir().unwrap();
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::new(4, 4).write_to(&mut png, image::ImageFormat::Png).unwrap();
    std::fs::write(dir.path().join("omen.png"), png.into_inner()).unwrap();
    let pictures = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><КоммерческаяИнформация ВерсияСхемы=\"2.04\"><Каталог СодержитТолькоИзменения=\"true\">\
         <Ид>c</Ид><Товары><Товар><Ид>{OMEN}</Ид><Картинка>omen.png</Картинка></Товар></Товары></Каталог></КоммерческаяИнформация>"
    );
    std::fs::write(dir.path().join("pictures.xml"), pictures).unwrap();
    import(app, &[&dir.path().join("pictures.xml").display().to_string()]).await.ok();
    let order = serde_json::json!({"customer": {"name": "Ольга", "phone": "+7 900 000-00-00"}, "lines": [{"external_id": OMEN, "quantity": "1"}]});
    let placed = app.http.post(format!("{}/api/v1/orders", app.address)).header("host", "demo.localhost").json(&order).send().await.unwrap();
    assert_eq!(placed.status(), 201);
    let before = product(app, OMEN).await;

    // With matching on, the new Ид takes the old card (off, it is a new product: see below).
    let recreated = tempfile::tempdir().unwrap();
    std::fs::write(recreated.path().join("import.xml"), recreated_omen()).unwrap();
    let path = recreated.path().join("import.xml").display().to_string();
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.match_by_sku", "true"]).await.ok();
    let out = import(app, &[&path]).await.ok();
    let said = Message::ProductRenamed { from: OMEN.into(), to: "omen-recreated-7".into(), sku: "492J1PA".into() }.text(Lang::Ru);
    assert!(out.contains(&said), "the report says which: {out}");
    assert!(out.contains("товары: 0 новых, 1 изменено"), "{out}");
    let (status, _) = get_json(app, &format!("/api/v1/products/{OMEN}")).await;
    assert_eq!(status, 404, "the old Ид is gone");
    let now = product(app, "omen-recreated-7").await;
    assert_eq!(now["images"], before["images"], "its pictures came along");
    assert_eq!(now["price"], before["price"], "and its offer with the price");
    let orders = app.db.list_orders(tenant, None, 10).await.unwrap();
    let lines = app.db.order_lines(tenant, orders[0].id).await.unwrap();
    assert_eq!(lines[0].external_id, "omen-recreated-7", "and the order lines");
    assert_eq!(crate::catalog_support::all_products(app, "").await.len(), 174, "no duplicate");
});

app_test!(async fn without_sku_matching_a_recreated_card_is_a_new_product(app) {
    import(app, &[&fixture("moysklad__import_full.xml")]).await.ok();
    let recreated = tempfile::tempdir().unwrap();
    std::fs::write(recreated.path().join("import.xml"), recreated_omen()).unwrap();
    let out = import(app, &[&recreated.path().join("import.xml").display().to_string()]).await.ok();
    assert!(out.contains("товары: 1 новых, 0 изменено, 173 без изменений, 1 снято с продажи"), "{out}");
    let (status, _) = get_json(app, &format!("/api/v1/products/{OMEN}")).await;
    assert_eq!(status, 404);
    product(app, "omen-recreated-7").await;
});
