//! Failed sign-ins per key, in the database so every instance sees the same counts and a
//! restart forgets nothing; and ending an employee's sessions when their rights change.

use crate::{Db, EmployeeId, StoreError, TenantId};

impl Db {
    /// Counts one attempt of `key` in the window that started at `window_start` (a row of an
    /// older window starts again from this attempt); the count after it, attempts in flight
    /// included. One statement, so parallel attempts each see their own count.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn count_sign_in_attempt(
        &self,
        key: &str,
        window_start: i64,
    ) -> Result<i64, StoreError> {
        let sql = "INSERT INTO sign_in_failures (key, window_start, failures) VALUES ($1, $2, 1) \
                   ON CONFLICT (key) DO UPDATE SET \
                   failures = CASE WHEN sign_in_failures.window_start < excluded.window_start \
                   THEN 1 ELSE sign_in_failures.failures + 1 END, \
                   window_start = CASE WHEN sign_in_failures.window_start < excluded.window_start \
                   THEN excluded.window_start ELSE sign_in_failures.window_start END \
                   RETURNING failures";
        let count = write_tx!(self, tx => {
            sqlx::query_scalar::<_, i64>(sql)
                .bind(key)
                .bind(window_start)
                .fetch_one(&mut *tx)
                .await?
        });
        Ok(count)
    }

    /// Takes back an attempt of `key` that turned out not to be a failure.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn uncount_sign_in_attempt(&self, key: &str) -> Result<(), StoreError> {
        let sql = "UPDATE sign_in_failures SET failures = failures - 1 \
                   WHERE key = $1 AND failures > 0";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(key).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// The failures of `key` in the window that started at `window_start` or later.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn sign_in_failures(&self, key: &str, window_start: i64) -> Result<i64, StoreError> {
        let sql = "SELECT failures FROM sign_in_failures WHERE key = $1 AND window_start >= $2";
        let count = with_pool!(self, pool => {
            sqlx::query_scalar::<_, i64>(sql).bind(key).bind(window_start).fetch_optional(pool).await
        })?;
        Ok(count.unwrap_or(0))
    }

    /// Forgets the counts of windows that started before `before`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn forget_sign_in_failures(&self, before: i64) -> Result<(), StoreError> {
        let sql = "DELETE FROM sign_in_failures WHERE window_start < $1";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(before).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// Ends every admin and exchange session of these employees except the one whose token
    /// hash is `keep` (the caller's own, when they changed their own rights).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn end_sessions(
        &self,
        tenant: TenantId,
        employees: &[EmployeeId],
        keep: Option<&str>,
    ) -> Result<u64, StoreError> {
        let keep = keep.unwrap_or("");
        let mut ended = 0;
        write_tx!(self, tx => {
            for employee in employees {
                for sql in [
                    "DELETE FROM admin_sessions WHERE tenant_id = $1 AND employee_id = $2 AND token_hash <> $3",
                    "DELETE FROM exchange_sessions WHERE tenant_id = $1 AND employee_id = $2 AND token_hash <> $3",
                ] {
                    ended += sqlx::query(sql)
                        .bind(tenant)
                        .bind(*employee)
                        .bind(keep)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected();
                }
            }
        });
        Ok(ended)
    }
}
