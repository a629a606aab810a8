//! The log a real server writes: with `RUST_LOG=…,vitrina_store=debug` and JSON lines, a store
//! call a handler makes shows under the request's span (its `X-Request-Id` and tenant) and the
//! handler's, with the store call's own tenant and time.

use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use vitrina_store::Backend;
use vitrina_store::testing::TestDb;

use crate::helpers::{listening_port, start_binary_logging};

#[tokio::test]
async fn a_store_call_is_logged_under_its_request_and_handler() {
    let test_db = TestDb::new(Backend::Sqlite).await.unwrap();
    let envs = [
        ("RUST_LOG", "info,vitrina_store=debug".to_owned()),
        ("VITRINA_LOG_FORMAT", "json".to_owned()),
        ("VITRINA_LOG_SPANS", "close".to_owned()),
    ];
    let data_dir = test_db.dir.path().join("data");
    let (mut server, printed) =
        start_binary_logging(&test_db.url, &data_dir, &[], &envs, Stdio::piped()).await;
    let port = listening_port(&printed);
    let answer = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/api/v1/categories"))
        .header("host", "demo.localhost")
        .header("x-request-id", "log-test-42")
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.headers()["x-request-id"], "log-test-42");

    let mut lines = BufReader::new(server.stderr.take().unwrap()).lines();
    let found = tokio::time::timeout(Duration::from_secs(20), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let Ok(entry) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            let from_store = entry["target"]
                .as_str()
                .is_some_and(|t| t.starts_with("vitrina_store"));
            let spans = entry["spans"].as_array().cloned().unwrap_or_default();
            let request = spans.iter().find(|s| s["name"] == "request");
            let in_handler = spans.iter().any(|s| s["name"] == "categories");
            if from_store && in_handler && request.is_some_and(|r| r["request_id"] == "log-test-42")
            {
                return Some(entry);
            }
        }
        None
    })
    .await
    .expect("the log goes on")
    .expect("a store call of the request was logged");
    let spans = found["spans"].as_array().unwrap();
    let request = &spans[0];
    assert_eq!(
        (request["name"].as_str(), request["tenant"].as_str()),
        (Some("request"), Some("demo")),
        "{found}"
    );
    assert!(
        found["span"]["tenant"].is_string() || found["span"]["tenant"].is_number(),
        "the store call names its tenant: {found}"
    );
    assert_eq!(found["fields"]["message"], "close", "{found}");
    assert!(
        found["fields"]["time.busy"].is_string(),
        "with its time: {found}"
    );
    server.kill().await.ok();
}
