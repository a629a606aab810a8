//! The items a CommerceML document is made of, as the reader yields them.
//!
//! Conventions: `Option<String>` is `None` when the element is absent and `Some` (possibly
//! empty) when present, because in a changes-only document "absent" means "unchanged" while
//! "present and empty" means "cleared". Ids, numbers, dates and booleans are trimmed; names,
//! descriptions and values lose leading and trailing whitespace and keep inner whitespace.

use rust_decimal::Decimal;

/// What the root element says about the document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Header {
    /// `ВерсияСхемы`, e.g. `2.04`, `2.10`, `3.1`.
    pub schema_version: Option<String>,
    /// `ДатаФормирования`, as written.
    pub generated_at: Option<String>,
    /// MoySklad's marker attribute `СинхронизацияТоваров`: present only in MoySklad files.
    pub moysklad_sync: Option<bool>,
    /// The namespace of the root element, if any (`urn:1C.ru:commerceml_2`, `…_210`, `…_3`).
    pub namespace: Option<String>,
}

impl Header {
    /// Whether the document was written by MoySklad (it alone writes `СинхронизацияТоваров`).
    pub fn is_moysklad(&self) -> bool {
        self.moysklad_sync.is_some()
    }
}

/// `Классификатор`: the reference data (groups, properties, and in packaged exchanges price
/// types, warehouses and units).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Classifier {
    /// `Ид`.
    pub id: String,
    /// `Наименование`.
    pub name: String,
    /// `СодержитТолькоИзменения`.
    pub changes_only: bool,
}

/// `Каталог`: the header of a product list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalog {
    /// `Ид`.
    pub id: String,
    /// `ИдКлассификатора`.
    pub classifier_id: String,
    /// `Наименование`.
    pub name: String,
    /// `СодержитТолькоИзменения`: `false` (a full snapshot) unless the file says `true`.
    pub changes_only: bool,
}

/// `ПакетПредложений` (or the light `ИзмененияПакетаПредложений`): the header of an offer list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OfferPackage {
    /// `Ид`.
    pub id: String,
    /// `ИдКаталога`.
    pub catalog_id: String,
    /// `ИдКлассификатора`.
    pub classifier_id: String,
    /// `Наименование`.
    pub name: String,
    /// `СодержитТолькоИзменения`; always `true` for `ИзмененияПакетаПредложений`.
    pub changes_only: bool,
}

/// `Группа`: a node of the category tree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Group {
    /// `Ид`.
    pub id: String,
    /// `Наименование`.
    pub name: String,
    /// The `Ид` of the enclosing group; `None` at the top.
    pub parent_id: Option<String>,
    /// `ПометкаУдаления` (packaged exchanges).
    pub deletion_mark: bool,
}

/// `Свойство`: a product property, with its reference-book values when it has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Property {
    /// `Ид`.
    pub id: String,
    /// `Наименование`.
    pub name: String,
    /// `ТипЗначений`: `Строка`, `Число`, `Справочник`, …
    pub value_type: Option<String>,
    /// `ВариантыЗначений/Справочник`: value id → text.
    pub values: Vec<ReferenceValue>,
    /// `ПометкаУдаления`.
    pub deletion_mark: bool,
}

/// One `Справочник` entry of a property.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReferenceValue {
    /// `ИдЗначения`.
    pub id: String,
    /// `Значение`.
    pub value: String,
}

/// `ТипЦены`: a kind of price (retail, wholesale, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PriceType {
    /// `Ид`.
    pub id: String,
    /// `Наименование`.
    pub name: String,
    /// `Валюта`, e.g. `RUB` (some files write `руб`).
    pub currency: Option<String>,
    /// `Налог/Наименование`, e.g. `НДС`.
    pub tax_name: Option<String>,
    /// `Налог/УчтеноВСумме`.
    pub tax_included: Option<bool>,
}

/// `Склад` as declared in `Склады`: a warehouse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Warehouse {
    /// `Ид`.
    pub id: String,
    /// `Наименование`.
    pub name: String,
    /// `ПометкаУдаления`.
    pub deletion_mark: bool,
}

/// `ЕдиницаИзмерения` of a classifier (packaged exchanges).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Unit {
    /// `Ид` (may be absent; then the code identifies the unit).
    pub id: String,
    /// `Код` (OKEI), e.g. `796`.
    pub code: Option<String>,
    /// `НаименованиеКраткое`, e.g. `шт`.
    pub short_name: Option<String>,
    /// `НаименованиеПолное`, e.g. `Штука`.
    pub full_name: Option<String>,
    /// `МеждународноеСокращение`, e.g. `PCE`.
    pub international: Option<String>,
}

/// `БазоваяЕдиница` of a product or offer: text and attributes as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaseUnit {
    /// The element's text, e.g. `шт` (empty in some files).
    pub text: String,
    /// Attribute `Код`.
    pub code: Option<String>,
    /// Attribute `НаименованиеПолное`.
    pub full_name: Option<String>,
    /// Attribute `МеждународноеСокращение`.
    pub international: Option<String>,
}

impl BaseUnit {
    /// The best short label: the text, else the full name, else the code.
    pub fn label(&self) -> Option<&str> {
        [
            Some(self.text.as_str()),
            self.full_name.as_deref(),
            self.code.as_deref(),
        ]
        .into_iter()
        .flatten()
        .find(|s| !s.is_empty())
    }
}

/// `ЗначенияСвойства`: the values of one property for a product.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyValue {
    /// `Ид` of the [`Property`].
    pub property_id: String,
    /// Each `Значение`: text, or for reference-book properties the `ИдЗначения`.
    pub values: Vec<String>,
}

/// `ЗначениеРеквизита`: a named attribute (`ВидНоменклатуры`, `Полное наименование`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requisite {
    /// `Наименование`.
    pub name: String,
    /// `Значение` (several are joined with a line feed).
    pub value: String,
}

/// `ХарактеристикаТовара`: one characteristic of a variant, e.g. Размер = 40.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Characteristic {
    /// `Ид`, when given.
    pub id: Option<String>,
    /// `Наименование`.
    pub name: String,
    /// `Значение`.
    pub value: String,
}

/// `СтавкаНалога`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaxRate {
    /// `Наименование`, e.g. `НДС`.
    pub name: String,
    /// `Ставка` as written (`18`, `Без НДС`).
    pub rate: String,
}

/// The deletion state a product or offer carries, from `Статус` or `ПометкаУдаления`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Status {
    /// No status given, or `Новый` / `Изменен`.
    #[default]
    Active,
    /// `Статус="Удален"` (attribute or element) or `ПометкаУдаления` true.
    Deleted,
}

/// `Товар` of a catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Product {
    /// `Ид`. May hold `product#variant` in files that list characteristics in the catalog.
    pub id: String,
    /// The line of the `Товар` start tag, for messages.
    pub line: u64,
    /// `Наименование`.
    pub name: Option<String>,
    /// `Артикул`.
    pub sku: Option<String>,
    /// `Штрихкод` (repeatable).
    pub barcodes: Vec<String>,
    /// `Описание`.
    pub description: Option<String>,
    /// `БазоваяЕдиница`.
    pub base_unit: Option<BaseUnit>,
    /// `Группы/Ид`: `None` when the element is absent.
    pub group_ids: Option<Vec<String>>,
    /// `Картинка` paths: `None` when no `Картинка` element occurs.
    pub pictures: Option<Vec<String>>,
    /// `Изготовитель/Наименование`.
    pub manufacturer: Option<String>,
    /// `ЗначенияСвойств`: `None` when absent.
    pub property_values: Option<Vec<PropertyValue>>,
    /// `ЗначенияРеквизитов`: `None` when absent.
    pub requisites: Option<Vec<Requisite>>,
    /// `СтавкиНалогов`.
    pub tax_rates: Vec<TaxRate>,
    /// `ХарактеристикиТовара`: `None` when absent.
    pub characteristics: Option<Vec<Characteristic>>,
    /// `Статус` / `ПометкаУдаления`.
    pub status: Status,
    /// The digest of the item's bytes, when [`Reader::next_item_skipping`] looked at them
    /// first (see [`Digest`]).
    ///
    /// [`Reader::next_item_skipping`]: crate::Reader::next_item_skipping
    pub digest: Option<u128>,
}

impl Product {
    /// The product part of the `Ид`: everything before the first `#`.
    pub fn product_id(&self) -> &str {
        split_offer_id(&self.id).0
    }

    /// The variant part of the `Ид`, after the first `#`, if non-empty.
    pub fn variant_id(&self) -> Option<&str> {
        split_offer_id(&self.id).1
    }

    /// The value of the requisite with this name, if present.
    pub fn requisite(&self, name: &str) -> Option<&str> {
        find_requisite(self.requisites.as_deref(), name)
    }
}

/// `Цена` of an offer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Price {
    /// `ИдТипаЦены`.
    pub price_type_id: String,
    /// `ЦенаЗаЕдиницу`, exact.
    pub per_unit: Decimal,
    /// `Валюта`.
    pub currency: Option<String>,
    /// `Единица`.
    pub unit: Option<String>,
    /// `Коэффициент`.
    pub coefficient: Option<Decimal>,
    /// `Представление`, as display text.
    pub presentation: Option<String>,
}

/// Stock of an offer at one warehouse.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StockLine {
    /// `ИдСклада` (attribute form) or `Склад/Ид` (`Остатки` form).
    pub warehouse_id: String,
    /// The quantity, signed and exact.
    pub quantity: Decimal,
}

/// `Предложение`: prices and stock of a product or of one of its variants.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Offer {
    /// `Ид` as written: `product` or `product#variant`.
    pub id: String,
    /// The line of the `Предложение` start tag, for messages.
    pub line: u64,
    /// `Наименование`.
    pub name: Option<String>,
    /// `Артикул`.
    pub sku: Option<String>,
    /// `Штрихкод`.
    pub barcodes: Vec<String>,
    /// `БазоваяЕдиница`.
    pub base_unit: Option<BaseUnit>,
    /// `ХарактеристикиТовара` (or MoySklad-era bare `Характеристика`): `None` when absent.
    pub characteristics: Option<Vec<Characteristic>>,
    /// `Цены`: `None` when the offer carries no `Цены` element (prices unchanged).
    pub prices: Option<Vec<Price>>,
    /// `Количество`: the total as the file states it.
    pub quantity: Option<Decimal>,
    /// Stock per warehouse, in either form: `None` when the file gives no breakdown.
    pub stock: Option<Vec<StockLine>>,
    /// `ЗначенияРеквизитов`.
    pub requisites: Option<Vec<Requisite>>,
    /// `Статус` / `ПометкаУдаления`.
    pub status: Status,
    /// `ИдХарактеристики` (light `ИзмененияПакетаПредложений` form): the variant id.
    pub characteristic_id: Option<String>,
    /// The digest of the item's bytes, when [`Reader::next_item_skipping`] looked at them
    /// first (see [`Digest`]).
    ///
    /// [`Reader::next_item_skipping`]: crate::Reader::next_item_skipping
    pub digest: Option<u128>,
}

impl Offer {
    /// The product this offer belongs to: the `Ид` before the first `#`.
    pub fn product_id(&self) -> &str {
        split_offer_id(&self.id).0
    }

    /// The variant: the `Ид` after the first `#`, or `ИдХарактеристики`; `None` for a product's
    /// own offer.
    pub fn variant_id(&self) -> Option<&str> {
        split_offer_id(&self.id)
            .1
            .or(self.characteristic_id.as_deref().filter(|s| !s.is_empty()))
    }
}

/// Splits an offer `Ид` at the first `#` into product and variant (`None` when nothing follows).
///
/// ```
/// assert_eq!(commerceml::split_offer_id("p1#v1#x"), ("p1", Some("v1#x")));
/// assert_eq!(commerceml::split_offer_id("p1#"), ("p1", None));
/// assert_eq!(commerceml::split_offer_id("p1"), ("p1", None));
/// ```
pub fn split_offer_id(id: &str) -> (&str, Option<&str>) {
    match id.split_once('#') {
        Some((product, variant)) => (product, Some(variant).filter(|v| !v.is_empty())),
        None => (id, None),
    }
}

fn find_requisite<'a>(requisites: Option<&'a [Requisite]>, name: &str) -> Option<&'a str> {
    requisites?
        .iter()
        .find(|r| r.name == name)
        .map(|r| r.value.as_str())
}

/// `Контрагент` of an order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contractor {
    /// `Ид`.
    pub id: Option<String>,
    /// `Наименование`.
    pub name: Option<String>,
    /// `ПолноеНаименование` or `ОфициальноеНаименование`.
    pub full_name: Option<String>,
    /// `Роль`, e.g. `Покупатель`.
    pub role: Option<String>,
    /// `Фамилия`.
    pub last_name: Option<String>,
    /// `Имя`.
    pub first_name: Option<String>,
    /// `Отчество`.
    pub middle_name: Option<String>,
    /// `АдресРегистрации/Представление` or `Адрес/Представление`.
    pub address: Option<String>,
    /// `Контакты/Контакт`: (type, value), e.g. (`Почта`, `a@b.ru`).
    pub contacts: Vec<(String, String)>,
    /// `ИНН`.
    pub inn: Option<String>,
    /// `КПП`.
    pub kpp: Option<String>,
    /// `ЮридическийАдрес/Представление`: a company's legal address.
    pub legal_address: Option<String>,
}

/// `Скидка` of an order or of one of its lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discount {
    /// `Наименование`.
    pub name: String,
    /// `Сумма`.
    pub sum: Option<Decimal>,
    /// `Процент`.
    pub percent: Option<Decimal>,
    /// `УчтеноВСумме`: the sum of the line or document already has it taken off.
    pub included: bool,
}

/// `Товар` of an order document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderLine {
    /// `Ид`: the catalog `Ид` (`product#variant` for variants; `ORDER_DELIVERY` for delivery).
    pub id: String,
    /// `ИдКаталога`.
    pub catalog_id: Option<String>,
    /// `Артикул`.
    pub sku: Option<String>,
    /// `Наименование`.
    pub name: Option<String>,
    /// `БазоваяЕдиница`.
    pub base_unit: Option<BaseUnit>,
    /// `ЦенаЗаЕдиницу`.
    pub price_per_unit: Option<Decimal>,
    /// `Количество`.
    pub quantity: Option<Decimal>,
    /// `Сумма`.
    pub sum: Option<Decimal>,
    /// `Скидки/Скидка`.
    pub discounts: Vec<Discount>,
    /// `ЗначенияРеквизитов`.
    pub requisites: Vec<Requisite>,
}

/// `Документ`: an order (either direction).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Order {
    /// `Ид`.
    pub id: Option<String>,
    /// The line of the `Документ` start tag, for messages.
    pub line: u64,
    /// `Номер`: the site's order number.
    pub number: Option<String>,
    /// `Дата`.
    pub date: Option<String>,
    /// `Время`.
    pub time: Option<String>,
    /// `Номер1С`: the accounting system's number.
    pub number_1c: Option<String>,
    /// `Дата1С`.
    pub date_1c: Option<String>,
    /// `ХозОперация`, e.g. `Заказ товара`.
    pub operation: Option<String>,
    /// `Роль`, e.g. `Продавец`.
    pub role: Option<String>,
    /// `Валюта`.
    pub currency: Option<String>,
    /// `Курс`.
    pub rate: Option<Decimal>,
    /// `Сумма`.
    pub sum: Option<Decimal>,
    /// `Комментарий`.
    pub comment: Option<String>,
    /// `ПометкаУдаления`.
    pub deletion_mark: bool,
    /// `Контрагенты/Контрагент`.
    pub contractors: Vec<Contractor>,
    /// `Товары/Товар`.
    pub lines: Vec<OrderLine>,
    /// `Скидки/Скидка` of the whole document.
    pub discounts: Vec<Discount>,
    /// `ЗначенияРеквизитов`, e.g. `Статус заказа`, `Заказ оплачен`, `Номер по 1С`.
    pub requisites: Vec<Requisite>,
}

impl Order {
    /// The value of the requisite with this name, if present.
    pub fn requisite(&self, name: &str) -> Option<&str> {
        find_requisite(Some(&self.requisites), name)
    }
}

/// One thing read from a document, in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A `Классификатор` begins (its `Ид` and `Наименование` are known).
    Classifier(Classifier),
    /// A group, after its parent.
    Group(Group),
    /// A property with its reference-book values.
    Property(Property),
    /// A price type (from `ПакетПредложений/ТипыЦен` or `Классификатор/ТипыЦен`).
    PriceType(PriceType),
    /// A warehouse (from `Склады` of an offer package or of a classifier).
    Warehouse(Warehouse),
    /// A unit of measure (from `Классификатор/ЕдиницыИзмерения`).
    Unit(Unit),
    /// A `Каталог` begins; its products follow.
    Catalog(Catalog),
    /// A product of the catalog.
    Product(Box<Product>),
    /// A `ПакетПредложений` begins; its price types, warehouses and offers follow.
    OfferPackage(OfferPackage),
    /// An offer.
    Offer(Box<Offer>),
    /// An order document.
    Order(Box<Order>),
    /// A product or offer stepped over unread because the caller said it holds it already
    /// (see [`Reader::next_item_skipping`]).
    ///
    /// [`Reader::next_item_skipping`]: crate::Reader::next_item_skipping
    Unchanged(Unchanged),
}

/// The kinds of item [`Reader::next_item_skipping`] can step over.
///
/// [`Reader::next_item_skipping`]: crate::Reader::next_item_skipping
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemKind {
    /// A catalog's `Товар`.
    Product,
    /// An offer package's `Предложение`.
    Offer,
}

/// An item as [`Reader::next_item_skipping`] asks about it before reading it: its `Ид` and a
/// 128-bit digest (XXH3) of its bytes as written (the start tag's attributes and everything up
/// to its end tag). Equal digests mean the item says the same as when the digest was taken;
/// the digest is stable across versions of this crate.
///
/// [`Reader::next_item_skipping`]: crate::Reader::next_item_skipping
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Digest<'a> {
    /// Product or offer.
    pub kind: ItemKind,
    /// The trimmed text of the item's first `Ид` child.
    pub id: &'a str,
    /// The digest of the item's bytes.
    pub hash: u128,
}

/// An item stepped over unread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchanged {
    /// Product or offer.
    pub kind: ItemKind,
    /// Its `Ид`.
    pub id: String,
    /// The line of its start tag.
    pub line: u64,
}

/// What kind of document a file is, recognised from its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// A catalog (`Каталог`, usually with its `Классификатор`): `import.xml`.
    Catalog,
    /// Only a `Классификатор` (packaged exchanges send one on its own).
    Classifier,
    /// An offer package: `offers.xml`, `prices___…`, `rests___…`.
    Offers,
    /// Order documents.
    Orders,
    /// A root element with nothing Vitrina reads in it.
    Empty,
}

/// Totals of a document, known once the reader has reached its end.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Groups read.
    pub groups: u64,
    /// Properties read.
    pub properties: u64,
    /// Price types read.
    pub price_types: u64,
    /// Warehouses read.
    pub warehouses: u64,
    /// Units read.
    pub units: u64,
    /// Products read.
    pub products: u64,
    /// Offers read.
    pub offers: u64,
    /// Prices over all offers.
    pub prices: u64,
    /// Per-warehouse stock lines over all offers.
    pub stock_lines: u64,
    /// Order documents read.
    pub orders: u64,
    /// Whether any `Картинка` occurred (MoySklad's picture pass is the only source of them).
    pub has_pictures: bool,
    /// Whether a `Классификатор` occurred.
    pub has_classifier: bool,
    /// Whether a `Каталог` occurred.
    pub has_catalog: bool,
    /// Whether an offer package occurred.
    pub has_offers: bool,
    /// Elements the reader does not interpret, once per path (under the root), in the order
    /// first met; at most a hundred paths.
    pub unused: Vec<UnusedElement>,
}

/// An element the reader does not interpret, wherever it occurs with the same path.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnusedElement {
    /// Element names from below the root, e.g. `Каталог/Товары/Товар/Вес`.
    pub path: String,
    /// How many times it occurs.
    pub count: u64,
    /// The line of the first.
    pub line: u64,
}

impl Summary {
    /// The document's kind by what it contained.
    pub fn kind(&self) -> DocumentKind {
        if self.has_catalog {
            DocumentKind::Catalog
        } else if self.has_offers {
            DocumentKind::Offers
        } else if self.orders > 0 {
            DocumentKind::Orders
        } else if self.has_classifier {
            DocumentKind::Classifier
        } else {
            DocumentKind::Empty
        }
    }
}
