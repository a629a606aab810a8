//! Alerts: incidents (open until they clear, one open per kind and shop) and the deliveries of
//! their messages, each retried until delivered or given up.

use crate::{Db, StoreError, TenantId, now_millis};

words! {
    /// Where a message goes.
    pub enum Channel {
        Webhook = "webhook",
        Email = "email",
    }
}
sql_word!(Channel);

words! {
    /// What a message says of its incident.
    pub enum AlertEvent {
        Opened = "opened",
        Cleared = "cleared",
        /// "Send a test" from the settings.
        Test = "test",
    }
}
sql_word!(AlertEvent);

/// A message to deliver.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Delivery {
    pub id: i64,
    pub tenant_id: TenantId,
    pub incident_id: Option<i64>,
    pub channel: Channel,
    pub event: AlertEvent,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i64,
    pub delivered_at: Option<i64>,
    pub failed_at: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
}

/// An incident of a shop.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Incident {
    pub id: i64,
    pub kind: String,
    pub detail: String,
    pub opened_at: i64,
    pub cleared_at: Option<i64>,
}

const DELIVERY_COLUMNS: &str = "id, tenant_id, incident_id, channel, event, payload, attempts, \
    delivered_at, failed_at, last_error, created_at";

const QUEUE: &str = "INSERT INTO alert_deliveries (tenant_id, incident_id, channel, event, payload, \
    attempts, next_at, lease_until, created_at) VALUES ($1, $2, $3, $4, $5, 0, $6, 0, $6)";

impl Db {
    /// Opens an incident of `kind` unless one is open, queueing `messages` for its opening;
    /// `true` when this call opened it.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, kind))]
    pub async fn open_incident(
        &self,
        tenant: TenantId,
        kind: &str,
        detail: &str,
        messages: &[(Channel, String)],
    ) -> Result<bool, StoreError> {
        let open = "SELECT COUNT(*) FROM alert_incidents WHERE tenant_id = $1 AND kind = $2 AND cleared_at IS NULL";
        let insert = "INSERT INTO alert_incidents (tenant_id, kind, detail, opened_at) VALUES ($1, $2, $3, $4) RETURNING id";
        let now = now_millis();
        let opened = write_tx!(self, tx => {
            let count: i64 = sqlx::query_scalar(open).bind(tenant).bind(kind).fetch_one(&mut *tx).await?;
            if count > 0 {
                false
            } else {
                let id: i64 = sqlx::query_scalar(insert).bind(tenant).bind(kind).bind(detail).bind(now).fetch_one(&mut *tx).await?;
                for (channel, payload) in messages {
                    sqlx::query(QUEUE).bind(tenant).bind(id).bind(*channel).bind(AlertEvent::Opened)
                        .bind(payload).bind(now).execute(&mut *tx).await?;
                }
                true
            }
        });
        Ok(opened)
    }

    /// Clears the open incident of `kind`, if any, queueing `messages` for its clearing;
    /// `true` when there was one.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant, kind))]
    pub async fn clear_incident(
        &self,
        tenant: TenantId,
        kind: &str,
        messages: &[(Channel, String)],
    ) -> Result<bool, StoreError> {
        let clear = "UPDATE alert_incidents SET cleared_at = $3 WHERE tenant_id = $1 AND kind = $2 \
                     AND cleared_at IS NULL RETURNING id";
        let now = now_millis();
        let cleared = write_tx!(self, tx => {
            let id: Option<i64> = sqlx::query_scalar(clear).bind(tenant).bind(kind).bind(now).fetch_optional(&mut *tx).await?;
            if let Some(id) = id {
                for (channel, payload) in messages {
                    sqlx::query(QUEUE).bind(tenant).bind(id).bind(*channel).bind(AlertEvent::Cleared)
                        .bind(payload).bind(now).execute(&mut *tx).await?;
                }
            }
            id.is_some()
        });
        Ok(cleared)
    }

    /// Whether an incident of `kind` is open.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn incident_open(&self, tenant: TenantId, kind: &str) -> Result<bool, StoreError> {
        let sql = "SELECT COUNT(*) FROM alert_incidents WHERE tenant_id = $1 AND kind = $2 AND cleared_at IS NULL";
        let count: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(sql).bind(tenant).bind(kind).fetch_one(pool).await
        })?;
        Ok(count > 0)
    }

    /// Queues one message outside any incident (a test).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn queue_alert(
        &self,
        tenant: TenantId,
        channel: Channel,
        event: AlertEvent,
        payload: &str,
    ) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            sqlx::query(QUEUE).bind(tenant).bind(None::<i64>).bind(channel).bind(event).bind(payload)
                .bind(now_millis()).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// Claims up to `limit` deliveries due now for this instance until `lease_until`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claim_deliveries(
        &self,
        lease_until: i64,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let now = now_millis();
        // Idle deliverers ask every few seconds: a read, not SQLite's write lock, unless
        // something is due.
        let due = "SELECT COUNT(*) FROM (SELECT id FROM alert_deliveries WHERE delivered_at IS NULL \
                   AND failed_at IS NULL AND next_at <= $1 AND lease_until < $1 LIMIT 1) due";
        let any: i64 = with_pool!(self, pool => {
            sqlx::query_scalar(due).bind(now).fetch_one(pool).await
        })?;
        if any == 0 {
            return Ok(Vec::new());
        }
        let sql = format!(
            "UPDATE alert_deliveries SET lease_until = $2 WHERE id IN (SELECT id FROM alert_deliveries \
             WHERE delivered_at IS NULL AND failed_at IS NULL AND next_at <= $1 AND lease_until < $1 \
             ORDER BY next_at LIMIT $3) RETURNING {DELIVERY_COLUMNS}"
        );
        let claimed = write_tx!(self, tx => {
            sqlx::query_as::<_, Delivery>(sqlx::AssertSqlSafe(sql)).bind(now).bind(lease_until).bind(limit)
                .fetch_all(&mut *tx).await?
        });
        Ok(claimed)
    }

    /// Records an attempt: delivered, or failed with `error` and tried again at `retry_at`
    /// (`None`: given up).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn record_delivery(
        &self,
        id: i64,
        outcome: Result<(), (&str, Option<i64>)>,
    ) -> Result<(), StoreError> {
        let now = now_millis();
        match outcome {
            Ok(()) => {
                let sql = "UPDATE alert_deliveries SET delivered_at = $2, attempts = attempts + 1, \
                           lease_until = 0 WHERE id = $1";
                with_pool!(self, pool => {
                    sqlx::query(sql).bind(id).bind(now).execute(pool).await.map(drop)
                })?;
            }
            Err((error, retry_at)) => {
                let sql = "UPDATE alert_deliveries SET attempts = attempts + 1, last_error = $2, \
                           next_at = COALESCE($3, next_at), failed_at = CASE WHEN $3 IS NULL THEN $4 END, \
                           lease_until = 0 WHERE id = $1";
                with_pool!(self, pool => {
                    sqlx::query(sql).bind(id).bind(error).bind(retry_at).bind(now).execute(pool).await.map(drop)
                })?;
            }
        }
        Ok(())
    }

    /// The shop's newest deliveries, newest first: the delivery log.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn deliveries(
        &self,
        tenant: TenantId,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let sql = format!(
            "SELECT {DELIVERY_COLUMNS} FROM alert_deliveries WHERE tenant_id = $1 ORDER BY id DESC LIMIT $2"
        );
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, Delivery>(sqlx::AssertSqlSafe(sql)).bind(tenant).bind(limit).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// The shop's open incidents.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn open_incidents(&self, tenant: TenantId) -> Result<Vec<Incident>, StoreError> {
        let sql = "SELECT id, kind, detail, opened_at, cleared_at FROM alert_incidents \
                   WHERE tenant_id = $1 AND cleared_at IS NULL ORDER BY id";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, Incident>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// Shops that set up a channel: the ones the periodic checks look at.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn tenants_with_alerts(&self) -> Result<Vec<TenantId>, StoreError> {
        let sql = "SELECT DISTINCT tenant_id FROM tenant_settings \
                   WHERE key IN ('alerts.webhook_url', 'alerts.email_to') AND value <> ''";
        let rows = with_pool!(self, pool => {
            sqlx::query_scalar::<_, TenantId>(sql).fetch_all(pool).await
        })?;
        Ok(rows)
    }

    /// When the shop's last import committed, if one ever did (Unix ms).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn last_import_done(&self, tenant: TenantId) -> Result<Option<i64>, StoreError> {
        let sql = "SELECT MAX(finished_at) FROM imports WHERE tenant_id = $1 AND state = $2";
        let at = with_pool!(self, pool => {
            sqlx::query_scalar::<_, Option<i64>>(sql).bind(tenant).bind(crate::JobState::Done).fetch_one(pool).await
        })?;
        Ok(at)
    }

    /// How many orders changed before `before` (Unix ms) have not been picked up by the
    /// accounting system.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn orders_waiting_since(
        &self,
        tenant: TenantId,
        before: i64,
    ) -> Result<i64, StoreError> {
        let sql = "SELECT COUNT(*) FROM orders WHERE tenant_id = $1 AND revision > exported_revision \
                   AND changed_at < $2";
        let count = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(tenant).bind(before).fetch_one(pool).await
        })?;
        Ok(count)
    }
}
