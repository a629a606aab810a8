//! Where each element's text goes: one `match` on (parent, element) for start tags and one
//! for end tags. The parent decides the meaning (an `Ид` under `Группа` is a group's id, under
//! `Владелец` it is ignored), so unknown wrappers can never overwrite known fields.

use std::io::BufRead;

use super::{GroupDraft, PriceDraft, Reader, RestDraft, Section};
use crate::error::{Error, ErrorKind, Position};
use crate::model::*;
use crate::tags::Tag;
use crate::values::trimmed;

type Attributes = [(String, String)];

fn attribute<'a>(attributes: &'a Attributes, name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

pub(super) fn missing(at: Position, element: &'static str, what: &'static str) -> Error {
    Error::at(
        at,
        ErrorKind::Missing {
            element,
            missing: what,
        },
    )
}

/// Elements a section may sit in: the root, a `Контейнер`, or another section (exporters nest
/// `Каталог` in `Классификатор`, and an offer package in either).
fn hosts_sections(parent: Tag) -> bool {
    matches!(
        parent,
        Tag::Root
            | Tag::Container
            | Tag::Classifier
            | Tag::Catalog
            | Tag::OfferPackage
            | Tag::OfferChanges
    )
}

pub(super) fn status_of(text: &str) -> Status {
    if text.trim().eq_ignore_ascii_case("Удален") || text.trim() == "удален" {
        Status::Deleted
    } else {
        Status::Active
    }
}

/// The fields a catalog product and an offer share, borrowed for one update.
pub(super) struct SharedFields<'a> {
    pub(super) id: &'a mut String,
    pub(super) name: &'a mut Option<String>,
    pub(super) sku: &'a mut Option<String>,
    pub(super) barcodes: &'a mut Vec<String>,
    pub(super) base_unit: &'a mut Option<BaseUnit>,
    pub(super) characteristics: &'a mut Option<Vec<Characteristic>>,
    pub(super) status: &'a mut Status,
}

/// What a shared element means once its text is known: the element's own value, plus the
/// deletion flag and base unit the reader worked out beforehand.
pub(super) struct SharedValue<'t> {
    pub(super) tag: Tag,
    pub(super) text: &'t str,
    pub(super) deleted: bool,
    pub(super) base_unit: Option<BaseUnit>,
}

impl SharedFields<'_> {
    /// Files a shared element; `false` when `tag` is not one of them.
    pub(super) fn set(self, value: SharedValue<'_>) -> bool {
        let text = value.text;
        match value.tag {
            Tag::Id => *self.id = trimmed(text),
            Tag::Name => *self.name = Some(trimmed(text)),
            Tag::Sku => *self.sku = Some(trimmed(text)),
            Tag::Barcode => {
                let barcode = trimmed(text);
                if !barcode.is_empty() {
                    self.barcodes.push(barcode);
                }
            }
            Tag::BaseUnit => {
                if let Some(mut unit) = value.base_unit {
                    unit.text = trimmed(text);
                    *self.base_unit = Some(unit);
                }
            }
            Tag::DeletionMark | Tag::Status => {
                if value.deleted {
                    *self.status = Status::Deleted;
                }
            }
            // A bare `<Характеристика>` text, as some MoySklad-era producers wrote it.
            Tag::BareCharacteristic => {
                let characteristic = Characteristic {
                    id: None,
                    name: String::new(),
                    value: trimmed(text),
                };
                self.characteristics
                    .get_or_insert_with(Vec::new)
                    .push(characteristic);
            }
            _ => return false,
        }
        true
    }
}

impl<R: BufRead> Reader<R> {
    /// Reads what a shared product/offer element needs before the draft is borrowed.
    pub(super) fn shared_value<'t>(
        &mut self,
        tag: Tag,
        text: &'t str,
    ) -> Result<SharedValue<'t>, Error> {
        let deleted = match tag {
            Tag::DeletionMark => self.boolean("ПометкаУдаления", text)?,
            Tag::Status => status_of(text) == Status::Deleted,
            _ => false,
        };
        let base_unit = if tag == Tag::BaseUnit {
            self.drafts.base_unit.take()
        } else {
            None
        };
        Ok(SharedValue {
            tag,
            text,
            deleted,
            base_unit,
        })
    }

    pub(super) fn on_start(&mut self, tag: Tag, attributes: &Attributes) -> Result<(), Error> {
        let parent = self.parent();
        let changes_only = |reader: &Self| -> Result<bool, Error> {
            match attribute(attributes, "СодержитТолькоИзменения") {
                Some(value) => reader.boolean("СодержитТолькоИзменения", value),
                None => Ok(false),
            }
        };
        match (parent, tag) {
            (host, Tag::Classifier) if hosts_sections(host) => {
                self.sections.push(Section::Classifier);
                self.summary.has_classifier = true;
                let changes_only = changes_only(self)?;
                self.drafts.classifier = Some(Classifier {
                    changes_only,
                    ..Default::default()
                });
            }
            (host, Tag::Catalog) if hosts_sections(host) => {
                // A classifier around it is complete as far as the catalog is concerned.
                self.emit_classifier();
                self.sections.push(Section::Catalog);
                self.summary.has_catalog = true;
                let changes_only = changes_only(self)?;
                self.drafts.catalog = Some(Catalog {
                    changes_only,
                    ..Default::default()
                });
            }
            (host, Tag::OfferPackage | Tag::OfferChanges) if hosts_sections(host) => {
                self.emit_classifier();
                self.emit_catalog();
                self.sections.push(Section::Offers);
                self.summary.has_offers = true;
                let changes_only = tag == Tag::OfferChanges || changes_only(self)?;
                self.drafts.package = Some(OfferPackage {
                    changes_only,
                    ..Default::default()
                });
            }
            (Tag::Root | Tag::Container, Tag::Document) => {
                self.sections.push(Section::Document);
                self.drafts.order = Some(Box::new(Order {
                    line: self.cursor().line,
                    ..Default::default()
                }));
            }
            (
                Tag::Classifier,
                Tag::Groups | Tag::Properties | Tag::PriceTypes | Tag::Warehouses | Tag::Units,
            ) => {
                self.emit_classifier();
            }
            (Tag::Catalog, Tag::Products) => self.emit_catalog(),
            (
                Tag::OfferPackage | Tag::OfferChanges,
                Tag::PriceTypes | Tag::Warehouses | Tag::Offers,
            ) => {
                self.emit_package();
            }
            (Tag::Groups, Tag::Group) if self.section() == Section::Classifier => {
                let parent_id = match self.drafts.groups.last_mut() {
                    Some(enclosing) => {
                        let id = enclosing.group.id.clone();
                        if !enclosing.emitted {
                            self.emit_group_at(self.drafts.groups.len() - 1)?;
                        }
                        Some(id)
                    }
                    None => None,
                };
                let group = Group {
                    parent_id,
                    ..Default::default()
                };
                self.drafts.groups.push(GroupDraft {
                    group,
                    emitted: false,
                    at: self.cursor(),
                });
            }
            (Tag::Properties, Tag::Property) if self.section() == Section::Classifier => {
                self.drafts.property = Some((Property::default(), self.cursor()));
            }
            (Tag::ValueVariants, Tag::ReferenceBook) => {
                self.drafts.reference = Some(ReferenceValue::default());
            }
            (Tag::PriceTypes, Tag::PriceType) => {
                self.drafts.price_type = Some((PriceType::default(), self.cursor()));
            }
            (Tag::Warehouses, Tag::Warehouse)
                if matches!(
                    self.grandparent(),
                    Tag::Classifier | Tag::OfferPackage | Tag::OfferChanges
                ) =>
            {
                self.drafts.warehouse = Some((Warehouse::default(), self.cursor()));
            }
            (Tag::Units, Tag::Unit) => self.drafts.unit = Some(Unit::default()),
            (Tag::Products, Tag::Product) if self.section() == Section::Catalog => {
                let status = attribute(attributes, "Статус")
                    .map(status_of)
                    .unwrap_or_default();
                let at = self.cursor();
                let product = Product {
                    line: at.line,
                    status,
                    ..Default::default()
                };
                self.drafts.product = Some((Box::new(product), at));
            }
            (Tag::Products, Tag::Product)
                if self.section() == Section::Document && self.grandparent() == Tag::Document =>
            {
                self.drafts.order_line = Some(OrderLine::default());
            }
            // The lines of a subordinate document (`ПодчиненныйДокумент`, listed as unused):
            // known, deliberately not read.
            (Tag::Products, Tag::Product) if self.section() == Section::Document => {}
            (Tag::Offers, Tag::Offer) => {
                let status = attribute(attributes, "Статус")
                    .map(status_of)
                    .unwrap_or_default();
                let at = self.cursor();
                let offer = Offer {
                    line: at.line,
                    status,
                    ..Default::default()
                };
                self.drafts.offer = Some((Box::new(offer), at));
            }
            (Tag::Product, Tag::Groups) => {
                if let Some((product, _)) = &mut self.drafts.product {
                    product.group_ids.get_or_insert_with(Vec::new);
                }
            }
            (Tag::Product, Tag::Picture) => {
                self.summary.has_pictures = true;
                if let Some((product, _)) = &mut self.drafts.product {
                    product.pictures.get_or_insert_with(Vec::new);
                }
            }
            (Tag::Product, Tag::PropertyValues) => {
                if let Some((product, _)) = &mut self.drafts.product {
                    product.property_values.get_or_insert_with(Vec::new);
                }
            }
            (Tag::PropertyValues, Tag::PropertyValue) => {
                self.drafts.property_value = Some(PropertyValue::default());
            }
            (Tag::Product | Tag::Offer, Tag::Requisites) => self.with_item(
                |p| {
                    p.requisites.get_or_insert_with(Vec::new);
                },
                |o| {
                    o.requisites.get_or_insert_with(Vec::new);
                },
            ),
            (Tag::Requisites, Tag::Requisite) => self.drafts.requisite = Some(Requisite::default()),
            (Tag::Product | Tag::Offer, Tag::Characteristics | Tag::BareCharacteristic) => {
                self.with_item(
                    |p| {
                        p.characteristics.get_or_insert_with(Vec::new);
                    },
                    |o| {
                        o.characteristics.get_or_insert_with(Vec::new);
                    },
                );
            }
            (Tag::Characteristics, Tag::Characteristic) => {
                self.drafts.characteristic = Some(Characteristic::default());
            }
            (Tag::TaxRates, Tag::TaxRate) => self.drafts.tax_rate = Some(TaxRate::default()),
            (Tag::Product | Tag::Offer, Tag::BaseUnit) => {
                self.drafts.base_unit = Some(BaseUnit {
                    text: String::new(),
                    code: attribute(attributes, "Код").map(|s| s.trim().to_owned()),
                    full_name: attribute(attributes, "НаименованиеПолное")
                        .map(|s| s.trim().to_owned()),
                    international: attribute(attributes, "МеждународноеСокращение")
                        .map(|s| s.trim().to_owned()),
                });
            }
            (Tag::Offer, Tag::Prices) => {
                if let Some((offer, _)) = &mut self.drafts.offer {
                    offer.prices.get_or_insert_with(Vec::new);
                }
            }
            (Tag::Prices, Tag::Price) => {
                let at = self.cursor();
                self.drafts.price = Some(PriceDraft {
                    price: Price::default(),
                    has_per_unit: false,
                    at,
                });
            }
            (Tag::Offer, Tag::Rests) => {
                if let Some((offer, _)) = &mut self.drafts.offer {
                    offer.stock.get_or_insert_with(Vec::new);
                }
            }
            (Tag::Rest, Tag::Warehouse) => {
                let at = self.cursor();
                self.drafts.rest = Some(RestDraft {
                    warehouse_id: String::new(),
                    quantity: None,
                    at,
                });
            }
            (_, Tag::Warehouse) if self.drafts.offer.is_some() => {
                // `<Склад ИдСклада="…" КоличествоНаСкладе="…"/>`, directly or inside `Склады`.
                if let Some(warehouse_id) = attribute(attributes, "ИдСклада") {
                    let quantity = attribute(attributes, "КоличествоНаСкладе")
                        .ok_or_else(|| missing(self.cursor(), "Склад", "КоличествоНаСкладе"))?;
                    let quantity = self.decimal("КоличествоНаСкладе", quantity)?;
                    let line = StockLine {
                        warehouse_id: warehouse_id.trim().to_owned(),
                        quantity,
                    };
                    if let Some((offer, _)) = &mut self.drafts.offer {
                        offer.stock.get_or_insert_with(Vec::new).push(line);
                    }
                }
            }
            (Tag::Contractors, Tag::Contractor) if self.section() == Section::Document => {
                self.drafts.contractor = Some(Contractor::default());
            }
            (Tag::Contacts, Tag::Contact) if self.grandparent() == Tag::Contractor => {
                self.drafts.contact = Some((String::new(), String::new()));
            }
            (Tag::Discounts, Tag::Discount) if self.section() == Section::Document => {
                self.drafts.discount = Some(Discount::default());
            }
            (_, Tag::Group | Tag::Product | Tag::Offer | Tag::Document) => {
                return Err(self.misplaced(tag));
            }
            _ => {}
        }
        Ok(())
    }

    /// The error for an item found where no exporter puts one.
    fn misplaced(&self, tag: Tag) -> Error {
        let path = match self.path_with("") {
            path if path.is_empty() => Tag::Root.name().to_owned(),
            path => path,
        };
        self.error(ErrorKind::Misplaced {
            element: tag.name(),
            path,
        })
    }

    /// Applies `on_product` to the product draft or `on_offer` to the offer draft, whichever
    /// the current element belongs to.
    fn with_item(
        &mut self,
        on_product: impl FnOnce(&mut Product),
        on_offer: impl FnOnce(&mut Offer),
    ) {
        match self.parent() {
            Tag::Product => {
                if let Some((product, _)) = &mut self.drafts.product {
                    on_product(product);
                }
            }
            Tag::Offer => {
                if let Some((offer, _)) = &mut self.drafts.offer {
                    on_offer(offer);
                }
            }
            _ => {}
        }
    }

    pub(super) fn on_end(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let parent = self.parent();
        match (parent, tag) {
            (host, Tag::Classifier) if hosts_sections(host) => {
                self.emit_classifier();
                self.sections.pop();
            }
            (host, Tag::Catalog) if hosts_sections(host) => {
                self.emit_catalog();
                self.sections.pop();
            }
            (host, Tag::OfferPackage | Tag::OfferChanges) if hosts_sections(host) => {
                self.emit_package();
                self.sections.pop();
            }
            (Tag::Root | Tag::Container, Tag::Document) => {
                if let Some(order) = self.drafts.order.take() {
                    self.summary.orders += 1;
                    self.pending.push_back(Item::Order(order));
                }
                self.sections.pop();
            }
            (Tag::Classifier, _) => self.classifier_field(tag, text),
            (Tag::Catalog, _) => self.catalog_field(tag, text),
            (Tag::OfferPackage | Tag::OfferChanges, _) => self.package_field(tag, text),
            (Tag::Group, _) if self.section() == Section::Classifier => {
                self.group_field(tag, text)?
            }
            (Tag::Groups, Tag::Group) if self.section() == Section::Classifier => {
                let last = self.drafts.groups.len().wrapping_sub(1);
                if self.drafts.groups.get(last).is_some_and(|g| !g.emitted) {
                    self.emit_group_at(last)?;
                }
                self.drafts.groups.pop();
            }
            (Tag::Property, _) => self.property_field(tag, text)?,
            (Tag::ReferenceBook, Tag::ValueId) => {
                if let Some(reference) = &mut self.drafts.reference {
                    reference.id = trimmed(text);
                }
            }
            (Tag::ReferenceBook, Tag::Value) => {
                if let Some(reference) = &mut self.drafts.reference {
                    reference.value = trimmed(text);
                }
            }
            (Tag::ValueVariants, Tag::ReferenceBook) => {
                if let (Some(reference), Some((property, _))) =
                    (self.drafts.reference.take(), &mut self.drafts.property)
                {
                    property.values.push(reference);
                }
            }
            (Tag::Properties, Tag::Property) => {
                if let Some((property, at)) = self.drafts.property.take() {
                    if property.id.is_empty() {
                        return Err(missing(at, "Свойство", "Ид"));
                    }
                    self.summary.properties += 1;
                    self.pending.push_back(Item::Property(property));
                }
            }
            (Tag::PriceType, _) => self.price_type_field(tag, text),
            (Tag::Tax, Tag::Name | Tag::TaxIncluded) if self.grandparent() == Tag::PriceType => {
                let included = if tag == Tag::TaxIncluded {
                    Some(self.boolean("УчтеноВСумме", text)?)
                } else {
                    None
                };
                if let Some((price_type, _)) = &mut self.drafts.price_type {
                    match included {
                        Some(included) => price_type.tax_included = Some(included),
                        None => price_type.tax_name = Some(trimmed(text)),
                    }
                }
            }
            (Tag::PriceTypes, Tag::PriceType) => {
                if let Some((price_type, at)) = self.drafts.price_type.take() {
                    if price_type.id.is_empty() {
                        return Err(missing(at, "ТипЦены", "Ид"));
                    }
                    self.summary.price_types += 1;
                    self.pending.push_back(Item::PriceType(price_type));
                }
            }
            (Tag::Warehouse, _) if self.drafts.rest.is_some() => self.rest_field(tag, text)?,
            (Tag::Warehouse, _) if self.drafts.warehouse.is_some() => {
                self.warehouse_field(tag, text)?
            }
            (Tag::Warehouses, Tag::Warehouse) => {
                if let Some((warehouse, at)) = self.drafts.warehouse.take() {
                    if warehouse.id.is_empty() {
                        return Err(missing(at, "Склад", "Ид"));
                    }
                    self.summary.warehouses += 1;
                    self.pending.push_back(Item::Warehouse(warehouse));
                }
            }
            (Tag::Rest, Tag::Warehouse) => self.finish_rest()?,
            (Tag::Rest, Tag::Quantity) => {
                // A warehouse-less `Остаток/Количество`: part of the offer's total.
                let quantity = self.decimal("Количество", text)?;
                if let Some((offer, _)) = &mut self.drafts.offer {
                    offer.quantity = Some(offer.quantity.unwrap_or_default() + quantity);
                }
            }
            (Tag::Unit, _) => self.unit_field(tag, text),
            (Tag::Units, Tag::Unit) => {
                if let Some(mut unit) = self.drafts.unit.take() {
                    if unit.id.is_empty() {
                        unit.id = unit.code.clone().unwrap_or_default();
                    }
                    self.summary.units += 1;
                    self.pending.push_back(Item::Unit(unit));
                }
            }
            (Tag::Product, _) if self.section() == Section::Catalog => {
                self.product_field(tag, text)?
            }
            (Tag::Product, _) if self.section() == Section::Document => {
                self.order_line_field(tag, text)?
            }
            (Tag::Offer, _) => self.offer_field(tag, text)?,
            (Tag::Products, Tag::Product) if self.section() == Section::Catalog => {
                self.finish_product()?
            }
            (Tag::Products, Tag::Product) if self.section() == Section::Document => {
                if let (Some(line), Some(order)) =
                    (self.drafts.order_line.take(), &mut self.drafts.order)
                {
                    order.lines.push(line);
                }
            }
            (Tag::Offers, Tag::Offer) => self.finish_offer()?,
            (Tag::Groups, Tag::Id) if self.grandparent() == Tag::Product => {
                if let Some((product, _)) = &mut self.drafts.product {
                    let id = trimmed(text);
                    if !id.is_empty() {
                        product.group_ids.get_or_insert_with(Vec::new).push(id);
                    }
                }
            }
            (Tag::Manufacturer, Tag::Name) if self.grandparent() == Tag::Product => {
                if let Some((product, _)) = &mut self.drafts.product {
                    product.manufacturer = Some(trimmed(text));
                }
            }
            (Tag::PropertyValue, Tag::Id) => {
                if let Some(value) = &mut self.drafts.property_value {
                    value.property_id = trimmed(text);
                }
            }
            // `ИдЗначения` names a reference-book value by its id, as `Значение` may too;
            // either is resolved to the value's name where the property is known.
            (Tag::PropertyValue, Tag::Value | Tag::ValueId) => {
                if let Some(value) = &mut self.drafts.property_value {
                    value.values.push(trimmed(text));
                }
            }
            (Tag::PropertyValues, Tag::PropertyValue) => {
                if let (Some(value), Some((product, _))) =
                    (self.drafts.property_value.take(), &mut self.drafts.product)
                    && !value.property_id.is_empty()
                {
                    product
                        .property_values
                        .get_or_insert_with(Vec::new)
                        .push(value);
                }
            }
            (Tag::Requisite, Tag::Name) => {
                if let Some(requisite) = &mut self.drafts.requisite {
                    requisite.name = trimmed(text);
                }
            }
            (Tag::Requisite, Tag::Value) => {
                if let Some(requisite) = &mut self.drafts.requisite {
                    if !requisite.value.is_empty() {
                        requisite.value.push('\n');
                    }
                    requisite.value.push_str(&trimmed(text));
                }
            }
            (Tag::Requisites, Tag::Requisite) => self.finish_requisite(),
            (Tag::Characteristic, Tag::Id | Tag::Name | Tag::Value) => {
                if let Some(characteristic) = &mut self.drafts.characteristic {
                    let value = trimmed(text);
                    match tag {
                        Tag::Id => characteristic.id = Some(value).filter(|v| !v.is_empty()),
                        Tag::Name => characteristic.name = value,
                        _ => characteristic.value = value,
                    }
                }
            }
            (Tag::Characteristics, Tag::Characteristic) => {
                if let Some(characteristic) = self.drafts.characteristic.take() {
                    let owner = self.grandparent();
                    self.push_characteristic(owner, characteristic);
                }
            }
            (Tag::TaxRate, Tag::Name | Tag::Rate) => {
                if let Some(rate) = &mut self.drafts.tax_rate {
                    if tag == Tag::Name {
                        rate.name = trimmed(text);
                    } else {
                        rate.rate = trimmed(text);
                    }
                }
            }
            (Tag::TaxRates, Tag::TaxRate) => {
                if let (Some(rate), Some((product, _))) =
                    (self.drafts.tax_rate.take(), &mut self.drafts.product)
                {
                    product.tax_rates.push(rate);
                }
            }
            (Tag::Price, _) => self.price_field(tag, text)?,
            (Tag::Prices, Tag::Price) => self.finish_price()?,
            (Tag::Document, _) => self.order_field(tag, text)?,
            (Tag::Contractor, _) if self.grandparent() == Tag::Contractors => {
                self.contractor_field(tag, text);
            }
            (Tag::Contractors, Tag::Contractor) => {
                if let (Some(contractor), Some(order)) =
                    (self.drafts.contractor.take(), &mut self.drafts.order)
                {
                    order.contractors.push(contractor);
                }
            }
            (Tag::LegalAddress, Tag::Presentation) if self.grandparent() == Tag::Contractor => {
                if let Some(contractor) = &mut self.drafts.contractor {
                    contractor.legal_address = Some(trimmed(text));
                }
            }
            (Tag::Discount, Tag::Name | Tag::Sum | Tag::Percent | Tag::TaxIncluded) => {
                self.discount_field(tag, text)?
            }
            (Tag::Discounts, Tag::Discount) => {
                // A line's discounts while a line is open, else the document's.
                if let Some(discount) = self.drafts.discount.take() {
                    if let Some(line) = &mut self.drafts.order_line {
                        line.discounts.push(discount);
                    } else if let Some(order) = &mut self.drafts.order {
                        order.discounts.push(discount);
                    }
                }
            }
            (Tag::RegistrationAddress | Tag::Address, Tag::Presentation)
                if self.grandparent() == Tag::Contractor =>
            {
                if let Some(contractor) = &mut self.drafts.contractor {
                    contractor.address.get_or_insert_with(|| trimmed(text));
                }
            }
            (Tag::Contact, Tag::Type | Tag::ContactKind | Tag::Value) => {
                if let Some(contact) = &mut self.drafts.contact {
                    if tag == Tag::Value {
                        contact.1 = trimmed(text);
                    } else {
                        contact.0 = trimmed(text);
                    }
                }
            }
            (Tag::Contacts, Tag::Contact) => {
                if let (Some(contact), Some(contractor)) =
                    (self.drafts.contact.take(), &mut self.drafts.contractor)
                {
                    contractor.contacts.push(contact);
                }
            }
            _ => {}
        }
        Ok(())
    }
}
