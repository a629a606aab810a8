//! Who may manage whom. The rule: an employee may edit, block, set the password of, or change
//! the groups of only employees whose permissions are a subset of their own; only the owner
//! touches the owner; nobody grants a permission they do not hold, or changes a group (its
//! permissions or its members) that holds more than they do. The operator (the CLI) is
//! unrestricted. No change may leave the shop without an active employee who can manage
//! access rights.
//!
//! And when rights shrink, sessions end: a password change, blocking, losing panel access or
//! a permission ends the employee's other admin and exchange sessions at once, so nothing an
//! attacker held survives, and unblocking revives nothing.

use std::collections::{BTreeSet, HashMap};

use vitrina_store::{Db, Employee, EmployeeId, GroupId, TenantId};

use crate::domain::DomainError;
use crate::domain::admin_auth::AdminUser;
use crate::domain::permissions::{self, PermissionSet, SETTINGS_ACCESS};
use crate::i18n::Message;

/// Who asks for a change of people or rights.
#[derive(Debug, Clone, Copy)]
pub enum Actor<'a> {
    /// The server's operator, through the CLI: unrestricted.
    Operator,
    /// A signed-in employee, bound by the rule.
    Employee(&'a AdminUser),
}

impl Actor<'_> {
    /// The session to keep when sessions end: the actor's own (it can only be theirs).
    fn own_session(&self) -> Option<&str> {
        match self {
            Self::Employee(user) => Some(&user.session_hash),
            Self::Operator => None,
        }
    }

    /// Whether the actor holds every permission of `keys`.
    fn holds_all<'k>(&self, mut keys: impl Iterator<Item = &'k str>) -> bool {
        match self {
            Self::Operator => true,
            Self::Employee(user) => keys.all(|key| user.permissions.keys().any(|k| k == key)),
        }
    }
}

/// The permissions an employee's groups grant, whatever their flags say (all for the owner):
/// what they would hold once unblocked or given panel access again.
pub async fn granted(db: &Db, employee: &Employee) -> Result<PermissionSet, DomainError> {
    let mut unrestricted = employee.clone();
    unrestricted.blocked = false;
    unrestricted.admin_access = true;
    permissions::effective(db, &unrestricted).await
}

/// Refuses unless `actor` may manage `target` (see the module's rule).
pub async fn check_may_manage(
    db: &Db,
    actor: Actor<'_>,
    target: &Employee,
) -> Result<(), DomainError> {
    let Actor::Employee(user) = actor else {
        return Ok(());
    };
    if user.employee.id == target.id {
        return Ok(());
    }
    if target.is_owner {
        return Err(DomainError::Invalid(Message::OwnerOnly));
    }
    let theirs = granted(db, target).await?;
    if !actor.holds_all(theirs.keys()) {
        return Err(DomainError::Invalid(Message::ExceedsOwnRights {
            name: target.name.clone(),
        }));
    }
    Ok(())
}

/// Refuses unless `actor` holds every permission `keys` names.
pub fn check_may_grant(actor: Actor<'_>, keys: &[&str]) -> Result<(), DomainError> {
    match keys
        .iter()
        .find(|key| !actor.holds_all(std::iter::once(**key)))
    {
        None => Ok(()),
        Some(key) => Err(DomainError::Invalid(Message::GrantNotHeld {
            permission: permissions::find(key)
                .map(|p| p.label(crate::i18n::Lang::Ru).to_owned())
                .unwrap_or_else(|_| (*key).to_owned()),
        })),
    }
}

/// Refuses unless `actor` holds every permission the group holds now.
pub async fn check_may_change_group(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    group: GroupId,
    name: &str,
) -> Result<(), DomainError> {
    let held = db.group_permissions(tenant, group).await?;
    if actor.holds_all(held.iter().map(String::as_str)) {
        Ok(())
    } else {
        Err(DomainError::Invalid(Message::GroupExceedsRights {
            name: name.to_owned(),
        }))
    }
}

/// A change of rights about to be made, to check that someone keeps "Права доступа".
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// The group will hold exactly these permissions.
    GroupPermissions(GroupId, &'a [&'a str]),
    /// The employee leaves the group.
    LeaveGroup(GroupId, EmployeeId),
    /// The employee is blocked or loses panel access.
    Disable(EmployeeId),
}

/// Refuses an employee's change after which no active employee with panel access could
/// manage access rights: the shop would be locked out of its own settings. (The operator
/// can always mend things from the command line, and is not held back.)
pub async fn check_someone_keeps_access(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    change: Change<'_>,
) -> Result<(), DomainError> {
    if matches!(actor, Actor::Operator) {
        return Ok(());
    }
    let mut groups: HashMap<EmployeeId, BTreeSet<GroupId>> = HashMap::new();
    let mut grants: HashMap<GroupId, BTreeSet<String>> = HashMap::new();
    for (employee, group, permission) in db.all_grants(tenant).await? {
        groups.entry(employee).or_default().insert(group);
        grants.entry(group).or_default().insert(permission);
    }
    if let Change::GroupPermissions(group, keys) = change {
        grants.insert(group, keys.iter().map(|k| (*k).to_owned()).collect());
    }
    let keeps = db.list_employees(tenant).await?.into_iter().any(|e| {
        let disabled = matches!(change, Change::Disable(id) if id == e.id);
        if e.blocked || !e.admin_access || disabled {
            return false;
        }
        e.is_owner
            || groups.get(&e.id).into_iter().flatten().any(|group| {
                let left = matches!(change, Change::LeaveGroup(g, id) if g == *group && id == e.id);
                !left
                    && grants
                        .get(group)
                        .is_some_and(|keys| keys.contains(SETTINGS_ACCESS.key))
            })
    });
    if keeps {
        Ok(())
    } else {
        Err(DomainError::Invalid(Message::LastAccessHolder))
    }
}

/// Ends the admin and exchange sessions of `employees`, except the actor's own.
pub async fn end_sessions(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    employees: &[EmployeeId],
) -> Result<(), DomainError> {
    let ended = db
        .end_sessions(tenant, employees, actor.own_session())
        .await?;
    if ended > 0 {
        tracing::info!(ended, "sessions ended: rights changed");
    }
    Ok(())
}
