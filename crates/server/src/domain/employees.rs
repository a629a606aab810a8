//! Employees: creation with a checked password, sign-in checks, blocking.

use vitrina_store::{Db, Employee, EmployeeId, NewEmployee, StoreError, TenantId};

use crate::domain::access::{self, Actor, Change};
use crate::domain::limiter::FailureLimiter;
use crate::domain::{DomainError, StoreResultExt, input, password};
use crate::i18n::Message;

/// An email address as typed, and the case-folded key it is unique by within a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    typed: String,
    key: String,
}

impl Email {
    /// A plausible address: one `@`, something on both sides, no spaces, a sane length.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let typed = raw.trim();
        let plausible = match typed.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
            }
            None => false,
        };
        if !plausible
            || typed.len() > 254
            || typed.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(DomainError::Invalid(Message::InvalidEmail {
                email: raw.to_owned(),
            }));
        }
        Ok(Self {
            typed: typed.to_owned(),
            key: typed.to_lowercase(),
        })
    }

    /// The address as typed (trimmed).
    pub fn as_str(&self) -> &str {
        &self.typed
    }

    /// The case-folded form.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// Longest display name, in characters.
const MAX_NAME: usize = 200;

/// What the CLI or the admin panel supplies to create an employee.
#[derive(Debug, Clone, Copy)]
pub struct NewEmployeeInput<'a> {
    /// Email as typed.
    pub email: &'a str,
    /// Display name; defaults to the email.
    pub name: Option<&'a str>,
    /// Plain-text password, checked for strength and hashed here.
    pub password: &'a str,
    /// "Доступ в админ панель".
    pub admin_access: bool,
    /// Only the tenant's first employee, created with the tenant, is its owner.
    pub is_owner: bool,
}

/// Validates, hashes and stores a new employee.
pub async fn create(
    db: &Db,
    tenant: TenantId,
    input: NewEmployeeInput<'_>,
) -> Result<Employee, DomainError> {
    let email = Email::parse(input.email)?;
    password::check_strength(input.password)?;
    let password_hash = password::hash(input.password).await?;
    let name = input
        .name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .unwrap_or(email.as_str());
    input::line("name", name, MAX_NAME)?;
    let new = NewEmployee {
        email: email.as_str(),
        email_key: email.key(),
        name,
        password_hash: &password_hash,
        admin_access: input.admin_access,
        is_owner: input.is_owner,
    };
    db.create_employee(tenant, &new)
        .await
        .or_conflict(|| Message::EmailTaken {
            email: email.as_str().to_owned(),
        })
}

/// The employee of `tenant` with this email (any case).
pub async fn find(db: &Db, tenant: TenantId, email: &str) -> Result<Employee, DomainError> {
    let unknown = || Message::UnknownEmployee {
        email: email.to_owned(),
    };
    let email = Email::parse(email).map_err(|_| DomainError::NotFound(unknown()))?;
    db.find_employee_by_email(tenant, email.key())
        .await
        .or_not_found(unknown)
}

/// The employee of `tenant` with this id.
pub async fn find_by_id(
    db: &Db,
    tenant: TenantId,
    id: EmployeeId,
) -> Result<Employee, DomainError> {
    db.find_employee(tenant, id)
        .await
        .or_not_found(|| Message::UnknownEmployee {
            email: format!("#{}", id.0),
        })
}

/// Renames an employee and sets their admin-panel access, as `actor` (see [`access`]). Nobody
/// takes their own access or the owner's away: the shop would lose its way into the panel.
/// Losing access ends the employee's sessions.
pub async fn update(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    id: EmployeeId,
    name: &str,
    admin_access: bool,
) -> Result<Employee, DomainError> {
    let employee = find_by_id(db, tenant, id).await?;
    access::check_may_manage(db, actor, &employee).await?;
    let employee_actor = matches!(actor, Actor::Employee(_));
    if employee_actor && !admin_access && (employee.is_owner || is_self(actor, id)) {
        return Err(DomainError::Invalid(Message::CannotLockOut));
    }
    if !admin_access && employee.admin_access {
        access::check_someone_keeps_access(db, actor, tenant, Change::Disable(id)).await?;
    }
    let name = name.trim();
    let name = if name.is_empty() {
        employee.email.as_str()
    } else {
        name
    };
    input::line("name", name, MAX_NAME)?;
    db.update_employee(tenant, id, name, admin_access).await?;
    if !admin_access {
        access::end_sessions(db, actor, tenant, &[id]).await?;
    }
    find_by_id(db, tenant, id).await
}

fn is_self(actor: Actor<'_>, id: EmployeeId) -> bool {
    matches!(actor, Actor::Employee(user) if user.employee.id == id)
}

/// Blocks or unblocks an employee as `actor`, under the same rules as [`update`]. Blocking
/// ends their sessions; unblocking revives none.
pub async fn set_blocked(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    id: EmployeeId,
    blocked: bool,
) -> Result<Employee, DomainError> {
    let employee = find_by_id(db, tenant, id).await?;
    access::check_may_manage(db, actor, &employee).await?;
    let employee_actor = matches!(actor, Actor::Employee(_));
    if employee_actor && blocked && (employee.is_owner || is_self(actor, id)) {
        return Err(DomainError::Invalid(Message::CannotLockOut));
    }
    if blocked {
        access::check_someone_keeps_access(db, actor, tenant, Change::Disable(id)).await?;
    }
    db.set_employee_blocked(tenant, id, blocked).await?;
    if blocked {
        access::end_sessions(db, actor, tenant, &[id]).await?;
    }
    Ok(employee)
}

/// Replaces an employee's password after checking its strength, as `actor`; every other
/// session of theirs ends.
pub async fn set_password(
    db: &Db,
    actor: Actor<'_>,
    tenant: TenantId,
    id: EmployeeId,
    new_password: &str,
) -> Result<(), DomainError> {
    let employee = find_by_id(db, tenant, id).await?;
    access::check_may_manage(db, actor, &employee).await?;
    password::check_strength(new_password)?;
    let hash = password::hash(new_password).await?;
    db.set_employee_password(tenant, employee.id, &hash).await?;
    access::end_sessions(db, actor, tenant, &[id]).await?;
    Ok(())
}

/// The employee whose email and password these are, or `None`. Costs one Argon2 verification
/// whether or not the email exists, so timing does not reveal which emails are registered.
/// Says nothing about blocking or access: callers check those only after the password matched.
pub async fn verify_credentials(
    db: &Db,
    tenant: TenantId,
    email: &str,
    password: &str,
) -> Result<Option<Employee>, DomainError> {
    let found = match Email::parse(email) {
        Ok(email) => match db.find_employee_by_email(tenant, email.key()).await {
            Ok(employee) => Some(employee),
            Err(StoreError::NotFound) => None,
            Err(err) => return Err(err.into()),
        },
        Err(_) => None,
    };
    match found {
        Some(employee) => {
            let matched = password::verify(password, &employee.password_hash).await?;
            Ok(matched.then_some(employee))
        }
        None => {
            password::verify_nothing(password).await?;
            Ok(None)
        }
    }
}

/// [`verify_credentials`] behind the failed-sign-in limiter, for the exchange's Basic auth
/// and the panel's form alike (see [`FailureLimiter`] for the rules): too many attempts from
/// the address are refused before any password is checked, and only failures stay counted.
pub async fn verify_limited(
    db: &Db,
    limiter: &FailureLimiter,
    tenant: TenantId,
    email: &str,
    password: &str,
    client_ip: &str,
) -> Result<Employee, DomainError> {
    let Some(attempt) = limiter.begin(db, tenant, email, client_ip).await? else {
        return Err(DomainError::Invalid(Message::ExchangeTooManyAttempts));
    };
    let verified = verify_credentials(db, tenant, email, password).await?;
    limiter.settle(db, attempt, verified.is_some()).await?;
    verified.ok_or(DomainError::Invalid(Message::ExchangeWrongCredentials))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_folded() {
        let email = Email::parse("  Ivan.Petrov@Shop.RU ").unwrap();
        assert_eq!(email.as_str(), "Ivan.Petrov@Shop.RU");
        assert_eq!(email.key(), "ivan.petrov@shop.ru");
        assert_eq!(
            Email::parse("ИВАН@почта.рф").unwrap().key(),
            "иван@почта.рф"
        );
        for bad in [
            "",
            "ivan",
            "@shop.ru",
            "ivan@",
            "iv an@shop.ru",
            "a@b@c",
            "ivan@.ru",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }
}
