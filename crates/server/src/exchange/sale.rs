//! `type=sale`: orders to MoySklad and 1C (`query`, confirmed by `success`) and their changes
//! back (`file`). `checkauth` is the catalog's; everything else needs the orders permission
//! and `commerceml.orders` on.

use futures_util::StreamExt;
use vitrina_store::{Origin, now_millis};

use super::Mode;
use super::protocol::{Authorised, Body, Record, Reply, Services, Upload, refuse};
use crate::domain::DomainError;
use crate::domain::permissions::COMMERCEML_ORDERS;
use crate::i18n::Message;
use crate::orders::changes;
use crate::orders::document;

/// Largest order change file taken (they are small; the limit keeps memory bounded).
const MAX_CHANGES_BYTES: usize = 50 * 1024 * 1024;

pub(super) async fn answer(
    services: Services<'_>,
    call: Authorised<'_>,
    mode: Mode,
    body: impl Upload,
    record: &mut Record,
) -> Result<Reply, DomainError> {
    let (db, tenant) = (services.db, call.tenant);
    if !call.caller.permissions.has(COMMERCEML_ORDERS) {
        return Err(refuse(Message::ExchangeNoOrdersPermission));
    }
    if !call.settings.orders.exchange {
        return Err(refuse(Message::OrdersOff));
    }
    match mode {
        Mode::Init => Ok(Reply::text(format!(
            "zip=no\nfile_limit={}\n",
            call.settings.exchange.file_limit
        ))),
        Mode::Query => {
            let rows = db.orders_to_send(tenant, &record.exchange_key).await?;
            let mut orders = Vec::with_capacity(rows.len());
            for row in rows {
                let lines = db.order_lines(tenant, row.id).await?;
                orders.push((row, lines));
            }
            let encoding = call.settings.orders.encoding;
            let bytes = document::write(&orders, now_millis(), encoding);
            record.message = Some(format!("{} orders", orders.len()));
            Ok(Reply {
                in_progress: false,
                body: Body::Document {
                    bytes,
                    charset: encoding.name(),
                },
                session: None,
            })
        }
        Mode::Success => {
            let confirmed = db.confirm_sent_orders(tenant, &record.exchange_key).await?;
            record.message = Some(format!("{confirmed} orders confirmed"));
            Ok(Reply::success(&[]))
        }
        Mode::File => {
            // 1C may send a Windows path; only the name matters (the file is not kept).
            let name = call
                .filename
                .unwrap_or("orders.xml")
                .rsplit(['\\', '/'])
                .next()
                .unwrap_or("orders.xml")
                .to_owned();
            let too_large = || {
                refuse(Message::ExchangeFileTooLarge {
                    name: name.clone(),
                    limit: MAX_CHANGES_BYTES as u64,
                })
            };
            let bytes = read_all(body, MAX_CHANGES_BYTES)
                .await?
                .ok_or_else(too_large)?;
            record.bytes = Some(bytes.len() as i64);
            let origin = Origin {
                exchange_key: Some(&record.exchange_key),
                file: Some(&name),
            };
            let applied = changes::apply(db, tenant, origin, &bytes).await?;
            record.message = Some(format!("{} orders updated", applied.orders));
            Ok(Reply::success(&[]))
        }
        // Clients of the newer protocol import what `file` sent; it was applied already.
        Mode::Import => Ok(Reply::success(&[])),
        // `checkauth` is answered before; the others are the catalog's.
        Mode::CheckAuth | Mode::Deactivate | Mode::Complete => {
            Err(refuse(Message::ExchangeModeNotYet {
                mode: mode.to_string(),
            }))
        }
    }
}

/// The whole body, or `None` past `limit` bytes.
async fn read_all(mut body: impl Upload, limit: usize) -> Result<Option<Vec<u8>>, DomainError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|err| DomainError::Internal(err.into()))?;
        if bytes.len() + chunk.len() > limit {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}
