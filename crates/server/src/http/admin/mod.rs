//! The admin panel under `/admin`: server-rendered pages over the domain layer.
//!
//! Every page but the sign-in form needs a signed-in employee ([`Admin`]); a page of a section
//! names the permission it needs in its handler's signature ([`allowed::Allowed`]), and a test
//! walks every route here to hold each to it. A state-changing request passes the same-origin check first
//! ([`csrf`]). Pages are minijinja templates embedded in the binary ([`page`]), their labels
//! come from the panel's message table (`i18n::panel`).

mod alerts;
mod allowed;
mod assets;
mod auth;
mod catalog;
mod csrf;
mod dashboard;
mod employees;
mod exchanges;
mod forms;
mod groups;
mod history;
mod integration;
mod order_statuses;
mod orders;
mod page;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::middleware::from_fn;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub use page::Admin;

use super::{AppState, HttpError};
use crate::domain::DomainError;
use crate::i18n::Lang;

/// A refused input as the sentence shown above the form; failures of ours stay errors.
fn refusal(err: DomainError, lang: Lang) -> Result<String, HttpError> {
    match err {
        DomainError::Internal(err) => Err(HttpError::internal(&format!("{err:#}"))),
        refused => Ok(refused.message().text(lang)),
    }
}

/// After a form on the page at `path`: back there with `?done=` when it was saved; refused,
/// that page again (400) with the reason above the form, as `again` renders it.
async fn after_form<Page>(
    outcome: Result<(), DomainError>,
    lang: Lang,
    (path, done): (String, &str),
    again: impl FnOnce(String) -> Page,
) -> Result<Response, HttpError>
where
    Page: Future<Output = Result<Html<String>, HttpError>>,
{
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!("{path}?done={done}")).into_response()),
        Err(err) => {
            let page = again(refusal(err, lang)?).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard::show))
        .route("/admin/login", get(auth::form).post(auth::submit))
        .route("/admin/logout", post(auth::sign_out))
        .route("/admin/lang/{lang}", get(auth::choose_language))
        .route(
            "/admin/employees",
            get(employees::list).post(employees::create),
        )
        .route(
            "/admin/employees/{id}",
            get(employees::edit).post(employees::update),
        )
        .route("/admin/employees/{id}/block", post(employees::block))
        .route(
            "/admin/employees/{id}/password",
            post(employees::reset_password),
        )
        .route("/admin/groups", get(groups::list).post(groups::create))
        .route("/admin/groups/{id}", get(groups::show))
        .route(
            "/admin/groups/{id}/permissions",
            get(groups::edit_permissions).post(groups::save_permissions),
        )
        .route(
            "/admin/groups/{id}/members",
            get(groups::edit_members).post(groups::add_member),
        )
        .route(
            "/admin/groups/{id}/members/{employee}/remove",
            post(groups::remove_member),
        )
        .route(
            "/admin/integration",
            get(integration::show).post(integration::save),
        )
        .route("/admin/alerts", get(alerts::show).post(alerts::save))
        .route("/admin/alerts/test", post(alerts::test))
        .route("/admin/exchanges", get(exchanges::list))
        .route("/admin/exchanges/{key}", get(exchanges::show))
        .route("/admin/exchanges/{key}/rerun", post(exchanges::rerun))
        .route("/admin/exchanges/{key}/release", post(exchanges::release))
        .route("/admin/exchanges/{key}/discard", post(exchanges::discard))
        .route(
            "/admin/exchanges/{key}/files/{*name}",
            get(exchanges::download),
        )
        .route("/admin/catalog", get(catalog::products))
        .route("/admin/catalog/history", get(history::list))
        .route(
            "/admin/catalog/history/{id}/rollback",
            post(history::roll_back),
        )
        .route("/admin/catalog/products/{id}", get(catalog::product))
        .route("/admin/catalog/products/{id}/edit", post(catalog::edit))
        .route(
            "/admin/catalog/products/{id}/pictures",
            post(catalog::upload_pictures).layer(DefaultBodyLimit::max(
                catalog::MAX_PICTURE_BYTES * 2 + 1024 * 1024,
            )),
        )
        .route(
            "/admin/catalog/products/{id}/pictures/{hash}/move",
            post(catalog::move_picture),
        )
        .route(
            "/admin/catalog/products/{id}/pictures/{hash}/delete",
            post(catalog::delete_picture),
        )
        .route("/admin/orders", get(orders::list))
        .route("/admin/orders/statuses", get(order_statuses::list))
        .route("/admin/orders/statuses/map", post(order_statuses::map))
        .route("/admin/orders/statuses/apply", post(order_statuses::apply))
        .route("/admin/orders/{number}", get(orders::show))
        .route("/admin/orders/{number}/status", post(orders::set_status))
        .route("/admin/orders/{number}/resend", post(orders::resend))
        .route("/admin/assets/{name}", get(assets::serve))
        .layer(from_fn(csrf::same_origin_only))
}
