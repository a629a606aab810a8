//! The catalog's history over the real exchange: each publish keeps what it changed, and a
//! rollback brings the storefront API back byte for byte, itself undoable.

use crate::app_test;
use crate::catalog_support::{edit_elements, generate, zero_prices};
use crate::exchange::set_up;
use crate::helpers::TestApp;

const SKLAD: &str = "sklad@shop.ru";

/// One MoySklad pass of these files (import.xml before offers.xml); every import must succeed.
async fn pass(app: &TestApp, files: &[(String, Vec<u8>)]) {
    let mut files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    files.sort();
    for answer in app.moysklad_pass(&files).await {
        assert!(answer.starts_with("success\n"), "{answer}");
    }
}

/// What a storefront reads, as bytes: categories, the product list, and each product's page.
async fn storefront(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    let mut read = Vec::new();
    for path in ["/api/v1/categories", "/api/v1/products?limit=500"] {
        let response = app.get("demo.localhost", path).await;
        assert_eq!(response.status(), 200, "{path}");
        read.push((path.to_owned(), response.bytes().await.unwrap().to_vec()));
    }
    let list: serde_json::Value = serde_json::from_slice(&read[1].1).unwrap();
    for item in list["items"].as_array().unwrap() {
        let path = format!("/api/v1/products/{}", item["external_id"].as_str().unwrap());
        let response = app.get("demo.localhost", &path).await;
        read.push((path, response.bytes().await.unwrap().to_vec()));
    }
    read
}

/// Publish ids as `vitrina catalog history` lists them, newest first.
async fn history(app: &TestApp) -> Vec<(i64, String)> {
    let out = app
        .cli(&["catalog", "history", "--tenant", "demo"])
        .await
        .ok();
    out.lines()
        .map(|line| {
            let mut fields = line.split('\t');
            let id = fields.next().unwrap().parse().unwrap();
            (id, line.to_owned())
        })
        .collect()
}

/// Asserts two storefront reads are the same bytes, showing the first difference.
fn assert_same(got: &[(String, Vec<u8>)], want: &[(String, Vec<u8>)], what: &str) {
    let paths =
        |read: &[(String, Vec<u8>)]| read.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(paths(got), paths(want), "{what}: the same pages");
    for ((path, got), (_, want)) in got.iter().zip(want) {
        if got != want {
            let at = got.iter().zip(want).take_while(|(a, b)| a == b).count();
            let window = |bytes: &[u8]| {
                String::from_utf8_lossy(&bytes[at.saturating_sub(150)..(at + 150).min(bytes.len())])
                    .into_owned()
            };
            panic!(
                "{what}: {path} differs at byte {at}:\n got: {}\nwant: {}",
                window(got),
                window(want)
            );
        }
    }
}

/// Rows the history tables hold, all tables together.
async fn history_rows(app: &TestApp) -> i64 {
    let sql = "SELECT (SELECT COUNT(*) FROM products_history) + (SELECT COUNT(*) FROM offers_history) \
               + (SELECT COUNT(*) FROM categories_history) + (SELECT COUNT(*) FROM price_types_history) \
               + (SELECT COUNT(*) FROM product_pictures_history)";
    match &app.db {
        vitrina_store::Db::Sqlite(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
        vitrina_store::Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

async fn roll_back(app: &TestApp, before: i64) -> String {
    app.cli(&[
        "catalog",
        "rollback",
        "--tenant",
        "demo",
        "--before",
        &before.to_string(),
    ])
    .await
    .ok()
}

/// The pass after `files`: every product renamed, one in five gone, pictures moved on to the
/// next product that has one, every price at zero.
fn changed(files: &[(String, Vec<u8>)]) -> Vec<(String, Vec<u8>)> {
    let text = |name: &str| {
        let (_, bytes) = files.iter().find(|(file, _)| file == name).unwrap();
        String::from_utf8(bytes.clone()).unwrap()
    };
    let catalog = text("import.xml");
    let pictures: Vec<String> = catalog
        .split("<Картинка>")
        .skip(1)
        .map(|rest| rest.split("</Картинка>").next().unwrap().to_owned())
        .collect();
    assert!(pictures.len() > 3, "the catalog has pictures to move");
    let mut next_picture = pictures.iter().cycle().skip(1);
    let catalog = edit_elements(&catalog, "Товар", |index, product| {
        (index % 5 != 4).then(|| {
            let product = product.replacen("<Наименование>", "<Наименование>Новое имя ", 1);
            match product
                .split("<Картинка>")
                .nth(1)
                .and_then(|r| r.split("</Картинка>").next())
            {
                Some(old) => product.replace(old, next_picture.next().unwrap()),
                None => product,
            }
        })
    });
    let mut changed: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|(name, _)| !name.ends_with(".xml"))
        .cloned()
        .collect();
    changed.push(("import.xml".into(), catalog.into_bytes()));
    changed.push((
        "offers.xml".into(),
        zero_prices(&text("offers.xml")).into_bytes(),
    ));
    changed
}

app_test!(async fn a_rollback_brings_the_storefront_back_byte_for_byte(app) {
    if crate::catalog_support::shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    set_up(app, SKLAD).await;
    for check in ["offsale", "unpriced", "pictures"] {
        let key = format!("catalog.brake_{check}_percent");
        app.cli(&["settings", "set", "--tenant", "demo", &key, "0"]).await.ok();
    }
    let (first_dir, other_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    generate(first_dir.path(), &["--products", "120", "--seed", "61", "--image-share", "0.5"]);
    generate(other_dir.path(), &["--products", "80", "--seed", "62", "--image-share", "0.5"]);
    let first = crate::catalog_support::files_of(first_dir.path());

    pass(app, &first).await;
    let after_first = storefront(app).await;
    pass(app, &changed(&first)).await;
    let after_change = storefront(app).await;
    assert_ne!(after_change, after_first);
    pass(app, &crate::catalog_support::files_of(other_dir.path())).await;
    let after_other = storefront(app).await;
    assert!(history_rows(app).await > 0, "the passes kept what they changed");

    // Newest first: the other catalog's two files, the change's two, the first pass's two.
    let publishes = history(app).await;
    assert_eq!(publishes.len(), 6, "{publishes:?}");
    assert!(publishes[3].1.contains("import.xml"), "{publishes:?}");
    let (change, first_pass) = (publishes[3].0, publishes[5].0);

    let said = roll_back(app, change).await;
    assert!(said.starts_with(&format!("Откат до публикации {change}: товаров возвращено")), "{said}");
    assert_same(&storefront(app).await, &after_first, "back to before the change, byte for byte");

    // The rollback is a publish too: rolled back, the catalog is as the last pass left it.
    let publishes = history(app).await;
    assert!(publishes[0].1.contains(&format!("откат до {change}")), "{publishes:?}");
    roll_back(app, publishes[0].0).await;
    assert_same(&storefront(app).await, &after_other, "the rollback rolled back");

    // Before the first pass there was nothing.
    roll_back(app, first_pass).await;
    let empty = storefront(app).await;
    assert_eq!(empty.len(), 2, "no product pages");
    assert!(String::from_utf8_lossy(&empty[1].1).contains(r#""items":[]"#), "{}", String::from_utf8_lossy(&empty[1].1));

    // A publish the history does not hold is refused with what to do.
    let refused = app.cli(&["catalog", "rollback", "--tenant", "demo", "--before", "999999"]).await.refused();
    assert!(refused.contains("vitrina catalog history"), "{refused}");
    // Kept for catalog.history_days: with 0, nothing is left to roll back to.
    app.cli(&["settings", "set", "--tenant", "demo", "catalog.history_days", "0"]).await.ok();
    assert!(history(app).await.is_empty());
    let refused = app.cli(&["catalog", "rollback", "--tenant", "demo", "--before", &change.to_string()]).await.refused();
    assert!(refused.contains("нет в истории каталога"), "{refused}");
    // The next publish forgets what the older ones kept.
    pass(app, &crate::catalog_support::files_of(other_dir.path())).await;
    let kept = history_rows(app).await;
    assert_eq!(kept, 0, "history rows left after pruning");
});
