//! Fields of order documents, their contractors and lines.

use std::io::BufRead;

use super::Reader;
use crate::error::Error;
use crate::tags::Tag;
use crate::values::trimmed;

impl<R: BufRead> Reader<R> {
    pub(super) fn order_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let number = match tag {
            Tag::ExchangeRate => Some(self.decimal("Курс", text)?),
            Tag::Sum => Some(self.decimal("Сумма", text)?),
            _ => None,
        };
        let mark = if tag == Tag::DeletionMark {
            self.boolean("ПометкаУдаления", text)?
        } else {
            false
        };
        let Some(order) = &mut self.drafts.order else {
            return Ok(());
        };
        let value = || Some(trimmed(text));
        match tag {
            Tag::Id => order.id = value(),
            Tag::Number => order.number = value(),
            Tag::Date => order.date = value(),
            Tag::Time => order.time = value(),
            Tag::Number1C => order.number_1c = value(),
            Tag::Date1C => order.date_1c = value(),
            Tag::Operation => order.operation = value(),
            Tag::Role => order.role = value(),
            Tag::Currency => order.currency = value(),
            Tag::ExchangeRate => order.rate = number,
            Tag::Sum => order.sum = number,
            Tag::Comment => order.comment = value(),
            Tag::DeletionMark => order.deletion_mark = mark,
            _ => {}
        }
        Ok(())
    }

    pub(super) fn contractor_field(&mut self, tag: Tag, text: &str) {
        let Some(contractor) = &mut self.drafts.contractor else {
            return;
        };
        let value = || Some(trimmed(text));
        match tag {
            Tag::Id => contractor.id = value(),
            Tag::Name => contractor.name = value(),
            Tag::ContractorFullName | Tag::OfficialName if contractor.full_name.is_none() => {
                contractor.full_name = value();
            }
            Tag::Role => contractor.role = value(),
            Tag::LastName => contractor.last_name = value(),
            Tag::FirstName => contractor.first_name = value(),
            Tag::MiddleName => contractor.middle_name = value(),
            Tag::Inn => contractor.inn = value(),
            Tag::Kpp => contractor.kpp = value(),
            _ => {}
        }
    }

    pub(super) fn order_line_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let number = match tag {
            Tag::PricePerUnit => Some(self.decimal("ЦенаЗаЕдиницу", text)?),
            Tag::Quantity => Some(self.decimal("Количество", text)?),
            Tag::Sum => Some(self.decimal("Сумма", text)?),
            _ => None,
        };
        let base_unit = if tag == Tag::BaseUnit {
            self.drafts.base_unit.take()
        } else {
            None
        };
        let Some(line) = &mut self.drafts.order_line else {
            return Ok(());
        };
        match tag {
            Tag::Id => line.id = trimmed(text),
            Tag::CatalogId => line.catalog_id = Some(trimmed(text)),
            Tag::Sku => line.sku = Some(trimmed(text)),
            Tag::Name => line.name = Some(trimmed(text)),
            Tag::PricePerUnit => line.price_per_unit = number,
            Tag::Quantity => line.quantity = number,
            Tag::Sum => line.sum = number,
            Tag::BaseUnit => {
                if let Some(mut unit) = base_unit {
                    unit.text = trimmed(text);
                    line.base_unit = Some(unit);
                }
            }
            _ => {}
        }
        Ok(())
    }

    pub(super) fn discount_field(&mut self, tag: Tag, text: &str) -> Result<(), Error> {
        let number = match tag {
            Tag::Sum => Some(self.decimal("Сумма", text)?),
            Tag::Percent => Some(self.decimal("Процент", text)?),
            _ => None,
        };
        let included = tag == Tag::TaxIncluded && self.boolean("УчтеноВСумме", text)?;
        let Some(discount) = &mut self.drafts.discount else {
            return Ok(());
        };
        match tag {
            Tag::Name => discount.name = trimmed(text),
            Tag::Sum => discount.sum = number,
            Tag::Percent => discount.percent = number,
            Tag::TaxIncluded => discount.included = included,
            _ => {}
        }
        Ok(())
    }
}
