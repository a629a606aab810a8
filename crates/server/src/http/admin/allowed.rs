//! The permission a panel handler needs, in its signature: `admin: Allowed<CatalogEdit>` is an
//! employee signed in to this shop who holds `catalog.edit`, or the request ends before the
//! handler runs (the sign-in page for a stranger, 403 for an employee without the right).

use std::marker::PhantomData;
use std::ops::Deref;

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

use super::Admin;
use crate::domain::permissions::{self, Permission};
use crate::http::{AppState, HttpError};
use crate::i18n::Message;

/// A permission as a type, for [`Allowed`].
pub trait Required: Send + Sync + 'static {
    const PERMISSION: &'static Permission;
}

macro_rules! required {
    ($($(#[$doc:meta])* $name:ident => $permission:path,)+) => {
        $(
            $(#[$doc])*
            pub struct $name;

            impl Required for $name {
                const PERMISSION: &'static Permission = $permission;
            }
        )+
    };
}

required! {
    /// `catalog.view`.
    CatalogView => permissions::CATALOG_VIEW,
    /// `catalog.edit`.
    CatalogEdit => permissions::CATALOG_EDIT,
    /// `settings.employees`.
    SettingsEmployees => permissions::SETTINGS_EMPLOYEES,
    /// `settings.access`.
    SettingsAccess => permissions::SETTINGS_ACCESS,
    /// `settings.integrations`.
    SettingsIntegrations => permissions::SETTINGS_INTEGRATIONS,
    /// `orders.view`.
    OrdersView => permissions::ORDERS_VIEW,
    /// `orders.manage`.
    OrdersManage => permissions::ORDERS_MANAGE,
}

/// A signed-in employee who holds `P`'s permission.
pub struct Allowed<P> {
    admin: Admin,
    required: PhantomData<fn() -> P>,
}

impl<P> Deref for Allowed<P> {
    type Target = Admin;

    fn deref(&self) -> &Admin {
        &self.admin
    }
}

impl<P: Required> FromRequestParts<AppState> for Allowed<P> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let admin = Admin::from_request_parts(parts, state).await?;
        if !admin.may(P::PERMISSION) {
            let message = Message::AdminForbidden {
                permission: P::PERMISSION.label(admin.lang).to_owned(),
            };
            let refused = HttpError::new(StatusCode::FORBIDDEN, "forbidden", message);
            return Err(refused.into_response());
        }
        Ok(Self {
            admin,
            required: PhantomData,
        })
    }
}
