//! Orders: created by storefronts, sent to the accounting system, changed by both.

use crate::{Db, StoreError, TenantId, now_millis};

words! {
    /// The fixed statuses an order goes through (`orders.status`, `order_history.status`).
    pub enum OrderStatus {
        New = "new",
        Confirmed = "confirmed",
        Paid = "paid",
        Shipped = "shipped",
        Completed = "completed",
        Cancelled = "cancelled",
    }
}
sql_word!(OrderStatus);

/// An order row.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderRow {
    pub id: i64,
    pub number: String,
    pub status: OrderStatus,
    pub customer_name: String,
    pub customer_phone: String,
    pub customer_email: String,
    pub address: String,
    pub comment: String,
    pub currency: Option<String>,
    pub total: String,
    pub status_token: String,
    pub request_hash: Option<String>,
    pub accounting_number: Option<String>,
    pub paid: bool,
    pub shipped: bool,
    pub revision: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// One line of an order.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderLineRow {
    pub external_id: String,
    pub name: String,
    pub sku: String,
    pub unit: Option<String>,
    pub quantity: String,
    pub price: String,
    pub sum: String,
}

/// One change of an order's status.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct OrderEvent {
    pub at: i64,
    pub status: OrderStatus,
    pub actor: String,
    pub note: Option<String>,
}

/// A new order as the domain has checked and priced it.
#[derive(Debug, Clone)]
pub struct NewOrder<'a> {
    pub customer_name: &'a str,
    pub customer_phone: &'a str,
    pub customer_email: &'a str,
    pub address: &'a str,
    pub comment: &'a str,
    pub currency: Option<&'a str>,
    pub total: &'a str,
    pub status_token: &'a str,
    pub idempotency_key: Option<&'a str>,
    pub request_hash: Option<&'a str>,
    pub lines: &'a [OrderLineRow],
}

/// What the accounting system says of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountingChange {
    pub accounting_number: Option<String>,
    pub status: Option<OrderStatus>,
    pub paid: Option<bool>,
    pub shipped: Option<bool>,
    pub note: Option<String>,
}

const ORDER_COLUMNS: &str = "id, number, status, customer_name, customer_phone, customer_email, \
    address, comment, currency, total, status_token, request_hash, accounting_number, paid, \
    shipped, revision, created_at, updated_at";

impl Db {
    /// Stores a new order with the tenant's next number (at least `first_number`) and its first
    /// history entry.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn create_order(
        &self,
        tenant: TenantId,
        order: &NewOrder<'_>,
        first_number: i64,
    ) -> Result<OrderRow, StoreError> {
        let now = now_millis();
        // `last + 1`, or `first_number` when that is higher (a shop continuing old numbering).
        let next = "INSERT INTO order_counters (tenant_id, last) VALUES ($1, $2) \
            ON CONFLICT (tenant_id) DO UPDATE SET last = CASE \
            WHEN order_counters.last + 1 > excluded.last THEN order_counters.last + 1 \
            ELSE excluded.last END RETURNING last";
        let insert = "INSERT INTO orders (tenant_id, number, status, customer_name, customer_phone, \
            customer_email, address, comment, currency, total, status_token, idempotency_key, \
            request_hash, paid, shipped, revision, sent_revision, exported_revision, created_at, \
            updated_at) VALUES ($1, $2, $14, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, FALSE, \
            FALSE, 1, 0, 0, $13, $13) RETURNING id";
        let line = "INSERT INTO order_lines (tenant_id, order_id, position, external_id, name, sku, \
            unit, quantity, price, sum) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        let history = "INSERT INTO order_history (tenant_id, order_id, at, status, actor, note) \
            VALUES ($1, $2, $3, $4, 'storefront', NULL)";
        let id = write_tx!(self, tx => {
            let number = sqlx::query_scalar::<_, i64>(next)
                .bind(tenant)
                .bind(first_number)
                .fetch_one(&mut *tx)
                .await?;
            let id = sqlx::query_scalar::<_, i64>(insert)
                .bind(tenant)
                .bind(number.to_string())
                .bind(order.customer_name)
                .bind(order.customer_phone)
                .bind(order.customer_email)
                .bind(order.address)
                .bind(order.comment)
                .bind(order.currency)
                .bind(order.total)
                .bind(order.status_token)
                .bind(order.idempotency_key)
                .bind(order.request_hash)
                .bind(now)
                .bind(OrderStatus::New)
                .fetch_one(&mut *tx)
                .await?;
            for (position, l) in order.lines.iter().enumerate() {
                sqlx::query(line)
                    .bind(tenant)
                    .bind(id)
                    .bind(position as i64)
                    .bind(&l.external_id)
                    .bind(&l.name)
                    .bind(&l.sku)
                    .bind(&l.unit)
                    .bind(&l.quantity)
                    .bind(&l.price)
                    .bind(&l.sum)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(history).bind(tenant).bind(id).bind(now).bind(OrderStatus::New).execute(&mut *tx).await?;
            id
        });
        self.order_by_id(tenant, id).await
    }

    async fn order_by_id(&self, tenant: TenantId, id: i64) -> Result<OrderRow, StoreError> {
        let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 AND id = $2");
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(id).fetch_one(pool).await
        })?;
        Ok(row)
    }

    /// The order a storefront created with this `Idempotency-Key`, if any.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn order_by_idempotency_key(
        &self,
        tenant: TenantId,
        key: &str,
    ) -> Result<Option<OrderRow>, StoreError> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 AND idempotency_key = $2"
        );
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(key).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// The order of the tenant with this number, if any.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn order_by_number(
        &self,
        tenant: TenantId,
        number: &str,
    ) -> Result<Option<OrderRow>, StoreError> {
        let sql =
            format!("SELECT {ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 AND number = $2");
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(number).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// The order of the tenant whose status URL carries `token`.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn order_by_status_token(
        &self,
        tenant: TenantId,
        token: &str,
    ) -> Result<Option<OrderRow>, StoreError> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 AND status_token = $2"
        );
        let row = with_pool!(self, pool => {
            sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(token).fetch_optional(pool).await
        })?;
        Ok(row)
    }

    /// The newest orders of the tenant, optionally with one status.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn list_orders(
        &self,
        tenant: TenantId,
        status: Option<OrderStatus>,
        limit: i64,
    ) -> Result<Vec<OrderRow>, StoreError> {
        let sql = format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2) \
             ORDER BY id DESC LIMIT $3"
        );
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(status).bind(limit).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// An order's lines, in order.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn order_lines(
        &self,
        tenant: TenantId,
        order: i64,
    ) -> Result<Vec<OrderLineRow>, StoreError> {
        let sql = "SELECT external_id, name, sku, unit, quantity, price, sum FROM order_lines \
                   WHERE tenant_id = $1 AND order_id = $2 ORDER BY position";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, OrderLineRow>(sql).bind(tenant).bind(order).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// An order's status history, oldest first.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn order_history(
        &self,
        tenant: TenantId,
        order: i64,
    ) -> Result<Vec<OrderEvent>, StoreError> {
        let sql = "SELECT at, status, actor, note FROM order_history \
                   WHERE tenant_id = $1 AND order_id = $2 ORDER BY at, status";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, OrderEvent>(sql).bind(tenant).bind(order).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Sets an order's status as `actor` (an employee on the site): a change to send again.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn set_order_status(
        &self,
        tenant: TenantId,
        order: i64,
        status: OrderStatus,
        actor: &str,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        write_tx!(self, tx => {
            sqlx::query("UPDATE orders SET status = $3, revision = revision + 1, updated_at = $4 \
                         WHERE tenant_id = $1 AND id = $2")
                .bind(tenant).bind(order).bind(status).bind(now).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO order_history (tenant_id, order_id, at, status, actor, note) \
                         VALUES ($1, $2, $3, $4, $5, NULL)")
                .bind(tenant).bind(order).bind(now).bind(status).bind(actor).execute(&mut *tx).await?;
        });
        Ok(())
    }

    /// The orders to send to the accounting system (changed since the last confirmed
    /// export), remembering what was sent until [`Db::confirm_sent_orders`].
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn orders_to_send(&self, tenant: TenantId) -> Result<Vec<OrderRow>, StoreError> {
        let select = format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 AND revision > exported_revision ORDER BY id"
        );
        // One statement marks what is sent; the select in the same transaction reads it.
        let mark = "UPDATE orders SET sent_revision = revision \
                    WHERE tenant_id = $1 AND revision > exported_revision";
        let rows = write_tx!(self, tx => {
            sqlx::query(mark).bind(tenant).execute(&mut *tx).await?;
            sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(select)).bind(tenant).fetch_all(&mut *tx).await?
        });
        Ok(rows)
    }

    /// `mode=success`: what the last query sent is exported; how many orders that confirmed.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn confirm_sent_orders(&self, tenant: TenantId) -> Result<u64, StoreError> {
        let sql = "UPDATE orders SET exported_revision = sent_revision \
                   WHERE tenant_id = $1 AND sent_revision > exported_revision";
        let done = with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).execute(pool).await.map(|r| r.rows_affected())
        })?;
        Ok(done)
    }

    /// Applies the accounting system's view of orders (by id), all in one transaction; a
    /// status that changes is written to the history. Such changes are not sent back.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn apply_accounting_changes(
        &self,
        tenant: TenantId,
        changes: &[(i64, AccountingChange)],
        actor: &str,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        let current = "SELECT status FROM orders WHERE tenant_id = $1 AND id = $2";
        let update = "UPDATE orders SET accounting_number = COALESCE($3, accounting_number), \
            status = COALESCE($4, status), paid = COALESCE($5, paid), shipped = COALESCE($6, shipped), \
            updated_at = $7 WHERE tenant_id = $1 AND id = $2";
        let history = "INSERT INTO order_history (tenant_id, order_id, at, status, actor, note) \
            VALUES ($1, $2, $3, $4, $5, $6)";
        write_tx!(self, tx => {
            for (id, change) in changes {
                let before = sqlx::query_scalar::<_, OrderStatus>(current)
                    .bind(tenant).bind(*id).fetch_one(&mut *tx).await?;
                sqlx::query(update)
                    .bind(tenant).bind(*id)
                    .bind(&change.accounting_number).bind(change.status)
                    .bind(change.paid).bind(change.shipped).bind(now)
                    .execute(&mut *tx).await?;
                if let Some(status) = change.status.as_ref().filter(|s| **s != before) {
                    sqlx::query(history)
                        .bind(tenant).bind(*id).bind(now).bind(status).bind(actor).bind(&change.note)
                        .execute(&mut *tx).await?;
                }
            }
        });
        Ok(())
    }
}
