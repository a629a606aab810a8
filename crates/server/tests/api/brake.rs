//! The safety brake over the real exchange, as MoySklad drives it: a full pass that would take
//! most of the shop off sale, or zero its prices, is held with the catalog untouched, then
//! applied or discarded by the owner.

use serde_json::Value;

use crate::app_test;
use crate::catalog_support::{all_products, generate, only, zero_prices};
use crate::exchange::set_up;
use crate::helpers::TestApp;

const SKLAD: &str = "sklad@shop.ru";

/// A catalog of `products` generated with `seed`: (import.xml, offers.xml).
fn catalog(products: usize, seed: u32) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    generate(
        dir.path(),
        &[
            "--products",
            &products.to_string(),
            "--seed",
            &seed.to_string(),
            "--image-share",
            "0",
        ],
    );
    let read = |name: &str| std::fs::read_to_string(dir.path().join(name)).unwrap();
    (read("import.xml"), read("offers.xml"))
}

/// What the storefront answers for the whole catalog, as bytes would compare.
async fn storefront(app: &TestApp) -> Vec<Value> {
    all_products(app, "").await
}

/// The held passes as `vitrina exchange held` prints them.
async fn held(app: &TestApp) -> Vec<String> {
    let out = app
        .cli(&["exchange", "held", "--tenant", "demo"])
        .await
        .ok();
    out.lines().map(str::to_owned).collect()
}

app_test!(async fn a_pass_dropping_most_products_is_held_then_applied_by_the_owner(app) {
    if crate::catalog_support::shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    set_up(app, SKLAD).await;
    let (import_xml, offers_xml) = catalog(200, 51);
    // The first pass into an empty catalog is never held.
    let first = app.moysklad_pass(&[("import.xml", import_xml.as_bytes()), ("offers.xml", offers_xml.as_bytes())]).await;
    assert!(first.iter().all(|a| a.starts_with("success\n")), "{first:?}");
    let before = storefront(app).await;
    assert!(before.len() > 150, "{}", before.len());

    // A wrong filter in MoySklad: the next full pass lists a tenth of the products.
    let narrow = only(&import_xml, "Товар", |i| i % 10 == 0);
    let answers = app.moysklad_pass(&[("import.xml", narrow.as_bytes()), ("offers.xml", offers_xml.as_bytes())]).await;
    let reason = answers[0].strip_prefix("failure\n").unwrap_or_else(|| panic!("held: {answers:?}"));
    assert!(reason.starts_with("Выгрузка задержана: сняла бы с продажи 9"), "{reason}");
    assert!(reason.ends_with("% товаров (порог 30%). Примените или отмените её в Истории обмена"), "{reason}");
    assert_eq!(answers[1], "failure\nВыгрузка задержана вместе с import.xml: примените или отмените её в Истории обмена");
    assert_eq!(storefront(app).await, before, "a held pass changes nothing");

    let listed = held(app).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    let fields: Vec<&str> = listed[0].split('\t').collect();
    assert_eq!(fields[2], "import.xml,offers.xml", "{listed:?}");
    assert!(fields[3].starts_with("Выгрузка задержана: сняла бы с продажи 9"), "{listed:?}");
    let id = fields[0].to_owned();
    let exchanges = app.cli(&["exchange", "list", "--tenant", "demo"]).await.ok();
    assert!(exchanges.lines().next().unwrap().starts_with(&id), "the id is the exchange's: {exchanges}");

    // Applied: the pass is published as it came, the files in their order.
    let applied = app.cli(&["exchange", "release", "--tenant", "demo", &id]).await.ok();
    assert!(applied.contains("import.xml") && applied.contains("offers.xml"), "{applied}");
    let after = storefront(app).await;
    assert_eq!(after.len(), narrow.matches("<Товар>").count(), "only the products the pass listed are on sale");
    assert!(held(app).await.is_empty());
    // A pass applied is not held again, and there is nothing left to apply.
    let again = app.cli(&["exchange", "release", "--tenant", "demo", &id]).await.refused();
    assert!(again.contains("нет задержанной выгрузки"), "{again}");
});

app_test!(async fn a_held_pass_discarded_leaves_the_catalog_as_it_was(app) {
    if crate::catalog_support::shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    set_up(app, SKLAD).await;
    let (import_xml, offers_xml) = catalog(120, 52);
    app.moysklad_pass(&[("import.xml", import_xml.as_bytes()), ("offers.xml", offers_xml.as_bytes())]).await;
    let before = storefront(app).await;

    // A wrong price list: every price at zero.
    let zeroed = zero_prices(&offers_xml);
    let answers = app.moysklad_pass(&[("offers.xml", zeroed.as_bytes())]).await;
    assert!(
        answers[0].starts_with("failure\nВыгрузка задержана: оставила бы без цены 100% товаров (порог 30%)"),
        "{answers:?}"
    );
    assert_eq!(storefront(app).await, before);
    let id = held(app).await[0].split('\t').next().unwrap().to_owned();
    let discarded = app.cli(&["exchange", "discard", "--tenant", "demo", &id]).await.ok();
    assert!(discarded.contains("отменена"), "{discarded}");
    assert!(held(app).await.is_empty());
    assert_eq!(storefront(app).await, before);
    let shown = app.cli(&["exchange", "show", "--tenant", "demo", &id]).await.ok();
    assert!(shown.contains("discarded"), "{shown}");

    // The same pass with the check turned off is applied at once.
    app.cli(&["settings", "set", "--tenant", "demo", "catalog.brake_unpriced_percent", "0"]).await.ok();
    let answers = app.moysklad_pass(&[("offers.xml", zeroed.as_bytes())]).await;
    assert!(answers[0].starts_with("success\n"), "{answers:?}");
    assert_ne!(storefront(app).await, before);
});

app_test!(async fn a_pass_within_the_limits_is_published_at_once(app) {
    if crate::catalog_support::shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    set_up(app, SKLAD).await;
    let (import_xml, offers_xml) = catalog(100, 53);
    app.moysklad_pass(&[("import.xml", import_xml.as_bytes()), ("offers.xml", offers_xml.as_bytes())]).await;
    let before = storefront(app).await.len();
    // Four in five products kept: 20% off sale is under 30%.
    let fewer = only(&import_xml, "Товар", |i| i % 5 != 4);
    let answers = app.moysklad_pass(&[("import.xml", fewer.as_bytes())]).await;
    assert!(answers[0].starts_with("success\n"), "{answers:?}");
    assert!(storefront(app).await.len() < before);
    // With the limit at 10%, the same cut of what is left is held.
    app.cli(&["settings", "set", "--tenant", "demo", "catalog.brake_offsale_percent", "10"]).await.ok();
    let fewer_still = only(&fewer, "Товар", |i| i % 5 != 4);
    let answers = app.moysklad_pass(&[("import.xml", fewer_still.as_bytes())]).await;
    assert!(answers[0].contains("(порог 10%)"), "{answers:?}");
});
