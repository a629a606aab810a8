//! How errors become responses, in one place.
//!
//! A handler's [`HttpError`] becomes a bare response carrying the error in its extensions; the
//! `render_errors` middleware, which sees the request path and `Accept-Language`, writes the
//! body: an HTML page, `{"error":{"code","message"}}` under `/api/`, or `failure\n<reason>` on
//! the exchange path, where no HTML page may ever appear.

use std::any::Any;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::domain::DomainError;
use crate::html::escape;
use crate::i18n::{Lang, Message};

/// The path of the 1C / CommerceML exchange endpoint.
pub const EXCHANGE_PATH: &str = "/rest/integration/1c_exchange.php";

/// Which kind of client a path serves, and so which form its errors take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    /// People in a browser: HTML.
    Page,
    /// Storefronts: JSON.
    Api,
    /// 1C and MoySklad: plain text lines.
    Exchange,
}

impl Area {
    /// The area of a request path.
    pub fn of(path: &str) -> Self {
        if path == "/api" || path.starts_with("/api/") {
            Self::Api
        } else if path.eq_ignore_ascii_case(EXCHANGE_PATH) {
            Self::Exchange
        } else {
            Self::Page
        }
    }
}

/// An error on its way to the client.
#[derive(Debug, Clone)]
pub struct HttpError {
    /// HTTP status.
    pub status: StatusCode,
    /// Machine-readable code for the JSON form, e.g. `unknown_tenant`.
    pub code: &'static str,
    /// What to tell the person (boxed: messages are large, errors travel in every `Result`).
    pub message: Box<Message>,
}

impl HttpError {
    /// An error with this status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: Message) -> Self {
        Self {
            status,
            code,
            message: Box::new(message),
        }
    }

    /// 500, logging `err` (whose text never reaches the client).
    pub fn internal(err: &dyn std::fmt::Display) -> Self {
        tracing::error!(error = %err, "request failed");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            Message::Internal,
        )
    }
}

impl From<DomainError> for HttpError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Invalid(m) => Self::new(StatusCode::BAD_REQUEST, "invalid", m),
            DomainError::NotFound(m) => Self::new(StatusCode::NOT_FOUND, "not_found", m),
            DomainError::Conflict(m) => Self::new(StatusCode::CONFLICT, "conflict", m),
            DomainError::Internal(err) => Self::internal(&format!("{err:#}")),
        }
    }
}

impl From<vitrina_store::StoreError> for HttpError {
    fn from(err: vitrina_store::StoreError) -> Self {
        DomainError::from(err).into()
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(self);
        response
    }
}

/// The fallback of the tenant routes.
pub async fn no_such_page(uri: Uri) -> HttpError {
    HttpError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        Message::NoSuchPage {
            path: uri.path().to_owned(),
        },
    )
}

/// Turns a panic into a 500 that `render_errors` renders like any other error.
#[allow(clippy::needless_pass_by_value)] // the signature CatchPanicLayer expects
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    HttpError::internal(&format!("handler panicked: {detail}")).into_response()
}

/// Middleware: gives every [`HttpError`] its body, in the form of the request's area and the
/// language of its `Accept-Language`. An error response that is not ours (the router's 405, a
/// library extractor's plain-text rejection) is rendered the same way, with what it said.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let area = Area::of(request.uri().path());
    let panel = request.uri().path().starts_with("/admin");
    let lang = super::lang::of_headers(request.headers());
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<HttpError>() {
        Some(error) => render(area, panel, lang, &error),
        None if is_foreign_error(&response) => {
            let error = foreign_error(response).await;
            render(area, panel, lang, &error)
        }
        None => response,
    }
}

/// An error status with a plain-text body or none: what axum writes, never our handlers.
fn is_foreign_error(response: &Response) -> bool {
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|t| t.as_bytes().starts_with(b"text/plain"));
    (status.is_client_error() || status.is_server_error()) && plain
}

/// Longest text of a foreign error kept for the message.
const FOREIGN_TEXT: usize = 1024;

async fn foreign_error(response: Response) -> HttpError {
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), FOREIGN_TEXT * 4)
        .await
        .unwrap_or_default();
    let said = String::from_utf8_lossy(&bytes);
    let said = said.trim();
    let reason = if said.is_empty() {
        status.canonical_reason().unwrap_or("").to_owned()
    } else {
        said.chars().take(FOREIGN_TEXT).collect()
    };
    let message = Message::RequestRefused {
        status: status.as_u16(),
        reason,
    };
    HttpError::new(status, "refused", message)
}

fn render(area: Area, panel: bool, lang: Lang, error: &HttpError) -> Response {
    let text = error.message.text(lang);
    let (content_type, body) = match area {
        Area::Exchange => ("text/plain; charset=utf-8", format!("failure\n{text}")),
        Area::Api => {
            let mut body = serde_json::json!({"error": {"code": error.code, "message": text}});
            if let Some(field) = error.message.field() {
                body["error"]["field"] = field.into();
            }
            ("application/json", body.to_string())
        }
        Area::Page => (
            "text/html; charset=utf-8",
            error_page(lang, error.status, &text, panel),
        ),
    };
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = error.status;
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

/// A page for an error; inside the admin panel, in its style with a way back to its start.
fn error_page(lang: Lang, status: StatusCode, text: &str, panel: bool) -> String {
    let lang_attr = lang.code();
    let (style, back) = if panel {
        let home = crate::i18n::panel::text("panel.title", lang).unwrap_or("Vitrina");
        (
            "<link rel=\"stylesheet\" href=\"/admin/assets/admin.css\">".to_owned(),
            format!("<p><a href=\"/admin\">← {}</a></p>", escape(home)),
        )
    } else {
        (String::new(), String::new())
    };
    format!(
        "<!doctype html><html lang=\"{lang_attr}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{code} · Vitrina</title>{style}</head><body><main><section class=\"card narrow\">\
         <h1>{code}</h1><p>{text}</p>{back}</section></main></body></html>",
        code = status.as_u16(),
        text = escape(text),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_follow_the_path() {
        assert_eq!(Area::of("/api/v1/products"), Area::Api);
        assert_eq!(Area::of("/api"), Area::Api);
        assert_eq!(Area::of("/apiary"), Area::Page);
        assert_eq!(
            Area::of("/rest/integration/1c_exchange.php"),
            Area::Exchange
        );
        assert_eq!(Area::of("/admin"), Area::Page);
    }
}
