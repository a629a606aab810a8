//! The trust boundary, tried as an attacker would against the real server: employees managing
//! people beyond their rights, sessions outliving passwords, strangers locking out or flooding
//! a shop, and input meant to make the server panic. Clients on other addresses really connect
//! from other loopback addresses (127.0.0.x), so the server sees what it would see in the wild.

use std::net::IpAddr;

use vitrina::i18n::{Lang, Message};
use vitrina_store::EmployeeId;

use crate::admin::{HOST, OWNER, page, post, shown, sign_in};
use crate::app_test;
use crate::exchange::{PASSWORD, basic, call, failure_text, set_up, start, upload};
use crate::exchange_client::ExchangeClient;
use crate::helpers::{ADMIN_PASSWORD, TestApp};

use crate::exchange_client::EXCHANGE_PATH as EXCHANGE;

async fn employee_id(app: &TestApp, email: &str) -> i64 {
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    app.db
        .list_employees(tenant)
        .await
        .unwrap()
        .into_iter()
        .find(|e| e.email == email)
        .map(|e| e.id.0)
        .unwrap()
}

/// `checkauth` with these credentials from `from`, as a client on that address.
async fn checkauth_from(server: &str, from: IpAddr, email: &str, password: &str) -> String {
    let http = reqwest::Client::builder()
        .local_address(from)
        .build()
        .unwrap();
    let client = ExchangeClient::new(&http, server, HOST).basic(email, password);
    client.get("type=catalog&mode=checkauth").await.text()
}

fn loopback(last: u8) -> IpAddr {
    IpAddr::from([127, 0, 0, last])
}

app_test!(async fn an_employee_manages_only_people_within_their_rights(app) {
    app.employee_with("hr@shop.ru", PASSWORD, &["settings.employees"]).await;
    app.employee_with("sklad@shop.ru", PASSWORD, &["integrations.commerceml_import"]).await;
    app.employee_with("junior@shop.ru", PASSWORD, &[]).await;
    let hr = sign_in(app, "hr@shop.ru", PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    let owner_id = employee_id(app, OWNER).await;
    // The owner: untouchable by anyone else, old password and session still good.
    let owner_session = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    for (path, fields) in [
        (format!("/admin/employees/{owner_id}/password"), vec![("password", "захват-владельца-2026")]),
        (format!("/admin/employees/{owner_id}/block"), vec![("blocked", "true")]),
        (format!("/admin/employees/{owner_id}"), vec![("name", "Взлом"), ("admin_access", "on")]),
    ] {
        let refused = post(app, &hr, &path, &fields).await;
        assert_eq!(refused.status, 400, "{path}");
        assert!(refused.body.contains(&shown(&Message::OwnerOnly)), "{}", refused.body);
    }
    assert!(sign_in(app, OWNER, "захват-владельца-2026").await.is_err());
    assert_eq!(page(app, &owner_session, "/admin/employees").await.status, 200);
    // Someone holding a permission hr does not: refused; someone within hr's rights: fine.
    let sklad = employee_id(app, "sklad@shop.ru").await;
    let refused = post(app, &hr, &format!("/admin/employees/{sklad}/password"), &[("password", "новый-пароль-2026")]).await;
    assert!(refused.body.contains(&shown(&Message::ExceedsOwnRights { name: "sklad@shop.ru".into() })), "{}", refused.body);
    assert!(checkauth_from(&app.address, loopback(1), "sklad@shop.ru", PASSWORD).await.starts_with("success\n"));
    let junior = employee_id(app, "junior@shop.ru").await;
    let done = post(app, &hr, &format!("/admin/employees/{junior}/password"), &[("password", "новый-пароль-2026")]).await;
    assert_eq!((done.status, done.location.as_str()), (303, format!("/admin/employees/{junior}?done=password_set").as_str()));

    // Groups: nobody grants what they do not hold, or changes a group that holds more.
    app.employee_with("access@shop.ru", PASSWORD, &["settings.access"]).await;
    let access = sign_in(app, "access@shop.ru", PASSWORD).await.unwrap();
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let own = app.db.find_group_by_name(tenant, "group of access@shop.ru").await.unwrap().id.0;
    let granted = post(app, &access, &format!("/admin/groups/{own}/permissions"), &[("permission", "settings.access"), ("permission", "catalog.edit")]).await;
    assert!(granted.body.contains(&shown(&Message::GrantNotHeld { permission: "Редактирование каталога".into() })), "{}", granted.body);
    let sklad_group = app.db.find_group_by_name(tenant, "group of sklad@shop.ru").await.unwrap().id.0;
    let me = employee_id(app, "access@shop.ru").await.to_string();
    let joined = post(app, &access, &format!("/admin/groups/{sklad_group}/members"), &[("employee", me.as_str())]).await;
    assert!(joined.body.contains(&shown(&Message::GroupExceedsRights { name: "group of sklad@shop.ru".into() })), "{}", joined.body);
    let keys = app.db.granted_permissions(tenant, EmployeeId(me.parse().unwrap())).await.unwrap();
    assert_eq!(keys, ["settings.access"], "nothing was gained");
});

app_test!(async fn the_last_holder_of_access_rights_cannot_be_lost(app) {
    // A shop made without an owner: one employee manages access; they cannot lock everyone out.
    app.cli(&["tenant", "create", "solo"]).await.ok();
    let tenant = app.db.find_tenant_by_slug("solo").await.unwrap().id;
    let gate = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--tenant", "solo"]);
        all.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>()
    };
    for args in [
        gate(&["employee", "create", "--email", "boss@solo.ru", "--password", PASSWORD, "--admin-access"]),
        gate(&["group", "create", "--name", "Админы", "--permission", "settings.access"]),
        gate(&["group", "add-member", "--group", "Админы", "--email", "boss@solo.ru"]),
    ] {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        app.cli(&args).await.ok();
    }
    let group = app.db.find_group_by_name(tenant, "Админы").await.unwrap().id.0;
    let response = app.http.post(format!("{}/admin/login", app.address)).header("host", "solo.localhost")
        .header("sec-fetch-site", "same-origin").header("content-type", "application/x-www-form-urlencoded")
        .body("email=boss%40solo.ru&password=".to_owned() + &urlencoding(PASSWORD)).send().await.unwrap();
    let session = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let emptied = app.http.post(format!("{}/admin/groups/{group}/permissions", app.address)).header("host", "solo.localhost")
        .header("cookie", &session).header("sec-fetch-site", "same-origin").header("content-type", "application/x-www-form-urlencoded")
        .body("").send().await.unwrap();
    assert_eq!(emptied.status(), 400);
    assert!(emptied.text().await.unwrap().contains(&shown(&Message::LastAccessHolder)));
    assert_eq!(app.db.group_permissions(tenant, vitrina_store::GroupId(group)).await.unwrap(), ["settings.access"]);
    // The operator grants and revokes from the command line.
    let out = app.cli(&["group", "grant", "--tenant", "solo", "--group", "Админы", "--permission", "catalog.view"]).await.ok();
    assert_eq!(out.trim(), "Админы\tcatalog.view,settings.access");
    let out = app.cli(&["group", "revoke", "--tenant", "solo", "--group", "Админы", "--permission", "catalog.view"]).await.ok();
    assert_eq!(out.trim(), "Админы\tsettings.access");
    let unknown = app.cli(&["group", "grant", "--tenant", "solo", "--group", "Админы", "--permission", "catalog.delete"]).await.refused();
    assert_eq!(unknown, Message::UnknownPermission { key: "catalog.delete".into() }.text(Lang::Ru));
});

fn urlencoding(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

app_test!(async fn a_tenant_is_made_with_its_owner(app) {
    let out = app.cli_with_stdin(&["tenant", "create", "shop2", "--owner-email", "owner@shop2.ru", "--password-stdin"], Some("владелец-магазина-2026\n")).await.ok();
    assert_eq!(out.trim(), "shop2\tshop2", "a password from stdin is never printed");
    let printed = app.cli(&["tenant", "create", "shop3", "--owner-email", "owner@shop3.ru"]).await.ok();
    let password = printed.lines().nth(1).and_then(|l| l.strip_prefix("owner@shop3.ru\t")).expect("the made-up password, once").to_owned();
    for (host, email, password) in [("shop2.localhost", "owner@shop2.ru", "владелец-магазина-2026"), ("shop3.localhost", "owner@shop3.ru", password.as_str())] {
        let response = app.http.post(format!("{}/admin/login", app.address)).header("host", host)
            .header("sec-fetch-site", "same-origin").header("content-type", "application/x-www-form-urlencoded")
            .body(format!("email={}&password={}", urlencoding(email), urlencoding(password))).send().await.unwrap();
        assert_eq!(response.status(), 303, "{email} signs in as the owner");
    }
    let listed = app.cli(&["employee", "list", "--tenant", "shop3"]).await.ok();
    assert!(listed.lines().any(|l| l.starts_with("owner@shop3.ru\t") && l.ends_with("\towner")), "{listed}");
    let weak = app.cli_with_stdin(&["tenant", "create", "shop4", "--owner-email", "o@shop4.ru", "--password-stdin"], Some("123\n")).await.refused();
    assert!(!weak.is_empty());
    assert!(app.db.find_tenant_by_slug("shop4").await.is_err(), "nothing made with a bad owner");
});

app_test!(async fn sessions_end_when_rights_change(app) {
    set_up(app, "sklad@shop.ru").await;
    let session_of = |body: &str| format!("VITRINA_EXCHANGE={}", body.lines().nth(2).unwrap());
    let exchange_alive = |cookie: String| async move {
        let (_, _, body) = call(app, "type=catalog&mode=init", None, Some(&cookie)).await;
        body.starts_with("zip=")
    };
    let checkauth = |password: &'static str| async move {
        call(app, "type=catalog&mode=checkauth", Some(&basic("sklad@shop.ru", password)), None).await.2
    };
    let exchange = session_of(&checkauth(PASSWORD).await);
    let panel = sign_in(app, "sklad@shop.ru", PASSWORD).await.unwrap();
    assert!(exchange_alive(exchange.clone()).await);
    assert_eq!(page(app, &panel, "/admin").await.status, 200);

    // A new password: every old session ends.
    app.cli_with_stdin(&["employee", "set-password", "--tenant", "demo", "--email", "sklad@shop.ru", "--password-stdin"], Some("новый-пароль-склада-2026\n")).await.ok();
    assert!(!exchange_alive(exchange).await, "the exchange session outlived the password");
    assert_eq!(page(app, &panel, "/admin").await.status, 303, "the panel session outlived the password");

    // Block, then unblock: the old sessions stay dead.
    let exchange = session_of(&checkauth("новый-пароль-склада-2026").await);
    let panel = sign_in(app, "sklad@shop.ru", "новый-пароль-склада-2026").await.unwrap();
    app.cli(&["employee", "block", "--tenant", "demo", "--email", "sklad@shop.ru"]).await.ok();
    app.cli(&["employee", "unblock", "--tenant", "demo", "--email", "sklad@shop.ru"]).await.ok();
    assert!(!exchange_alive(exchange).await, "unblocking revived an exchange session");
    assert_eq!(page(app, &panel, "/admin").await.status, 303, "unblocking revived a panel session");

    // Panel access taken away in the panel: sessions end at once.
    let exchange = session_of(&checkauth("новый-пароль-склада-2026").await);
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    let sklad = employee_id(app, "sklad@shop.ru").await;
    let taken = post(app, &owner, &format!("/admin/employees/{sklad}"), &[("name", "Склад")]).await;
    assert_eq!(taken.status, 303);
    assert!(!exchange_alive(exchange).await, "losing panel access left the session alive");
    post(app, &owner, &format!("/admin/employees/{sklad}"), &[("name", "Склад"), ("admin_access", "on")]).await;

    // A permission taken away: sessions end; the one kept by someone changing themselves lives.
    let exchange = session_of(&checkauth("новый-пароль-склада-2026").await);
    app.cli(&["group", "revoke", "--tenant", "demo", "--group", "МойСклад", "--permission", "integrations.commerceml_import"]).await.ok();
    app.cli(&["group", "grant", "--tenant", "demo", "--group", "МойСклад", "--permission", "integrations.commerceml_import"]).await.ok();
    assert!(!exchange_alive(exchange).await, "a revoked permission left the session alive");
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    let me = employee_id(app, OWNER).await;
    let changed = post(app, &owner, &format!("/admin/employees/{me}/password"), &[("password", "новый-пароль-владельца")]).await;
    assert_eq!(changed.status, 303);
    assert_eq!(page(app, &owner, "/admin").await.status, 200, "one's own session survives one's own change");
});

app_test!(async fn strangers_guessing_never_lock_out_the_real_client(app) {
    set_up(app, "sklad@shop.ru").await;
    crate::helpers::clear_of_limiter_window_edge().await;
    // Twelve strangers, one guess each: the real client on its own address still gets in.
    for stranger in 2..14 {
        let body = checkauth_from(&app.address, loopback(stranger), "sklad@shop.ru", "guess-guess-1").await;
        assert_eq!(body, failure_text(&Message::ExchangeWrongCredentials));
    }
    let real = checkauth_from(&app.address, loopback(1), "sklad@shop.ru", PASSWORD).await;
    assert!(real.starts_with("success\n"), "the account is slowed down, never refused: {real}");
    // One address guessing: refused after its allowance, even with the right password.
    for _ in 0..10 {
        checkauth_from(&app.address, loopback(20), "sklad@shop.ru", "guess-guess-2").await;
    }
    let refused = checkauth_from(&app.address, loopback(20), "sklad@shop.ru", PASSWORD).await;
    assert_eq!(refused, failure_text(&Message::ExchangeTooManyAttempts));
    // Kept in the database: a second instance over the same storage refuses that address too.
    let second = app.second_instance().await;
    let again = checkauth_from(&second.address, loopback(20), "sklad@shop.ru", PASSWORD).await;
    assert_eq!(again, failure_text(&Message::ExchangeTooManyAttempts));
    assert!(checkauth_from(&second.address, loopback(1), "sklad@shop.ru", PASSWORD).await.starts_with("success\n"));
});

app_test!(async fn parallel_guesses_get_exactly_the_allowance_checked(app) {
    set_up(app, "sklad@shop.ru").await;
    crate::helpers::clear_of_limiter_window_edge().await;
    let guesses = (0..40).map(|_| checkauth_from(&app.address, loopback(30), "sklad@shop.ru", "guess-guess-3"));
    let answers = futures_util::future::join_all(guesses).await;
    let checked = answers.iter().filter(|b| **b == failure_text(&Message::ExchangeWrongCredentials)).count();
    let refused = answers.iter().filter(|b| **b == failure_text(&Message::ExchangeTooManyAttempts)).count();
    assert_eq!((checked, refused), (10, 30), "{answers:?}");
});

app_test!(async fn strangers_cannot_flood_the_history(app) {
    set_up(app, "sklad@shop.ru").await;
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let long = "m".repeat(900);
    for _ in 0..150 {
        let (status, _, body) = call(app, &format!("type=catalog&mode={long}&filename={long}"), None, None).await;
        assert_eq!(status, 200);
        assert!(body.starts_with("failure\n"), "{body}");
    }
    let too_long = "x".repeat(8 * 1024);
    let (_, _, body) = call(app, &format!("type=catalog&mode=checkauth&filename={too_long}"), None, None).await;
    assert_eq!(body, failure_text(&Message::TooLong { field: "filename".into(), max: 1024 }));
    let (_, _, body) = call(app, "type=catalog&mode=checkauth&filename=%00", Some(&basic("sklad@shop.ru", PASSWORD)), None).await;
    assert_eq!(body, failure_text(&Message::ControlCharacters { field: "filename".into() }));
    let exchanges = app.db.list_exchanges(tenant, 100).await.unwrap();
    assert_eq!(exchanges.len(), 1, "one address, one hour: one entry");
    assert_eq!(exchanges[0].calls, 152, "every refused call is counted");
    let calls = app.db.exchange_calls(tenant, &exchanges[0].exchange_key).await.unwrap();
    assert_eq!(calls.len(), 1, "and stored once");
    assert!(calls[0].mode.chars().count() <= 200 && calls[0].filename.as_ref().unwrap().chars().count() <= 200);
});

/// What an order request answered: status and body.
async fn order(app: &TestApp, body: String, key: Option<&str>) -> (u16, String) {
    let mut request = app
        .http
        .post(format!("{}/api/v1/orders", app.address))
        .header("host", HOST)
        .header("content-type", "application/json")
        .body(body);
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn order_json(name: &str, quantity: &str, lines: usize) -> String {
    let lines: Vec<_> = (0..lines)
        .map(|_| serde_json::json!({"external_id": "x", "quantity": quantity}))
        .collect();
    serde_json::json!({"customer": {"name": name, "phone": "+7 900 000-00-00"}, "lines": lines})
        .to_string()
}

app_test!(async fn input_meant_to_break_the_server_gets_a_clear_error(app) {
    let json_error = |body: &str| serde_json::from_str::<serde_json::Value>(body).ok().and_then(|v| v["error"]["message"].as_str().map(str::to_owned));
    // Orders: quantities, sizes, fields, keys.
    for quantity in ["79228162514264337593543950335", "1e-28", "1_000", "1e3", "-1", "0"] {
        let (status, body) = order(app, order_json("Иван", quantity, 1), None).await;
        assert_eq!(status, 400, "{quantity}: {body}");
        assert!(json_error(&body).unwrap().contains(quantity), "{body}");
    }
    let (status, body) = order(app, order_json(&"я".repeat(201), "1", 1), None).await;
    assert_eq!((status, json_error(&body).unwrap()), (400, Message::TooLong { field: "customer.name".into(), max: 200 }.text(Lang::Ru)));
    let (status, body) = order(app, order_json("Ива\0н", "1", 1), None).await;
    assert_eq!((status, json_error(&body).unwrap()), (400, Message::ControlCharacters { field: "customer.name".into() }.text(Lang::Ru)));
    let (status, body) = order(app, order_json("Иван", "1", 501), None).await;
    assert_eq!((status, json_error(&body).unwrap()), (400, Message::OrderTooManyLines { max: 500 }.text(Lang::Ru)));
    let (status, body) = order(app, order_json(&"я".repeat(150_000), "1", 1), None).await;
    assert_eq!((status, json_error(&body).unwrap()), (413, Message::BodyTooLarge { max_kb: 256 }.text(Lang::Ru)));
    let (status, body) = order(app, order_json("Иван", "1", 1), Some(&"k".repeat(201))).await;
    assert_eq!((status, json_error(&body).unwrap()), (400, Message::BadIdempotencyKey { max: 200 }.text(Lang::Ru)));
    // The storefront: NUL, long searches, duplicate parameters answer JSON errors, not 500s.
    for (path, status) in [
        ("/api/v1/products?q=%00", 400),
        ("/api/v1/products?cursor=%00", 400),
        ("/api/v1/products/a%00b", 400),
        ("/api/v1/orders/status/a%00b", 400),
        (&*format!("/api/v1/products?q={}", "ж".repeat(201)), 400),
        (&*format!("/api/v1/products?q={}", "ж".repeat(3_000)), 414),
        ("/api/v1/products?limit=1&limit=2", 400),
    ] {
        let response = app.get(HOST, path).await;
        assert_eq!(response.status().as_u16(), status, "{path}");
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"), "{path}");
    }
    // The panel: an unparsable id is the panel's own page; a CR/LF in next= no 500.
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    let bad_id = page(app, &owner, "/admin/employees/abc").await;
    assert_eq!(bad_id.status, 404);
    assert!(bad_id.body.contains("admin.css"), "{}", bad_id.body);
    let next = app.get(HOST, "/admin/lang/en?next=/admin%0d%0aSet-Cookie:x=1").await;
    assert_eq!(next.status().as_u16(), 400);
    let signed = post(app, "", "/admin/login", &[("email", OWNER), ("password", ADMIN_PASSWORD), ("next", "/admin\r\nSet-Cookie: x=1")]).await;
    assert_eq!((signed.status, signed.location.as_str()), (303, "/admin"));
});

app_test!(async fn the_panel_forbids_framing_and_foreign_content(app) {
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    for path in ["/admin/login", "/admin", "/admin/no-such-page"] {
        let response = app.http.get(format!("{}{path}", app.address)).header("host", HOST).header("cookie", &owner).send().await.unwrap();
        let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        assert!(header("content-security-policy").contains("default-src 'self'") && header("content-security-policy").contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(header("x-frame-options"), "DENY", "{path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}");
    }
    // Behind https (a trusted proxy says so), the exchange cookie is Secure too.
    set_up(app, "sklad@shop.ru").await;
    let proxy = reqwest::Client::builder().local_address(loopback(250)).build().unwrap();
    let response = proxy.get(format!("{}{EXCHANGE}?type=catalog&mode=checkauth", app.address)).header("host", HOST)
        .header("authorization", basic("sklad@shop.ru", PASSWORD)).header("x-forwarded-proto", "https").header("x-forwarded-for", "10.1.2.3")
        .send().await.unwrap();
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.contains("; Secure"), "{cookie}");
});

app_test!(async fn parallel_uploads_lose_nothing_and_keep_the_limits(app) {
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    let chunks: Vec<Vec<u8>> = (0..8u8).map(|i| vec![b'a' + i; 100_000]).collect();
    let sent = chunks.iter().map(|chunk| upload(app, &cookie, "import.xml", chunk.clone()));
    for answer in futures_util::future::join_all(sent).await {
        assert_eq!(answer, "success\n");
    }
    let stored = crate::exchange::stored(app, "import.xml");
    assert_eq!(stored.len(), 800_000, "no chunk lost");
    let mut seen: Vec<u8> = stored.chunks(100_000).map(|c| { assert!(c.iter().all(|b| *b == c[0]), "a chunk mixed with another"); c[0] }).collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..8u8).map(|i| b'a' + i).collect::<Vec<_>>(), "every chunk once");
    let clash = upload(app, &cookie, "import.xml/000001", b"x".to_vec()).await;
    assert_eq!(clash, failure_text(&Message::ExchangeNameClash { name: "import.xml/000001".into(), other: "import.xml".into() }));

    // A 1 MB batch limit under six parallel 300 KB files: what is stored stays within it.
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.max_batch_bytes", "1000000"]).await.ok();
    let cookie = start(app).await;
    let names: Vec<String> = (0..6).map(|i| format!("f{i}.xml")).collect();
    let sent = names.iter().map(|name| upload(app, &cookie, name, vec![b'x'; 300_000]));
    let answers = futures_util::future::join_all(sent).await;
    let accepted = answers.iter().filter(|a| *a == "success\n").count();
    assert_eq!(accepted, 3, "{answers:?}");
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let batch = app.db.current_batch(tenant, &cookie_batch_key(&cookie)).await.unwrap().unwrap();
    let total: i64 = app.db.batch_uploads(tenant, batch).await.unwrap().iter().map(|(_, b)| b).sum();
    assert!(total <= 1_000_000, "{total} bytes stored in a 1 MB batch");
});

/// The batch key of a session cookie (the token's SHA-256, as the server files it).
fn cookie_batch_key(cookie: &str) -> String {
    use sha2::Digest;
    let token = cookie.split_once('=').unwrap().1;
    sha2::Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[tokio::test]
async fn a_closed_pipe_ends_the_cli_quietly() {
    let app = TestApp::spawn(vitrina_store::Backend::Sqlite)
        .await
        .unwrap();
    for i in 0..50 {
        app.cli(&["tenant", "create", &format!("shop-{i}")])
            .await
            .ok();
    }
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_vitrina"))
        .arg("--database-url")
        .arg(app.database_url())
        .arg("--data-dir")
        .arg(app.data_dir())
        .args(["tenant", "list"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // `| head -0`: the reader is gone before anything is printed
    let output = child.wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && !stderr.contains("panicked"),
        "{stderr}"
    );
}

fn png() -> Vec<u8> {
    let mut png = std::io::Cursor::new(Vec::new());
    image::RgbImage::from_fn(8, 8, |x, y| image::Rgb([x as u8 * 30, y as u8 * 30, 90]))
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    png.into_inner()
}

const PICTURES_PASS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация ВерсияСхемы="2.04" ДатаФормирования="2026-11-29T10:00:00">
  <Каталог СодержитТолькоИзменения="true">
    <Ид>catalog</Ид><ИдКлассификатора>catalog</ИдКлассификатора><Наименование>Каталог</Наименование>
    <Товары><Товар><Ид>5wceZf8djXSdCHMIIIWw-3</Ид><Наименование>OMEN</Наименование>
      <Картинка>omen_imageid.png</Картинка></Товар></Товары>
  </Каталог>
</КоммерческаяИнформация>"#;

async fn images_of_omen(app: &TestApp) -> Vec<serde_json::Value> {
    let (status, product) =
        crate::catalog_support::get_json(app, "/api/v1/products/5wceZf8djXSdCHMIIIWw-3").await;
    assert_eq!(status, 200, "{product}");
    product["images"].as_array().cloned().unwrap_or_default()
}

app_test!(async fn pictures_missing_from_a_pass_or_broken_are_never_wiped(app) {
    use crate::catalog_support::{fixture, import};
    import(app, &[&fixture("moysklad__import_full.xml"), &fixture("moysklad__offers_full.xml")]).await.ok();
    let with = tempfile::tempdir().unwrap();
    std::fs::write(with.path().join("import.xml"), PICTURES_PASS).unwrap();
    std::fs::write(with.path().join("omen_imageid.png"), png()).unwrap();
    import(app, &[&with.path().join("import.xml").display().to_string()]).await.ok();
    let before = images_of_omen(app).await;
    assert_eq!(before.len(), 1);
    // The same document without its picture file (a data pass): the picture stays, one warning.
    let without = tempfile::tempdir().unwrap();
    std::fs::write(without.path().join("import.xml"), PICTURES_PASS).unwrap();
    let out = import(app, &[&without.path().join("import.xml").display().to_string()]).await.ok();
    let kept = Message::WarnPictureMissing { product: "5wceZf8djXSdCHMIIIWw-3".into(), path: "omen_imageid.png".into() }.text(Lang::Ru);
    assert_eq!(out.matches(&kept).count(), 1, "{out}");
    assert_eq!(images_of_omen(app).await, before);
    // A file that claims to be a picture but does not decode: refused with a reason, kept too.
    let broken = tempfile::tempdir().unwrap();
    std::fs::write(broken.path().join("import.xml"), PICTURES_PASS).unwrap();
    let mut damaged = png();
    damaged.truncate(damaged.len() / 2);
    std::fs::write(broken.path().join("omen_imageid.png"), damaged).unwrap();
    let out = import(app, &[&broken.path().join("import.xml").display().to_string()]).await.ok();
    assert!(out.contains("повреждён и не читается как картинка"), "{out}");
    assert_eq!(images_of_omen(app).await, before);
    // Every stored picture answers its thumbnails; one stored before pictures were decoded
    // on arrival, that does not decode, answers 404, never a 500.
    let url = before[0]["url"].as_str().unwrap();
    assert_eq!(app.get(HOST, &format!("{url}?w=160")).await.status(), 200);
    let hash = url.rsplit('/').next().unwrap();
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let stored = app.data_dir().join(format!("files/tenants/{}/pictures/{hash}", tenant.0));
    std::fs::write(&stored, b"GIF89a but nothing else").unwrap();
    let old = app.get(HOST, &format!("{url}?w=320")).await;
    assert_eq!(old.status(), 404);
    assert!(old.headers()["content-type"].to_str().unwrap().starts_with("application/json"));

    // The panel refuses a file that claims to be a GIF but does not decode, with the reason.
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    let (content_type, body) = crate::admin::multipart(&[("fake.gif", b"GIF89a not really".to_vec())]);
    let refused = crate::admin::send(
        app.http.post(format!("{}/admin/catalog/products/5wceZf8djXSdCHMIIIWw-3/pictures", app.address))
            .header("host", HOST).header("cookie", owner).header("sec-fetch-site", "same-origin")
            .header("content-type", content_type).body(body),
    ).await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("fake.gif") && refused.body.contains("повреждён"), "{}", refused.body);
    assert!(app.db.admin_pictures(tenant, "5wceZf8djXSdCHMIIIWw-3").await.unwrap().is_empty());
});

app_test!(async fn a_job_whose_import_committed_before_a_crash_is_a_success(app) {
    use crate::exchange::{import_until_done, upload_in_chunks};
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    let xml = std::fs::read(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap();
    upload_in_chunks(app, &cookie, "import.xml", &xml, 1 << 20).await;
    let done = import_until_done(app, &cookie, "import.xml").await;
    assert!(done.starts_with("success\n"), "{done}");
    // As if the process died right after the catalog committed, before the job was told:
    // the job still says running, its owner is a process that is gone.
    let gone = format!("{}:{}", hostname(), u32::MAX - 7);
    let sql = "UPDATE exchange_jobs SET state = 'running', message = NULL, report = NULL, owner = $1";
    match &app.db {
        vitrina_store::Db::Sqlite(pool) => sqlx::query(sql).bind(&gone).execute(pool).await.map(drop),
        vitrina_store::Db::Postgres(pool) => sqlx::query(sql).bind(&gone).execute(pool).await.map(drop),
    }
    .unwrap();
    let answer = import_until_done(app, &cookie, "import.xml").await;
    // The same summary (the stored report's time leaves out publishing).
    let without_time = |text: &str| text.rsplit_once("; ").map(|(counts, _)| counts.to_owned());
    assert_eq!(without_time(&answer), without_time(&done), "what committed is what the client hears: {answer}");
});

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .to_owned()
}
