//! Настройки → Сотрудники: the list, the form to create one, edit, block, reset password.

use crate::http::extract::{Form, Path, Query};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use vitrina_store::{Employee, EmployeeId};

use super::Admin;
use super::allowed::{Allowed, SettingsEmployees};
use super::forms::{Done, Ticked};
use crate::domain::{DomainError, employees, password};
use crate::http::{AppState, HttpError};

fn row(employee: &Employee) -> Value {
    context! {
        id => employee.id.0,
        name => employee.name,
        email => employee.email,
        admin_access => employee.admin_access,
        blocked => employee.blocked,
        is_owner => employee.is_owner,
    }
}

async fn list_page(
    state: &AppState,
    admin: &Admin,
    done: Option<String>,
    error: Option<String>,
    form: Value,
) -> Result<Html<String>, HttpError> {
    let all = state.db.list_employees(admin.tenant.id).await?;
    admin.render(
        "employees.html",
        context! {
            employees => all.iter().map(row).collect::<Vec<_>>(),
            done => done,
            error => error,
            form => form,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    admin: Allowed<SettingsEmployees>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    // "Доступ в админ панель" starts unticked: access is granted on purpose.
    list_page(&state, &admin, query.done, None, context! {}).await
}

/// The new-employee form.
#[derive(Debug, Deserialize)]
pub struct NewEmployeeForm {
    #[serde(default)]
    email: String,
    name: Option<String>,
    #[serde(default)]
    password: String,
    #[serde(default)]
    admin_access: Ticked,
}

#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    admin: Allowed<SettingsEmployees>,
    Form(form): Form<NewEmployeeForm>,
) -> Result<Response, HttpError> {
    let (email, name) = (form.email.as_str(), form.name.as_deref());
    let input = employees::NewEmployeeInput {
        email,
        name,
        password: &form.password,
        admin_access: form.admin_access.0,
        is_owner: false,
    };
    match employees::create(&state.db, admin.tenant.id, input).await {
        Ok(_) => Ok(Redirect::to("/admin/employees?done=employee_created").into_response()),
        Err(err) => {
            let error = Some(super::refusal(err, admin.lang)?);
            let form =
                context! { email => email, name => name, admin_access => input.admin_access };
            let page = list_page(&state, &admin, None, error, form).await?;
            Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

async fn employee_page(
    admin: &Admin,
    employee: &Employee,
    done: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, HttpError> {
    admin.render(
        "employee.html",
        context! {
            employee => row(employee),
            suggested_password => password::generate(),
            done => done,
            error => error,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn edit(
    State(state): State<AppState>,
    admin: Allowed<SettingsEmployees>,
    Path(id): Path<i64>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    let employee = employees::find_by_id(&state.db, admin.tenant.id, EmployeeId(id)).await?;
    employee_page(&admin, &employee, query.done, None).await
}

/// An employee's form: name and panel access.
#[derive(Debug, Deserialize)]
pub struct EmployeeForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    admin_access: Ticked,
}

#[tracing::instrument(skip_all)]
pub async fn update(
    State(state): State<AppState>,
    admin: Allowed<SettingsEmployees>,
    Path(id): Path<i64>,
    Form(form): Form<EmployeeForm>,
) -> Result<Response, HttpError> {
    let outcome = employees::update(
        &state.db,
        admin.actor(),
        admin.tenant.id,
        EmployeeId(id),
        &form.name,
        form.admin_access.0,
    );
    after(&state, &admin, id, outcome.await.map(drop), "saved").await
}

/// Block (`blocked=true`) or unblock (anything else).
#[derive(Debug, Deserialize)]
pub struct BlockForm {
    blocked: Option<String>,
}

#[tracing::instrument(skip_all)]
pub async fn block(
    State(state): State<AppState>,
    admin: Allowed<SettingsEmployees>,
    Path(id): Path<i64>,
    Form(form): Form<BlockForm>,
) -> Result<Response, HttpError> {
    let blocked = form.blocked.as_deref() == Some("true");
    let outcome = employees::set_blocked(
        &state.db,
        admin.actor(),
        admin.tenant.id,
        EmployeeId(id),
        blocked,
    );
    let done = if blocked { "blocked" } else { "unblocked" };
    after(&state, &admin, id, outcome.await.map(drop), done).await
}

/// A new password for an employee.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    password: String,
}

#[tracing::instrument(skip_all)]
pub async fn reset_password(
    State(state): State<AppState>,
    admin: Allowed<SettingsEmployees>,
    Path(id): Path<i64>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, HttpError> {
    let outcome = employees::set_password(
        &state.db,
        admin.actor(),
        admin.tenant.id,
        EmployeeId(id),
        &form.password,
    )
    .await;
    after(&state, &admin, id, outcome, "password_set").await
}

/// Back to the employee's page: with a notice, or the page again with the reason.
async fn after(
    state: &AppState,
    admin: &Admin,
    id: i64,
    outcome: Result<(), DomainError>,
    done: &str,
) -> Result<Response, HttpError> {
    let path = format!("/admin/employees/{id}");
    super::after_form(outcome, admin.lang, (path, done), |error| async move {
        let employee = employees::find_by_id(&state.db, admin.tenant.id, EmployeeId(id)).await?;
        employee_page(admin, &employee, None, Some(error)).await
    })
    .await
}
