//! Каталог: the category tree, the product list (search, category, active or not, pages) and
//! a product's page with everything the exchange brought.

use axum::extract::{Path, Query, State};
use axum::response::Html;
use minijinja::{Value, context};
use serde::Deserialize;

use super::Admin;
use crate::catalog::view::{CatalogView, Category};
use crate::domain::permissions::CATALOG_VIEW;
use crate::domain::settings;
use crate::http::{AppState, HttpError};
use crate::i18n::Message;

/// Products per page.
const PAGE: i64 = 50;

#[derive(Debug, Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    category: Option<String>,
    status: Option<String>,
    after: Option<String>,
}

/// The categories as a nested tree, children under their parent, in the order received.
fn tree(categories: &[Category], parent: Option<&str>) -> Vec<Value> {
    categories
        .iter()
        .filter(|c| c.parent_external_id.as_deref() == parent)
        .map(|c| {
            context! {
                id => c.external_id,
                name => c.name,
                children => tree(categories, Some(&c.external_id)),
            }
        })
        .collect()
}

pub async fn products(
    State(state): State<AppState>,
    admin: Admin,
    Query(query): Query<ListQuery>,
) -> Result<Html<String>, HttpError> {
    admin.require(CATALOG_VIEW)?;
    let tenant = admin.tenant.id;
    let view = CatalogView::load(&state.db, tenant).await?;
    let categories = view.categories();
    let status = query.status.as_deref().unwrap_or("active");
    let active = match status {
        "inactive" => Some(false),
        "all" => None,
        _ => Some(true),
    };
    let search = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let category = query.category.as_deref().filter(|c| !c.is_empty());
    let listed = view
        .list(
            &state.db,
            tenant,
            query.after.as_deref(),
            PAGE,
            category,
            search,
            active,
        )
        .await?;
    let (items, more) = listed.map_err(|_| {
        HttpError::new(
            axum::http::StatusCode::NOT_FOUND,
            "unknown_category",
            Message::UnknownCategory {
                category: category.unwrap_or_default().to_owned(),
            },
        )
    })?;
    let next = more
        .then(|| items.last().map(|p| p.external_id.clone()))
        .flatten();
    let (active_count, inactive_count) = state.db.count_products(tenant).await?;
    admin.render(
        "catalog.html",
        context! {
            tree => tree(&categories, None),
            categories => categories.iter().map(|c| context! { id => c.external_id, name => c.name }).collect::<Vec<_>>(),
            products => Value::from_serialize(&items),
            q => search,
            category => category,
            status => status,
            next => next,
            active_count => active_count,
            inactive_count => inactive_count,
        },
    )
}

pub async fn product(
    State(state): State<AppState>,
    admin: Admin,
    Path(id): Path<String>,
) -> Result<Html<String>, HttpError> {
    admin.require(CATALOG_VIEW)?;
    let tenant = admin.tenant.id;
    let view = CatalogView::load(&state.db, tenant).await?;
    let (product, active) = view
        .any_product(&state.db, tenant, &id)
        .await?
        .ok_or_else(|| {
            HttpError::new(
                axum::http::StatusCode::NOT_FOUND,
                "unknown_product",
                Message::UnknownProduct {
                    product: id.clone(),
                },
            )
        })?;
    let category = view
        .categories()
        .into_iter()
        .find(|c| Some(&c.external_id) == product.category_external_id.as_ref())
        .map(|c| c.name);
    let policy = settings::catalog(&state.db, tenant).await?.pictures;
    admin.render(
        "product.html",
        context! {
            product => Value::from_serialize(&product),
            active => active,
            category => category,
            replace_warning => policy == settings::PicturePolicy::Replace,
        },
    )
}
