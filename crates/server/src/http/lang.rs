//! The reader's language: the panel's language cookie, else `Accept-Language`.

use axum::extract::FromRequestParts;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::http::{HeaderMap, request::Parts};

use crate::i18n::Lang;

/// The cookie the admin panel's language switch sets.
pub const LANG_COOKIE: &str = "vitrina_lang";

/// The language to answer in: the one chosen in the panel, else the first of
/// `Accept-Language` that Vitrina speaks, else Russian.
#[derive(Debug, Clone, Copy)]
pub struct RequestLang(pub Lang);

pub(super) fn of_headers(headers: &HeaderMap) -> Lang {
    if let Some(chosen) = super::cookies::cookie(headers, LANG_COOKIE).and_then(|c| c.parse().ok())
    {
        return chosen;
    }
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(of_headers(&parts.headers)))
    }
}
