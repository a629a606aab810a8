//! Connecting to either backend and migrating it.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::StoreError;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// A connection pool to one of the two supported backends. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    /// Embedded SQLite (WAL mode).
    Sqlite(SqlitePool),
    /// PostgreSQL.
    Postgres(PgPool),
}

impl Db {
    /// Opens (creating if needed) the SQLite database at `path`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn open_sqlite(path: &Path) -> Result<Self, StoreError> {
        Self::open_sqlite_sized(path, 8).await
    }

    /// Like [`Db::open_sqlite`], with at most `connections` connections.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn open_sqlite_sized(path: &Path, connections: u32) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // The default 2 MB page cache makes a large import re-read its own pages from the
            // WAL with a system call each; 12 MB keeps the hot pages of a 100k-product catalog
            // while an import stays under 150 MB (scripts/bench-import).
            .pragma("cache_size", "-12000")
            // Catalog rows are half a kilobyte and more: 16 KB pages (for new databases) keep
            // B-trees shallower and a 100k-product import about a tenth faster than 4 KB ones.
            .page_size(16384);
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await?;
        Ok(Self::Sqlite(pool))
    }

    /// Connects to a database named by URL: `postgres://…`, `postgresql://…` or `sqlite:…`.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_sized(url, 10).await
    }

    /// Like [`Db::connect`], with at most `connections` connections.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn connect_sized(url: &str, connections: u32) -> Result<Self, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(connections)
                .connect_with(options)
                .await?;
            Ok(Self::Postgres(pool))
        } else if let Some(path) = url
            .strip_prefix("sqlite://")
            .or(url.strip_prefix("sqlite:"))
        {
            Self::open_sqlite_sized(Path::new(path), connections).await
        } else {
            Err(StoreError::BadUrl(redact_password(url)))
        }
    }

    /// Brings the schema up to date. Safe to run from several processes at once.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(pool) => SQLITE_MIGRATIONS.run(pool).await?,
            Db::Postgres(pool) => POSTGRES_MIGRATIONS.run(pool).await?,
        }
        Ok(())
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Closes every pooled connection, waiting for checked-out ones to come back.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await);
    }

    /// A trivial round trip, for health checks.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))?;
        Ok(())
    }

    /// The pool's connections: (open, idle).
    pub fn connections(&self) -> (u32, u32) {
        with_pool!(self, pool => (pool.size(), u32::try_from(pool.num_idle()).unwrap_or(u32::MAX)))
    }
}

/// A URL fit for an error message: the password, if any, replaced by `***`.
fn redact_password(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_the_password_of_a_url() {
        assert_eq!(
            redact_password("mysql://u:secret@h/db"),
            "mysql://u:***@h/db"
        );
        assert_eq!(redact_password("mysql://u@h/db"), "mysql://u@h/db");
        assert_eq!(redact_password("nonsense"), "nonsense");
    }

    /// The two migration folders must list the same versions, or the backends drift apart.
    #[test]
    fn both_backends_have_the_same_migrations() {
        let versions = |m: &sqlx::migrate::Migrator| -> Vec<(i64, String)> {
            m.iter()
                .map(|m| (m.version, m.description.to_string()))
                .collect()
        };
        assert!(SQLITE_MIGRATIONS.iter().count() > 0);
        assert_eq!(versions(&SQLITE_MIGRATIONS), versions(&POSTGRES_MIGRATIONS));
    }
}
