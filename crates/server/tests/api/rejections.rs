//! Requests refused before a handler runs (an id that is no number, a form without its content
//! type, a repeated parameter, a method a route does not take) are answered like every other
//! error: a panel page or the API's JSON, in the request's language, never axum's plain text.

use serde_json::Value;

use crate::admin::{Answer, HOST, OWNER, page, sign_in};
use crate::app_test;
use crate::helpers::{ADMIN_PASSWORD, TestApp};

async fn raw(
    app: &TestApp,
    method: &str,
    path: &str,
    session: &str,
    body: &str,
) -> (Answer, String) {
    let url = format!("{}{path}", app.address);
    let request = app
        .http
        .request(method.parse().unwrap(), url)
        .header("host", HOST)
        .header("cookie", session)
        .header("sec-fetch-site", "same-origin")
        .body(body.to_owned());
    let response = request.send().await.unwrap();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (send_done(response).await, content_type)
}

async fn send_done(response: reqwest::Response) -> Answer {
    Answer {
        status: response.status().as_u16(),
        location: String::new(),
        cookie: None,
        body: response.text().await.unwrap(),
    }
}

/// A panel error page: HTML in the panel's style, saying `said`.
fn panel_page(answer: &Answer, content_type: &str, said: &str) {
    assert!(
        content_type.starts_with("text/html"),
        "{content_type}: {}",
        answer.body
    );
    assert!(
        answer.body.contains("/admin/assets/admin.css"),
        "{}",
        answer.body
    );
    assert!(answer.body.contains(said), "{said} in {}", answer.body);
}

app_test!(async fn requests_refused_before_a_handler_are_answered_in_the_areas_form(app) {
    let owner = sign_in(app, OWNER, ADMIN_PASSWORD).await.unwrap();

    let not_a_number = page(app, &owner, "/admin/employees/abc").await;
    assert_eq!(not_a_number.status, 404);
    assert!(not_a_number.body.contains("Неверные параметры запроса"), "{}", not_a_number.body);

    let (repeated, content_type) = raw(app, "GET", "/admin/integration?done=a&done=b", &owner, "").await;
    assert_eq!(repeated.status, 400);
    panel_page(&repeated, &content_type, "Неверные параметры запроса");

    let (no_type, content_type) = raw(app, "POST", "/admin/groups", &owner, "name=x").await;
    assert_eq!(no_type.status, 415);
    panel_page(&no_type, &content_type, "Неверные параметры запроса");
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    assert!(app.db.list_groups(tenant).await.unwrap().is_empty(), "nothing was made");

    let (wrong_method, content_type) = raw(app, "DELETE", "/admin/groups", &owner, "").await;
    assert_eq!(wrong_method.status, 405);
    panel_page(&wrong_method, &content_type, "Запрос отклонён (405)");

    let (api, content_type) = raw(app, "DELETE", "/api/v1/orders", "", "").await;
    assert_eq!(api.status, 405);
    assert!(content_type.starts_with("application/json"), "{content_type}");
    let error: Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(error["error"]["code"], "refused", "{error}");
});
