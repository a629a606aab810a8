//! Fields of the classifier (groups, properties, units) and of catalog products.

use std::io::BufRead;

use super::dispatch::{SharedFields, missing};
use super::{Reader, Section};
use crate::error::Error;
use crate::model::*;
use crate::tags::Tag;
use crate::values::trimmed;

impl<R: BufRead> Reader<R> {
    pub(super) fn classifier_field(&mut self, tag: Tag, text: &str) {
        if let Some(classifier) = &mut self.drafts.classifier {
            match tag {
                Tag::Id => classifier.id = trimmed(text),
                Tag::Name => classifier.name = trimmed(text),
                _ => {}
            }
        }
    }

    pub(super) fn catalog_field(&mut self, tag: Tag, text: &str) {
        if let Some(catalog) = &mut self.drafts.catalog {
            match tag {
                Tag::Id => catalog.id = trimmed(text),
                Tag::ClassifierId => catalog.classifier_id = trimmed(text),
                Tag::Name => catalog.name = trimmed(text),
                _ => {}
            }
        }
    }

    pub(super) fn group_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let mark = if tag == Tag::DeletionMark {
            self.boolean("ПометкаУдаления", text)?
        } else {
            false
        };
        if let Some(draft) = self.drafts.groups.last_mut() {
            match tag {
                Tag::Id => draft.group.id = trimmed(text),
                Tag::Name => draft.group.name = trimmed(text),
                Tag::DeletionMark => draft.group.deletion_mark = mark,
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn property_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let mark = if tag == Tag::DeletionMark {
            self.boolean("ПометкаУдаления", text)?
        } else {
            false
        };
        if let Some((property, _)) = &mut self.drafts.property {
            match tag {
                Tag::Id => property.id = trimmed(text),
                Tag::Name => property.name = trimmed(text),
                Tag::ValueType => property.value_type = Some(trimmed(text)),
                Tag::DeletionMark => property.deletion_mark = mark,
                _ => {}
            }
        }
        Ok(())
    }

    pub(super) fn unit_field(&mut self, tag: Tag, text: &str) {
        if let Some(unit) = &mut self.drafts.unit {
            let value = trimmed(text);
            match tag {
                Tag::Id => unit.id = value,
                Tag::Code => unit.code = Some(value),
                Tag::ShortName => unit.short_name = Some(value),
                Tag::FullName => unit.full_name = Some(value),
                Tag::International => unit.international = Some(value),
                _ => {}
            }
        }
    }

    pub(super) fn product_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let value = self.shared_value(tag, text)?;
        let Some((product, _)) = &mut self.drafts.product else {
            return Ok(());
        };
        let shared = SharedFields {
            id: &mut product.id,
            name: &mut product.name,
            sku: &mut product.sku,
            barcodes: &mut product.barcodes,
            base_unit: &mut product.base_unit,
            characteristics: &mut product.characteristics,
            status: &mut product.status,
        };
        if shared.set(value) {
            return Ok(());
        }
        match tag {
            Tag::Description => product.description = Some(trimmed(text)),
            Tag::Picture => {
                let path = trimmed(text);
                let pictures = product.pictures.get_or_insert_with(Vec::new);
                if !path.is_empty() {
                    pictures.push(path);
                }
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn finish_product(&mut self) -> Result<(), Error> {
        let Some((product, at)) = self.drafts.product.take() else {
            return Ok(());
        };
        if product.id.is_empty() {
            return Err(missing(at, "Товар", "Ид"));
        }
        self.summary.products += 1;
        self.pending.push_back(Item::Product(product));
        Ok(())
    }

    pub(super) fn finish_requisite(&mut self) {
        let Some(requisite) = self.drafts.requisite.take() else {
            return;
        };
        let owner = self.grandparent();
        match (owner, self.section()) {
            (Tag::Product, Section::Catalog) => {
                if let Some((product, _)) = &mut self.drafts.product {
                    product
                        .requisites
                        .get_or_insert_with(Vec::new)
                        .push(requisite);
                }
            }
            (Tag::Product, Section::Document) => {
                if let Some(line) = &mut self.drafts.order_line {
                    line.requisites.push(requisite);
                }
            }
            (Tag::Offer, _) => {
                if let Some((offer, _)) = &mut self.drafts.offer {
                    offer
                        .requisites
                        .get_or_insert_with(Vec::new)
                        .push(requisite);
                }
            }
            (Tag::Document, _) => {
                if let Some(order) = &mut self.drafts.order {
                    order.requisites.push(requisite);
                }
            }
            _ => {}
        }
    }

    pub(super) fn push_characteristic(&mut self, owner: Tag, characteristic: Characteristic) {
        match owner {
            Tag::Product => {
                if let Some((product, _)) = &mut self.drafts.product {
                    product
                        .characteristics
                        .get_or_insert_with(Vec::new)
                        .push(characteristic);
                }
            }
            Tag::Offer => {
                if let Some((offer, _)) = &mut self.drafts.offer {
                    offer
                        .characteristics
                        .get_or_insert_with(Vec::new)
                        .push(characteristic);
                }
            }
            _ => {}
        }
    }

    pub(super) fn emit_group_at(&mut self, index: usize) -> Result<(), Error> {
        let draft = &mut self.drafts.groups[index];
        if draft.group.id.is_empty() {
            return Err(missing(draft.at, "Группа", "Ид"));
        }
        draft.emitted = true;
        let group = draft.group.clone();
        self.summary.groups += 1;
        self.pending.push_back(Item::Group(group));
        Ok(())
    }

    pub(super) fn emit_classifier(&mut self) {
        if let Some(classifier) = self.drafts.classifier.take() {
            self.pending.push_back(Item::Classifier(classifier));
        }
    }

    pub(super) fn emit_catalog(&mut self) {
        if let Some(catalog) = self.drafts.catalog.take() {
            self.pending.push_back(Item::Catalog(catalog));
        }
    }
}
