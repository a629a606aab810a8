//! Fields the owner locks on a product's page: the exchange leaves them as they are, the
//! report counts what it left alone, and unlocking hands them back at the next pass.

use serde_json::Value;

use crate::admin::{post, sign_in};
use crate::app_test;
use crate::catalog_support::{edit_elements, generate, get_json};
use crate::exchange::set_up;
use crate::helpers::{ADMIN_PASSWORD, TestApp};

const SKLAD: &str = "sklad@shop.ru";

/// One MoySklad pass of import.xml; its answer.
async fn pass(app: &TestApp, catalog: &str) -> String {
    app.moysklad_pass(&[("import.xml", catalog.as_bytes())])
        .await
        .remove(0)
}

async fn product(app: &TestApp, id: &str) -> (u16, Value) {
    get_json(app, &format!("/api/v1/products/{id}")).await
}

app_test!(async fn a_locked_description_survives_a_pass_that_changes_it(app) {
    if crate::catalog_support::shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    set_up(app, SKLAD).await;
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &["--products", "40", "--seed", "71", "--image-share", "0", "--deleted-share", "0"]);
    let catalog = std::fs::read_to_string(dir.path().join("import.xml")).unwrap();
    assert!(pass(app, &catalog).await.starts_with("success\n"));
    let ids: Vec<String> = crate::catalog_support::all_products(app, "").await
        .iter().map(|p| p["external_id"].as_str().unwrap().to_owned()).collect();
    let (fixed, kept_on_sale) = (ids[0].clone(), ids[1].clone());
    let (_, before) = product(app, &fixed).await;

    // The owner fixes a description (which locks it) and keeps another product on sale.
    let owner = sign_in(app, "admin@demo.localhost", ADMIN_PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let name = before["name"].as_str().unwrap();
    let saved = post(app, &owner, &format!("/admin/catalog/products/{fixed}/edit"), &[
        ("name", name), ("description", "Описание магазина"),
    ]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, other) = product(app, &kept_on_sale).await;
    let other_description = other["description"].as_str().unwrap_or_default().to_owned();
    post(app, &owner, &format!("/admin/catalog/products/{kept_on_sale}/edit"), &[
        ("name", other["name"].as_str().unwrap()), ("description", &other_description), ("lock", "visibility"),
    ]).await;
    assert_eq!(product(app, &fixed).await.1["description"], "Описание магазина");

    // MoySklad's next pass rewrites every description and no longer lists the second product.
    let changed = edit_elements(&catalog, "Товар", |_, item| {
        (!item.contains(&kept_on_sale)).then(|| item.replace("<Описание>", "<Описание>Из МойСклад: "))
    });
    let answer = pass(app, &changed).await;
    assert!(answer.starts_with("success\n"), "{answer}");
    let (_, after) = product(app, &fixed).await;
    assert_eq!(after["description"], "Описание магазина", "the locked description stays");
    assert_eq!(after["name"], before["name"]);
    let (status, still) = product(app, &kept_on_sale).await;
    assert_eq!(status, 200, "still on sale: {still}");
    let third = &ids[2];
    let (_, changed_one) = product(app, third).await;
    assert!(changed_one["description"].as_str().unwrap().starts_with("Из МойСклад: "), "{changed_one}");
    let exchanges = app.cli(&["exchange", "list", "--tenant", "demo"]).await.ok();
    let id = exchanges.lines().next().unwrap().split('\t').next().unwrap().to_owned();
    let shown = app.cli(&["exchange", "show", "--tenant", "demo", &id]).await.ok();
    assert!(shown.contains("Закреплённые на сайте поля оставлены как есть: 2"), "{shown}");

    // Unlocked, both go back to the exchange at the next pass.
    for id in [&fixed, &kept_on_sale] {
        let (_, now) = product(app, id).await;
        let description = now["description"].as_str().unwrap_or_default().to_owned();
        post(app, &owner, &format!("/admin/catalog/products/{id}/edit"), &[
            ("name", now["name"].as_str().unwrap()), ("description", &description),
        ]).await;
    }
    assert!(pass(app, &changed).await.starts_with("success\n"));
    let (_, handed_back) = product(app, &fixed).await;
    assert!(handed_back["description"].as_str().unwrap().starts_with("Из МойСклад: "), "{handed_back}");
    assert_eq!(product(app, &kept_on_sale).await.0, 404, "off sale once unlocked");
});
