//! Vitrina's storage layer: every SQL statement the service runs lives here.
//!
//! One code path serves SQLite (the zero-setup default) and PostgreSQL. The pools are typed
//! ([`Db::Sqlite`], [`Db::Postgres`]); the private `with_pool!` and `write_tx!` macros expand a
//! single query body once per backend, so each SQL text is written once. Where a backend needs
//! its own statement, both versions sit side by side in the same function.
//!
//! Tenancy: every tenant-owned table carries `tenant_id`, every unique key includes it, and every
//! function on tenant data takes a [`TenantId`] first. This crate knows nothing about HTTP, the
//! CLI or validation rules; callers hand it values that are already valid.

#[macro_use]
mod macros;
#[macro_use]
mod words;

mod admin_sessions;
mod alerts;
mod catalog;
mod db;
mod employees;
mod error;
mod exchange;
mod groups;
mod held;
mod ids;
mod jobs;
mod orders;
mod settings;
mod sign_in;
mod tenants;
#[cfg(feature = "testing")]
pub mod testing;

pub use alerts::{AlertEvent, Channel, Delivery, Incident};
pub use catalog::*;
pub use db::{Backend, Db};
pub use employees::{Employee, NewEmployee};
pub use error::StoreError;
pub use exchange::{
    BatchId, CallOutcome, ExchangeImport, ExchangeJob, ExchangeSession, ExchangeSummary,
    InterruptedJob, LoggedCall, UploadTotals,
};
pub use groups::Group;
pub use held::HeldJob;
pub use ids::{EmployeeId, GroupId, TenantId};
pub use jobs::{ClaimScope, ClaimedJob, JobState};
pub use orders::{
    AccountingChange, CustomerKind, JourneyRow, JourneyStep, NewOrder, OrderEvent, OrderLineRow,
    OrderRow, OrderStatus, Origin, SiteStatus, StatusValue,
};
pub use tenants::Tenant;
pub use words::UnknownWord;

/// Milliseconds since the Unix epoch: the one time format of every `*_at` column.
pub fn now_millis() -> i64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
