//! The catalog: importing CommerceML documents into it, and reading it for storefronts.
//!
//! `import` turns a document into staged rows and publishes them in one short transaction, so
//! readers see the old catalog or the new one, never a mix. `view` assembles what the API
//! shows, applying the tenant's settings (root group, shop price type, counted warehouses) at
//! read time, so changing a setting needs no re-import. `read_model` holds each tenant's
//! catalog in memory per catalog version; `listing` filters, sorts and counts over it;
//! `search` is its word index. `history` lists publishes and rolls the catalog back to before
//! one; `edit` is the owner's own change of a product, and the fields locked against the exchange.

pub mod archive;
pub mod edit;
pub mod history;
pub mod import;
pub mod listing;
mod money;
pub mod read_model;
pub mod search;
pub mod thumbnails;
pub mod view;
pub mod visibility;

pub use money::canonical;
