//! The public storefront API: categories, products, pictures. Read-only, per tenant by Host,
//! open to any origin.

use crate::http::extract::{Path, Query};
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::{AppState, CurrentTenant, HttpError};
use crate::catalog::import::picture_key;
use crate::catalog::thumbnails;
use crate::catalog::view::{CatalogView, Category, Product};
use crate::i18n::Message;

/// Products per page unless asked, and at most.
const DEFAULT_LIMIT: i64 = 100;
const MAX_LIMIT: i64 = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/categories", get(categories))
        .route("/api/v1/products", get(products))
        .route("/api/v1/products/{external_id}", get(product))
        .route("/api/v1/pictures/{hash}", get(picture))
        .route("/api/v1/openapi.json", get(openapi))
}

#[derive(Serialize)]
struct Items<T> {
    items: Vec<T>,
}

async fn categories(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
) -> Result<Json<Items<Category>>, HttpError> {
    let view = CatalogView::load(&state.db, tenant.id).await?;
    Ok(Json(Items {
        items: view.categories(),
    }))
}

#[derive(Deserialize)]
struct ListQuery {
    limit: Option<String>,
    cursor: Option<String>,
    category: Option<String>,
    q: Option<String>,
}

#[derive(Serialize)]
struct ProductList {
    items: Vec<Product>,
    next_cursor: Option<String>,
}

fn bad_request(message: Message) -> HttpError {
    HttpError::new(StatusCode::BAD_REQUEST, "invalid", message)
}

async fn products(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Query(query): Query<ListQuery>,
) -> Result<Json<ProductList>, HttpError> {
    let limit = match query.limit.as_deref() {
        None | Some("") => DEFAULT_LIMIT,
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| {
                bad_request(Message::BadLimit {
                    value: text.to_owned(),
                })
            })?
            .min(MAX_LIMIT),
    };
    let after = match query.cursor.as_deref().filter(|c| !c.is_empty()) {
        Some(cursor) => Some(decode_cursor(cursor).ok_or_else(|| bad_request(Message::BadCursor))?),
        None => None,
    };
    let view = CatalogView::load(&state.db, tenant.id).await?;
    let category = query.category.as_deref().filter(|c| !c.is_empty());
    let q = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let (items, more) = view
        .list(
            &state.db,
            tenant.id,
            after.as_deref(),
            limit,
            category,
            q,
            Some(true),
        )
        .await?;
    let next_cursor = if more {
        items.last().map(|p| encode_cursor(&p.external_id))
    } else {
        None
    };
    Ok(Json(ProductList { items, next_cursor }))
}

async fn product(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Path(external_id): Path<String>,
) -> Result<Json<Product>, HttpError> {
    let view = CatalogView::load(&state.db, tenant.id).await?;
    view.product(&state.db, tenant.id, &external_id)
        .await?
        .map(Json)
        .ok_or_else(|| {
            HttpError::new(
                StatusCode::NOT_FOUND,
                "not_found",
                Message::UnknownProduct {
                    product: external_id,
                },
            )
        })
}

#[derive(Deserialize)]
struct PictureQuery {
    w: Option<String>,
}

async fn picture(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Path(hash): Path<String>,
    Query(query): Query<PictureQuery>,
) -> Result<Response, HttpError> {
    let not_found = || HttpError::new(StatusCode::NOT_FOUND, "not_found", Message::UnknownPicture);
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(not_found());
    }
    let content_type = state
        .db
        .picture_type(tenant.id, &hash)
        .await
        .map_err(|e| HttpError::internal(&e))?;
    let mut content_type = content_type.ok_or_else(not_found)?;
    let bytes = match query.w.as_deref() {
        None | Some("") => state
            .files
            .get(&picture_key(tenant.id, &hash))
            .await
            .map_err(|_| not_found())?,
        Some(w) => {
            let width = w
                .parse::<u32>()
                .ok()
                .filter(|w| thumbnails::WIDTHS.contains(w))
                .ok_or_else(|| {
                    bad_request(Message::BadWidth {
                        value: w.to_owned(),
                    })
                })?;
            let (bytes, resized_type) = resized(&state, tenant.id, &hash, width).await?;
            content_type = resized_type.to_owned();
            bytes
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            // The URL names the content: it never changes.
            (
                header::CACHE_CONTROL,
                "public, max-age=31536000, immutable".to_owned(),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// A resized copy, made once and kept in the file store next to the original.
async fn resized(
    state: &AppState,
    tenant: vitrina_store::TenantId,
    hash: &str,
    width: u32,
) -> Result<(Vec<u8>, &'static str), HttpError> {
    let not_found = || HttpError::new(StatusCode::NOT_FOUND, "not_found", Message::UnknownPicture);
    let key = |kind: &str| {
        crate::files::Files::key(tenant, &format!("pictures/{hash}.w{width}.{kind}"))
            .expect("a safe key")
    };
    for (kind, content_type) in [("jpg", "image/jpeg"), ("png", "image/png")] {
        if let Ok(bytes) = state.files.get(&key(kind)).await {
            return Ok((bytes, content_type));
        }
    }
    let original = state
        .files
        .get(&picture_key(tenant, hash))
        .await
        .map_err(|_| not_found())?;
    let (bytes, content_type) =
        tokio::task::spawn_blocking(move || thumbnails::resize(&original, width))
            .await
            .map_err(|e| HttpError::internal(&e))?
            .map_err(|e| {
                // Stored before pictures were decoded on arrival: there is no copy to give.
                tracing::warn!(picture = %hash, error = %e, "a stored picture does not decode");
                not_found()
            })?;
    let kind = if content_type == "image/jpeg" {
        "jpg"
    } else {
        "png"
    };
    state
        .files
        .put(&key(kind), bytes.clone())
        .await
        .map_err(|e| HttpError::internal(&e))?;
    Ok((bytes, content_type))
}

async fn openapi() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
}

/// Cursors are the last id of a page, hex-encoded so that clients treat them as opaque.
fn encode_cursor(external_id: &str) -> String {
    external_id.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_cursor(cursor: &str) -> Option<String> {
    if !cursor.len().is_multiple_of(2) {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        for id in ["5wceZf8djXSdCHMIIIWw-3", "товар#1", ""] {
            assert_eq!(decode_cursor(&encode_cursor(id)).as_deref(), Some(id));
        }
        for bad in ["abc", "zz", "ff"] {
            assert_eq!(decode_cursor(bad), None, "{bad}");
        }
    }
}
