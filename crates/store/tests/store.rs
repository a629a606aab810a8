//! The store's behaviour, run against SQLite and (when configured) PostgreSQL alike.

use vitrina_store::{Db, NewEmployee, StoreError, TenantId, db_test};

fn employee<'a>(email: &'a str, email_key: &'a str) -> NewEmployee<'a> {
    NewEmployee {
        email,
        email_key,
        name: "Тест",
        password_hash: "$argon2id$not-a-real-hash",
        admin_access: true,
        is_owner: false,
    }
}

async fn two_tenants(db: &Db) -> (TenantId, TenantId) {
    let a = db.create_tenant("shop-a", "Магазин А").await.unwrap();
    let b = db.create_tenant("shop-b", "Магазин Б").await.unwrap();
    (a.id, b.id)
}

db_test!(async fn tenant_slugs_and_hosts_are_unique(t) {
    let db = &t.db;
    let (a, b) = two_tenants(db).await;
    assert!(matches!(db.create_tenant("shop-a", "again").await, Err(StoreError::Conflict)));
    db.add_tenant_host(a, "shop.example.com").await.unwrap();
    assert!(matches!(db.add_tenant_host(b, "shop.example.com").await, Err(StoreError::Conflict)));
    assert_eq!(db.find_tenant_by_host("shop.example.com").await.unwrap().id, a);
    assert!(matches!(db.find_tenant_by_host("other.example.com").await, Err(StoreError::NotFound)));
    assert_eq!(db.find_tenant_by_slug("shop-b").await.unwrap().name, "Магазин Б");
    let slugs: Vec<_> = db.list_tenants().await.unwrap().into_iter().map(|t| t.slug).collect();
    assert_eq!(slugs, ["shop-a", "shop-b"]);
    assert_eq!(db.list_tenant_hosts(a).await.unwrap(), ["shop.example.com"]);
    assert!(db.list_tenant_hosts(b).await.unwrap().is_empty());
});

db_test!(async fn the_default_tenant_is_seeded_once(t) {
    let db = &t.db;
    assert_eq!(db.default_tenant_slug().await.unwrap(), None);
    let owner = NewEmployee { is_owner: true, ..employee("admin@demo.localhost", "admin@demo.localhost") };
    let (tenant, admin) = db.seed_default_tenant("demo", "Demo", &owner).await.unwrap().unwrap();
    assert_eq!(tenant.slug, "demo");
    assert!(admin.is_owner);
    assert_eq!(admin.tenant_id, tenant.id);
    assert_eq!(db.default_tenant_slug().await.unwrap().as_deref(), Some("demo"));
    // A second seeding (another process starting at the same time) writes nothing.
    assert!(db.seed_default_tenant("demo2", "Demo", &owner).await.unwrap().is_none());
    assert_eq!(db.list_tenants().await.unwrap().len(), 1);
});

db_test!(async fn employees_are_unique_per_tenant_and_invisible_to_others(t) {
    let db = &t.db;
    let (a, b) = two_tenants(db).await;
    let created = db.create_employee(a, &employee("Ivan@Shop.ru", "ivan@shop.ru")).await.unwrap();
    assert_eq!(created.email, "Ivan@Shop.ru");
    assert!(!created.blocked);
    let again = db.create_employee(a, &employee("IVAN@shop.ru", "ivan@shop.ru")).await;
    assert!(matches!(again, Err(StoreError::Conflict)));
    // The same address is free in another tenant, and each tenant sees only its own.
    let other = db.create_employee(b, &employee("ivan@shop.ru", "ivan@shop.ru")).await.unwrap();
    assert_ne!(other.id, created.id);
    assert_eq!(db.find_employee_by_email(a, "ivan@shop.ru").await.unwrap().id, created.id);
    assert_eq!(db.find_employee_by_email(b, "ivan@shop.ru").await.unwrap().id, other.id);
    assert!(matches!(db.find_employee(b, created.id).await, Err(StoreError::NotFound)));
    assert_eq!(db.list_employees(a).await.unwrap().len(), 1);
    // Updates through the wrong tenant touch nothing.
    assert!(matches!(db.set_employee_blocked(b, created.id, true).await, Err(StoreError::NotFound)));
    assert!(matches!(db.set_employee_password(b, created.id, "x").await, Err(StoreError::NotFound)));
    assert!(!db.find_employee(a, created.id).await.unwrap().blocked);
    db.set_employee_blocked(a, created.id, true).await.unwrap();
    db.set_employee_password(a, created.id, "new-hash").await.unwrap();
    let reloaded = db.find_employee(a, created.id).await.unwrap();
    assert!(reloaded.blocked);
    assert_eq!(reloaded.password_hash, "new-hash");
});

db_test!(async fn permissions_are_the_union_over_groups(t) {
    let db = &t.db;
    let (a, _) = two_tenants(db).await;
    let ivan = db.create_employee(a, &employee("ivan@shop.ru", "ivan@shop.ru")).await.unwrap();
    let sync = db
        .create_group(a, "МойСклад", &["integrations.commerceml_import", "catalog.view"])
        .await
        .unwrap();
    let editors = db.create_group(a, "Редакторы", &["catalog.edit", "catalog.view"]).await.unwrap();
    assert!(db.granted_permissions(a, ivan.id).await.unwrap().is_empty());
    db.add_group_member(a, sync.id, ivan.id).await.unwrap();
    db.add_group_member(a, sync.id, ivan.id).await.unwrap(); // twice is once
    db.add_group_member(a, editors.id, ivan.id).await.unwrap();
    assert_eq!(
        db.granted_permissions(a, ivan.id).await.unwrap(),
        ["catalog.edit", "catalog.view", "integrations.commerceml_import"]
    );
    db.set_group_permissions(a, editors.id, &["orders.view"]).await.unwrap();
    db.remove_group_member(a, sync.id, ivan.id).await.unwrap();
    assert_eq!(db.granted_permissions(a, ivan.id).await.unwrap(), ["orders.view"]);
    assert_eq!(db.group_members(a, editors.id).await.unwrap(), [ivan.id]);
    assert!(matches!(db.create_group(a, "МойСклад", &[]).await, Err(StoreError::Conflict)));
});

db_test!(async fn groups_cannot_reach_across_tenants(t) {
    let db = &t.db;
    let (a, b) = two_tenants(db).await;
    let ivan = db.create_employee(a, &employee("ivan@shop.ru", "ivan@shop.ru")).await.unwrap();
    let group_b = db.create_group(b, "МойСклад", &["catalog.view"]).await.unwrap();
    // Tenant B's group with tenant A's employee, under either tenant id: refused by the schema.
    assert!(db.add_group_member(b, group_b.id, ivan.id).await.is_err());
    assert!(db.add_group_member(a, group_b.id, ivan.id).await.is_err());
    assert!(db.granted_permissions(a, ivan.id).await.unwrap().is_empty());
    assert!(matches!(db.find_group_by_name(a, "МойСклад").await, Err(StoreError::NotFound)));
    assert!(matches!(
        db.set_group_permissions(a, group_b.id, &["orders.view"]).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(db.group_permissions(b, group_b.id).await.unwrap(), ["catalog.view"]);
    assert!(db.list_groups(a).await.unwrap().is_empty());
});

db_test!(async fn settings_are_per_tenant_and_reset_to_default(t) {
    let db = &t.db;
    let (a, b) = two_tenants(db).await;
    db.set_tenant_setting(a, "commerceml.zip", Some("true")).await.unwrap();
    db.set_tenant_setting(a, "commerceml.zip", Some("false")).await.unwrap();
    db.set_tenant_setting(a, "commerceml.file_limit", Some("1000")).await.unwrap();
    let a_settings = db.tenant_settings(a).await.unwrap();
    assert_eq!(a_settings.get("commerceml.zip").map(String::as_str), Some("false"));
    assert_eq!(a_settings.len(), 2);
    assert!(db.tenant_settings(b).await.unwrap().is_empty());
    db.set_tenant_setting(a, "commerceml.zip", None).await.unwrap();
    assert_eq!(db.tenant_settings(a).await.unwrap().len(), 1);
});

db_test!(async fn sign_in_attempts_count_atomically_per_window(t) {
    let db = &t.db;
    // Twenty attempts at once: each sees its own count, none is lost.
    let attempts = (0..20).map(|_| db.count_sign_in_attempt("exchange:address:203.0.113.7", 1_000));
    let mut counts: Vec<i64> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<_>>());
    db.uncount_sign_in_attempt("exchange:address:203.0.113.7").await.unwrap();
    assert_eq!(db.sign_in_failures("exchange:address:203.0.113.7", 1_000).await.unwrap(), 19);
    // A later window starts again; the old one is not counted in it, and is forgotten.
    assert_eq!(db.count_sign_in_attempt("exchange:address:203.0.113.7", 2_000).await.unwrap(), 1);
    assert_eq!(db.count_sign_in_attempt("admin:address:203.0.113.8", 1_000).await.unwrap(), 1);
    assert_eq!(db.sign_in_failures("admin:address:203.0.113.8", 2_000).await.unwrap(), 0);
    db.forget_sign_in_failures(2_000).await.unwrap();
    assert_eq!(db.sign_in_failures("admin:address:203.0.113.8", 0).await.unwrap(), 0);
    assert_eq!(db.sign_in_failures("exchange:address:203.0.113.7", 2_000).await.unwrap(), 1);
});

/// Runs `sql` with (`tenant`, `id`) bound, on whichever database `db` is.
async fn run(db: &Db, sql: &str, tenant: i64, id: &str) -> Result<u64, sqlx::Error> {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match db {
        Db::Sqlite(pool) => sqlx::query(sql)
            .bind(tenant)
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()),
        Db::Postgres(pool) => sqlx::query(sql)
            .bind(tenant)
            .bind(id)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()),
    }
}

db_test!(async fn catalog_rows_belong_to_a_tenant_that_exists_and_tenants_are_kept(t) {
    // PostgreSQL checks the catalog's tenants once per statement, not with a foreign key; the
    // guarantee must be the same on both databases.
    let (a, b) = two_tenants(&t.db).await;
    let nobody = 987_654;
    for (table, insert) in [
        ("products", "INSERT INTO products (tenant_id, external_id, active, created_at, updated_at) VALUES ($1, $2, TRUE, 0, 0)"),
        ("offers", "INSERT INTO offers (tenant_id, external_id, product_external_id, active, updated_at) VALUES ($1, $2, 'p', TRUE, 0)"),
    ] {
        assert_eq!(run(&t.db, insert, a.0, "x").await.unwrap(), 1, "{table}");
        assert!(run(&t.db, insert, nobody, "y").await.is_err(), "{table}: a row of no tenant");
        let moved = format!("UPDATE {table} SET tenant_id = $1 WHERE external_id = $2");
        assert!(run(&t.db, &moved, nobody, "x").await.is_err(), "{table}: moved to no tenant");
    }
    let deleted = run(&t.db, "DELETE FROM tenants WHERE id = $1 AND slug <> $2", b.0, "").await;
    assert!(deleted.is_err(), "tenants are never deleted");
    let renumbered = run(&t.db, "UPDATE tenants SET id = $1 WHERE slug = $2", nobody, "shop-b").await;
    assert!(renumbered.is_err(), "tenants are never renumbered");
});
