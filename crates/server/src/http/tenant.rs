//! Which tenant a request is for: resolved once from the Host header, before any handler.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::{StatusCode, header::HOST, request::Parts};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use vitrina_store::Tenant;

use super::{AppState, HttpError};
use crate::domain::DomainError;

/// The tenant of the current request. A handler that takes this can only be reached on a
/// host that names a tenant.
#[derive(Debug, Clone)]
pub struct CurrentTenant(pub Arc<Tenant>);

/// Middleware: resolves the tenant or answers 404 naming the problem.
pub async fn resolve_tenant(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    // HTTP/1.1 sends Host; HTTP/2 may send only the :authority pseudo-header.
    let host = request
        .headers()
        .get(HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    match state.tenants.resolve(&state.db, &host).await {
        Ok(tenant) => {
            tracing::Span::current().record("tenant", tenant.slug.as_str());
            request
                .extensions_mut()
                .insert(CurrentTenant(Arc::new(tenant)));
            next.run(request).await
        }
        Err(DomainError::NotFound(message)) => {
            HttpError::new(StatusCode::NOT_FOUND, "unknown_tenant", message).into_response()
        }
        Err(err) => HttpError::from(err).into_response(),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentTenant {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Self>()
            .cloned()
            .ok_or_else(|| HttpError::internal(&"route is not behind the tenant middleware"))
    }
}
