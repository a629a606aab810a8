//! The admin panel over real HTTP, as a browser's forms use it: signing in, the shop owner's
//! set-up of the MoySklad exchange, permissions on every page, and refused cross-site posts.
//! (`admin_browser.rs` drives the same pages in Chromium.)

use vitrina::i18n::{Lang, Message};
use vitrina_store::OrderStatus;

use crate::app_test;
use crate::helpers::{ADMIN_PASSWORD, TestApp};

pub(crate) const HOST: &str = "demo.localhost";
pub(crate) const OWNER: &str = "admin@demo.localhost";
use crate::exchange_client::EXCHANGE_PATH as EXCHANGE;

/// What a panel request answered.
#[derive(Debug)]
pub(crate) struct Answer {
    pub status: u16,
    pub location: String,
    pub cookie: Option<String>,
    pub body: String,
}

/// A urlencoded form body, as a browser sends it.
pub(crate) trait FormBody {
    fn form_fields(self, fields: &[(&str, &str)]) -> Self;
}

impl FormBody for reqwest::RequestBuilder {
    fn form_fields(self, fields: &[(&str, &str)]) -> Self {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }
}

pub(crate) async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("request");
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (location, set_cookie) = (header("location"), header("set-cookie"));
    Answer {
        status: response.status().as_u16(),
        location,
        cookie: (!set_cookie.is_empty()).then_some(set_cookie),
        body: response.text().await.unwrap(),
    }
}

/// GET a panel page with the session cookie.
pub(crate) async fn page(app: &TestApp, session: &str, path: &str) -> Answer {
    let request = app
        .http
        .get(format!("{}{path}", app.address))
        .header("host", HOST)
        .header("cookie", session);
    send(request).await
}

/// POST a form from a page of the panel itself (what a browser says: `Sec-Fetch-Site`).
pub(crate) async fn post(
    app: &TestApp,
    session: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> Answer {
    let request = app
        .http
        .post(format!("{}{path}", app.address))
        .header("host", HOST)
        .header("cookie", session)
        .header("sec-fetch-site", "same-origin")
        .form_fields(fields);
    send(request).await
}

/// Signs in; the session cookie (`name=value`) or the refusal page.
pub(crate) async fn sign_in(app: &TestApp, email: &str, password: &str) -> Result<String, Answer> {
    let answer = post(
        app,
        "",
        "/admin/login",
        &[("email", email), ("password", password)],
    )
    .await;
    match (&answer.status, &answer.cookie) {
        (303, Some(cookie)) => Ok(cookie.split(';').next().unwrap().to_owned()),
        _ => Err(answer),
    }
}

async fn checkauth(app: &TestApp, email: &str, password: &str) -> String {
    let moysklad = app.exchange().basic(email, password);
    moysklad.get("type=catalog&mode=checkauth").await.text()
}

/// The text a page shows for a message (as the template escapes it).
pub(crate) fn shown(message: &Message) -> String {
    escaped(&message.text(Lang::Ru))
}

/// `text` as the templates escape it for HTML.
pub(crate) fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2f;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

app_test!(async fn the_owner_sets_up_the_moysklad_exchange_as_the_guide_says(app) {
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap_or_else(|a| panic!("{}", a.body));
    // Настройки → Сотрудники: the form at the bottom of the list.
    let created = post(app, &owner, "/admin/employees", &[
        ("name", "МойСклад"), ("email", "sklad@shop.ru"), ("password", "склад-пароль-2026"), ("admin_access", "on"),
    ]).await;
    assert_eq!((created.status, created.location.as_str()), (303, "/admin/employees?done=employee_created"));
    let list = page(app, &owner, "/admin/employees?done=employee_created").await;
    assert!(list.body.contains("Сотрудник создан") && list.body.contains("sklad@shop.ru"), "{}", list.body);
    // Before any group, the employee may not connect.
    assert!(checkauth(app, "sklad@shop.ru", "склад-пароль-2026").await.starts_with("failure\n"));

    // Настройки → Права доступа: create the group, tick "Импорт CommerceML", add the employee.
    let group = post(app, &owner, "/admin/groups", &[("name", "МойСклад")]).await;
    assert_eq!(group.status, 303);
    let group_path = group.location.split('?').next().unwrap().to_owned();
    let form = page(app, &owner, &format!("{group_path}/permissions")).await;
    assert!(form.body.contains("Интеграции") && form.body.contains("Импорт CommerceML"), "{}", form.body);
    let saved = post(app, &owner, &format!("{group_path}/permissions"), &[("permission", "integrations.commerceml_import")]).await;
    assert!(saved.location.ends_with("?done=permissions_saved"), "{}", saved.location);
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let employees = app.db.list_employees(tenant).await.unwrap();
    let sklad = employees.iter().find(|e| e.email == "sklad@shop.ru").unwrap();
    let members = page(app, &owner, &format!("{group_path}/members")).await;
    assert!(members.body.contains(&format!("<option value=\"{}\">", sklad.id)), "{}", members.body);
    let added = post(app, &owner, &format!("{group_path}/members"), &[("employee", &sklad.id.to_string())]).await;
    assert!(added.location.ends_with("?done=member_added"), "{}", added.location);
    let shown_group = page(app, &owner, &group_path).await;
    assert!(shown_group.body.contains("sklad@shop.ru") && shown_group.body.contains("Интеграции → Импорт CommerceML"));

    // "Проверить соединение" now succeeds, and a pushed catalog shows in the panel.
    assert!(checkauth(app, "sklad@shop.ru", "склад-пароль-2026").await.starts_with("success\n"));
    let integration = page(app, &owner, "/admin/integration").await;
    assert!(integration.body.contains(&escaped(&format!("http://{HOST}{EXCHANGE}"))), "the URL to paste");
    app.cli(&["import", "--tenant", "demo", "--no-progress",
        &crate::catalog_support::fixture("moysklad__import_full.xml"),
        &crate::catalog_support::fixture("moysklad__offers_full.xml")]).await.ok();
    let catalog = page(app, &owner, "/admin/catalog?q=omen").await;
    assert_eq!(catalog.status, 200);
    assert!(catalog.body.contains("5wceZf8djXSdCHMIIIWw-3"), "{}", catalog.body);
    let product = page(app, &owner, "/admin/catalog/products/5wceZf8djXSdCHMIIIWw-3").await;
    assert!(product.status == 200 && product.body.contains("79900"), "{}", product.body);
    // The picker of price types and warehouses lists what the files brought.
    let integration = page(app, &owner, "/admin/integration").await;
    // English is one click away, and stays chosen.
    let switch = page(app, &owner, "/admin/lang/en?next=/admin/employees").await;
    assert_eq!((switch.status, switch.location.as_str()), (303, "/admin/employees"));
    let chosen = switch.cookie.unwrap();
    assert!(chosen.starts_with("vitrina_lang=en;"), "{chosen}");
    let english = page(app, &format!("{owner}; vitrina_lang=en"), "/admin/employees").await;
    assert!(english.body.contains("<html lang=\"en\">") && english.body.contains("Create employee"), "{}", english.body);
    let price_types = app.db.list_price_types(tenant).await.unwrap();
    assert!(price_types.iter().all(|p| integration.body.contains(&p.external_id)));
});

app_test!(async fn the_history_shows_each_exchange_and_its_files(app) {
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    app.employee_with("sklad@shop.ru", "склад-пароль-2026", &["integrations.commerceml_import"]).await;
    // As MoySklad calls: Basic auth on every call, and the session cookie checkauth gave.
    let mut moysklad = app.exchange().basic("sklad@shop.ru", "склад-пароль-2026");
    moysklad.sign_in("catalog").await;
    moysklad.get("type=catalog&mode=init").await;
    let import = std::fs::read(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap();
    moysklad.upload("import.xml", &import, import.len()).await;
    let answer = moysklad.import_until_done("import.xml").await;
    assert!(answer.starts_with("success\n"), "{answer}");

    let history = page(app, &owner, "/admin/exchanges").await;
    assert_eq!(history.status, 200);
    assert!(history.body.contains("sklad@shop.ru") && history.body.contains("import.xml"), "{}", history.body);
    assert!(history.body.contains("badge success") && history.body.contains("<svg class=\"chart\""));
    let key = history.body.split("/admin/exchanges/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let detail = page(app, &owner, &format!("/admin/exchanges/{key}")).await;
    assert_eq!(detail.status, 200);
    assert!(detail.body.contains("174 товара; товары: 174 новых"), "{}", detail.body);
    assert!(detail.body.contains("checkauth") && detail.body.contains("<dd>174</dd>"), "{}", detail.body);
    let dashboard = page(app, &owner, "/admin").await;
    assert!(dashboard.body.contains(&format!("/admin/exchanges/{key}")), "the last exchange is linked");

    // The uploaded file comes back byte for byte.
    let download = app.http.get(format!("{}/admin/exchanges/{key}/files/import.xml", app.address))
        .header("host", HOST).header("cookie", &owner).send().await.unwrap();
    assert_eq!(download.status(), 200);
    assert!(download.headers()["content-disposition"].to_str().unwrap().contains("import.xml"));
    let original = std::fs::read(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap();
    assert_eq!(download.bytes().await.unwrap().to_vec(), original);
    assert_eq!(page(app, &owner, &format!("/admin/exchanges/{key}/files/other.xml")).await.status, 404);

    // "Повторить импорт" applies it again; nothing changed since, so nothing is written.
    assert!(detail.body.contains("Повторить импорт"));
    let rerun = post(app, &owner, &format!("/admin/exchanges/{key}/rerun"), &[]).await;
    assert_eq!(rerun.location, format!("/admin/exchanges/{key}?done=rerun_started"));
    let started = page(app, &owner, &rerun.location).await;
    assert!(started.body.contains("Импорт запущен заново"), "{}", started.body);
    let mut again = String::new();
    for _ in 0..200 {
        again = page(app, &owner, &format!("/admin/exchanges/{key}")).await.body;
        if !again.contains("badge running") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(again.contains("174 товара; товары: 0 новых, 0 изменено, 174 без изменений"), "{again}");
    assert_eq!(page(app, &owner, "/admin/exchanges/nope").await.status, 404);
});

app_test!(async fn who_may_not_sign_in_is_told_why_and_guessing_is_slowed(app) {
    let wrong = sign_in(app, OWNER, "not-the-password").await.unwrap_err();
    let unknown = sign_in(app, "nobody@demo.localhost", "not-the-password").await.unwrap_err();
    assert_eq!(wrong.status, 401);
    let same = shown(&Message::ExchangeWrongCredentials);
    assert!(wrong.body.contains(&same) && unknown.body.contains(&same), "one answer for both");
    app.cli(&["employee", "create", "--tenant", "demo", "--email", "no-panel@shop.ru", "--password", "склад-пароль-2026"]).await.ok();
    let refused = sign_in(app, "no-panel@shop.ru", "склад-пароль-2026").await.unwrap_err();
    assert!(refused.body.contains(&shown(&Message::AdminNoAccess)), "{}", refused.body);
    app.cli(&["employee", "create", "--tenant", "demo", "--email", "blocked@shop.ru", "--password", "склад-пароль-2026", "--admin-access"]).await.ok();
    let session = sign_in(app, "blocked@shop.ru", "склад-пароль-2026").await.expect("may sign in before blocking");
    assert_eq!(page(app, &session, "/admin").await.status, 200);
    app.cli(&["employee", "block", "--tenant", "demo", "--email", "blocked@shop.ru"]).await.ok();
    let after_block = page(app, &session, "/admin").await;
    assert_eq!((after_block.status, after_block.location.as_str()), (303, "/admin/login?next=/admin"), "blocking ends the session");
    let refused = sign_in(app, "blocked@shop.ru", "склад-пароль-2026").await.unwrap_err();
    assert!(refused.body.contains(&shown(&Message::AdminBlocked)), "{}", refused.body);

    // The owner's session cookie: HttpOnly, SameSite=Lax, only for the panel; sign-out ends it.
    let answer = post(app, "", "/admin/login", &[("email", OWNER), ("password", ADMIN_PASSWORD)]).await;
    let cookie = answer.cookie.unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/admin"), "{cookie}");
    let session = cookie.split(';').next().unwrap().to_owned();
    assert_eq!(post(app, &session, "/admin/logout", &[]).await.status, 303);
    assert_eq!(page(app, &session, "/admin").await.status, 303, "signed out");

    // Guessing one account: after ten failures even the right password waits.
    crate::helpers::clear_of_limiter_window_edge().await;
    for _ in 0..10 {
        sign_in(app, "victim@shop.ru", "guess-guess-guess").await.unwrap_err();
    }
    let slowed = sign_in(app, "victim@shop.ru", "guess-guess-guess").await.unwrap_err();
    assert!(slowed.body.contains(&shown(&Message::ExchangeTooManyAttempts)), "{}", slowed.body);
});

app_test!(async fn forms_from_other_sites_are_refused_and_change_nothing(app) {
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let url = format!("{}/admin/groups", app.address);
    let attempts = [
        vec![("sec-fetch-site", "cross-site")],
        vec![("sec-fetch-site", "same-site")],
        vec![("origin", "https://evil.example")],
        vec![],
    ];
    for headers in attempts {
        let mut request = app.http.post(&url).header("host", HOST).header("cookie", &owner).form_fields(&[("name", "Взлом")]);
        for (name, value) in &headers {
            request = request.header(*name, *value);
        }
        let answer = send(request).await;
        assert_eq!(answer.status, 403, "{headers:?}");
        assert!(answer.body.contains(&shown(&Message::CrossSiteRefused)), "{}", answer.body);
    }
    assert!(app.db.list_groups(tenant).await.unwrap().is_empty(), "no group was created");
    // Other sites may read the storefront API, never the panel.
    let api = app.http.get(format!("{}/api/v1/shop", app.address)).header("host", HOST)
        .header("origin", "https://shop-front.example").send().await.unwrap();
    assert_eq!(api.headers()["access-control-allow-origin"], "https://shop-front.example");
    let panel = app.http.get(format!("{}/admin/login", app.address)).header("host", HOST)
        .header("origin", "https://evil.example").send().await.unwrap();
    assert!(panel.headers().get("access-control-allow-origin").is_none());
    let preflight = app.http.request(reqwest::Method::OPTIONS, format!("{}/api/v1/orders", app.address))
        .header("host", HOST).header("origin", "https://shop-front.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type,idempotency-key").send().await.unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    assert!(preflight.headers()["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    let same_origin = app.http.post(&url).header("host", HOST).header("cookie", &owner)
        .header("origin", format!("http://{HOST}")).form_fields(&[("name", "Своя")]);
    assert_eq!(send(same_origin).await.status, 303, "an older browser's own Origin passes");
});

app_test!(async fn every_page_checks_the_employees_permissions(app) {
    app.employee_with("sklad@shop.ru", "склад-пароль-2026", &["integrations.commerceml_import"]).await;
    let robot = sign_in(app, "sklad@shop.ru", "склад-пароль-2026").await.unwrap();
    let home = page(app, &robot, "/admin").await;
    assert_eq!(home.status, 200);
    assert!(home.body.contains("нет доступа ни к одному разделу") && !home.body.contains("href=\"/admin/catalog\""), "{}", home.body);
    for path in ["/admin/catalog", "/admin/employees", "/admin/employees/1", "/admin/groups", "/admin/integration", "/admin/exchanges"] {
        let answer = page(app, &robot, path).await;
        assert_eq!(answer.status, 403, "{path}");
        assert!(answer.body.contains("Нет доступа: нужно право"), "{path}: {}", answer.body);
    }
    let created = post(app, &robot, "/admin/groups", &[("name", "Мои права")]).await;
    assert_eq!(created.status, 403);
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    assert_eq!(app.db.list_groups(tenant).await.unwrap().len(), 1, "only the group made by the CLI");
    // The exchange itself still works for this employee.
    assert!(checkauth(app, "sklad@shop.ru", "склад-пароль-2026").await.starts_with("success\n"));

    // The owner may not lock themselves out; settings are saved whole or not at all.
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    let owner_id = app.db.list_employees(tenant).await.unwrap().into_iter().find(|e| e.is_owner).unwrap().id;
    let refused = post(app, &owner, &format!("/admin/employees/{owner_id}/block"), &[("blocked", "true")]).await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains(&shown(&Message::CannotLockOut)), "{}", refused.body);
    let bad = post(app, &owner, "/admin/integration", &[("commerceml.file_limit", "8M"), ("commerceml.zip", "on")]).await;
    assert_eq!(bad.status, 400);
    let stored = app.db.tenant_settings(tenant).await.unwrap();
    assert!(!stored.contains_key("commerceml.zip"), "nothing saved: {stored:?}");
    let good = post(app, &owner, "/admin/integration", &[("commerceml.file_limit", "1048576"), ("commerceml.zip", "on"), ("commerceml.images", "replace")]).await;
    assert_eq!(good.location, "/admin/integration?done=settings_saved");
    let stored = app.db.tenant_settings(tenant).await.unwrap();
    assert_eq!(stored.get("commerceml.zip").map(String::as_str), Some("true"));
    assert_eq!(stored.get("commerceml.file_limit").map(String::as_str), Some("1048576"));
});

/// A `multipart/form-data` body with one `pictures` field per file, as a browser sends it.
pub(crate) fn multipart(files: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "vitrina-test-boundary-7d0c";
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"pictures\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn png(shade: u8) -> Vec<u8> {
    let image = image::RgbImage::from_pixel(40, 30, image::Rgb([shade, 100, 200]));
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

app_test!(async fn pictures_are_uploaded_ordered_and_deleted_in_the_panel(app) {
    app.cli(&["import", "--tenant", "demo", "--no-progress", &crate::catalog_support::fixture("moysklad__import_full.xml")]).await.ok();
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let product = "5wceZf8djXSdCHMIIIWw-3";
    let path = format!("/admin/catalog/products/{product}/pictures");
    let upload_url = format!("{}{path}", app.address);
    let upload = |files: Vec<(&'static str, Vec<u8>)>, session: String| {
        let url = upload_url.clone();
        async move {
        let (content_type, body) = multipart(&files);
        let request = app.http.post(url)
            .header("host", HOST).header("cookie", session).header("sec-fetch-site", "same-origin")
            .header("content-type", content_type).body(body);
        send(request).await
        }
    };
    let (first, second) = (png(10), png(250));
    let done = upload(vec![("front.png", first.clone()), ("back.png", second.clone())], owner.clone()).await;
    assert_eq!(done.location, format!("/admin/catalog/products/{product}?done=pictures_added"));
    let hashes = app.db.admin_pictures(tenant, product).await.unwrap();
    assert_eq!(hashes.len(), 2);
    // The storefront shows them after the exchange's, marked as uploaded in the panel.
    let api: serde_json::Value = app.get(HOST, &format!("/api/v1/products/{product}")).await.json().await.unwrap();
    let sources: Vec<&str> = api["images"].as_array().unwrap().iter().map(|i| i["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["admin", "admin"]);
    let served = app.get(HOST, &format!("/api/v1/pictures/{}", hashes[0])).await.bytes().await.unwrap();
    assert_eq!(served.to_vec(), first, "the bytes as uploaded");

    // Not a picture: refused with the file's name, nothing taken.
    let refused = upload(vec![("third.png", png(99)), ("notes.png", b"just text, not a PNG".to_vec())], owner.clone()).await;
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("notes.png") && refused.body.contains("ничего не загружено"), "{}", refused.body);
    assert_eq!(app.db.admin_pictures(tenant, product).await.unwrap(), hashes);

    // Reorder, then delete.
    let moved = post(app, &owner, &format!("{path}/{}/move", hashes[1]), &[("to", "up")]).await;
    assert!(moved.location.ends_with("?done=pictures_ordered"), "{}", moved.location);
    assert_eq!(app.db.admin_pictures(tenant, product).await.unwrap(), [hashes[1].clone(), hashes[0].clone()]);
    post(app, &owner, &format!("{path}/{}/delete", hashes[1]), &[]).await;
    assert_eq!(app.db.admin_pictures(tenant, product).await.unwrap(), [hashes[0].clone()]);
    let page_now = page(app, &owner, &format!("/admin/catalog/products/{product}?done=picture_deleted")).await;
    assert!(page_now.body.contains("Картинка удалена"), "the outcome is said");
    assert!(page_now.body.contains(&hashes[0]) && !page_now.body.contains(&hashes[1]));

    // Seeing the catalog is not changing it.
    app.employee_with("viewer@shop.ru", "склад-пароль-2026", &["catalog.view"]).await;
    let viewer = sign_in(app, "viewer@shop.ru", "склад-пароль-2026").await.unwrap();
    let viewed = page(app, &viewer, &format!("/admin/catalog/products/{product}")).await;
    assert_eq!(viewed.status, 200);
    assert!(!viewed.body.contains("multipart/form-data"), "no upload form without catalog.edit");
    assert_eq!(upload(vec![("x.png", png(1))], viewer).await.status, 403);
    assert_eq!(app.db.admin_pictures(tenant, product).await.unwrap().len(), 1);
});

app_test!(async fn orders_are_listed_shown_and_their_status_changed(app) {
    app.cli(&["import", "--tenant", "demo", "--no-progress", &crate::catalog_support::fixture("moysklad__import_full.xml"), &crate::catalog_support::fixture("moysklad__offers_full.xml")]).await.ok();
    let body = serde_json::json!({
        "customer": {"name": "Ольга Смирнова", "phone": "+7 900 000-00-00", "email": "olga@example.ru"},
        "address": "Тула", "comment": "", "lines": [{"external_id": "5wceZf8djXSdCHMIIIWw-3", "quantity": "1"}],
    });
    let placed = app.http.post(format!("{}/api/v1/orders", app.address)).header("host", HOST)
        .header("content-type", "application/json").body(body.to_string()).send().await.unwrap();
    assert_eq!(placed.status(), 201);
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    // Sent once and confirmed: nothing is pending for the accounting system.
    assert_eq!(app.db.orders_to_send(tenant, "test").await.unwrap().len(), 1);
    app.db.confirm_sent_orders(tenant, "test").await.unwrap();

    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();
    let list = page(app, &owner, "/admin/orders?q=ольга").await;
    assert!(list.body.contains("№ 1001") && list.body.contains("Ольга Смирнова"), "{}", list.body);
    assert!(!page(app, &owner, "/admin/orders?status=cancelled").await.body.contains("№ 1001"));
    let shown = page(app, &owner, "/admin/orders/1001").await;
    assert!(shown.body.contains("79900") && shown.body.contains("Тула") && shown.body.contains("storefront"), "{}", shown.body);
    let changed = post(app, &owner, "/admin/orders/1001/status", &[("status", "confirmed")]).await;
    assert_eq!(changed.location, "/admin/orders/1001?done=status_changed");
    let order = app.db.order_by_number(tenant, "1001").await.unwrap().unwrap();
    let history = app.db.order_history(tenant, order.id).await.unwrap();
    assert_eq!(history.last().map(|e| (e.status.as_str(), e.actor.as_str())), Some(("confirmed", OWNER)));
    assert_eq!(app.db.orders_to_send(tenant, "test").await.unwrap().len(), 1, "a change on the site is sent again");
    assert_eq!(post(app, &owner, "/admin/orders/1001/status", &[("status", "lost")]).await.status, 400);

    // Seeing orders is not managing them.
    app.employee_with("seller@shop.ru", "склад-пароль-2026", &["orders.view"]).await;
    let seller = sign_in(app, "seller@shop.ru", "склад-пароль-2026").await.unwrap();
    let seen = page(app, &seller, "/admin/orders/1001").await;
    assert_eq!(seen.status, 200);
    assert!(!seen.body.contains("/admin/orders/1001/status"), "no status form without orders.manage");
    assert_eq!(post(app, &seller, "/admin/orders/1001/status", &[("status", "cancelled")]).await.status, 403);
    assert_eq!(app.db.order_by_number(tenant, "1001").await.unwrap().unwrap().status, OrderStatus::Confirmed);
});
