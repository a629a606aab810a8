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

/// The text between the first `open` and the `close` after it.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    text.split_once(open)
        .and_then(|(_, rest)| rest.split_once(close))
        .map(|(inside, _)| inside)
}

app_test!(async fn a_locked_category_and_locked_pictures_stay_as_the_owner_left_them(app) {
    if crate::catalog_support::shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    set_up(app, SKLAD).await;
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &["--products", "30", "--seed", "73", "--image-share", "1", "--deleted-share", "0"]);
    let files = crate::catalog_support::files_of(dir.path());
    let refs: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    assert!(app.moysklad_pass(&refs).await.iter().all(|a| a.starts_with("success\n")));
    let all = crate::catalog_support::all_products(app, "").await;
    let with_both: Vec<String> = all
        .iter()
        .filter(|p| p["category_external_id"].is_string() && p["images"].as_array().is_some_and(|i| !i.is_empty()))
        .map(|p| p["external_id"].as_str().unwrap().to_owned())
        .collect();
    let (locked, free) = (with_both[0].clone(), with_both[1].clone());
    let (_, before) = product(app, &locked).await;
    let (_, free_before) = product(app, &free).await;

    let owner = sign_in(app, "admin@demo.localhost", ADMIN_PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    post(app, &owner, &format!("/admin/catalog/products/{locked}/edit"), &[
        ("name", before["name"].as_str().unwrap()),
        ("description", before["description"].as_str().unwrap_or_default()),
        ("lock", "category"), ("lock", "pictures"),
    ]).await;

    // The next pass moves every product to another group and gives it the next one's picture.
    let catalog = String::from_utf8(files.iter().find(|(n, _)| n == "import.xml").unwrap().1.clone()).unwrap();
    let mut groups: Vec<String> = Vec::new();
    let mut pictures: Vec<String> = Vec::new();
    edit_elements(&catalog, "Товар", |_, item| {
        groups.extend(between(item, "<Группы><Ид>", "</Ид>").map(str::to_owned));
        pictures.extend(between(item, "<Картинка>", "</Картинка>").map(str::to_owned));
        None
    });
    groups.sort();
    groups.dedup();
    assert!(groups.len() > 1 && pictures.len() > 2, "{groups:?} {pictures:?}");
    let moved = edit_elements(&catalog, "Товар", |index, item| {
        let mut item = item.to_owned();
        if let Some(group) = between(&item, "<Группы><Ид>", "</Ид>").map(str::to_owned) {
            let other = groups.iter().find(|g| **g != group).unwrap();
            item = item.replace(&group, other);
        }
        if let Some(picture) = between(&item, "<Картинка>", "</Картинка>").map(str::to_owned) {
            item = item.replace(&picture, &pictures[(index + 1) % pictures.len()]);
        }
        Some(item)
    });
    let mut second: Vec<(&str, &[u8])> = refs.iter().filter(|(n, _)| *n != "import.xml").copied().collect();
    second.push(("import.xml", moved.as_bytes()));
    second.sort();
    assert!(app.moysklad_pass(&second).await.iter().all(|a| a.starts_with("success\n")));

    let (_, after) = product(app, &locked).await;
    assert_eq!(after["category_external_id"], before["category_external_id"], "the locked category stays");
    assert_eq!(after["images"], before["images"], "the locked pictures stay");
    let (_, free_after) = product(app, &free).await;
    assert_ne!(free_after["category_external_id"], free_before["category_external_id"], "an unlocked product moves");
    assert_ne!(free_after["images"], free_before["images"]);
});
