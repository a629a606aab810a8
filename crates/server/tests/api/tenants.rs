//! Which tenant a request reaches, by its Host header.

use reqwest::StatusCode;
use serde_json::Value;

use crate::app_test;
use crate::helpers::TestApp;

/// The slug `GET /api/v1/shop` answers with on `host`.
async fn slug_at(app: &TestApp, host: &str) -> String {
    let response = app.get(host, "/api/v1/shop").await;
    assert_eq!(response.status(), StatusCode::OK, "host {host}");
    let body: Value = response.json().await.unwrap();
    body["slug"].as_str().unwrap().to_owned()
}

app_test!(async fn subdomains_name_their_tenant(app) {
    assert_eq!(slug_at(app, "demo.localhost").await, "demo");
    // Created by the CLI while the server runs: served at once, no restart.
    app.cli(&["tenant", "create", "shop1", "--name", "Магазин 1"]).await.ok();
    assert_eq!(slug_at(app, "shop1.localhost").await, "shop1");
    assert_eq!(slug_at(app, "SHOP1.LocalHost:8080").await, "shop1");
    assert_eq!(slug_at(app, "shop1.localhost.").await, "shop1");
    let body: Value = app.get("shop1.localhost", "/api/v1/shop").await.json().await.unwrap();
    assert_eq!(body["name"], "Магазин 1");
});

app_test!(async fn own_host_names_serve_their_tenant(app) {
    app.cli(&["tenant", "create", "shop1"]).await.ok();
    assert_eq!(slug_at(app, "shop.example.com").await, "demo", "not claimed yet");
    let out = app.cli(&["tenant", "add-host", "shop1", "Shop.Example.COM."]).await.ok();
    assert!(out.contains("shop.example.com"));
    assert_eq!(slug_at(app, "shop.example.com").await, "shop1");
    assert_eq!(slug_at(app, "SHOP.example.com:443").await, "shop1");
    let refused = app.cli(&["tenant", "add-host", "demo", "shop.example.com"]).await.refused();
    assert!(refused.contains("shop.example.com"), "{refused}");
    let listed = app.cli(&["tenant", "list"]).await.ok();
    assert!(listed.lines().any(|l| l.starts_with("shop1\t") && l.ends_with("shop.example.com")));
});

app_test!(async fn hosts_outside_the_base_domain_get_the_default_tenant(app) {
    let ip_host = format!("127.0.0.1:{}", app.port);
    for host in [ip_host.as_str(), "localhost", "LOCALHOST:8080", "[::1]:8080", "www.unrelated.org"] {
        assert_eq!(slug_at(app, host).await, "demo", "host {host}");
    }
});

app_test!(async fn unknown_slugs_are_never_served_by_the_default_tenant(app) {
    let api = app.get("nope.localhost", "/api/v1/shop").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "unknown_tenant");
    assert!(body["error"]["message"].as_str().unwrap().contains("nope"));

    let exchange = app.get("nope.localhost", "/rest/integration/1c_exchange.php?type=catalog&mode=checkauth").await;
    assert_eq!(exchange.status(), StatusCode::NOT_FOUND);
    assert!(exchange.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = exchange.text().await.unwrap();
    assert!(text.starts_with("failure\n") && text.contains("nope"), "{text}");

    let page = app.get("nope.localhost", "/admin").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(page.text().await.unwrap().contains("nope"));

    // A name deeper than one label under the base domain names no tenant either.
    assert_eq!(app.get("a.demo.localhost", "/api/v1/shop").await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get("-bad-.localhost", "/api/v1/shop").await.status(), StatusCode::NOT_FOUND);
});

app_test!(async fn errors_speak_the_readers_language(app) {
    let english = app
        .http
        .get(format!("{}/api/v1/shop", app.address))
        .header("host", "nope.localhost")
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    let body: Value = english.json().await.unwrap();
    assert!(body["error"]["message"].as_str().unwrap().starts_with("No shop \"nope\""));
    let russian: Value = app.get("nope.localhost", "/api/v1/shop").await.json().await.unwrap();
    assert!(russian["error"]["message"].as_str().unwrap().starts_with("Магазин «nope» не найден"));
});

app_test!(async fn unknown_paths_are_not_found_in_the_form_of_their_area(app) {
    let api = app.get("demo.localhost", "/api/v1/nothing").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    let page = app.get("demo.localhost", "/nothing").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("/nothing"));
    assert_eq!(app.get("nope.localhost", "/healthz").await.text().await.unwrap(), "ok");
});

#[tokio::test]
async fn the_default_tenant_flag_overrides_the_stored_default() {
    let app = TestApp::spawn_with(vitrina_store::Backend::Sqlite, Some("main-shop"))
        .await
        .unwrap();
    // Until the named tenant exists, a foreign host has nowhere to go.
    let missing = app.get("127.0.0.1", "/api/v1/shop").await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    app.cli(&["tenant", "create", "main-shop"]).await.ok();
    assert_eq!(slug_at(&app, "127.0.0.1").await, "main-shop");
    assert_eq!(slug_at(&app, "demo.localhost").await, "demo");
}

#[tokio::test]
async fn request_ids_are_returned() {
    let app = TestApp::spawn(vitrina_store::Backend::Sqlite)
        .await
        .unwrap();
    let response = app.get("demo.localhost", "/api/v1/shop").await;
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert_eq!(id.len(), 36, "a UUID: {id}");
}
