//! One exchange call from its typed form to its answer: `checkauth` signs in, every other call
//! is authorised and handed to the catalog's or the orders' modes. Transport-free: the HTTP
//! handler builds a [`Request`], renders the [`Reply`] and records what the call did.

use bytes::Bytes;
use futures_util::Stream;
use vitrina_store::{Db, Tenant, TenantId, now_millis};

use super::{
    COOKIE, Call, Caller, Credentials, KeyedLocks, Kind, Mode, authorize, catalog, sale, sign_in,
};
use crate::domain::DomainError;
use crate::domain::limiter::FailureLimiter;
use crate::domain::settings::Settings;
use crate::files::Files;
use crate::queue::Queue;

/// The bytes a call uploads: any stream of chunks (the request body, in the server).
pub trait Upload: Stream<Item = Result<Bytes, Self::Error>> + Unpin + Send {
    type Error: std::error::Error + Send + Sync + 'static;
}

impl<S, E> Upload for S
where
    S: Stream<Item = Result<Bytes, E>> + Unpin + Send,
    E: std::error::Error + Send + Sync + 'static,
{
    type Error = E;
}

/// A refusal the client shows its user.
pub(super) fn refuse(message: crate::i18n::Message) -> DomainError {
    DomainError::Invalid(message)
}

/// What a call needs of the service.
#[derive(Clone, Copy)]
pub struct Services<'a> {
    pub db: &'a Db,
    pub files: &'a Files,
    pub queue: &'a Queue,
    /// Uploads to one batch take turns.
    pub upload_locks: &'a KeyedLocks<(TenantId, i64)>,
    /// Failed exchange sign-ins.
    pub failures: &'a FailureLimiter,
}

/// A call as the client made it, the transport stripped.
pub struct Request<B> {
    pub call: Call,
    /// `filename=`, as sent.
    pub filename: Option<String>,
    /// The session token (our cookie, or `sessid=`).
    pub session: Option<String>,
    /// Basic credentials, which MoySklad repeats on every call.
    pub credentials: Option<Credentials>,
    pub client_ip: String,
    /// The uploaded bytes (`file`).
    pub body: B,
}

/// What the history records of a call besides its outcome.
#[derive(Debug, Default)]
pub struct Record {
    /// The employee who made it, once known.
    pub employee: Option<String>,
    /// What the call is filed under: the session (or the employee, for Basic-only clients).
    pub exchange_key: String,
    /// Bytes received.
    pub bytes: Option<i64>,
    /// The answer's line, or what was done.
    pub message: Option<String>,
}

/// A call's answer.
#[derive(Debug)]
pub struct Reply {
    /// `true` for `progress` (the client asks again), `false` for a success.
    pub in_progress: bool,
    pub body: Body,
    /// A session `checkauth` opened: its token, to set as a cookie too.
    pub session: Option<String>,
}

/// An answer's body.
#[derive(Debug)]
pub enum Body {
    /// Plain text lines.
    Text(String),
    /// An orders document, in the named character set.
    Document {
        bytes: Vec<u8>,
        charset: &'static str,
    },
}

impl Reply {
    /// `success` followed by `lines`.
    pub(super) fn success(lines: &[&str]) -> Self {
        let mut text = String::from("success\n");
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        Self::text(text)
    }

    /// Lines as they are (`init`'s answer has no status line).
    pub(super) fn text(text: String) -> Self {
        Self {
            in_progress: false,
            body: Body::Text(text),
            session: None,
        }
    }

    /// `progress` with what is happening.
    pub(super) fn progress(line: &str) -> Self {
        Self {
            in_progress: true,
            ..Self::text(format!("progress\n{line}\n"))
        }
    }
}

/// Answers one call for `tenant`, filling `record` as it learns who called and what was done.
/// Every refusal is a [`DomainError`] whose message the client shows its user.
#[tracing::instrument(skip_all, fields(tenant = %tenant.slug, kind = %request.call.kind, mode = %request.call.mode))]
pub async fn handle(
    services: Services<'_>,
    tenant: &Tenant,
    request: Request<impl Upload>,
    record: &mut Record,
) -> Result<Reply, DomainError> {
    let Services { db, failures, .. } = services;
    let ip = request.client_ip.as_str();
    if request.call.mode == Mode::CheckAuth {
        let signed_in = sign_in(db, failures, tenant, request.credentials, ip).await?;
        tracing::info!(employee = %signed_in.employee.email, "exchange checkauth");
        record.exchange_key = signed_in.session_key.clone();
        record.employee = Some(signed_in.employee.email.clone());
        let token = signed_in.token;
        let timestamp = now_millis() / 1000;
        let sessid = format!("sessid={token}");
        let timestamp = format!("timestamp={timestamp}");
        return Ok(Reply {
            session: Some(token.clone()),
            ..Reply::success(&[COOKIE, &token, &sessid, &timestamp])
        });
    }
    let caller = authorize(
        db,
        failures,
        tenant,
        request.session.as_deref(),
        request.credentials,
        ip,
    )
    .await?;
    record.exchange_key = caller.batch_key.clone();
    record.employee = Some(caller.employee.email.clone());
    let settings = Settings::load(db, tenant.id).await?;
    let authorised = Authorised {
        tenant: tenant.id,
        caller: &caller,
        settings: &settings,
        filename: request.filename.as_deref(),
    };
    let mode = request.call.mode;
    match request.call.kind {
        Kind::Catalog => catalog::answer(services, authorised, mode, request.body, record).await,
        Kind::Sale => sale::answer(services, authorised, mode, request.body, record).await,
    }
}

/// A call past sign-in: whose, for which shop, under which settings.
#[derive(Clone, Copy)]
pub(super) struct Authorised<'a> {
    pub tenant: TenantId,
    pub caller: &'a Caller,
    pub settings: &'a Settings,
    /// `filename=`, as sent.
    pub filename: Option<&'a str>,
}
