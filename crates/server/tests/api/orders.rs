//! Orders both ways: storefronts place them over the API, MoySklad and 1C fetch them with
//! `type=sale&mode=query`, confirm with `success`, and send their changes back with `file`.

use serde_json::{Value, json};
use vitrina::i18n::{Lang, Message};

use vitrina_store::OrderStatus;

use crate::app_test;
use crate::catalog_support::fixture;
use crate::exchange_client::ExchangeClient;
use crate::helpers::TestApp;

const HOST: &str = "demo.localhost";
const OMEN: &str = "5wceZf8djXSdCHMIIIWw-3";

async fn catalog(app: &TestApp) {
    app.cli(&[
        "import",
        "--tenant",
        "demo",
        "--no-progress",
        &fixture("moysklad__import_full.xml"),
        &fixture("moysklad__offers_full.xml"),
    ])
    .await
    .ok();
}

async fn place(app: &TestApp, body: &Value, key: Option<&str>) -> (u16, Value) {
    let mut request = app
        .http
        .post(format!("{}/api/v1/orders", app.address))
        .header("host", HOST)
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

fn order(lines: &Value) -> Value {
    json!({
        "customer": {"name": "Ольга Смирнова", "phone": "+7 900 000-00-00", "email": "olga@example.ru"},
        "address": "Санкт-Петербург, Невский 1", "comment": "Позвонить заранее", "lines": lines,
    })
}

/// An accounting system signed in as `login` (Basic on every call and the session cookie), with
/// the answer of its `checkauth`.
async fn connect(app: &TestApp, login: &str) -> (ExchangeClient, String) {
    let mut client = app.exchange().basic(login, "склад-пароль-2026");
    let answer = client.sign_in("sale").await.text();
    (client, answer)
}

/// An employee with the import permission, and the orders one when `orders`.
async fn employee(app: &TestApp, email: &str, orders: bool) {
    let mut permissions = vec!["integrations.commerceml_import"];
    if orders {
        permissions.push("integrations.commerceml_orders");
    }
    app.employee_with(email, "склад-пароль-2026", &permissions)
        .await;
}

/// The orders of a query answer, read back with the commerceml crate.
fn documents(bytes: &[u8]) -> Vec<commerceml::Order> {
    let mut reader =
        commerceml::Reader::new(std::io::BufReader::new(bytes)).expect("a CommerceML document");
    let mut orders = Vec::new();
    while let Some(item) = reader.next_item().expect("readable") {
        if let commerceml::Item::Order(order) = item {
            orders.push(*order);
        }
    }
    orders
}

fn change_file(number: &str, requisites: &[(&str, &str)]) -> Vec<u8> {
    let values: String = requisites.iter().map(|(name, value)| format!(
        "<ЗначениеРеквизита><Наименование>{name}</Наименование><Значение>{value}</Значение></ЗначениеРеквизита>"
    )).collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<КоммерческаяИнформация ВерсияСхемы=\"2.04\" ДатаФормирования=\"2026-11-29T10:00:00\">\
         <Документ><Ид>{number}</Ид><Номер>{number}</Номер><Дата>2026-11-29</Дата><ХозОперация>Заказ товара</ХозОперация>\
         <Роль>Продавец</Роль><Валюта>RUB</Валюта><Курс>1</Курс><Сумма>159800</Сумма>\
         <ЗначенияРеквизитов>{values}</ЗначенияРеквизитов></Документ></КоммерческаяИнформация>"
    ).into_bytes()
}

app_test!(async fn storefronts_place_orders_priced_by_the_catalog(app) {
    catalog(app).await;
    let (status, created) = place(app, &order(&json!([{"external_id": OMEN, "quantity": "2"}])), Some("cart-17")).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["number"], "1001");
    assert_eq!(created["status"], "new");
    assert_eq!(created["lines"][0]["price"], "79900", "the catalog's price, not the client's");
    assert_eq!(created["total"], "159800");
    assert_eq!(created["currency"], "RUB");
    // The answer is what the OpenAPI document promises, field for field.
    let spec: Value = app.get(HOST, "/api/v1/openapi.json").await.json().await.unwrap();
    let promised: Vec<&String> = spec["components"]["schemas"]["Order"]["properties"].as_object().unwrap().keys().collect();
    let given: Vec<&String> = created.as_object().unwrap().keys().collect();
    assert_eq!(given.len(), promised.len(), "{given:?} vs {promised:?}");
    assert!(given.iter().all(|k| promised.contains(k)), "{given:?} vs {promised:?}");
    assert!(spec["paths"]["/api/v1/orders"]["post"].is_object());
    // The statuses it promises are the stored words, no more and no fewer.
    let promised = &spec["components"]["schemas"]["Order"]["properties"]["status"]["enum"];
    assert_eq!(promised, &json!(OrderStatus::WORDS));
    // The secret status URL shows the same order.
    let url = created["status_url"].as_str().unwrap();
    let shown: Value = app.get(HOST, url).await.json().await.unwrap();
    assert_eq!(shown["number"], "1001");
    assert_eq!(shown["history"][0]["status"], "new");
    assert_eq!(app.get(HOST, "/api/v1/orders/status/guess").await.status(), 404);
    // The same request with the same key: the same order; another request with it: refused.
    let (status, again) = place(app, &order(&json!([{"external_id": OMEN, "quantity": "2"}])), Some("cart-17")).await;
    assert_eq!((status, &again["number"]), (200, &json!("1001")));
    let (status, reused) = place(app, &order(&json!([{"external_id": OMEN, "quantity": "3"}])), Some("cart-17")).await;
    assert_eq!(status, 409, "{reused}");
    // Refusals name the line and change nothing.
    for (lines, reason) in [
        (json!([{"external_id": "no-such-product", "quantity": "1"}]), Message::OrderUnknownItem),
        (json!([{"external_id": OMEN, "quantity": "0"}]), Message::OrderBadQuantity { value: "0".into() }),
        (json!([{"external_id": OMEN, "quantity": "-1"}]), Message::OrderBadQuantity { value: "-1".into() }),
    ] {
        let (status, body) = place(app, &order(&lines), None).await;
        assert_eq!(status, 400, "{lines}");
        let id = lines[0]["external_id"].as_str().unwrap().to_owned();
        let expected = Message::OrderBadLine { line: 1, id, reason: Box::new(reason) }.text(Lang::Ru);
        assert_eq!(body["error"]["message"], expected);
    }
    let (status, _) = place(app, &order(&json!([])), None).await;
    assert_eq!(status, 400);
    app.cli(&["settings", "set", "--tenant", "demo", "orders.allow_oversell", "false"]).await.ok();
    let (status, body) = place(app, &order(&json!([{"external_id": OMEN, "quantity": "5"}])), None).await;
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("в наличии только 1"), "{body}");
    let (status, next) = place(app, &order(&json!([{"external_id": OMEN, "quantity": "1"}])), None).await;
    assert_eq!((status, &next["number"]), (201, &json!("1002")), "refusals took no number");
    // Orders placed at the same moment get numbers of their own.
    app.cli(&["settings", "set", "--tenant", "demo", "orders.allow_oversell", "true"]).await.ok();
    let body = order(&json!([{"external_id": OMEN, "quantity": "1"}]));
    let placed = futures_util::future::join_all((0..8).map(|_| place(app, &body, None))).await;
    let mut numbers: Vec<String> = placed.iter().map(|(status, o)| {
        assert_eq!(*status, 201, "{o}");
        o["number"].as_str().unwrap().to_owned()
    }).collect();
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 8, "{numbers:?}");
});

app_test!(async fn orders_go_to_moysklad_and_its_changes_come_back(app) {
    catalog(app).await;
    employee(app, "sklad@shop.ru", true).await;
    for quantity in ["1", "2"] {
        place(app, &order(&json!([{"external_id": OMEN, "quantity": quantity}])), None).await;
    }
    // Off by default, as the guide says.
    let (client, checkauth) = connect(app, "sklad@shop.ru").await;
    assert!(checkauth.starts_with("success\n"), "the connection check passes: {checkauth}");
    assert_eq!(client.get("type=sale&mode=query").await.text(), format!("failure\n{}", Message::OrdersOff.text(Lang::Ru)));
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.orders", "true"]).await.ok();

    assert!(client.get("type=sale&mode=init").await.text().starts_with("zip=no\nfile_limit="));
    let query = client.get("type=sale&mode=query").await;
    let (content_type, first) = (query.content_type, query.body);
    assert_eq!(content_type, "application/xml; charset=UTF-8");
    assert!(first.starts_with(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), "declaration, no BOM");
    let orders = documents(&first);
    assert_eq!(orders.iter().map(|o| o.number.clone().unwrap()).collect::<Vec<_>>(), ["1001", "1002"]);
    assert_eq!(orders[0].operation.as_deref(), Some("Заказ товара"));
    assert_eq!(orders[0].lines[0].id, OMEN, "the catalog's own Ид");
    assert_eq!(orders[1].sum.unwrap().to_string(), "159800");
    assert_eq!(orders[0].contractors[0].name.as_deref(), Some("Ольга Смирнова"));
    // Without success they come again; after success, never again.
    assert_eq!(documents(&client.get("type=sale&mode=query").await.body).len(), 2);
    assert_eq!(client.get("type=sale&mode=success").await.text(), "success\n");
    assert!(documents(&client.get("type=sale&mode=query").await.body).is_empty());
    client.get("type=sale&mode=success").await.text();

    // MoySklad's change file: its number, shipped and paid; applied once, kept on repeats.
    let file = change_file("1001", &[("Номер по 1С", "00005"), ("Статус заказа", "Отгружен"), ("Заказ оплачен", "true")]);
    assert_eq!(client.post("type=sale&mode=file&filename=C:%5CExchange%5Corders.xml", file.clone()).await.text(), "success\n");
    assert_eq!(client.post("type=sale&mode=file&filename=orders.xml", file).await.text(), "success\n");
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let changed = app.db.order_by_number(tenant, "1001").await.unwrap().unwrap();
    assert_eq!((changed.status.as_str(), changed.paid, changed.accounting_number.as_deref()), ("shipped", true, Some("00005")));
    let history = app.db.order_history(tenant, changed.id).await.unwrap();
    assert_eq!(history.iter().map(|e| (e.status.as_str(), e.actor.as_str())).collect::<Vec<_>>(), [("new", "storefront"), ("shipped", "accounting")]);
    // Changes that came from the accounting system are not sent back to it.
    assert!(documents(&client.get("type=sale&mode=query").await.body).is_empty());

    // Old 1C wants windows-1251: declaration, Content-Type and length say so.
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.orders_encoding", "windows-1251"]).await.ok();
    place(app, &order(&json!([{"external_id": OMEN, "quantity": "1"}])), None).await;
    let answer = client.get("type=sale&mode=query").await;
    assert_eq!(answer.content_type, "application/xml; charset=windows-1251");
    let bytes = answer.body;
    assert_eq!(Some(bytes.len()), answer.content_length);
    assert!(bytes.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>"));
    let sent = documents(&bytes);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].contractors[0].name.as_deref(), Some("Ольга Смирнова"));
    client.get("type=sale&mode=success").await.text();

    // Bad input: a failure that names the problem, and nothing changes.
    let unknown = client.post("type=sale&mode=file&filename=orders.xml", change_file("9999", &[("Статус заказа", "Отменен")])).await.text();
    assert!(unknown.starts_with("failure\n") && unknown.contains("9999"), "{unknown}");
    let broken = client.post("type=sale&mode=file&filename=orders.xml", b"<not-closed>".to_vec()).await.text();
    assert!(broken.starts_with("failure\norders.xml, строка"), "{broken}");
    let after = app.db.order_by_number(tenant, "1001").await.unwrap().unwrap();
    assert_eq!(after.status, OrderStatus::Shipped);
    employee(app, "catalog-only@shop.ru", false).await;
    let (no_right, _) = connect(app, "catalog-only@shop.ru").await;
    let refused = no_right.get("type=sale&mode=query").await.text();
    assert_eq!(refused, format!("failure\n{}", Message::ExchangeNoOrdersPermission.text(Lang::Ru)));
    let anonymous = app.exchange().get("type=sale&mode=query").await.text();
    assert!(anonymous.starts_with("failure\n"), "{anonymous}");
});

app_test!(async fn the_1c_order_samples_apply_to_matching_orders(app) {
    catalog(app).await;
    employee(app, "1c@shop.ru", true).await;
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.orders", "true"]).await.ok();
    for first in ["20", "142", "235"] {
        app.cli(&["settings", "set", "--tenant", "demo", "orders.first_number", first]).await.ok();
        let (status, body) = place(app, &order(&json!([{"external_id": OMEN, "quantity": "1"}])), None).await;
        assert_eq!((status, body["number"].as_str()), (201, Some(first)));
    }
    let (client, _) = connect(app, "1c@shop.ru").await;
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let old = std::fs::read(fixture("1c-official__orders_to_site_cp1251.xml")).unwrap();
    assert_eq!(client.post("type=sale&mode=file&filename=orders.xml", old).await.text(), "success\n");
    let twenty = app.db.order_by_number(tenant, "20").await.unwrap().unwrap();
    assert!(twenty.paid, "Заказ оплачен = true");
    assert_eq!(twenty.status, OrderStatus::Completed, "Финальный статус = true, «[F] Доставлен»");
    assert!(twenty.shipped, "Доставлен");
    let ut11 = std::fs::read(fixture("1c-ut11__documents_2.09.xml")).unwrap();
    let answer = client.post("type=sale&mode=file&filename=documents.xml", ut11).await.text();
    assert_eq!(answer, "success\n");
    let order_142 = app.db.order_by_number(tenant, "142").await.unwrap().unwrap();
    assert_eq!(order_142.accounting_number.as_deref(), Some("ТДЦУ-000001"));
});

app_test!(async fn documents_wrapped_in_a_container_apply_like_bare_ones(app) {
    // The 1C-Bitrix exchange module 6.5 and later send several Документ in one Контейнер.
    catalog(app).await;
    employee(app, "1c@shop.ru", true).await;
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.orders", "true"]).await.ok();
    for _ in 0..2 {
        place(app, &order(&json!([{"external_id": OMEN, "quantity": "1"}])), None).await;
    }
    let (client, _) = connect(app, "1c@shop.ru").await;
    let container = std::fs::read(fixture("shapes/orders_container.xml")).unwrap();
    assert_eq!(client.post("type=sale&mode=file&filename=orders.xml", container).await.text(), "success\n");
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    let first = app.db.order_by_number(tenant, "1001").await.unwrap().unwrap();
    let second = app.db.order_by_number(tenant, "1002").await.unwrap().unwrap();
    assert_eq!((first.status.as_str(), second.status.as_str()), ("shipped", "cancelled"));
});

#[test]
fn the_orders_document_uses_only_names_of_the_commerceml_schema() {
    use vitrina::orders::document::{Encoding, write};
    use vitrina_store::{OrderLineRow, OrderRow};
    let Some(shared) = crate::catalog_support::shared_dir() else {
        eprintln!("skipped: ../shared/commerceml/xsd is not beside this checkout");
        return;
    };
    let xsd = std::fs::read_to_string(shared.join("commerceml/xsd/commerceml-2.10.xsd")).unwrap();
    let order = OrderRow {
        id: 1,
        number: "1001".into(),
        status: OrderStatus::Paid,
        customer_name: "Ёлкин & Сын".into(),
        customer_phone: "+7 900".into(),
        customer_email: "e@x.ru".into(),
        address: "Тула".into(),
        comment: "<без звонка>".into(),
        currency: Some("RUB".into()),
        total: "10.5".into(),
        status_token: "t".into(),
        request_hash: None,
        accounting_number: None,
        paid: true,
        shipped: false,
        revision: 1,
        created_at: 1_795_926_012_220,
        updated_at: 1_795_926_012_220,
    };
    let line = OrderLineRow {
        external_id: "p#v".into(),
        name: "Чай".into(),
        sku: "T-1".into(),
        unit: Some("шт".into()),
        quantity: "1.5".into(),
        price: "7".into(),
        sum: "10.5".into(),
    };
    let utf8 = write(
        &[(order.clone(), vec![line.clone()])],
        1_795_926_012_220,
        Encoding::Utf8,
    );
    let text = String::from_utf8(utf8.clone()).unwrap();
    let mut names = std::collections::BTreeSet::new();
    for tag in text.split('<').skip(2) {
        let head = tag.split(['>', ' ', '/']).next().unwrap_or_default();
        if !head.is_empty() && !head.starts_with('?') {
            names.insert(head.to_owned());
        }
        for attr in tag.split('>').next().unwrap_or_default().split(' ').skip(1) {
            if let Some((name, _)) = attr.split_once('=') {
                names.insert(name.to_owned());
            }
        }
    }
    for name in &names {
        assert!(
            xsd.contains(&format!("name=\"{name}\"")),
            "{name} is not in commerceml-2.10.xsd"
        );
    }
    // Read back: the crate sees the order, its line and the escaped texts whole.
    let read = documents(&utf8);
    assert_eq!(read[0].comment.as_deref(), Some("<без звонка>"));
    assert_eq!(read[0].lines[0].id, "p#v");
    // windows-1251 for old 1C: declared so, and read back the same.
    let cp1251 = write(
        &[(order, vec![line])],
        1_795_926_012_220,
        Encoding::Windows1251,
    );
    assert!(cp1251.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>"));
    assert_eq!(
        documents(&cp1251)[0].contractors[0].name.as_deref(),
        Some("Ёлкин & Сын")
    );
}
