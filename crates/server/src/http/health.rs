//! `GET /healthz`: answers on any host, tenant or not, for load balancers.

use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::{AppState, HttpError};

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz))
}

/// `ok` when the database answers.
async fn healthz(State(state): State<AppState>) -> Result<&'static str, HttpError> {
    state
        .db
        .ping()
        .await
        .map_err(|err| HttpError::internal(&err))?;
    Ok("ok")
}
