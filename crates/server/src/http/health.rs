//! `GET /healthz` and `GET /readyz`: answer on any host, tenant or not, for load balancers.
//! `/healthz` says the process serves; `/readyz` fails (503) while the database or the file
//! store cannot be reached, so a balancer sends no traffic to an instance that cannot work.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;

use super::{AppState, HttpError};
use crate::i18n::Message;

/// How long `/readyz` waits for the file store.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// `ok` when the database answers.
#[tracing::instrument(skip_all)]
async fn healthz(State(state): State<AppState>) -> Result<&'static str, HttpError> {
    state
        .db
        .ping()
        .await
        .map_err(|err| HttpError::internal(&err))?;
    Ok("ok")
}

/// `ready` when the database (both pools) and the file store answer.
#[tracing::instrument(skip_all)]
async fn readyz(State(state): State<AppState>) -> Result<&'static str, HttpError> {
    let unready = |what: &str, err: &dyn std::fmt::Display| {
        tracing::warn!(error = %err, "{what} cannot be reached: not ready");
        HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "not_ready",
            Message::NotReady {
                what: what.to_owned(),
            },
        )
    };
    state.db.ping().await.map_err(|e| unready("database", &e))?;
    state
        .queue
        .ping()
        .await
        .map_err(|e| unready("database", &e))?;
    match tokio::time::timeout(READY_WITHIN, state.files.check()).await {
        Ok(Ok(())) => Ok("ready"),
        Ok(Err(err)) => Err(unready("file store", &format!("{err:#}"))),
        Err(_) => Err(unready("file store", &"no answer in time")),
    }
}
