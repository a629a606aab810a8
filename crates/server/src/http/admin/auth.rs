//! Signing in and out, and the language switch.

use crate::http::extract::{Form, Path, Query};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::context;
use serde::Deserialize;

use super::page::{SESSION_COOKIE, render_page};
use crate::domain::admin_auth;
use crate::http::cookies::cookie;
use crate::http::lang::LANG_COOKIE;
use crate::http::{AppState, ClientInfo, CurrentTenant, HttpError, RequestLang};
use crate::i18n::Lang;

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SignIn {
    email: String,
    password: String,
    next: Option<String>,
}

/// Only a path inside the panel: never an open redirect to another site.
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with("/admin")
                && !path.contains("//")
                && path.len() <= 1024
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => "/admin",
    }
}

#[tracing::instrument(skip_all)]
pub async fn form(
    CurrentTenant(tenant): CurrentTenant,
    RequestLang(lang): RequestLang,
    Query(query): Query<Next>,
) -> Result<Response, HttpError> {
    let page = render_page(
        lang,
        "login.html",
        context! { shop => tenant.name, next => safe_next(query.next.as_deref()) },
    )?;
    Ok(page.into_response())
}

#[tracing::instrument(skip_all)]
pub async fn submit(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    RequestLang(lang): RequestLang,
    client: ClientInfo,
    Form(input): Form<SignIn>,
) -> Result<Response, HttpError> {
    let next = safe_next(input.next.as_deref()).to_owned();
    let signed_in = admin_auth::sign_in(
        &state.db,
        &state.admin_failures,
        &tenant,
        &input.email,
        &input.password,
        &client.ip.to_string(),
    )
    .await;
    match signed_in {
        Ok(token) => {
            let secure = if client.https { "; Secure" } else { "" };
            let max_age = admin_auth::SESSION_TTL.as_secs();
            let set = format!(
                "{SESSION_COOKIE}={token}; Path=/admin; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
            );
            let mut response = Redirect::to(&next).into_response();
            response.headers_mut().insert(
                header::SET_COOKIE,
                HeaderValue::from_str(&set).map_err(|e| HttpError::internal(&e))?,
            );
            Ok(response)
        }
        Err(crate::domain::DomainError::Internal(err)) => {
            Err(HttpError::internal(&format!("{err:#}")))
        }
        Err(refused) => {
            let page = render_page(
                lang,
                "login.html",
                context! {
                    shop => tenant.name,
                    next => next,
                    email => input.email,
                    error => refused.message().text(lang),
                },
            )?;
            Ok((axum::http::StatusCode::UNAUTHORIZED, page).into_response())
        }
    }
}

#[tracing::instrument(skip_all)]
pub async fn sign_out(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        admin_auth::sign_out(&state.db, &tenant, &token).await?;
    }
    let mut response = Redirect::to("/admin/login").into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("vitrina_admin=; Path=/admin; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    Ok(response)
}

/// Remembers the chosen language in a cookie and goes back to the page.
#[tracing::instrument(skip_all)]
pub async fn choose_language(
    Path(code): Path<String>,
    Query(query): Query<Next>,
) -> Result<Response, HttpError> {
    let code = code.parse::<Lang>().unwrap_or_default().code();
    let mut response = Redirect::to(safe_next(query.next.as_deref())).into_response();
    let set = format!("{LANG_COOKIE}={code}; Path=/; SameSite=Lax; Max-Age=31536000");
    response.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_str(&set).map_err(|e| HttpError::internal(&e))?,
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_panel_paths_are_followed_after_sign_in() {
        assert_eq!(safe_next(Some("/admin/catalog")), "/admin/catalog");
        assert_eq!(safe_next(Some("https://evil.example/")), "/admin");
        assert_eq!(safe_next(Some("//evil.example/admin")), "/admin");
        assert_eq!(safe_next(Some("/admin//evil.example")), "/admin");
        assert_eq!(safe_next(None), "/admin");
        assert_eq!(safe_next(Some("/admin\r\nSet-Cookie: x=1")), "/admin");
    }
}
