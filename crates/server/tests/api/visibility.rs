//! Visibility rules: active products without counted stock, without the shop's price or without
//! pictures are hidden from the storefront API when the shop says so, and the panel says why.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::admin::{page, sign_in};
use crate::app_test;
use crate::catalog_support::{all_products, edit_elements, generate, import};
use crate::helpers::{ADMIN_PASSWORD, TestApp};

fn ids(products: &[Value], keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    products
        .iter()
        .filter(|p| keep(p))
        .map(|p| p["external_id"].as_str().unwrap().to_owned())
        .collect()
}

async fn set(app: &TestApp, rule: &str, on: bool) {
    let key = format!("catalog.hide_without_{rule}");
    app.cli(&["settings", "set", "--tenant", "demo", &key, &on.to_string()])
        .await
        .ok();
}

app_test!(async fn rules_hide_products_from_the_storefront_and_the_panel_says_why(app) {
    if crate::catalog_support::shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), &[
        "--products", "60", "--seed", "81", "--image-share", "0.5", "--deleted-share", "0",
        "--variant-share", "0", "--stock-style", "total",
    ]);
    // Some offers with nothing in stock, others priced at zero.
    let offers = std::fs::read_to_string(dir.path().join("offers.xml")).unwrap();
    let offers = edit_elements(&offers, "Предложение", |i, offer| {
        let mut offer = offer.to_owned();
        if i % 7 == 0 {
            offer = edit_elements(&offer, "Количество", |_, _| Some("<Количество>0</Количество>".into()));
        }
        if i % 11 == 0 {
            offer = crate::catalog_support::zero_prices(&offer);
        }
        Some(offer)
    });
    std::fs::write(dir.path().join("offers.xml"), offers).unwrap();
    import(app, &[dir.path().to_str().unwrap()]).await.ok();

    let all = all_products(app, "").await;
    let everyone = ids(&all, |_| true);
    let no_stock = ids(&all, |p| p["stock"]["total"] == "0");
    let no_price = ids(&all, |p| p["price"].is_null() || p["price"]["amount"] == "0");
    let no_pictures = ids(&all, |p| p["images"].as_array().is_none_or(|i| i.is_empty()));
    for (name, set) in [("stock", &no_stock), ("price", &no_price), ("pictures", &no_pictures)] {
        assert!(!set.is_empty() && set.len() < everyone.len(), "some products without {name}: {}", set.len());
    }

    let owner = sign_in(app, "admin@demo.localhost", ADMIN_PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    for (rule, hidden, badge) in [
        ("stock", &no_stock, "скрыт: нет остатка"),
        ("price", &no_price, "скрыт: нет цены"),
        ("pictures", &no_pictures, "скрыт: нет картинок"),
    ] {
        set(app, rule, true).await;
        let shown = ids(&all_products(app, "").await, |_| true);
        let expected: BTreeSet<String> = everyone.difference(hidden).cloned().collect();
        assert_eq!(shown, expected, "hide without {rule}");
        let one = hidden.iter().next().unwrap();
        let (status, _) = crate::catalog_support::get_json(app, &format!("/api/v1/products/{one}")).await;
        assert_eq!(status, 404, "a hidden product's page");
        let listed = page(app, &owner, "/admin/catalog?status=hidden").await;
        assert_eq!(listed.body.matches(badge).count(), hidden.len().min(50), "the panel says why: {rule}");
        set(app, rule, false).await;
    }
    for rule in ["stock", "price", "pictures"] {
        set(app, rule, true).await;
    }
    let shown = ids(&all_products(app, "").await, |_| true);
    let hidden: BTreeSet<String> = no_stock.iter().chain(&no_price).chain(&no_pictures).cloned().collect();
    assert_eq!(shown, everyone.difference(&hidden).cloned().collect::<BTreeSet<_>>());
});
