//! `type=sale`: orders to MoySklad and 1C (`query`, confirmed by `success`) and their changes
//! back (`file`). `checkauth` is the catalog's; everything else needs the orders permission
//! and `commerceml.orders` on.

use axum::body::Body;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use vitrina_store::{LoggedCall, TenantId, now_millis};

use super::{ExchangeError, failure, text};
use crate::domain::DomainError;
use crate::domain::permissions::COMMERCEML_ORDERS;
use crate::exchange::{Caller, Mode};
use crate::http::AppState;
use crate::i18n::Message;
use crate::orders::changes;
use crate::orders::document::{self, Encoding};

/// Largest order change file taken (they are small; the limit keeps memory bounded).
const MAX_CHANGES_BYTES: usize = 50 * 1024 * 1024;

pub(super) struct SaleCall<'a> {
    pub state: &'a AppState,
    pub tenant: TenantId,
    pub caller: &'a Caller,
    pub mode: Mode,
    pub filename: Option<&'a str>,
    pub settings: &'a [(&'static str, String)],
}

pub(super) async fn answer(
    sale: SaleCall<'_>,
    body: Body,
    call: &mut LoggedCall,
) -> Result<Response, ExchangeError> {
    let SaleCall {
        state,
        tenant,
        caller,
        mode,
        filename,
        settings,
    } = sale;
    let setting = |key: &str| crate::domain::settings::value(settings, key);
    if !caller.permissions.has(COMMERCEML_ORDERS) {
        return Err(ExchangeError(failure(Message::ExchangeNoOrdersPermission)));
    }
    if setting("commerceml.orders") != "true" {
        return Err(ExchangeError(failure(Message::OrdersOff)));
    }
    match mode {
        Mode::Init => Ok(text(format!(
            "zip=no\nfile_limit={}\n",
            setting("commerceml.file_limit")
        ))),
        Mode::Query => {
            let rows = state
                .db
                .orders_to_send(tenant)
                .await
                .map_err(DomainError::from)?;
            let mut orders = Vec::with_capacity(rows.len());
            for row in rows {
                let lines = state
                    .db
                    .order_lines(tenant, row.id)
                    .await
                    .map_err(DomainError::from)?;
                orders.push((row, lines));
            }
            let encoding = Encoding::of_setting(setting("commerceml.orders_encoding"));
            let bytes = document::write(&orders, now_millis(), encoding);
            call.message = Some(format!("{} orders", orders.len()));
            let content_type = format!("application/xml; charset={}", encoding.name());
            Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
        }
        Mode::Success => {
            let confirmed = state
                .db
                .confirm_sent_orders(tenant)
                .await
                .map_err(DomainError::from)?;
            call.message = Some(format!("{confirmed} orders confirmed"));
            Ok(text("success\n".to_owned()))
        }
        Mode::File => {
            // 1C may send a Windows path; only the name matters (the file is not kept).
            let name = filename
                .unwrap_or("orders.xml")
                .rsplit(['\\', '/'])
                .next()
                .unwrap_or("orders.xml")
                .to_owned();
            let bytes = axum::body::to_bytes(body, MAX_CHANGES_BYTES)
                .await
                .map_err(|_| {
                    ExchangeError(failure(Message::ExchangeFileTooLarge {
                        name: name.clone(),
                        limit: MAX_CHANGES_BYTES as u64,
                    }))
                })?;
            call.bytes = Some(bytes.len() as i64);
            let applied = changes::apply(&state.db, tenant, &name, &bytes).await?;
            call.message = Some(format!("{} orders updated", applied.orders));
            Ok(text("success\n".to_owned()))
        }
        // Clients of the newer protocol import what `file` sent; it was applied already.
        Mode::Import => Ok(text("success\n".to_owned())),
        // `checkauth` is answered before; the others are the catalog's.
        Mode::CheckAuth | Mode::Deactivate | Mode::Complete => {
            Err(ExchangeError(failure(Message::ExchangeModeNotYet {
                mode: mode.to_string(),
            })))
        }
    }
}
