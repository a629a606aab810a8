//! Every sample catalog from MoySklad, 1C and Bitrix, imported with `vitrina import`, shows in
//! the storefront API what the files say. Expected counts were taken independently with
//! Python's ElementTree (distinct product ids, deletion marks, offers of known products).

use serde_json::Value;

use crate::app_test;
use crate::catalog_support::{all_products, fixture, get_json, import};

fn by_id<'a>(products: &'a [Value], id: &str) -> &'a Value {
    products
        .iter()
        .find(|p| p["external_id"] == id)
        .unwrap_or_else(|| panic!("no product {id}"))
}

app_test!(async fn moysklad_catalog_and_offers(app) {
    let files = [fixture("moysklad__import_full.xml"), fixture("moysklad__offers_full.xml")];
    let files: Vec<&str> = files.iter().map(String::as_str).collect();
    import(app, &files).await.ok();
    let products = all_products(app, "").await;
    assert_eq!(products.len(), 174);
    let omen = by_id(&products, "5wceZf8djXSdCHMIIIWw-3");
    assert_eq!(omen["name"], "HP Omen Laptop 16-b0005TX (ЦО)");
    assert_eq!(omen["sku"], "492J1PA");
    assert_eq!(omen["unit"], "шт");
    assert_eq!(omen["category_external_id"], "4FjBlYFgi83BwaK2Y7i8t2");
    assert_eq!(omen["price"], serde_json::json!({"amount": "79900", "currency": "RUB"}));
    assert_eq!(omen["prices"][0]["price_type"], "Цена продажи");
    assert_eq!(omen["stock"]["total"], "1");
    assert_eq!(
        omen["stock"]["warehouses"][0],
        serde_json::json!({"external_id": "k8SNns6tiJ0jr7NUyPEkc2", "name": "Достоевская", "quantity": "1"})
    );
    let property = omen["properties"].as_array().unwrap().iter().find(|p| p["name"] == "WARRTY").unwrap();
    assert_eq!(property["value"], "N");
    let (status, one) = get_json(app, "/api/v1/products/5wceZf8djXSdCHMIIIWw-3").await;
    assert_eq!(status, 200);
    assert_eq!(&one, omen);
    let (_, categories) = get_json(app, "/api/v1/categories").await;
    assert_eq!(categories["items"].as_array().unwrap().len(), 6);

    // MoySklad's hourly full pass again: nothing changes, nothing is written.
    let again = app.cli(&["--lang", "en", "import", "--tenant", "demo", "--no-progress", files[0], files[1]]).await.ok();
    assert!(again.contains("products: 0 new, 0 changed, 174 unchanged"), "{again}");
    assert!(again.contains("offers: 0 written, 174 unchanged"), "{again}");
    assert_eq!(all_products(app, "").await, products);
});

app_test!(async fn one_c_variants_from_the_offers_file(app) {
    let out = import(app, &[&fixture("1c-ut11-demo__import.xml"), &fixture("1c-ut11-demo__offers.xml")]).await;
    let printed = out.ok();
    assert!(printed.contains("import_files/9d/"), "missing pictures are reported: {printed}");
    let products = all_products(app, "").await;
    assert_eq!(products.len(), 2);
    let boots = by_id(&products, "bd72d910-55bc-11d9-848a-00112f43529a");
    let variants = boots["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    let size_38 = variants
        .iter()
        .find(|v| v["external_id"] == "bd72d910-55bc-11d9-848a-00112f43529a#90c55447-d3a8-11e4-9423-e0cb4ed5eed4")
        .unwrap();
    assert_eq!(size_38["characteristics"][0], serde_json::json!({"name": "Размер", "value": "40"}));
    assert_eq!(size_38["price"]["amount"], "1719");
    assert_eq!(size_38["stock"]["total"], "20");
    // The product shows its cheapest variant and the variants' total stock.
    assert_eq!(boots["price"]["amount"], "1496");
    assert_eq!(boots["stock"]["total"], "39");
    assert_eq!(boots["barcodes"], serde_json::json!(["2000018987155"]));
    let maker = boots["properties"].as_array().unwrap().iter().find(|p| p["name"] == "Производитель").unwrap();
    assert_eq!(maker["value"], "Обувной комбинат", "reference-book values resolve to text");
});

app_test!(async fn one_c_variants_listed_in_the_catalog(app) {
    import(app, &[&fixture("1c-official__import_2.04.xml"), &fixture("1c-official__offers_2.04.xml")]).await.ok();
    let products = all_products(app, "").await;
    assert_eq!(products.len(), 2);
    let table = by_id(&products, "05e26d70-01e4-11dc-a411-00055d80a2d1");
    let variants = table["variants"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    let colours: Vec<&str> = variants.iter().map(|v| v["characteristics"][0]["value"].as_str().unwrap()).collect();
    assert!(colours.contains(&"Белый") && colours.contains(&"Красный"), "{colours:?}");
    assert!(variants.iter().all(|v| v["prices"].as_array().unwrap().len() == 4));
});

app_test!(async fn one_c_package_with_a_deleted_product_and_unknown_offers(app) {
    let printed = import(app, &[&fixture("1c-ut11__import0_1.xml"), &fixture("1c-ut11__offers0_1.xml")]).await.ok();
    assert_eq!(all_products(app, "").await.len(), 35, "the deleted one is hidden");
    assert!(printed.matches("такого товара нет в каталоге").count() == 8, "8 offers of unknown products: {printed}");
});

app_test!(async fn bitrix_packaged_exchange(app) {
    let files = [
        "1c-bitrix-module-2.09__import___b815e2db-7a65-4265-9241-5f0c4f0565a7.xml",
        "1c-bitrix-module-2.09__offers___7f304edc-2527-4d3d-b058-6e4ee53de2e0.xml",
        "1c-bitrix-module-2.09__prices___d66a6b51-ce9c-4e7a-8c7c-25079721107f.xml",
        "1c-bitrix-module-2.09__rests___1af6e7b8-a026-4690-9752-1c9d64cb914d.xml",
    ]
    .map(fixture);
    let printed = import(app, &files.iter().map(String::as_str).collect::<Vec<_>>()).await.ok();
    // The package carries no goods: every offer is reported, none creates a product.
    assert!(printed.contains("предупреждений: 978"), "{printed}");
    assert!(all_products(app, "").await.is_empty());
    let (_, categories) = get_json(app, "/api/v1/categories").await;
    assert_eq!(categories["items"].as_array().unwrap().len(), 97);
});

app_test!(async fn cml_3_1_classifier(app) {
    import(app, &[&fixture("1c-cml3.1__import___29d3f7f0-36dd-4eea-a06c-4c325bed4285.xml")]).await.ok();
    let (_, categories) = get_json(app, "/api/v1/categories").await;
    assert_eq!(categories["items"].as_array().unwrap().len(), 25);
});

app_test!(async fn a_broken_file_changes_nothing_and_says_where(app) {
    import(app, &[&fixture("moysklad__import_full.xml")]).await.ok();
    let before = all_products(app, "").await;
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read(fixture("moysklad__import_full.xml")).unwrap();
    let cut = dir.path().join("import.xml");
    std::fs::write(&cut, &full[..full.len() / 2]).unwrap();
    let refused = import(app, &[cut.to_str().unwrap()]).await.refused();
    assert!(refused.starts_with("import.xml, строка "), "{refused}");
    assert!(refused.contains("загружен не полностью"), "{refused}");
    assert_eq!(all_products(app, "").await, before);
});

app_test!(async fn search_and_pages(app) {
    import(app, &[&fixture("moysklad__import_full.xml"), &fixture("moysklad__offers_full.xml")]).await.ok();
    let found = all_products(app, "q=omen&").await;
    assert!(!found.is_empty() && found.iter().all(|p| p["name"].as_str().unwrap().to_lowercase().contains("omen")));
    assert_eq!(all_products(app, "q=492j1pa&").await.len(), 1, "sku, any case");
    // Small pages walk the whole catalog in byte order without repeats.
    let mut seen = Vec::new();
    let mut path = "/api/v1/products?limit=7".to_owned();
    loop {
        let (_, page) = get_json(app, &path).await;
        seen.extend(page["items"].as_array().unwrap().iter().map(|p| p["external_id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/api/v1/products?limit=7&cursor={c}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(seen, sorted);
    assert_eq!(seen.len(), 174);
    let (status, error) = get_json(app, "/api/v1/products?limit=abc").await;
    assert_eq!((status, error["error"]["code"].as_str()), (400, Some("invalid")));
    let (status, _) = get_json(app, "/api/v1/products?cursor=zz").await;
    assert_eq!(status, 400);
    let (status, _) = get_json(app, "/api/v1/products/nope").await;
    assert_eq!(status, 404);
    let (status, _) = get_json(app, "/api/v1/products?category=nope").await;
    assert_eq!(status, 404);
    let (status, spec) = get_json(app, "/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(spec["paths"]["/api/v1/products"].is_object());
});

app_test!(async fn order_documents_are_not_catalogs(app) {
    let printed = import(app, &[&fixture("1c-ut11__documents_2.09.xml")]).await.ok();
    assert_eq!(printed.matches("документы заказов не применяются к каталогу").count(), 1, "{printed}");
    assert!(all_products(app, "").await.is_empty());
});
