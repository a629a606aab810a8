//! Throw-away databases for tests, on either backend (feature `testing`).
//!
//! SQLite: a fresh file in a temporary folder. PostgreSQL: a fresh schema in the database named
//! by `VITRINA_TEST_POSTGRES_URL`, selected through the connection's `search_path`, so tests run
//! in parallel without seeing each other. Without that variable the PostgreSQL variants of the
//! tests skip and say so once per test binary.

pub mod schema;

use std::io::Write;
use std::sync::Once;

use sqlx::Connection;

use crate::{Backend, Db};

/// The variable that names the PostgreSQL server (and database) tests may use.
pub const POSTGRES_URL_VAR: &str = "VITRINA_TEST_POSTGRES_URL";

/// A migrated, empty database that lives as long as this value.
pub struct TestDb {
    /// The pool.
    pub db: Db,
    /// A URL that reaches the same database, for starting the `vitrina` binary on it.
    pub url: String,
    /// Where SQLite's file lives (also usable as a data folder); a temporary folder for PostgreSQL.
    pub dir: tempfile::TempDir,
}

impl TestDb {
    /// A fresh database on `backend`, or `None` (after saying why) when PostgreSQL is not
    /// configured.
    pub async fn new(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => Some(Self::sqlite().await),
            Backend::Postgres => Self::postgres().await,
        }
    }

    /// A fresh SQLite database in a temporary folder.
    pub async fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("temporary folder");
        let path = dir.path().join("vitrina.db");
        let url = format!("sqlite://{}", path.display());
        let db = Db::open_sqlite(&path).await.expect("open SQLite");
        db.migrate().await.expect("migrate SQLite");
        Self { db, url, dir }
    }

    /// A fresh schema on the PostgreSQL server of `VITRINA_TEST_POSTGRES_URL`, or `None` when
    /// the variable is unset. Panics when it is set but the server cannot be used: a CI run
    /// that was meant to test PostgreSQL must not pass by skipping.
    pub async fn postgres() -> Option<Self> {
        let Ok(base) = std::env::var(POSTGRES_URL_VAR) else {
            say_postgres_skipped();
            return None;
        };
        let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
        let mut admin = sqlx::PgConnection::connect(&base)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_URL_VAR}={base} cannot be reached: {e}"));
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut admin)
            .await
            .expect("create test schema");
        admin.close().await.ok();
        let separator = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{separator}options[search_path]={schema}");
        let db = Db::connect(&url).await.expect("connect to the test schema");
        db.migrate().await.expect("migrate PostgreSQL");
        let dir = tempfile::tempdir().expect("temporary folder");
        Some(Self { db, url, dir })
    }
}

fn say_postgres_skipped() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // Written past the test harness's capture on purpose: a skip must be visible.
        let _ = writeln!(
            std::io::stderr(),
            "PostgreSQL tests skipped: {POSTGRES_URL_VAR} is not set \
             (e.g. postgres://postgres@127.0.0.1:5432/postgres)"
        );
    });
}

/// Declares one async test per backend: `NAME::sqlite` and `NAME::postgres`, each handed a
/// fresh [`TestDb`]. The PostgreSQL one skips when `VITRINA_TEST_POSTGRES_URL` is unset.
///
/// ```ignore
/// db_test!(async fn creates_a_tenant(t) {
///     t.db.create_tenant("shop", "Shop").await.unwrap();
/// });
/// ```
#[macro_export]
macro_rules! db_test {
    (async fn $name:ident($t:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let $t = $crate::testing::TestDb::sqlite().await;
                $body
            }

            #[tokio::test]
            async fn postgres() {
                let Some($t) = $crate::testing::TestDb::postgres().await else {
                    return;
                };
                $body
            }
        }
    };
}
