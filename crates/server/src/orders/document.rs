//! The orders document of `type=sale&mode=query`: CommerceML 2.05 without a namespace, in the
//! shape 1C and MoySklad are known to accept (a `Документ` per order, "Заказ товара").

use vitrina_store::{OrderLineRow, OrderRow, OrderStatus};

use crate::i18n::Lang;

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
        let (date, time) = date_and_time(order.created_at);
        xml.open("Документ");
        xml.field("Ид", &order.number);
        xml.field("Номер", &order.number);
        xml.field("Дата", &date);
        xml.field("Время", &time);
        xml.field("ХозОперация", "Заказ товара");
        xml.field("Роль", "Продавец");
        xml.field("Валюта", order.currency.as_deref().unwrap_or("RUB"));
        xml.field("Курс", "1");
        xml.field("Сумма", &order.total);
        xml.open("Контрагенты");
        xml.open("Контрагент");
        // A stable id per customer: MoySklad matches counterparties by it.
        let contact = if order.customer_email.is_empty() {
            &order.customer_phone
        } else {
            &order.customer_email
        };
        xml.field("Ид", &format!("customer:{}", contact.to_lowercase()));
        xml.field("Наименование", &order.customer_name);
        xml.field("ПолноеНаименование", &order.customer_name);
        xml.field("Роль", "Покупатель");
        if !order.address.is_empty() {
            xml.open("АдресРегистрации");
            xml.field("Представление", &order.address);
            xml.close("АдресРегистрации");
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
        xml.close("Контрагент");
        xml.close("Контрагенты");
        xml.field("Комментарий", &order.comment);
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
            xml.open("ЗначенияРеквизитов");
            xml.requisite("ВидНоменклатуры", "Товар");
            xml.requisite("ТипНоменклатуры", "Товар");
            xml.close("ЗначенияРеквизитов");
            xml.close("Товар");
        }
        xml.close("Товары");
        xml.open("ЗначенияРеквизитов");
        xml.requisite("ФИО", &order.customer_name);
        xml.requisite("Телефон", &order.customer_phone);
        xml.requisite("Почта", &order.customer_email);
        xml.requisite("Адрес", &order.address);
        xml.requisite("Статус заказа", super::status_label(order.status, Lang::Ru));
        xml.requisite("Заказ оплачен", if order.paid { "true" } else { "false" });
        xml.requisite(
            "Отменен",
            if order.status == OrderStatus::Cancelled {
                "true"
            } else {
                "false"
            },
        );
        xml.requisite(
            "Финальный статус",
            if matches!(
                order.status,
                OrderStatus::Completed | OrderStatus::Cancelled
            ) {
                "true"
            } else {
                "false"
            },
        );
        xml.close("ЗначенияРеквизитов");
        xml.close("Документ");
    }
    xml.out.push_str("</КоммерческаяИнформация>\n");
    match encoding {
        Encoding::Utf8 => xml.out.into_bytes(),
        // Characters windows-1251 lacks become numeric references, which XML reads back.
        Encoding::Windows1251 => encoding_rs::WINDOWS_1251.encode(&xml.out).0.into_owned(),
    }
}
