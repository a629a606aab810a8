//! The public storefront API, `/api/v1/…`.

use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use super::{AppState, CurrentTenant};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/shop", get(shop))
}

/// The shop a storefront is talking to.
#[derive(Debug, Serialize)]
struct Shop {
    slug: String,
    name: String,
}

/// `GET /api/v1/shop`: the shop of this host, so a storefront can show its name.
#[tracing::instrument(skip_all)]
async fn shop(CurrentTenant(tenant): CurrentTenant) -> Json<Shop> {
    Json(Shop {
        slug: tenant.slug.clone(),
        name: tenant.name.clone(),
    })
}
