//! What every panel page shares: the signed-in employee, the template engine and the
//! layout's context (shop, employee, the sections they may open, the language).

use std::sync::{Arc, LazyLock};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::{Environment, State, Value, context};
use vitrina_store::Tenant;

use crate::domain::access::Actor;
use crate::domain::admin_auth::{self, AdminUser};
use crate::domain::permissions::{self, Permission};
use crate::http::cookies::cookie;
use crate::http::{AppState, CurrentTenant, HttpError, lang};
use crate::i18n::{Lang, panel};

/// The session cookie of the panel.
pub const SESSION_COOKIE: &str = "vitrina_admin";

/// The templates, embedded in the binary: the panel works without any other file.
const TEMPLATES: [(&str, &str); 17] = [
    (
        "base.html",
        include_str!("../../../templates/admin/base.html"),
    ),
    (
        "login.html",
        include_str!("../../../templates/admin/login.html"),
    ),
    (
        "dashboard.html",
        include_str!("../../../templates/admin/dashboard.html"),
    ),
    (
        "employees.html",
        include_str!("../../../templates/admin/employees.html"),
    ),
    (
        "employee.html",
        include_str!("../../../templates/admin/employee.html"),
    ),
    (
        "groups.html",
        include_str!("../../../templates/admin/groups.html"),
    ),
    (
        "group.html",
        include_str!("../../../templates/admin/group.html"),
    ),
    (
        "integration.html",
        include_str!("../../../templates/admin/integration.html"),
    ),
    (
        "exchanges.html",
        include_str!("../../../templates/admin/exchanges.html"),
    ),
    (
        "alerts.html",
        include_str!("../../../templates/admin/alerts.html"),
    ),
    (
        "catalog_history.html",
        include_str!("../../../templates/admin/catalog_history.html"),
    ),
    (
        "exchange.html",
        include_str!("../../../templates/admin/exchange.html"),
    ),
    (
        "catalog.html",
        include_str!("../../../templates/admin/catalog.html"),
    ),
    (
        "product.html",
        include_str!("../../../templates/admin/product.html"),
    ),
    (
        "orders.html",
        include_str!("../../../templates/admin/orders.html"),
    ),
    (
        "order.html",
        include_str!("../../../templates/admin/order.html"),
    ),
    (
        "order_statuses.html",
        include_str!("../../../templates/admin/order_statuses.html"),
    ),
];

static TEMPLATE_ENV: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name}: {e}"));
    }
    env.add_function("t", translate);
    env.add_filter("time", |millis: i64| {
        crate::clock::utc(millis).replace(['T', 'Z'], " ")
    });
    env
});

/// `t("key")` in a template: the label in the page's language.
fn translate(state: &State<'_, '_>, key: &str) -> String {
    let lang: Lang = state
        .lookup("lang")
        .as_ref()
        .and_then(Value::as_str)
        .and_then(|code| code.parse().ok())
        .unwrap_or_default();
    panel::text(key, lang).map_or_else(|| format!("[{key}]"), str::to_owned)
}

/// Renders a template with the layout's context plus `data`.
pub fn render_page(lang: Lang, template: &str, data: Value) -> Result<Html<String>, HttpError> {
    TEMPLATE_ENV
        .get_template(template)
        .and_then(|t| t.render(context! { lang => lang.code(), ..data }))
        .map(Html)
        .map_err(|e| HttpError::internal(&format!("template {template}: {e:#}")))
}

/// A panel request by a signed-in employee. Without a valid session the request is sent to
/// the sign-in form (and back to the page afterwards).
pub struct Admin {
    pub user: AdminUser,
    pub tenant: Arc<Tenant>,
    pub lang: Lang,
    path: String,
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let CurrentTenant(tenant) = CurrentTenant::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let lang = lang::of_headers(&parts.headers);
        let path = parts.uri.path().to_owned();
        let user = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(token) => admin_auth::session_user(&state.db, &tenant, &token)
                .await
                .map_err(|e| HttpError::from(e).into_response())?,
            None => None,
        };
        match user {
            Some(user) => Ok(Self {
                user,
                tenant,
                lang,
                path,
            }),
            None => {
                let next = if path.starts_with("/admin") && parts.method == "GET" {
                    path
                } else {
                    "/admin".to_owned()
                };
                let target = format!("/admin/login?next={}", urlencoding(&next));
                Err(Redirect::to(&target).into_response())
            }
        }
    }
}

impl Admin {
    /// The employee as the actor of a change of people or rights.
    pub fn actor(&self) -> Actor<'_> {
        Actor::Employee(&self.user)
    }

    /// Whether the employee holds `permission`.
    pub fn may(&self, permission: &Permission) -> bool {
        self.user.permissions.has(permission)
    }

    /// Renders a page inside the layout: shop, employee, navigation by permission.
    pub fn render(&self, template: &str, data: Value) -> Result<Html<String>, HttpError> {
        let section = |href: &str, key: &str, permission: &Permission| {
            self.may(permission).then(|| {
                context! {
                    href => href,
                    label => key,
                    active => self.path == href || self.path.starts_with(&format!("{href}/")),
                }
            })
        };
        let nav: Vec<Value> = [
            section("/admin/orders", "nav.orders", permissions::ORDERS_VIEW),
            section("/admin/catalog", "nav.catalog", permissions::CATALOG_VIEW),
            section(
                "/admin/exchanges",
                "nav.exchanges",
                permissions::SETTINGS_INTEGRATIONS,
            ),
            section(
                "/admin/employees",
                "nav.employees",
                permissions::SETTINGS_EMPLOYEES,
            ),
            section("/admin/groups", "nav.groups", permissions::SETTINGS_ACCESS),
            section(
                "/admin/integration",
                "nav.integration",
                permissions::SETTINGS_INTEGRATIONS,
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        let employee = &self.user.employee;
        // `?done=<outcome>` after a saved form: a known outcome's sentence, nothing otherwise.
        let notice = data
            .get_attr("done")
            .ok()
            .and_then(|done| done.as_str().map(|d| format!("done.{d}")))
            .and_then(|key| {
                let text = panel::text(&key, self.lang);
                if text.is_none() {
                    tracing::warn!(%key, "no label for this outcome");
                }
                text
            });
        let layout = context! {
            notice => notice,
            shop => self.tenant.name,
            me => context! { name => employee.name, email => employee.email },
            nav => nav,
            path => self.path,
        };
        render_page(self.lang, template, context! { ..layout, ..data })
    }
}

/// `text` percent-encoded for a query string.
pub fn urlencoding(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles_and_every_label_exists_in_both_languages() {
        for (name, source) in TEMPLATES {
            assert!(TEMPLATE_ENV.get_template(name).is_ok(), "{name}");
            let mut rest = source;
            while let Some(at) = rest.find("t(\"") {
                let after = &rest[at + 3..];
                let end = after.find('"').expect("closed label key");
                let key = &after[..end];
                if key.ends_with('.') {
                    // `t("status." ~ value)`: the family must exist; its members are listed
                    // in `panel` next to each other.
                    assert!(panel::has_family(key), "{name}: no labels {key:?}…");
                } else {
                    for lang in [Lang::Ru, Lang::En] {
                        assert!(panel::text(key, lang).is_some(), "{name}: no label {key:?}");
                    }
                }
                rest = &after[end..];
            }
        }
    }

    #[test]
    fn next_paths_are_encoded() {
        assert_eq!(
            urlencoding("/admin/catalog?q=чай"),
            "/admin/catalog%3Fq%3D%D1%87%D0%B0%D0%B9"
        );
    }
}
