//! `/rest/integration/1c_exchange.php`: the endpoint 1C and MoySklad call. Every answer is
//! plain text lines; every failure is HTTP 200 with `failure` and a reason a shop owner can act
//! on (rendered by `render_errors`, so no HTML page can ever come from this path).

use std::collections::HashMap;

use crate::http::extract::Query;
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::any;

use super::error::EXCHANGE_PATH;
use super::exchange_import::{self, Answer};
use super::{AppState, ClientInfo, CurrentTenant, HttpError};
use crate::domain::{DomainError, settings};
use crate::exchange::{self, COOKIE, Call, Credentials, Kind, Mode, ZipPolicy};
use crate::files::Files;
use crate::i18n::{Lang, Message};
use crate::metrics::Outcome;
use vitrina_store::LoggedCall;

mod sale;

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
    let mut call = LoggedCall {
        exchange_key: String::new(),
        at: vitrina_store::now_millis(),
        client_ip: client.ip.to_string(),
        kind: lower("type"),
        mode: lower("mode"),
        filename: kept("filename", MAX_PARAM),
        outcome: "success".to_owned(),
        ..LoggedCall::default()
    };
    let answered = match check_params(&query) {
        Ok(()) => answer(&state, &tenant, client, &query, &headers, body, &mut call).await,
        Err(refused) => Err(refused),
    };
    if let Err(ExchangeError(error)) = &answered {
        call.outcome = "failure".to_owned();
        call.message = Some(error.message.text(Lang::Ru));
    }
    let outcome = match call.outcome.as_str() {
        "failure" => Outcome::failure,
        "progress" => Outcome::progress,
        _ => Outcome::success,
    };
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
    answered.unwrap_or_else(IntoResponse::into_response)
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
fn check_params(query: &HashMap<String, String>) -> Result<(), ExchangeError> {
    for (name, value) in query {
        let field = keep(name, 40);
        if name.len() > MAX_PARAM || value.len() > MAX_PARAM {
            return Err(ExchangeError(failure(Message::TooLong {
                field,
                max: MAX_PARAM,
            })));
        }
        if name.chars().chain(value.chars()).any(char::is_control) {
            return Err(ExchangeError(failure(Message::ControlCharacters { field })));
        }
    }
    Ok(())
}

async fn answer(
    state: &AppState,
    tenant: &vitrina_store::Tenant,
    client: ClientInfo,
    query: &HashMap<String, String>,
    headers: &HeaderMap,
    body: Body,
    call: &mut LoggedCall,
) -> Result<Response, ExchangeError> {
    let param = |key: &str| query.get(key).map(String::as_str).unwrap_or_default();
    let parsed =
        Call::parse(param("type"), param("mode")).map_err(|m| ExchangeError(failure(m)))?;
    let kind = parsed.kind;
    let ip = client.ip.to_string();
    if parsed.mode == Mode::CheckAuth {
        let signed_in = exchange::sign_in(
            &state.db,
            &state.exchange_failures,
            tenant,
            credentials(headers),
            &ip,
        )
        .await?;
        tracing::info!(employee = %signed_in.employee.email, %kind, "exchange checkauth");
        call.exchange_key = signed_in.session_key.clone();
        call.employee = Some(signed_in.employee.email.clone());
        let timestamp = vitrina_store::now_millis() / 1000;
        let token = &signed_in.token;
        let body = format!("success\n{COOKIE}\n{token}\nsessid={token}\ntimestamp={timestamp}\n");
        let secure = if client.https { "; Secure" } else { "" };
        let cookie = format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax{secure}");
        return Ok(([(header::SET_COOKIE, cookie)], text(body)).into_response());
    }
    let token = session_cookie(headers).or_else(|| query.get("sessid").cloned());
    let caller = exchange::authorize(
        &state.db,
        &state.exchange_failures,
        tenant,
        token.as_deref(),
        credentials(headers),
        &ip,
    )
    .await?;
    call.exchange_key = caller.batch_key.clone();
    call.employee = Some(caller.employee.email.clone());
    let all = settings::effective(&state.db, tenant.id).await?;
    let setting = |key: &str| settings::value(&all, key).to_owned();
    if kind == Kind::Sale {
        let sale = sale::SaleCall {
            state,
            tenant: tenant.id,
            caller: &caller,
            mode: parsed.mode,
            filename: query.get("filename").map(String::as_str),
            settings: &all,
        };
        return sale::answer(sale, body, call).await;
    }
    match parsed.mode {
        Mode::Init => {
            let keep_days = setting("commerceml.keep_batches_days").parse().unwrap_or(7);
            exchange::prune_batches(&state.db, &state.files, tenant.id, keep_days)
                .await
                .map_err(DomainError::Internal)?;
            // Each init starts a new upload batch: MoySklad sends checkauth + init per pass.
            state
                .db
                .open_batch(tenant.id, &caller.batch_key)
                .await
                .map_err(DomainError::from)?;
            let zip = if setting("commerceml.zip") == "true" {
                "yes"
            } else {
                "no"
            };
            Ok(text(format!(
                "zip={zip}\nfile_limit={}\n",
                setting("commerceml.file_limit")
            )))
        }
        Mode::File => {
            let name = upload_name_param(query).map_err(bad_file_name)?;
            let max_file = setting("commerceml.max_file_bytes")
                .parse()
                .unwrap_or(u64::MAX);
            let max_batch = setting("commerceml.max_batch_bytes")
                .parse()
                .unwrap_or(u64::MAX);
            let received = receive_file(
                state,
                tenant.id,
                &caller.batch_key,
                &name,
                (max_file, max_batch),
                body,
            )
            .await?;
            call.bytes = Some(received as i64);
            Ok(text("success\n".to_owned()))
        }
        Mode::Import => {
            let name = upload_name_param(query).map_err(bad_file_name)?;
            let batch = current_batch(state, tenant.id, &caller.batch_key).await?;
            let zip = ZipPolicy::of(&all);
            match exchange_import::import_call(state, tenant.id, batch, &name, zip).await? {
                Answer::Progress(line) => {
                    call.outcome = "progress".to_owned();
                    let body = format!("progress\n{line}\n");
                    call.message = Some(line);
                    Ok(text(body))
                }
                Answer::Success(line) => {
                    let body = format!("success\n{line}\n");
                    call.message = Some(line);
                    Ok(text(body))
                }
                Answer::Failure(message) => Err(ExchangeError(failure(message))),
            }
        }
        Mode::Deactivate => {
            // Products a full catalog no longer lists were deactivated when it was imported
            // (commerceml.deactivate_missing); a batch without a finished import has nothing to say.
            let batch = current_batch(state, tenant.id, &caller.batch_key).await?;
            if state
                .db
                .done_jobs(tenant.id, batch)
                .await
                .map_err(DomainError::from)?
                == 0
            {
                return Err(ExchangeError(failure(Message::ExchangeNothingToDeactivate)));
            }
            Ok(text(format!(
                "success\n{}\n",
                Message::ExchangeDeactivated.text(crate::i18n::Lang::Ru)
            )))
        }
        Mode::Complete => {
            tracing::info!(employee = %caller.employee.email, "exchange complete");
            Ok(text("success\n".to_owned()))
        }
        // `checkauth` was answered above; `query` and `success` are the sale exchange's.
        Mode::CheckAuth | Mode::Query | Mode::Success => {
            Err(ExchangeError(failure(Message::ExchangeModeNotYet {
                mode: parsed.mode.to_string(),
            })))
        }
    }
}

/// The batch the caller's last `init` opened, or the failure telling them to call `init`.
async fn current_batch(
    state: &AppState,
    tenant: vitrina_store::TenantId,
    batch_key: &str,
) -> Result<vitrina_store::BatchId, ExchangeError> {
    state
        .db
        .current_batch(tenant, batch_key)
        .await
        .map_err(DomainError::from)?
        .ok_or_else(|| ExchangeError(failure(Message::ExchangeNoBatch)))
}

/// The `filename` query parameter as a safe name inside the batch, or the refused raw name.
fn upload_name_param(query: &HashMap<String, String>) -> Result<String, &str> {
    let raw = query
        .get("filename")
        .map(String::as_str)
        .unwrap_or_default();
    exchange::upload_name(raw).ok_or(raw)
}

fn bad_file_name(name: &str) -> ExchangeError {
    ExchangeError(failure(Message::ExchangeBadFileName {
        name: name.to_owned(),
    }))
}

/// Appends the request body to the named file of the caller's current batch, as one more part
/// in the file store, within the file and batch limits while it streams.
async fn receive_file(
    state: &AppState,
    tenant: vitrina_store::TenantId,
    batch_key: &str,
    name: &str,
    (max_file, max_batch): (u64, u64),
    body: Body,
) -> Result<u64, ExchangeError> {
    let internal = |err: anyhow::Error| ExchangeError::from(DomainError::Internal(err));
    let batch = current_batch(state, tenant, batch_key).await?;
    // One upload of a batch at a time: parts numbered and limits checked on what is stored.
    let _turn = state.upload_locks.lock((tenant, batch.0)).await;
    let uploaded = state
        .db
        .batch_files(tenant, batch)
        .await
        .map_err(|e| internal(e.into()))?;
    if let Some((other, _)) = uploaded.iter().find(|(other, _)| clashes(name, other)) {
        return Err(ExchangeError(failure(Message::ExchangeNameClash {
            name: name.to_owned(),
            other: other.clone(),
        })));
    }
    let totals = state
        .db
        .upload_totals(tenant, batch, name)
        .await
        .map_err(|e| internal(e.into()))?;
    let file_room = max_file.saturating_sub(totals.file_bytes as u64);
    let batch_room = max_batch.saturating_sub(totals.batch_bytes as u64);
    let key = Files::key(
        tenant,
        &format!(
            "exchange/{}/files/{name}/{:06}",
            batch.0,
            totals.file_parts + 1
        ),
    )
    .ok_or_else(|| bad_file_name(name))?;
    let stored = state
        .files
        .put_stream(&key, body.into_data_stream(), file_room.min(batch_room))
        .await
        .map_err(internal)?;
    let Some(bytes) = stored else {
        let message = if file_room <= batch_room {
            Message::ExchangeFileTooLarge {
                name: name.to_owned(),
                limit: max_file,
            }
        } else {
            Message::ExchangeBatchTooLarge { limit: max_batch }
        };
        return Err(ExchangeError(failure(message)));
    };
    state
        .db
        .record_part(tenant, batch, name, bytes as i64)
        .await
        .map_err(|e| internal(e.into()))?;
    tracing::info!(file = %name, bytes, batch = batch.0, "exchange file part received");
    Ok(bytes)
}

/// Whether one name is a folder of the other (`import.xml` and `import.xml/000001`): both
/// cannot exist side by side in the batch.
fn clashes(name: &str, other: &str) -> bool {
    let folder_of =
        |a: &str, b: &str| b.len() > a.len() && b.starts_with(a) && b.as_bytes()[a.len()] == b'/';
    folder_of(name, other) || folder_of(other, name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_clashes_with_its_folder() {
        assert!(clashes("import.xml", "import.xml/000001"));
        assert!(clashes("import.xml/000001", "import.xml"));
        assert!(!clashes("import.xml", "import.xml"));
        assert!(!clashes("import.xml", "import.xml2/a"));
        assert!(!clashes("import_files/a.jpg", "import_files/b.jpg"));
    }

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
