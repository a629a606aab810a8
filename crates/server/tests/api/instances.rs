//! Several `vitrina serve` processes on one PostgreSQL database and one S3 bucket (moto's S3
//! server, started here), each with an empty data folder of its own, behind no sticky
//! balancer: MoySklad's calls go to each instance in turn. One instance is killed with
//! SIGKILL at the first `progress`; the exchange still ends in `success`, and the survivor's
//! API equals expected.json.
//!
//! Needs PostgreSQL (`VITRINA_TEST_POSTGRES_URL`) and `moto_server` (`pip install
//! 'moto[server]'`); skipped with a message without them, unless `VITRINA_REQUIRE_S3=1`
//! (CI) makes their absence a failure.

use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};
use vitrina_store::Backend;
use vitrina_store::testing::TestDb;

use crate::catalog_expected::{Choice, assert_api_matches};
use crate::catalog_support::{all_products_at, generate, shared_dir};
use crate::exchange_restart::exchange;
use crate::helpers::{listening_port, start_binary_with};

const BUCKET: &str = "vitrina-test";

/// moto's S3 server on a free port of this machine; stopped when dropped.
struct S3 {
    _server: Child,
    endpoint: String,
}

/// Starts moto's server, or says why the test is skipped.
async fn start_s3() -> Option<S3> {
    let required = std::env::var("VITRINA_REQUIRE_S3").is_ok_and(|v| v == "1");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let spawned = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn();
    let server = match spawned {
        Ok(server) => server,
        Err(err) => {
            assert!(!required, "moto_server is required here: {err}");
            eprintln!("skipped: no moto_server ({err}); pip install 'moto[server]'");
            return None;
        }
    };
    let endpoint = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..300 {
        if client.get(&endpoint).send().await.is_ok() {
            // moto accepts unsigned requests: make the bucket.
            let made = client
                .put(format!("{endpoint}/{BUCKET}"))
                .send()
                .await
                .unwrap();
            assert!(made.status().is_success(), "bucket: {}", made.status());
            return Some(S3 {
                _server: server,
                endpoint,
            });
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("moto_server did not start");
}

/// The environment that points an instance at the bucket.
fn s3_env(s3: &S3) -> Vec<(&'static str, String)> {
    vec![
        ("VITRINA_STORAGE_URL", format!("s3://{BUCKET}/shops")),
        ("AWS_ENDPOINT_URL", s3.endpoint.clone()),
        ("AWS_ACCESS_KEY_ID", "test".into()),
        ("AWS_SECRET_ACCESS_KEY", "test".into()),
        ("AWS_REGION", "us-east-1".into()),
        ("AWS_ALLOW_HTTP", "true".into()),
    ]
}

#[tokio::test]
async fn instances_share_the_database_and_the_bucket_and_survive_a_kill() {
    if shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    let Some(test_db) = TestDb::new(Backend::Postgres).await else {
        return;
    };
    let Some(s3) = start_s3().await else {
        return;
    };
    let url = test_db.url.clone();
    let env = s3_env(&s3);
    crate::helpers::exchange_shop(&test_db.db, "shop").await;
    let catalog = tempfile::tempdir().unwrap();
    let expected = generate(
        catalog.path(),
        &["--products", "6000", "--seed", "17", "--image-share", "0"],
    );

    // Three instances, each with an empty folder of its own.
    let folders: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut instances: Vec<(Child, u16)> = Vec::new();
    for folder in &folders {
        let (child, printed) =
            start_binary_with(&url, folder.path(), &["--import-workers", "1"], &env).await;
        instances.push((child, listening_port(&printed)));
    }
    let ports: Vec<u16> = instances.iter().map(|(_, port)| *port).collect();
    let client = reqwest::Client::new();
    let mut turn = 0;
    let mut next = || {
        turn += 1;
        ports[turn % ports.len()]
    };

    assert!(
        exchange(&client, next(), "type=catalog&mode=checkauth", None)
            .await
            .starts_with("success\n")
    );
    assert!(
        exchange(&client, next(), "type=catalog&mode=init", None)
            .await
            .starts_with("zip=")
    );
    for name in ["import.xml", "offers.xml"] {
        let bytes = std::fs::read(catalog.path().join(name)).unwrap();
        for chunk in bytes.chunks(1 << 20) {
            let query = format!("type=catalog&mode=file&filename={name}");
            assert_eq!(
                exchange(&client, next(), &query, Some(chunk.to_vec())).await,
                "success\n"
            );
        }
    }
    // Each call to the next instance; the first to answer `progress` for import.xml dies.
    let mut killed = None;
    for name in ["import.xml", "offers.xml"] {
        let query = format!("type=catalog&mode=import&filename={name}");
        let mut answer = String::new();
        for _ in 0..2400 {
            let port = loop {
                let port = next();
                if Some(port) != killed {
                    break port;
                }
            };
            answer = exchange(&client, port, &query, None).await;
            if !answer.starts_with("progress\n") {
                break;
            }
            if killed.is_none() {
                let (child, _) = instances.iter_mut().find(|(_, p)| *p == port).unwrap();
                child.start_kill().unwrap();
                child.wait().await.unwrap();
                killed = Some(port);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            answer.starts_with(&format!("success\n{name}: ")),
            "{name}: {answer}"
        );
    }
    assert!(killed.is_some(), "an instance was killed mid-exchange");

    // What a survivor shows is exactly the generated catalog.
    let survivor = ports.iter().find(|p| Some(**p) != killed).unwrap();
    let address = format!("http://127.0.0.1:{survivor}");
    let products = all_products_at(&address, "shop.localhost", "").await;
    let categories: serde_json::Value = reqwest::Client::new()
        .get(format!("{address}/api/v1/categories"))
        .header("host", "shop.localhost")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_api_matches(&products, &categories, &expected, &Choice::default());
    // Nothing another instance needs was kept in any instance's own folder.
    for folder in &folders {
        let kept: Vec<_> = walk(folder.path());
        assert!(kept.is_empty(), "{kept:?}");
    }
    // Ready while the database and the bucket answer; not once the bucket is gone.
    let ready = |address: String| async move {
        let response = reqwest::get(format!("{address}/readyz")).await.unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    };
    assert_eq!(ready(address.clone()).await, (200, "ready".to_owned()));
    drop(s3);
    let (status, body) = ready(address.clone()).await;
    assert_eq!(status, 503, "{body}");
    let (status, _) = ready(address.replace("127.0.0.1", "localhost")).await;
    assert_eq!(status, 503, "on any host");
    let healthz = reqwest::get(format!("{address}/healthz")).await.unwrap();
    assert_eq!(healthz.status(), 200, "the process still serves");
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}
