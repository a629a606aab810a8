//! Настройки → Оповещения: where alerts go (a signed webhook, e-mail through the shop's SMTP
//! server), when they are raised, "send a test", the open incidents and the delivery log.

use crate::http::extract::{Form, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};

use super::Admin;
use super::allowed::{Allowed, SettingsIntegrations};
use super::forms::{Done, Fields};
use crate::domain::settings::{self, Raw, SECRETS, SmtpTls, key};
use crate::http::{AppState, HttpError};

/// The settings this page edits.
const KEYS: [&str; 11] = [
    key::WEBHOOK_URL,
    key::WEBHOOK_SECRET,
    key::EMAIL_TO,
    key::SMTP_HOST,
    key::SMTP_PORT,
    key::SMTP_TLS,
    key::SMTP_LOGIN,
    key::SMTP_PASSWORD,
    key::SMTP_FROM,
    key::NO_EXCHANGE_HOURS,
    key::PICKUP_ALERT_HOURS,
];

/// Deliveries shown in the log.
const LOGGED: i64 = 50;

async fn page(
    state: &AppState,
    admin: &Admin,
    done: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, HttpError> {
    let tenant = admin.tenant.id;
    let raw = Raw::load(&state.db, tenant).await?;
    // Secrets are said to be set, never sent back to the browser.
    let current: std::collections::BTreeMap<String, &str> = raw
        .iter()
        .map(|(k, v)| {
            let shown = if SECRETS.contains(&k) { "" } else { v };
            (k.replace('.', "_"), shown)
        })
        .collect();
    let secrets_set: Vec<String> = raw
        .iter()
        .filter(|(k, v)| SECRETS.contains(k) && !v.is_empty())
        .map(|(k, _)| k.replace('.', "_"))
        .collect();
    let incidents: Vec<Value> = state
        .db
        .open_incidents(tenant)
        .await?
        .into_iter()
        .map(|i| context! { kind => i.kind, detail => i.detail, opened_at => i.opened_at })
        .collect();
    let deliveries: Vec<Value> = state
        .db
        .deliveries(tenant, LOGGED)
        .await?
        .into_iter()
        .map(|d| {
            let status = match (d.delivered_at, d.failed_at) {
                (Some(_), _) => "success",
                (None, Some(_)) => "failed",
                (None, None) => "queued",
            };
            context! {
                at => d.created_at,
                channel => d.channel.as_str(),
                event => d.event.as_str(),
                attempts => d.attempts,
                status => status,
                error => d.last_error,
            }
        })
        .collect();
    admin.render(
        "alerts.html",
        context! {
            settings => current,
            secrets_set => secrets_set,
            tls_modes => SmtpTls::WORDS,
            incidents => incidents,
            deliveries => deliveries,
            done => done,
            error => error,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    page(&state, &admin, query.done, None).await
}

#[tracing::instrument(skip_all)]
pub async fn save(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
    Form(fields): Form<Fields>,
) -> Result<Response, HttpError> {
    let changes: Vec<(&str, String)> = KEYS
        .iter()
        .map(|key| (*key, fields.get(key).unwrap_or("").trim().to_owned()))
        // A secret left blank keeps the one stored.
        .filter(|(key, value)| !(SECRETS.contains(key) && value.is_empty()))
        .collect();
    let checked: Result<(), _> = changes
        .iter()
        .try_for_each(|(key, value)| settings::find(key).and_then(|s| s.validate(value)));
    if let Err(err) = checked {
        let error = Some(super::refusal(err, admin.lang)?);
        let page = page(&state, &admin, None, error).await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    for (key, value) in &changes {
        settings::set(&state.db, admin.tenant.id, key, value).await?;
    }
    Ok(Redirect::to("/admin/alerts?done=settings_saved").into_response())
}

/// "Отправить тест": one message to each channel set up.
#[tracing::instrument(skip_all)]
pub async fn test(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
) -> Result<Response, HttpError> {
    let queued = crate::alerts::send_test(&state.db, admin.tenant.id).await?;
    let done = if queued == 0 {
        "alert_no_channel"
    } else {
        "alert_test_queued"
    };
    Ok(Redirect::to(&format!("/admin/alerts?done={done}")).into_response())
}
