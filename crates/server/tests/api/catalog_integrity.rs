//! The catalog is never half-written: MoySklad's separate picture pass keeps every product
//! whole, and an import killed at any moment leaves the old catalog or the new one.

use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::app_test;
use crate::catalog_support::{all_products, generate, import, shared_dir};
use crate::helpers::TestApp;

app_test!(async fn moysklad_data_pass_picture_pass_data_pass(app) {
    if shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let expected = generate(
        dir.path(),
        &["--products", "200", "--seed", "7", "--dialect", "moysklad", "--image-share", "0.5"],
    );
    let data = [dir.path().join("import.xml"), dir.path().join("offers.xml")];
    let data: Vec<&str> = data.iter().map(|p| p.to_str().unwrap()).collect();
    let pictures = dir.path().join("images_pass/import.xml");

    import(app, &data).await.ok();
    let before = all_products(app, "").await;
    import(app, &[pictures.to_str().unwrap()]).await.ok();
    import(app, &data).await.ok();
    let after = all_products(app, "").await;
    assert_eq!(before.len(), after.len());

    let mut with_pictures = 0;
    for (old, new) in before.iter().zip(&after) {
        let id = new["external_id"].as_str().unwrap();
        let image = &expected["products"][id]["image"];
        let mut without_images = new.clone();
        without_images["images"] = Value::Array(Vec::new());
        assert_eq!(&without_images, old, "{id}: category, description, prices and stock survive");
        match image.as_str() {
            Some(name) => {
                with_pictures += 1;
                let images = new["images"].as_array().unwrap();
                assert_eq!(images.len(), 1, "{id}");
                assert_eq!(images[0]["source"], "exchange");
                let url = images[0]["url"].as_str().unwrap();
                let response = app.get("demo.localhost", url).await;
                assert_eq!(response.status(), 200);
                assert_eq!(response.headers()["content-type"], "image/png");
                assert_eq!(response.headers()["x-content-type-options"], "nosniff");
                assert!(response.headers()["cache-control"].to_str().unwrap().contains("immutable"));
                let bytes = response.bytes().await.unwrap();
                assert_eq!(&bytes[..], &std::fs::read(dir.path().join("images_pass").join(name)).unwrap()[..]);
                // A list-sized copy: the generator's pictures are 2 px wide, so never scaled up.
                let small = app.get("demo.localhost", &format!("{url}?w=160")).await;
                assert_eq!(small.status(), 200);
                assert_eq!(small.headers()["content-type"], "image/png");
                assert_eq!(app.get("demo.localhost", &format!("{url}?w=161")).await.status(), 400);
            }
            None => assert_eq!(new["images"], Value::Array(Vec::new()), "{id}"),
        }
    }
    assert!(with_pictures > 50, "{with_pictures} products with pictures were checked");
});

/// The active product ids of the demo tenant, read straight from the database.
async fn active_ids(app: &TestApp) -> BTreeSet<String> {
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;
    app.db
        .product_states(tenant)
        .await
        .unwrap()
        .into_iter()
        .filter(|s| s.active)
        .map(|s| s.external_id)
        .collect()
}

fn visible_ids(expected: &Value) -> BTreeSet<String> {
    expected["products"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, p)| !p["deleted"].as_bool().unwrap())
        .map(|(id, _)| id.clone())
        .collect()
}

app_test!(async fn an_import_killed_at_any_moment_leaves_the_old_or_the_new_catalog(app) {
    if shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    let (old_dir, new_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let old = visible_ids(&generate(old_dir.path(), &["--products", "3000", "--seed", "21", "--image-share", "0"]));
    let new = visible_ids(&generate(new_dir.path(), &["--products", "3000", "--seed", "22", "--image-share", "0"]));
    assert!(old.is_disjoint(&new));
    import(app, &[old_dir.path().join("import.xml").to_str().unwrap()]).await.ok();
    assert_eq!(active_ids(app).await, old);

    let new_file = new_dir.path().join("import.xml");
    let run = || {
        tokio::process::Command::new(env!("CARGO_BIN_EXE_vitrina"))
            .args(["--database-url", app.database_url(), "import", "--tenant", "demo", "--no-progress"])
            .arg(&new_file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap()
    };
    // How long a whole import takes here, to spread the kills over it.
    let started = Instant::now();
    let mut timing = run();
    tokio::time::sleep(Duration::from_millis(1)).await;
    timing.kill().await.unwrap();
    assert_eq!(active_ids(app).await, old, "killed at once: still the old catalog");
    let full = {
        let mut child = run();
        let status = child.wait().await.unwrap();
        assert!(status.success());
        started.elapsed()
    };
    assert_eq!(active_ids(app).await, new);
    // Back to the old catalog, then kill imports of the new one at spread-out moments.
    import(app, &[old_dir.path().join("import.xml").to_str().unwrap()]).await.ok();
    assert_eq!(active_ids(app).await, old);
    for percent in [5u32, 20, 40, 60, 80, 95, 110] {
        let mut child = run();
        tokio::time::sleep(full * percent / 100).await;
        let _ = child.start_kill();
        let _ = child.wait().await;
        let state = active_ids(app).await;
        assert!(state == old || state == new, "killed at {percent}%: a mix of {} ids", state.len());
        if state == new {
            import(app, &[old_dir.path().join("import.xml").to_str().unwrap()]).await.ok();
        }
    }
    // A run after the kills is not blocked by them, and finishes.
    let status = run().wait().await.unwrap();
    assert!(status.success());
    assert_eq!(active_ids(app).await, new);
});

app_test!(async fn the_shop_keeps_working_while_an_import_runs(app) {
    if shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    let (old_dir, new_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let old = visible_ids(&generate(old_dir.path(), &["--products", "1500", "--seed", "31", "--image-share", "0"]));
    let new = visible_ids(&generate(new_dir.path(), &["--products", "6000", "--seed", "32", "--image-share", "0"]));
    import(app, &[old_dir.path().join("import.xml").to_str().unwrap()]).await.ok();
    let tenant = app.db.find_tenant_by_slug("demo").await.unwrap().id;

    let mut running = tokio::process::Command::new(env!("CARGO_BIN_EXE_vitrina"))
        .args(["--database-url", app.database_url(), "import", "--tenant", "demo", "--no-progress"])
        .arg(new_dir.path().join("import.xml"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut rounds = 0;
    let mut slowest = Duration::ZERO;
    let finished = loop {
        if let Some(status) = running.try_wait().unwrap() {
            break status;
        }
        // Writes elsewhere in the shop are not held up by the import ...
        let started = Instant::now();
        let value = if rounds % 2 == 0 { "true" } else { "false" };
        app.db.set_tenant_setting(tenant, "commerceml.zip", Some(value)).await.unwrap();
        slowest = slowest.max(started.elapsed());
        // ... and readers see the old catalog or the new one, never a mix.
        let state = active_ids(app).await;
        assert!(state == old || state == new, "a mix of {} ids after {rounds} rounds", state.len());
        rounds += 1;
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(finished.success());
    assert_eq!(active_ids(app).await, new);
    assert!(rounds >= 3, "the import was too quick to observe ({rounds} rounds)");
    assert!(slowest < Duration::from_secs(2), "a settings write waited {slowest:?} for the import");
});

app_test!(async fn a_document_broken_after_thousands_of_rows_changes_nothing(app) {
    if shared_dir().is_none() {
        eprintln!("skipped: ../shared/tools/gen_catalog.py is not beside this checkout");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let visible = visible_ids(&generate(dir.path(), &["--products", "3000", "--seed", "41", "--image-share", "0"])).len();
    let old_path = dir.path().join("import.xml");
    import(app, &[old_path.to_str().unwrap()]).await.ok();
    let before = all_products(app, "").await;
    assert_eq!(before.len(), visible);

    // Every product renamed, and the file cut off near its end: thousands of changed rows
    // have been read (and, on PostgreSQL, written into the live tables) when it breaks.
    let old = std::fs::read_to_string(&old_path).unwrap();
    let renamed = old.replace("<Наименование>", "<Наименование>Новое ");
    let cut = renamed.len() * 9 / 10;
    let cut = (cut..renamed.len()).find(|&i| renamed.is_char_boundary(i)).unwrap();
    let broken = dir.path().join("broken.xml");
    std::fs::write(&broken, &renamed[..cut]).unwrap();
    let said = import(app, &[broken.to_str().unwrap()]).await.refused();
    assert!(said.contains("broken.xml") && said.contains(&format!("{}", renamed[..cut].lines().count())), "{said}");
    assert_eq!(all_products(app, "").await, before, "the catalog is exactly as it was");

    // The whole file would have changed every product.
    let whole = dir.path().join("renamed.xml");
    std::fs::write(&whole, &renamed).unwrap();
    import(app, &[whole.to_str().unwrap()]).await.ok();
    let after = all_products(app, "").await;
    assert_eq!(after.len(), visible);
    assert!(after.iter().all(|p| p["name"].as_str().unwrap().starts_with("Новое ")));
});
