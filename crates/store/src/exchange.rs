//! Exchange sessions of 1C and MoySklad clients.

use crate::{Db, EmployeeId, StoreError, TenantId, now_millis};

/// A live exchange session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ExchangeSession {
    /// The employee who signed in with `checkauth`.
    pub employee_id: EmployeeId,
    /// Unix ms after which the session is no longer accepted.
    pub expires_at: i64,
}

impl Db {
    /// Stores a new session under the hash of its token.
    pub async fn create_exchange_session(
        &self,
        tenant: TenantId,
        token_hash: &str,
        employee: EmployeeId,
        client_ip: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO exchange_sessions (tenant_id, token_hash, employee_id, client_ip, \
                   created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $5, $5, $6)";
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

    /// The unexpired session with this token hash, if any.
    pub async fn find_exchange_session(
        &self,
        tenant: TenantId,
        token_hash: &str,
    ) -> Result<Option<ExchangeSession>, StoreError> {
        let sql = "SELECT employee_id, expires_at FROM exchange_sessions \
                   WHERE tenant_id = $1 AND token_hash = $2 AND expires_at > $3";
        let found = with_pool!(self, pool => {
            sqlx::query_as::<_, ExchangeSession>(sql)
                .bind(tenant)
                .bind(token_hash)
                .bind(now_millis())
                .fetch_optional(pool)
                .await
        })?;
        Ok(found)
    }
}
