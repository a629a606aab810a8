//! `/rest/integration/1c_exchange.php`: the endpoint 1C and MoySklad call. Every answer is
//! plain text lines; every failure is HTTP 200 with `failure` and a reason a shop owner can act
//! on (rendered by `render_errors`, so no HTML page can ever come from this path).

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use super::error::EXCHANGE_PATH;
use super::{AppState, ClientInfo, CurrentTenant, HttpError};
use crate::domain::{DomainError, settings};
use crate::exchange::{self, COOKIE, Credentials};
use crate::i18n::Message;

pub fn router() -> Router<AppState> {
    Router::new().route(EXCHANGE_PATH, any(exchange_call))
}

/// A refusal in the protocol's form: HTTP 200, `failure\n<reason>`.
fn failure(message: Message) -> HttpError {
    HttpError::new(StatusCode::OK, "failure", message)
}

impl From<DomainError> for ExchangeError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::Internal(inner) => {
                tracing::error!(error = %format!("{inner:#}"), "exchange call failed");
                Self(failure(Message::Internal))
            }
            other => Self(failure(other.message())),
        }
    }
}

/// Errors of this endpoint, always rendered as `failure` lines.
struct ExchangeError(HttpError);

impl IntoResponse for ExchangeError {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

fn text(body: String) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// The session token from the `Cookie` header, if the client sent ours.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_owned())
}

fn credentials(headers: &HeaderMap) -> Option<Credentials> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(Credentials::from_header)
}

async fn exchange_call(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    client: ClientInfo,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ExchangeError> {
    let kind = query
        .get("type")
        .map(|t| t.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let mode = query
        .get("mode")
        .map(|m| m.trim().to_ascii_lowercase())
        .unwrap_or_default();
    if kind != "catalog" && kind != "sale" {
        return Err(ExchangeError(failure(Message::ExchangeUnknownType {
            value: kind,
        })));
    }
    let ip = client.ip.to_string();
    if mode == "checkauth" {
        let signed_in = exchange::sign_in(
            &state.db,
            &state.exchange_failures,
            &tenant,
            credentials(&headers),
            &ip,
        )
        .await?;
        tracing::info!(employee = %signed_in.employee.email, %kind, "exchange checkauth");
        let timestamp = vitrina_store::now_millis() / 1000;
        let token = &signed_in.token;
        let body = format!("success\n{COOKIE}\n{token}\nsessid={token}\ntimestamp={timestamp}\n");
        let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax");
        return Ok(([(header::SET_COOKIE, cookie)], text(body)).into_response());
    }
    let token = session_cookie(&headers).or_else(|| query.get("sessid").cloned());
    exchange::authorize(
        &state.db,
        &state.exchange_failures,
        &tenant,
        token.as_deref(),
        credentials(&headers),
        &ip,
    )
    .await?;
    match (kind.as_str(), mode.as_str()) {
        (_, "init") => {
            let all = settings::effective(&state.db, tenant.id).await?;
            let value = |key: &str| {
                all.iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            let zip = if value("commerceml.zip") == "true" {
                "yes"
            } else {
                "no"
            };
            Ok(text(format!(
                "zip={zip}\nfile_limit={}\n",
                value("commerceml.file_limit")
            )))
        }
        (_, "file" | "import" | "deactivate" | "complete" | "query" | "success") => {
            Err(ExchangeError(failure(Message::ExchangeModeNotYet { mode })))
        }
        _ => Err(ExchangeError(failure(Message::ExchangeUnknownMode {
            value: mode,
        }))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_our_cookie_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            "PHPSESSID=1; VITRINA_EXCHANGE=abc ; x=y".parse().unwrap(),
        );
        assert_eq!(session_cookie(&headers).as_deref(), Some("abc"));
        assert_eq!(session_cookie(&HeaderMap::new()), None);
    }
}
