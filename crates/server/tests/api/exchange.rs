//! The exchange endpoint's first calls as MoySklad and 1C make them: `checkauth` with Basic
//! auth (MoySklad's "Проверить соединение" probes `type=catalog` and `type=sale`), then calls
//! authorised by the session cookie, `sessid`, or the Basic header repeated on every call.

use vitrina::i18n::{Lang, Message};

use crate::app_test;
pub(crate) use crate::exchange_client::basic;
use crate::helpers::TestApp;

pub(crate) use crate::helpers::EXCHANGE_PASSWORD as PASSWORD;

/// The shop owner's set-up: an employee with admin-panel access in a group "МойСклад" that
/// holds "Импорт CommerceML".
pub(crate) async fn set_up(app: &TestApp, email: &str) {
    let import = ["integrations.commerceml_import"];
    app.employee_in_group(email, PASSWORD, "МойСклад", &import)
        .await;
}

/// A call like 1C's: status, content type and body.
pub(crate) async fn call(
    app: &TestApp,
    query: &str,
    auth: Option<&str>,
    cookie: Option<&str>,
) -> (u16, String, String) {
    let answer = app
        .exchange()
        .like_1c()
        .authorization(auth)
        .cookie(cookie)
        .get(query)
        .await;
    (answer.status, answer.content_type.clone(), answer.text())
}

pub(crate) fn failure_text(message: &Message) -> String {
    format!("failure\n{}", message.text(Lang::Ru))
}

app_test!(async fn checkauth_then_init_as_moysklad_does(app) {
    set_up(app, "sklad@shop.ru").await;
    let auth = basic("sklad@shop.ru", PASSWORD);
    // "Проверить соединение": both types must answer success.
    for kind in ["catalog", "sale"] {
        let (status, content_type, body) = call(app, &format!("type={kind}&mode=checkauth"), Some(&auth), None).await;
        assert_eq!((status, content_type.as_str()), (200, "text/plain; charset=utf-8"));
        let lines: Vec<&str> = body.lines().collect();
        assert_eq!(lines.len(), 5, "{body}");
        assert_eq!(lines[0], "success");
        assert_eq!(lines[1], "VITRINA_EXCHANGE");
        assert!(lines[1].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
        assert_eq!(lines[2].len(), 64);
        assert_eq!(lines[3], format!("sessid={}", lines[2]));
        assert!(lines[4].strip_prefix("timestamp=").unwrap().parse::<u64>().is_ok());
    }
    let (_, _, body) = call(app, "type=catalog&mode=checkauth", Some(&auth), None).await;
    let token = body.lines().nth(2).unwrap().to_owned();
    let cookie = format!("VITRINA_EXCHANGE={token}");

    // MoySklad sends the cookie and Basic auth; 1C may send only the cookie or only sessid.
    for (auth, cookie, query) in [
        (Some(auth.as_str()), Some(cookie.as_str()), "type=catalog&mode=init"),
        (None, Some(cookie.as_str()), "type=catalog&mode=init"),
        (None, None, &*format!("type=catalog&mode=init&sessid={token}&version=2.09")),
        (Some(auth.as_str()), None, "type=catalog&mode=init"),
    ] {
        let (status, _, body) = call(app, query, auth, cookie).await;
        assert_eq!((status, body.as_str()), (200, "zip=no\nfile_limit=8388608\n"), "{query}");
    }
    // Settings apply at once.
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.zip", "true"]).await.ok();
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.file_limit", "1048576"]).await.ok();
    let (_, _, body) = call(app, "type=catalog&mode=init", None, Some(&cookie)).await;
    assert_eq!(body, "zip=yes\nfile_limit=1048576\n");

    // A call with no session and no credentials is refused in the protocol's form.
    let (status, content_type, body) = call(app, "type=catalog&mode=init", None, None).await;
    assert_eq!((status, content_type.as_str()), (200, "text/plain; charset=utf-8"));
    assert_eq!(body, failure_text(&Message::ExchangeNoSession));
    let (_, _, body) = call(app, "type=catalog&mode=init", None, Some("VITRINA_EXCHANGE=forged")).await;
    assert_eq!(body, failure_text(&Message::ExchangeNoSession));
});

app_test!(async fn who_may_not_connect_is_told_why(app) {
    set_up(app, "sklad@shop.ru").await;
    let wrong = failure_text(&Message::ExchangeWrongCredentials);
    let checkauth = |auth: Option<String>| async move { call(app, "type=catalog&mode=checkauth", auth.as_deref(), None).await.2 };
    assert_eq!(checkauth(Some(basic("sklad@shop.ru", "неверный-пароль"))).await, wrong);
    assert_eq!(checkauth(Some(basic("nobody@shop.ru", PASSWORD))).await, wrong, "unknown email: same answer");
    assert_eq!(checkauth(None).await, failure_text(&Message::ExchangeNoCredentials));
    assert_eq!(checkauth(Some("Bearer x".into())).await, failure_text(&Message::ExchangeNoCredentials));

    // Another shop's employee with the right password for that shop.
    app.cli(&["tenant", "create", "other"]).await.ok();
    app.cli(&["employee", "create", "--tenant", "other", "--email", "boss@other.ru", "--password", PASSWORD, "--admin-access"])
        .await
        .ok();
    assert_eq!(checkauth(Some(basic("boss@other.ru", PASSWORD))).await, wrong);

    // Only after the password matched: what is missing.
    app.cli(&["employee", "create", "--tenant", "demo", "--email", "noaccess@shop.ru", "--password", PASSWORD]).await.ok();
    app.cli(&["group", "add-member", "--tenant", "demo", "--group", "МойСклад", "--email", "noaccess@shop.ru"]).await.ok();
    assert_eq!(checkauth(Some(basic("noaccess@shop.ru", PASSWORD))).await, failure_text(&Message::ExchangeNoAdminAccess));
    app.cli(&["employee", "create", "--tenant", "demo", "--email", "norights@shop.ru", "--password", PASSWORD, "--admin-access"])
        .await
        .ok();
    assert_eq!(checkauth(Some(basic("norights@shop.ru", PASSWORD))).await, failure_text(&Message::ExchangeNoPermission));

    // A session ends when its employee is blocked.
    let (_, _, body) = call(app, "type=catalog&mode=checkauth", Some(&basic("sklad@shop.ru", PASSWORD)), None).await;
    let cookie = format!("VITRINA_EXCHANGE={}", body.lines().nth(2).unwrap());
    app.cli(&["employee", "block", "--tenant", "demo", "--email", "sklad@shop.ru"]).await.ok();
    assert_eq!(checkauth(Some(basic("sklad@shop.ru", PASSWORD))).await, failure_text(&Message::ExchangeBlocked));
    let (_, _, body) = call(app, "type=catalog&mode=init", None, Some(&cookie)).await;
    assert_eq!(body, failure_text(&Message::ExchangeNoSession), "blocking ended the session");
});

// Strangers on other addresses never refuse the real client: trust.rs proves that.
app_test!(async fn guessing_from_one_address_is_refused_at_that_address(app) {
    set_up(app, "sklad@shop.ru").await;
    crate::helpers::clear_of_limiter_window_edge().await;
    let good = basic("sklad@shop.ru", PASSWORD);
    // Successes are never counted.
    for _ in 0..12 {
        assert!(call(app, "type=catalog&mode=checkauth", Some(&good), None).await.2.starts_with("success\n"));
    }
    for _ in 0..10 {
        let (_, _, body) = call(app, "type=catalog&mode=checkauth", Some(&basic("sklad@shop.ru", "guess-guess-1")), None).await;
        assert_eq!(body, failure_text(&Message::ExchangeWrongCredentials));
    }
    let (_, _, body) = call(app, "type=catalog&mode=checkauth", Some(&good), None).await;
    assert_eq!(body, failure_text(&Message::ExchangeTooManyAttempts));
});

app_test!(async fn unknown_types_and_modes_are_failures_not_pages(app) {
    set_up(app, "sklad@shop.ru").await;
    let auth = basic("sklad@shop.ru", PASSWORD);
    let (status, _, body) = call(app, "type=stock&mode=checkauth", Some(&auth), None).await;
    assert_eq!((status, body), (200, failure_text(&Message::ExchangeUnknownType { value: "stock".into() })));
    let (_, _, body) = call(app, "type=catalog&mode=dance", Some(&auth), None).await;
    assert_eq!(body, failure_text(&Message::ExchangeUnknownMode { value: "dance".into() }));
    let (_, _, body) = call(app, "mode=checkauth", Some(&auth), None).await;
    assert!(body.starts_with("failure\n"), "{body}");
    let (_, content_type, body) = call(app, "type=catalog&mode=file&filename=import.xml", Some(&auth), None).await;
    assert!(content_type.starts_with("text/plain") && body.starts_with("failure\n"), "{body}");
});

/// POSTs `body` as one `mode=file` call with the session cookie.
pub(crate) async fn upload(app: &TestApp, cookie: &str, filename: &str, body: Vec<u8>) -> String {
    let query = format!("type=catalog&mode=file&filename={filename}");
    app.exchange()
        .cookie(Some(cookie))
        .post(&query, body)
        .await
        .text()
}

/// Signs in and starts a batch; the cookie to send.
pub(crate) async fn start(app: &TestApp) -> String {
    let mut moysklad = app.exchange().basic("sklad@shop.ru", PASSWORD);
    moysklad.sign_in("catalog").await;
    let cookie = moysklad.session().expect("signed in").to_owned();
    call(app, "type=catalog&mode=init", None, Some(&cookie)).await;
    cookie
}

/// The stored parts of `name` in the tenant's newest batch, concatenated in order.
pub(crate) fn stored(app: &TestApp, name: &str) -> Vec<u8> {
    let exchange = app.data_dir().join("files/tenants");
    let tenant = std::fs::read_dir(&exchange)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path()
        .join("exchange");
    let batch = std::fs::read_dir(&tenant)
        .unwrap()
        .map(|e| e.unwrap().path())
        .max_by_key(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .parse::<u64>()
                .unwrap()
        })
        .unwrap();
    let folder = batch.join("files").join(name);
    let mut parts: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    parts.sort();
    parts
        .iter()
        .flat_map(|p| std::fs::read(p).unwrap())
        .collect()
}

app_test!(async fn files_arrive_in_chunks_cut_anywhere(app) {
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    let xml = std::fs::read(crate::catalog_support::fixture("moysklad__offers_full.xml")).unwrap();
    // MoySklad cuts at arbitrary bytes, even inside a UTF-8 character.
    let cuts = [0, 1, 4097, 4098, 100_001, xml.len()];
    for pair in cuts.windows(2) {
        assert_eq!(upload(app, &cookie, "offers.xml", xml[pair[0]..pair[1]].to_vec()).await, "success\n");
    }
    assert_eq!(stored(app, "offers.xml"), xml);
    // Pictures under import_files/ (with Windows separators) and MoySklad's bare names.
    assert_eq!(upload(app, &cookie, "import_files\\9d\\a.jpg", b"\xFF\xD8\xFFjpeg".to_vec()).await, "success\n");
    assert_eq!(stored(app, "import_files/9d/a.jpg"), b"\xFF\xD8\xFFjpeg");
    assert_eq!(upload(app, &cookie, "1b2c_imageid.png", b"png".to_vec()).await, "success\n");
});

app_test!(async fn uploads_that_could_escape_or_overflow_are_refused(app) {
    set_up(app, "sklad@shop.ru").await;
    // Before init there is no batch to add to.
    let (_, _, body) = call(app, "type=catalog&mode=checkauth", Some(&basic("sklad@shop.ru", PASSWORD)), None).await;
    let cookie = format!("VITRINA_EXCHANGE={}", body.lines().nth(2).unwrap());
    assert_eq!(upload(app, &cookie, "import.xml", b"<x/>".to_vec()).await, failure_text(&Message::ExchangeNoBatch));
    call(app, "type=catalog&mode=init", None, Some(&cookie)).await;
    for bad in ["../../x.xml", "%2Fetc%2Fpasswd", "..%5C..%5Cx.xml", "C%3A%5Cx.xml"] {
        let body = upload(app, &cookie, bad, b"<x/>".to_vec()).await;
        assert!(body.starts_with("failure\nНедопустимое имя файла"), "{bad}: {body}");
    }
    let body = upload(app, &cookie, "a%00b", b"<x/>".to_vec()).await;
    assert_eq!(body, failure_text(&Message::ControlCharacters { field: "filename".into() }));
    // Limits are checked while the body streams: the over-long part is dropped whole.
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.max_file_bytes", "1000"]).await.ok();
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.max_batch_bytes", "1500"]).await.ok();
    assert_eq!(upload(app, &cookie, "import.xml", vec![b'a'; 600]).await, "success\n");
    assert_eq!(
        upload(app, &cookie, "import.xml", vec![b'b'; 600]).await,
        failure_text(&Message::ExchangeFileTooLarge { name: "import.xml".into(), limit: 1000 })
    );
    assert_eq!(stored(app, "import.xml"), vec![b'a'; 600], "nothing of the refused part is kept");
    assert_eq!(upload(app, &cookie, "offers.xml", vec![b'c'; 800]).await, "success\n");
    assert_eq!(
        upload(app, &cookie, "rests.xml", vec![b'd'; 200]).await,
        failure_text(&Message::ExchangeBatchTooLarge { limit: 1500 })
    );
    // A new init starts an empty batch.
    call(app, "type=catalog&mode=init", None, Some(&cookie)).await;
    assert_eq!(upload(app, &cookie, "rests.xml", vec![b'd'; 200]).await, "success\n");
});

/// Repeats `mode=import` as 1C and MoySklad do while the answer is `progress`; the final body.
pub(crate) async fn import_until_done(app: &TestApp, cookie: &str, filename: &str) -> String {
    let moysklad = app.exchange().basic("sklad@shop.ru", PASSWORD);
    moysklad
        .cookie(Some(cookie))
        .import_until_done(filename)
        .await
}

/// Uploads a file in `chunk`-byte pieces, as a client honouring `file_limit` does.
pub(crate) async fn upload_in_chunks(
    app: &TestApp,
    cookie: &str,
    name: &str,
    bytes: &[u8],
    chunk: usize,
) {
    app.exchange()
        .cookie(Some(cookie))
        .upload(name, bytes, chunk)
        .await;
}

app_test!(async fn moysklad_data_pass_over_http(app) {
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    let import_xml = std::fs::read(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap();
    let offers_xml = std::fs::read(crate::catalog_support::fixture("moysklad__offers_full.xml")).unwrap();
    // All files first, then the imports, in MoySklad's order.
    upload_in_chunks(app, &cookie, "import.xml", &import_xml, 100_000).await;
    upload_in_chunks(app, &cookie, "offers.xml", &offers_xml, 64_000).await;
    let done = import_until_done(app, &cookie, "import.xml").await;
    assert!(done.starts_with("success\nimport.xml: в файле: "), "{done}");
    assert!(done.contains(" 174 товара; товары: 174 новых"), "what the file held beside what was done: {done}");
    let done = import_until_done(app, &cookie, "offers.xml").await;
    assert!(done.starts_with("success\n"), "{done}");
    // Asking again answers the same outcome, and imports nothing twice.
    assert_eq!(import_until_done(app, &cookie, "offers.xml").await, done);
    let products = crate::catalog_support::all_products(app, "").await;
    assert_eq!(products.len(), 174);
    let omen = products.iter().find(|p| p["external_id"] == "5wceZf8djXSdCHMIIIWw-3").unwrap();
    assert_eq!(omen["price"]["amount"], "79900");

    // The history: one exchange, with who, from where, every call, every byte and outcome.
    let listed = app.cli(&["exchange", "list", "--tenant", "demo"]).await.ok();
    let row = listed.lines().find(|l| l.contains("sklad@shop.ru")).expect("the exchange is listed");
    let total = import_xml.len() + offers_xml.len();
    assert!(row.contains("127.0.0.1") && row.ends_with(&format!("\t0 failures\t{total} bytes")), "{row}");
    let id = row.split('\t').next().unwrap();
    let calls = app.cli(&["exchange", "show", "--tenant", "demo", id]).await.ok();
    let call_lines = calls.split("\n\n").next().unwrap();
    let modes: Vec<&str> = call_lines.lines().map(|l| l.split('\t').nth(2).unwrap()).collect();
    assert_eq!(modes.first(), Some(&"checkauth"));
    assert!(modes.contains(&"init") && modes.contains(&"file") && modes.contains(&"import"));
    assert!(calls.lines().any(|l| l.contains("\timport\timport.xml\t\tsuccess\timport.xml: в файле: ") && l.contains("174 товара; товары: 174 новых")));
    // Then what each import did, from its stored report: state, seconds, counts.
    let imports: Vec<&str> = calls.split("\n\n").skip(1).collect();
    assert_eq!(imports.len(), 2, "{calls}");
    let (head, summary) = imports[0].split_once('\n').unwrap();
    let fields: Vec<&str> = head.split('\t').collect();
    assert_eq!(fields[..2], ["import.xml", "done"], "{head}");
    assert!(fields[2].parse::<f64>().is_ok(), "{head}");
    assert!(summary.starts_with("import.xml: в файле: ") && summary.contains("174 товара; товары: 174 новых, 0 изменено"), "{summary}");
    assert!(imports[1].starts_with("offers.xml\tdone\t"), "{}", imports[1]);

    // The kept upload can be applied again: nothing changed since, so nothing is written.
    let rerun = app.cli(&["exchange", "rerun", "--tenant", "demo", id]).await.ok();
    let lines: Vec<&str> = rerun.lines().filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(lines.len(), 2, "a summary per file: {rerun}");
    assert!(rerun.contains("  import.xml, строка 6: элемент Классификатор/Владелец не используется (встречается 1 раз)"), "{rerun}");
    assert!(lines[0].contains("174 товара; товары: 0 новых, 0 изменено, 174 без изменений"), "{rerun}");
    assert!(lines[1].starts_with("offers.xml:") && lines[1].contains("174 без изменений"), "{rerun}");
    let unknown = app.cli(&["exchange", "rerun", "--tenant", "demo", "nope"]).await.refused();
    assert_eq!(unknown, Message::UnknownExchange { id: "nope".into() }.text(Lang::Ru));
});

app_test!(async fn imports_that_cannot_happen_say_why(app) {
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    let before = crate::catalog_support::all_products(app, "").await;
    assert_eq!(
        import_until_done(app, &cookie, "import.xml").await,
        failure_text(&Message::ExchangeFileNotUploaded { name: "import.xml".into() })
    );
    let body = import_until_done(app, &cookie, "..%2F..%2Fetc%2Fpasswd").await;
    assert!(body.starts_with("failure\nНедопустимое имя файла"), "{body}");
    // Not XML, and a truncated upload: failure with the file, line and what is wrong.
    upload(app, &cookie, "import.xml", b"\x89PNG\r\n\x1a\n not xml at all".to_vec()).await;
    let body = import_until_done(app, &cookie, "import.xml").await;
    assert!(body.starts_with("failure\nimport.xml, строка 1:"), "{body}");
    let offers = std::fs::read(crate::catalog_support::fixture("moysklad__offers_full.xml")).unwrap();
    upload(app, &cookie, "offers.xml", offers[..offers.len() / 2].to_vec()).await;
    let body = import_until_done(app, &cookie, "offers.xml").await;
    assert!(body.contains("загружен не полностью"), "{body}");
    assert_eq!(crate::catalog_support::all_products(app, "").await, before, "the catalog is unchanged");
});

app_test!(async fn the_history_keeps_each_imports_warnings_and_failures(app) {
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    // Offers before any catalog: applied with a warning per offer, each with its line.
    let offers = std::fs::read(crate::catalog_support::fixture("moysklad__offers_full.xml")).unwrap();
    upload(app, &cookie, "offers.xml", offers.clone()).await;
    let done = import_until_done(app, &cookie, "offers.xml").await;
    assert!(done.starts_with("success\n") && done.contains("предупреждений: 174"), "{done}");
    upload(app, &cookie, "import.xml", offers[..offers.len() / 3].to_vec()).await;
    let failed = import_until_done(app, &cookie, "import.xml").await;
    assert!(failed.starts_with("failure\nimport.xml, строка "), "{failed}");

    let listed = app.cli(&["exchange", "list", "--tenant", "demo"]).await.ok();
    let id = listed.lines().next().unwrap().split('\t').next().unwrap().to_owned();
    let shown = app.cli(&["exchange", "show", "--tenant", "demo", &id]).await.ok();
    let imports: Vec<&str> = shown.split("\n\n").skip(1).collect();
    assert_eq!(imports.len(), 2, "{shown}");
    let lines: Vec<&str> = imports[0].lines().collect();
    assert!(lines[0].starts_with("offers.xml\tdone\t"), "{shown}");
    assert!(lines[1].starts_with("offers.xml: в файле: 174 предложения; товары: 0 новых"), "{shown}");
    let warnings: Vec<&&str> = lines
        .iter()
        .filter(|l| l.starts_with("  offers.xml, строка ") && !l.ends_with("раз)"))
        .collect();
    assert_eq!(warnings.len(), 174, "every warning with its line: {shown}");
    assert!(warnings[0].contains("такого товара нет в каталоге"), "{}", warnings[0]);
    let lines: Vec<&str> = imports[1].lines().collect();
    assert!(lines[0].starts_with("import.xml\tfailed\t"), "{shown}");
    assert_eq!(lines[1], failed.trim_start_matches("failure\n").trim_end(), "the reason the client got");

    let unknown = app.cli(&["exchange", "show", "--tenant", "demo", "nope"]).await.refused();
    assert_eq!(unknown, Message::UnknownExchange { id: "nope".into() }.text(Lang::Ru));
});

app_test!(async fn moysklad_picture_pass_over_http(app) {
    if crate::catalog_support::shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    set_up(app, "sklad@shop.ru").await;
    let dir = tempfile::tempdir().unwrap();
    let expected = crate::catalog_support::generate(
        dir.path(),
        &["--products", "120", "--seed", "9", "--dialect", "moysklad", "--image-share", "0.5"],
    );
    // The data pass: its own checkauth and init, all files, then the imports.
    let cookie = start(app).await;
    for name in ["import.xml", "offers.xml"] {
        upload_in_chunks(app, &cookie, name, &std::fs::read(dir.path().join(name)).unwrap(), 50_000).await;
    }
    for name in ["import.xml", "offers.xml"] {
        assert!(import_until_done(app, &cookie, name).await.starts_with("success\n"));
    }
    // The picture pass: bare picture names, then a changes-only import.xml naming them.
    let cookie = start(app).await;
    let pass = dir.path().join("images_pass");
    for entry in std::fs::read_dir(&pass).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name != "import.xml" {
            assert_eq!(upload(app, &cookie, &name, std::fs::read(&path).unwrap()).await, "success\n");
        }
    }
    upload(app, &cookie, "import.xml", std::fs::read(pass.join("import.xml")).unwrap()).await;
    let done = import_until_done(app, &cookie, "import.xml").await;
    assert!(done.starts_with("success\n") && done.contains("предупреждений: 0"), "{done}");
    let products = crate::catalog_support::all_products(app, "").await;
    let mut with_pictures = 0;
    for product in &products {
        let id = product["external_id"].as_str().unwrap();
        let has_image = expected["products"][id]["image"].is_string();
        assert_eq!(product["images"].as_array().unwrap().len(), usize::from(has_image), "{id}");
        with_pictures += usize::from(has_image);
        assert!(product["price"].is_object(), "{id}: the picture pass keeps prices");
    }
    assert!(with_pictures > 20);
});

app_test!(async fn one_c_packaged_exchange_with_deactivate_and_complete(app) {
    set_up(app, "sklad@shop.ru").await;
    let (_, _, body) = call(app, "type=catalog&mode=checkauth", Some(&basic("sklad@shop.ru", PASSWORD)), None).await;
    let lines: Vec<&str> = body.lines().collect();
    let (cookie, sessid, timestamp) = (format!("VITRINA_EXCHANGE={}", lines[2]), lines[3], lines[4]);
    let (_, _, init) = call(app, &format!("type=catalog&mode=init&{sessid}&version=2.09"), None, Some(&cookie)).await;
    assert!(init.starts_with("zip=no\n"));
    let (_, _, early) = call(app, &format!("type=catalog&mode=deactivate&{timestamp}&{sessid}"), None, Some(&cookie)).await;
    assert_eq!(early, failure_text(&Message::ExchangeNothingToDeactivate));
    let files = [
        "1c-bitrix-module-2.09__import___b815e2db-7a65-4265-9241-5f0c4f0565a7.xml",
        "1c-bitrix-module-2.09__offers___7f304edc-2527-4d3d-b058-6e4ee53de2e0.xml",
        "1c-bitrix-module-2.09__prices___d66a6b51-ce9c-4e7a-8c7c-25079721107f.xml",
        "1c-bitrix-module-2.09__rests___1af6e7b8-a026-4690-9752-1c9d64cb914d.xml",
    ];
    // 1C names them import___<guid>.xml etc.; upload all under those names, then import each.
    let name = |file: &str| file.split_once("__").unwrap().1.to_owned();
    for file in files {
        let bytes = std::fs::read(crate::catalog_support::fixture(file)).unwrap();
        upload_in_chunks(app, &cookie, &name(file), &bytes, 200_000).await;
    }
    for file in files {
        let done = import_until_done(app, &cookie, &name(file)).await;
        assert!(done.starts_with("success\n"), "{file}: {done}");
    }
    let (_, categories) = crate::catalog_support::get_json(app, "/api/v1/categories").await;
    assert_eq!(categories["items"].as_array().unwrap().len(), 97);
    let (_, _, body) = call(app, &format!("type=catalog&mode=deactivate&{timestamp}&{sessid}"), None, Some(&cookie)).await;
    assert_eq!(body, format!("success\n{}\n", Message::ExchangeDeactivated.text(Lang::Ru)));
    let (_, _, body) = call(app, &format!("type=catalog&mode=complete&{sessid}"), None, Some(&cookie)).await;
    assert_eq!(body, "success\n");
});

/// A zip of these entries, as 1C sends with zip=yes.
fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut out);
    for (name, bytes) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    out.into_inner()
}

app_test!(async fn one_c_sends_everything_in_one_zip(app) {
    set_up(app, "sklad@shop.ru").await;
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.zip", "true"]).await.ok();
    let cookie = start(app).await;
    let read = |name: &str| std::fs::read(crate::catalog_support::fixture(name)).unwrap();
    let archive = zip_of(&[
        ("import.xml", read("moysklad__import_full.xml")),
        ("offers.xml", read("moysklad__offers_full.xml")),
    ]);
    upload_in_chunks(app, &cookie, "import.zip", &archive, 30_000).await;
    // `filename` names the entries inside the archive.
    for name in ["import.xml", "offers.xml"] {
        let done = import_until_done(app, &cookie, name).await;
        assert!(done.starts_with("success\n"), "{name}: {done}");
    }
    assert_eq!(crate::catalog_support::all_products(app, "").await.len(), 174);
});

app_test!(async fn unsafe_zips_are_refused_whole(app) {
    set_up(app, "sklad@shop.ru").await;
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.zip", "true"]).await.ok();
    let import_xml = std::fs::read(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap();
    for (case, archive) in [
        ("zip slip", zip_of(&[("import.xml", import_xml.clone()), ("../../escape.xml", b"<x/>".to_vec())])),
        ("zip bomb", zip_of(&[("import.xml", import_xml.clone()), ("bomb.xml", vec![b'0'; 30 << 20])])),
    ] {
        let cookie = start(app).await;
        upload(app, &cookie, "import.zip", archive).await;
        let body = import_until_done(app, &cookie, "import.xml").await;
        assert!(body.starts_with("failure\nАрхив import.zip отклонён целиком"), "{case}: {body}");
    }
    assert!(crate::catalog_support::all_products(app, "").await.is_empty(), "nothing imported");
});

app_test!(async fn hostile_and_broken_documents_leave_the_catalog_unchanged(app) {
    set_up(app, "sklad@shop.ru").await;
    let cookie = start(app).await;
    upload(app, &cookie, "import.xml", std::fs::read(crate::catalog_support::fixture("moysklad__import_full.xml")).unwrap()).await;
    assert!(import_until_done(app, &cookie, "import.xml").await.starts_with("success\n"));
    let before = crate::catalog_support::all_products(app, "").await;
    let head = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    let mut invalid_utf8 = format!("{head}<КоммерческаяИнформация><Каталог><Товары><Товар><Ид>x</Ид><Наименование>").into_bytes();
    invalid_utf8.extend_from_slice(b"\xCF\xF0\xE8\xE2\xE5\xF2</\xD0");
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "xxe.xml",
            format!("{head}<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><КоммерческаяИнформация>&e;</КоммерческаяИнформация>").into_bytes(),
            "DOCTYPE",
        ),
        (
            "laughs.xml",
            format!("{head}<!DOCTYPE l [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><КоммерческаяИнформация>&b;</КоммерческаяИнформация>").into_bytes(),
            "DOCTYPE",
        ),
        ("utf8.xml", invalid_utf8, "не в кодировке UTF-8"),
        ("html.xml", b"<html><body>Not found</body></html>".to_vec(), "это не CommerceML"),
        ("empty.xml", Vec::new(), "файл пуст"),
    ];
    for (name, bytes, expected) in cases {
        upload(app, &cookie, name, bytes).await;
        let body = import_until_done(app, &cookie, name).await;
        assert!(body.starts_with(&format!("failure\n{name}, строка ")), "{name}: {body}");
        assert!(body.contains(expected), "{name}: {body}");
    }
    assert_eq!(crate::catalog_support::all_products(app, "").await, before, "byte for byte the same catalog");
});

app_test!(async fn old_uploads_are_forgotten_after_keep_batches_days(app) {
    set_up(app, "sklad@shop.ru").await;
    let parts = || {
        let mut found = Vec::new();
        let mut stack = vec![app.data_dir().join("files")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten() {
                let path = entry.unwrap().path();
                if path.is_dir() { stack.push(path) } else { found.push(path) }
            }
        }
        found.len()
    };
    let cookie = start(app).await;
    upload(app, &cookie, "import.xml", b"<a/>".to_vec()).await;
    // Kept for the default 7 days: a new pass keeps the old upload.
    let cookie = start(app).await;
    upload(app, &cookie, "import.xml", b"<b/>".to_vec()).await;
    assert_eq!(parts(), 2);
    // With 0 days, the next pass forgets every earlier upload.
    app.cli(&["settings", "set", "--tenant", "demo", "commerceml.keep_batches_days", "0"]).await.ok();
    let cookie = start(app).await;
    assert_eq!(parts(), 0);
    assert_eq!(upload(app, &cookie, "import.xml", b"<c/>".to_vec()).await, "success\n");
    assert_eq!(stored(app, "import.xml"), b"<c/>");
});
