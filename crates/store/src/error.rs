//! The storage layer's one error type.

/// What can go wrong in storage, in terms the domain layer can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The row asked for does not exist (for this tenant).
    #[error("not found")]
    NotFound,
    /// A unique key already holds this value (a duplicate email, group name, host, slug).
    #[error("conflict with an existing row")]
    Conflict,
    /// The database URL is not one Vitrina can use.
    #[error("unsupported database URL: {0}")]
    BadUrl(String),
    /// Migrating the schema failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Any other database failure (connection lost, disk full, ...).
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict,
            _ => Self::Database(err),
        }
    }
}

/// Turns "no row" into `NotFound` for queries that fetch an optional row.
pub(crate) trait OrNotFound<T> {
    fn or_not_found(self) -> Result<T, StoreError>;
}

impl<T> OrNotFound<T> for Option<T> {
    fn or_not_found(self) -> Result<T, StoreError> {
        self.ok_or(StoreError::NotFound)
    }
}
