//! Orders: created by storefronts, sent to the accounting system, changed by both.

mod journey;
mod statuses;

pub use journey::{JourneyRow, JourneyStep};
pub use statuses::{SiteStatus, StatusValue};

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

words! {
    /// Who buys (`orders.customer_kind`).
    #[derive(Default)]
    pub enum CustomerKind {
        #[default]
        Person = "person",
        Company = "company",
    }
}
sql_word!(CustomerKind);

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
    /// The revision the last `mode=query` sent.
    pub sent_revision: i64,
    /// The revision the accounting system confirmed with `mode=success`.
    pub exported_revision: i64,
    pub customer_kind: CustomerKind,
    pub company_inn: String,
    pub company_kpp: String,
    pub legal_address: String,
    /// `None`: no delivery line.
    pub delivery_price: Option<String>,
    pub delivery_method: String,
    pub delivery_address: String,
    pub payment_method: String,
    /// The order's own discount: the percent asked for, and the amount it came to.
    pub discount_percent: Option<String>,
    pub discount_amount: String,
    /// The shop's own fields, a JSON object.
    pub extra: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// When the revision waiting to go out was made.
    pub changed_at: i64,
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
    /// The line's own discount: the percent asked for, and the amount it came to.
    pub discount_percent: Option<String>,
    pub line_discount: String,
    /// The line's share of the order's discount.
    pub order_discount: String,
    /// `price × quantity` less both discounts.
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
    pub customer_kind: CustomerKind,
    pub company_inn: &'a str,
    pub company_kpp: &'a str,
    pub legal_address: &'a str,
    pub delivery_price: Option<&'a str>,
    pub delivery_method: &'a str,
    pub delivery_address: &'a str,
    pub payment_method: &'a str,
    pub discount_percent: Option<&'a str>,
    pub discount_amount: &'a str,
    pub extra: &'a str,
    pub currency: Option<&'a str>,
    pub total: &'a str,
    pub status_token: &'a str,
    pub idempotency_key: Option<&'a str>,
    pub request_hash: Option<&'a str>,
    pub lines: &'a [OrderLineRow],
}

/// What the accounting system says of an order, and where it said it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountingChange {
    pub accounting_number: Option<String>,
    pub status: Option<OrderStatus>,
    pub paid: Option<bool>,
    pub shipped: Option<bool>,
    pub note: Option<String>,
    /// The line of its `Документ` in the file.
    pub line: u64,
    /// What it carried, for the order's journey (the domain's JSON).
    pub reported: String,
}

/// Where changes from the accounting system came from.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// The exchange (`exchange_log.exchange_key`), when it came through one.
    pub exchange_key: Option<&'a str>,
    /// The file, when it came in one (not when the shop's mapping changed).
    pub file: Option<&'a str>,
}

const ORDER_COLUMNS: &str = "id, number, status, customer_name, customer_phone, customer_email, \
    address, comment, currency, total, status_token, request_hash, accounting_number, paid, \
    shipped, revision, sent_revision, exported_revision, customer_kind, company_inn, company_kpp, \
    legal_address, delivery_price, delivery_method, delivery_address, payment_method, \
    discount_percent, discount_amount, extra, created_at, updated_at, changed_at";

const LINE_COLUMNS: &str = "external_id, name, sku, unit, quantity, price, discount_percent, \
    line_discount, order_discount, sum";

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
            updated_at, changed_at, customer_kind, company_inn, company_kpp, legal_address, \
            delivery_price, delivery_method, delivery_address, payment_method, discount_percent, \
            discount_amount, extra) VALUES ($1, $2, $14, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
            FALSE, FALSE, 1, 0, 0, $13, $13, $13, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, \
            $25) RETURNING id";
        let line = "INSERT INTO order_lines (tenant_id, order_id, position, external_id, name, sku, \
            unit, quantity, price, discount_percent, line_discount, order_discount, sum) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
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
                .bind(order.customer_kind)
                .bind(order.company_inn)
                .bind(order.company_kpp)
                .bind(order.legal_address)
                .bind(order.delivery_price)
                .bind(order.delivery_method)
                .bind(order.delivery_address)
                .bind(order.payment_method)
                .bind(order.discount_percent)
                .bind(order.discount_amount)
                .bind(order.extra)
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
                    .bind(&l.discount_percent)
                    .bind(&l.line_discount)
                    .bind(&l.order_discount)
                    .bind(&l.sum)
                    .execute(&mut *tx)
                    .await?;
            }
            sqlx::query(history).bind(tenant).bind(id).bind(now).bind(OrderStatus::New).execute(&mut *tx).await?;
            journey::journey_insert!(tx, tenant, id, now, &journey::Entry::by(JourneyStep::Placed, 1, "storefront"));
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
        let sql = format!(
            "SELECT {LINE_COLUMNS} FROM order_lines WHERE tenant_id = $1 AND order_id = $2 ORDER BY position"
        );
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, OrderLineRow>(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(order).fetch_all(pool).await
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
            let revision = sqlx::query_scalar::<_, i64>(BUMP).bind(tenant).bind(order).bind(now).fetch_one(&mut *tx).await?;
            sqlx::query("UPDATE orders SET status = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(tenant).bind(order).bind(status).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO order_history (tenant_id, order_id, at, status, actor, note) \
                         VALUES ($1, $2, $3, $4, $5, NULL)")
                .bind(tenant).bind(order).bind(now).bind(status).bind(actor).execute(&mut *tx).await?;
            let entry = journey::Entry { detail: status.as_str(), ..journey::Entry::by(JourneyStep::Changed, revision, actor) };
            journey::journey_insert!(tx, tenant, order, now, &entry);
        });
        Ok(())
    }

    /// "Отправить снова": the order goes out with the next `mode=query`, as if changed.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn resend_order(
        &self,
        tenant: TenantId,
        order: i64,
        actor: &str,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        write_tx!(self, tx => {
            let revision = sqlx::query_scalar::<_, i64>(BUMP).bind(tenant).bind(order).bind(now).fetch_one(&mut *tx).await?;
            journey::journey_insert!(tx, tenant, order, now, &journey::Entry::by(JourneyStep::Resent, revision, actor));
        });
        Ok(())
    }

    /// The orders to send to the accounting system (changed since the last confirmed
    /// export), remembering what was sent until [`Db::confirm_sent_orders`].
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn orders_to_send(
        &self,
        tenant: TenantId,
        exchange_key: &str,
    ) -> Result<Vec<OrderRow>, StoreError> {
        let select = format!(
            "SELECT {ORDER_COLUMNS} FROM orders WHERE tenant_id = $1 AND revision > exported_revision ORDER BY id"
        );
        // One statement marks what is sent; the select in the same transaction reads it.
        let mark = "UPDATE orders SET sent_revision = revision \
                    WHERE tenant_id = $1 AND revision > exported_revision";
        let now = now_millis();
        let rows = write_tx!(self, tx => {
            sqlx::query(mark).bind(tenant).execute(&mut *tx).await?;
            journey::journey_for_orders!(tx, tenant, now, JourneyStep::Sent, exchange_key, "revision > exported_revision", "revision");
            sqlx::query_as::<_, OrderRow>(sqlx::AssertSqlSafe(select)).bind(tenant).fetch_all(&mut *tx).await?
        });
        Ok(rows)
    }

    /// `mode=success`: what the last query sent is exported; how many orders that confirmed.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn confirm_sent_orders(
        &self,
        tenant: TenantId,
        exchange_key: &str,
    ) -> Result<u64, StoreError> {
        let sql = "UPDATE orders SET exported_revision = sent_revision \
                   WHERE tenant_id = $1 AND sent_revision > exported_revision";
        let now = now_millis();
        let done = write_tx!(self, tx => {
            journey::journey_for_orders!(tx, tenant, now, JourneyStep::Confirmed, exchange_key, "sent_revision > exported_revision", "sent_revision");
            sqlx::query(sql).bind(tenant).execute(&mut *tx).await?.rows_affected()
        });
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
        origin: Origin<'_>,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        let current = "SELECT status, revision FROM orders WHERE tenant_id = $1 AND id = $2";
        let update = "UPDATE orders SET accounting_number = COALESCE($3, accounting_number), \
            status = COALESCE($4, status), paid = COALESCE($5, paid), shipped = COALESCE($6, shipped), \
            updated_at = $7 WHERE tenant_id = $1 AND id = $2";
        let history = "INSERT INTO order_history (tenant_id, order_id, at, status, actor, note) \
            VALUES ($1, $2, $3, $4, $5, $6)";
        write_tx!(self, tx => {
            for (id, change) in changes {
                let (before, revision) = sqlx::query_as::<_, (OrderStatus, i64)>(current)
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
                let entry = journey::Entry {
                    exchange_key: origin.exchange_key,
                    file: origin.file,
                    line: Some(change.line as i64),
                    detail: &change.reported,
                    ..journey::Entry::by(JourneyStep::Received, revision, actor)
                };
                journey::journey_insert!(tx, tenant, *id, now, &entry);
            }
        });
        Ok(())
    }
}

/// A change made on the site: the order's next revision, to send. Returns it.
const BUMP: &str = "UPDATE orders SET revision = revision + 1, updated_at = $3, changed_at = $3 \
    WHERE tenant_id = $1 AND id = $2 RETURNING revision";
