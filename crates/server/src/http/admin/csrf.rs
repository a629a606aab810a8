//! Cross-site request forgery: a state-changing request must come from a page of the same
//! origin. Browsers say so in `Sec-Fetch-Site`; older ones send `Origin`, which must name the
//! host the request went to. A request that says neither is refused (every browser the panel
//! supports sends one of them on a form post). Cookies are also `SameSite=Lax`.

use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::http::HttpError;
use crate::i18n::Message;

/// Middleware: refuses unsafe methods from other origins with 403.
pub async fn same_origin_only(request: Request, next: Next) -> Response {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if safe || same_origin(request.headers()) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "cross-site request refused");
    HttpError::new(
        StatusCode::FORBIDDEN,
        "cross_site",
        Message::CrossSiteRefused,
    )
    .into_response()
}

fn same_origin(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site") {
        // `none`: the person typed the address or used a bookmark, no page was involved.
        return matches!(site.to_str(), Ok("same-origin" | "none"));
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin = headers.get(header::ORIGIN).and_then(|o| o.to_str().ok());
    match (host, origin) {
        (Some(host), Some(origin)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.eq_ignore_ascii_case(host)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn only_the_same_origin_may_post() {
        assert!(same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(same_origin(&headers(&[
            ("host", "shop.example.ru"),
            ("origin", "https://shop.example.ru")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "shop.example.ru"),
            ("origin", "https://evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            ("host", "shop.example.ru"),
            ("origin", "null")
        ])));
        assert!(!same_origin(&headers(&[("host", "shop.example.ru")])));
    }
}
