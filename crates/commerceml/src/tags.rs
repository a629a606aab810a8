//! The element names the reader understands, as an enum so that dispatch is a cheap match.

/// A CommerceML element by its local name; everything else is [`Tag::Other`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    /// `КоммерческаяИнформация`
    Root,
    /// `Классификатор`
    Classifier,
    /// `Каталог`
    Catalog,
    /// `ПакетПредложений`
    OfferPackage,
    /// `ИзмененияПакетаПредложений`
    OfferChanges,
    /// `Документ`
    Document,
    /// `Ид`
    Id,
    /// `Наименование`
    Name,
    /// `Группы`
    Groups,
    /// `Группа`
    Group,
    /// `Свойства`
    Properties,
    /// `Свойство`
    Property,
    /// `ТипЗначений`
    ValueType,
    /// `ВариантыЗначений`
    ValueVariants,
    /// `Справочник`
    ReferenceBook,
    /// `ИдЗначения`
    ValueId,
    /// `Значение`
    Value,
    /// `ТипыЦен`
    PriceTypes,
    /// `ТипЦены`
    PriceType,
    /// `Валюта`
    Currency,
    /// `Налог`
    Tax,
    /// `УчтеноВСумме`
    TaxIncluded,
    /// `Склады`
    Warehouses,
    /// `Склад`
    Warehouse,
    /// `ЕдиницыИзмерения`
    Units,
    /// `ЕдиницаИзмерения`
    Unit,
    /// `НаименованиеКраткое`
    ShortName,
    /// `Код`
    Code,
    /// `НаименованиеПолное`
    FullName,
    /// `МеждународноеСокращение`
    International,
    /// `ИдКлассификатора`
    ClassifierId,
    /// `ИдКаталога`
    CatalogId,
    /// `Товары`
    Products,
    /// `Товар`
    Product,
    /// `Штрихкод`
    Barcode,
    /// `Артикул`
    Sku,
    /// `БазоваяЕдиница`
    BaseUnit,
    /// `Описание`
    Description,
    /// `Картинка`
    Picture,
    /// `Изготовитель`
    Manufacturer,
    /// `ЗначенияСвойств`
    PropertyValues,
    /// `ЗначенияСвойства`
    PropertyValue,
    /// `ЗначенияРеквизитов`
    Requisites,
    /// `ЗначениеРеквизита`
    Requisite,
    /// `СтавкиНалогов`
    TaxRates,
    /// `СтавкаНалога`
    TaxRate,
    /// `Ставка`
    Rate,
    /// `Статус`
    Status,
    /// `ПометкаУдаления`
    DeletionMark,
    /// `ХарактеристикиТовара`
    Characteristics,
    /// `ХарактеристикаТовара`
    Characteristic,
    /// `Характеристика`
    BareCharacteristic,
    /// `Предложения`
    Offers,
    /// `Предложение`
    Offer,
    /// `Цены`
    Prices,
    /// `Цена`
    Price,
    /// `Представление`
    Presentation,
    /// `ИдТипаЦены`
    PriceTypeId,
    /// `ЦенаЗаЕдиницу`
    PricePerUnit,
    /// `Единица`
    UnitRef,
    /// `Коэффициент`
    Coefficient,
    /// `Количество`
    Quantity,
    /// `Остатки`
    Rests,
    /// `Остаток`
    Rest,
    /// `ИдХарактеристики`
    CharacteristicId,
    /// `Номер`
    Number,
    /// `Дата`
    Date,
    /// `Время`
    Time,
    /// `ХозОперация`
    Operation,
    /// `Роль`
    Role,
    /// `Курс`
    ExchangeRate,
    /// `Сумма`
    Sum,
    /// `Комментарий`
    Comment,
    /// `Контрагенты`
    Contractors,
    /// `Контрагент`
    Contractor,
    /// `ПолноеНаименование`
    ContractorFullName,
    /// `ОфициальноеНаименование`
    OfficialName,
    /// `Фамилия`
    LastName,
    /// `Имя`
    FirstName,
    /// `Отчество`
    MiddleName,
    /// `АдресРегистрации`
    RegistrationAddress,
    /// `Адрес`
    Address,
    /// `Контакты`
    Contacts,
    /// `Контакт`
    Contact,
    /// `Тип`
    Type,
    /// `КонтактВид`
    ContactKind,
    /// `Номер1С`
    Number1C,
    /// `Дата1С`
    Date1C,
    /// `ИНН`
    Inn,
    /// `КПП`
    Kpp,
    /// An element this reader does not interpret (skipped with its content).
    Other,
}

impl Tag {
    /// The tag for a local name.
    pub(crate) fn from_local_name(name: &str) -> Self {
        match name {
            "КоммерческаяИнформация" => Self::Root,
            "Классификатор" => Self::Classifier,
            "Каталог" => Self::Catalog,
            "ПакетПредложений" => Self::OfferPackage,
            "ИзмененияПакетаПредложений" => Self::OfferChanges,
            "Документ" => Self::Document,
            "Ид" => Self::Id,
            "Наименование" => Self::Name,
            "Группы" => Self::Groups,
            "Группа" => Self::Group,
            "Свойства" => Self::Properties,
            "Свойство" => Self::Property,
            "ТипЗначений" => Self::ValueType,
            "ВариантыЗначений" => Self::ValueVariants,
            "Справочник" => Self::ReferenceBook,
            "ИдЗначения" => Self::ValueId,
            "Значение" => Self::Value,
            "ТипыЦен" => Self::PriceTypes,
            "ТипЦены" => Self::PriceType,
            "Валюта" => Self::Currency,
            "Налог" => Self::Tax,
            "УчтеноВСумме" => Self::TaxIncluded,
            "Склады" => Self::Warehouses,
            "Склад" => Self::Warehouse,
            "ЕдиницыИзмерения" => Self::Units,
            "ЕдиницаИзмерения" => Self::Unit,
            "НаименованиеКраткое" => Self::ShortName,
            "Код" => Self::Code,
            "НаименованиеПолное" => Self::FullName,
            "МеждународноеСокращение" => Self::International,
            "ИдКлассификатора" => Self::ClassifierId,
            "ИдКаталога" => Self::CatalogId,
            "Товары" => Self::Products,
            "Товар" => Self::Product,
            "Штрихкод" => Self::Barcode,
            "Артикул" => Self::Sku,
            "БазоваяЕдиница" => Self::BaseUnit,
            "Описание" => Self::Description,
            "Картинка" => Self::Picture,
            "Изготовитель" => Self::Manufacturer,
            "ЗначенияСвойств" => Self::PropertyValues,
            "ЗначенияСвойства" => Self::PropertyValue,
            "ЗначенияРеквизитов" => Self::Requisites,
            "ЗначениеРеквизита" => Self::Requisite,
            "СтавкиНалогов" => Self::TaxRates,
            "СтавкаНалога" => Self::TaxRate,
            "Ставка" => Self::Rate,
            "Статус" => Self::Status,
            "ПометкаУдаления" => Self::DeletionMark,
            "ХарактеристикиТовара" => Self::Characteristics,
            "ХарактеристикаТовара" => Self::Characteristic,
            "Характеристика" => Self::BareCharacteristic,
            "Предложения" => Self::Offers,
            "Предложение" => Self::Offer,
            "Цены" => Self::Prices,
            "Цена" => Self::Price,
            "Представление" => Self::Presentation,
            "ИдТипаЦены" => Self::PriceTypeId,
            "ЦенаЗаЕдиницу" => Self::PricePerUnit,
            "Единица" => Self::UnitRef,
            "Коэффициент" => Self::Coefficient,
            "Количество" => Self::Quantity,
            "Остатки" => Self::Rests,
            "Остаток" => Self::Rest,
            "ИдХарактеристики" => Self::CharacteristicId,
            "Номер" => Self::Number,
            "Дата" => Self::Date,
            "Время" => Self::Time,
            "ХозОперация" => Self::Operation,
            "Роль" => Self::Role,
            "Курс" => Self::ExchangeRate,
            "Сумма" => Self::Sum,
            "Комментарий" => Self::Comment,
            "Контрагенты" => Self::Contractors,
            "Контрагент" => Self::Contractor,
            "ПолноеНаименование" => Self::ContractorFullName,
            "ОфициальноеНаименование" => Self::OfficialName,
            "Фамилия" => Self::LastName,
            "Имя" => Self::FirstName,
            "Отчество" => Self::MiddleName,
            "АдресРегистрации" => Self::RegistrationAddress,
            "Адрес" => Self::Address,
            "Контакты" => Self::Contacts,
            "Контакт" => Self::Contact,
            "Тип" => Self::Type,
            "КонтактВид" => Self::ContactKind,
            "Номер1С" => Self::Number1C,
            "Дата1С" => Self::Date1C,
            "ИНН" => Self::Inn,
            "КПП" => Self::Kpp,
            _ => Self::Other,
        }
    }

    /// The element name as written in documents.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Root => "КоммерческаяИнформация",
            Self::Classifier => "Классификатор",
            Self::Catalog => "Каталог",
            Self::OfferPackage => "ПакетПредложений",
            Self::OfferChanges => "ИзмененияПакетаПредложений",
            Self::Document => "Документ",
            Self::Id => "Ид",
            Self::Name => "Наименование",
            Self::Groups => "Группы",
            Self::Group => "Группа",
            Self::Properties => "Свойства",
            Self::Property => "Свойство",
            Self::ValueType => "ТипЗначений",
            Self::ValueVariants => "ВариантыЗначений",
            Self::ReferenceBook => "Справочник",
            Self::ValueId => "ИдЗначения",
            Self::Value => "Значение",
            Self::PriceTypes => "ТипыЦен",
            Self::PriceType => "ТипЦены",
            Self::Currency => "Валюта",
            Self::Tax => "Налог",
            Self::TaxIncluded => "УчтеноВСумме",
            Self::Warehouses => "Склады",
            Self::Warehouse => "Склад",
            Self::Units => "ЕдиницыИзмерения",
            Self::Unit => "ЕдиницаИзмерения",
            Self::ShortName => "НаименованиеКраткое",
            Self::Code => "Код",
            Self::FullName => "НаименованиеПолное",
            Self::International => "МеждународноеСокращение",
            Self::ClassifierId => "ИдКлассификатора",
            Self::CatalogId => "ИдКаталога",
            Self::Products => "Товары",
            Self::Product => "Товар",
            Self::Barcode => "Штрихкод",
            Self::Sku => "Артикул",
            Self::BaseUnit => "БазоваяЕдиница",
            Self::Description => "Описание",
            Self::Picture => "Картинка",
            Self::Manufacturer => "Изготовитель",
            Self::PropertyValues => "ЗначенияСвойств",
            Self::PropertyValue => "ЗначенияСвойства",
            Self::Requisites => "ЗначенияРеквизитов",
            Self::Requisite => "ЗначениеРеквизита",
            Self::TaxRates => "СтавкиНалогов",
            Self::TaxRate => "СтавкаНалога",
            Self::Rate => "Ставка",
            Self::Status => "Статус",
            Self::DeletionMark => "ПометкаУдаления",
            Self::Characteristics => "ХарактеристикиТовара",
            Self::Characteristic => "ХарактеристикаТовара",
            Self::BareCharacteristic => "Характеристика",
            Self::Offers => "Предложения",
            Self::Offer => "Предложение",
            Self::Prices => "Цены",
            Self::Price => "Цена",
            Self::Presentation => "Представление",
            Self::PriceTypeId => "ИдТипаЦены",
            Self::PricePerUnit => "ЦенаЗаЕдиницу",
            Self::UnitRef => "Единица",
            Self::Coefficient => "Коэффициент",
            Self::Quantity => "Количество",
            Self::Rests => "Остатки",
            Self::Rest => "Остаток",
            Self::CharacteristicId => "ИдХарактеристики",
            Self::Number => "Номер",
            Self::Date => "Дата",
            Self::Time => "Время",
            Self::Operation => "ХозОперация",
            Self::Role => "Роль",
            Self::ExchangeRate => "Курс",
            Self::Sum => "Сумма",
            Self::Comment => "Комментарий",
            Self::Contractors => "Контрагенты",
            Self::Contractor => "Контрагент",
            Self::ContractorFullName => "ПолноеНаименование",
            Self::OfficialName => "ОфициальноеНаименование",
            Self::LastName => "Фамилия",
            Self::FirstName => "Имя",
            Self::MiddleName => "Отчество",
            Self::RegistrationAddress => "АдресРегистрации",
            Self::Address => "Адрес",
            Self::Contacts => "Контакты",
            Self::Contact => "Контакт",
            Self::Type => "Тип",
            Self::ContactKind => "КонтактВид",
            Self::Number1C => "Номер1С",
            Self::Date1C => "Дата1С",
            Self::Inn => "ИНН",
            Self::Kpp => "КПП",
            Self::Other => "?",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tag;

    #[test]
    fn names_round_trip() {
        for tag in [Tag::Root, Tag::Product, Tag::Offer, Tag::Inn, Tag::Date1C] {
            assert_eq!(Tag::from_local_name(tag.name()), tag);
        }
        assert_eq!(Tag::from_local_name("Неизвестный"), Tag::Other);
    }
}
