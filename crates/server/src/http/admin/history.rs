//! Каталог → История: the publishes that can be rolled back to, and "Откатить".

use crate::http::extract::{Path, Query};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};

use super::allowed::{Allowed, CatalogEdit, CatalogView};
use super::forms::Done;
use crate::catalog::history;
use crate::domain::permissions::CATALOG_EDIT;
use crate::http::{AppState, HttpError};

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    admin: Allowed<CatalogView>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    let publishes: Vec<Value> = history::list(&state.db, admin.tenant.id)
        .await?
        .iter()
        .map(|publish| {
            context! {
                id => publish.id.0,
                at => publish.finished_at,
                file => publish.file_name,
                summary => history::summary(publish, admin.lang),
            }
        })
        .collect();
    admin.render(
        "catalog_history.html",
        context! {
            publishes => publishes,
            may_roll_back => admin.may(CATALOG_EDIT),
            done => query.done,
        },
    )
}

/// "Откатить": the catalog as it was before the publish, at once.
#[tracing::instrument(skip_all)]
pub async fn roll_back(
    State(state): State<AppState>,
    admin: Allowed<CatalogEdit>,
    Path(id): Path<i64>,
) -> Result<Response, HttpError> {
    history::roll_back(&state.db, admin.tenant.id, id).await?;
    tracing::info!(employee = %admin.user.employee.email, before = id, "catalog rolled back");
    Ok(Redirect::to("/admin/catalog/history?done=rolled_back").into_response())
}
