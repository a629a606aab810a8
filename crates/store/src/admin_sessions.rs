//! Sessions of employees signed in to the admin panel.

use crate::{Db, EmployeeId, StoreError, TenantId, now_millis};

impl Db {
    /// Stores a new admin session under the hash of its token.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn create_admin_session(
        &self,
        tenant: TenantId,
        token_hash: &str,
        employee: EmployeeId,
        client_ip: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO admin_sessions (tenant_id, token_hash, employee_id, client_ip, \
                   created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)";
        with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(token_hash)
                .bind(employee)
                .bind(client_ip)
                .bind(now_millis())
                .bind(expires_at)
                .execute(pool)
                .await
                .map(drop)
        })?;
        Ok(())
    }

    /// The employee of the unexpired admin session with this token hash, if any.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn find_admin_session(
        &self,
        tenant: TenantId,
        token_hash: &str,
    ) -> Result<Option<EmployeeId>, StoreError> {
        let sql = "SELECT employee_id FROM admin_sessions \
                   WHERE tenant_id = $1 AND token_hash = $2 AND expires_at > $3";
        let found = with_pool!(self, pool => {
            sqlx::query_scalar::<_, EmployeeId>(sql)
                .bind(tenant)
                .bind(token_hash)
                .bind(now_millis())
                .fetch_optional(pool)
                .await
        })?;
        Ok(found)
    }

    /// Ends an admin session (signing out).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn delete_admin_session(
        &self,
        tenant: TenantId,
        token_hash: &str,
    ) -> Result<(), StoreError> {
        let sql = "DELETE FROM admin_sessions WHERE tenant_id = $1 AND token_hash = $2";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(token_hash).execute(pool).await.map(drop)
        })?;
        Ok(())
    }
}
