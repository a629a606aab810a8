//! An order's journey: each step between the storefront, the site's staff and the accounting
//! system, with where it happened (the exchange, the file and line), for the order's page.

use crate::{Db, OrderStatus, StoreError, TenantId};

words! {
    /// What happened to an order (`order_journey.step`).
    pub enum JourneyStep {
        /// A storefront placed it.
        Placed = "placed",
        /// A `mode=query` sent it.
        Sent = "sent",
        /// A `mode=success` confirmed what was sent.
        Confirmed = "confirmed",
        /// A change came back from the accounting system (`mode=file`).
        Received = "received",
        /// Someone on the site changed it.
        Changed = "changed",
        /// Someone on the site asked for it to be sent again.
        Resent = "resent",
    }
}
sql_word!(JourneyStep);

/// One step, as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JourneyRow {
    pub at: i64,
    pub step: JourneyStep,
    /// The order's revision the step concerns (sent, confirmed, or made by a change).
    pub revision: i64,
    pub exchange_key: Option<String>,
    pub file: Option<String>,
    pub line: Option<i64>,
    pub actor: String,
    /// The new status of a change on the site; what a received change carried (JSON).
    pub detail: String,
}

/// A step to write.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub step: JourneyStep,
    pub revision: i64,
    pub exchange_key: Option<&'a str>,
    pub file: Option<&'a str>,
    pub line: Option<i64>,
    pub actor: &'a str,
    pub detail: &'a str,
}

impl<'a> Entry<'a> {
    /// A step with nothing but who made it.
    pub fn by(step: JourneyStep, revision: i64, actor: &'a str) -> Self {
        Self {
            step,
            revision,
            exchange_key: None,
            file: None,
            line: None,
            actor,
            detail: "",
        }
    }
}

pub(crate) const INSERT: &str = "INSERT INTO order_journey (tenant_id, order_id, at, step, revision, \
    exchange_key, file, line, actor, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

/// Writes one step in the transaction `$tx`.
macro_rules! journey_insert {
    ($tx:expr, $tenant:expr, $order:expr, $at:expr, $entry:expr) => {{
        let entry: &$crate::orders::journey::Entry<'_> = $entry;
        sqlx::query($crate::orders::journey::INSERT)
            .bind($tenant)
            .bind($order)
            .bind($at)
            .bind(entry.step)
            .bind(entry.revision)
            .bind(entry.exchange_key)
            .bind(entry.file)
            .bind(entry.line)
            .bind(entry.actor)
            .bind(entry.detail)
            .execute(&mut *$tx)
            .await?;
    }};
}
pub(crate) use journey_insert;

/// Writes `$step` of exchange `$key` for every order matching `$condition` (a literal over the
/// `orders` columns), at the revision in column `$revision`.
macro_rules! journey_for_orders {
    ($tx:expr, $tenant:expr, $at:expr, $step:expr, $key:expr, $condition:literal, $revision:literal) => {
        sqlx::query(concat!(
            "INSERT INTO order_journey (tenant_id, order_id, at, step, revision, exchange_key, \
             file, line, actor, detail) SELECT tenant_id, id, $2, $3, ",
            $revision,
            ", $4, NULL, NULL, 'accounting', '' FROM orders WHERE tenant_id = $1 AND ",
            $condition
        ))
        .bind($tenant)
        .bind($at)
        .bind($step)
        .bind($key)
        .execute(&mut *$tx)
        .await?;
    };
}
pub(crate) use journey_for_orders;

impl Db {
    /// An order's journey, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn order_journey(
        &self,
        tenant: TenantId,
        order: i64,
    ) -> Result<Vec<JourneyRow>, StoreError> {
        let sql = "SELECT at, step, revision, exchange_key, file, line, actor, detail \
                   FROM order_journey WHERE tenant_id = $1 AND order_id = $2 ORDER BY id";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, JourneyRow>(sql).bind(tenant).bind(order).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The last change the accounting system sent for each order whose latest step from
    /// either side is one (no change on the site since), as (order id, its status now, what
    /// the change carried).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn last_received_reports(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(i64, OrderStatus, String)>, StoreError> {
        let sql = "SELECT j.order_id, o.status, j.detail FROM order_journey j \
                   JOIN orders o ON o.tenant_id = j.tenant_id AND o.id = j.order_id \
                   WHERE j.tenant_id = $1 AND j.step = $2 AND j.id = (SELECT MAX(k.id) FROM order_journey k \
                   WHERE k.tenant_id = j.tenant_id AND k.order_id = j.order_id AND k.step IN ($2, $3)) \
                   ORDER BY j.order_id";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, (i64, OrderStatus, String)>(sql)
                .bind(tenant).bind(JourneyStep::Received).bind(JourneyStep::Changed)
                .fetch_all(pool).await
        })?;
        Ok(rows)
    }
}
