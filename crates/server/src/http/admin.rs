//! The admin panel under `/admin`. Until its pages exist, a page that names the shop.

use axum::Router;
use axum::response::Html;
use axum::routing::get;

use super::{AppState, CurrentTenant, RequestLang};
use crate::html::escape;
use crate::i18n::Message;

pub fn router() -> Router<AppState> {
    Router::new().route("/admin", get(home))
}

async fn home(
    CurrentTenant(tenant): CurrentTenant,
    RequestLang(lang): RequestLang,
) -> Html<String> {
    let title = Message::AdminPanelTitle.text(lang);
    let body = Message::AdminPanelComing {
        tenant: tenant.name.clone(),
    }
    .text(lang);
    Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Vitrina</title></head><body><main><h1>{title}</h1><p>{body}</p>\
         </main></body></html>",
        title = escape(&title),
        body = escape(&body),
    ))
}
