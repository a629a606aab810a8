//! The import queue with the real server: many shops' passes at the top of the hour wait their
//! turn and all land; any instance answers for a job another runs; a job whose instance died
//! runs again. Every client here is MoySklad-like: Basic on every call, all uploads first.

use vitrina_store::JobState;

use crate::app_test;
use crate::catalog_support::fixture;
use crate::exchange::{PASSWORD, import_until_done, set_up, start, upload_in_chunks};
use crate::exchange_client::ExchangeClient;
use crate::helpers::{IMPORT_WORKERS, exchange_shop};

/// One call of a MoySklad-like client of `slug` against `server`: status and body.
async fn call(server: &str, slug: &str, query: &str, body: Option<Vec<u8>>) -> (u16, String) {
    let host = format!("{slug}.localhost");
    let moysklad = ExchangeClient::new(&reqwest::Client::new(), server, &host)
        .basic("sklad@shop.ru", PASSWORD);
    let answer = moysklad.send(query, body).await;
    (answer.status, answer.text())
}

/// A whole MoySklad pass of one shop: every answer it got, in order.
async fn pass(server: String, slug: String) -> Vec<String> {
    let mut answers = Vec::new();
    let mut say = |(status, body): (u16, String)| {
        assert_eq!(status, 200, "{slug}: {body}");
        answers.push(body);
    };
    say(call(&server, &slug, "type=catalog&mode=checkauth", None).await);
    say(call(&server, &slug, "type=catalog&mode=init", None).await);
    for name in ["import.xml", "offers.xml"] {
        let bytes = std::fs::read(fixture(&format!(
            "moysklad__{}_full.xml",
            &name[..name.len() - 4]
        )))
        .unwrap();
        for chunk in bytes.chunks(256 * 1024) {
            say(call(
                &server,
                &slug,
                &format!("type=catalog&mode=file&filename={name}"),
                Some(chunk.to_vec()),
            )
            .await);
        }
    }
    for name in ["import.xml", "offers.xml"] {
        for _ in 0..2400 {
            let (status, body) = call(
                &server,
                &slug,
                &format!("type=catalog&mode=import&filename={name}"),
                None,
            )
            .await;
            let waiting = body.starts_with("progress\n");
            say((status, body));
            if !waiting {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    answers
}

app_test!(async fn many_shops_at_once_wait_their_turn_and_all_land(app) {
    // More shops than one address may have sign-ins in flight at one shop: MoySklad pushes
    // many shops at once from the same few addresses.
    let shops: Vec<String> = (0..36).map(|i| format!("shop-{i}")).collect();
    for slug in &shops {
        exchange_shop(&app.db, slug).await;
    }
    let passes = shops.iter().map(|slug| tokio::spawn(pass(app.address.clone(), slug.clone())));
    let mut queued_seen = false;
    for (slug, answers) in shops.iter().zip(futures_util::future::join_all(passes).await) {
        let answers = answers.unwrap();
        assert!(answers.iter().all(|a| !a.starts_with("failure")), "{slug}: {answers:?}");
        let successes = answers.iter().filter(|a| a.starts_with("success\nimport.xml") || a.starts_with("success\noffers.xml")).count();
        assert_eq!(successes, 2, "{slug}: both files imported: {answers:?}");
        queued_seen |= answers.iter().any(|a| a.starts_with("progress\nИмпорт в очереди: "));
        let tenant = app.db.find_tenant_by_slug(slug).await.unwrap().id;
        let active = app.db.product_states(tenant).await.unwrap().iter().filter(|s| s.active).count();
        assert_eq!(active, 174, "{slug}");
    }
    assert!(queued_seen, "with {IMPORT_WORKERS} workers and 36 shops, some passes waited in the queue");
});

app_test!(async fn any_instance_answers_for_a_job_another_runs(app) {
    set_up(app, "sklad@shop.ru").await;
    let other = app.second_instance().await;
    let bytes = std::fs::read(fixture("moysklad__import_full.xml")).unwrap();
    // Basic on every call, no cookie: MoySklad's way, any call to either instance.
    call(&app.address, "demo", "type=catalog&mode=init", None).await;
    let (_, stored) = call(&other.address, "demo", "type=catalog&mode=file&filename=import.xml", Some(bytes)).await;
    assert_eq!(stored, "success\n");
    // Queued through this instance; asked about through the other until it ends.
    let (_, first) = call(&app.address, "demo", "type=catalog&mode=import&filename=import.xml", None).await;
    assert!(first.starts_with("progress\n"), "{first}");
    let mut last = String::new();
    for _ in 0..600 {
        last = call(&other.address, "demo", "type=catalog&mode=import&filename=import.xml", None).await.1;
        if !last.starts_with("progress\n") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(last.starts_with("success\nimport.xml: в файле: "), "{last}");
});

app_test!(async fn a_job_whose_instance_died_runs_again(app) {
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    let bytes = std::fs::read(fixture("moysklad__import_full.xml")).unwrap();
    upload_in_chunks(app, &cookie, "import.xml", &bytes, 1 << 20).await;
    assert!(import_until_done(app, &cookie, "import.xml").await.starts_with("success\n"));
    // As if another instance had claimed it and died before its import committed: running,
    // owned by a process elsewhere, its lease long over, nothing committed since its claim.
    let sql = "UPDATE exchange_jobs SET state = 'running', owner = 'gone-host:1', lease_until = 1, \
               started_at = $1, message = NULL, report = NULL, finished_at = NULL";
    let now = vitrina_store::now_millis() + 1;
    match &app.db {
        vitrina_store::Db::Sqlite(pool) => sqlx::query(sql).bind(now).execute(pool).await.map(drop),
        vitrina_store::Db::Postgres(pool) => sqlx::query(sql).bind(now).execute(pool).await.map(drop),
    }
    .unwrap();
    // A worker takes it back and runs it again from the stored upload: the client sees
    // progress, then success.
    let answer = import_until_done(app, &cookie, "import.xml").await;
    assert!(answer.starts_with("success\nimport.xml: в файле: "), "{answer}");
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let jobs = app.db.exchange_imports(tenant, "").await.unwrap();
    assert_eq!(jobs[0].state, JobState::Done);
    assert!(jobs[0].started_at > now, "claimed anew after the lease ran out: {jobs:?}");
});

/// `vitrina import FILE` for demo, started and left running.
fn spawn_cli_import(app: &crate::helpers::TestApp, file: &str) -> tokio::process::Child {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_vitrina"))
        .args(["--database-url", app.database_url(), "--data-dir"])
        .arg(app.data_dir())
        .args(["import", "--tenant", "demo", "--no-progress", file])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap()
}

app_test!(async fn a_command_line_import_is_a_job_that_waits_for_the_shops_turn(app) {
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    // Another instance runs an exchange import of the shop, its lease alive.
    // (Written as running at once: this app's own workers would claim a queued one.)
    let batch = app.db.open_batch(tenant, "elsewhere").await.unwrap();
    let lease = vitrina_store::now_millis() + 600_000;
    let sql = "INSERT INTO exchange_jobs (tenant_id, batch_id, name, state, owner, started_at, queued_at, \
               lease_until) VALUES ($1, $2, 'import.xml', 'running', 'elsewhere-host/1:1', 0, 0, $3)";
    match &app.db {
        vitrina_store::Db::Sqlite(pool) => sqlx::query(sql).bind(tenant).bind(batch).bind(lease).execute(pool).await.map(drop),
        vitrina_store::Db::Postgres(pool) => sqlx::query(sql).bind(tenant).bind(batch).bind(lease).execute(pool).await.map(drop),
    }
    .unwrap();
    let shared = vitrina_store::ClaimScope::Shared;

    let file = fixture("moysklad__import_full.xml");
    let mut cli = spawn_cli_import(app, &file);
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    assert!(cli.try_wait().unwrap().is_none(), "the command-line import waits for the shop's turn");
    let path = std::path::absolute(&file).unwrap().to_string_lossy().into_owned();
    let jobs = app.db.exchange_imports(tenant, "cli:").await.unwrap();
    assert_eq!(jobs.len(), 1, "{jobs:?}");
    assert_eq!((jobs[0].name.as_str(), jobs[0].state.as_str()), (path.as_str(), "queued"));
    // Pinned to its process: no server worker, and no other claimant, takes it.
    let other = app.db.claim_job("elsewhere-host/1:2", lease, shared).await.unwrap();
    assert!(other.is_none(), "{other:?}");
    assert_eq!(app.db.product_states(tenant).await.unwrap().len(), 0);

    app.db.finish_job(tenant, batch, "import.xml", "elsewhere-host/1:1", JobState::Done, "", None).await.unwrap();
    let out = cli.wait_with_output().await.unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("moysklad__import_full.xml: "));
    let jobs = app.db.exchange_imports(tenant, "cli:").await.unwrap();
    assert_eq!((jobs[0].name.as_str(), jobs[0].state.as_str()), (path.as_str(), "done"));
    let active = app.db.product_states(tenant).await.unwrap().iter().filter(|s| s.active).count();
    assert_eq!(active, 174);
    assert!(!app.db.has_pending_jobs(tenant).await.unwrap());
});

app_test!(async fn the_jobs_of_a_command_line_import_that_died_are_failed_not_left(app) {
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let batch = app.db.open_batch(tenant, "cli:gone-host/1:7").await.unwrap();
    // One was running, one waited; the process stopped renewing both long ago.
    let gone = "gone-host/1:7";
    let alive = vitrina_store::now_millis() + 600_000;
    app.db.enqueue_pinned_job(tenant, batch, "/tmp/a/import.xml", gone, (1, alive)).await.unwrap();
    app.db.enqueue_pinned_job(tenant, batch, "/tmp/a/offers.xml", gone, (2, alive)).await.unwrap();
    let scope = vitrina_store::ClaimScope::Batch(tenant, batch);
    let running = app.db.claim_job(gone, 1, scope).await.unwrap().expect("claimed");
    assert_eq!(running.name, "/tmp/a/import.xml");
    app.db.renew_waiting_jobs(gone, 1).await.unwrap();
    // The server's workers fail both (nobody else can read their files) and the shop's
    // queue is free again.
    let mut states = Vec::new();
    for _ in 0..100 {
        let jobs = app.db.exchange_imports(tenant, "cli:").await.unwrap();
        states = jobs.iter().map(|j| (j.state, j.message.clone().unwrap_or_default())).collect();
        if states.iter().all(|(state, _)| *state == JobState::Failed) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let said = vitrina::i18n::Message::CliImportInterrupted.text(vitrina::i18n::Lang::Ru);
    assert_eq!(states, vec![(JobState::Failed, said.clone()), (JobState::Failed, said)]);
    assert!(!app.db.has_pending_jobs(tenant).await.unwrap());
});
