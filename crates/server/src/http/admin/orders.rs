//! Заказы: the list (status filter, search by number, name, phone or email) and an order's
//! page with its lines, customer and status history; `orders.manage` may change the status.

use crate::http::extract::{Form, Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

use vitrina_store::{OrderRow, OrderStatus, TenantId, now_millis};

use super::Admin;
use super::allowed::{Allowed, OrdersManage, OrdersView};
use super::forms::Done;
use crate::domain::permissions::{ORDERS_MANAGE, SETTINGS_INTEGRATIONS};
use crate::domain::settings::Settings;
use crate::http::{AppState, HttpError};
use crate::i18n::Message;
use crate::orders::{self, journey, status_label};

/// Orders listed per page.
const LISTED: i64 = 200;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    q: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    admin: Allowed<OrdersView>,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, HttpError> {
    let status = query
        .status
        .as_deref()
        .and_then(|s| s.parse::<OrderStatus>().ok());
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let needle = search.map(str::to_lowercase);
    let settings = Settings::load(&state.db, admin.tenant.id).await?.orders;
    let (hours, deadline) = (
        settings.pickup_alert_hours,
        settings.pickup_deadline(now_millis()),
    );
    let mut overdue_count = 0;
    let rows: Vec<Value> = state
        .db
        .list_orders(admin.tenant.id, status, LISTED)
        .await?
        .into_iter()
        .filter(|o| {
            needle.as_deref().is_none_or(|n| {
                [
                    &o.number,
                    &o.customer_name,
                    &o.customer_phone,
                    &o.customer_email,
                ]
                .iter()
                .any(|field| field.to_lowercase().contains(n))
            })
        })
        .map(|o| {
            let overdue = journey::overdue(&o, deadline);
            overdue_count += usize::from(overdue);
            context! {
                overdue => overdue,
                number => o.number,
                status => o.status.as_str(),
                status_label => status_label(o.status, admin.lang),
                customer => o.customer_name,
                total => o.total,
                currency => o.currency,
                created_at => o.created_at,
            }
        })
        .collect();
    admin.render(
        "orders.html",
        context! {
            orders => rows,
            statuses => statuses(&admin),
            status => status.map(OrderStatus::as_str),
            q => search,
            overdue_count => overdue_count,
            pickup_hours => hours,
        },
    )
}

fn statuses(admin: &Admin) -> Vec<Value> {
    OrderStatus::ALL
        .iter()
        .map(|s| context! { key => s.as_str(), label => status_label(*s, admin.lang) })
        .collect()
}

#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    admin: Allowed<OrdersView>,
    Path(number): Path<String>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    let tenant = admin.tenant.id;
    let row = order(&state, tenant, &number).await?;
    let (paid, shipped, accounting) = (row.paid, row.shipped, row.accounting_number.clone());
    let steps = journey::of(&state.db, tenant, &row).await?;
    let settings = Settings::load(&state.db, tenant).await?.orders;
    let hours = settings.pickup_alert_hours;
    let overdue = journey::overdue(&row, settings.pickup_deadline(now_millis()));
    let history = state.db.order_history(tenant, row.id).await?;
    let lines = state.db.order_lines(tenant, row.id).await?;
    let status = row.status;
    let order = orders::view_of(row, lines, &history);
    let events: Vec<Value> = history
        .iter()
        .map(|e| {
            context! {
                at => e.at,
                status => status_label(e.status, admin.lang),
                actor => e.actor,
                note => e.note,
            }
        })
        .collect();
    admin.render(
        "order.html",
        context! {
            order => Value::from_serialize(&order),
            status_label => status_label(status, admin.lang),
            paid => paid,
            shipped => shipped,
            accounting_number => accounting,
            history => events,
            journey => Value::from_serialize(&steps),
            may_see_exchanges => admin.may(SETTINGS_INTEGRATIONS),
            overdue => overdue,
            pickup_hours => hours,
            statuses => statuses(&admin),
            may_manage => admin.may(ORDERS_MANAGE),
            done => query.done,
        },
    )
}

/// The shop's order with this number, or a 404 naming it.
async fn order(state: &AppState, tenant: TenantId, number: &str) -> Result<OrderRow, HttpError> {
    state
        .db
        .order_by_number(tenant, number)
        .await?
        .ok_or_else(|| unknown(number))
}

/// A status word from a form (an order's status, or what a value maps to); 400 naming it.
pub(super) fn status_word<W: std::str::FromStr>(word: &str) -> Result<W, HttpError> {
    word.parse().map_err(|_| {
        HttpError::new(
            StatusCode::BAD_REQUEST,
            "unknown_status",
            Message::UnknownOrderStatus {
                status: word.to_owned(),
            },
        )
    })
}

fn unknown(number: &str) -> HttpError {
    HttpError::new(
        StatusCode::NOT_FOUND,
        "unknown_order",
        Message::UnknownOrder {
            number: number.to_owned(),
        },
    )
}

/// An order's new status, as its stored word.
#[derive(Debug, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

#[tracing::instrument(skip_all)]
pub async fn set_status(
    State(state): State<AppState>,
    admin: Allowed<OrdersManage>,
    Path(number): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, HttpError> {
    let tenant = admin.tenant.id;
    let status: OrderStatus = status_word(&form.status)?;
    let row = order(&state, tenant, &number).await?;
    if row.status != status {
        state
            .db
            .set_order_status(tenant, row.id, status, &admin.user.employee.email)
            .await?;
    }
    let path = super::page::urlencoding(&number);
    Ok(Redirect::to(&format!("/admin/orders/{path}?done=status_changed")).into_response())
}

/// "Отправить снова": the order goes out with the accounting system's next fetch.
#[tracing::instrument(skip_all)]
pub async fn resend(
    State(state): State<AppState>,
    admin: Allowed<OrdersManage>,
    Path(number): Path<String>,
) -> Result<Response, HttpError> {
    let tenant = admin.tenant.id;
    let row = order(&state, tenant, &number).await?;
    state
        .db
        .resend_order(tenant, row.id, &admin.user.employee.email)
        .await?;
    let path = super::page::urlencoding(&number);
    Ok(Redirect::to(&format!("/admin/orders/{path}?done=order_resent")).into_response())
}
