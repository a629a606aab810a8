//! `/rest/integration/1c_exchange.php`: the endpoint 1C and MoySklad call. This handler only
//! translates: the query and headers into an [`exchange::protocol::Request`], the reply into
//! plain text lines (or an orders document), and records the call in the exchange history.
//! Every failure is HTTP 200 with `failure` and a reason a shop owner can act on (rendered by
//! `render_errors`, so no HTML page can ever come from this path).

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use super::error::EXCHANGE_PATH;
use super::{AppState, ClientInfo, CurrentTenant, HttpError};
use crate::domain::DomainError;
use crate::exchange::protocol::{self, Record, Reply, Services};
use crate::exchange::{COOKIE, Call, Credentials};
use crate::http::extract::Query;
use crate::i18n::{Lang, Message};
use vitrina_store::{CallOutcome, LoggedCall};

pub fn router() -> Router<AppState> {
    Router::new().route(EXCHANGE_PATH, any(exchange_call))
}

/// A refusal in the protocol's form: HTTP 200, `failure\n<reason>`.
fn failure(message: Message) -> HttpError {
    HttpError::new(StatusCode::OK, "failure", message)
}

/// The reason to give for a refused call; internal errors are logged and not described.
fn reason(err: DomainError) -> Message {
    match err {
        DomainError::Internal(inner) => {
            tracing::error!(error = %format!("{inner:#}"), "exchange call failed");
            Message::Internal
        }
        other => other.message(),
    }
}

/// The session token from the `Cookie` header, if the client sent ours.
fn session_cookie(headers: &HeaderMap) -> Option<String> {
    super::cookies::cookie(headers, COOKIE)
}

fn credentials(headers: &HeaderMap) -> Option<Credentials> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(Credentials::from_header)
}

/// Longest parameter value accepted, in bytes.
const MAX_PARAM: usize = 1024;
/// How much of a refused stranger's call is kept.
const KEPT_CHARS: usize = 200;

/// Answers a call and records it in the exchange history, whatever the outcome. Calls
/// nobody signed in for are kept aggregated per address and hour, and truncated.
#[tracing::instrument(skip_all)]
async fn exchange_call(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    client: ClientInfo,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let kept = |key: &str, chars: usize| query.get(key).map(|v| keep(v, chars));
    let lower = |key: &str| {
        kept(key, KEPT_CHARS)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    };
    let mut record = Record::default();
    let answered = match parse(&query, &headers, &client, body) {
        Ok(request) => {
            let services = Services {
                db: &state.db,
                files: &state.files,
                queue: &state.queue,
                upload_locks: &state.upload_locks,
                failures: &state.exchange_failures,
            };
            protocol::handle(services, &tenant, request, &mut record)
                .await
                .map_err(reason)
        }
        Err(refused) => Err(refused),
    };
    let outcome = match &answered {
        Ok(reply) if reply.in_progress => CallOutcome::Progress,
        Ok(_) => CallOutcome::Success,
        Err(_) => CallOutcome::Failure,
    };
    let mut call = LoggedCall {
        exchange_key: record.exchange_key,
        at: vitrina_store::now_millis(),
        client_ip: client.ip.to_string(),
        kind: lower("type"),
        mode: lower("mode"),
        filename: kept("filename", MAX_PARAM),
        outcome,
        bytes: record.bytes,
        message: record.message,
        employee: record.employee,
        ..LoggedCall::default()
    };
    if let Err(message) = &answered {
        call.message = Some(message.text(Lang::Ru));
    }
    state.metrics.call(&call.mode, outcome);
    let logged = if call.employee.is_some() {
        state.db.log_exchange_call(tenant.id, &call).await
    } else {
        let hour = call.at / 3_600_000;
        call.exchange_key = format!("unauthenticated:{}:{hour}", client.ip);
        call.filename = call.filename.map(|f| keep(&f, KEPT_CHARS));
        call.message = call.message.map(|m| keep(&m, KEPT_CHARS));
        state.db.log_refused_call(tenant.id, &call).await
    };
    if let Err(err) = logged {
        tracing::error!(error = %err, "could not record an exchange call");
    }
    match answered {
        Ok(reply) => render(reply, client.https),
        Err(message) => failure(message).into_response(),
    }
}

/// The call the query and headers make, or the reason it is refused before anything else.
fn parse(
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    client: &ClientInfo,
    body: Body,
) -> Result<protocol::Request<axum::body::BodyDataStream>, Message> {
    check_params(query)?;
    let param = |key: &str| query.get(key).map(String::as_str).unwrap_or_default();
    Ok(protocol::Request {
        call: Call::parse(param("type"), param("mode"))?,
        filename: query.get("filename").cloned(),
        session: session_cookie(headers).or_else(|| query.get("sessid").cloned()),
        credentials: credentials(headers),
        client_ip: client.ip.to_string(),
        body: body.into_data_stream(),
    })
}

/// The reply as HTTP: text lines or an orders document, and the session cookie `checkauth`
/// opened.
fn render(reply: Reply, https: bool) -> Response {
    let mut response = match reply.body {
        protocol::Body::Text(text) => {
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
        }
        protocol::Body::Document { bytes, charset } => {
            let content_type = format!("application/xml; charset={charset}");
            ([(header::CONTENT_TYPE, content_type)], bytes).into_response()
        }
    };
    if let Some(token) = reply.session {
        let secure = if https { "; Secure" } else { "" };
        let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}");
        if let Ok(value) = cookie.parse() {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

/// At most `chars` characters of `value`, control characters replaced, for the history.
fn keep(value: &str, chars: usize) -> String {
    value
        .chars()
        .take(chars)
        .map(|c| if c.is_control() { '\u{fffd}' } else { c })
        .collect()
}

/// Refuses parameters over [`MAX_PARAM`] or holding control characters.
fn check_params(query: &HashMap<String, String>) -> Result<(), Message> {
    for (name, value) in query {
        let field = keep(name, 40);
        if name.len() > MAX_PARAM || value.len() > MAX_PARAM {
            return Err(Message::TooLong {
                field,
                max: MAX_PARAM,
            });
        }
        if name.chars().chain(value.chars()).any(char::is_control) {
            return Err(Message::ControlCharacters { field });
        }
    }
    Ok(())
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
