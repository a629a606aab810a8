//! User groups: created with a name, granted permissions, given members.

use vitrina_store::{Db, EmployeeId, Group, GroupId, TenantId};

use crate::domain::{DomainError, StoreResultExt, employees, permissions};
use crate::i18n::Message;

/// Longest group name, in characters.
const MAX_NAME: usize = 100;

/// Creates a group holding the permissions with these keys (all known, or nothing is created).
pub async fn create(
    db: &Db,
    tenant: TenantId,
    name: &str,
    keys: &[&str],
) -> Result<Group, DomainError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME {
        return Err(DomainError::Invalid(Message::BadGroupName {
            max: MAX_NAME,
        }));
    }
    let keys = known(keys)?;
    db.create_group(tenant, name, &keys)
        .await
        .or_conflict(|| Message::GroupExists {
            name: name.to_owned(),
        })
}

/// The group with this id.
pub async fn find(db: &Db, tenant: TenantId, id: GroupId) -> Result<Group, DomainError> {
    db.find_group(tenant, id)
        .await
        .or_not_found(|| Message::UnknownGroup {
            name: format!("#{}", id.0),
        })
}

/// The group with this name.
pub async fn find_by_name(db: &Db, tenant: TenantId, name: &str) -> Result<Group, DomainError> {
    db.find_group_by_name(tenant, name.trim())
        .await
        .or_not_found(|| Message::UnknownGroup {
            name: name.to_owned(),
        })
}

/// Replaces a group's permissions with the ones with these keys.
pub async fn set_permissions(
    db: &Db,
    tenant: TenantId,
    group: GroupId,
    keys: &[&str],
) -> Result<(), DomainError> {
    let keys = known(keys)?;
    find(db, tenant, group).await?;
    db.set_group_permissions(tenant, group, &keys).await?;
    Ok(())
}

/// Makes an employee of the tenant a member of the group.
pub async fn add_member(
    db: &Db,
    tenant: TenantId,
    group: GroupId,
    employee: EmployeeId,
) -> Result<(), DomainError> {
    find(db, tenant, group).await?;
    employees::find_by_id(db, tenant, employee).await?;
    db.add_group_member(tenant, group, employee).await?;
    Ok(())
}

fn known(keys: &[&str]) -> Result<Vec<&'static str>, DomainError> {
    keys.iter()
        .map(|key| permissions::find(key).map(|p| p.key))
        .collect()
}
