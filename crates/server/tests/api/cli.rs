//! The administration CLI: employees, passwords, tenants; clear one-line refusals.

use vitrina::domain::employees;
use vitrina::i18n::{Lang, Message};

use crate::app_test;
use crate::helpers::TestApp;

async fn demo_id(app: &TestApp) -> vitrina_store::TenantId {
    app.db.find_tenant_by_slug("demo").await.unwrap().id
}

app_test!(async fn employees_are_created_and_their_passwords_verify(app) {
    let tenant = demo_id(app).await;
    let out = app
        .cli(&[
            "employee", "create", "--tenant", "demo", "--email", "Ivan@Shop.ru",
            "--password", "склад-пароль-2026", "--name", "Иван", "--admin-access",
        ])
        .await
        .ok();
    assert!(out.contains("Ivan@Shop.ru"));
    let listed = app.cli(&["employee", "list", "--tenant", "demo"]).await.ok();
    let row = listed.lines().find(|l| l.starts_with("Ivan@Shop.ru\t")).expect("listed");
    assert_eq!(row, "Ivan@Shop.ru\tИван\tadmin-access\tactive");
    assert!(listed.lines().any(|l| l.starts_with("admin@demo.localhost\t") && l.ends_with("owner")));

    let stored = app.db.find_employee_by_email(tenant, "ivan@shop.ru").await.unwrap();
    assert!(stored.password_hash.starts_with("$argon2id$"), "stored as Argon2id, never plain");
    let verify = |email: &'static str, password: &'static str| {
        let db = app.db.clone();
        async move { employees::verify_credentials(&db, tenant, email, password).await.unwrap() }
    };
    assert_eq!(verify("IVAN@shop.RU", "склад-пароль-2026").await.map(|e| e.id), Some(stored.id));
    assert!(verify("ivan@shop.ru", "склад-пароль-2027").await.is_none());
    assert!(verify("nobody@shop.ru", "склад-пароль-2026").await.is_none());

    app.cli_with_stdin(
        &["employee", "set-password", "--tenant", "demo", "--email", "ivan@shop.ru", "--password-stdin"],
        Some("новый-пароль-2026\n"),
    )
    .await
    .ok();
    assert!(verify("ivan@shop.ru", "склад-пароль-2026").await.is_none());
    assert!(verify("ivan@shop.ru", "новый-пароль-2026").await.is_some());
});

app_test!(async fn bad_employee_input_is_refused_in_one_line_and_writes_nothing(app) {
    let create = |email: &'static str, password: &'static str| {
        let args = ["employee", "create", "--tenant", "demo", "--email", email, "--password", password];
        async move { app.cli(&args).await }
    };
    create("ivan@shop.ru", "склад-пароль-2026").await.ok();
    assert_eq!(
        create("IVAN@SHOP.RU", "другой-пароль-2026").await.refused(),
        Message::EmailTaken { email: "IVAN@SHOP.RU".into() }.text(Lang::Ru)
    );
    assert_eq!(create("petr@shop.ru", "").await.refused(), Message::EmptyPassword.text(Lang::Ru));
    assert_eq!(
        create("petr@shop.ru", "short").await.refused(),
        Message::PasswordTooShort { min: 8 }.text(Lang::Ru)
    );
    assert_eq!(create("petr@shop.ru", "12345678").await.refused(), Message::PasswordTooSimple.text(Lang::Ru));
    assert!(create("not-an-email", "склад-пароль-2026").await.refused().contains("not-an-email"));
    let unknown_tenant = app
        .cli(&["employee", "create", "--tenant", "nope", "--email", "a@b.ru", "--password", "склад-пароль-2026"])
        .await
        .refused();
    assert_eq!(unknown_tenant, Message::UnknownTenant { slug: "nope".into() }.text(Lang::Ru));
    let english = app
        .cli(&["--lang", "en", "employee", "block", "--tenant", "demo", "--email", "ghost@shop.ru"])
        .await
        .refused();
    assert_eq!(english, "No employee with the email ghost@shop.ru");
    let emails: Vec<_> = app.db.list_employees(demo_id(app).await).await.unwrap().into_iter().map(|e| e.email).collect();
    assert_eq!(emails, ["admin@demo.localhost", "ivan@shop.ru"]);
});

app_test!(async fn tenants_are_created_listed_and_validated(app) {
    app.cli(&["tenant", "create", "shop-2", "--name", "Второй магазин"]).await.ok();
    let listed = app.cli(&["tenant", "list"]).await.ok();
    let slugs: Vec<_> = listed.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(slugs, ["demo", "shop-2"]);
    assert!(listed.contains("Второй магазин"));
    let taken = app.cli(&["tenant", "create", "shop-2"]).await.refused();
    assert_eq!(taken, Message::TenantExists { slug: "shop-2".into() }.text(Lang::Ru));
    for bad in ["Shop", "shop_2", "shop-", "магазин"] {
        let refused = app.cli(&["tenant", "create", bad]).await.refused();
        assert_eq!(refused, Message::InvalidSlug { slug: bad.into() }.text(Lang::Ru));
    }
    assert!(app.cli(&["tenant", "add-host", "nope", "x.example.com"]).await.refused().contains("nope"));
    assert!(app.cli(&["tenant", "add-host", "demo", "bad_host"]).await.refused().contains("bad_host"));
    assert_eq!(app.db.list_tenants().await.unwrap().len(), 2);
});

app_test!(async fn flags_can_come_from_the_environment(app) {
    // The same storage flags as `serve`, read from VITRINA_* variables.
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_vitrina"))
        .args(["tenant", "list"])
        .env("VITRINA_DATABASE_URL", app.database_url())
        .env("VITRINA_DATA_DIR", std::env::temp_dir())
        .output()
        .await
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("demo\t"));
});
