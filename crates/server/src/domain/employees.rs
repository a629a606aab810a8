//! Employees: creation with a checked password, sign-in checks, blocking.

use vitrina_store::{Db, Employee, EmployeeId, NewEmployee, StoreError, TenantId};

use crate::domain::limiter::FailureLimiter;
use crate::domain::{DomainError, StoreResultExt, password};
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

/// Renames an employee and sets their admin-panel access, as `by` (who may not take their own
/// access or the owner's away: the shop would lose its way into the panel).
pub async fn update(
    db: &Db,
    by: &Employee,
    id: EmployeeId,
    name: &str,
    admin_access: bool,
) -> Result<Employee, DomainError> {
    let employee = find_by_id(db, by.tenant_id, id).await?;
    if !admin_access && (employee.is_owner || employee.id == by.id) {
        return Err(DomainError::Invalid(Message::CannotLockOut));
    }
    let name = name.trim();
    let name = if name.is_empty() {
        employee.email.as_str()
    } else {
        name
    };
    db.update_employee(by.tenant_id, id, name, admin_access)
        .await?;
    find_by_id(db, by.tenant_id, id).await
}

/// Blocks or unblocks an employee as `by`, under the same rule as [`update`].
pub async fn set_blocked_by(
    db: &Db,
    by: &Employee,
    id: EmployeeId,
    blocked: bool,
) -> Result<Employee, DomainError> {
    let employee = find_by_id(db, by.tenant_id, id).await?;
    if blocked && (employee.is_owner || employee.id == by.id) {
        return Err(DomainError::Invalid(Message::CannotLockOut));
    }
    db.set_employee_blocked(by.tenant_id, id, blocked).await?;
    Ok(employee)
}

/// Replaces an employee's password after checking its strength.
pub async fn set_password(
    db: &Db,
    tenant: TenantId,
    email: &str,
    new_password: &str,
) -> Result<(), DomainError> {
    let employee = find(db, tenant, email).await?;
    password::check_strength(new_password)?;
    let hash = password::hash(new_password).await?;
    db.set_employee_password(tenant, employee.id, &hash).await?;
    Ok(())
}

/// Blocks (`true`) or unblocks an employee.
pub async fn set_blocked(
    db: &Db,
    tenant: TenantId,
    email: &str,
    blocked: bool,
) -> Result<(), DomainError> {
    let employee = find(db, tenant, email).await?;
    db.set_employee_blocked(tenant, employee.id, blocked)
        .await?;
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
/// and the panel's form alike: too many failures from the address or for the account are
/// refused before any password is checked, and only failures count.
pub async fn verify_limited(
    db: &Db,
    limiter: &FailureLimiter,
    tenant: TenantId,
    email: &str,
    password: &str,
    client_ip: &str,
) -> Result<Employee, DomainError> {
    let ip_key = format!("ip:{client_ip}");
    let account_key = format!("account:{}:{}", tenant, email.trim().to_lowercase());
    if limiter.is_blocked(&ip_key) || limiter.is_blocked(&account_key) {
        return Err(DomainError::Invalid(Message::ExchangeTooManyAttempts));
    }
    match verify_credentials(db, tenant, email, password).await? {
        Some(employee) => Ok(employee),
        None => {
            limiter.fail(&ip_key);
            limiter.fail(&account_key);
            Err(DomainError::Invalid(Message::ExchangeWrongCredentials))
        }
    }
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
