//! A server killed with SIGKILL in the middle of an exchange import, then started again: the
//! catalog is the old one, the job is reported interrupted, and a re-run succeeds.

use std::time::Duration;

use tokio::process::{Child, Command};
use vitrina_store::testing::TestDb;
use vitrina_store::{Backend, JobState};

use crate::catalog_support::{generate, shared_dir};
use crate::exchange_client::ExchangeClient;
use crate::helpers::{listening_port, start_binary};

use crate::helpers::EXCHANGE_PASSWORD as PASSWORD;

/// Starts `vitrina serve` on a random port; the child and its port.
async fn serve(url: &str, data: &std::path::Path) -> (Child, u16) {
    let (child, printed) = start_binary(url, data).await;
    (child, listening_port(&printed))
}

/// One exchange call of the shop's employee to the instance on `port` (Basic on every call).
pub(crate) async fn exchange(
    client: &reqwest::Client,
    port: u16,
    query: &str,
    body: Option<Vec<u8>>,
) -> String {
    let server = format!("http://127.0.0.1:{port}");
    let moysklad =
        ExchangeClient::new(client, &server, "shop.localhost").basic("sklad@shop.ru", PASSWORD);
    moysklad.send(query, body).await.text()
}

/// A shop with its exchange employee on a fresh database, and an 8000-product catalog.
async fn prepare(backend: Backend) -> Option<(TestDb, String, std::path::PathBuf, Vec<u8>)> {
    if shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return None;
    }
    let test_db = TestDb::new(backend).await?;
    let (url, data) = (test_db.url.clone(), test_db.dir.path().join("data"));
    crate::helpers::exchange_shop(&test_db.db, "shop").await;
    let catalog = tempfile::tempdir().unwrap();
    generate(
        catalog.path(),
        &["--products", "8000", "--seed", "41", "--image-share", "0"],
    );
    let import_xml = std::fs::read(catalog.path().join("import.xml")).unwrap();
    Some((test_db, url, data, import_xml))
}

async fn run(backend: Backend) {
    let Some((test_db, url, data, import_xml)) = prepare(backend).await else {
        return;
    };
    let client = reqwest::Client::new();
    let (mut server, port) = serve(&url, &data).await;
    assert!(
        exchange(&client, port, "type=catalog&mode=checkauth", None)
            .await
            .starts_with("success\n")
    );
    exchange(&client, port, "type=catalog&mode=init", None).await;
    for chunk in import_xml.chunks(1 << 20) {
        assert_eq!(
            exchange(
                &client,
                port,
                "type=catalog&mode=file&filename=import.xml",
                Some(chunk.to_vec())
            )
            .await,
            "success\n"
        );
    }
    let first = exchange(
        &client,
        port,
        "type=catalog&mode=import&filename=import.xml",
        None,
    )
    .await;
    assert!(first.starts_with("progress\n"), "{first}");
    tokio::time::sleep(Duration::from_millis(150)).await;
    server.start_kill().unwrap();
    server.wait().await.unwrap();

    let tenant = test_db.db.find_tenant_by_slug("shop").await.unwrap().id;
    let active = |db: vitrina_store::Db| async move {
        db.product_states(tenant)
            .await
            .unwrap()
            .into_iter()
            .filter(|s| s.active)
            .count()
    };
    let after_kill = active(test_db.db.clone()).await;
    eprintln!("active products after the kill: {after_kill}");
    assert!(
        after_kill == 0 || after_kill > 7000,
        "old or new, never a mix: {after_kill}"
    );

    let (_server, port) = serve(&url, &data).await;
    // The restart took the job back before any client asked: done if its import had
    // committed, else queued to run again from the stored upload.
    let jobs = test_db.db.exchange_imports(tenant, "").await.unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    if after_kill > 0 {
        assert_eq!(jobs[0].state, JobState::Done, "{jobs:?}");
    } else {
        assert_ne!(jobs[0].state, JobState::Failed, "{jobs:?}");
    }
    // The client polling on sees progress, then success: never a failure it did not cause.
    let mut answers = Vec::new();
    for _ in 0..1200 {
        let answer = exchange(
            &client,
            port,
            "type=catalog&mode=import&filename=import.xml",
            None,
        )
        .await;
        let waiting = answer.starts_with("progress\n");
        answers.push(answer);
        if !waiting {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let last = answers.last().unwrap();
    assert!(last.starts_with("success\n"), "{answers:?}");
    assert!(
        answers.iter().all(|a| !a.starts_with("failure")),
        "{answers:?}"
    );
    assert!(active(test_db.db.clone()).await > 7000);
}

#[tokio::test]
async fn server_killed_during_an_import_on_sqlite() {
    run(Backend::Sqlite).await;
}

#[tokio::test]
async fn server_killed_during_an_import_on_postgres() {
    run(Backend::Postgres).await;
}

/// SIGTERM mid-import: the job goes back to the queue at once (not failed, not left running),
/// and the next instance runs it to success.
async fn terminated(backend: Backend) {
    let Some((test_db, url, data, import_xml)) = prepare(backend).await else {
        return;
    };
    let client = reqwest::Client::new();
    let (server, port) = serve(&url, &data).await;
    exchange(&client, port, "type=catalog&mode=init", None).await;
    let upload = "type=catalog&mode=file&filename=import.xml";
    assert_eq!(
        exchange(&client, port, upload, Some(import_xml)).await,
        "success\n"
    );
    let import = "type=catalog&mode=import&filename=import.xml";
    assert!(
        exchange(&client, port, import, None)
            .await
            .starts_with("progress\n")
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    let pid = server.id().unwrap().to_string();
    let sent = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap();
    assert!(sent.success());
    let mut server = server;
    let status = tokio::time::timeout(Duration::from_secs(30), server.wait())
        .await
        .expect("the server stops within its patience")
        .unwrap();
    assert!(status.success(), "a clean stop: {status}");
    let tenant = test_db.db.find_tenant_by_slug("shop").await.unwrap().id;
    let jobs = test_db.db.exchange_imports(tenant, "").await.unwrap();
    assert!(
        jobs[0].state == JobState::Queued || jobs[0].state == JobState::Done,
        "handed back, not failed: {jobs:?}"
    );
    let (_server, port) = serve(&url, &data).await;
    let mut answer = String::new();
    for _ in 0..1200 {
        answer = exchange(&client, port, import, None).await;
        if !answer.starts_with("progress\n") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(answer.starts_with("success\n"), "{answer}");
}

#[tokio::test]
async fn server_terminated_during_an_import_on_sqlite() {
    terminated(Backend::Sqlite).await;
}

#[tokio::test]
async fn server_terminated_during_an_import_on_postgres() {
    terminated(Backend::Postgres).await;
}

/// The operator's /metrics on its own address: calls by mode and outcome, jobs, the queue, the
/// pools; never on the shops' address.
#[tokio::test]
async fn the_operator_reads_metrics_on_their_own_address() {
    let Some((_test_db, url, data, import_xml)) = prepare(Backend::Sqlite).await else {
        return;
    };
    let (_server, printed) =
        crate::helpers::start_binary_with(&url, &data, &["--metrics-listen", "127.0.0.1:0"], &[])
            .await;
    let port = listening_port(&printed);
    let metrics_at = printed
        .iter()
        .find_map(|line| line.strip_prefix("Метрики: "))
        .expect("the server says where its metrics are")
        .to_owned();
    let client = reqwest::Client::new();
    exchange(&client, port, "type=catalog&mode=checkauth", None).await;
    exchange(&client, port, "type=catalog&mode=init", None).await;
    let upload = "type=catalog&mode=file&filename=import.xml";
    exchange(&client, port, upload, Some(import_xml)).await;
    let import = "type=catalog&mode=import&filename=import.xml";
    for _ in 0..1200 {
        if !exchange(&client, port, import, None)
            .await
            .starts_with("progress\n")
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    exchange(&client, port, "type=catalog&mode=dance", None).await;
    let text = client
        .get(&metrics_at)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for line in [
        "vitrina_exchange_calls_total{mode=\"checkauth\",outcome=\"success\"} 1",
        "vitrina_exchange_calls_total{mode=\"file\",outcome=\"success\"} 1",
        "vitrina_exchange_calls_total{mode=\"other\",outcome=\"failure\"} 1",
        "vitrina_import_jobs_total{outcome=\"done\"} 1",
        "vitrina_import_seconds_count 1",
        "vitrina_import_queue_jobs{state=\"queued\"} 0",
        "vitrina_import_queue_jobs{state=\"running\"} 0",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
    assert!(
        text.contains("vitrina_db_connections{pool=\"imports\",state=\"idle\"}"),
        "{text}"
    );
    assert!(text.contains("vitrina_import_bytes_total "), "{text}");
    let shops = client
        .get(format!("http://127.0.0.1:{port}/metrics"))
        .header("host", "shop.localhost")
        .send()
        .await
        .unwrap();
    assert_eq!(shops.status(), 404, "not on the shops' address");
}
