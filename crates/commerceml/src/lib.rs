//! A streaming reader for CommerceML 2 documents, the XML that 1C:Enterprise and MoySklad send
//! to web shops: `BufRead` in, typed items out, in constant memory.
//!
//! * Documents of every kind: catalogs (`import.xml`: `Классификатор`, `Каталог/Товары`),
//!   offer packages (`offers.xml`, and the split `prices___…`, `rests___…` files of newer 1C),
//!   and order documents (`Документ`), recognised by content, never by file name.
//! * Schema versions 2.03-2.10 and 3.1, with or without a namespace (local names are matched).
//! * UTF-8 with or without BOM, windows-1251 and other encodings named in the declaration,
//!   UTF-16 with a BOM: the declaration is read first and the input transcoded to UTF-8.
//! * Numbers as exact [`Decimal`]s (`45000.0`, `1 234,50`, `-3`), never floating point.
//! * Hostile input is refused, not expanded: no DOCTYPE, no entities beyond the five XML ones
//!   and character references, and [`Limits`] on depth, text, attributes and token size.
//! * Errors carry the line and column and say what is wrong in a shop owner's terms
//!   ("line 1042: Цена has no ИдТипаЦены").
//!
//! The crate has no database, HTTP or async dependencies, so it can be fuzzed, benchmarked
//! and used on its own.
//!
//! ```
//! use commerceml::{Item, Reader};
//!
//! let offers = r#"<?xml version="1.0" encoding="UTF-8"?>
//! <КоммерческаяИнформация ВерсияСхемы="2.04" ДатаФормирования="2024-01-08T15:47:02">
//!   <ПакетПредложений СодержитТолькоИзменения="false">
//!     <Ид>c1#</Ид>
//!     <ТипыЦен><ТипЦены><Ид>retail</Ид><Наименование>Цена продажи</Наименование>
//!       <Валюта>RUB</Валюта></ТипЦены></ТипыЦен>
//!     <Предложения><Предложение>
//!       <Ид>p1#v1</Ид>
//!       <Цены><Цена><ИдТипаЦены>retail</ИдТипаЦены><ЦенаЗаЕдиницу>45000.0</ЦенаЗаЕдиницу></Цена></Цены>
//!       <Количество>3</Количество>
//!       <Склад ИдСклада="w1" КоличествоНаСкладе="1"/><Склад ИдСклада="w2" КоличествоНаСкладе="2"/>
//!     </Предложение></Предложения>
//!   </ПакетПредложений>
//! </КоммерческаяИнформация>"#;
//!
//! for item in Reader::new(offers.as_bytes())? {
//!     if let Item::Offer(offer) = item? {
//!         assert_eq!((offer.product_id(), offer.variant_id()), ("p1", Some("v1")));
//!         let price = &offer.prices.as_ref().unwrap()[0];
//!         assert_eq!(price.per_unit.normalize().to_string(), "45000");
//!         assert_eq!(offer.stock.as_ref().unwrap().len(), 2);
//!     }
//! }
//! # Ok::<(), commerceml::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod input;
mod model;
mod reader;
mod tags;
mod values;

pub use error::{Error, ErrorKind, Position};
pub use model::*;
pub use reader::{Limits, Reader};
pub use values::{Decimal, parse_bool, parse_decimal};
