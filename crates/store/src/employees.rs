//! Employees of a tenant: the people (and exchange robots) who sign in.

use sqlx::query::QueryAs;
use sqlx::{Database, Encode, Type};

use crate::error::OrNotFound;
use crate::{Db, EmployeeId, StoreError, TenantId, now_millis};

/// An employee row. `password_hash` is a PHC string; it never leaves the server.
#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Employee {
    /// Row id.
    pub id: EmployeeId,
    /// The tenant this employee belongs to.
    pub tenant_id: TenantId,
    /// The address as typed when the employee was created.
    pub email: String,
    /// Display name.
    pub name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// "Доступ в админ панель": without it the employee has no permissions at all.
    pub admin_access: bool,
    /// The tenant's owner holds every permission.
    pub is_owner: bool,
    /// A blocked employee cannot sign in and has no permissions.
    pub blocked: bool,
    /// Unix milliseconds.
    pub created_at: i64,
    /// Unix milliseconds.
    pub updated_at: i64,
}

impl std::fmt::Debug for Employee {
    // Hand-written so that the password hash never reaches a log line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Employee")
            .field("id", &self.id)
            .field("tenant_id", &self.tenant_id)
            .field("email", &self.email)
            .field("admin_access", &self.admin_access)
            .field("is_owner", &self.is_owner)
            .field("blocked", &self.blocked)
            .finish_non_exhaustive()
    }
}

/// What it takes to create an employee; the caller has validated and hashed everything.
#[derive(Debug, Clone, Copy)]
pub struct NewEmployee<'a> {
    /// The address as typed.
    pub email: &'a str,
    /// The case-folded address: unique per tenant.
    pub email_key: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Argon2id PHC string.
    pub password_hash: &'a str,
    /// Admin-panel access flag.
    pub admin_access: bool,
    /// Whether this is the tenant's owner.
    pub is_owner: bool,
}

pub(crate) const INSERT_EMPLOYEE: &str = "INSERT INTO employees \
    (tenant_id, email, email_key, name, password_hash, admin_access, is_owner, blocked, \
     created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, FALSE, $8, $8) \
    RETURNING id, tenant_id, email, name, password_hash, admin_access, is_owner, blocked, \
              created_at, updated_at";

impl<'a> NewEmployee<'a> {
    /// Binds the parameters of [`INSERT_EMPLOYEE`], for use on a pool or inside a transaction
    /// of either backend.
    pub(crate) fn bind_insert<'q, DB>(
        &self,
        query: QueryAs<'q, DB, Employee, <DB as Database>::Arguments>,
        tenant: TenantId,
        now: i64,
    ) -> QueryAs<'q, DB, Employee, <DB as Database>::Arguments>
    where
        'a: 'q,
        DB: Database,
        &'a str: Encode<'q, DB> + Type<DB>,
        bool: Encode<'q, DB> + Type<DB>,
        i64: Encode<'q, DB> + Type<DB>,
        TenantId: Encode<'q, DB> + Type<DB>,
    {
        query
            .bind(tenant)
            .bind(self.email)
            .bind(self.email_key)
            .bind(self.name)
            .bind(self.password_hash)
            .bind(self.admin_access)
            .bind(self.is_owner)
            .bind(now)
    }
}

/// The employee columns, as a literal so that `concat!` can build whole statements from it.
macro_rules! select_employee {
    ($($rest:literal),*) => {
        concat!(
            "SELECT id, tenant_id, email, name, password_hash, admin_access, is_owner, blocked, \
             created_at, updated_at FROM employees ",
            $($rest),*
        )
    };
}

impl Db {
    /// Creates an employee; [`StoreError::Conflict`] when the email is taken in this tenant.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn create_employee(
        &self,
        tenant: TenantId,
        new: &NewEmployee<'_>,
    ) -> Result<Employee, StoreError> {
        let employee = with_pool!(self, pool => {
            new.bind_insert(sqlx::query_as::<_, Employee>(INSERT_EMPLOYEE), tenant, now_millis())
                .fetch_one(pool)
                .await
        })?;
        Ok(employee)
    }

    /// The employee of `tenant` whose case-folded email is `email_key`.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn find_employee_by_email(
        &self,
        tenant: TenantId,
        email_key: &str,
    ) -> Result<Employee, StoreError> {
        let sql = select_employee!("WHERE tenant_id = $1 AND email_key = $2");
        let employee = with_pool!(self, pool => {
            sqlx::query_as::<_, Employee>(sql)
                .bind(tenant)
                .bind(email_key)
                .fetch_optional(pool)
                .await
        })?;
        employee.or_not_found()
    }

    /// The employee of `tenant` with this id.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn find_employee(
        &self,
        tenant: TenantId,
        id: EmployeeId,
    ) -> Result<Employee, StoreError> {
        let sql = select_employee!("WHERE tenant_id = $1 AND id = $2");
        let employee = with_pool!(self, pool => {
            sqlx::query_as::<_, Employee>(sql)
                .bind(tenant)
                .bind(id)
                .fetch_optional(pool)
                .await
        })?;
        employee.or_not_found()
    }

    /// Every employee of `tenant`, by email.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn list_employees(&self, tenant: TenantId) -> Result<Vec<Employee>, StoreError> {
        let sql = select_employee!("WHERE tenant_id = $1 ORDER BY email_key");
        let employees = with_pool!(self, pool => {
            sqlx::query_as::<_, Employee>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(employees)
    }

    /// Replaces an employee's password hash.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn set_employee_password(
        &self,
        tenant: TenantId,
        id: EmployeeId,
        password_hash: &str,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE employees SET password_hash = $3, updated_at = $4 \
                   WHERE tenant_id = $1 AND id = $2";
        let result = with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(id)
                .bind(password_hash)
                .bind(now_millis())
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        expect_one_row(result)
    }

    /// Renames an employee and sets their admin-panel access.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn update_employee(
        &self,
        tenant: TenantId,
        id: EmployeeId,
        name: &str,
        admin_access: bool,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE employees SET name = $3, admin_access = $4, updated_at = $5 \
                   WHERE tenant_id = $1 AND id = $2";
        let result = with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(id)
                .bind(name)
                .bind(admin_access)
                .bind(now_millis())
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        expect_one_row(result)
    }

    /// Blocks or unblocks an employee.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn set_employee_blocked(
        &self,
        tenant: TenantId,
        id: EmployeeId,
        blocked: bool,
    ) -> Result<(), StoreError> {
        let sql = "UPDATE employees SET blocked = $3, updated_at = $4 \
                   WHERE tenant_id = $1 AND id = $2";
        let result = with_pool!(self, pool => {
            sqlx::query(sql)
                .bind(tenant)
                .bind(id)
                .bind(blocked)
                .bind(now_millis())
                .execute(pool)
                .await
                .map(|done| done.rows_affected())
        })?;
        expect_one_row(result)
    }
}

fn expect_one_row(rows_affected: u64) -> Result<(), StoreError> {
    if rows_affected == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}
