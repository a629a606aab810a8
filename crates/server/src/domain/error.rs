//! The domain layer's one error type. Every variant but `Internal` carries the message that
//! tells a person what to do; the HTTP and CLI layers only choose how to show it.

use vitrina_store::StoreError;

use crate::i18n::Message;

/// What went wrong, sorted by what the caller should do about it.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The input breaks a rule (bad slug, weak password, unknown setting, ...).
    #[error("{0}")]
    Invalid(Message),
    /// The thing named does not exist (for this tenant).
    #[error("{0}")]
    NotFound(Message),
    /// The thing exists already.
    #[error("{0}")]
    Conflict(Message),
    /// A failure of ours (database down, disk full): logged, never shown in detail.
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl DomainError {
    /// What to tell the person who caused it.
    pub fn message(&self) -> Message {
        match self {
            Self::Invalid(m) | Self::NotFound(m) | Self::Conflict(m) => m.clone(),
            Self::Internal(_) => Message::Internal,
        }
    }
}

impl From<StoreError> for DomainError {
    fn from(err: StoreError) -> Self {
        Self::Internal(err.into())
    }
}

/// Names the store's `NotFound` and `Conflict` in the caller's terms.
pub trait StoreResultExt<T> {
    /// `NotFound` becomes [`DomainError::NotFound`] with this message.
    fn or_not_found(self, message: impl FnOnce() -> Message) -> Result<T, DomainError>;
    /// `Conflict` becomes [`DomainError::Conflict`] with this message.
    fn or_conflict(self, message: impl FnOnce() -> Message) -> Result<T, DomainError>;
}

impl<T> StoreResultExt<T> for Result<T, StoreError> {
    fn or_not_found(self, message: impl FnOnce() -> Message) -> Result<T, DomainError> {
        self.map_err(|err| match err {
            StoreError::NotFound => DomainError::NotFound(message()),
            other => other.into(),
        })
    }

    fn or_conflict(self, message: impl FnOnce() -> Message) -> Result<T, DomainError> {
        self.map_err(|err| match err {
            StoreError::Conflict => DomainError::Conflict(message()),
            other => other.into(),
        })
    }
}
