//! The row shapes against the live tables: every column of `products` and `offers` is in its
//! shape's field list, every stated column changes the content hash, and every column a
//! document states comes back from the storefront's read as it was staged.

use vitrina_store::testing::schema;
use vitrina_store::{PublishOptions, Role, Shape, StagedOffer, StagedProduct, db_test};

/// Columns of the live tables that no document writes.
const NOT_FROM_DOCUMENTS: [&str; 3] = ["tenant_id", "created_at", "updated_at"];

/// Columns deliberately outside the hash, and why. Adding one here is a decision.
const UNHASHED: [(&str, &str, &str); 3] = [
    (
        "products",
        "search_text",
        "made of the name, Артикул and barcodes, which are hashed",
    ),
    (
        "offers",
        "product_external_id",
        "the part of the hashed Ид before '#'",
    ),
    (
        "offers",
        "variant_external_id",
        "the part of the hashed Ид after '#'",
    ),
];

fn shapes() -> [Shape; 2] {
    [StagedProduct::SHAPE, StagedOffer::SHAPE]
}

db_test!(async fn every_live_column_is_in_its_shape(t) {
    for shape in shapes() {
        let live = schema::columns(&t.db, shape.table).await;
        assert!(!live.is_empty(), "{} has columns", shape.table);
        let listed: Vec<&str> = shape.columns.iter().map(|c| c.name).chain(["active", "content_hash", "source_hash"]).collect();
        for column in &live {
            assert!(
                listed.contains(&column.as_str()) || NOT_FROM_DOCUMENTS.contains(&column.as_str()),
                "{}.{column} is in the table but not in its shape (crates/store/src/catalog/rows.rs)",
                shape.table
            );
        }
        for column in &listed {
            assert!(live.iter().any(|c| c == column), "{}.{column} is in the shape but not in the table", shape.table);
        }
    }
});

#[test]
fn every_stated_column_changes_the_hash() {
    fn hashes<R>(
        make: impl Fn(&str, &str) -> R,
        hash: impl Fn(&R) -> String,
        column: &str,
    ) -> bool {
        hash(&make(column, "a")) != hash(&make(column, "b"))
    }
    for shape in shapes() {
        for column in shape.columns {
            let changes = if shape.table == "products" {
                hashes(
                    |c, v| StagedProduct::default().with_text(c, Some(v)),
                    StagedProduct::hash,
                    column.name,
                )
            } else {
                hashes(
                    |c, v| StagedOffer::default().with_text(c, Some(v)),
                    StagedOffer::hash,
                    column.name,
                )
            };
            let exempt = UNHASHED
                .iter()
                .any(|(t, c, _)| *t == shape.table && *c == column.name);
            assert_eq!(
                changes,
                column.role.hashed(),
                "{}.{} ({:?})",
                shape.table,
                column.name,
                column.role
            );
            assert_eq!(
                !changes, exempt,
                "{}.{} escapes the hash without a reason in UNHASHED",
                shape.table, column.name
            );
        }
    }
    // The flag too.
    let active = StagedProduct {
        active: true,
        ..StagedProduct::default()
    };
    assert_ne!(active.hash(), StagedProduct::default().hash());
}

db_test!(async fn every_stated_column_is_staged_published_and_read_back(t) {
    // Staged rows (published by copying) and written ones (straight into the live tables on
    // PostgreSQL): each way, one shop.
    for (slug, written) in [("staged", false), ("written", true)] {
        every_column_read_back(&t.db, slug, written).await;
    }
});

async fn every_column_read_back(db: &vitrina_store::Db, slug: &str, written: bool) {
    let tenant = db.create_tenant(slug, "Shop").await.unwrap().id;
    let value = |column: &str| format!("value of {column}");
    let mut product = StagedProduct {
        active: true,
        ..StagedProduct::default()
    };
    for column in StagedProduct::SHAPE.columns {
        product = product.with_text(column.name, Some(&value(column.name)));
    }
    product = product.with_text("external_id", Some("p1"));
    let mut offer = StagedOffer {
        active: true,
        ..StagedOffer::default()
    };
    for column in StagedOffer::SHAPE.columns {
        offer = offer.with_text(column.name, Some(&value(column.name)));
    }
    offer = offer
        .with_text("external_id", Some("p1"))
        .with_text("product_external_id", Some("p1"));
    let mut import = db
        .begin_import(tenant, "import.xml", None, "test", 60_000, |_| true)
        .await
        .unwrap();
    if written {
        import.write_products(vec![product.clone()]).await.unwrap();
        import.write_offers(vec![offer.clone()]).await.unwrap();
    } else {
        import.stage_products(vec![product.clone()]).await.unwrap();
        import.stage_offers(vec![offer.clone()]).await.unwrap();
    }
    import
        .publish(&PublishOptions::default(), "{}")
        .await
        .unwrap();

    let (read, active) = db
        .products_by_ids(tenant, &["p1".to_owned()])
        .await
        .unwrap()
        .remove(0);
    assert!(active);
    for column in StagedProduct::SHAPE.columns {
        let expected = if column.name == "external_id" {
            "p1".to_owned()
        } else {
            value(column.name)
        };
        assert_eq!(
            read.text(column.name),
            Some(expected.as_str()),
            "products.{}",
            column.name
        );
    }
    let offers = db.offers_of(tenant, &["p1".to_owned()]).await.unwrap();
    for column in StagedOffer::SHAPE.columns {
        let expected = match column.name {
            "external_id" | "product_external_id" => "p1".to_owned(),
            other => value(other),
        };
        assert_eq!(
            offers[0].text(column.name),
            Some(expected.as_str()),
            "offers.{}",
            column.name
        );
    }
    assert_eq!(
        StagedProduct::SHAPE.columns[0].role,
        Role::Key,
        "rows are keyed by their Ид"
    );
}

db_test!(async fn written_rows_are_seen_only_once_published_and_merge_like_staged_ones(t) {
    let db = &t.db;
    let tenant = db.create_tenant("shop", "Shop").await.unwrap().id;
    let product = |id: &str, name: &str, sku: Option<&str>| {
        StagedProduct { active: true, ..StagedProduct::default() }
            .with_text("external_id", Some(id))
            .with_text("name", Some(name))
            .with_text("sku", sku)
    };
    let names = |rows: Vec<(vitrina_store::ProductRow, bool)>| -> Vec<(String, Option<String>, Option<String>)> {
        rows.into_iter().map(|(p, _)| (p.external_id, p.name, p.sku)).collect()
    };
    let ids = ["a".to_owned(), "b".to_owned()];
    let mut import = db.begin_import(tenant, "import.xml", None, "test", 60_000, |_| true).await.unwrap();
    import.write_products(vec![product("a", "A", Some("SKU-A"))]).await.unwrap();
    assert!(db.products_by_ids(tenant, &ids).await.unwrap().is_empty(), "not seen before the publish");
    import.fail("{}").await.unwrap();
    assert!(db.products_by_ids(tenant, &ids).await.unwrap().is_empty(), "nor after a failure");

    let mut import = db.begin_import(tenant, "import.xml", None, "test", 60_000, |_| true).await.unwrap();
    import.write_products(vec![product("a", "A", Some("SKU-A"))]).await.unwrap();
    // Stated again in a later batch: what it states wins, what it leaves unstated stays.
    import.write_products(vec![product("a", "A2", None), product("b", "B", None)]).await.unwrap();
    assert!(db.product_states(tenant).await.unwrap().is_empty(), "not seen while the import runs");
    import.publish(&PublishOptions::default(), "{}").await.unwrap();
    assert_eq!(
        names(db.products_by_ids(tenant, &ids).await.unwrap()),
        [("a".into(), Some("A2".into()), Some("SKU-A".into())), ("b".into(), Some("B".into()), None)]
    );
});

db_test!(async fn item_states_are_read_page_by_page_and_whole(t) {
    let db = &t.db;
    let tenant = db.create_tenant("shop", "Shop").await.unwrap().id;
    let other = db.create_tenant("other", "Other").await.unwrap().id;
    let product = |id: &str, active: bool| {
        let staged = StagedProduct { active, ..StagedProduct::default() }.with_text("external_id", Some(id));
        let hash = staged.hash();
        StagedProduct { content_hash: Some(hash), ..staged }
    };
    let ids = ["a", "b", "c", "d", "e", "f", "g"];
    for (shop, extra) in [(tenant, "z"), (other, "x")] {
        let mut import = db.begin_import(shop, "import.xml", None, "test", 60_000, |_| true).await.unwrap();
        let rows = ids.iter().chain([&extra]).map(|id| product(id, *id != "c")).collect();
        import.stage_products(rows).await.unwrap();
        import.publish(&PublishOptions::default(), "{}").await.unwrap();
    }
    let mut paged = Vec::new();
    db.each_product_state_paged(tenant, 3, |s| paged.push(s)).await.unwrap();
    let whole = db.product_states(tenant).await.unwrap();
    assert_eq!(paged, whole, "pages of 3 read what one page reads");
    let read: Vec<&str> = whole.iter().map(|s| s.external_id.as_str()).collect();
    assert_eq!(read, ["a", "b", "c", "d", "e", "f", "g", "z"], "this shop's, in id order");
    assert!(whole.iter().all(|s| s.active == (s.external_id != "c")));
    assert!(whole.iter().all(|s| s.content_hash.as_deref() == Some(product(&s.external_id, s.active).hash().as_str())));

    // An id holding the separator itself is still read, row by row.
    let mut import = db.begin_import(tenant, "import.xml", None, "test", 60_000, |_| true).await.unwrap();
    import.stage_products(vec![product("odd\u{1f}id", true)]).await.unwrap();
    import.publish(&PublishOptions::default(), "{}").await.unwrap();
    let mut read = Vec::new();
    db.each_product_state_paged(tenant, 3, |s| read.push(s.external_id)).await.unwrap();
    assert_eq!(read.len(), 9);
    assert!(read.iter().any(|id| id == "odd\u{1f}id"));
});
