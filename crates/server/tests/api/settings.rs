//! `vitrina settings`: every key with its effective value, validation, reset.

use vitrina::domain::settings::CATALOG;
use vitrina::i18n::{Lang, Message};

use crate::app_test;

app_test!(async fn every_setting_is_listed_with_its_default(app) {
    let all = app.cli(&["settings", "get", "--tenant", "demo"]).await.ok();
    let expected = "commerceml.zip=false\ncommerceml.file_limit=8388608\n\
        commerceml.max_file_bytes=2147483648\ncommerceml.max_batch_bytes=8589934592\n\
        commerceml.keep_batches_days=7\ncommerceml.root_group=\ncommerceml.price_type=\n\
        commerceml.warehouses=\ncommerceml.images=keep_admin\ncommerceml.deactivate_missing=true\n\
        commerceml.match_by_sku=false\ncommerceml.orders=false\ncommerceml.orders_encoding=utf-8\norders.allow_oversell=true\n\
        orders.first_number=1001\norders.pickup_alert_hours=2\ncatalog.brake_offsale_percent=30\ncatalog.brake_unpriced_percent=30\n\
        catalog.brake_pictures_percent=30\ncatalog.history_days=14\n\
        catalog.hide_without_stock=false\ncatalog.hide_without_price=false\ncatalog.hide_without_pictures=false\n\
        alerts.webhook_url=\nalerts.webhook_secret=\nalerts.email_to=\nalerts.smtp_host=\nalerts.smtp_port=587\n\
        alerts.smtp_tls=starttls\nalerts.smtp_login=\nalerts.smtp_password=\nalerts.smtp_from=\n\
        alerts.no_exchange_hours=3\n";
    assert_eq!(all, expected);
    assert_eq!(all.lines().count(), CATALOG.len());
});

app_test!(async fn settings_are_set_read_and_reset(app) {
    let get = |key: &'static str| async move { app.cli(&["settings", "get", "--tenant", "demo", key]).await.ok() };
    let set = |key: &'static str, value: &'static str| async move {
        app.cli(&["settings", "set", "--tenant", "demo", key, value]).await
    };
    set("commerceml.file_limit", "1048576").await.ok();
    set("commerceml.warehouses", "wh-1,wh-2").await.ok();
    set("commerceml.price_type", "Розничная цена").await.ok();
    assert_eq!(get("commerceml.file_limit").await, "commerceml.file_limit=1048576\n");
    assert_eq!(get("commerceml.warehouses").await, "commerceml.warehouses=wh-1,wh-2\n");
    assert_eq!(get("commerceml.price_type").await, "commerceml.price_type=Розничная цена\n");
    set("commerceml.file_limit", "").await.ok();
    assert_eq!(get("commerceml.file_limit").await, "commerceml.file_limit=8388608\n");
});

app_test!(async fn bad_settings_are_refused_in_one_line_and_change_nothing(app) {
    let set = |key: &'static str, value: &'static str| async move {
        app.cli(&["settings", "set", "--tenant", "demo", key, value]).await
    };
    let expected = |key: &str, value: &str, expected: Message| {
        Message::InvalidSettingValue { key: key.into(), value: value.into(), expected: Box::new(expected) }
            .text(Lang::Ru)
    };
    assert_eq!(set("commerceml.zip", "yes").await.refused(), expected("commerceml.zip", "yes", Message::ExpectedBool));
    assert_eq!(
        set("commerceml.file_limit", "8M").await.refused(),
        expected("commerceml.file_limit", "8M", Message::ExpectedBytes)
    );
    assert_eq!(
        set("commerceml.images", "all").await.refused(),
        expected("commerceml.images", "all", Message::ExpectedChoice { choices: "keep_admin, replace, off".into() })
    );
    assert_eq!(
        set("commerceml.warehouses", "a, b").await.refused(),
        expected("commerceml.warehouses", "a, b", Message::ExpectedList)
    );
    let unknown = Message::UnknownSetting { key: "commerceml.zipp".into() }.text(Lang::Ru);
    assert_eq!(set("commerceml.zipp", "true").await.refused(), unknown);
    assert_eq!(app.cli(&["settings", "get", "--tenant", "demo", "commerceml.zipp"]).await.refused(), unknown);
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    assert!(app.db.tenant_settings(tenant).await.unwrap().is_empty(), "nothing was stored");
});
