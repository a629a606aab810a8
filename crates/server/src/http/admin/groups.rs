//! Настройки → Права доступа: user groups, their permissions and their members.

use crate::http::extract::{Form, Path, Query};
use axum::extract::State;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;
use vitrina_store::{EmployeeId, GroupId};

use super::Admin;
use super::allowed::{Allowed, SettingsAccess};
use super::forms::Done;
use crate::domain::permissions::SECTIONS;
use crate::domain::{DomainError, groups};
use crate::http::{AppState, HttpError};

async fn list_page(
    state: &AppState,
    admin: &Admin,
    done: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, HttpError> {
    let tenant = admin.tenant.id;
    let mut rows = Vec::new();
    for group in state.db.list_groups(tenant).await? {
        let granted = state.db.group_permissions(tenant, group.id).await?;
        let members = state.db.group_members(tenant, group.id).await?;
        rows.push(context! {
            id => group.id.0,
            name => group.name,
            permissions => granted.len(),
            members => members.len(),
        });
    }
    admin.render(
        "groups.html",
        context! { groups => rows, done => done, error => error },
    )
}

#[tracing::instrument(skip_all)]
pub async fn list(
    State(state): State<AppState>,
    admin: Allowed<SettingsAccess>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    list_page(&state, &admin, query.done, None).await
}

/// A new group's name.
#[derive(Debug, Deserialize)]
pub struct NewGroupForm {
    #[serde(default)]
    name: String,
}

#[tracing::instrument(skip_all)]
pub async fn create(
    State(state): State<AppState>,
    admin: Allowed<SettingsAccess>,
    Form(form): Form<NewGroupForm>,
) -> Result<Response, HttpError> {
    match groups::create(&state.db, admin.tenant.id, &form.name, &[]).await {
        Ok(group) => Ok(
            Redirect::to(&format!("/admin/groups/{}?done=group_created", group.id)).into_response(),
        ),
        Err(err) => {
            let error = Some(super::refusal(err, admin.lang)?);
            let page = list_page(&state, &admin, None, error).await?;
            Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response())
        }
    }
}

/// The group's page, or one of its two edit forms (`editing`: `permissions` or `members`).
async fn group_page(
    state: &AppState,
    admin: &Admin,
    id: i64,
    editing: Option<&str>,
    done: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, HttpError> {
    let tenant = admin.tenant.id;
    let group = groups::find(&state.db, tenant, GroupId(id)).await?;
    let granted = state.db.group_permissions(tenant, group.id).await?;
    let sections: Vec<Value> = SECTIONS
        .iter()
        .map(|section| {
            let permissions: Vec<Value> = section
                .permissions
                .iter()
                .map(|p| {
                    context! {
                        key => p.key,
                        label => p.label(admin.lang),
                        granted => granted.iter().any(|g| g == p.key),
                    }
                })
                .collect();
            context! { label => section.label(admin.lang), permissions => permissions }
        })
        .collect();
    let member_ids = state.db.group_members(tenant, group.id).await?;
    let (members, others): (Vec<_>, Vec<_>) = state
        .db
        .list_employees(tenant)
        .await?
        .into_iter()
        .partition(|e| member_ids.contains(&e.id));
    let person =
        |e: &vitrina_store::Employee| context! { id => e.id.0, name => e.name, email => e.email };
    admin.render(
        "group.html",
        context! {
            group => context! { id => group.id.0, name => group.name },
            sections => sections,
            members => members.iter().map(person).collect::<Vec<_>>(),
            others => others.iter().map(person).collect::<Vec<_>>(),
            editing => editing,
            done => done,
            error => error,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn show(
    State(state): State<AppState>,
    admin: Allowed<SettingsAccess>,
    Path(id): Path<i64>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    group_page(&state, &admin, id, None, query.done, None).await
}

#[tracing::instrument(skip_all)]
pub async fn edit_permissions(
    State(state): State<AppState>,
    admin: Allowed<SettingsAccess>,
    Path(id): Path<i64>,
) -> Result<Html<String>, HttpError> {
    group_page(&state, &admin, id, Some("permissions"), None, None).await
}

/// The permissions ticked for a group: one `permission` field each.
#[derive(Debug, Deserialize)]
pub struct PermissionsForm {
    #[serde(default)]
    permission: Vec<String>,
}

#[tracing::instrument(skip_all)]
pub async fn save_permissions(
    State(state): State<AppState>,
    admin: Allowed<SettingsAccess>,
    Path(id): Path<i64>,
    Form(form): Form<PermissionsForm>,
) -> Result<Response, HttpError> {
    let keys: Vec<&str> = form.permission.iter().map(String::as_str).collect();
    let outcome = groups::set_permissions(
        &state.db,
        admin.actor(),
        admin.tenant.id,
        GroupId(id),
        &keys,
    )
    .await;
    after(&state, &admin, id, outcome, "permissions_saved").await
}

#[tracing::instrument(skip_all)]
pub async fn edit_members(
    State(state): State<AppState>,
    admin: Allowed<SettingsAccess>,
    Path(id): Path<i64>,
) -> Result<Html<String>, HttpError> {
    group_page(&state, &admin, id, Some("members"), None, None).await
}

/// The employee to add to a group.
#[derive(Debug, Deserialize)]
pub struct MemberForm {
    #[serde(default)]
    employee: String,
}

#[tracing::instrument(skip_all)]
pub async fn add_member(
    State(state): State<AppState>,
    admin: Allowed<SettingsAccess>,
    Path(id): Path<i64>,
    Form(form): Form<MemberForm>,
) -> Result<Response, HttpError> {
    // An id that is no number is no employee of the shop: the domain says so.
    let employee = form.employee.parse().unwrap_or(0);
    let outcome = groups::add_member(
        &state.db,
        admin.actor(),
        admin.tenant.id,
        GroupId(id),
        EmployeeId(employee),
    )
    .await;
    after(&state, &admin, id, outcome, "member_added").await
}

#[tracing::instrument(skip_all)]
pub async fn remove_member(
    State(state): State<AppState>,
    admin: Allowed<SettingsAccess>,
    Path((id, employee)): Path<(i64, i64)>,
) -> Result<Response, HttpError> {
    let outcome = groups::remove_member(
        &state.db,
        admin.actor(),
        admin.tenant.id,
        GroupId(id),
        EmployeeId(employee),
    )
    .await;
    after(&state, &admin, id, outcome, "member_removed").await
}

/// Back to the group's page: with a notice, or the page again with the reason.
async fn after(
    state: &AppState,
    admin: &Admin,
    id: i64,
    outcome: Result<(), DomainError>,
    done: &str,
) -> Result<Response, HttpError> {
    let path = format!("/admin/groups/{id}");
    super::after_form(outcome, admin.lang, (path, done), |error| {
        group_page(state, admin, id, None, None, Some(error))
    })
    .await
}
