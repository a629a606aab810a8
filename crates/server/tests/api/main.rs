//! End-to-end tests of the `vitrina` server and CLI: one test binary, one module per area.
//! Every test runs on SQLite, and on PostgreSQL when `VITRINA_TEST_POSTGRES_URL` is set.

mod catalog_support;
mod helpers;

mod access;
mod admin;
mod admin_browser;
mod alerts;
mod brake;
mod catalog_expected;
mod catalog_integrity;
mod catalog_samples;
mod catalog_unchanged;
mod cli;
mod exchange;
mod exchange_client;
mod exchange_restart;
mod first_start;
mod history;
mod instances;
mod locks;
mod logs;
mod orders;
mod panel_routes;
mod queue;
mod rejections;
mod settings;
mod shapes;
mod storefront;
mod tenants;
mod trust;
mod visibility;
