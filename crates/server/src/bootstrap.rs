//! Opening Vitrina's storage the same way for `serve` and for every CLI command, and the
//! first-start seeding of the demo tenant.

use std::path::{Path, PathBuf};

use anyhow::Context;
use vitrina_store::Db;

use crate::domain::employees;
use crate::domain::password;
use crate::files::Files;

/// The slug of the tenant created on first start.
pub const DEMO_SLUG: &str = "demo";
/// Its owner's login.
pub const DEMO_ADMIN_EMAIL: &str = "admin@demo.localhost";

/// Where data lives: a folder (SQLite file and uploads) and optionally a database URL.
#[derive(Debug, Clone)]
pub struct StorageConfig {
    /// `--data-dir`: files, and the SQLite database unless a URL is given.
    pub data_dir: PathBuf,
    /// `--database-url`: PostgreSQL (or another SQLite file) instead of the default.
    pub database_url: Option<String>,
    /// How many imports this process may run at once (sizes the imports' pool).
    pub import_workers: u32,
    /// `--storage-url`: where files live instead of `data_dir/files` (`s3://bucket/prefix`).
    pub storage_url: Option<String>,
}

/// Connections for requests and commands.
const REQUEST_CONNECTIONS: u32 = 10;

/// Open storage, migrated and ready.
#[derive(Debug, Clone)]
pub struct Storage {
    /// The database, for requests and commands.
    pub db: Db,
    /// The same database through a pool of its own, for imports: a running import holds a
    /// connection for its whole length, and requests must never wait behind it.
    pub imports: Db,
    /// The file store.
    pub files: Files,
}

impl StorageConfig {
    /// Creates the data folder if needed, connects and migrates.
    pub async fn open(&self) -> anyhow::Result<Storage> {
        std::fs::create_dir_all(&self.data_dir)
            .with_context(|| format!("creating the data folder {}", self.data_dir.display()))?;
        let open = |connections| async move {
            match &self.database_url {
                Some(url) => Db::connect_sized(url, connections).await,
                None => Db::open_sqlite_sized(&sqlite_path(&self.data_dir), connections).await,
            }
        };
        let db = open(REQUEST_CONNECTIONS).await?;
        db.migrate().await?;
        // Each import holds one connection and briefly takes another; workers renew leases.
        let imports = open(self.import_workers.saturating_mul(2) + 2).await?;
        let files = Files::open(self.storage_url.as_deref(), &self.data_dir)?;
        Ok(Storage { db, imports, files })
    }
}

fn sqlite_path(data_dir: &Path) -> PathBuf {
    data_dir.join("vitrina.db")
}

/// The demo owner's credentials, returned once by [`seed_demo_tenant`].
#[derive(Debug)]
pub struct SeededAdmin {
    /// Login.
    pub email: String,
    /// The password (random unless `VITRINA_ADMIN_PASSWORD` was set).
    pub password: String,
}

/// On a database that has never had a tenant: creates `demo`, makes it the default and gives
/// it an owner with `password` (a random one when `None`). Returns the owner's credentials the
/// one time it does so.
pub async fn seed_demo_tenant(
    db: &Db,
    password: Option<String>,
) -> anyhow::Result<Option<SeededAdmin>> {
    if db.default_tenant_slug().await?.is_some() || !db.list_tenants().await?.is_empty() {
        return Ok(None);
    }
    let password = password
        .filter(|p| !p.is_empty())
        .unwrap_or_else(password::generate);
    let email = employees::Email::parse(DEMO_ADMIN_EMAIL)?;
    let hash = password::hash(&password).await?;
    let owner = vitrina_store::NewEmployee {
        email: email.as_str(),
        email_key: email.key(),
        name: "Администратор",
        password_hash: &hash,
        admin_access: true,
        is_owner: true,
    };
    let seeded = db
        .seed_default_tenant(DEMO_SLUG, "Демо-магазин", &owner)
        .await?;
    Ok(seeded.map(|_| SeededAdmin {
        email: email.as_str().to_owned(),
        password,
    }))
}
