//! Orders both ways: storefronts place them over the API, MoySklad and 1C fetch them with
//! `type=sale&mode=query`, confirm with `success`, and send their changes back with `file`.

use commerceml::Decimal;
use serde_json::{Value, json};
use vitrina::i18n::{Lang, Message};

use vitrina_store::OrderStatus;

use crate::app_test;
use crate::catalog_support::fixture;
use crate::exchange_client::ExchangeClient;
use crate::helpers::TestApp;

const HOST: &str = "demo.localhost";
const OMEN: &str = "5wceZf8djXSdCHMIIIWw-3";

/// The MoySklad sample catalog, imported from the command line.
pub(crate) async fn catalog(app: &TestApp) {
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
    use vitrina::orders::document::{DELIVERY_ID, Encoding, write};
    use vitrina_store::{CustomerKind, OrderLineRow, OrderRow};
    let Some(shared) = crate::catalog_support::shared_dir() else {
        eprintln!("skipped: ../shared/commerceml/xsd is not beside this checkout");
        return;
    };
    let xsd = std::fs::read_to_string(shared.join("commerceml/xsd/commerceml-2.10.xsd")).unwrap();
    let person = OrderRow {
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
        sent_revision: 0,
        exported_revision: 0,
        customer_kind: CustomerKind::Person,
        company_inn: String::new(),
        company_kpp: String::new(),
        legal_address: String::new(),
        delivery_price: None,
        delivery_method: String::new(),
        delivery_address: String::new(),
        payment_method: String::new(),
        discount_percent: None,
        discount_amount: "0".into(),
        extra: "{}".into(),
        created_at: 1_795_926_012_220,
        updated_at: 1_795_926_012_220,
        changed_at: 1_795_926_012_220,
    };
    let line = OrderLineRow {
        external_id: "p#v".into(),
        name: "Чай".into(),
        sku: "T-1".into(),
        unit: Some("шт".into()),
        quantity: "1.5".into(),
        price: "7".into(),
        discount_percent: None,
        line_discount: "0".into(),
        order_discount: "0".into(),
        sum: "10.5".into(),
    };
    // A company with delivery, both kinds of discount, a payment method and fields of its own.
    let company = OrderRow {
        number: "1002".into(),
        customer_name: "ООО «Ромашка»".into(),
        customer_kind: CustomerKind::Company,
        company_inn: "7707083893".into(),
        company_kpp: "773601001".into(),
        legal_address: "Москва, ул. Вавилова, 19".into(),
        delivery_price: Some("350".into()),
        delivery_method: "Курьер".into(),
        delivery_address: "Москва, Тверская 1".into(),
        payment_method: "Счёт".into(),
        discount_percent: Some("10".into()),
        discount_amount: "1.05".into(),
        extra: r#"{"Промокод":"ЗИМА"}"#.into(),
        total: "358.45".into(),
        ..person.clone()
    };
    let discounted = OrderLineRow {
        line_discount: "1".into(),
        order_discount: "1.05".into(),
        sum: "8.45".into(),
        ..line.clone()
    };
    let orders = [(person, vec![line]), (company, vec![discounted])];
    let utf8 = write(&orders, 1_795_926_012_220, Encoding::Utf8);
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
    for expected in [
        "ОфициальноеНаименование",
        "ИНН",
        "КПП",
        "ЮридическийАдрес",
        "Скидки",
        "Скидка",
        "УчтеноВСумме",
        "Процент",
    ] {
        assert!(names.contains(expected), "{expected} is written");
    }
    for name in &names {
        assert!(
            xsd.contains(&format!("name=\"{name}\"")),
            "{name} is not in commerceml-2.10.xsd"
        );
    }
    // Read back: the crate sees both orders, their buyers, lines, discounts and texts whole.
    let read = documents(&utf8);
    assert_eq!(read[0].comment.as_deref(), Some("<без звонка>"));
    assert_eq!(read[0].lines[0].id, "p#v");
    assert_eq!(read[0].contractors[0].inn, None, "a person has no ИНН");
    let buyer = &read[1].contractors[0];
    assert_eq!(
        (buyer.inn.as_deref(), buyer.kpp.as_deref()),
        (Some("7707083893"), Some("773601001"))
    );
    assert_eq!(buyer.full_name.as_deref(), Some("ООО «Ромашка»"));
    assert_eq!(
        buyer.legal_address.as_deref(),
        Some("Москва, ул. Вавилова, 19")
    );
    assert_eq!(buyer.role.as_deref(), Some("Покупатель"));
    let goods = &read[1].lines[0];
    let taken: Vec<(String, String)> = goods
        .discounts
        .iter()
        .map(|d| (d.name.clone(), d.sum.unwrap().to_string()))
        .collect();
    assert_eq!(
        taken,
        [
            ("Скидка на товар".to_owned(), "1".to_owned()),
            ("Скидка на заказ".to_owned(), "1.05".to_owned())
        ]
    );
    assert!(goods.discounts.iter().all(|d| d.included));
    assert_eq!(
        read[1].discounts[0]
            .percent
            .map(|p| p.to_string())
            .as_deref(),
        Some("10")
    );
    let delivery = &read[1].lines[1];
    assert_eq!(
        (delivery.id.as_str(), delivery.name.as_deref()),
        (DELIVERY_ID, Some("Доставка"))
    );
    assert_eq!(
        delivery
            .requisites
            .iter()
            .find(|r| r.name == "ВидНоменклатуры")
            .map(|r| r.value.as_str()),
        Some("Услуга")
    );
    // The lines add up to the document's sum.
    let lines: commerceml::Decimal = read[1].lines.iter().map(|l| l.sum.unwrap()).sum();
    assert_eq!(Some(lines), read[1].sum);
    assert_eq!(read[1].requisite("Промокод"), Some("ЗИМА"));
    assert_eq!(read[1].requisite("Метод оплаты"), Some("Счёт"));
    assert_eq!(read[1].requisite("Способ доставки"), Some("Курьер"));
    // windows-1251 for old 1C: declared so, and read back the same.
    let cp1251 = write(&orders, 1_795_926_012_220, Encoding::Windows1251);
    assert!(cp1251.starts_with(b"<?xml version=\"1.0\" encoding=\"windows-1251\"?>"));
    assert_eq!(
        documents(&cp1251)[1].contractors[0].name.as_deref(),
        Some("ООО «Ромашка»")
    );
}

/// Two products the catalog sells, with their prices.
async fn two_priced(app: &TestApp) -> [(String, Decimal); 2] {
    let priced: Vec<(String, Decimal)> = crate::catalog_support::all_products(app, "")
        .await
        .iter()
        .filter_map(|p| {
            let amount = p["price"]["amount"].as_str()?;
            Some((p["external_id"].as_str()?.to_owned(), amount.parse().ok()?))
        })
        .filter(|(_, price)| *price > Decimal::from(1000))
        .collect();
    [priced[0].clone(), priced[1].clone()]
}

fn money(value: &Value) -> Decimal {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value}"))
        .parse()
        .unwrap()
}

fn kopecks(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
}

fn company_order(a: &str, b: &str) -> Value {
    json!({
        "customer": {
            "kind": "company", "name": "ООО «Ромашка»", "phone": "+7 495 000-00-00",
            "email": "zakaz@romashka.ru", "inn": "7707083893", "kpp": "773601001",
            "legal_address": "Москва, ул. Вавилова, 19",
        },
        "lines": [
            {"external_id": a, "quantity": "2", "discount_percent": "10"},
            {"external_id": b, "quantity": "1", "discount_amount": "100"},
        ],
        "delivery": {"method": "Курьер", "price": "350", "address": "Москва, Тверская 1"},
        "payment_method": "Счёт для юрлица",
        "discount_percent": "5",
        "extra": {"Промокод": "ЗИМА"},
    })
}

app_test!(async fn a_company_order_with_delivery_and_discounts_reaches_moysklad_whole(app) {
    catalog(app).await;
    employee(app, "sklad@shop.ru", true).await;
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.orders", "true"]).await.ok();
    let [(a, price_a), (b, price_b)] = two_priced(app).await;
    // What the order must come to, from the catalog's prices and the rules in the API guide.
    let own_a = kopecks(price_a * Decimal::from(2) / Decimal::from(10));
    let net_a = price_a * Decimal::from(2) - own_a;
    let net_b = price_b - Decimal::from(100);
    let goods = net_a + net_b;
    let order_discount = kopecks(goods * Decimal::from(5) / Decimal::from(100));
    let total = goods - order_discount + Decimal::from(350);

    // Refusals name the field, and take no order number.
    let body = company_order(&a, &b);
    let with = |path: &[&str], value: Value| {
        let mut body = body.clone();
        let mut at = &mut body;
        for key in &path[..path.len() - 1] {
            at = if let Ok(i) = key.parse::<usize>() { &mut at[i] } else { &mut at[*key] };
        }
        at[path[path.len() - 1]] = value;
        body
    };
    let without_kpp = { let mut b = body.clone(); b["customer"].as_object_mut().unwrap().remove("kpp"); b };
    let person_with_inn = with(&["customer", "kind"], json!("person"));
    for (refused, field) in [
        (with(&["customer", "inn"], json!("7707083894")), "customer.inn"),
        (with(&["customer", "inn"], json!("77070838")), "customer.inn"),
        (without_kpp, "customer.kpp"),
        (with(&["customer", "kpp"], json!("77360100")), "customer.kpp"),
        (person_with_inn, "customer.inn"),
        (with(&["coupon"], json!("ЗИМА")), "coupon"),
        (with(&["customer", "vat_id"], json!("1")), "customer.vat_id"),
        (with(&["delivery", "cost"], json!("1")), "delivery.cost"),
        (with(&["delivery", "price"], json!("-1")), "delivery.price"),
        (with(&["lines", "0", "discount_amount"], json!("1")), "lines[0].discount_amount"),
        (with(&["lines", "1", "discount_amount"], json!("99999999")), "lines[1].discount_amount"),
        (with(&["lines", "0", "discount_percent"], json!("101")), "lines[0].discount_percent"),
        (with(&["discount_percent"], json!(5)), "discount_percent"),
        (with(&["extra"], json!({"Статус заказа": "Оплачен"})), "extra.Статус заказа"),
        (with(&["lines", "0", "quantity"], json!("0")), "lines[0].quantity"),
    ] {
        let (status, answer) = place(app, &refused, None).await;
        assert_eq!(status, 400, "{refused}: {answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
    }

    let (status, created) = place(app, &body, None).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["number"], "1001", "the refusals took no number");
    assert_eq!(money(&created["total"]), total);
    assert_eq!(created["customer"]["kind"], "company");
    assert_eq!((created["customer"]["inn"].as_str(), created["customer"]["kpp"].as_str()), (Some("7707083893"), Some("773601001")));
    assert_eq!(created["delivery"]["price"], "350");
    assert_eq!(created["discount"]["percent"], "5");
    assert_eq!(money(&created["discount"]["amount"]), order_discount);
    assert_eq!(created["extra"]["Промокод"], "ЗИМА");
    let lines = created["lines"].as_array().unwrap();
    let sums: Decimal = lines.iter().map(|l| money(&l["sum"])).sum();
    assert_eq!(sums + Decimal::from(350), total, "lines and delivery add up to the total");
    let discounts: Decimal = lines.iter().map(|l| money(&l["discount"])).sum();
    assert_eq!(discounts, own_a + Decimal::from(100) + order_discount);
    assert_eq!(lines[0]["discount_percent"], "10");
    // A person's order is as before: no company fields shown.
    let (_, person) = place(app, &order(&json!([{"external_id": OMEN, "quantity": "1"}])), None).await;
    assert_eq!(person["customer"]["kind"], "person");
    assert!(person["customer"].get("inn").is_none() && person["delivery"].is_null(), "{person}");

    // MoySklad fetches the company order with its legal details, delivery line and discounts.
    let (client, _) = connect(app, "sklad@shop.ru").await;
    let sent = documents(&client.get("type=sale&mode=query").await.body);
    assert_eq!(sent.len(), 2);
    let document = &sent[0];
    let buyer = &document.contractors[0];
    assert_eq!((buyer.inn.as_deref(), buyer.kpp.as_deref()), (Some("7707083893"), Some("773601001")));
    assert_eq!(buyer.full_name.as_deref(), Some("ООО «Ромашка»"), "ОфициальноеНаименование");
    assert_eq!(buyer.legal_address.as_deref(), Some("Москва, ул. Вавилова, 19"));
    assert_eq!(document.sum, Some(total));
    let written: Decimal = document.lines.iter().map(|l| l.sum.unwrap()).sum();
    assert_eq!(written, total, "the lines add up to the document's Сумма");
    let delivery = document.lines.last().unwrap();
    assert_eq!((delivery.id.as_str(), delivery.name.as_deref(), delivery.sum), ("ORDER_DELIVERY", Some("Доставка"), Some(Decimal::from(350))));
    let line_a = &document.lines[0];
    assert_eq!(line_a.price_per_unit, Some(price_a), "the catalog's price, discounts apart");
    assert_eq!(line_a.discounts[0].name, "Скидка на товар");
    assert_eq!((line_a.discounts[0].sum, line_a.discounts[0].percent), (Some(own_a), Some(Decimal::from(10))));
    let shares: Decimal = document.lines.iter().flat_map(|l| &l.discounts).filter(|d| d.name == "Скидка на заказ").map(|d| d.sum.unwrap()).sum();
    assert_eq!(shares, order_discount, "the order's discount is spread over the lines");
    assert_eq!((document.discounts[0].sum, document.discounts[0].percent), (Some(order_discount), Some(Decimal::from(5))));
    assert!(document.discounts.iter().chain(document.lines.iter().flat_map(|l| &l.discounts)).all(|d| d.included));
    assert_eq!(document.requisite("Промокод"), Some("ЗИМА"));
    assert_eq!(document.requisite("Метод оплаты"), Some("Счёт для юрлица"));
    assert_eq!(document.requisite("Способ доставки"), Some("Курьер"));
    assert_eq!(document.requisite("Адрес доставки"), Some("Москва, Тверская 1"));
    assert_eq!(sent[1].contractors[0].inn, None);
    assert_eq!(client.get("type=sale&mode=success").await.text(), "success\n");
    assert!(documents(&client.get("type=sale&mode=query").await.body).is_empty());

    // Changed on the site: sent again, once, under the same number.
    let owner = crate::admin::sign_in(app, crate::admin::OWNER, crate::helpers::ADMIN_PASSWORD).await.unwrap();
    crate::admin::post(app, &owner, "/admin/orders/1001/status", &[("status", "confirmed")]).await;
    let again = documents(&client.get("type=sale&mode=query").await.body);
    assert_eq!(again.iter().map(|d| d.number.clone().unwrap()).collect::<Vec<_>>(), ["1001"]);
    assert_eq!(again[0].requisite("Статус заказа"), Some("Подтверждён"));
    assert_eq!(again[0].sum, Some(total), "the same order, not a new one");
    assert_eq!(client.get("type=sale&mode=success").await.text(), "success\n");
    assert!(documents(&client.get("type=sale&mode=query").await.body).is_empty(), "once");
});

/// An `orders.xml` as MoySklad writes it, one element per line, with one `Документ` per
/// (number, status); and the line each `Документ` starts on.
fn status_file(orders: &[(&str, &str)]) -> (Vec<u8>, Vec<u64>) {
    let mut text = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<КоммерческаяИнформация ВерсияСхемы=\"2.04\" ДатаФормирования=\"2026-11-30T10:00:00\">\n",
    );
    let mut lines = Vec::new();
    for (number, status) in orders {
        lines.push(text.lines().count() as u64 + 1);
        text.push_str(&format!(
            "<Документ>\n<Ид>{number}</Ид>\n<Номер>{number}</Номер>\n<Дата>2026-11-30</Дата>\n<ХозОперация>Заказ товара</ХозОперация>\n\
             <Роль>Продавец</Роль>\n<Валюта>RUB</Валюта>\n<Курс>1</Курс>\n<Сумма>79900</Сумма>\n<ЗначенияРеквизитов>\n\
             <ЗначениеРеквизита><Наименование>Номер по 1С</Наименование><Значение>0{number}</Значение></ЗначениеРеквизита>\n\
             <ЗначениеРеквизита><Наименование>Статус заказа</Наименование><Значение>{status}</Значение></ЗначениеРеквизита>\n\
             </ЗначенияРеквизитов>\n</Документ>\n"
        ));
    }
    text.push_str("</КоммерческаяИнформация>\n");
    (text.into_bytes(), lines)
}

app_test!(async fn a_new_status_value_waits_for_the_owner_and_the_journey_shows_each_step(app) {
    use vitrina_store::JourneyStep as Step;
    catalog(app).await;
    employee(app, "sklad@shop.ru", true).await;
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.orders", "true"]).await.ok();
    let (_, first) = place(app, &order(&json!([{"external_id": OMEN, "quantity": "1"}])), None).await;
    place(app, &order(&json!([{"external_id": OMEN, "quantity": "1"}])), None).await;
    let (client, _) = connect(app, "sklad@shop.ru").await;
    assert_eq!(documents(&client.get("type=sale&mode=query").await.body).len(), 2);
    client.get("type=sale&mode=success").await.text();
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;

    // A status the shop never saw: recorded, shown as unmapped, changes nothing yet.
    let (file, starts) = status_file(&[("1001", "Передан курьеру")]);
    assert_eq!(client.post("type=sale&mode=file&filename=orders.xml", file).await.text(), "success\n");
    let order_1001 = app.db.order_by_number(tenant, "1001").await.unwrap().unwrap();
    assert_eq!((order_1001.status, order_1001.accounting_number.as_deref()), (OrderStatus::New, Some("01001")));
    let values = app.db.status_values(tenant).await.unwrap();
    let value = values.iter().find(|v| v.value == "Передан курьеру").expect("recorded");
    assert_eq!((value.requisite.as_str(), value.site_status), ("Статус заказа", vitrina_store::SiteStatus::Unmapped));
    let owner = crate::admin::sign_in(app, crate::admin::OWNER, crate::helpers::ADMIN_PASSWORD).await.unwrap();
    // A refused file records nothing.
    let (refused, _) = status_file(&[("1002", "Собран"), ("9999", "Собран")]);
    let answer = client.post("type=sale&mode=file&filename=orders.xml", refused).await.text();
    assert!(answer.starts_with("failure\n") && answer.contains("9999"), "{answer}");
    assert!(app.db.status_values(tenant).await.unwrap().iter().all(|v| v.value != "Собран"));
    let statuses = crate::admin::page(app, &owner, "/admin/orders/statuses").await.body;
    assert!(statuses.contains("Передан курьеру") && statuses.contains("не сопоставлено"), "{statuses}");

    // Mapped: later files apply it at once; past ones on request.
    let mapped = crate::admin::post(app, &owner, "/admin/orders/statuses/map", &[("requisite", "Статус заказа"), ("value", "Передан курьеру"), ("site_status", "shipped")]).await;
    assert_eq!(mapped.location, "/admin/orders/statuses?done=status_mapped");
    assert_eq!(app.db.order_by_number(tenant, "1001").await.unwrap().unwrap().status, OrderStatus::New);
    let (file, _) = status_file(&[("1002", "Передан курьеру")]);
    assert_eq!(client.post("type=sale&mode=file&filename=orders.xml", file).await.text(), "success\n");
    let order_1002 = app.db.order_by_number(tenant, "1002").await.unwrap().unwrap();
    assert_eq!((order_1002.status, order_1002.shipped), (OrderStatus::Shipped, true));
    crate::admin::post(app, &owner, "/admin/orders/statuses/apply", &[]).await;
    assert_eq!(app.db.order_by_number(tenant, "1001").await.unwrap().unwrap().status, OrderStatus::Shipped);
    // The customer's status URL shows the mapped status.
    let shown: Value = app.get(HOST, first["status_url"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!((shown["status"].as_str(), shown["status_text"].as_str()), (Some("shipped"), Some("Отгружен")));

    // A change on the site waits to go out, is sent again on request, then confirmed.
    crate::admin::post(app, &owner, "/admin/orders/1001/status", &[("status", "completed")]).await;
    let waiting = crate::admin::page(app, &owner, "/admin/orders/1001").await.body;
    assert!(waiting.contains("ещё не забран"), "{waiting}");
    let resent = crate::admin::post(app, &owner, "/admin/orders/1001/resend", &[]).await;
    assert_eq!(resent.location, "/admin/orders/1001?done=order_resent");
    assert_eq!(documents(&client.get("type=sale&mode=query").await.body).len(), 1);
    client.get("type=sale&mode=success").await.text();

    let journey = app.db.order_journey(tenant, order_1001.id).await.unwrap();
    let steps: Vec<Step> = journey.iter().map(|j| j.step).collect();
    assert_eq!(steps, [Step::Placed, Step::Sent, Step::Confirmed, Step::Received, Step::Received, Step::Changed, Step::Resent, Step::Sent, Step::Confirmed]);
    let received = &journey[3];
    assert_eq!((received.file.as_deref(), received.line), (Some("orders.xml"), Some(starts[0] as i64)), "the file and the line of its Документ");
    assert!(received.exchange_key.is_some() && journey[1].exchange_key.is_some());
    assert_eq!(journey[4].actor, "mapping");
    assert_eq!(journey[5].actor, crate::admin::OWNER);
    let page = crate::admin::page(app, &owner, "/admin/orders/1001").await.body;
    for shown in ["Оформлен на сайте", "Отдан учётной системе", "Учётная система подтвердила получение", "orders.xml:", "Статус заказа: Передан курьеру", "Изменён на сайте", "Поставлен на повторную отправку", "в учётной системе"] {
        assert!(page.contains(shown), "{shown}: {page}");
    }
    assert!(!page.contains("ещё не забран"), "everything went out");
    let exchange = journey[1].exchange_key.as_deref().unwrap();
    assert!(page.contains(&format!("/admin/exchanges/{}", exchange.replace(':', "%3A"))) || page.contains(&format!("/admin/exchanges/{exchange}")), "{page}");

    // Not picked up for longer than orders.pickup_alert_hours: flagged in the list.
    place(app, &order(&json!([{"external_id": OMEN, "quantity": "1"}])), None).await;
    let list = crate::admin::page(app, &owner, "/admin/orders").await.body;
    assert!(!list.contains("не забран"), "a fresh order is not late");
    let earlier = "UPDATE orders SET changed_at = changed_at - 3 * 3600 * 1000 WHERE number = '1003'";
    match &app.db {
        vitrina_store::Db::Sqlite(pool) => sqlx::query(earlier).execute(pool).await.map(drop),
        vitrina_store::Db::Postgres(pool) => sqlx::query(earlier).execute(pool).await.map(drop),
    }
    .unwrap();
    let list = crate::admin::page(app, &owner, "/admin/orders").await.body;
    assert!(list.contains("не забран") && list.contains("давно не забирала заказы: 1"), "{list}");
});
