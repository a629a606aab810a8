//! User groups: created with a name, granted permissions, given members.

use vitrina_store::{Db, EmployeeId, Group, GroupId, TenantId};

use crate::domain::access::{self, Actor, Change};
use crate::domain::{DomainError, StoreResultExt, employees, input, permissions};
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
    input::line("name", name, MAX_NAME)?;
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

/// Replaces a group's permissions with the ones with these keys, as `actor`: who changes a
/// group must hold what it holds and what it is given. Members who lose a permission lose
/// their sessions too.
pub async fn set_permissions(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    group: GroupId,
    keys: &[&str],
) -> Result<(), DomainError> {
    let keys = known(keys)?;
    let found = find(db, tenant, group).await?;
    access::check_may_change_group(db, actor, tenant, group, &found.name).await?;
    access::check_may_grant(actor, &keys)?;
    access::check_someone_keeps_access(db, actor, tenant, Change::GroupPermissions(group, &keys))
        .await?;
    let before = db.group_permissions(tenant, group).await?;
    db.set_group_permissions(tenant, group, &keys).await?;
    if before.iter().any(|key| !keys.contains(&key.as_str())) {
        let members = db.group_members(tenant, group).await?;
        access::end_sessions(db, actor, tenant, &members).await?;
    }
    Ok(())
}

/// Grants (`true`) or revokes one permission of a group, keeping the others.
pub async fn grant(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    group: GroupId,
    key: &str,
    granted: bool,
) -> Result<(), DomainError> {
    let key = permissions::find(key)?.key;
    let mut keys: Vec<String> = db.group_permissions(tenant, group).await?;
    keys.retain(|k| k != key);
    if granted {
        keys.push(key.to_owned());
    }
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    set_permissions(db, actor, tenant, group, &keys).await
}

/// Makes an employee of the tenant a member of the group, as `actor`: who may change the
/// group and manage the employee.
pub async fn add_member(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    group: GroupId,
    employee: EmployeeId,
) -> Result<(), DomainError> {
    check_membership_change(db, actor, tenant, group, employee).await?;
    db.add_group_member(tenant, group, employee).await?;
    Ok(())
}

/// Takes an employee out of the group, as `actor`, under the same rules; their sessions end.
pub async fn remove_member(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    group: GroupId,
    employee: EmployeeId,
) -> Result<(), DomainError> {
    check_membership_change(db, actor, tenant, group, employee).await?;
    access::check_someone_keeps_access(db, actor, tenant, Change::LeaveGroup(group, employee))
        .await?;
    db.remove_group_member(tenant, group, employee).await?;
    access::end_sessions(db, actor, tenant, &[employee]).await?;
    Ok(())
}

/// Both exist, and `actor` may change the group and manage the employee.
async fn check_membership_change(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    group: GroupId,
    employee: EmployeeId,
) -> Result<(), DomainError> {
    let found = find(db, tenant, group).await?;
    let member = employees::find_by_id(db, tenant, employee).await?;
    access::check_may_change_group(db, actor, tenant, group, &found.name).await?;
    access::check_may_manage(db, actor, &member).await
}

fn known(keys: &[&str]) -> Result<Vec<&'static str>, DomainError> {
    keys.iter()
        .map(|key| permissions::find(key).map(|p| p.key))
        .collect()
}
