//! The 1C / CommerceML exchange protocol apart from HTTP: calls parsed once into a typed
//! [`Call`], who may connect and the sessions `checkauth` hands out, and every mode's answer
//! ([`protocol::handle`]: the catalog's modes in `catalog`, the orders' in `sale`). Imports
//! themselves run as jobs of [`crate::queue`].

mod batch;
mod call;
mod catalog;
mod credentials;
mod locks;
pub mod protocol;
mod sale;
mod upload;

use std::time::Duration;

use vitrina_store::{Db, Employee, ExchangeImport, Tenant, now_millis};

pub use batch::prune_batches;
pub use call::{Call, Kind, Mode};
pub use credentials::Credentials;
pub use locks::KeyedLocks;
pub use upload::upload_name;

use crate::catalog::import::ImportReport;
use crate::domain::limiter::FailureLimiter;
use crate::domain::permissions::{self, COMMERCEML_IMPORT, PermissionSet};
use crate::domain::tokens::{new_token, token_hash};
use crate::domain::{DomainError, employees};
use crate::i18n::{Lang, Message};

/// The cookie name `checkauth` announces (letters, digits and `_` only: 1C and PHP-era clients
/// mangle other characters).
pub const COOKIE: &str = "VITRINA_EXCHANGE";

/// How long an exchange session stays valid.
const SESSION_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The exchange's failed-sign-in limits.
pub fn failure_limiter() -> FailureLimiter {
    FailureLimiter::new("exchange")
}

/// A session `checkauth` created: the token goes to the client, only its hash is stored.
#[derive(Debug)]
pub struct SignedIn {
    pub employee: Employee,
    pub token: String,
    /// What the session's calls are filed under (the token's hash).
    pub session_key: String,
}

fn refuse(message: Message) -> DomainError {
    DomainError::Invalid(message)
}

/// Checks the credentials of `checkauth` and opens a session. The same answer for an unknown
/// email and a wrong password; only once the password matched is the caller told that the
/// employee is blocked, lacks admin-panel access or lacks the permission.
pub async fn sign_in(
    db: &Db,
    limiter: &FailureLimiter,
    tenant: &Tenant,
    credentials: Option<Credentials>,
    client_ip: &str,
) -> Result<SignedIn, DomainError> {
    let (employee, _) = check_credentials(db, limiter, tenant, credentials, client_ip).await?;
    let token = new_token();
    let expires = now_millis() + SESSION_TTL.as_millis() as i64;
    let session_key = token_hash(&token);
    db.create_exchange_session(tenant.id, &session_key, employee.id, client_ip, expires)
        .await?;
    Ok(SignedIn {
        employee,
        token,
        session_key,
    })
}

/// What an exchange import did, as stored: its report when it finished, and the lines to show
/// (the report's summary and kept warnings, else what the client was told). The CLI's
/// `exchange show` and the panel's exchange page both print these.
pub fn stored_outcome(import: &ExchangeImport, lang: Lang) -> (Option<ImportReport>, Vec<String>) {
    let report = stored_report(import);
    let lines = match &report {
        Some(report) => report.details(lang),
        None => import.message.clone().into_iter().collect(),
    };
    (report, lines)
}

/// The report an exchange import stored when it finished.
pub fn stored_report(import: &ExchangeImport) -> Option<ImportReport> {
    import
        .report
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
}

/// Why a held file was held, as its job stored it.
pub fn stored_held(report: Option<&str>) -> Option<crate::catalog::import::Held> {
    report.and_then(|json| serde_json::from_str(json).ok())
}

/// Who made a later call, and the key its upload batches are filed under: the session, or
/// for a client that sends only Basic credentials, the employee.
#[derive(Debug)]
pub struct Caller {
    pub employee: Employee,
    /// What the employee may do (checked to hold the import permission).
    pub permissions: PermissionSet,
    pub batch_key: String,
}

/// The employee behind a later call: a valid session cookie is enough (no password hashing
/// per request); otherwise the Basic credentials MoySklad repeats on every call.
pub async fn authorize(
    db: &Db,
    limiter: &FailureLimiter,
    tenant: &Tenant,
    session_token: Option<&str>,
    credentials: Option<Credentials>,
    client_ip: &str,
) -> Result<Caller, DomainError> {
    if let Some(token) = session_token
        && let Some(session) = db
            .find_exchange_session(tenant.id, &token_hash(token))
            .await?
    {
        let employee = db.find_employee(tenant.id, session.employee_id).await?;
        // A blocked employee or a revoked right ends the session at once.
        let permissions = check_access(db, &employee).await?;
        return Ok(Caller {
            employee,
            permissions,
            batch_key: token_hash(token),
        });
    }
    if credentials.is_none() {
        return Err(refuse(Message::ExchangeNoSession));
    }
    let (employee, permissions) =
        check_credentials(db, limiter, tenant, credentials, client_ip).await?;
    let batch_key = format!("employee:{}", employee.id);
    Ok(Caller {
        employee,
        permissions,
        batch_key,
    })
}

async fn check_credentials(
    db: &Db,
    limiter: &FailureLimiter,
    tenant: &Tenant,
    credentials: Option<Credentials>,
    client_ip: &str,
) -> Result<(Employee, PermissionSet), DomainError> {
    let credentials = credentials.ok_or_else(|| refuse(Message::ExchangeNoCredentials))?;
    let Credentials { login, password } = &credentials;
    let employee =
        employees::verify_limited(db, limiter, tenant.id, login, password, client_ip).await?;
    let permissions = check_access(db, &employee).await?;
    Ok((employee, permissions))
}

/// The employee's permissions, if they may use the exchange at all.
async fn check_access(db: &Db, employee: &Employee) -> Result<PermissionSet, DomainError> {
    if employee.blocked {
        return Err(refuse(Message::ExchangeBlocked));
    }
    if !employee.admin_access {
        return Err(refuse(Message::ExchangeNoAdminAccess));
    }
    let permissions = permissions::effective(db, employee).await?;
    if !permissions.has(COMMERCEML_IMPORT) {
        return Err(refuse(Message::ExchangeNoPermission));
    }
    Ok(permissions)
}
