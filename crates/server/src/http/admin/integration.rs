//! Настройки → Интеграции → МойСклад / 1С: the URL to paste, a guide, and the exchange's
//! settings with pickers over what the accounting system has sent so far.

use crate::http::extract::{Form, Query};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::HOST;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};

use super::Admin;
use super::allowed::{Allowed, SettingsIntegrations};
use super::forms::{Done, Fields};
use crate::domain::settings::{self, Raw, Settings, key};
use crate::http::{AppState, ClientInfo, EXCHANGE_PATH, HttpError};

/// The settings this page edits, in its order: checkboxes, then the rest.
const CHECKBOXES: [&str; 7] = [
    key::DEACTIVATE_MISSING,
    key::MATCH_BY_SKU,
    key::ZIP,
    key::ORDERS,
    key::HIDE_WITHOUT_STOCK,
    key::HIDE_WITHOUT_PRICE,
    key::HIDE_WITHOUT_PICTURES,
];
const VALUES: [&str; 11] = [
    key::MAX_FILE_BYTES,
    key::MAX_BATCH_BYTES,
    key::ORDERS_ENCODING,
    key::ROOT_GROUP,
    key::PRICE_TYPE,
    key::IMAGES,
    key::FILE_LIMIT,
    key::KEEP_BATCHES_DAYS,
    key::BRAKE_OFFSALE,
    key::BRAKE_UNPRICED,
    key::BRAKE_PICTURES,
];

async fn page(
    state: &AppState,
    admin: &Admin,
    exchange_url: String,
    done: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, HttpError> {
    let tenant = admin.tenant.id;
    let raw = Raw::load(&state.db, tenant).await?;
    let counted = Settings::resolve(&raw).catalog.warehouses;

    let groups: Vec<Value> = state
        .db
        .list_categories(tenant)
        .await?
        .into_iter()
        .map(|c| context! { id => c.external_id, name => c.name })
        .collect();
    let price_types: Vec<Value> = state
        .db
        .list_price_types(tenant)
        .await?
        .into_iter()
        .map(|p| context! { id => p.external_id, name => p.name })
        .collect();
    let warehouses: Vec<Value> = state
        .db
        .list_warehouses(tenant)
        .await?
        .into_iter()
        .map(|w| context! { counted => counted.contains(&w.external_id), id => w.external_id, name => w.name })
        .collect();
    let current: std::collections::BTreeMap<String, &str> =
        raw.iter().map(|(k, v)| (k.replace('.', "_"), v)).collect();
    admin.render(
        "integration.html",
        context! {
            exchange_url => exchange_url,
            settings => current,
            groups => groups,
            price_types => price_types,
            warehouses => warehouses,
            done => done,
            error => error,
        },
    )
}

/// The address MoySklad and 1C are given: this shop's host, as the browser reached it.
fn exchange_url(headers: &HeaderMap, client: ClientInfo) -> String {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if client.https { "https" } else { "http" };
    format!("{scheme}://{host}{EXCHANGE_PATH}")
}

#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
    headers: HeaderMap,
    client: ClientInfo,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    page(
        &state,
        &admin,
        exchange_url(&headers, client),
        query.done,
        None,
    )
    .await
}

#[tracing::instrument(skip_all)]
pub async fn save(
    State(state): State<AppState>,
    admin: Allowed<SettingsIntegrations>,
    headers: HeaderMap,
    client: ClientInfo,
    Form(fields): Form<Fields>,
) -> Result<Response, HttpError> {
    let mut changes: Vec<(&str, String)> = CHECKBOXES
        .iter()
        .map(|key| (*key, fields.ticked(key).to_string()))
        .collect();
    changes.extend(
        VALUES
            .iter()
            .map(|key| (*key, fields.get(key).unwrap_or("").trim().to_owned())),
    );
    let warehouses: Vec<&str> = fields.all(key::WAREHOUSES).collect();
    changes.push((key::WAREHOUSES, warehouses.join(",")));
    // Every value is checked before any is stored: the form is saved whole or not at all.
    let checked: Result<(), _> = changes
        .iter()
        .try_for_each(|(key, value)| settings::find(key).and_then(|s| s.validate(value)));
    if let Err(err) = checked {
        let error = Some(super::refusal(err, admin.lang)?);
        let url = exchange_url(&headers, client);
        let page = page(&state, &admin, url, None, error).await?;
        return Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response());
    }
    for (key, value) in &changes {
        settings::set(&state.db, admin.tenant.id, key, value).await?;
    }
    Ok(Redirect::to("/admin/integration?done=settings_saved").into_response())
}
