//! User groups: permissions are granted to groups, employees are members of groups.

use crate::error::OrNotFound;
use crate::{Db, EmployeeId, GroupId, StoreError, TenantId, now_millis};

/// A user group of one tenant, e.g. "МойСклад".
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Group {
    /// Row id.
    pub id: GroupId,
    /// The owning tenant.
    pub tenant_id: TenantId,
    /// Unique per tenant, chosen by the shop.
    pub name: String,
    /// Unix milliseconds.
    pub created_at: i64,
}

impl Db {
    /// Creates a group holding `permissions`, all or nothing; [`StoreError::Conflict`] when the
    /// name is taken in this tenant.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn create_group(
        &self,
        tenant: TenantId,
        name: &str,
        permissions: &[&str],
    ) -> Result<Group, StoreError> {
        let insert = "INSERT INTO user_groups (tenant_id, name, created_at) VALUES ($1, $2, $3) \
                      RETURNING id, tenant_id, name, created_at";
        let grant = "INSERT INTO group_permissions (tenant_id, group_id, permission) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
        let group = write_tx!(self, tx => {
            let group = sqlx::query_as::<_, Group>(insert)
                .bind(tenant)
                .bind(name)
                .bind(now_millis())
                .fetch_one(&mut *tx)
                .await?;
            for permission in permissions {
                sqlx::query(grant)
                    .bind(tenant)
                    .bind(group.id)
                    .bind(*permission)
                    .execute(&mut *tx)
                    .await?;
            }
            group
        });
        Ok(group)
    }

    /// The group of `tenant` with this id.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn find_group(&self, tenant: TenantId, id: GroupId) -> Result<Group, StoreError> {
        let sql = "SELECT id, tenant_id, name, created_at FROM user_groups \
                   WHERE tenant_id = $1 AND id = $2";
        let group = with_pool!(self, pool => {
            sqlx::query_as::<_, Group>(sql).bind(tenant).bind(id).fetch_optional(pool).await
        })?;
        group.or_not_found()
    }

    /// The group of `tenant` with this name.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn find_group_by_name(
        &self,
        tenant: TenantId,
        name: &str,
    ) -> Result<Group, StoreError> {
        let sql = "SELECT id, tenant_id, name, created_at FROM user_groups \
                   WHERE tenant_id = $1 AND name = $2";
        let group = with_pool!(self, pool => {
            sqlx::query_as::<_, Group>(sql).bind(tenant).bind(name).fetch_optional(pool).await
        })?;
        group.or_not_found()
    }

    /// Every group of `tenant`, by name.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn list_groups(&self, tenant: TenantId) -> Result<Vec<Group>, StoreError> {
        let sql = "SELECT id, tenant_id, name, created_at FROM user_groups \
                   WHERE tenant_id = $1 ORDER BY name";
        let groups = with_pool!(self, pool => {
            sqlx::query_as::<_, Group>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(groups)
    }

    /// Replaces the permissions of a group with `permissions`, all or nothing.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn set_group_permissions(
        &self,
        tenant: TenantId,
        group: GroupId,
        permissions: &[&str],
    ) -> Result<(), StoreError> {
        let exists = "SELECT id FROM user_groups WHERE tenant_id = $1 AND id = $2";
        let clear = "DELETE FROM group_permissions WHERE tenant_id = $1 AND group_id = $2";
        let grant = "INSERT INTO group_permissions (tenant_id, group_id, permission) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
        write_tx!(self, tx => {
            sqlx::query_scalar::<_, GroupId>(exists)
                .bind(tenant)
                .bind(group)
                .fetch_optional(&mut *tx)
                .await?
                .or_not_found()?;
            sqlx::query(clear).bind(tenant).bind(group).execute(&mut *tx).await?;
            for permission in permissions {
                sqlx::query(grant)
                    .bind(tenant)
                    .bind(group)
                    .bind(*permission)
                    .execute(&mut *tx)
                    .await?;
            }
        });
        Ok(())
    }

    /// The permission keys granted to one group, sorted.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn group_permissions(
        &self,
        tenant: TenantId,
        group: GroupId,
    ) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT permission FROM group_permissions \
                   WHERE tenant_id = $1 AND group_id = $2 ORDER BY permission";
        let keys = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(tenant).bind(group).fetch_all(pool).await
        })?;
        Ok(keys)
    }

    /// Makes an employee a member of a group (no-op when already a member). The composite
    /// foreign keys refuse a group or employee of another tenant with [`StoreError::Database`].
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn add_group_member(
        &self,
        tenant: TenantId,
        group: GroupId,
        employee: EmployeeId,
    ) -> Result<(), StoreError> {
        let sql = "INSERT INTO group_members (tenant_id, group_id, employee_id) \
                   VALUES ($1, $2, $3) ON CONFLICT DO NOTHING";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(group).bind(employee).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// Removes an employee from a group (no-op when not a member).
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn remove_group_member(
        &self,
        tenant: TenantId,
        group: GroupId,
        employee: EmployeeId,
    ) -> Result<(), StoreError> {
        let sql = "DELETE FROM group_members \
                   WHERE tenant_id = $1 AND group_id = $2 AND employee_id = $3";
        with_pool!(self, pool => {
            sqlx::query(sql).bind(tenant).bind(group).bind(employee).execute(pool).await.map(drop)
        })?;
        Ok(())
    }

    /// The ids of a group's members.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn group_members(
        &self,
        tenant: TenantId,
        group: GroupId,
    ) -> Result<Vec<EmployeeId>, StoreError> {
        let sql = "SELECT employee_id FROM group_members \
                   WHERE tenant_id = $1 AND group_id = $2 ORDER BY employee_id";
        let ids = with_pool!(self, pool => {
            sqlx::query_scalar::<_, EmployeeId>(sql).bind(tenant).bind(group).fetch_all(pool).await
        })?;
        Ok(ids)
    }

    /// The union of the permission keys of every group the employee belongs to, sorted and
    /// without repeats. Says nothing about whether those permissions apply: that depends on
    /// the employee's flags, which the domain layer checks.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn granted_permissions(
        &self,
        tenant: TenantId,
        employee: EmployeeId,
    ) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT DISTINCT p.permission FROM group_members m \
                   JOIN group_permissions p \
                     ON p.tenant_id = m.tenant_id AND p.group_id = m.group_id \
                   WHERE m.tenant_id = $1 AND m.employee_id = $2 ORDER BY p.permission";
        let keys = with_pool!(self, pool => {
            sqlx::query_scalar::<_, String>(sql).bind(tenant).bind(employee).fetch_all(pool).await
        })?;
        Ok(keys)
    }

    /// Every (member, group, permission) of the tenant: who holds what through which group.
    #[tracing::instrument(level = "debug", skip_all, fields(tenant = %tenant))]
    pub async fn all_grants(
        &self,
        tenant: TenantId,
    ) -> Result<Vec<(EmployeeId, GroupId, String)>, StoreError> {
        let sql = "SELECT m.employee_id, m.group_id, p.permission FROM group_members m \
                   JOIN group_permissions p \
                     ON p.tenant_id = m.tenant_id AND p.group_id = m.group_id \
                   WHERE m.tenant_id = $1";
        let rows = with_pool!(self, pool => {
            sqlx::query_as::<_, (EmployeeId, GroupId, String)>(sql).bind(tenant).fetch_all(pool).await
        })?;
        Ok(rows)
    }
}
