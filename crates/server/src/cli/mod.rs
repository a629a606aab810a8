//! The `vitrina` command line: `serve` and the administration commands operators script.
//!
//! Every flag also reads a `VITRINA_*` environment variable. Every command opens the same
//! storage as `serve` (migrating an empty database first), whether or not a server runs.

mod admin;
mod alerts;
mod catalog;
mod exchange;
mod import;
mod serve;

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use ipnet::IpNet;

use crate::bootstrap::StorageConfig;
use crate::domain::DomainError;
use crate::i18n::{Lang, Message};

/// Vitrina: a shop's catalog, fed by MoySklad and 1C over CommerceML.
#[derive(Debug, Parser)]
#[command(name = "vitrina", version, about)]
pub struct Cli {
    /// Folder for the SQLite database and uploaded files.
    #[arg(
        long,
        env = "VITRINA_DATA_DIR",
        default_value = "vitrina-data",
        global = true
    )]
    pub data_dir: PathBuf,
    /// PostgreSQL URL (postgres://…); the SQLite file in the data folder when absent.
    #[arg(
        long,
        env = "VITRINA_DATABASE_URL",
        hide_env_values = true,
        global = true
    )]
    pub database_url: Option<String>,
    /// Where uploads, pictures and thumbnails live: s3://bucket/prefix (credentials and
    /// endpoint from the AWS_* variables) for several instances; the data folder when absent.
    #[arg(long, env = "VITRINA_STORAGE_URL", global = true)]
    pub storage_url: Option<String>,
    /// Language of messages: ru or en.
    #[arg(long, env = "VITRINA_LANG", default_value = "ru", global = true)]
    pub lang: Lang,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    fn storage(&self) -> StorageConfig {
        let import_workers = match &self.command {
            Command::Serve(args) => args.import_workers(),
            // Commands import in the foreground, one file at a time.
            _ => 1,
        };
        StorageConfig {
            data_dir: self.data_dir.clone(),
            database_url: self.database_url.clone(),
            import_workers,
            storage_url: self.storage_url.clone(),
        }
    }
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server.
    Serve(ServeArgs),
    /// Manage tenants (shops).
    #[command(subcommand)]
    Tenant(TenantCommand),
    /// Manage a tenant's employees.
    #[command(subcommand)]
    Employee(EmployeeCommand),
    /// Manage a tenant's user groups.
    #[command(subcommand)]
    Group(GroupCommand),
    /// Read and change a tenant's settings.
    #[command(subcommand)]
    Settings(SettingsCommand),
    /// Read the exchange history.
    #[command(subcommand)]
    Exchange(ExchangeCommand),
    /// The catalog's history of publishes, and rolling back to before one.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// A shop's alerts.
    #[command(subcommand)]
    Alerts(AlertsCommand),
    /// Apply CommerceML files, folders or zips to a tenant's catalog (no server needed).
    Import {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
        /// Files, folders or zip archives.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// No progress bar (it is drawn only on a terminal anyway).
        #[arg(long, env = "VITRINA_NO_PROGRESS")]
        no_progress: bool,
    },
}

/// `vitrina serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "VITRINA_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Tenants live at <slug>.<base-domain>.
    #[arg(long, env = "VITRINA_BASE_DOMAIN", default_value = "localhost")]
    pub base_domain: String,
    /// The tenant served on hosts no tenant claims (instead of the one stored at first start).
    #[arg(long, env = "VITRINA_DEFAULT_TENANT")]
    pub default_tenant: Option<String>,
    /// Networks (CIDR, comma-separated) whose X-Forwarded-For/-Proto headers are believed.
    #[arg(long, env = "VITRINA_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpNet>,
    /// The demo owner's password on first start (random when absent).
    #[arg(long, env = "VITRINA_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// Imports this instance runs at once (default: the number of cores); the rest wait in
    /// the queue, which every instance on the same database shares.
    #[arg(long, env = "VITRINA_IMPORT_WORKERS")]
    pub import_workers: Option<u32>,
    /// Where to serve /metrics (Prometheus text) for the operator, e.g. 127.0.0.1:9100; off
    /// when absent. Never served on the shops' address.
    #[arg(long, env = "VITRINA_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
}

impl ServeArgs {
    /// `--import-workers`, or the number of cores.
    pub fn import_workers(&self) -> u32 {
        self.import_workers.filter(|n| *n > 0).unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| u32::try_from(n.get()).unwrap_or(1))
                .unwrap_or(1)
        })
    }
}

/// `vitrina tenant …`.
#[derive(Debug, Subcommand)]
pub enum TenantCommand {
    /// Create a tenant.
    Create {
        /// [a-z0-9-], 1-63 characters: the tenant's host is <slug>.<base-domain>.
        slug: String,
        /// Display name (defaults to the slug).
        #[arg(long, env = "VITRINA_TENANT_NAME")]
        name: Option<String>,
        /// The owner's email: the employee who holds every permission. Their password is
        /// read from standard input with --password-stdin, else made up and printed once.
        #[arg(long, env = "VITRINA_OWNER_EMAIL")]
        owner_email: Option<String>,
        /// Read the owner's password from the first line of standard input.
        #[arg(long, requires = "owner_email")]
        password_stdin: bool,
    },
    /// List tenants: slug, name, own host names.
    List,
    /// Serve a tenant on a host name of its own as well.
    AddHost {
        /// The tenant.
        slug: String,
        /// e.g. shop.example.com
        host: String,
    },
}

/// Identifies an employee.
#[derive(Debug, Args)]
pub struct EmployeeRef {
    /// The tenant's slug.
    #[arg(long, env = "VITRINA_TENANT")]
    pub tenant: String,
    /// The employee's email (any case).
    #[arg(long, env = "VITRINA_EMAIL")]
    pub email: String,
}

/// A password given on the command line or on standard input.
#[derive(Debug, Args)]
#[group(required = true, multiple = false)]
pub struct PasswordSource {
    /// The password (visible to other users of this machine: prefer --password-stdin).
    #[arg(long, env = "VITRINA_PASSWORD", hide_env_values = true)]
    pub password: Option<String>,
    /// Read the password from the first line of standard input.
    #[arg(long, env = "VITRINA_PASSWORD_STDIN")]
    pub password_stdin: bool,
}

impl PasswordSource {
    /// A source that reads standard input.
    pub fn stdin() -> Self {
        Self {
            password: None,
            password_stdin: true,
        }
    }

    fn read(&self) -> anyhow::Result<String> {
        if let Some(password) = &self.password {
            return Ok(password.clone());
        }
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input)?;
        Ok(input.lines().next().unwrap_or_default().to_owned())
    }
}

/// `vitrina employee …`.
#[derive(Debug, Subcommand)]
pub enum EmployeeCommand {
    /// Create an employee.
    Create {
        #[command(flatten)]
        who: EmployeeRef,
        #[command(flatten)]
        password: PasswordSource,
        /// Display name (defaults to the email).
        #[arg(long, env = "VITRINA_EMPLOYEE_NAME")]
        name: Option<String>,
        /// "Доступ в админ панель": without it the employee has no permissions.
        #[arg(long, env = "VITRINA_ADMIN_ACCESS")]
        admin_access: bool,
    },
    /// List a tenant's employees.
    List {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
    },
    /// Replace an employee's password.
    SetPassword {
        #[command(flatten)]
        who: EmployeeRef,
        #[command(flatten)]
        password: PasswordSource,
    },
    /// Block an employee: no sign-in, no permissions.
    Block {
        #[command(flatten)]
        who: EmployeeRef,
    },
    /// Unblock an employee.
    Unblock {
        #[command(flatten)]
        who: EmployeeRef,
    },
}

/// `vitrina group …`.
#[derive(Debug, Subcommand)]
pub enum GroupCommand {
    /// Create a user group with permissions.
    Create {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
        /// Any name, e.g. МойСклад.
        #[arg(long, env = "VITRINA_GROUP")]
        name: String,
        /// A permission key, e.g. integrations.commerceml_import (repeatable).
        #[arg(
            long = "permission",
            env = "VITRINA_PERMISSIONS",
            value_delimiter = ','
        )]
        permissions: Vec<String>,
    },
    /// Add an employee to a group.
    AddMember(GroupMember),
    /// Take an employee out of a group (their sessions end).
    RemoveMember(GroupMember),
    /// Grant a group one more permission.
    Grant(GroupPermission),
    /// Take a permission from a group (its members' sessions end).
    Revoke(GroupPermission),
}

/// A group and one of the tenant's employees.
#[derive(Debug, Args)]
pub struct GroupMember {
    /// The tenant's slug.
    #[arg(long, env = "VITRINA_TENANT")]
    pub tenant: String,
    /// The group's name.
    #[arg(long, env = "VITRINA_GROUP")]
    pub group: String,
    /// The employee's email.
    #[arg(long, env = "VITRINA_EMAIL")]
    pub email: String,
}

/// A group and one permission key.
#[derive(Debug, Args)]
pub struct GroupPermission {
    /// The tenant's slug.
    #[arg(long, env = "VITRINA_TENANT")]
    pub tenant: String,
    /// The group's name.
    #[arg(long, env = "VITRINA_GROUP")]
    pub group: String,
    /// A permission key, e.g. integrations.commerceml_import.
    #[arg(long)]
    pub permission: String,
}

/// `vitrina exchange …`.
#[derive(Debug, Subcommand)]
pub enum ExchangeCommand {
    /// The newest exchanges: id, start, employee, client address, calls, failures, bytes.
    List {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
    },
    /// Apply again the files an exchange imported, from its kept upload.
    Rerun {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
        /// The exchange's id as `list` prints it.
        id: String,
    },
    /// Every call of one exchange.
    Show {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
        /// The exchange's id as `list` prints it.
        id: String,
    },
    /// Passes the safety brake held, newest first: id, time, files, why.
    Held {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
    },
    /// Apply a held pass as it is, past the brake.
    Release {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
        /// The exchange's id as `held` prints it.
        id: String,
    },
    /// Discard a held pass: the catalog stays as it is.
    Discard {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
        /// The exchange's id as `held` prints it.
        id: String,
    },
}

/// `vitrina catalog …`.
#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Publishes that can be rolled back to, newest first: id, time, file, what it changed.
    History {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
    },
    /// Bring the catalog back to how it was before a publish (recorded as a publish itself).
    Rollback {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
        /// The publish's id as `history` prints it.
        #[arg(long)]
        before: i64,
    },
}

/// `vitrina alerts …`.
#[derive(Debug, Subcommand)]
pub enum AlertsCommand {
    /// Send a test message to every channel set up, and say how each went.
    Test {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
    },
}

/// `vitrina settings …`.
#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Set a setting; the empty string resets it to its default.
    Set {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
        /// e.g. commerceml.zip
        key: String,
        /// e.g. true
        value: String,
    },
    /// Print KEY=VALUE lines: one key, or all with their effective values.
    Get {
        /// The tenant's slug.
        #[arg(long, env = "VITRINA_TENANT")]
        tenant: String,
        /// One key; all when omitted.
        key: Option<String>,
    },
}

/// Runs the parsed command. The error, if any, is already a sentence for the operator.
pub async fn run(cli: Cli) -> Result<(), String> {
    let lang = cli.lang;
    let result = match &cli.command {
        Command::Serve(args) => serve::run(cli.storage(), args, lang).await,
        Command::Exchange(ExchangeCommand::List { tenant }) => {
            exchange::list(&cli.storage(), tenant).await
        }
        Command::Exchange(ExchangeCommand::Show { tenant, id }) => {
            exchange::show(&cli.storage(), tenant, id, lang).await
        }
        Command::Exchange(ExchangeCommand::Rerun { tenant, id }) => {
            exchange::rerun(&cli.storage(), tenant, id, lang).await
        }
        Command::Catalog(CatalogCommand::History { tenant }) => {
            catalog::history(&cli.storage(), tenant, lang).await
        }
        Command::Catalog(CatalogCommand::Rollback { tenant, before }) => {
            catalog::rollback(&cli.storage(), tenant, *before, lang).await
        }
        Command::Alerts(AlertsCommand::Test { tenant }) => {
            alerts::test(&cli.storage(), tenant).await
        }
        Command::Exchange(ExchangeCommand::Held { tenant }) => {
            exchange::held(&cli.storage(), tenant, lang).await
        }
        Command::Exchange(ExchangeCommand::Release { tenant, id }) => {
            exchange::release(&cli.storage(), tenant, id, lang).await
        }
        Command::Exchange(ExchangeCommand::Discard { tenant, id }) => {
            exchange::discard(&cli.storage(), tenant, id, lang).await
        }
        Command::Import {
            tenant,
            paths,
            no_progress,
        } => import::run(&cli.storage(), tenant, paths, !no_progress, lang).await,
        command => admin::run(&cli.storage(), command).await,
    };
    result.map_err(|err| describe(&err, lang))
}

/// An error whose message the command has printed already: the process only exits non-zero.
#[derive(Debug, thiserror::Error)]
#[error("already reported")]
pub struct AlreadyReported;

/// One line for the operator: the catalog message for domain errors, the cause chain for
/// anything else (the CLI has no server log to point to).
fn describe(err: &anyhow::Error, lang: Lang) -> String {
    if err.is::<AlreadyReported>() {
        return String::new();
    }
    match err.downcast_ref::<DomainError>() {
        Some(DomainError::Internal(inner)) => {
            format!("{}: {inner:#}", Message::Internal.text(lang))
        }
        Some(domain) => domain.message().text(lang),
        None => format!("{}: {err:#}", Message::Internal.text(lang)),
    }
}
