//! The HTTP server: the router, its shared state, and the layers every request passes.
//!
//! Request flow: request id → trace span → error rendering → client address → tenant (from
//! Host) → handler. Handlers return [`HttpError`]; `render_errors` turns it into HTML, JSON or
//! the exchange's plain text depending on the path, in the reader's language.

mod admin;
mod api;
mod client;
mod cookies;
mod error;
mod exchange;
pub mod extract;
mod headers;
mod health;
mod lang;
mod orders;
mod storefront;
mod tenant;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state};
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use vitrina_store::Db;

pub use client::{ClientInfo, TrustedProxies};
pub use error::{Area, EXCHANGE_PATH, HttpError};
pub use lang::RequestLang;
pub use tenant::CurrentTenant;

use crate::bootstrap::Storage;
use crate::domain::limiter::FailureLimiter;
use crate::domain::tenants::TenantResolver;
use crate::files::Files;

/// What every handler may reach. Cheap to clone; holds no per-tenant state, so tenants,
/// employees and settings changed by the CLI apply at once.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// The file store.
    pub files: Files,
    /// Host → tenant.
    pub tenants: Arc<TenantResolver>,
    /// Peers whose `X-Forwarded-*` headers are believed.
    pub proxies: Arc<TrustedProxies>,
    /// Failed exchange sign-ins per client address and account.
    pub exchange_failures: Arc<FailureLimiter>,
    /// Failed admin-panel sign-ins per client address and account.
    pub admin_failures: Arc<FailureLimiter>,
    /// The import queue (its workers run only in `vitrina serve`).
    pub queue: Arc<crate::queue::Queue>,
    /// This instance's metrics.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Uploads to one batch take turns.
    pub upload_locks: Arc<crate::exchange::KeyedLocks<(vitrina_store::TenantId, i64)>>,
    /// Each tenant's catalog as storefronts query it, per catalog version.
    pub read_models: Arc<crate::catalog::read_model::ReadModels>,
}

impl AppState {
    /// State over opened storage.
    pub fn new(storage: Storage, tenants: TenantResolver, proxies: TrustedProxies) -> Self {
        let metrics = Arc::new(crate::metrics::Metrics::default());
        let queue =
            crate::queue::Queue::new(storage.imports, storage.files.clone(), metrics.clone());
        Self {
            db: storage.db,
            files: storage.files,
            tenants: Arc::new(tenants),
            proxies: Arc::new(proxies),
            exchange_failures: Arc::new(crate::exchange::failure_limiter()),
            admin_failures: Arc::new(crate::domain::admin_auth::failure_limiter()),
            queue,
            metrics,
            upload_locks: Arc::default(),
            read_models: Arc::default(),
        }
    }
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let per_tenant = Router::new()
        .merge(api::router())
        .merge(orders::router())
        .merge(storefront::router())
        .merge(exchange::router())
        .merge(admin::router())
        .fallback(error::no_such_page)
        .layer(from_fn_with_state(state.clone(), tenant::resolve_tenant));
    // Storefronts on any origin may read the public API and place orders (no cookies are
    // involved there: the API answers the same to everyone). Nothing else is shared: the
    // panel's pages and the exchange never say another origin may read them.
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(|_, request| {
            request.uri.path().starts_with("/api/")
        }))
        .allow_methods([Method::GET, Method::HEAD, Method::POST])
        .allow_headers([
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderName::from_static("idempotency-key"),
        ]);
    let layers = ServiceBuilder::new()
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(client::make_span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(cors)
        .layer(from_fn(headers::panel_headers))
        .layer(from_fn(error::render_errors))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(from_fn(extract::refuse_control_characters))
        .layer(from_fn_with_state(state.clone(), client::record_client));
    per_tenant
        .merge(health::router())
        .layer(layers)
        .with_state(state)
}

/// `GET /metrics` alone, for the operator's own address (`--metrics-listen`): never on the
/// shops' hosts.
pub fn metrics_router(state: AppState) -> Router {
    #[tracing::instrument(skip_all)]
    async fn metrics(
        axum::extract::State(state): axum::extract::State<AppState>,
    ) -> impl axum::response::IntoResponse {
        let text = state.metrics.render(&state.db, state.queue.pool()).await;
        (
            [(
                axum::http::header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
    }
    Router::new()
        .route("/metrics", axum::routing::get(metrics))
        .with_state(state)
}

/// Serves until `shutdown` completes, then finishes the requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}
