//! Items stepped over unread because their bytes did not change (issue 16): a pass is still
//! applied exactly when something a row is made from changes besides the item's own bytes,
//! rows that say the same are not counted as changes however they are known, and rows from
//! before (without a `source_hash`) are taken over without being counted as changes.

use serde_json::Value;

use crate::app_test;
use crate::catalog_support::{all_products, import};
use crate::helpers::TestApp;

/// A full catalog of two products whose colour is a reference-book value named `red`.
fn catalog(red: &str, pictures: bool) -> String {
    let picture = if pictures {
        "<Картинка>import_files/a.png</Картинка>"
    } else {
        ""
    };
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.05">
  <Классификатор><Ид>c</Ид><Наименование>Классификатор</Наименование>
    <Свойства><Свойство><Ид>colour</Ид><Наименование>Цвет</Наименование><ТипЗначений>Справочник</ТипЗначений>
      <ВариантыЗначений><Справочник><ИдЗначения>red</ИдЗначения><Значение>{red}</Значение></Справочник></ВариантыЗначений>
    </Свойство></Свойства>
  </Классификатор>
  <Каталог СодержитТолькоИзменения="false"><Ид>c</Ид><ИдКлассификатора>c</ИдКлассификатора><Наименование>К</Наименование>
    <Товары>
      <Товар><Ид>p1</Ид><Наименование>Чайник</Наименование>{picture}
        <ЗначенияСвойств><ЗначенияСвойства><Ид>colour</Ид><Значение>red</Значение></ЗначенияСвойства></ЗначенияСвойств>
      </Товар>
      <Товар><Ид>p2</Ид><Наименование>Кружка</Наименование>{picture}</Товар>
    </Товары>
  </Каталог>
</КоммерческаяИнформация>
"#
    )
}

fn write(app: &TestApp, name: &str, xml: &str) -> String {
    let path = app.data_dir().join(name);
    std::fs::write(&path, xml).unwrap();
    path.display().to_string()
}

fn colour(products: &[Value]) -> Value {
    let teapot = products.iter().find(|p| p["external_id"] == "p1").unwrap();
    teapot["properties"][0]["value"].clone()
}

/// Each product's (content_hash, source_hash).
async fn hashes(app: &TestApp) -> Vec<(Option<String>, Option<String>)> {
    let sql = "SELECT content_hash, source_hash FROM products ORDER BY external_id";
    match &app.db {
        vitrina_store::Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
        vitrina_store::Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
    }
}

app_test!(async fn a_renamed_reference_value_is_applied_though_the_products_bytes_are_the_same(app) {
    let first = write(app, "import.xml", &catalog("Красный", false));
    import(app, &[&first]).await.ok();
    assert_eq!(colour(&all_products(app, "").await), "Красный");

    let same = app.cli(&["--lang", "en", "import", "--tenant", "demo", "--no-progress", &first]).await.ok();
    assert!(same.contains("0 changed, 2 unchanged"), "{same}");

    // The classifier names the value anew; the products' own bytes are as before. Both are
    // read again; only the one using the value changed.
    let before = hashes(app).await;
    let renamed = write(app, "import.xml", &catalog("Бордовый", false));
    let out = app.cli(&["--lang", "en", "import", "--tenant", "demo", "--no-progress", &renamed]).await.ok();
    assert!(out.contains("1 changed, 1 unchanged"), "{out}");
    let products = all_products(app, "").await;
    assert_eq!(colour(&products), "Бордовый");
    let after = hashes(app).await;
    assert_ne!(after[0], before[0]);
    assert_eq!(after[1].0, before[1].0, "the mug says what it said");
    assert_ne!(after[1].1, before[1].1, "but is known by new circumstances");

    let again = app.cli(&["--lang", "en", "import", "--tenant", "demo", "--no-progress", &renamed]).await.ok();
    assert!(again.contains("0 changed, 2 unchanged"), "{again}");
    assert_eq!(hashes(app).await, after);
    assert_eq!(all_products(app, "").await, products);
});

app_test!(async fn rows_hashed_by_what_they_say_are_taken_over_without_counting_as_changes(app) {
    // With pictures taken from the exchange, a product is not known by its bytes (its pictures
    // are looked for in each pass's files): no source_hash, as every row before issue 16.
    let xml = write(app, "import.xml", &catalog("Красный", true));
    import(app, &[&xml]).await.ok();
    let stated = hashes(app).await;
    assert!(stated.iter().all(|(content, source)| content.is_some() && source.is_none()), "{stated:?}");

    // Pictures ignored: the rows may now be known by their bytes. Nothing is counted changed,
    // but each row takes its source_hash, once.
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.images", "off"]).await.ok();
    let before = all_products(app, "").await;
    let out = app.cli(&["--lang", "en", "import", "--tenant", "demo", "--no-progress", &xml]).await.ok();
    assert!(out.contains("0 new, 0 changed, 2 unchanged"), "{out}");
    let restamped = hashes(app).await;
    for ((content, source), (old_content, _)) in restamped.iter().zip(&stated) {
        assert_eq!(content, old_content);
        assert!(source.is_some(), "{restamped:?}");
    }
    assert_eq!(all_products(app, "").await, before, "nothing the storefront sees changed");

    let out = app.cli(&["--lang", "en", "import", "--tenant", "demo", "--no-progress", &xml]).await.ok();
    assert!(out.contains("0 new, 0 changed, 2 unchanged"), "{out}");
    assert_eq!(hashes(app).await, restamped);
});
