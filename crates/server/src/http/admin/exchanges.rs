//! The exchange history: every exchange with its outcome, a chart of the recent ones, and an
//! exchange's page with each call, each file and every warning and error with its line.

use axum::extract::{Path, State};
use axum::response::Html;
use minijinja::{Value, context};
use vitrina_store::{Db, ExchangeImport, ExchangeSummary, TenantId};

use super::Admin;
use crate::catalog::import::ImportReport;
use crate::domain::permissions::SETTINGS_INTEGRATIONS;
use crate::http::{AppState, HttpError};
use crate::i18n::Lang;

/// Exchanges listed, and drawn in the chart.
const LISTED: i64 = 50;
const CHARTED: usize = 20;

/// What an exchange came to, from its calls and imports.
struct Outcome {
    status: &'static str,
    files: Vec<String>,
    products_changed: u64,
    warnings: u64,
}

fn report(import: &ExchangeImport) -> Option<ImportReport> {
    import
        .report
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
}

async fn outcome(
    db: &Db,
    tenant: TenantId,
    exchange: &ExchangeSummary,
) -> Result<Outcome, HttpError> {
    let imports = db.exchange_imports(tenant, &exchange.exchange_key).await?;
    let status = if imports.iter().any(|i| i.state == "running") {
        "running"
    } else if exchange.failures > 0 || imports.iter().any(|i| i.state == "failed") {
        "failed"
    } else {
        "success"
    };
    let reports: Vec<ImportReport> = imports.iter().filter_map(report).collect();
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
                seconds => format!("{:.1}", *ms as f64 / 1000.0),
                products => changed,
            }
        })
        .collect();
    context! { bars => bars, width => points.len() * 30 + 8, longest_s => format!("{:.1}", longest / 1000.0), most => most as u64 }
}

pub async fn list(State(state): State<AppState>, admin: Admin) -> Result<Html<String>, HttpError> {
    admin.require(SETTINGS_INTEGRATIONS)?;
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
            seconds => format!("{:.1}", duration as f64 / 1000.0),
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

pub async fn show(
    State(state): State<AppState>,
    admin: Admin,
    Path(key): Path<String>,
) -> Result<Html<String>, HttpError> {
    admin.require(SETTINGS_INTEGRATIONS)?;
    let tenant = admin.tenant.id;
    let calls = state.db.exchange_calls(tenant, &key).await?;
    let Some(first) = calls.first() else {
        return Err(HttpError::from(crate::domain::DomainError::NotFound(
            crate::i18n::Message::UnknownExchange { id: key },
        )));
    };
    // The page is about exactly one exchange, whatever prefix the address gave.
    let key = first.exchange_key.clone();
    let imports = state.db.exchange_imports(tenant, &key).await?;
    let lang: Lang = admin.lang;
    let files: Vec<Value> = imports
        .iter()
        .map(|import| {
            let (counts, lines) = match report(import) {
                Some(r) => {
                    let lines = r.details(lang);
                    (Some(Value::from_serialize(&r)), lines)
                }
                None => (None, import.message.clone().into_iter().collect()),
            };
            context! {
                name => import.name,
                state => import.state,
                seconds => import.finished_at.map(|end| format!("{:.1}", (end - import.started_at) as f64 / 1000.0)),
                report => counts,
                lines => lines,
            }
        })
        .collect();
    let running = imports.iter().any(|i| i.state == "running");
    let call_rows: Vec<Value> = calls
        .iter()
        .map(|c| {
            context! {
                at => c.at,
                kind => c.kind,
                mode => c.mode,
                filename => c.filename,
                bytes => c.bytes,
                outcome => c.outcome,
                message => c.message,
            }
        })
        .collect();
    admin.render(
        "exchange.html",
        context! {
            key => key,
            employee => first.employee,
            client_ip => first.client_ip,
            started_at => first.at,
            calls => call_rows,
            files => files,
            running => running,
        },
    )
}
