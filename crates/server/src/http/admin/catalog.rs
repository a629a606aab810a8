//! Каталог: the category tree (folded but for the way to the open category), the product list
//! (search, category, active or not, pages; from the tenant's read model) and a product's page
//! with everything the exchange brought.

use crate::http::extract::{Form, Path, Query};
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Value, context};
use serde::Deserialize;

use super::Admin;
use super::allowed::{Allowed, CatalogEdit, CatalogView};
use super::forms::{Done, Fields};
use crate::catalog::edit::EditForm;
use crate::catalog::import::{Picture, PictureProblem, picture_key};
use crate::catalog::listing::Listing;
use crate::domain::DomainError;
use crate::domain::permissions::{CATALOG_EDIT, CATALOG_VIEW};
use crate::domain::settings::{PicturePolicy, Settings};
use crate::http::{AppState, HttpError};
use crate::i18n::Message;
use vitrina_store::LockedField;

/// Largest picture the panel accepts, and most pictures in one upload.
pub const MAX_PICTURE_BYTES: usize = 20 * 1024 * 1024;
const MAX_PICTURES: usize = 20;

/// Products per page.
const PAGE: usize = 50;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    category: Option<String>,
    status: Option<String>,
    after: Option<String>,
    /// Every category of each open level, not the first [`TREE_CAP`].
    all: Option<String>,
}

/// Categories listed per level of the tree unless all are asked for.
const TREE_CAP: usize = 100;

#[tracing::instrument(skip_all)]
pub async fn products(
    State(state): State<AppState>,
    admin: Allowed<CatalogView>,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, HttpError> {
    let tenant = &admin.tenant;
    let model = state
        .read_models
        .get(&state.db, tenant.id, tenant.catalog_version)
        .await?;
    let status = query.status.as_deref().unwrap_or("active");
    let active = match status {
        "inactive" => Some(false),
        "all" | "hidden" => None,
        _ => Some(true),
    };
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let category = query.category.as_deref().filter(|c| !c.is_empty());
    let listing = Listing {
        category,
        query: search,
        after: query.after.as_deref().filter(|a| !a.is_empty()),
        limit: PAGE,
        active,
        hidden: status == "hidden",
        ..Listing::default()
    };
    let page = model.page(&listing)?;
    let items = model
        .view
        .products_in_order(&state.db, tenant.id, &page.ids)
        .await?;
    let next = page.more.then(|| page.ids.last().cloned()).flatten();
    // Why the visibility rules hide each listed product that is active.
    let hidden: std::collections::HashMap<&str, Vec<&str>> = page
        .ids
        .iter()
        .map(|id| {
            let reasons = model
                .hidden_because(id)
                .into_iter()
                .map(|r| r.as_str())
                .collect();
            (id.as_str(), reasons)
        })
        .collect();
    let (active_count, inactive_count) = model.counts();
    admin.render(
        "catalog.html",
        context! {
            tree => Value::from_serialize(model.tree_to(category, if query.all.is_some() { usize::MAX } else { TREE_CAP })),
            all => query.all.is_some(),
            category_name => category.and_then(|c| model.category(c)).map(|c| c.name.clone()),
            products => Value::from_serialize(&items),
            q => search,
            category => category,
            status => status,
            next => next,
            active_count => active_count,
            inactive_count => inactive_count,
            hidden => hidden,
        },
    )
}

#[tracing::instrument(skip_all)]
pub async fn product(
    State(state): State<AppState>,
    admin: Allowed<CatalogView>,
    Path(id): Path<String>,
    Query(query): Query<Done>,
) -> Result<Html<String>, HttpError> {
    product_page(&state, &admin, &id, query.done, None).await
}

fn unknown_product(id: &str) -> HttpError {
    HttpError::new(
        StatusCode::NOT_FOUND,
        "unknown_product",
        Message::UnknownProduct {
            product: id.to_owned(),
        },
    )
}

async fn product_page(
    state: &AppState,
    admin: &Admin,
    id: &str,
    done: Option<String>,
    error: Option<String>,
) -> Result<Html<String>, HttpError> {
    let tenant = admin.tenant.id;
    let model = state
        .read_models
        .get(&state.db, tenant, admin.tenant.catalog_version)
        .await?;
    let (product, active) = model
        .view
        .any_product(&state.db, tenant, id)
        .await?
        .ok_or_else(|| unknown_product(id))?;
    let category = product
        .category_external_id
        .as_deref()
        .and_then(|c| model.category(c))
        .map(|c| c.name.clone());
    let policy = Settings::load(&state.db, tenant).await?.catalog.pictures;
    let admin_pictures = state.db.admin_pictures(tenant, id).await?;
    let locked: Vec<&str> = state
        .db
        .product_locks(tenant, id)
        .await?
        .into_iter()
        .map(LockedField::as_str)
        .collect();
    admin.render(
        "product.html",
        context! {
            product => Value::from_serialize(&product),
            active => active,
            category => category,
            admin_pictures => admin_pictures,
            locked => locked,
            lockable => LockedField::WORDS,
            hidden => model.hidden_because(id).into_iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            may_edit => admin.may(CATALOG_EDIT),
            replace_warning => policy == PicturePolicy::Replace,
            done => done,
            error => error,
        },
    )
}

/// Uploads pictures (several at once). Each must be a raster image by its bytes, or none is
/// taken: the page says which file was refused.
#[tracing::instrument(skip_all)]
pub async fn upload_pictures(
    State(state): State<AppState>,
    admin: Allowed<CatalogEdit>,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, HttpError> {
    let mut form = form.map_err(|rejection| {
        HttpError::new(
            StatusCode::BAD_REQUEST,
            "bad_upload",
            Message::BadUpload {
                reason: rejection.body_text(),
            },
        )
    })?;
    let tenant = admin.tenant.id;
    state
        .db
        .find_product(tenant, &id)
        .await?
        .ok_or_else(|| unknown_product(&id))?;
    let mut pictures = Vec::new();
    let mut refused = None;
    while let Some(field) = form.next_field().await.map_err(|e| bad_upload(&e))? {
        let name = field.file_name().unwrap_or("").to_owned();
        let bytes = field.bytes().await.map_err(|e| bad_upload(&e))?;
        if bytes.is_empty() && name.is_empty() {
            continue; // the form sent no file
        }
        if pictures.len() == MAX_PICTURES || bytes.len() > MAX_PICTURE_BYTES {
            refused = Some(Message::PictureTooBig {
                name,
                max_mb: MAX_PICTURE_BYTES / 1024 / 1024,
                max_count: MAX_PICTURES,
            });
            break;
        }
        match Picture::check(bytes.to_vec()) {
            Ok(picture) => pictures.push(picture),
            Err(PictureProblem::Undecodable(reason)) => {
                refused = Some(Message::PictureUndecodable { name, reason });
                break;
            }
            Err(_) => {
                refused = Some(Message::PictureNotRaster { name });
                break;
            }
        }
    }
    if let Some(message) = refused {
        if !admin.may(CATALOG_VIEW) {
            // An editor who may not see the catalog is told why, without the product's page.
            return Err(HttpError::new(
                StatusCode::BAD_REQUEST,
                "bad_picture",
                message,
            ));
        }
        let page = product_page(&state, &admin, &id, None, Some(message.text(admin.lang))).await?;
        return Ok((StatusCode::BAD_REQUEST, page).into_response());
    }
    let mut rows = Vec::new();
    for picture in pictures {
        state
            .files
            .put(&picture_key(tenant, &picture.hash), picture.bytes)
            .await
            .map_err(|e| HttpError::internal(&format!("{e:#}")))?;
        rows.push((picture.hash, picture.content_type.to_owned()));
    }
    state.db.add_admin_pictures(tenant, &id, &rows).await?;
    Ok(back_to(&id, "pictures_added"))
}

fn bad_upload(err: &axum::extract::multipart::MultipartError) -> HttpError {
    HttpError::new(
        StatusCode::BAD_REQUEST,
        "bad_upload",
        Message::BadUpload {
            reason: err.body_text(),
        },
    )
}

fn back_to(id: &str, done: &str) -> Response {
    let path = super::page::urlencoding(id);
    Redirect::to(&format!("/admin/catalog/products/{path}?done={done}")).into_response()
}

/// Where to move a picture: `to=up`, else down.
#[derive(Debug, Deserialize)]
pub struct MoveForm {
    to: Option<String>,
}

/// Moves an uploaded picture one place earlier (`up`) or later.
#[tracing::instrument(skip_all)]
pub async fn move_picture(
    State(state): State<AppState>,
    admin: Allowed<CatalogEdit>,
    Path((id, hash)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, HttpError> {
    let tenant = admin.tenant.id;
    let mut order = state.db.admin_pictures(tenant, &id).await?;
    if let Some(at) = order.iter().position(|h| *h == hash) {
        let up = form.to.as_deref() == Some("up");
        let other = if up { at.checked_sub(1) } else { Some(at + 1) };
        if let Some(other) = other.filter(|o| *o < order.len()) {
            order.swap(at, other);
            state.db.order_admin_pictures(tenant, &id, &order).await?;
        }
    }
    Ok(back_to(&id, "pictures_ordered"))
}

/// Removes an uploaded picture from the product.
#[tracing::instrument(skip_all)]
pub async fn delete_picture(
    State(state): State<AppState>,
    admin: Allowed<CatalogEdit>,
    Path((id, hash)): Path<(String, String)>,
) -> Result<Response, HttpError> {
    state
        .db
        .delete_admin_picture(admin.tenant.id, &id, &hash)
        .await?;
    Ok(back_to(&id, "picture_deleted"))
}

/// Saves the owner's name and description of a product and the fields locked against the
/// exchange (what the owner changes is locked with it).
#[tracing::instrument(skip_all)]
pub async fn edit(
    State(state): State<AppState>,
    admin: Allowed<CatalogEdit>,
    Path(id): Path<String>,
    Form(fields): Form<Fields>,
) -> Result<Response, HttpError> {
    let locks = fields
        .all("lock")
        .filter_map(|word| word.parse::<LockedField>().ok())
        .collect();
    let form = EditForm {
        name: fields.get("name").unwrap_or_default().to_owned(),
        description: fields.get("description").unwrap_or_default().to_owned(),
        locks,
    };
    match crate::catalog::edit::save(&state.db, admin.tenant.id, &id, form).await {
        Ok(()) => Ok(back_to(&id, "product_saved")),
        Err(err @ DomainError::Invalid(_)) => {
            let error = Some(super::refusal(err, admin.lang)?);
            let page = product_page(&state, &admin, &id, None, error).await?;
            Ok((StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}
