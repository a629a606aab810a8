//! `POST /api/v1/orders` for storefronts, and the customer's secret status URL.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::{AppState, CurrentTenant, HttpError};
use crate::domain::DomainError;
use crate::i18n::Message;
use crate::orders::{self, OrderInput, Placed};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/orders", post(place))
        .route("/api/v1/orders/status/{token}", get(status))
}

/// Longest `Idempotency-Key` kept.
const MAX_KEY: usize = 200;

async fn place(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, HttpError> {
    let input: OrderInput = serde_json::from_slice(&body).map_err(|e| {
        HttpError::new(
            StatusCode::BAD_REQUEST,
            "bad_json",
            Message::BadJson {
                reason: e.to_string(),
            },
        )
    })?;
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= MAX_KEY);
    match orders::place(&state.db, tenant.id, &input, key).await {
        Ok(Placed::Created(order)) => Ok((StatusCode::CREATED, Json(order)).into_response()),
        Ok(Placed::Repeated(order)) => Ok((StatusCode::OK, Json(order)).into_response()),
        Err(DomainError::Conflict(message)) => Err(HttpError::new(
            StatusCode::CONFLICT,
            "idempotency_key_reused",
            message,
        )),
        Err(DomainError::Invalid(message)) => Err(HttpError::new(
            StatusCode::BAD_REQUEST,
            "invalid_order",
            message,
        )),
        Err(err) => Err(err.into()),
    }
}

async fn status(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Path(token): Path<String>,
) -> Result<Response, HttpError> {
    match orders::by_status_token(&state.db, tenant.id, &token).await? {
        Some(order) => Ok(Json(order).into_response()),
        None => Err(HttpError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            Message::NoSuchPage {
                path: "/api/v1/orders/status/…".to_owned(),
            },
        )),
    }
}
