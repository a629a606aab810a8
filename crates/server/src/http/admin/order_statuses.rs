//! Заказы → Статусы: every status value and flag the accounting system sent, what each means
//! on the site, the ones still to map first; the mapping applies to later files and, on
//! request, to the last change each order received.

use crate::http::extract::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use vitrina_store::SiteStatus;

use super::allowed::{Allowed, OrdersManage, OrdersView};
use super::forms::Done;
use crate::domain::permissions::ORDERS_MANAGE;
use crate::http::extract::Query;
use crate::http::{AppState, HttpError};
use crate::i18n::Message;
use crate::orders::changes;

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    admin: Allowed<OrdersView>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    let values: Vec<Value> = state
        .db
        .status_values(admin.tenant.id)
        .await?
        .into_iter()
        .map(|v| {
            context! {
                requisite => v.requisite,
                value => v.value,
                site_status => v.site_status.as_str(),
                unmapped => v.site_status == SiteStatus::Unmapped,
                seen => v.seen,
                last_seen => v.last_seen,
            }
        })
        .collect();
    let unmapped = values
        .iter()
        .filter(|v| v.get_attr("unmapped").is_ok_and(|u| u.is_true()))
        .count();
    admin.render(
        "order_statuses.html",
        context! {
            values => values,
            unmapped => unmapped,
            choices => SiteStatus::WORDS,
            may_manage => admin.may(ORDERS_MANAGE),
            done => query.done,
            applied => query.done.as_deref() == Some("statuses_applied"),
        },
    )
}

/// One value's new mapping.
#[derive(Debug, Deserialize)]
pub struct MapForm {
    requisite: String,
    value: String,
    site_status: String,
}

#[tracing::instrument(skip_all)]
pub async fn map(
    State(state): State<AppState>,
    admin: Allowed<OrdersManage>,
    Form(form): Form<MapForm>,
) -> Result<Response, HttpError> {
    let site_status: SiteStatus = super::orders::status_word(&form.site_status)?;
    let known = state
        .db
        .map_status_value(admin.tenant.id, &form.requisite, &form.value, site_status)
        .await?;
    if !known {
        return Err(HttpError::new(
            StatusCode::NOT_FOUND,
            "unknown_value",
            Message::UnknownOrderStatus {
                status: form.value.clone(),
            },
        ));
    }
    Ok(Redirect::to("/admin/orders/statuses?done=status_mapped").into_response())
}

/// "Применить к полученным заказам": the mapping as it is now, to past changes.
#[tracing::instrument(skip_all)]
pub async fn apply(
    State(state): State<AppState>,
    admin: Allowed<OrdersManage>,
) -> Result<Response, HttpError> {
    changes::reapply(&state.db, admin.tenant.id).await?;
    Ok(Redirect::to("/admin/orders/statuses?done=statuses_applied").into_response())
}
