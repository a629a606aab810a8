//! The public storefront API: categories, products, facets, pictures. Read-only, per tenant by
//! Host, open to any origin. Lists and lookups go through the tenant's read model
//! (`catalog::read_model`); every answer carries the catalog version as its `ETag`, and a
//! client that holds it gets `304` before anything is read.

use std::sync::Arc;

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};
use vitrina_store::Tenant;

use super::{AppState, CurrentTenant, HttpError};
use crate::catalog::import::picture_key;
use crate::catalog::listing::{Listing, Sort};
use crate::catalog::read_model::{ReadModel, parse_amount};
use crate::catalog::thumbnails;
use crate::catalog::view::Product;
use crate::domain::DomainError;
use crate::http::extract::{Path, Query};
use crate::i18n::Message;

/// Products per page unless asked, and at most.
const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/categories", get(categories))
        .route("/api/v1/products", get(products))
        .route("/api/v1/products/{external_id}", get(product))
        .route("/api/v1/facets", get(facets))
        .route("/api/v1/pictures/{hash}", get(picture))
        .route("/api/v1/openapi.json", get(openapi))
}

/// What every catalog answer varies with: the tenant's catalog version (the URL and Host are
/// the cache's key already).
fn etag(version: i64) -> String {
    format!("\"c{version}\"")
}

/// `304 Not Modified` when the client holds the current answer.
fn not_modified(tenant: &Tenant, headers: &HeaderMap) -> Option<Response> {
    let tag = etag(tenant.catalog_version);
    let held = headers.get(header::IF_NONE_MATCH)?.to_str().ok()?;
    let matches = held
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*");
    matches.then(|| (StatusCode::NOT_MODIFIED, cached(tenant.catalog_version)).into_response())
}

/// An answer of the catalog: revalidated on every use (a `304` costs next to nothing), shared
/// caches allowed.
fn cached(version: i64) -> [(header::HeaderName, String); 2] {
    [
        (header::ETAG, etag(version)),
        (header::CACHE_CONTROL, "public, no-cache".to_owned()),
    ]
}

/// `value` as JSON bytes, to keep.
fn serialised(value: &impl Serialize) -> Result<bytes::Bytes, DomainError> {
    serde_json::to_vec(value)
        .map(Into::into)
        .map_err(|e| DomainError::Internal(e.into()))
}

/// A JSON answer made from `model`, tagged with the version it shows (a large catalog's model
/// may be a version behind while its next one is built).
fn json(model: &ReadModel, body: impl Into<axum::body::Body>) -> Response {
    let mut response = (cached(model.version), body.into()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}

#[tracing::instrument(skip_all)]
async fn categories(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    if let Some(unchanged) = not_modified(&tenant, &headers) {
        return Ok(unchanged);
    }
    let model = model(&state, &tenant).await?;
    Ok(json(&model, model.categories_json.clone()))
}

/// The tenant's read model at the version its row shows.
async fn model(state: &AppState, tenant: &Tenant) -> Result<Arc<ReadModel>, HttpError> {
    Ok(state
        .read_models
        .get(&state.db, tenant.id, tenant.catalog_version)
        .await?)
}

#[derive(Serialize)]
struct ProductList {
    items: Vec<Product>,
    next_cursor: Option<String>,
}

fn bad_request(message: Message) -> HttpError {
    HttpError::new(StatusCode::BAD_REQUEST, "invalid", message)
}

/// A list's query: `limit`, `cursor`, `category`, `q`, `sort`, `in_stock`, `price_min`,
/// `price_max` and any number of `property=<name>:<value>`. Unknown parameters are ignored.
#[derive(Debug, Default)]
struct ListQuery {
    pairs: Vec<(String, String)>,
}

impl ListQuery {
    fn parse(raw: Option<&str>) -> Self {
        let pairs = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Self { pairs }
    }

    /// The last non-empty value of `key`.
    fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    fn listing(&self) -> Result<Listing<'_>, HttpError> {
        // Every parameter but `property` is given once: two answers to one question are a
        // client's mistake, not a choice to make for it.
        for (i, (key, _)) in self.pairs.iter().enumerate() {
            if key != "property" && self.pairs[..i].iter().any(|(k, _)| k == key) {
                return Err(HttpError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_query",
                    Message::BadRequestParameters {
                        reason: format!("duplicate field `{key}`"),
                    },
                ));
            }
        }
        let limit = match self.get("limit") {
            None => DEFAULT_LIMIT,
            Some(text) => text
                .parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| {
                    bad_request(Message::BadLimit {
                        value: text.to_owned(),
                    })
                })?
                .min(MAX_LIMIT),
        };
        let bad = |field: &str, value: &str| {
            bad_request(Message::BadParameter {
                field: field.to_owned(),
                value: value.to_owned(),
            })
        };
        let sort = match self.get("sort") {
            None => Sort::Id,
            Some(text) => text.parse().map_err(|()| bad("sort", text))?,
        };
        let in_stock = match self.get("in_stock") {
            None | Some("false") => false,
            Some("true") => true,
            Some(text) => return Err(bad("in_stock", text)),
        };
        let amount = |field: &str| match self.get(field) {
            None => Ok(None),
            Some(text) => parse_amount(text).map(Some).ok_or_else(|| bad(field, text)),
        };
        let properties = self
            .pairs
            .iter()
            .filter(|(k, _)| k == "property")
            .map(|(_, v)| {
                v.split_once(':')
                    .filter(|(name, _)| !name.is_empty())
                    .ok_or_else(|| bad("property", v))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Listing {
            sort,
            category: self.get("category"),
            query: self.get("q").map(str::trim).filter(|q| !q.is_empty()),
            in_stock,
            price_min: amount("price_min")?,
            price_max: amount("price_max")?,
            properties,
            after: None,
            limit,
            active: Some(true),
            hidden: false,
        })
    }
}

#[tracing::instrument(skip_all)]
async fn products(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let query = ListQuery::parse(raw.as_deref());
    let mut listing = query.listing()?;
    let after = match query.get("cursor") {
        Some(cursor) => Some(decode_cursor(cursor).ok_or_else(|| bad_request(Message::BadCursor))?),
        None => None,
    };
    listing.after = after.as_deref();
    if let Some(unchanged) = not_modified(&tenant, &headers) {
        return Ok(unchanged);
    }
    let model = model(&state, &tenant).await?;
    let request = format!("products?{}", raw.as_deref().unwrap_or_default());
    let body = model
        .answer(&request, async {
            let page = model.page(&listing)?;
            let items = model
                .view
                .products_in_order(&state.db, tenant.id, &page.ids)
                .await?;
            let next_cursor = if page.more {
                page.ids.last().map(|id| encode_cursor(id))
            } else {
                None
            };
            serialised(&ProductList { items, next_cursor })
        })
        .await?;
    Ok(json(&model, body))
}

#[tracing::instrument(skip_all)]
async fn facets(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    let query = ListQuery::parse(raw.as_deref());
    let listing = query.listing()?;
    if let Some(unchanged) = not_modified(&tenant, &headers) {
        return Ok(unchanged);
    }
    let model = model(&state, &tenant).await?;
    let request = format!("facets?{}", raw.as_deref().unwrap_or_default());
    let body = model
        .answer(&request, async { serialised(&model.facets(&listing)?) })
        .await?;
    Ok(json(&model, body))
}

#[tracing::instrument(skip_all)]
async fn product(
    State(state): State<AppState>,
    CurrentTenant(tenant): CurrentTenant,
    Path(external_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, HttpError> {
    if let Some(unchanged) = not_modified(&tenant, &headers) {
        return Ok(unchanged);
    }
    let unknown = || {
        HttpError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            Message::UnknownProduct {
                product: external_id.clone(),
            },
        )
    };
    let model = model(&state, &tenant).await?;
    if !model.shows(&external_id) {
        return Err(unknown());
    }
    let product = model
        .view
        .product(&state.db, tenant.id, &external_id)
        .await?
        .ok_or_else(unknown)?;
    let body = serde_json::to_vec(&product).map_err(|e| HttpError::internal(&e))?;
    Ok(json(&model, body))
}

#[derive(Deserialize)]
struct PictureQuery {
    w: Option<String>,
}

#[tracing::instrument(skip_all)]
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
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
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
