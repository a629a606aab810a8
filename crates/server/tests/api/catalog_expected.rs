//! Generated catalogs (../shared/tools/gen_catalog.py) import into exactly the state its
//! expected.json describes, for several seeds, every stock style, both dialects, and the
//! root-group, price-type and warehouse settings.

use std::collections::{BTreeMap, BTreeSet};

use commerceml::Decimal;
use serde_json::{Value, json};
use vitrina::catalog::canonical;

use crate::app_test;
use crate::catalog_support::{all_products, generate, get_json, import, shared_dir};
use crate::helpers::TestApp;

/// A decimal from a JSON number of expected.json, exactly as Python printed it.
fn dec(value: &Value) -> Decimal {
    commerceml::parse_decimal(&value.to_string()).unwrap_or_else(|| panic!("not a number: {value}"))
}

/// What the settings of a case are.
#[derive(Default)]
pub(crate) struct Choice {
    root_group: bool,
    price_type: Option<String>,
    warehouses: Option<Vec<String>>,
}

/// Generates a catalog with `args`, imports it with `choice` applied, and compares the API
/// with expected.json field by field.
async fn check(app: &TestApp, args: &[&str], choice: Choice) {
    if shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let expected = generate(dir.path(), args);
    let root = choice
        .root_group
        .then(|| expected["root_group"].as_str().unwrap().to_owned());
    let set = |key: &'static str, value: String| async move {
        app.cli(&["settings", "set", "--tenant", "demo", key, &value])
            .await
            .ok();
    };
    if let Some(root) = &root {
        set("commerceml.root_group", root.clone()).await;
    }
    if let Some(price_type) = &choice.price_type {
        set("commerceml.price_type", price_type.clone()).await;
    }
    if let Some(warehouses) = &choice.warehouses {
        set("commerceml.warehouses", warehouses.join(",")).await;
    }
    let import_xml = dir.path().join("import.xml");
    let offers_xml = dir.path().join("offers.xml");
    import(
        app,
        &[import_xml.to_str().unwrap(), offers_xml.to_str().unwrap()],
    )
    .await
    .ok();
    let api = all_products(app, "").await;
    let (_, categories) = get_json(app, "/api/v1/categories").await;
    assert_api_matches(&api, &categories, &expected, &choice);
}

/// The storefront API's products (`api`, every page) and categories are exactly what
/// expected.json says, field by field, with `choice`'s settings applied.
pub(crate) fn assert_api_matches(
    api: &[Value],
    categories: &Value,
    expected: &Value,
    choice: &Choice,
) {
    let root = choice
        .root_group
        .then(|| expected["root_group"].as_str().unwrap().to_owned());
    // The shop price type: by name or Ид, else the first listed.
    let price_types = expected["price_types"].as_array().unwrap();
    let shop_type = match &choice.price_type {
        Some(wanted) => price_types
            .iter()
            .find(|p| p["id"] == wanted.as_str() || p["name"] == wanted.as_str())
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        None => price_types[0]["id"].as_str().unwrap().to_owned(),
    };
    let warehouses: Vec<(String, String)> = expected["warehouses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["id"].as_str().unwrap().to_owned(),
                w["name"].as_str().unwrap().to_owned(),
            )
        })
        .filter(|(id, _)| {
            choice
                .warehouses
                .as_ref()
                .is_none_or(|list| list.contains(id))
        })
        .collect();
    let style = expected["generator"]["stock_style"]
        .as_str()
        .unwrap()
        .to_owned();

    let expected_stock = |stock: &Value| -> Value {
        let stock = stock.as_object().unwrap();
        if style == "total" {
            let total: Decimal = stock.values().map(dec).sum();
            return json!({"total": canonical(total), "warehouses": []});
        }
        let lines: Vec<Value> = warehouses
            .iter()
            .filter_map(|(id, name)| {
                stock.get(id).map(
                    |q| json!({"external_id": id, "name": name, "quantity": canonical(dec(q))}),
                )
            })
            .collect();
        let total: Decimal = warehouses
            .iter()
            .filter_map(|(id, _)| stock.get(id))
            .map(dec)
            .sum();
        json!({"total": canonical(total), "warehouses": lines})
    };
    let expected_prices = |prices: &Value| -> (Value, Value) {
        let list: Vec<Value> = price_types
            .iter()
            .map(|p| {
                json!({
                    "price_type_external_id": p["id"],
                    "price_type": p["name"],
                    "amount": canonical(dec(&prices[p["id"].as_str().unwrap()])),
                    "currency": p["currency"],
                })
            })
            .collect();
        let shop = json!({"amount": canonical(dec(&prices[&shop_type])), "currency": "RUB"});
        (shop, Value::Array(list))
    };

    let api: BTreeMap<&str, &Value> = api
        .iter()
        .map(|p| (p["external_id"].as_str().unwrap(), p))
        .collect();
    let mut shown = BTreeSet::new();
    for (id, entry) in expected["products"].as_object().unwrap() {
        let visible = !entry["deleted"].as_bool().unwrap()
            && (root.is_none() || entry["in_root"].as_bool().unwrap());
        if !visible {
            assert!(!api.contains_key(id.as_str()), "{id} must not be shown");
            continue;
        }
        shown.insert(id.as_str());
        let product = api
            .get(id.as_str())
            .unwrap_or_else(|| panic!("{id} is missing"));
        assert_eq!(product["name"], entry["name"], "{id}");
        assert_eq!(product["sku"], entry["sku"], "{id}");
        assert_eq!(product["barcodes"], json!([entry["barcode"]]), "{id}");
        assert_eq!(product["unit"], entry["unit"], "{id}");
        let category = match (entry["group"].as_str(), &root) {
            (Some(g), Some(r)) if g == r => Value::Null,
            (group, _) => json!(group),
        };
        assert_eq!(product["category_external_id"], category, "{id}");
        // 1C lists pictures in import_files/ with the data; MoySklad only in its picture pass.
        let listed = entry["image"].is_string() && expected["generator"]["dialect"] == "1c";
        let images = product["images"].as_array().unwrap();
        assert_eq!(images.len(), usize::from(listed), "{id}");
        assert!(images.iter().all(|i| i["source"] == "exchange"));
        match entry.get("variants") {
            None => {
                let (shop, prices) = expected_prices(&entry["prices"]);
                assert_eq!(product["price"], shop, "{id}");
                assert_eq!(product["prices"], prices, "{id}");
                assert_eq!(product["stock"], expected_stock(&entry["stock"]), "{id}");
                assert_eq!(product["variants"], json!([]), "{id}");
            }
            Some(variants) => {
                let variants = variants.as_object().unwrap();
                let got: BTreeMap<&str, &Value> = product["variants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|v| (v["external_id"].as_str().unwrap(), v))
                    .collect();
                assert_eq!(got.len(), variants.len(), "{id}");
                let mut cheapest: Option<Decimal> = None;
                let mut total = Decimal::ZERO;
                for (vid, want) in variants {
                    let variant = got
                        .get(vid.as_str())
                        .unwrap_or_else(|| panic!("variant {vid}"));
                    assert_eq!(
                        variant["characteristics"],
                        json!([{"name": "Размер", "value": want["size"]}])
                    );
                    let (shop, prices) = expected_prices(&want["prices"]);
                    assert_eq!(variant["price"], shop, "{vid}");
                    assert_eq!(variant["prices"], prices, "{vid}");
                    let stock = expected_stock(&want["stock"]);
                    total += dec(&json!(
                        stock["total"].as_str().unwrap().parse::<f64>().unwrap()
                    ));
                    assert_eq!(variant["stock"], stock, "{vid}");
                    let amount = dec(&want["prices"][&shop_type]);
                    cheapest = Some(cheapest.map_or(amount, |c: Decimal| c.min(amount)));
                }
                assert_eq!(
                    product["price"]["amount"],
                    canonical(cheapest.unwrap()),
                    "{id}"
                );
                assert_eq!(product["stock"]["total"], canonical(total), "{id}");
            }
        }
    }
    assert_eq!(
        api.len(),
        shown.len(),
        "no product beyond the expected ones"
    );

    let got: BTreeSet<(String, String, Option<String>)> = categories["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["external_id"].as_str().unwrap().into(),
                c["name"].as_str().unwrap().into(),
                c["parent_external_id"].as_str().map(str::to_owned),
            )
        })
        .collect();
    let in_root: BTreeSet<&str> = expected["groups_in_root"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    let want: BTreeSet<(String, String, Option<String>)> = expected["groups"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(id, _)| match &root {
            Some(r) => in_root.contains(id.as_str()) && *id != r,
            None => true,
        })
        .map(|(id, g)| {
            let parent = match (&root, g["parent"].as_str()) {
                (Some(r), Some(p)) if p == r => None,
                (_, parent) => parent.map(str::to_owned),
            };
            (id.clone(), g["name"].as_str().unwrap().to_owned(), parent)
        })
        .collect();
    assert_eq!(got, want);
}

app_test!(async fn rests_stock_default_settings(app) {
    check(app, &["--products", "300", "--seed", "1", "--stock-style", "rests"], Choice::default()).await;
});

app_test!(async fn attribute_stock_under_a_root_group(app) {
    check(app, &["--products", "300", "--seed", "2", "--stock-style", "attr"], Choice { root_group: true, ..Choice::default() }).await;
});

app_test!(async fn total_stock_and_a_price_type_by_name(app) {
    let choice = Choice { price_type: Some("Оптовая цена".into()), ..Choice::default() };
    check(app, &["--products", "300", "--seed", "3", "--stock-style", "total"], choice).await;
});

app_test!(async fn chosen_warehouses_and_a_price_type_by_id(app) {
    let dir = tempfile::tempdir().unwrap();
    if shared_dir().is_none() {
        return;
    }
    // The ids are deterministic per seed: read them from a dry run of the same generator.
    let expected = generate(dir.path(), &["--products", "300", "--seed", "4", "--warehouses", "4", "--price-types", "3"]);
    let warehouses = expected["warehouses"].as_array().unwrap()[1..3].iter().map(|w| w["id"].as_str().unwrap().to_owned()).collect();
    let price_type = expected["price_types"][2]["id"].as_str().unwrap().to_owned();
    let choice = Choice { price_type: Some(price_type), warehouses: Some(warehouses), ..Choice::default() };
    check(app, &["--products", "300", "--seed", "4", "--warehouses", "4", "--price-types", "3"], choice).await;
});

app_test!(async fn moysklad_dialect(app) {
    check(app, &["--products", "300", "--seed", "5", "--dialect", "moysklad"], Choice::default()).await;
});

app_test!(async fn moysklad_dialect_with_root_group_and_warehouses(app) {
    let dir = tempfile::tempdir().unwrap();
    if shared_dir().is_none() {
        return;
    }
    let expected = generate(dir.path(), &["--products", "300", "--seed", "6", "--dialect", "moysklad"]);
    let warehouses = vec![expected["warehouses"][0]["id"].as_str().unwrap().to_owned()];
    let choice = Choice { root_group: true, warehouses: Some(warehouses), ..Choice::default() };
    check(app, &["--products", "300", "--seed", "6", "--dialect", "moysklad"], choice).await;
});
