//! Alerts reach a real webhook receiver and a real SMTP server (aiosmtpd) started by the test:
//! one message when an incident opens and one when it clears, signed, retried after a failure,
//! and a test message from the settings.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::app_test;
use crate::exchange::set_up;
use crate::helpers::{EXCHANGE_PASSWORD, TestApp};

const SKLAD: &str = "sklad@shop.ru";
const SECRET: &str = "секрет-вебхука";

/// What the receiver got: (signature header, event header, body).
type Received = Arc<Mutex<Vec<(String, String, String)>>>;

/// A webhook receiver on a random port; it answers 503 to the first `refuse` requests.
async fn receiver(refuse: usize) -> (String, Received) {
    let got: Received = Arc::default();
    let seen = got.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let seen = seen.clone();
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .map(|v| v.to_str().unwrap().to_owned())
                        .unwrap_or_default()
                };
                let mut seen = seen.lock().unwrap();
                seen.push((
                    header("x-vitrina-signature"),
                    header("x-vitrina-event"),
                    body,
                ));
                if seen.len() <= refuse {
                    StatusCode::SERVICE_UNAVAILABLE
                } else {
                    StatusCode::NO_CONTENT
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/hook"), got)
}

/// Waits until the receiver holds `count` requests (or 15 s pass); what it holds.
async fn wait_for(got: &Received, count: usize) -> Vec<(String, String, String)> {
    for _ in 0..150 {
        if got.lock().unwrap().len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    got.lock().unwrap().clone()
}

fn signed(body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("sha256={hex}")
}

async fn setting(app: &TestApp, key: &str, value: &str) {
    app.cli(&["settings", "set", "--tenant", "demo", key, value])
        .await
        .ok();
}

/// One exchange pass of one import.xml; the import's answer.
async fn pass(app: &TestApp, body: &[u8]) -> String {
    app.moysklad_pass(&[("import.xml", body)]).await.remove(0)
}

app_test!(async fn an_incident_is_told_once_when_it_opens_and_once_when_it_clears(app) {
    set_up(app, SKLAD).await;
    let (url, got) = receiver(0).await;
    setting(app, "alerts.webhook_url", &url).await;
    setting(app, "alerts.webhook_secret", SECRET).await;
    let secret_shown = app.cli(&["settings", "get", "--tenant", "demo", "alerts.webhook_secret"]).await.ok();
    assert_eq!(secret_shown, "alerts.webhook_secret=(set)\n", "a secret is never printed");

    // Two failed imports in a row: one incident, one message.
    let broken = "<?xml version=\"1.0\"?><КоммерческаяИнформация><Каталог><Товары><Товар>".as_bytes();
    assert!(pass(app, broken).await.starts_with("failure\n"));
    assert!(pass(app, broken).await.starts_with("failure\n"));
    let messages = wait_for(&got, 1).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let messages_later = got.lock().unwrap().clone();
    assert_eq!(messages_later.len(), 1, "one message per incident: {messages_later:?}");
    let (signature, event, body) = &messages[0];
    assert_eq!(event, "opened");
    assert_eq!(signature, &signed(body), "signed with HMAC-SHA256 of the body");
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(json["incident"], "import_failed");
    assert!(json["text"].as_str().unwrap().starts_with("Импорт import.xml не удался: import.xml, строка"), "{json}");

    // A good import clears it: one message more.
    let good = std::fs::read(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap();
    assert!(pass(app, &good).await.starts_with("success\n"));
    let messages = wait_for(&got, 2).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[1].1, "cleared");
    assert!(messages[1].2.contains("Решено: импорт снова проходит успешно"), "{}", messages[1].2);
});

app_test!(async fn a_failed_delivery_is_retried_and_logged(app) {
    let (url, got) = receiver(1).await;
    setting(app, "alerts.webhook_url", &url).await;
    let out = app.cli(&["alerts", "test", "--tenant", "demo"]).await;
    let printed = out.stdout.clone();
    assert!(printed.contains("webhook\tthe webhook answered 503"), "{printed}");
    // Due again (the test does not wait the backoff out), it goes through the second time.
    let due_now = "UPDATE alert_deliveries SET next_at = 0";
    match &app.db {
        vitrina_store::Db::Sqlite(pool) => sqlx::query(due_now).execute(pool).await.map(drop),
        vitrina_store::Db::Postgres(pool) => sqlx::query(due_now).execute(pool).await.map(drop),
    }
    .unwrap();
    wait_for(&got, 2).await;
    let sql = "SELECT attempts, delivered_at, last_error FROM alert_deliveries";
    for _ in 0..50 {
        let log: Vec<(i64, Option<i64>, Option<String>)> = match &app.db {
            vitrina_store::Db::Sqlite(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
            vitrina_store::Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
        };
        if log[0].1.is_some() {
            assert_eq!((log.len(), log[0].0), (1, 2), "one delivery, two attempts: {log:?}");
            assert_eq!(log[0].2.as_deref(), Some("the webhook answered 503 Service Unavailable"));
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the retried delivery was not recorded");
});

/// An SMTP server (aiosmtpd) on a random port that prints each message's subject and text.
struct Smtp {
    child: tokio::process::Child,
    port: u16,
    out: Arc<Mutex<String>>,
}

const SMTP_SINK: &str = r#"
import asyncio, email, email.policy, sys
from aiosmtpd.controller import Controller
class Sink:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        print("TO:", ",".join(envelope.rcpt_tos))
        print("SUBJECT:", message["subject"])
        print("BODY:", message.get_content().strip())
        sys.stdout.flush()
        return "250 OK"
controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("READY"); sys.stdout.flush()
asyncio.get_event_loop().run_forever()
"#;

impl Smtp {
    async fn start() -> Option<Self> {
        let has = std::process::Command::new("python3")
            .args(["-c", "import aiosmtpd"])
            .status()
            .is_ok_and(|s| s.success());
        if !has {
            let why = "e-mail alert test skipped: aiosmtpd is not installed (pip install aiosmtpd)";
            assert!(std::env::var_os("VITRINA_REQUIRE_SMTP").is_none(), "{why}");
            eprintln!("{why}");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = tokio::process::Command::new("python3")
            .args(["-c", SMTP_SINK, &port.to_string()])
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let out: Arc<Mutex<String>> = Arc::default();
        let mut stdout = child.stdout.take().unwrap();
        let sink = out.clone();
        tokio::spawn(async move {
            use tokio::io::AsyncReadExt;
            let mut buf = [0; 4096];
            while let Ok(n) = stdout.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        for _ in 0..100 {
            if out.lock().unwrap().contains("READY") {
                return Some(Self { child, port, out });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start");
    }
}

app_test!(async fn alerts_arrive_by_email_through_the_shops_smtp_server(app) {
    let Some(smtp) = Smtp::start().await else { return };
    set_up(app, SKLAD).await;
    setting(app, "alerts.email_to", "owner@shop.ru,manager@shop.ru").await;
    setting(app, "alerts.smtp_host", "127.0.0.1").await;
    setting(app, "alerts.smtp_port", &smtp.port.to_string()).await;
    setting(app, "alerts.smtp_tls", "none").await;
    setting(app, "alerts.smtp_from", "vitrina@shop.ru").await;
    let printed = app.cli(&["alerts", "test", "--tenant", "demo"]).await.ok();
    assert_eq!(printed, "email\tok\n");
    assert!(smtp.out.lock().unwrap().contains("SUBJECT: Витрина: проверка оповещений"), "{}", smtp.out.lock().unwrap());

    // A held pass: one e-mail when it is held, one when it is discarded.
    let catalog = std::fs::read_to_string(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap();
    assert!(pass(app, catalog.as_bytes()).await.starts_with("success\n"));
    let narrow = crate::catalog_support::only(&catalog, "Товар", |i| i % 10 == 0);
    assert!(pass(app, narrow.as_bytes()).await.starts_with("failure\nВыгрузка задержана"));
    for _ in 0..100 {
        if smtp.out.lock().unwrap().contains("SUBJECT: Витрина: Выгрузка задержана") { break; }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let out = smtp.out.lock().unwrap().clone();
    assert!(out.contains("SUBJECT: Витрина: Выгрузка задержана: сняла бы с продажи"), "{out}");
    assert!(out.contains("TO: owner@shop.ru,manager@shop.ru"), "{out}");
    let held = app.cli(&["exchange", "held", "--tenant", "demo"]).await.ok();
    let id = held.split('\t').next().unwrap().to_owned();
    app.cli(&["exchange", "discard", "--tenant", "demo", &id]).await.ok();
    for _ in 0..100 {
        if smtp.out.lock().unwrap().contains("Решено: задержанных выгрузок больше нет") { break; }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let out = smtp.out.lock().unwrap().clone();
    assert_eq!(out.matches("SUBJECT: Витрина: Выгрузка задержана").count(), 1, "{out}");
    assert!(out.contains("SUBJECT: Витрина: Решено: задержанных выгрузок больше нет"), "{out}");
    drop(smtp.child);
});

app_test!(async fn hours_without_a_successful_exchange_open_an_incident_and_the_next_one_clears_it(app) {
    set_up(app, SKLAD).await;
    let (url, got) = receiver(0).await;
    setting(app, "alerts.webhook_url", &url).await;
    setting(app, "alerts.no_exchange_hours", "3").await;
    let good = std::fs::read(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap();
    assert!(pass(app, &good).await.starts_with("success\n"));
    let tenant = vitrina::domain::tenants::find(&app.db, "demo").await.unwrap().id;
    // Within the hours nothing is said.
    vitrina::alerts::watch::check(&app.db, tenant).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(got.lock().unwrap().is_empty(), "nothing within the hours");
    // The last success four hours ago, as if MoySklad had stopped.
    let earlier = "UPDATE imports SET finished_at = finished_at - 4 * 3600 * 1000";
    match &app.db {
        vitrina_store::Db::Sqlite(pool) => sqlx::query(earlier).execute(pool).await.map(drop),
        vitrina_store::Db::Postgres(pool) => sqlx::query(earlier).execute(pool).await.map(drop),
    }
    .unwrap();
    vitrina::alerts::watch::check(&app.db, tenant).await.unwrap();
    vitrina::alerts::watch::check(&app.db, tenant).await.unwrap();
    let messages = wait_for(&got, 1).await;
    let json: serde_json::Value = serde_json::from_str(&messages[0].2).unwrap();
    assert_eq!((json["incident"].as_str(), json["event"].as_str()), (Some("no_exchange"), Some("opened")));
    assert_eq!(json["text"], "Нет успешного обмена с учётной системой больше 3 ч");
    // MoySklad is back: the next successful import clears it, once.
    assert!(pass(app, &good).await.starts_with("success\n"));
    let messages = wait_for(&got, 2).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let all = got.lock().unwrap().clone();
    assert_eq!(all.len(), 2, "opened once, cleared once: {all:?}");
    assert_eq!(messages[1].1, "cleared");
    assert!(messages[1].2.contains("обмен с учётной системой возобновился"), "{}", messages[1].2);
});

app_test!(async fn a_pass_taking_many_products_off_sale_is_told_of(app) {
    set_up(app, SKLAD).await;
    let (url, got) = receiver(0).await;
    setting(app, "alerts.webhook_url", &url).await;
    let catalog = std::fs::read_to_string(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap();
    assert!(pass(app, catalog.as_bytes()).await.starts_with("success\n"));
    // One product in five gone: under the brake's 30%, over the alert's 10%.
    let fewer = crate::catalog_support::only(&catalog, "Товар", |i| i % 5 != 4);
    assert!(pass(app, fewer.as_bytes()).await.starts_with("success\n"), "published, not held");
    let messages = wait_for(&got, 1).await;
    let json: serde_json::Value = serde_json::from_str(&messages[0].2).unwrap();
    assert_eq!(json["incident"], "off_sale_spike");
    assert!(json["text"].as_str().unwrap().starts_with("Выгрузка сняла с продажи 3"), "{json}");
    // The next full pass that takes nothing off sale clears it.
    assert!(pass(app, fewer.replacen("<Наименование>", "<Наименование>Н", 3).as_bytes()).await.starts_with("success\n"));
    let messages = wait_for(&got, 2).await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert_eq!(messages[1].1, "cleared");
});

app_test!(async fn orders_the_accounting_system_does_not_pick_up_are_told_of(app) {
    let (url, got) = receiver(0).await;
    setting(app, "alerts.webhook_url", &url).await;
    setting(app, "commerceml.orders", "true").await;
    let (catalog, offers) = (
        crate::catalog_support::fixture("moysklad__import_full.xml"),
        crate::catalog_support::fixture("moysklad__offers_full.xml"),
    );
    crate::catalog_support::import(app, &[&catalog, &offers]).await.ok();
    let orders = ["integrations.commerceml_import", "integrations.commerceml_orders"];
    app.employee_with(SKLAD, EXCHANGE_PASSWORD, &orders).await;
    let order = serde_json::json!({
        "customer": {"name": "Ольга", "phone": "+7 900 000-00-00", "email": "olga@example.ru"},
        "address": "Невский 1", "comment": "", "lines": [{"external_id": "5wceZf8djXSdCHMIIIWw-3", "quantity": "1"}],
    });
    let placed = app.http.post(format!("{}/api/v1/orders", app.address)).header("host", "demo.localhost")
        .header("content-type", "application/json").body(order.to_string()).send().await.unwrap();
    assert_eq!(placed.status(), 201);
    let tenant = vitrina::domain::tenants::find(&app.db, "demo").await.unwrap().id;
    vitrina::alerts::watch::check(&app.db, tenant).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(got.lock().unwrap().is_empty(), "a fresh order waits without an alert");
    // Three hours later MoySklad has still not asked for it.
    let earlier = "UPDATE orders SET updated_at = updated_at - 3 * 3600 * 1000, changed_at = changed_at - 3 * 3600 * 1000";
    match &app.db {
        vitrina_store::Db::Sqlite(pool) => sqlx::query(earlier).execute(pool).await.map(drop),
        vitrina_store::Db::Postgres(pool) => sqlx::query(earlier).execute(pool).await.map(drop),
    }
    .unwrap();
    vitrina::alerts::watch::check(&app.db, tenant).await.unwrap();
    let messages = wait_for(&got, 1).await;
    let json: serde_json::Value = serde_json::from_str(&messages[0].2).unwrap();
    assert_eq!(json["text"], "Учётная система не забирает заказы больше 2 ч: ждут 1");
    // It picks the order up (query, then success): the incident clears.
    let mut moysklad = app.exchange().basic(SKLAD, EXCHANGE_PASSWORD);
    moysklad.sign_in("sale").await;
    assert!(moysklad.get("type=sale&mode=query").await.text().contains("КоммерческаяИнформация"));
    assert_eq!(moysklad.get("type=sale&mode=success").await.text(), "success\n");
    vitrina::alerts::watch::check(&app.db, tenant).await.unwrap();
    let messages = wait_for(&got, 2).await;
    assert_eq!(messages[1].1, "cleared");
    assert!(messages[1].2.contains("учётная система забрала заказы"), "{}", messages[1].2);
});

app_test!(async fn a_pass_leaving_many_products_without_a_price_is_told_of(app) {
    set_up(app, SKLAD).await;
    let (url, got) = receiver(0).await;
    setting(app, "alerts.webhook_url", &url).await;
    let read = |name| std::fs::read_to_string(crate::catalog_support::fixture(name)).unwrap();
    let (catalog, offers) = (read("moysklad__import_full.xml"), read("moysklad__offers_full.xml"));
    let first = app.moysklad_pass(&[("import.xml", catalog.as_bytes()), ("offers.xml", offers.as_bytes())]).await;
    assert!(first.iter().all(|a| a.starts_with("success\n")), "{first:?}");
    // One offer in five priced at zero: under the brake's 30%, over the alert's 10%.
    let zeroed = crate::catalog_support::edit_elements(&offers, "Предложение", |i, offer| {
        Some(if i % 5 == 0 { crate::catalog_support::zero_prices(offer) } else { offer.to_owned() })
    });
    let answers = app.moysklad_pass(&[("offers.xml", zeroed.as_bytes())]).await;
    assert!(answers[0].starts_with("success\n"), "published, not held: {answers:?}");
    let messages = wait_for(&got, 1).await;
    let json: serde_json::Value = serde_json::from_str(&messages[0].2).unwrap();
    assert_eq!(json["incident"], "off_sale_spike");
    assert!(json["text"].as_str().unwrap().starts_with("Выгрузка оставила без цены сайта"), "{json}");
});
