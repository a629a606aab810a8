//! Signing in to the admin panel: who may, the sessions it opens, and guessing damped per
//! client address and per account.

use std::time::Duration;

use vitrina_store::{Db, Employee, Tenant, now_millis};

use crate::domain::limiter::FailureLimiter;
use crate::domain::permissions::{self, PermissionSet};
use crate::domain::tokens::{new_token, token_hash};
use crate::domain::{DomainError, employees};
use crate::i18n::Message;

/// How long an admin session stays valid.
pub const SESSION_TTL: Duration = Duration::from_secs(12 * 60 * 60);

/// The admin panel's failed-sign-in limits.
pub fn failure_limiter() -> FailureLimiter {
    FailureLimiter::new("admin")
}

/// An employee signed in to the panel, with what they may do.
#[derive(Debug, Clone)]
pub struct AdminUser {
    pub employee: Employee,
    pub permissions: PermissionSet,
    /// The hash of this session's token (kept when the employee changes their own rights).
    pub session_hash: String,
}

/// Checks an email and password and opens a session; the token is for the cookie. One answer
/// for an unknown email and a wrong password; only once the password matched is the person
/// told that they are blocked or have no admin-panel access.
pub async fn sign_in(
    db: &Db,
    limiter: &FailureLimiter,
    tenant: &Tenant,
    email: &str,
    password: &str,
    client_ip: &str,
) -> Result<String, DomainError> {
    let employee =
        employees::verify_limited(db, limiter, tenant.id, email, password, client_ip).await?;
    if employee.blocked {
        return Err(DomainError::Invalid(Message::AdminBlocked));
    }
    if !employee.admin_access {
        return Err(DomainError::Invalid(Message::AdminNoAccess));
    }
    let token = new_token();
    let expires = now_millis() + SESSION_TTL.as_millis() as i64;
    db.create_admin_session(
        tenant.id,
        &token_hash(&token),
        employee.id,
        client_ip,
        expires,
    )
    .await?;
    tracing::info!(employee = %employee.email, "admin sign-in");
    Ok(token)
}

/// The employee behind a session cookie, if the session is valid and they may still use the
/// panel (blocking someone or taking their access ends their session at once).
pub async fn session_user(
    db: &Db,
    tenant: &Tenant,
    token: &str,
) -> Result<Option<AdminUser>, DomainError> {
    let session_hash = token_hash(token);
    let Some(id) = db.find_admin_session(tenant.id, &session_hash).await? else {
        return Ok(None);
    };
    let employee = db.find_employee(tenant.id, id).await?;
    if employee.blocked || !employee.admin_access {
        return Ok(None);
    }
    let permissions = permissions::effective(db, &employee).await?;
    Ok(Some(AdminUser {
        employee,
        permissions,
        session_hash,
    }))
}

/// Ends a session.
pub async fn sign_out(db: &Db, tenant: &Tenant, token: &str) -> Result<(), DomainError> {
    db.delete_admin_session(tenant.id, &token_hash(token))
        .await?;
    Ok(())
}
