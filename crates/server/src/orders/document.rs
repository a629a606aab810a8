//! The orders document of `type=sale&mode=query`: CommerceML 2.05 without a namespace, in the
//! shape 1C and MoySklad are known to accept (a `Документ` per order, "Заказ товара"). The
//! buyer is a person or a company as the schema's `Контрагент` describes them; delivery is a
//! service line; discounts are `Скидки` already taken off the sums (`УчтеноВСумме`), so the
//! lines add up to the document's `Сумма` whichever of them a reader trusts.

use std::collections::BTreeMap;

use vitrina_store::{CustomerKind, OrderLineRow, OrderRow, OrderStatus};

use super::money_of;
use crate::i18n::Lang;

/// The `Ид` of the delivery line, as 1C's own exchange writes it.
pub const DELIVERY_ID: &str = "ORDER_DELIVERY";

/// Requisites every document carries, which the shop's own fields may not reuse.
pub const WRITTEN_REQUISITES: [&str; 11] = [
    "ФИО",
    "Телефон",
    "Почта",
    "Адрес",
    "Статус заказа",
    "Заказ оплачен",
    "Отменен",
    "Финальный статус",
    "Метод оплаты",
    "Способ доставки",
    "Адрес доставки",
];

/// The document's encoding, as `commerceml.orders_encoding` chooses it.
pub use crate::domain::settings::OrdersEncoding as Encoding;

/// XML text: the five special characters escaped (as HTML escapes them, which XML reads the
/// same), other control characters than tab and newlines dropped (XML 1.0 has none).
fn escape(text: &str) -> String {
    let allowed: String = text
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
        .collect();
    crate::html::escape(&allowed)
}

struct Xml {
    out: String,
    depth: usize,
}

impl Xml {
    fn open(&mut self, tag: &str) {
        self.indent();
        self.out.push_str(&format!("<{tag}>\n"));
        self.depth += 1;
    }

    fn close(&mut self, tag: &str) {
        self.depth -= 1;
        self.indent();
        self.out.push_str(&format!("</{tag}>\n"));
    }

    fn field(&mut self, tag: &str, value: &str) {
        self.indent();
        self.out
            .push_str(&format!("<{tag}>{}</{tag}>\n", escape(value)));
    }

    /// `<Скидки>` with one `Скидка` per (name, amount, percent) above zero, taken off already.
    fn discounts(&mut self, discounts: &[(&str, String, Option<&str>)]) {
        if discounts.is_empty() {
            return;
        }
        self.open("Скидки");
        for (name, sum, percent) in discounts {
            self.open("Скидка");
            self.field("Наименование", name);
            self.field("Сумма", sum);
            if let Some(percent) = percent {
                self.field("Процент", percent);
            }
            self.field("УчтеноВСумме", "true");
            self.close("Скидка");
        }
        self.close("Скидки");
    }

    fn address(&mut self, tag: &str, text: &str) {
        if !text.is_empty() {
            self.open(tag);
            self.field("Представление", text);
            self.close(tag);
        }
    }

    fn requisite(&mut self, name: &str, value: &str) {
        self.open("ЗначениеРеквизита");
        self.field("Наименование", name);
        self.field("Значение", value);
        self.close("ЗначениеРеквизита");
    }

    fn indent(&mut self) {
        self.out.push_str(&"  ".repeat(self.depth));
    }
}

/// `2026-11-29` and `07:13:24` (UTC) of Unix milliseconds.
fn date_and_time(millis: i64) -> (String, String) {
    let iso = crate::clock::utc(millis);
    let (date, time) = iso.split_once('T').unwrap_or((&iso, "00:00:00Z"));
    (date.to_owned(), time.trim_end_matches('Z').to_owned())
}

/// The document for these orders (an empty root when there are none), and its bytes in
/// `encoding` with a matching declaration.
pub fn write(orders: &[(OrderRow, Vec<OrderLineRow>)], now: i64, encoding: Encoding) -> Vec<u8> {
    let (today, time) = date_and_time(now);
    let mut xml = Xml {
        out: format!("<?xml version=\"1.0\" encoding=\"{}\"?>\n", encoding.name()),
        depth: 0,
    };
    xml.out.push_str(&format!(
        "<КоммерческаяИнформация ВерсияСхемы=\"2.05\" ДатаФормирования=\"{today}T{time}\">\n"
    ));
    xml.depth = 1;
    for (order, lines) in orders {
        write_order(&mut xml, order, lines);
    }
    xml.out.push_str("</КоммерческаяИнформация>\n");
    match encoding {
        Encoding::Utf8 => xml.out.into_bytes(),
        // Characters windows-1251 lacks become numeric references, which XML reads back.
        Encoding::Windows1251 => encoding_rs::WINDOWS_1251.encode(&xml.out).0.into_owned(),
    }
}

fn write_order(xml: &mut Xml, order: &OrderRow, lines: &[OrderLineRow]) {
    let (date, time) = date_and_time(order.created_at);
    xml.open("Документ");
    xml.field("Ид", &order.number);
    xml.field("Номер", &order.number);
    xml.field("Дата", &date);
    xml.field("ХозОперация", "Заказ товара");
    xml.field("Роль", "Продавец");
    xml.field("Валюта", order.currency.as_deref().unwrap_or("RUB"));
    xml.field("Курс", "1");
    xml.field("Сумма", &order.total);
    xml.open("Контрагенты");
    write_buyer(xml, order);
    xml.close("Контрагенты");
    xml.field("Время", &time);
    xml.field("Комментарий", &order.comment);
    let order_discount = money_of(&order.discount_amount);
    if !order_discount.is_zero() {
        xml.discounts(&[(
            "Скидка на заказ",
            order.discount_amount.clone(),
            order.discount_percent.as_deref(),
        )]);
    }
    xml.open("Товары");
    for line in lines {
        xml.open("Товар");
        xml.field("Ид", &line.external_id);
        if !line.sku.is_empty() {
            xml.field("Артикул", &line.sku);
        }
        xml.field("Наименование", &line.name);
        xml.field("БазоваяЕдиница", line.unit.as_deref().unwrap_or("шт"));
        xml.field("ЦенаЗаЕдиницу", &line.price);
        xml.field("Количество", &line.quantity);
        xml.field("Сумма", &line.sum);
        let mut discounts = Vec::new();
        if !money_of(&line.line_discount).is_zero() {
            let percent = line.discount_percent.as_deref();
            discounts.push(("Скидка на товар", line.line_discount.clone(), percent));
        }
        if !money_of(&line.order_discount).is_zero() {
            discounts.push(("Скидка на заказ", line.order_discount.clone(), None));
        }
        xml.discounts(&discounts);
        xml.open("ЗначенияРеквизитов");
        xml.requisite("ВидНоменклатуры", "Товар");
        xml.requisite("ТипНоменклатуры", "Товар");
        xml.close("ЗначенияРеквизитов");
        xml.close("Товар");
    }
    if let Some(price) = &order.delivery_price {
        xml.open("Товар");
        xml.field("Ид", DELIVERY_ID);
        xml.field("Наименование", "Доставка");
        xml.field("БазоваяЕдиница", "шт");
        xml.field("ЦенаЗаЕдиницу", price);
        xml.field("Количество", "1");
        xml.field("Сумма", price);
        xml.open("ЗначенияРеквизитов");
        xml.requisite("ВидНоменклатуры", "Услуга");
        xml.requisite("ТипНоменклатуры", "Услуга");
        xml.close("ЗначенияРеквизитов");
        xml.close("Товар");
    }
    xml.close("Товары");
    xml.open("ЗначенияРеквизитов");
    xml.requisite("ФИО", &order.customer_name);
    xml.requisite("Телефон", &order.customer_phone);
    xml.requisite("Почта", &order.customer_email);
    xml.requisite("Адрес", &order.address);
    if !order.payment_method.is_empty() {
        xml.requisite("Метод оплаты", &order.payment_method);
    }
    if order.delivery_price.is_some() {
        xml.requisite("Способ доставки", &order.delivery_method);
        if !order.delivery_address.is_empty() {
            xml.requisite("Адрес доставки", &order.delivery_address);
        }
    }
    xml.requisite("Статус заказа", super::status_label(order.status, Lang::Ru));
    xml.requisite("Заказ оплачен", if order.paid { "true" } else { "false" });
    let cancelled = order.status == OrderStatus::Cancelled;
    xml.requisite("Отменен", if cancelled { "true" } else { "false" });
    let finished = matches!(
        order.status,
        OrderStatus::Completed | OrderStatus::Cancelled
    );
    xml.requisite("Финальный статус", if finished { "true" } else { "false" });
    let extra: BTreeMap<String, String> = serde_json::from_str(&order.extra).unwrap_or_default();
    for (name, value) in &extra {
        xml.requisite(name, value);
    }
    xml.close("ЗначенияРеквизитов");
    xml.close("Документ");
}

/// `Контрагент`: a company by its legal details (MoySklad matches it by ИНН and КПП), a
/// person by name; both with contacts.
fn write_buyer(xml: &mut Xml, order: &OrderRow) {
    xml.open("Контрагент");
    let company = order.customer_kind == CustomerKind::Company;
    // A stable id per buyer: MoySklad matches counterparties by it.
    let id = if company {
        format!(
            "inn:{}{}",
            order.company_inn,
            if order.company_kpp.is_empty() {
                String::new()
            } else {
                format!("/{}", order.company_kpp)
            }
        )
    } else if order.customer_email.is_empty() {
        format!("customer:{}", order.customer_phone.to_lowercase())
    } else {
        format!("customer:{}", order.customer_email.to_lowercase())
    };
    xml.field("Ид", &id);
    xml.field("Наименование", &order.customer_name);
    if company {
        xml.field("ОфициальноеНаименование", &order.customer_name);
        xml.address("ЮридическийАдрес", &order.legal_address);
        xml.field("ИНН", &order.company_inn);
        if !order.company_kpp.is_empty() {
            xml.field("КПП", &order.company_kpp);
        }
    } else {
        xml.field("ПолноеНаименование", &order.customer_name);
        xml.address("АдресРегистрации", &order.address);
    }
    let actual = if order.delivery_address.is_empty() {
        &order.address
    } else {
        &order.delivery_address
    };
    if company {
        xml.address("Адрес", actual);
    }
    xml.open("Контакты");
    for (kind, value) in [
        ("Телефон", &order.customer_phone),
        ("Почта", &order.customer_email),
    ] {
        if !value.is_empty() {
            xml.open("Контакт");
            xml.field("Тип", kind);
            xml.field("Значение", value);
            xml.close("Контакт");
        }
    }
    xml.close("Контакты");
    xml.field("Роль", "Покупатель");
    xml.close("Контрагент");
}
