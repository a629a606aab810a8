//! Per-tenant settings as raw key/value text. Which keys exist, their types and defaults are
//! the domain layer's business; a key absent here has its default value.

use std::collections::BTreeMap;

use crate::{Db, StoreError, TenantId, now_millis};

impl Db {
    /// The explicitly set settings of a tenant.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn tenant_settings(
        &self,
        tenant: TenantId,
    ) -> Result<BTreeMap<String, String>, StoreError> {
        let sql = "SELECT key, value FROM tenant_settings WHERE tenant_id = $1";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, (String, String)>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows.into_iter().collect())
    }

    /// Stores `value` for `key`, or removes the key (back to its default) when `value` is None.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn set_tenant_setting(
        &self,
        tenant: TenantId,
        key: &str,
        value: Option<&str>,
    ) -> Result<(), StoreError> {
        let upsert = "INSERT INTO tenant_settings (tenant_id, key, value, updated_at) \
                      VALUES ($1, $2, $3, $4) \
                      ON CONFLICT (tenant_id, key) \
                      DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";
        let delete = "DELETE FROM tenant_settings WHERE tenant_id = $1 AND key = $2";
        with_pool!(self, pool => match value {
            Some(value) => {
                sqlx::query(upsert)
                    .bind(tenant)
                    .bind(key)
                    .bind(value)
                    .bind(now_millis())
                    .execute(pool)
                    .await
                    .map(drop)
            }
            None => sqlx::query(delete).bind(tenant).bind(key).execute(pool).await.map(drop),
        })?;
        // What the catalog shows depends on settings (price type, warehouses, root group).
        self.bump_catalog_version(tenant).await
    }
}
