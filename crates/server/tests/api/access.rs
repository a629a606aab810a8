//! Groups, permissions and tenant isolation, as the CLI sets them up and the domain reads them.

use vitrina::domain::permissions::{self, COMMERCEML_IMPORT};
use vitrina::domain::{employees, settings};
use vitrina::i18n::{Lang, Message};
use vitrina_store::TenantId;

use crate::app_test;
use crate::helpers::TestApp;

const PASSWORD: &str = "склад-пароль-2026";

async fn add_employee(app: &TestApp, tenant: &str, email: &str, admin_access: bool) {
    let mut args = vec![
        "employee",
        "create",
        "--tenant",
        tenant,
        "--email",
        email,
        "--password",
        PASSWORD,
    ];
    if admin_access {
        args.push("--admin-access");
    }
    app.cli(&args).await.ok();
}

async fn permission_keys(app: &TestApp, tenant: TenantId, email: &str) -> Vec<&'static str> {
    let employee = employees::find(&app.db, tenant, email).await.unwrap();
    permissions::effective(&app.db, &employee)
        .await
        .unwrap()
        .keys()
        .collect()
}

async fn tenant_id(app: &TestApp, slug: &str) -> TenantId {
    app.db.find_tenant_by_slug(slug).await.unwrap().id
}

app_test!(async fn permissions_are_the_union_over_an_employees_groups(app) {
    let demo = tenant_id(app, "demo").await;
    add_employee(app, "demo", "sklad@shop.ru", true).await;
    let group = |name: &'static str, keys: &'static [&'static str]| {
        let mut args = vec!["group", "create", "--tenant", "demo", "--name", name];
        for key in keys {
            args.extend(["--permission", key]);
        }
        async move { app.cli(&args).await.ok() }
    };
    group("МойСклад", &["integrations.commerceml_import"]).await;
    group("Каталог", &["catalog.view", "catalog.edit"]).await;
    assert!(permission_keys(app, demo, "sklad@shop.ru").await.is_empty(), "no group, no rights");
    for name in ["МойСклад", "Каталог"] {
        app.cli(&["group", "add-member", "--tenant", "demo", "--group", name, "--email", "SKLAD@shop.ru"])
            .await
            .ok();
    }
    assert_eq!(
        permission_keys(app, demo, "sklad@shop.ru").await,
        ["catalog.edit", "catalog.view", "integrations.commerceml_import"]
    );
    // The owner holds everything without any group.
    assert_eq!(permission_keys(app, demo, "admin@demo.localhost").await.len(), permissions::all().count());
});

app_test!(async fn blocked_employees_and_those_without_admin_access_have_no_permissions(app) {
    let demo = tenant_id(app, "demo").await;
    add_employee(app, "demo", "robot@shop.ru", false).await;
    add_employee(app, "demo", "ivan@shop.ru", true).await;
    app.cli(&["group", "create", "--tenant", "demo", "--name", "МойСклад", "--permission", COMMERCEML_IMPORT.key])
        .await
        .ok();
    for email in ["robot@shop.ru", "ivan@shop.ru"] {
        app.cli(&["group", "add-member", "--tenant", "demo", "--group", "МойСклад", "--email", email]).await.ok();
    }
    assert!(permission_keys(app, demo, "robot@shop.ru").await.is_empty(), "no admin-panel access");
    assert_eq!(permission_keys(app, demo, "ivan@shop.ru").await, [COMMERCEML_IMPORT.key]);

    app.cli(&["employee", "block", "--tenant", "demo", "--email", "ivan@shop.ru"]).await.ok();
    assert!(permission_keys(app, demo, "ivan@shop.ru").await.is_empty(), "blocked");
    let listed = app.cli(&["employee", "list", "--tenant", "demo"]).await.ok();
    assert!(listed.lines().any(|l| l.starts_with("ivan@shop.ru\t") && l.ends_with("\tblocked")));
    app.cli(&["employee", "unblock", "--tenant", "demo", "--email", "ivan@shop.ru"]).await.ok();
    assert_eq!(permission_keys(app, demo, "ivan@shop.ru").await, [COMMERCEML_IMPORT.key]);

    app.cli(&["employee", "block", "--tenant", "demo", "--email", "admin@demo.localhost"]).await.ok();
    assert!(permission_keys(app, demo, "admin@demo.localhost").await.is_empty(), "a blocked owner too");
});

app_test!(async fn bad_group_input_is_refused_and_writes_nothing(app) {
    let demo = tenant_id(app, "demo").await;
    let refused = app
        .cli(&["group", "create", "--tenant", "demo", "--name", "G", "--permission", "catalog.view", "--permission", "catalog.delete"])
        .await
        .refused();
    assert_eq!(refused, Message::UnknownPermission { key: "catalog.delete".into() }.text(Lang::Ru));
    assert!(app.db.list_groups(demo).await.unwrap().is_empty(), "no half-made group");
    app.cli(&["group", "create", "--tenant", "demo", "--name", "G"]).await.ok();
    let again = app.cli(&["group", "create", "--tenant", "demo", "--name", "G"]).await.refused();
    assert_eq!(again, Message::GroupExists { name: "G".into() }.text(Lang::Ru));
    let no_group = app
        .cli(&["group", "add-member", "--tenant", "demo", "--group", "H", "--email", "admin@demo.localhost"])
        .await
        .refused();
    assert_eq!(no_group, Message::UnknownGroup { name: "H".into() }.text(Lang::Ru));
});

app_test!(async fn a_tenant_never_sees_another_tenants_rows(app) {
    for slug in ["shop-a", "shop-b"] {
        app.cli(&["tenant", "create", slug]).await.ok();
    }
    add_employee(app, "shop-a", "anna@a.ru", true).await;
    add_employee(app, "shop-b", "boris@b.ru", true).await;
    app.cli(&["group", "create", "--tenant", "shop-a", "--name", "МойСклад", "--permission", COMMERCEML_IMPORT.key])
        .await
        .ok();
    app.cli(&["settings", "set", "--tenant", "shop-a", "commerceml.zip", "true"]).await.ok();

    let listed_a = app.cli(&["employee", "list", "--tenant", "shop-a"]).await.ok();
    assert!(listed_a.contains("anna@a.ru") && !listed_a.contains("boris@b.ru"));
    let listed_b = app.cli(&["employee", "list", "--tenant", "shop-b"]).await.ok();
    assert!(listed_b.contains("boris@b.ru") && !listed_b.contains("anna@a.ru"));

    // Another tenant's employee or group cannot be named.
    let foreign_member = app
        .cli(&["group", "add-member", "--tenant", "shop-a", "--group", "МойСклад", "--email", "boris@b.ru"])
        .await
        .refused();
    assert_eq!(foreign_member, Message::UnknownEmployee { email: "boris@b.ru".into() }.text(Lang::Ru));
    let foreign_group = app
        .cli(&["group", "add-member", "--tenant", "shop-b", "--group", "МойСклад", "--email", "boris@b.ru"])
        .await
        .refused();
    assert_eq!(foreign_group, Message::UnknownGroup { name: "МойСклад".into() }.text(Lang::Ru));
    let foreign_block = app.cli(&["employee", "block", "--tenant", "shop-b", "--email", "anna@a.ru"]).await;
    foreign_block.refused();
    let (a, b) = (tenant_id(app, "shop-a").await, tenant_id(app, "shop-b").await);
    assert!(!employees::find(&app.db, a, "anna@a.ru").await.unwrap().blocked);

    // Credentials only work in their own tenant.
    assert!(employees::verify_credentials(&app.db, b, "anna@a.ru", PASSWORD).await.unwrap().is_none());
    assert!(employees::verify_credentials(&app.db, a, "anna@a.ru", PASSWORD).await.unwrap().is_some());

    let zip = |tenant| {
        let db = app.db.clone();
        async move {
            settings::Settings::load(&db, tenant).await.unwrap().exchange.zip
        }
    };
    assert!(zip(a).await);
    assert!(!zip(b).await);
    assert_eq!(app.cli(&["settings", "get", "--tenant", "shop-b", "commerceml.zip"]).await.ok(), "commerceml.zip=false\n");
});
