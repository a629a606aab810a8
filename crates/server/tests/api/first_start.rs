//! The real binary's first start: it creates the demo tenant and prints how to sign in.

use std::time::Duration;

use tokio::process::{Child, Command};
use vitrina::domain::employees;
use vitrina_store::Backend;
use vitrina_store::testing::TestDb;

use crate::helpers::start_binary;

/// The value after `label` on the line that starts with it (after trimming).
fn field<'a>(printed: &'a [String], label: &str) -> &'a str {
    printed
        .iter()
        .find_map(|line| line.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {printed:?}"))
        .trim()
}

async fn stop(mut child: Child) {
    let pid = child.id().expect("running").to_string();
    let status = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap();
    assert!(status.success());
    let exited = tokio::time::timeout(Duration::from_secs(30), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exited.success(), "graceful shutdown exits 0, got {exited}");
}

async fn first_start_prints_the_admin_url_and_credentials(backend: Backend) {
    let Some(test_db) = TestDb::new(backend).await else {
        return;
    };
    let data_dir = test_db.dir.path().join("data");
    let (server, printed) = start_binary(&test_db.url, &data_dir).await;
    let url = field(&printed, "Панель администратора:");
    let port = url
        .strip_prefix("http://demo.localhost:")
        .and_then(|rest| rest.strip_suffix("/admin"))
        .unwrap_or_else(|| panic!("admin URL {url}"));
    assert_eq!(field(&printed, "Логин:"), "admin@demo.localhost");
    let password = field(&printed, "Пароль:").to_owned();
    assert!(password.len() >= 16, "a strong random password");

    let admin = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/admin"))
        .header("host", format!("demo.localhost:{port}"))
        .send()
        .await
        .unwrap();
    assert_eq!(admin.status(), 200);
    let demo = test_db.db.find_tenant_by_slug("demo").await.unwrap();
    let owner =
        employees::verify_credentials(&test_db.db, demo.id, "admin@demo.localhost", &password)
            .await
            .unwrap()
            .expect("the printed password signs in");
    assert!(owner.is_owner && owner.admin_access);
    assert!(
        data_dir.join("files").is_dir(),
        "the file store lives in the data folder"
    );
    stop(server).await;

    // A second start creates nothing and shows no password.
    let (server, printed) = start_binary(&test_db.url, &data_dir).await;
    assert!(
        !printed.iter().any(|line| line.contains("Пароль")),
        "{printed:?}"
    );
    assert_eq!(test_db.db.list_tenants().await.unwrap().len(), 1);
    stop(server).await;
}

#[tokio::test]
async fn first_start_on_sqlite() {
    first_start_prints_the_admin_url_and_credentials(Backend::Sqlite).await;
}

#[tokio::test]
async fn first_start_on_postgres() {
    first_start_prints_the_admin_url_and_credentials(Backend::Postgres).await;
}

#[tokio::test]
async fn the_default_data_folder_holds_the_sqlite_database() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_vitrina"))
        .args(["tenant", "list"])
        .current_dir(dir.path())
        .env_remove("VITRINA_DATA_DIR")
        .env_remove("VITRINA_DATABASE_URL")
        .output()
        .await
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("vitrina-data/vitrina.db").is_file());
}
