//! axum's `Query` and `Path`, with their rejections turned into our [`HttpError`], so that a
//! duplicate parameter or an unparsable id is answered in the area's form (a page, JSON or
//! `failure`) like every other error, never as axum's plain text. And the edge check every
//! request passes: no control characters in the path or the query, whatever the handler.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::FormRejection;

use super::HttpError;
use crate::i18n::Message;

/// The query string, parsed into `T`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(HttpError))]
pub struct Query<T>(pub T);

/// Path parameters, parsed into `T`.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(HttpError))]
pub struct Path<T>(pub T);

/// A urlencoded form body, parsed into `T` (repeated fields into a `Vec`, as checkboxes send
/// them).
#[derive(Debug, FromRequest)]
#[from_request(via(axum_extra::extract::Form), rejection(HttpError))]
pub struct Form<T>(pub T);

impl From<FormRejection> for HttpError {
    fn from(rejection: FormRejection) -> Self {
        Self::new(
            rejection.status(),
            "bad_form",
            Message::BadRequestParameters {
                reason: rejection.body_text(),
            },
        )
    }
}

impl From<QueryRejection> for HttpError {
    fn from(rejection: QueryRejection) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "bad_query",
            Message::BadRequestParameters {
                reason: rejection.body_text(),
            },
        )
    }
}

impl From<PathRejection> for HttpError {
    fn from(rejection: PathRejection) -> Self {
        // A path whose parameter does not parse names no page there is.
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            Message::BadRequestParameters {
                reason: rejection.body_text(),
            },
        )
    }
}

/// Longest request target (path and query) accepted.
const MAX_TARGET: usize = 16 * 1024;

/// Middleware: refuses a request whose decoded path or query holds a control character (a
/// NUL would reach PostgreSQL, a CR/LF a header or a log line) or whose target is too long.
pub async fn refuse_control_characters(request: Request, next: Next) -> Response {
    let uri = request.uri();
    let target_len = uri.path().len() + uri.query().map_or(0, str::len);
    let path_ok = !percent_encoding::percent_decode_str(uri.path()).any(|b| b.is_ascii_control());
    // The exchange checks its own parameters, so that a refused call is still recorded.
    let exchange = super::Area::of(uri.path()) == super::Area::Exchange;
    let query_ok = exchange
        || uri.query().is_none_or(|query| {
            form_urlencoded::parse(query.as_bytes())
                .all(|(k, v)| !k.chars().chain(v.chars()).any(char::is_control))
        });
    if target_len > MAX_TARGET {
        return HttpError::new(
            StatusCode::URI_TOO_LONG,
            "too_long",
            Message::RequestTooLong,
        )
        .into_response();
    }
    if !path_ok || !query_ok {
        return HttpError::new(
            StatusCode::BAD_REQUEST,
            "control_characters",
            Message::ControlCharacters {
                field: "URL".to_owned(),
            },
        )
        .into_response();
    }
    next.run(request).await
}
