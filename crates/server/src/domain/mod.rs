//! The domain layer: the rules about tenants, employees, access and settings.
//!
//! The CLI and the HTTP handlers call these functions; they call the store. Input arrives here
//! unvalidated and leaves as typed values or a [`DomainError`] that carries a catalog message.

pub mod access;
pub mod admin_auth;
pub mod employees;
mod error;
pub mod groups;
pub mod input;
pub mod limiter;
pub mod password;
pub mod permissions;
pub mod settings;
pub mod tenants;
pub mod tokens;

pub use error::{DomainError, StoreResultExt};
