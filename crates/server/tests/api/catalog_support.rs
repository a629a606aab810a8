//! Helpers for catalog tests: importing through the real CLI, paging through the real API, and
//! generating catalogs with the team's generator.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::helpers::{CliOutput, TestApp};

/// The sample fixtures of the commerceml crate.
pub fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../commerceml/tests/fixtures")
        .join(name)
        .display()
        .to_string()
}

/// `vitrina import --tenant demo PATHS…`.
pub async fn import(app: &TestApp, paths: &[&str]) -> CliOutput {
    let mut args = vec!["import", "--tenant", "demo", "--no-progress"];
    args.extend_from_slice(paths);
    app.cli(&args).await
}

/// GET a JSON document from the demo shop.
pub async fn get_json(app: &TestApp, path: &str) -> (u16, Value) {
    let response = app.get("demo.localhost", path).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Every product the API lists for `query` (e.g. `category=x&`), following cursors.
pub async fn all_products(app: &TestApp, query: &str) -> Vec<Value> {
    all_products_at(&app.address, "demo.localhost", query).await
}

/// Every product the API of the server at `address` lists for the shop at `host`.
pub async fn all_products_at(address: &str, host: &str, query: &str) -> Vec<Value> {
    let client = reqwest::Client::new();
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/products?{query}limit=500&cursor={c}"),
            None => format!("/api/v1/products?{query}limit=500"),
        };
        let response = client
            .get(format!("{address}{path}"))
            .header("host", host)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let page: Value = response.json().await.unwrap();
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
}

/// Where the team's shared folder is (generator, bound), if this checkout has it beside.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("VITRINA_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    dir.join("tools/gen_catalog.py").is_file().then_some(dir)
}

/// Runs `gen_catalog.py --out DIR ARGS…` and returns its expected.json.
pub fn generate(dir: &Path, args: &[&str]) -> Value {
    let shared = shared_dir().expect("the shared folder with tools/gen_catalog.py");
    let status = std::process::Command::new("python3")
        .arg(shared.join("tools/gen_catalog.py"))
        .arg("--out")
        .arg(dir)
        .args(args)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs the generator");
    assert!(status.success(), "gen_catalog.py failed");
    serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap()
}

/// The document with each element opened by `<tag>` or `<tag …>` replaced by what `edit`
/// makes of it (its index from 0 and its text); `None` leaves it out.
pub fn edit_elements(
    xml: &str,
    tag: &str,
    mut edit: impl FnMut(usize, &str) -> Option<String>,
) -> String {
    let close = format!("</{tag}>");
    let opens = [format!("<{tag}>"), format!("<{tag} ")];
    let mut out = String::with_capacity(xml.len());
    let mut rest = xml;
    for index in 0.. {
        let Some(start) = opens.iter().filter_map(|o| rest.find(o.as_str())).min() else {
            break;
        };
        let end = start + rest[start..].find(&close).expect("closed") + close.len();
        out.push_str(&rest[..start]);
        if let Some(edited) = edit(index, &rest[start..end]) {
            out.push_str(&edited);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The document with only the elements `<tag>` whose index (from 0) `keep` accepts.
pub fn only(xml: &str, tag: &str, keep: impl Fn(usize) -> bool) -> String {
    edit_elements(xml, tag, |index, text| keep(index).then(|| text.to_owned()))
}

/// Every amount of `<ЦенаЗаЕдиницу>` set to 0, as a wrong price list in MoySklad sends it.
pub fn zero_prices(xml: &str) -> String {
    edit_elements(xml, "ЦенаЗаЕдиницу", |_, _| {
        Some("<ЦенаЗаЕдиницу>0</ЦенаЗаЕдиницу>".to_owned())
    })
}

/// Every file a generated catalog holds but `expected.json` (pictures included), as (name in
/// the upload, bytes), by name: import.xml before offers.xml, as MoySklad imports them.
pub fn files_of(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.file_name().is_some_and(|n| n != "expected.json") {
                let name = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.push((name, std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}
