//! Test support: the real server on a random port over a fresh database, and the real
//! `vitrina` binary for CLI commands against the same database.

use std::process::{Output, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;
use vitrina::bootstrap::{self, Storage};
use vitrina::domain::tenants::TenantResolver;
use vitrina::files::Files;
use vitrina::http::{self, AppState, TrustedProxies};
use vitrina_store::testing::TestDb;
use vitrina_store::{Backend, Db};

/// Import workers of each test server.
pub const IMPORT_WORKERS: usize = 2;

/// The exchange employee's password in tests.
pub const EXCHANGE_PASSWORD: &str = "склад-пароль-2026";

/// The demo owner's password in tests.
pub const ADMIN_PASSWORD: &str = "demo-owner-pass-2026";

/// A running server with its database.
pub struct TestApp {
    /// The database the server uses.
    pub db: Db,
    /// The server's address, e.g. `http://127.0.0.1:41234`.
    pub address: String,
    /// The port alone.
    pub port: u16,
    /// HTTP client that never follows redirects.
    pub http: reqwest::Client,
    test_db: TestDb,
    stop: Option<oneshot::Sender<()>>,
}

impl TestApp {
    /// A server over a fresh, seeded database on `backend` with base domain `localhost`;
    /// `None` when the backend is not configured.
    pub async fn spawn(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, None).await
    }

    /// Like [`TestApp::spawn`], with `--default-tenant`.
    pub async fn spawn_with(backend: Backend, default_tenant: Option<&str>) -> Option<Self> {
        let test_db = TestDb::new(backend).await?;
        let db = test_db.db.clone();
        bootstrap::seed_demo_tenant(&db, Some(ADMIN_PASSWORD.into()))
            .await
            .expect("seed")
            .expect("a fresh database is seeded");
        let instance = Instance::start(&db, &test_db.url, test_db.dir.path(), default_tenant).await;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Some(Self {
            db,
            address: instance.address,
            port: instance.port,
            http,
            test_db,
            stop: Some(instance.stop),
        })
    }

    /// Another instance of the server over the same database and file store, as a second
    /// machine behind a load balancer would run.
    pub async fn second_instance(&self) -> Instance {
        Instance::start(&self.db, &self.test_db.url, self.test_db.dir.path(), None).await
    }

    /// GET `path` with this `Host` header.
    pub async fn get(&self, host: &str, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.address))
            .header("host", host)
            .send()
            .await
            .expect("request")
    }

    /// The folder the app's files live under (`files/` inside it).
    pub fn data_dir(&self) -> &std::path::Path {
        self.test_db.dir.path()
    }

    /// The URL of this app's database, as the CLI takes it.
    pub fn database_url(&self) -> &str {
        &self.test_db.url
    }

    /// Runs `vitrina ARGS…` on this app's database and data folder.
    pub async fn cli(&self, args: &[&str]) -> CliOutput {
        self.cli_with_stdin(args, None).await
    }

    /// Creates an employee of `demo` with admin-panel access and `password`, in a group of
    /// their own holding `permissions` (as a shop owner sets up the exchange or a colleague).
    pub async fn employee_with(&self, email: &str, password: &str, permissions: &[&str]) {
        let group = format!("group of {email}");
        self.employee_in_group(email, password, &group, permissions)
            .await;
    }

    /// Creates an employee of `demo` with admin-panel access and `password`, in the new group
    /// `group` holding `permissions`.
    pub async fn employee_in_group(
        &self,
        email: &str,
        password: &str,
        group: &str,
        permissions: &[&str],
    ) {
        let create = [
            "employee",
            "create",
            "--tenant",
            "demo",
            "--email",
            email,
            "--password",
        ];
        let mut args: Vec<&str> = create.to_vec();
        args.extend([password, "--admin-access"]);
        self.cli(&args).await.ok();
        let mut args = vec!["group", "create", "--tenant", "demo", "--name", group];
        for permission in permissions {
            args.extend(["--permission", permission]);
        }
        self.cli(&args).await.ok();
        let member = ["group", "add-member", "--tenant", "demo", "--group", group];
        let mut args: Vec<&str> = member.to_vec();
        args.extend(["--email", email]);
        self.cli(&args).await.ok();
    }

    /// Runs `vitrina ARGS…` with `stdin` as standard input.
    pub async fn cli_with_stdin(&self, args: &[&str], stdin: Option<&str>) -> CliOutput {
        let mut command = Command::new(env!("CARGO_BIN_EXE_vitrina"));
        command
            .arg("--database-url")
            .arg(&self.test_db.url)
            .arg("--data-dir")
            .arg(self.test_db.dir.path())
            .args(args)
            .env_remove("VITRINA_LANG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("run vitrina");
        let mut input = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            input.write_all(text.as_bytes()).await.unwrap();
        }
        drop(input);
        CliOutput::from(child.wait_with_output().await.expect("vitrina exits"))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A server on a random port over a database and a data folder; stops when dropped.
pub struct Instance {
    /// e.g. `http://127.0.0.1:41235`.
    pub address: String,
    port: u16,
    stop: oneshot::Sender<()>,
}

impl Instance {
    async fn start(
        db: &Db,
        url: &str,
        data_dir: &std::path::Path,
        default_tenant: Option<&str>,
    ) -> Self {
        let files = Files::local(&data_dir.join("files")).expect("file store");
        // Imports draw from a pool of their own, as in `vitrina serve`.
        let imports = Db::connect_sized(url, 6).await.expect("the imports' pool");
        let storage = Storage {
            db: db.clone(),
            imports,
            files,
        };
        let resolver = TenantResolver::new("localhost", default_tenant.map(str::to_owned));
        // 127.0.0.250 plays a reverse proxy: its X-Forwarded-* headers are believed.
        let proxies = TrustedProxies::new(vec![
            "10.0.0.0/8".parse().unwrap(),
            "127.0.0.250/32".parse().unwrap(),
        ]);
        let state = AppState::new(storage, resolver, proxies);
        state.queue.start_workers(IMPORT_WORKERS);
        vitrina::alerts::start(&state.db);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().unwrap().port();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(http::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Self {
            address: format!("http://127.0.0.1:{port}"),
            port,
            stop,
        }
    }
}

/// A shop `slug` with its exchange employee `sklad@shop.ru` (password
/// [`EXCHANGE_PASSWORD`]) in a group holding "Импорт CommerceML", made through the domain as
/// the CLI makes them.
pub async fn exchange_shop(db: &Db, slug: &str) {
    use vitrina::domain::access::Actor;
    use vitrina::domain::employees::{self, NewEmployeeInput};
    use vitrina::domain::{groups, tenants};
    let tenant = tenants::create(db, slug, None, None).await.unwrap();
    let input = NewEmployeeInput {
        email: "sklad@shop.ru",
        name: None,
        password: EXCHANGE_PASSWORD,
        admin_access: true,
        is_owner: false,
    };
    let employee = employees::create(db, tenant.id, input).await.unwrap();
    let permission = ["integrations.commerceml_import"];
    let group = groups::create(db, tenant.id, "МойСклад", &permission)
        .await
        .unwrap();
    groups::add_member(db, Actor::Operator, tenant.id, group.id, employee.id)
        .await
        .unwrap();
}

/// What a CLI run printed.
#[derive(Debug)]
pub struct CliOutput {
    /// Whether it exited 0.
    pub success: bool,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for CliOutput {
    fn from(output: Output) -> Self {
        Self {
            success: output.status.success(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl CliOutput {
    /// Asserts success and returns standard output.
    #[track_caller]
    pub fn ok(self) -> String {
        assert!(self.success, "vitrina failed: {}", self.stderr);
        self.stdout
    }

    /// Asserts failure with exactly one line on standard error and returns it.
    #[track_caller]
    pub fn refused(self) -> String {
        assert!(
            !self.success,
            "vitrina should have failed; printed {}",
            self.stdout
        );
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(
            lines.len(),
            1,
            "one clear line expected, got {:?}",
            self.stderr
        );
        lines[0].to_owned()
    }
}

/// Declares one async test per backend (`NAME::sqlite`, `NAME::postgres`), each handed a
/// reference to a running [`TestApp`]; the PostgreSQL one skips when it is not configured.
#[macro_export]
macro_rules! app_test {
    (async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test]
            async fn sqlite() {
                let owned = $crate::helpers::TestApp::spawn(vitrina_store::Backend::Sqlite)
                    .await
                    .expect("SQLite is always there");
                let $app = &owned;
                $body
            }

            #[tokio::test]
            async fn postgres() {
                let Some(owned) =
                    $crate::helpers::TestApp::spawn(vitrina_store::Backend::Postgres).await
                else {
                    return;
                };
                let $app = &owned;
                $body
            }
        }
    };
}

/// Starts `vitrina serve` on a random port and returns it with the lines it printed up to
/// and including the "listening" line.
pub async fn start_binary(url: &str, data_dir: &std::path::Path) -> (Child, Vec<String>) {
    start_binary_with(url, data_dir, &[], &[]).await
}

/// Like [`start_binary`], with more arguments and environment variables.
pub async fn start_binary_with(
    url: &str,
    data_dir: &std::path::Path,
    args: &[&str],
    envs: &[(&str, String)],
) -> (Child, Vec<String>) {
    start_binary_logging(url, data_dir, args, envs, Stdio::null()).await
}

/// Like [`start_binary_with`], its log (stderr) going to `log`.
pub async fn start_binary_logging(
    url: &str,
    data_dir: &std::path::Path,
    args: &[&str],
    envs: &[(&str, String)],
    log: Stdio,
) -> (Child, Vec<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vitrina"))
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            url,
            "--data-dir",
        ])
        .arg(data_dir)
        .args(args)
        .envs(envs.iter().map(|(k, v)| (*k, v.as_str())))
        .env_remove("VITRINA_ADMIN_PASSWORD")
        .env_remove("VITRINA_LANG")
        .stdout(Stdio::piped())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("start vitrina serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut printed = Vec::new();
    let read = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let done = line.starts_with("Vitrina слушает");
            printed.push(line);
            if done {
                break;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(60), read)
        .await
        .expect("server starts");
    (child, printed)
}

/// The port a started server said it listens on.
pub fn listening_port(printed: &[String]) -> u16 {
    let listening = printed.last().expect("the server says where it listens");
    listening
        .strip_prefix("Vitrina слушает 127.0.0.1:")
        .and_then(|rest| rest.split(';').next())
        .and_then(|port| port.parse().ok())
        .unwrap_or_else(|| panic!("no port in {listening:?}"))
}

/// Waits, if need be, until the sign-in limiter's current window has at least a minute
/// left: its windows are fixed (aligned to their length), so guesses that straddle an edge are
/// counted in two windows and a test expecting a refusal would see none.
pub async fn clear_of_limiter_window_edge() {
    let window = vitrina::domain::limiter::FailureLimiter::new("test")
        .window
        .as_millis() as i64;
    let now = vitrina_store::now_millis();
    let left = window - now.rem_euclid(window);
    if left < 60_000 {
        tokio::time::sleep(std::time::Duration::from_millis(left as u64 + 100)).await;
    }
}
