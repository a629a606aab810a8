//! The panel's stylesheet and script, embedded in the binary (no internet access needed).

use crate::http::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::http::HttpError;
use crate::i18n::Message;

const ASSETS: [(&str, &str, &str); 2] = [
    (
        "admin.css",
        "text/css; charset=utf-8",
        include_str!("../../../assets/admin.css"),
    ),
    (
        "admin.js",
        "text/javascript; charset=utf-8",
        include_str!("../../../assets/admin.js"),
    ),
];

#[tracing::instrument(skip_all)]
pub async fn serve(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(file, _, _)| *file == name) {
        Some((_, content_type, body)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            *body,
        )
            .into_response(),
        None => HttpError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            Message::NoSuchPage {
                path: format!("/admin/assets/{name}"),
            },
        )
        .into_response(),
    }
}
