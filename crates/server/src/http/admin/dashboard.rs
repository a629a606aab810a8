//! The panel's first page: the last exchange and how it went, what the catalog holds, what
//! needs attention. Each block only for those who may open its section.

use axum::extract::State;
use axum::response::Html;
use minijinja::context;
use vitrina_store::{JobState, now_millis};

use super::Admin;
use crate::domain::permissions::{CATALOG_VIEW, SETTINGS_INTEGRATIONS};
use crate::http::{AppState, HttpError};

/// MoySklad sends every hour at most; after this long without an exchange, say so.
const QUIET_AFTER_MS: i64 = 3 * 60 * 60 * 1000;

#[tracing::instrument(skip_all)]
pub async fn show(State(state): State<AppState>, admin: Admin) -> Result<Html<String>, HttpError> {
    let tenant = admin.tenant.id;
    let catalog = if admin.may(CATALOG_VIEW) {
        // From the read model: counting 100 000 rows per page view read them all.
        let model = state
            .read_models
            .get(&state.db, tenant, admin.tenant.catalog_version)
            .await?;
        let (active, inactive) = model.counts();
        let categories = model.view.category_rows().len();
        Some(context! { active => active, inactive => inactive, categories => categories })
    } else {
        None
    };
    let exchange = if admin.may(SETTINGS_INTEGRATIONS) {
        let recent = state.db.list_exchanges(tenant, 20).await?;
        let failed_imports = {
            let mut failed = Vec::new();
            for exchange in &recent {
                for import in state
                    .db
                    .exchange_imports(tenant, &exchange.exchange_key)
                    .await?
                {
                    if matches!(import.state, JobState::Failed | JobState::Held) {
                        failed.push(context! {
                            key => exchange.exchange_key,
                            name => import.name,
                            message => import.message,
                            at => import.started_at,
                        });
                    }
                }
            }
            failed
        };
        let last = recent.first();
        Some(context! {
            last => last.map(|e| context! {
                key => e.exchange_key,
                at => e.last_at,
                employee => e.employee,
                failures => e.failures,
            }),
            quiet => last.is_none_or(|e| now_millis() - e.last_at > QUIET_AFTER_MS),
            failed_imports => failed_imports,
        })
    } else {
        None
    };
    admin.render(
        "dashboard.html",
        context! { catalog => catalog, exchange => exchange },
    )
}
