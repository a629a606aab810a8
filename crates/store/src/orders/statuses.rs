//! The status values and flags each shop's accounting system sends, and the site status the
//! shop maps each one to.

use crate::{Db, OrderStatus, StoreError, TenantId, now_millis};

words! {
    /// What a value from the accounting system means on the site
    /// (`order_status_values.site_status`).
    pub enum SiteStatus {
        /// Not decided yet: the value changes nothing until the shop maps it.
        Unmapped = "unmapped",
        /// Decided: the value changes no status.
        Keep = "keep",
        New = "new",
        Confirmed = "confirmed",
        Paid = "paid",
        Shipped = "shipped",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}
sql_word!(SiteStatus);

impl SiteStatus {
    /// The order status it sets, if any.
    pub fn status(self) -> Option<OrderStatus> {
        match self {
            Self::Unmapped | Self::Keep => None,
            Self::New => Some(OrderStatus::New),
            Self::Confirmed => Some(OrderStatus::Confirmed),
            Self::Paid => Some(OrderStatus::Paid),
            Self::Shipped => Some(OrderStatus::Shipped),
            Self::Completed => Some(OrderStatus::Completed),
            Self::Cancelled => Some(OrderStatus::Cancelled),
        }
    }
}

/// One value seen, with its mapping.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StatusValue {
    /// The requisite that carried it: `Статус заказа`, `Заказ оплачен`, …
    pub requisite: String,
    pub value: String,
    pub site_status: SiteStatus,
    /// How many documents carried it.
    pub seen: i64,
    pub first_seen: i64,
    pub last_seen: i64,
}

const COLUMNS: &str = "requisite, value, site_status, seen, first_seen, last_seen";

impl Db {
    /// Counts each (requisite, value) a file carried, keeping a new one with the mapping given
    /// for it (a guess, or `unmapped`).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn note_status_values(
        &self,
        tenant: TenantId,
        seen: &[(String, String, SiteStatus)],
    ) -> Result<(), StoreError> {
        let now = now_millis();
        let upsert = "INSERT INTO order_status_values (tenant_id, requisite, value, site_status, seen, \
            first_seen, last_seen) VALUES ($1, $2, $3, $4, 1, $5, $5) \
            ON CONFLICT (tenant_id, requisite, value) DO UPDATE SET \
            seen = order_status_values.seen + 1, last_seen = excluded.last_seen";
        write_tx!(self, tx => {
            for (requisite, value, guess) in seen {
                sqlx::query(upsert).bind(tenant).bind(requisite).bind(value).bind(*guess).bind(now)
                    .execute(&mut *tx).await?;
            }
        });
        Ok(())
    }

    /// Every value the shop's accounting system sent: unmapped ones first, then by name.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn status_values(&self, tenant: TenantId) -> Result<Vec<StatusValue>, StoreError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM order_status_values WHERE tenant_id = $1 \
             ORDER BY CASE WHEN site_status = $2 THEN 0 ELSE 1 END, requisite, value"
        );
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, StatusValue>(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(SiteStatus::Unmapped).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Maps one value; `false` when the shop never saw it.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn map_status_value(
        &self,
        tenant: TenantId,
        requisite: &str,
        value: &str,
        site_status: SiteStatus,
    ) -> Result<bool, StoreError> {
        let sql = "UPDATE order_status_values SET site_status = $4 \
                   WHERE tenant_id = $1 AND requisite = $2 AND value = $3";
        let done = with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(requisite).bind(value).bind(site_status)
                .execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(done > 0)
    }
}
