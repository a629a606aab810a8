//! The element names the reader understands, as an enum so that dispatch is a cheap match.

/// Declares [`Tag`] and its name table once.
macro_rules! tags {
    ($($variant:ident = $name:literal,)*) => {
        /// A CommerceML element by its local name; everything else is [`Tag::Other`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub(crate) enum Tag {
            $(
                #[doc = $name]
                $variant,
            )*
            /// An element this reader does not interpret (skipped with its content).
            Other,
        }

        impl Tag {
            /// Every named tag, in declaration order.
            #[cfg(test)]
            pub(crate) const ALL: &'static [Self] = &[$(Self::$variant,)*];

            /// The tag for a local name, compared as bytes: the input is already validated
            /// UTF-8, so no second check is spent on every element name.
            pub(crate) fn from_local_name(name: &[u8]) -> Self {
                $(
                    if name == $name.as_bytes() {
                        return Self::$variant;
                    }
                )*
                Self::Other
            }

            /// The element name as written in documents.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Self::$variant => $name,)*
                    Self::Other => "?",
                }
            }
        }
    };
}

tags! {
    // Most frequent first: names are tried in this order.
    Id = "Ид",
    Name = "Наименование",
    Value = "Значение",
    PropertyValue = "ЗначенияСвойства",
    Requisite = "ЗначениеРеквизита",
    Price = "Цена",
    PriceTypeId = "ИдТипаЦены",
    PricePerUnit = "ЦенаЗаЕдиницу",
    Currency = "Валюта",
    UnitRef = "Единица",
    Coefficient = "Коэффициент",
    Presentation = "Представление",
    Warehouse = "Склад",
    Quantity = "Количество",
    Rest = "Остаток",
    Rests = "Остатки",
    Product = "Товар",
    Offer = "Предложение",
    Sku = "Артикул",
    BaseUnit = "БазоваяЕдиница",
    Groups = "Группы",
    Description = "Описание",
    Barcode = "Штрихкод",
    PropertyValues = "ЗначенияСвойств",
    Requisites = "ЗначенияРеквизитов",
    Prices = "Цены",
    Characteristic = "ХарактеристикаТовара",
    Characteristics = "ХарактеристикиТовара",
    Picture = "Картинка",
    Group = "Группа",
    Root = "КоммерческаяИнформация",
    Classifier = "Классификатор",
    Catalog = "Каталог",
    OfferPackage = "ПакетПредложений",
    OfferChanges = "ИзмененияПакетаПредложений",
    Document = "Документ",
    Properties = "Свойства",
    Property = "Свойство",
    ValueType = "ТипЗначений",
    ValueVariants = "ВариантыЗначений",
    ReferenceBook = "Справочник",
    ValueId = "ИдЗначения",
    PriceTypes = "ТипыЦен",
    PriceType = "ТипЦены",
    Tax = "Налог",
    // Of a tax or a discount: the sum already includes it.
    TaxIncluded = "УчтеноВСумме",
    Warehouses = "Склады",
    Units = "ЕдиницыИзмерения",
    Unit = "ЕдиницаИзмерения",
    ShortName = "НаименованиеКраткое",
    Code = "Код",
    FullName = "НаименованиеПолное",
    International = "МеждународноеСокращение",
    ClassifierId = "ИдКлассификатора",
    CatalogId = "ИдКаталога",
    Products = "Товары",
    Manufacturer = "Изготовитель",
    TaxRates = "СтавкиНалогов",
    TaxRate = "СтавкаНалога",
    Rate = "Ставка",
    Status = "Статус",
    DeletionMark = "ПометкаУдаления",
    BareCharacteristic = "Характеристика",
    Offers = "Предложения",
    CharacteristicId = "ИдХарактеристики",
    Number = "Номер",
    Date = "Дата",
    Time = "Время",
    Operation = "ХозОперация",
    Role = "Роль",
    ExchangeRate = "Курс",
    Sum = "Сумма",
    Comment = "Комментарий",
    Contractors = "Контрагенты",
    Contractor = "Контрагент",
    ContractorFullName = "ПолноеНаименование",
    OfficialName = "ОфициальноеНаименование",
    LastName = "Фамилия",
    FirstName = "Имя",
    MiddleName = "Отчество",
    RegistrationAddress = "АдресРегистрации",
    Address = "Адрес",
    Contacts = "Контакты",
    Contact = "Контакт",
    Type = "Тип",
    ContactKind = "КонтактВид",
    Number1C = "Номер1С",
    Date1C = "Дата1С",
    Inn = "ИНН",
    Kpp = "КПП",
    Container = "Контейнер",
    LegalAddress = "ЮридическийАдрес",
    Discounts = "Скидки",
    Discount = "Скидка",
    Percent = "Процент",
}

impl Tag {
    /// Whether the reader uses this element's attributes (others are only counted).
    pub(crate) fn reads_attributes(self) -> bool {
        matches!(
            self,
            Self::Root
                | Self::Classifier
                | Self::Catalog
                | Self::OfferPackage
                | Self::OfferChanges
                | Self::Product
                | Self::Offer
                | Self::BaseUnit
                | Self::Warehouse
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Tag;

    #[test]
    fn names_round_trip() {
        // Every tag: a name declared twice would send the second one's elements to the first.
        for tag in Tag::ALL {
            assert_eq!(Tag::from_local_name(tag.name().as_bytes()), *tag);
        }
        assert_eq!(Tag::from_local_name("Неизвестный".as_bytes()), Tag::Other);
    }
}
