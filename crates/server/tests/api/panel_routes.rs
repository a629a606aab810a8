//! Every route of the admin panel, read from the router's own source, answers only employees
//! who hold the permission this table names for it: a route added without a permission in its
//! handler's signature, or missing here, fails.

use crate::admin::{Answer, HOST, page, post, send, sign_in};
use crate::app_test;
use crate::helpers::TestApp;

/// Who may reach a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// Anyone: sign-in, language, stylesheets.
    Nobody,
    /// Any employee signed in to the shop's panel (the dashboard, signing out).
    SignedIn,
    /// An employee holding this permission.
    Permission(&'static str),
}

use Need::{Nobody, Permission, SignedIn};

const ROUTES: &[(&str, Need)] = &[
    ("/admin", SignedIn),
    ("/admin/login", Nobody),
    ("/admin/logout", SignedIn),
    ("/admin/lang/{lang}", Nobody),
    ("/admin/employees", Permission("settings.employees")),
    ("/admin/employees/{id}", Permission("settings.employees")),
    (
        "/admin/employees/{id}/block",
        Permission("settings.employees"),
    ),
    (
        "/admin/employees/{id}/password",
        Permission("settings.employees"),
    ),
    ("/admin/groups", Permission("settings.access")),
    ("/admin/groups/{id}", Permission("settings.access")),
    (
        "/admin/groups/{id}/permissions",
        Permission("settings.access"),
    ),
    ("/admin/groups/{id}/members", Permission("settings.access")),
    (
        "/admin/groups/{id}/members/{employee}/remove",
        Permission("settings.access"),
    ),
    ("/admin/integration", Permission("settings.integrations")),
    ("/admin/exchanges", Permission("settings.integrations")),
    ("/admin/alerts", Permission("settings.integrations")),
    ("/admin/alerts/test", Permission("settings.integrations")),
    (
        "/admin/exchanges/{key}",
        Permission("settings.integrations"),
    ),
    (
        "/admin/exchanges/{key}/rerun",
        Permission("settings.integrations"),
    ),
    (
        "/admin/exchanges/{key}/release",
        Permission("settings.integrations"),
    ),
    (
        "/admin/exchanges/{key}/discard",
        Permission("settings.integrations"),
    ),
    (
        "/admin/exchanges/{key}/files/{*name}",
        Permission("settings.integrations"),
    ),
    ("/admin/catalog", Permission("catalog.view")),
    ("/admin/catalog/history", Permission("catalog.view")),
    (
        "/admin/catalog/history/{id}/rollback",
        Permission("catalog.edit"),
    ),
    ("/admin/catalog/products/{id}", Permission("catalog.view")),
    (
        "/admin/catalog/products/{id}/edit",
        Permission("catalog.edit"),
    ),
    (
        "/admin/catalog/products/{id}/pictures",
        Permission("catalog.edit"),
    ),
    (
        "/admin/catalog/products/{id}/pictures/{hash}/move",
        Permission("catalog.edit"),
    ),
    (
        "/admin/catalog/products/{id}/pictures/{hash}/delete",
        Permission("catalog.edit"),
    ),
    ("/admin/orders", Permission("orders.view")),
    ("/admin/orders/statuses", Permission("orders.view")),
    ("/admin/orders/statuses/map", Permission("orders.manage")),
    ("/admin/orders/statuses/apply", Permission("orders.manage")),
    ("/admin/orders/{number}", Permission("orders.view")),
    ("/admin/orders/{number}/status", Permission("orders.manage")),
    ("/admin/orders/{number}/resend", Permission("orders.manage")),
    ("/admin/assets/{name}", Nobody),
];

/// Every panel permission.
const PERMISSIONS: &[&str] = &[
    "catalog.view",
    "catalog.edit",
    "settings.employees",
    "settings.access",
    "settings.integrations",
    "orders.view",
    "orders.manage",
];

/// The paths the panel's router declares, in its source order.
fn routed_paths() -> Vec<String> {
    let source = include_str!("../../src/http/admin/mod.rs");
    source
        .split(".route(")
        .skip(1)
        .map(|rest| {
            let quoted = rest
                .trim_start()
                .strip_prefix('"')
                .expect("a route starts with its path");
            quoted[..quoted.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// A concrete path for a route: each `{param}` given a value of the right shape.
fn concrete(route: &str) -> String {
    route
        .split('/')
        .map(|segment| match segment {
            "{lang}" => "ru",
            "{*name}" | "{name}" => "missing.css",
            s if s.starts_with('{') => "1",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

async fn anonymous(app: &TestApp, method: &str, path: &str) -> Answer {
    let url = format!("{}{path}", app.address);
    let request = match method {
        "GET" => app.http.get(url),
        _ => app.http.post(url).header("sec-fetch-site", "same-origin"),
    };
    send(request.header("host", HOST)).await
}

async fn call(app: &TestApp, session: &str, method: &str, path: &str) -> Answer {
    match method {
        "GET" => page(app, session, path).await,
        _ => post(app, session, path, &[]).await,
    }
}

app_test!(async fn every_panel_route_answers_only_who_holds_its_permission(app) {
    let routed = routed_paths();
    assert!(routed.len() >= 25, "the router's routes were read: {routed:?}");
    for path in &routed {
        assert!(ROUTES.iter().any(|(known, _)| known == path), "{path} is a new panel route: add it to ROUTES with the permission its handler's signature takes");
    }
    for (known, _) in ROUTES {
        assert!(routed.iter().any(|path| path == known), "{known} is no longer routed");
    }

    // For each permission: an employee holding every other one, and one holding only it.
    let password = "пароль-проверки-прав-2026";
    let mut without = Vec::new();
    let mut only = Vec::new();
    for (n, permission) in PERMISSIONS.iter().enumerate() {
        let others: Vec<&str> = PERMISSIONS.iter().copied().filter(|p| p != permission).collect();
        app.employee_with(&format!("without{n}@shop.ru"), password, &others).await;
        app.employee_with(&format!("only{n}@shop.ru"), password, &[permission]).await;
        without.push(sign_in(app, &format!("without{n}@shop.ru"), password).await.unwrap());
        only.push(sign_in(app, &format!("only{n}@shop.ru"), password).await.unwrap());
    }
    app.employee_with("nothing@shop.ru", password, &[]).await;
    let nothing = sign_in(app, "nothing@shop.ru", password).await.unwrap();

    let mut checked = 0;
    for (route, need) in ROUTES {
        let path = concrete(route);
        for method in ["GET", "POST"] {
            let stranger = anonymous(app, method, &path).await;
            if stranger.status == 405 {
                continue;
            }
            checked += 1;
            match need {
                Nobody => assert!(stranger.status != 403 && !stranger.location.starts_with("/admin/login"), "{method} {path}: {}", stranger.status),
                SignedIn | Permission(_) => {
                    assert_eq!(stranger.status, 303, "{method} {path} lets a stranger in");
                    assert!(stranger.location.starts_with("/admin/login"), "{method} {path}: {}", stranger.location);
                }
            }
            match need {
                Nobody => {}
                SignedIn => {
                    let answer = call(app, &nothing, method, &path).await;
                    assert!(answer.status < 400, "{method} {path} refuses a signed-in employee: {}", answer.status);
                }
                Permission(key) => {
                    let n = PERMISSIONS.iter().position(|p| p == key).unwrap();
                    let refused = call(app, &without[n], method, &path).await;
                    assert_eq!(refused.status, 403, "{method} {path} is reachable without {key}");
                    let allowed = call(app, &only[n], method, &path).await;
                    assert_ne!(allowed.status, 403, "{method} {path} needs more than {key}: {}", allowed.body);
                }
            }
        }
    }
    assert!(checked >= ROUTES.len(), "each route answered at least one method ({checked})");
});
