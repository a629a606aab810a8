//! The exchange history: every exchange with its outcome, a chart of the recent ones, and an
//! exchange's page with each call, each file and every warning and error with its line.

use crate::http::extract::{Path, Query};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use futures_util::StreamExt;
use minijinja::{Value, context};
use vitrina_store::{BatchId, Db, ExchangeSummary, JobState, TenantId};

use super::allowed::{Allowed, SettingsIntegrations};
use super::forms::Done;
use crate::catalog::import::{Held, ImportReport, Progress};
use crate::clock;
use crate::domain::DomainError;
use crate::exchange::{stored_held, stored_outcome, stored_report};
use crate::files::Files;
use crate::http::{AppState, HttpError};
use crate::i18n::{Lang, Message};

/// Exchanges listed, and drawn in the chart.
const LISTED: i64 = 50;
const CHARTED: usize = 20;

/// The badge of a file's import: its colour class and `status.*` label.
fn badge(state: JobState) -> &'static str {
    match state {
        JobState::Done => "success",
        other => other.as_str(),
    }
}

/// What an exchange came to, from its calls and imports.
struct Outcome {
    status: &'static str,
    files: Vec<String>,
    products_changed: u64,
    warnings: u64,
}

async fn outcome(
    db: &Db,
    tenant: TenantId,
    exchange: &ExchangeSummary,
) -> Result<Outcome, HttpError> {
    let imports = db.exchange_imports(tenant, &exchange.exchange_key).await?;
    // The exchange's badge is the worst of its files' (a failed call counts as a failed file).
    let status = if imports.iter().any(|i| i.state.is_pending()) {
        badge(JobState::Running)
    } else if imports.iter().any(|i| i.state == JobState::Held) {
        badge(JobState::Held)
    } else if exchange.failures > 0 || imports.iter().any(|i| i.state == JobState::Failed) {
        badge(JobState::Failed)
    } else {
        badge(JobState::Done)
    };
    let reports: Vec<ImportReport> = imports.iter().filter_map(stored_report).collect();
    Ok(Outcome {
        status,
        files: imports.iter().map(|i| i.name.clone()).collect(),
        products_changed: reports
            .iter()
            .map(|r| r.products.created + r.products.updated + r.products.deactivated)
            .sum(),
        warnings: reports.iter().map(|r| r.warning_count).sum(),
    })
}

/// Bars of duration and of products changed, oldest on the left, as SVG coordinates.
fn chart(points: &[(i64, u64)]) -> Value {
    let longest = points.iter().map(|(ms, _)| *ms).max().unwrap_or(1).max(1) as f64;
    let most = points.iter().map(|(_, n)| *n).max().unwrap_or(1).max(1) as f64;
    let bars: Vec<Value> = points
        .iter()
        .enumerate()
        .map(|(i, (ms, changed))| {
            context! {
                x => i * 30 + 4,
                duration => ((*ms as f64 / longest) * 100.0).round() as i64,
                changed => ((*changed as f64 / most) * 100.0).round() as i64,
                seconds => clock::seconds(*ms),
                products => changed,
            }
        })
        .collect();
    context! { bars => bars, width => points.len() * 30 + 8, longest_s => clock::seconds(longest as i64), most => most as u64 }
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
) -> Result<Html<String>, HttpError> {
    let tenant = admin.tenant.id;
    let mut rows = Vec::new();
    let mut points = Vec::new();
    for exchange in state.db.list_exchanges(tenant, LISTED).await? {
        let outcome = outcome(&state.db, tenant, &exchange).await?;
        let duration = exchange.last_at - exchange.started_at;
        if points.len() < CHARTED {
            points.push((duration, outcome.products_changed));
        }
        rows.push(context! {
            key => exchange.exchange_key,
            short => exchange.exchange_key.get(..12).unwrap_or(&exchange.exchange_key),
            started_at => exchange.started_at,
            employee => exchange.employee,
            client_ip => exchange.client_ip,
            calls => exchange.calls,
            bytes => exchange.bytes,
            seconds => clock::seconds(duration),
            status => outcome.status,
            files => outcome.files,
            products_changed => outcome.products_changed,
            warnings => outcome.warnings,
        });
    }
    points.reverse();
    admin.render(
        "exchanges.html",
        context! { exchanges => rows, chart => chart(&points) },
    )
}

/// The calls of the exchange an address names (by any unique prefix of its key), and its
/// whole key: a page is about exactly one exchange.
async fn calls_of(
    state: &AppState,
    tenant: TenantId,
    prefix: &str,
) -> Result<(Vec<vitrina_store::LoggedCall>, String), HttpError> {
    let mut calls = state.db.exchange_calls(tenant, prefix).await?;
    let Some(key) = calls.first().map(|c| c.exchange_key.clone()) else {
        return Err(unknown(prefix));
    };
    calls.retain(|c| c.exchange_key == key);
    Ok((calls, key))
}

fn unknown(key: &str) -> HttpError {
    HttpError::from(DomainError::NotFound(Message::UnknownExchange {
        id: key.to_owned(),
    }))
}

#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
    Path(key): Path<String>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    let tenant = admin.tenant.id;
    let (calls, key) = calls_of(&state, tenant, &key).await?;
    let first = &calls[0];
    let imports = state.db.exchange_imports(tenant, &key).await?;
    let lang: Lang = admin.lang;
    let files: Vec<Value> = imports
        .iter()
        .map(|import| {
            let (report, lines) = stored_outcome(import, lang);
            let counts = report.map(|r| Value::from_serialize(&r));
            // Live figures of a running import, as its worker (on any instance) records them.
            let running = import.state == JobState::Running;
            let progress = running.then(|| {
                context! {
                    megabytes => Progress::megabytes_of(import.progress_bytes),
                    items => import.progress_items,
                }
            });
            // What the brake found, for the owner to decide on.
            let held = (import.state == JobState::Held)
                .then(|| stored_held(import.report.as_deref()))
                .flatten()
                .map(|held| held_figures(&held));
            context! {
                name => import.name,
                badge => badge(import.state),
                running => running,
                failed => matches!(import.state, JobState::Failed | JobState::Held),
                held => held,
                progress => progress,
                seconds => import.finished_at.map(|end| clock::seconds(end - import.started_at)),
                report => counts,
                lines => lines,
            }
        })
        .collect();
    let running = imports.iter().any(|i| i.state.is_pending());
    let held = imports.iter().any(|i| i.state == JobState::Held);
    let call_rows: Vec<Value> = calls
        .iter()
        .map(|c| {
            context! {
                at => c.at,
                kind => c.kind,
                mode => c.mode,
                filename => c.filename,
                bytes => c.bytes,
                outcome => c.outcome.as_str(),
                message => c.message,
                repeats => c.repeats,
            }
        })
        .collect();
    let uploads: Vec<Value> = match state.db.batch_of_exchange(tenant, &key).await? {
        Some(batch) => state
            .db
            .batch_uploads(tenant, batch)
            .await?
            .into_iter()
            .map(|(name, bytes)| context! { name => name, bytes => bytes })
            .collect(),
        None => Vec::new(),
    };
    admin.render(
        "exchange.html",
        context! {
            key => key,
            uploads => uploads,
            can_rerun => !running && !held && !imports.is_empty() && !uploads.is_empty(),
            held => held,
            done => query.done,
            employee => first.employee,
            client_ip => first.client_ip,
            started_at => first.at,
            calls => call_rows,
            files => files,
            running => running,
        },
    )
}

/// "Повторить импорт": applies the exchange's kept upload again, in the background.
#[tracing::instrument(skip_all)]
pub async fn rerun(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
    Path(key): Path<String>,
) -> Result<Response, HttpError> {
    let tenant = admin.tenant.id;
    let (_, key) = calls_of(&state, tenant, &key).await?;
    let batch = state
        .db
        .batch_of_exchange(tenant, &key)
        .await?
        .ok_or_else(|| unknown(&key))?;
    crate::queue::rerun(&state.queue, tenant, batch).await?;
    tracing::info!(employee = %admin.user.employee.email, exchange = %key, "exchange re-run");
    Ok(Redirect::to(&format!("/admin/exchanges/{key}?done=rerun_started")).into_response())
}

/// A held file's figures for the page: each check it failed, with the first products.
fn held_figures(held: &Held) -> Vec<Value> {
    held.tripped
        .iter()
        .map(|t| {
            context! {
                check => t.check.as_str(),
                count => t.count,
                of => t.of,
                percent => t.percent(),
                limit => t.limit,
                first => t.first,
            }
        })
        .collect()
}

/// The batch of the held pass of the exchange an address names.
async fn held_batch_of(
    state: &AppState,
    tenant: TenantId,
    key: &str,
) -> Result<(String, BatchId), HttpError> {
    let (_, key) = calls_of(state, tenant, key).await?;
    let batch = crate::queue::held_batch(&state.db, tenant, &key).await?;
    Ok((key, batch))
}

/// "Применить": the held pass is published as it came, in the background.
#[tracing::instrument(skip_all)]
pub async fn release(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
    Path(key): Path<String>,
) -> Result<Response, HttpError> {
    let tenant = admin.tenant.id;
    let (key, batch) = held_batch_of(&state, tenant, &key).await?;
    crate::queue::release(&state.queue, tenant, batch).await?;
    tracing::info!(employee = %admin.user.employee.email, exchange = %key, "held pass applied");
    Ok(Redirect::to(&format!("/admin/exchanges/{key}?done=held_released")).into_response())
}

/// "Отменить": the held pass is never applied.
#[tracing::instrument(skip_all)]
pub async fn discard(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
    Path(key): Path<String>,
) -> Result<Response, HttpError> {
    let tenant = admin.tenant.id;
    let (key, batch) = held_batch_of(&state, tenant, &key).await?;
    crate::queue::discard(&state.db, tenant, batch).await?;
    tracing::info!(employee = %admin.user.employee.email, exchange = %key, "held pass discarded");
    Ok(Redirect::to(&format!("/admin/exchanges/{key}?done=held_discarded")).into_response())
}

/// Downloads a file of the exchange's kept upload, put together from its parts as it streams.
#[tracing::instrument(skip_all)]
pub async fn download(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
    Path((key, name)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    let tenant = admin.tenant.id;
    let batch: BatchId = state
        .db
        .batch_of_exchange(tenant, &key)
        .await?
        .ok_or_else(|| unknown(&key))?;
    let Some((name, parts)) = state
        .db
        .batch_files(tenant, batch)
        .await?
        .into_iter()
        .find(|(file, _)| *file == name)
    else {
        return Err(HttpError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            Message::ExchangeFileNotUploaded { name },
        ));
    };
    let keys: Vec<_> = (1..=parts)
        .filter_map(|part| {
            Files::key(
                tenant,
                &format!("exchange/{}/files/{name}/{part:06}", batch.0),
            )
        })
        .collect();
    let files = state.files.clone();
    let stream = futures_util::stream::iter(keys).then(move |key| {
        let files = files.clone();
        async move {
            files
                .get(&key)
                .await
                .map(Bytes::from)
                .map_err(std::io::Error::other)
        }
    });
    let base = name.rsplit('/').next().unwrap_or(&name);
    let disposition = format!(
        "attachment; filename=\"download\"; filename*=UTF-8''{}",
        super::page::urlencoding(base)
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
