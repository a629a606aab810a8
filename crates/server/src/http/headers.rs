//! Security headers of the admin panel's responses, error pages included: no framing, no
//! script or style from elsewhere, no referrer leaving the site.

use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

const PANEL_HEADERS: [(HeaderName, &str); 4] = [
    (
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    ),
    (header::X_FRAME_OPTIONS, "DENY"),
    (header::REFERRER_POLICY, "same-origin"),
    (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
];

/// Middleware: adds the panel's security headers to every response under `/admin`.
pub async fn panel_headers(request: Request, next: Next) -> Response {
    let panel = request.uri().path().starts_with("/admin");
    let mut response = next.run(request).await;
    if panel {
        let headers = response.headers_mut();
        for (name, value) in PANEL_HEADERS {
            headers.insert(name, HeaderValue::from_static(value));
        }
    }
    response
}
