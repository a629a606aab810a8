//! Vitrina: the multi-tenant catalog backend behind `vitrina`.
//!
//! Layers, outermost first: [`cli`] and [`http`] take input and show results; [`domain`] holds
//! the rules; `vitrina_store` holds the SQL; [`files`] holds the bytes. Messages for people
//! come from [`i18n`]. [`alerts`] tell the shop about trouble.

pub mod alerts;
pub mod bootstrap;
pub mod catalog;
pub mod cli;
pub mod clock;
pub mod domain;
pub mod exchange;
pub mod files;
mod html;
pub mod http;
pub mod i18n;
pub mod metrics;
pub mod orders;
pub mod queue;
