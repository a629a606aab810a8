//! The safety brake's figures, taken inside the publish's own transaction: a held publish is
//! measured as it would have been and leaves nothing behind; let through, the same publish
//! makes exactly the changes it was measured by.

use vitrina_store::{
    Db, ImportSession, Measure, PublishOptions, StagedOffer, StagedPicture, StagedProduct,
    TenantId, db_test,
};

const IDS: [&str; 4] = ["p1", "p2", "p3", "p4"];

fn product(id: &str) -> StagedProduct {
    StagedProduct {
        active: true,
        ..StagedProduct::default()
    }
    .with_text("external_id", Some(id))
    .with_text("name", Some(&format!("Товар {id}")))
}

/// An offer priced `amount` in the price type `t`.
fn offer(id: &str, amount: &str) -> StagedOffer {
    StagedOffer {
        active: true,
        ..StagedOffer::default()
    }
    .with_text("external_id", Some(id))
    .with_text("product_external_id", Some(id))
    .with_text("prices", Some(&format!(r#"[["t","{amount}",null]]"#)))
}

/// A picture list of one picture, or an emptied one.
fn picture(id: &str, hash: Option<&str>) -> StagedPicture {
    StagedPicture {
        product_external_id: id.to_owned(),
        position: 0,
        content_hash: hash.map(str::to_owned),
        content_type: hash.map(|_| "image/png".to_owned()),
    }
}

async fn begin(db: &Db, tenant: TenantId) -> ImportSession {
    db.begin_import(tenant, "import.xml", None, "test", 60_000, |_| true)
        .await
        .unwrap()
}

/// The next pass: p3 priced at zero, p4 repriced, the picture lists of p1 and p2 emptied.
async fn next_pass(db: &Db, tenant: TenantId) -> ImportSession {
    let mut import = begin(db, tenant).await;
    import
        .write_offers(vec![offer("p3", "0"), offer("p4", "150")])
        .await
        .unwrap();
    import
        .stage_pictures(&[picture("p1", None), picture("p2", None)])
        .await
        .unwrap();
    import
}

/// (prices of p3, products with pictures), as the storefront would read them.
async fn state(db: &Db, tenant: TenantId) -> (Option<String>, usize) {
    let ids: Vec<String> = IDS.iter().map(|id| id.to_string()).collect();
    let offers = db.offers_of(tenant, &ids).await.unwrap();
    let p3 = offers.iter().find(|o| o.external_id == "p3").unwrap();
    let mut pictured: Vec<String> = db
        .pictures_of(tenant, &ids)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.product_external_id)
        .collect();
    pictured.dedup();
    (p3.prices.clone(), pictured.len())
}

db_test!(async fn a_held_publish_is_measured_and_changes_nothing(t) {
    let db = &t.db;
    let tenant = db.create_tenant("shop", "Shop").await.unwrap().id;
    let mut import = begin(db, tenant).await;
    import.write_products(IDS.map(product).to_vec()).await.unwrap();
    import.write_offers(IDS.map(|id| offer(id, "100")).to_vec()).await.unwrap();
    import.stage_pictures(&IDS.map(|id| picture(id, Some("aa")))).await.unwrap();
    import.publish(&PublishOptions::default(), "{}").await.unwrap();
    let before = state(db, tenant).await;
    assert_eq!(before, (Some(r#"[["t","100",null]]"#.to_owned()), 4));

    let measure = Measure { shop_price: Some("t".to_owned()), pictures: true };
    let held = next_pass(db, tenant)
        .await
        .publish_unless(&PublishOptions::default(), "{}", &measure, |_| true)
        .await
        .unwrap()
        .expect("held");
    assert_eq!((held.unpriced, held.unpriced_first.as_slice()), (1, ["Товар p3".to_owned()].as_slice()));
    assert_eq!(held.pictures_lost, 2);
    assert_eq!(held.pictures_first, ["Товар p1", "Товар p2"]);
    assert_eq!(state(db, tenant).await, before, "a held publish leaves the catalog as it was");

    // Let through, the same pass is measured alike and makes those very changes.
    let mut seen = None;
    let published = next_pass(db, tenant)
        .await
        .publish_unless(&PublishOptions::default(), "{}", &measure, |impact| {
            seen = Some(impact.clone());
            false
        })
        .await
        .unwrap();
    assert!(published.is_none());
    assert_eq!(seen, Some(held));
    assert_eq!(state(db, tenant).await, (Some(r#"[["t","0",null]]"#.to_owned()), 2));
});
