//! Tenants, their own host names, and instance-wide settings (such as the default tenant).

use crate::employees::{Employee, INSERT_EMPLOYEE, NewEmployee};
use crate::error::OrNotFound;
use crate::{Db, StoreError, TenantId, now_millis};

/// One business with its own shop.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Tenant {
    /// Row id.
    pub id: TenantId,
    /// `[a-z0-9-]{1,63}`, the first label of the tenant's host name.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Bumped by every publish and every settings change (see migration 0013).
    pub catalog_version: i64,
}

/// The instance setting that names the tenant served on hosts no tenant claims.
const DEFAULT_TENANT_KEY: &str = "default_tenant";

/// Bumps a tenant's catalog version: what readers hold of the catalog is stale.
pub(crate) const BUMP_CATALOG_VERSION: &str =
    "UPDATE tenants SET catalog_version = catalog_version + 1 WHERE id = $1";

impl Db {
    /// Marks what readers hold of the tenant's catalog as stale (a change outside a publish
    /// or a settings write, which bump it themselves).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn bump_catalog_version(&self, tenant: TenantId) -> Result<(), StoreError> {
        with_pool!(self, pool => {
            sqlx::query(BUMP_CATALOG_VERSION).bind(tenant).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// The tenant's catalog version now.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn catalog_version(&self, tenant: TenantId) -> Result<i64, StoreError> {
        let sql = "SELECT catalog_version FROM tenants WHERE id = $1";
        let version = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(tenant).fetch_one(pool).await
        })?;
        Ok(version)
    }

    /// Creates a tenant; [`StoreError::Conflict`] when the slug is taken.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_tenant(&self, slug: &str, name: &str) -> Result<Tenant, StoreError> {
        let sql = "INSERT INTO tenants (slug, name, created_at) VALUES ($1, $2, $3) \
                   RETURNING id, slug, name, created_at, catalog_version";
        let tenant = with_pool!(self, pool => {
            sqlx::query_as::<_, Tenant>(sql)
                .bind(slug)
                .bind(name)
                .bind(now_millis())
                .fetch_one(pool)
                .await
        })?;
        Ok(tenant)
    }

    /// All tenants, by slug.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn list_tenants(&self) -> Result<Vec<Tenant>, StoreError> {
        let sql = "SELECT id, slug, name, created_at, catalog_version FROM tenants ORDER BY slug";
        let tenants = with_pool!(self, pool => {
            sqlx::query_as::<_, Tenant>(sql).fetch_all(pool).await
        })?;
        Ok(tenants)
    }

    /// The tenant with this slug.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn find_tenant_by_slug(&self, slug: &str) -> Result<Tenant, StoreError> {
        let sql = "SELECT id, slug, name, created_at, catalog_version FROM tenants WHERE slug = $1";
        let tenant = with_pool!(self, pool => {
            sqlx::query_as::<_, Tenant>(sql).bind(slug).fetch_optional(pool).await
        })?;
        tenant.or_not_found()
    }

    /// The tenant that claimed `host` (already lower-cased, without port or trailing dot).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn find_tenant_by_host(&self, host: &str) -> Result<Tenant, StoreError> {
        let sql = "SELECT t.id, t.slug, t.name, t.created_at, t.catalog_version FROM tenants t \
                   JOIN tenant_hosts h ON h.tenant_id = t.id WHERE h.host = $1";
        let tenant = with_pool!(self, pool => {
            sqlx::query_as::<_, Tenant>(sql).bind(host).fetch_optional(pool).await
        })?;
        tenant.or_not_found()
    }

    /// Gives a tenant a host name of its own; [`StoreError::Conflict`] when any tenant has it.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn add_tenant_host(&self, tenant: TenantId, host: &str) -> Result<(), StoreError> {
        let sql = "INSERT INTO tenant_hosts (host, tenant_id, created_at) VALUES ($1, $2, $3)";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(host).bind(tenant).bind(now_millis()).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// The host names a tenant owns, sorted.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn list_tenant_hosts(&self, tenant: TenantId) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT host FROM tenant_hosts WHERE tenant_id = $1 ORDER BY host";
        let hosts = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(hosts)
    }

    /// The slug stored as the default tenant, if one was ever stored.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn default_tenant_slug(&self) -> Result<Option<String>, StoreError> {
        self.instance_setting(DEFAULT_TENANT_KEY).await
    }

    /// Creates a tenant with its owner and makes it the default, in one transaction, unless a
    /// default tenant was stored before. Returns `None` when that was the case (nothing
    /// written), so that of several processes starting at once exactly one seeds.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn seed_default_tenant(
        &self,
        slug: &str,
        name: &str,
        owner: &NewEmployee<'_>,
    ) -> Result<Option<(Tenant, Employee)>, StoreError> {
        let claim = "INSERT INTO instance_settings (key, value) VALUES ($1, $2) \
                     ON CONFLICT (key) DO NOTHING";
        let insert = "INSERT INTO tenants (slug, name, created_at) VALUES ($1, $2, $3) \
                      RETURNING id, slug, name, created_at, catalog_version";
        let now = now_millis();
        let seeded = write_tx!(self, tx => {
            let claimed = sqlx::query(claim)
                .bind(DEFAULT_TENANT_KEY)
                .bind(slug)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if claimed == 0 {
                None
            } else {
                let tenant = sqlx::query_as::<_, Tenant>(insert)
                    .bind(slug)
                    .bind(name)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                let employee = owner
                    .bind_insert(sqlx::query_as::<_, Employee>(INSERT_EMPLOYEE), tenant.id, now)
                    .fetch_one(&mut *tx)
                    .await?;
                Some((tenant, employee))
            }
        });
        Ok(seeded)
    }

    async fn instance_setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let sql = "SELECT value FROM instance_settings WHERE key = $1";
        let value = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(key).fetch_optional(pool).await
        })?;
        Ok(value)
    }
}
