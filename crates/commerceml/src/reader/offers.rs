//! Fields of offer packages: price types, warehouses, offers, prices and stock.

use std::io::BufRead;

use super::Reader;
use super::dispatch::{SharedFields, missing};
use crate::error::Error;
use crate::model::*;
use crate::tags::Tag;
use crate::values::trimmed;

impl<R: BufRead> Reader<R> {
    pub(super) fn package_field(&mut self, tag: Tag, text: &str) {
        if let Some(package) = &mut self.drafts.package {
            match tag {
                Tag::Id => package.id = trimmed(text),
                Tag::CatalogId => package.catalog_id = trimmed(text),
                Tag::ClassifierId => package.classifier_id = trimmed(text),
                Tag::Name => package.name = trimmed(text),
                _ => {}
            }
        }
    }

    pub(super) fn price_type_field(&mut self, tag: Tag, text: &str) {
        if let Some((price_type, _)) = &mut self.drafts.price_type {
            match tag {
                Tag::Id => price_type.id = trimmed(text),
                Tag::Name => price_type.name = trimmed(text),
                Tag::Currency => price_type.currency = Some(trimmed(text)),
                _ => {}
            }
        }
    }

    pub(super) fn warehouse_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let mark = if tag == Tag::DeletionMark {
            self.boolean("ПометкаУдаления", text)?
        } else {
            false
        };
        if let Some((warehouse, _)) = &mut self.drafts.warehouse {
            match tag {
                Tag::Id => warehouse.id = trimmed(text),
                Tag::Name => warehouse.name = trimmed(text),
                Tag::DeletionMark => warehouse.deletion_mark = mark,
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn rest_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let quantity = if tag == Tag::Quantity {
            Some(self.decimal("Количество", text)?)
        } else {
            None
        };
        if let Some(rest) = &mut self.drafts.rest {
            match tag {
                Tag::Id => rest.warehouse_id = trimmed(text),
                Tag::Quantity => rest.quantity = quantity,
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn finish_rest(&mut self) -> Result<(), Error> {
        let Some(rest) = self.drafts.rest.take() else {
            return Ok(());
        };
        if rest.warehouse_id.is_empty() {
            return Err(missing(rest.at, "Склад", "Ид"));
        }
        let quantity = rest
            .quantity
            .ok_or_else(|| missing(rest.at, "Склад", "Количество"))?;
        if let Some((offer, _)) = &mut self.drafts.offer {
            offer.stock.get_or_insert_with(Vec::new).push(StockLine {
                warehouse_id: rest.warehouse_id,
                quantity,
            });
        }
        Ok(())
    }

    pub(super) fn offer_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let quantity = if tag == Tag::Quantity {
            Some(self.decimal("Количество", text)?)
        } else {
            None
        };
        let value = self.shared_value(tag, text)?;
        let Some((offer, _)) = &mut self.drafts.offer else {
            return Ok(());
        };
        let shared = SharedFields {
            id: &mut offer.id,
            name: &mut offer.name,
            sku: &mut offer.sku,
            barcodes: &mut offer.barcodes,
            base_unit: &mut offer.base_unit,
            characteristics: &mut offer.characteristics,
            status: &mut offer.status,
        };
        if shared.set(value) {
            return Ok(());
        }
        match tag {
            Tag::Quantity => offer.quantity = quantity,
            Tag::CharacteristicId => offer.characteristic_id = Some(trimmed(text)),
            _ => {}
        }
        Ok(())
    }

    pub(super) fn finish_offer(&mut self) -> Result<(), Error> {
        let Some((offer, at)) = self.drafts.offer.take() else {
            return Ok(());
        };
        if offer.id.is_empty() {
            return Err(missing(at, "Предложение", "Ид"));
        }
        self.summary.offers += 1;
        self.summary.prices += offer.prices.as_ref().map_or(0, Vec::len) as u64;
        self.summary.stock_lines += offer.stock.as_ref().map_or(0, Vec::len) as u64;
        self.pending.push_back(Item::Offer(offer));
        Ok(())
    }

    pub(super) fn price_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let number = match tag {
            Tag::PricePerUnit => Some(self.decimal("ЦенаЗаЕдиницу", text)?),
            Tag::Coefficient if !text.trim().is_empty() => Some(self.decimal("Коэффициент", text)?),
            _ => None,
        };
        if let Some(draft) = &mut self.drafts.price {
            match tag {
                Tag::PriceTypeId => draft.price.price_type_id = trimmed(text),
                Tag::PricePerUnit => {
                    draft.price.per_unit = number.unwrap_or_default();
                    draft.has_per_unit = true;
                }
                Tag::Currency => draft.price.currency = Some(trimmed(text)),
                Tag::UnitRef => draft.price.unit = Some(trimmed(text)),
                Tag::Coefficient => draft.price.coefficient = number,
                Tag::Presentation => draft.price.presentation = Some(trimmed(text)),
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn finish_price(&mut self) -> Result<(), Error> {
        let Some(draft) = self.drafts.price.take() else {
            return Ok(());
        };
        let price = draft.price;
        if price.price_type_id.is_empty() {
            return Err(missing(draft.at, "Цена", "ИдТипаЦены"));
        }
        let mut price = price;
        if !draft.has_per_unit {
            // Some exporters give only `Представление`, e.g. "1 200,50 руб. за шт".
            price.per_unit = price
                .presentation
                .as_deref()
                .and_then(leading_number)
                .ok_or_else(|| missing(draft.at, "Цена", "ЦенаЗаЕдиницу"))?;
        }
        if let Some((offer, _)) = &mut self.drafts.offer {
            offer.prices.get_or_insert_with(Vec::new).push(price);
        }
        Ok(())
    }

    pub(super) fn emit_package(&mut self) {
        if let Some(package) = self.drafts.package.take() {
            self.pending.push_back(Item::OfferPackage(package));
        }
    }
}

/// The number a price's presentation starts with: "1 200,50 руб. за шт" → 1200.50.
fn leading_number(presentation: &str) -> Option<crate::values::Decimal> {
    let end = presentation
        .char_indices()
        .find(|(_, c)| {
            !(c.is_ascii_digit() || matches!(c, ',' | '.' | '\u{a0}' | '\u{202f}' | ' '))
        })
        .map_or(presentation.len(), |(i, _)| i);
    // "руб." after the number leaves a trailing "." or "," with nothing after it.
    let number = presentation[..end].trim().trim_end_matches(['.', ',']);
    crate::values::parse_decimal(number).filter(|_| !number.is_empty())
}
