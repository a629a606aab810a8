//! The catalog: categories, products, offers (a product's own and its variants), price types,
//! warehouses and pictures, and the staging area imports write to before they publish.
//!
//! Amounts and quantities travel as canonical decimal strings and lists as JSON text: the
//! store never computes with them, so both backends keep them exactly.

mod brake;
mod history;
mod locks;
mod pictures;
mod read;
mod reference;
mod rows;
mod shape;
mod staging;
mod states;

pub use brake::{Impact, Measure};
pub use history::{Publish, RolledBack};
pub use locks::{LockedField, ProductEdit};
pub use read::{
    CatalogTable, CategoryRow, IndexedOfferRow, IndexedProductRow, PictureRow, PriceTypeRow,
    WarehouseRow,
};
pub use reference::{NewCategory, NewPriceType, NewProperty, NewWarehouse};
pub use rows::{OfferRow, ProductRow, StagedOffer, StagedProduct};
pub use shape::{Column, Role, Shape};
pub use staging::{ImportId, ImportSession, PublishOptions, StagedPicture};
pub use states::ItemState;
