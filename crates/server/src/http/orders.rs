//! `POST /api/v1/orders` for storefronts, and the customer's secret status URL.

use crate::http::extract::Path;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};

use super::{AppState, CurrentTenant, HttpError};
use crate::domain::DomainError;
use crate::i18n::Message;
use crate::orders::{self, Placed, limits};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/orders", post(place))
        .route("/api/v1/orders/status/{token}", get(status))
}

/// Longest `Idempotency-Key` kept.
const MAX_KEY: usize = 200;

#[tracing::instrument(skip_all)]
async fn place(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, HttpError> {
    let body = axum::body::to_bytes(body, limits::MAX_BODY)
        .await
        .map_err(|_| {
            HttpError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                Message::BodyTooLarge {
                    max_kb: limits::MAX_BODY / 1024,
                },
            )
        })?;
    let input = orders::input::parse(&body).map_err(refused)?;
    let key = idempotency_key(&headers)?;
    match orders::place(&state.db, tenant.id, &input, key).await {
        Ok(Placed::Created(order)) => Ok((StatusCode::CREATED, Json(order)).into_response()),
        Ok(Placed::Repeated(order)) => Ok((StatusCode::OK, Json(order)).into_response()),
        Err(err) => Err(refused(err)),
    }
}

/// A refused order as the API answers it (the message names the field at fault).
fn refused(err: DomainError) -> HttpError {
    match err {
        DomainError::Conflict(message) => {
            HttpError::new(StatusCode::CONFLICT, "idempotency_key_reused", message)
        }
        DomainError::Invalid(message) => {
            HttpError::new(StatusCode::BAD_REQUEST, "invalid_order", message)
        }
        err => err.into(),
    }
}

/// The `Idempotency-Key` header: absent, or at most [`MAX_KEY`] printable ASCII characters
/// (a longer key is refused, never ignored: ignoring it would let retries duplicate orders).
fn idempotency_key(headers: &HeaderMap) -> Result<Option<&str>, HttpError> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let refused = || {
        HttpError::new(
            StatusCode::BAD_REQUEST,
            "bad_idempotency_key",
            Message::BadIdempotencyKey { max: MAX_KEY },
        )
    };
    let key = value.to_str().map_err(|_| refused())?.trim();
    if key.len() > MAX_KEY || key.chars().any(|c| c.is_control()) {
        return Err(refused());
    }
    Ok(Some(key).filter(|k| !k.is_empty()))
}

#[tracing::instrument(skip_all)]
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
