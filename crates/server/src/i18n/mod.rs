//! The message catalog: every sentence a person reads, in Russian (the default) and English.
//!
//! A message is a value ([`Message`]) until the moment it is shown, so that the same error can
//! be rendered in the reader's language by the CLI, a page, the JSON API or the exchange.

mod orders;
pub mod panel;

pub use orders::OrderProblem;

use std::fmt;
use std::str::FromStr;

/// A language Vitrina speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Русский: the default everywhere.
    #[default]
    Ru,
    /// English.
    En,
}

impl Lang {
    /// The language's code, as in `lang=""` and the language cookie.
    pub fn code(self) -> &'static str {
        match self {
            Self::Ru => "ru",
            Self::En => "en",
        }
    }

    /// The first language of an `Accept-Language` header that Vitrina speaks, else Russian.
    pub fn from_accept_language(header: &str) -> Self {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .map(|tag| tag.trim().to_ascii_lowercase())
            .find_map(|tag| {
                tag.split('-')
                    .next()
                    .and_then(|primary| primary.parse().ok())
            })
            .unwrap_or_default()
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "ru" => Ok(Self::Ru),
            "en" => Ok(Self::En),
            other => Err(format!("unknown language {other:?} (ru, en)")),
        }
    }
}

/// One message of the catalog, with the values it mentions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// A host under the base domain names no tenant.
    UnknownTenantHost {
        host: String,
        slug: String,
    },
    /// A host outside the base domain, and no default tenant to serve it.
    NoDefaultTenant {
        host: String,
    },
    /// A request without a usable Host header.
    MissingHost,
    /// No tenant with this slug (CLI).
    UnknownTenant {
        slug: String,
    },
    /// A slug that breaks the `[a-z0-9-]{1,63}` rule.
    InvalidSlug {
        slug: String,
    },
    /// A tenant with this slug exists already.
    TenantExists {
        slug: String,
    },
    /// Not a host name.
    InvalidHost {
        host: String,
    },
    /// The host name belongs to a tenant already.
    HostTaken {
        host: String,
    },
    /// Not an email address.
    InvalidEmail {
        email: String,
    },
    /// The email is taken within the tenant.
    EmailTaken {
        email: String,
    },
    /// No password given.
    EmptyPassword,
    /// A password shorter than the minimum.
    PasswordTooShort {
        min: usize,
    },
    /// A password with too little variety to resist guessing.
    PasswordTooSimple,
    /// No employee with this email in the tenant.
    UnknownEmployee {
        email: String,
    },
    /// No group with this name in the tenant.
    UnknownGroup {
        name: String,
    },
    /// A group with this name exists already.
    GroupExists {
        name: String,
    },
    /// A permission key not in the catalog.
    UnknownPermission {
        key: String,
    },
    /// A setting key not in the catalog.
    UnknownSetting {
        key: String,
    },
    /// A value the setting cannot take; `expected` is another message describing the type.
    InvalidSettingValue {
        key: String,
        value: String,
        expected: Box<Message>,
    },
    /// Expected-type descriptions for settings.
    ExpectedBool,
    ExpectedBytes,
    ExpectedCount,
    /// A setting takes a whole percentage.
    ExpectedPercent,
    ExpectedList,
    ExpectedChoice {
        choices: String,
    },
    ExpectedText,
    /// A failure whose details are only in the server's log.
    Internal,
    /// A page or API path that does not exist.
    NoSuchPage {
        path: String,
    },
    /// Printed once when the default tenant is created.
    FirstStart {
        url: String,
        email: String,
        password: String,
    },
    /// Printed when the server is ready.
    Listening {
        addr: String,
        url: String,
    },
    /// Title of the admin panel until it exists.
    AdminPanelTitle,
    /// A blocked employee tried to sign in to the panel.
    AdminBlocked,
    /// An employee without admin-panel access tried to sign in.
    AdminNoAccess,
    /// A page or action needs a permission the employee lacks.
    AdminForbidden {
        permission: String,
    },
    /// A group name that is empty or too long.
    BadGroupName {
        max: usize,
    },
    /// Blocking, or taking admin access from, oneself or the owner.
    CannotLockOut,
    /// Someone other than the owner tried to change the owner.
    OwnerOnly,
    /// An employee tried to manage someone with permissions they do not hold.
    ExceedsOwnRights {
        name: String,
    },
    /// An employee tried to grant a permission they do not hold.
    GrantNotHeld {
        permission: String,
    },
    /// An employee tried to change a group that holds more than they do.
    GroupExceedsRights {
        name: String,
    },
    /// The change would leave nobody able to manage access rights.
    LastAccessHolder,
    /// A field with NUL or other control characters.
    ControlCharacters {
        field: String,
    },
    /// Query or path parameters that do not parse.
    BadRequestParameters {
        reason: String,
    },
    /// A request target over its length.
    RequestTooLong,
    /// A request refused before any handler of ours saw it (by the router or a library
    /// extractor), with what it said.
    RequestRefused {
        status: u16,
        reason: String,
    },
    /// An uploaded name that is another uploaded name's folder, or the other way round.
    ExchangeNameClash {
        name: String,
        other: String,
    },
    /// Where the operator's metrics are served.
    MetricsAt {
        addr: String,
    },
    /// `/readyz`: something the instance needs cannot be reached.
    NotReady {
        what: String,
    },
    /// A field over its length.
    TooLong {
        field: String,
        max: usize,
    },
    /// An uploaded file is not a JPEG, PNG, WebP or GIF picture.
    PictureNotRaster {
        name: String,
    },
    /// An upload over the size or count limit.
    PictureTooBig {
        name: String,
        max_mb: usize,
        max_count: usize,
    },
    /// A file upload that could not be read.
    BadUpload {
        reason: String,
    },
    /// A request body that is not the JSON expected.
    BadJson {
        reason: String,
    },
    /// The same `Idempotency-Key` with another request.
    IdempotencyKeyReused,
    /// One field of a posted order is wrong.
    OrderField {
        field: String,
        problem: OrderProblem,
    },
    /// An order without the customer's name.
    OrderNoName,
    /// An order with neither phone nor email.
    OrderNoContact,
    /// An order without lines.
    OrderNoLines,
    /// What is wrong with one line of an order.
    OrderBadLine {
        line: usize,
        id: String,
        reason: Box<Message>,
    },
    OrderBadQuantity {
        value: String,
    },
    /// An order with more lines than allowed.
    OrderTooManyLines {
        max: usize,
    },
    /// Sums beyond what can be counted.
    OrderTooLarge,
    /// A request body over its limit.
    BodyTooLarge {
        max_kb: usize,
    },
    /// An `Idempotency-Key` that is too long or not printable.
    BadIdempotencyKey {
        max: usize,
    },
    OrderUnknownItem,
    OrderNoPrice,
    OrderNotEnoughStock {
        available: String,
    },
    OrderMixedCurrency,
    /// A change file names an order the shop does not have.
    UnknownOrder {
        number: String,
    },
    /// `type=sale` while `commerceml.orders` is off.
    OrdersOff,
    /// `type=sale` by an employee without `integrations.commerceml_orders`.
    ExchangeNoOrdersPermission,
    /// A status outside the fixed model.
    UnknownOrderStatus {
        status: String,
    },
    /// A form posted from another site (or without saying where from).
    CrossSiteRefused,
    /// Something at a line of a file: `what` says what.
    AtLine {
        file: String,
        line: u64,
        what: Box<Message>,
    },
    /// What is wrong with a CommerceML document.
    Document(commerceml::ErrorKind),
    /// A file that cannot be read.
    FileUnreadable {
        file: String,
        reason: String,
    },
    /// Another import of the shop is running.
    ImportBusy,
    /// The safety brake held a pass: (check, percent, limit) for each check it failed.
    PassHeld {
        reasons: Vec<(crate::catalog::import::Check, u64, u32)>,
    },
    /// A file of a pass waits behind the file the brake held.
    HeldBehind {
        file: String,
    },
    /// The owner discarded a held pass.
    PassDiscarded,
    /// A product's name left empty in the panel.
    ProductNameEmpty,
    /// Alert: an import of the exchange failed.
    AlertImportFailed {
        file: String,
        reason: Box<Message>,
    },
    /// Alert: no successful exchange for hours.
    AlertNoExchange {
        hours: u32,
    },
    /// Alert: orders not picked up for hours.
    AlertOrdersWaiting {
        count: u64,
        hours: u32,
    },
    /// Alert: an incident of this kind cleared.
    AlertCleared {
        kind: String,
    },
    /// Alert: a published pass took many products off sale.
    AlertOffSaleSpike {
        count: u64,
        percent: u64,
    },
    /// Alert: a published pass left many products without the shop's price.
    AlertUnpricedSpike {
        count: u64,
        percent: u64,
    },
    /// "Send a test".
    AlertTest,
    /// "Send a test" with no channel set up.
    AlertNoChannel,
    /// Locked fields an import left as they were.
    LockedLeftAlone {
        count: u64,
    },
    /// What a rollback did.
    RolledBack(Box<crate::catalog::import::Rollback>),
    /// The file name a rollback is recorded under.
    RollbackFile {
        before: i64,
    },
    /// A rollback to before a publish the history does not hold.
    NoSuchPublish {
        id: i64,
    },
    /// `release`/`discard` of an exchange that holds nothing.
    NothingHeld {
        id: String,
    },
    /// The import was stopped before it finished.
    ImportCancelled,
    /// A path given to `vitrina import` that is neither an XML file, a folder nor a zip.
    NotImportable {
        path: String,
    },
    /// Some of the files given to `vitrina import` were not applied.
    ImportFilesFailed {
        failed: usize,
        total: usize,
    },
    /// Exchange: `checkauth` without credentials.
    ExchangeNoCredentials,
    /// Exchange: unknown email or wrong password (one message for both).
    ExchangeWrongCredentials,
    /// Exchange: too many failed sign-ins.
    ExchangeTooManyAttempts,
    /// Exchange: the employee is blocked.
    ExchangeBlocked,
    /// Exchange: the employee has no admin-panel access.
    ExchangeNoAdminAccess,
    /// Exchange: the employee lacks "Импорт CommerceML".
    ExchangeNoPermission,
    /// Exchange: a call without a session or credentials.
    ExchangeNoSession,
    /// Exchange: a `type` other than catalog or sale.
    ExchangeUnknownType {
        value: String,
    },
    /// Exchange: an unknown `mode`.
    ExchangeUnknownMode {
        value: String,
    },
    /// Text already rendered (a stored outcome).
    Text(String),
    /// Exchange: `import` of a file that was not uploaded in this batch.
    ExchangeFileNotUploaded {
        name: String,
    },
    /// Exchange: the import job was started.
    ExchangeImportStarted,
    /// Exchange: the import job waits its turn.
    ExchangeImportQueued {
        place: i64,
    },
    /// Exchange: the import job is running.
    ExchangeImportRunning {
        megabytes: String,
        items: u64,
    },
    /// Exchange: the import job's process stopped before it finished.
    ExchangeImportInterrupted,
    /// A command-line import's process stopped before the import committed.
    CliImportInterrupted,
    /// Exchange: an uploaded zip refused whole.
    ExchangeUnsafeZip {
        name: String,
        reason: String,
    },
    /// No exchange with this id.
    UnknownExchange {
        id: String,
    },
    /// The exchange imported nothing that could be applied again.
    NothingToRerun {
        id: String,
    },
    /// Exchange: `deactivate` in a batch that imported nothing.
    ExchangeNothingToDeactivate,
    /// Exchange: `deactivate` after a catalog import.
    ExchangeDeactivated,
    /// Exchange: `file` before `init`.
    ExchangeNoBatch,
    /// Exchange: a file name that could leave the upload folder.
    ExchangeBadFileName {
        name: String,
    },
    /// Exchange: a file over `commerceml.max_file_bytes`.
    ExchangeFileTooLarge {
        name: String,
        limit: u64,
    },
    /// Exchange: a batch over `commerceml.max_batch_bytes`.
    ExchangeBatchTooLarge {
        limit: u64,
    },
    /// Exchange: a mode this server does not answer yet.
    ExchangeModeNotYet {
        mode: String,
    },
    /// A `limit` that is not a positive whole number.
    BadLimit {
        value: String,
    },
    /// A `cursor` this server did not make.
    BadCursor,
    /// A list parameter with a value it does not take.
    BadParameter {
        field: String,
        value: String,
    },
    /// No such category to list.
    UnknownCategory {
        category: String,
    },
    /// No such (active) product.
    UnknownProduct {
        product: String,
    },
    /// No such picture.
    UnknownPicture,
    /// A `w` that is not one of the offered widths.
    BadWidth {
        value: String,
    },
    /// Warnings of an import.
    WarnUnknownProduct {
        offer: String,
    },
    WarnUnknownPriceType {
        offer: String,
        price_type: String,
    },
    WarnUnknownWarehouse {
        offer: String,
        warehouse: String,
    },
    WarnPictureMissing {
        product: String,
        path: String,
    },
    WarnPictureNotRaster {
        product: String,
        path: String,
    },
    WarnPictureUndecodable {
        product: String,
        path: String,
        reason: String,
    },
    /// An uploaded picture that does not decode.
    PictureUndecodable {
        name: String,
        reason: String,
    },
    WarnOrdersIgnored,
    /// Warnings a report counted but did not keep word for word.
    MoreWarnings {
        count: u64,
    },
    /// One line per imported file.
    /// Counts of what a file held.
    CountGroups {
        count: u64,
    },
    CountProducts {
        count: u64,
    },
    CountOffers {
        count: u64,
    },
    CountDocuments {
        count: u64,
    },
    CountNothing,
    /// A product took a new Ид by its SKU.
    ProductRenamed {
        from: String,
        to: String,
        sku: String,
    },
    /// An element of a file that the reader does not use.
    UnusedElement {
        file: String,
        path: String,
        count: u64,
        line: u64,
    },
    /// One import's outcome in a line (boxed: the largest message otherwise).
    ImportSummary(Box<ImportSummary>),
}

/// What [`Message::ImportSummary`] says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub file: String,
    /// What the file held, e.g. "3 товара, 4 предложения".
    pub in_file: String,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub deactivated: u64,
    pub offers: u64,
    pub offers_unchanged: u64,
    pub warnings: u64,
    pub seconds: String,
}

impl Message {
    /// The request field the message is about, for the JSON API's `error.field`.
    pub fn field(&self) -> Option<String> {
        use Message as M;
        match self {
            M::OrderField { field, .. }
            | M::TooLong { field, .. }
            | M::ControlCharacters { field } => Some(field.clone()),
            M::OrderNoName => Some("customer.name".into()),
            M::OrderNoContact => Some("customer.phone".into()),
            M::OrderNoLines | M::OrderTooManyLines { .. } => Some("lines".into()),
            M::OrderBadLine { line, reason, .. } => Some(match reason.as_ref() {
                M::OrderBadQuantity { .. } => format!("lines[{}].quantity", line - 1),
                _ => format!("lines[{}]", line - 1),
            }),
            _ => None,
        }
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        use Message as M;
        let ru = lang == Lang::Ru;
        let pick = |ru_text: String, en_text: String| if ru { ru_text } else { en_text };
        match self {
            M::UnknownTenantHost { host, slug } => pick(
                format!(
                    "Магазин «{slug}» не найден: адрес {host} не принадлежит ни одному магазину"
                ),
                format!("No shop \"{slug}\": the address {host} belongs to no shop"),
            ),
            M::NoDefaultTenant { host } => pick(
                format!(
                    "Адрес {host} не привязан ни к одному магазину, а магазин по умолчанию не задан"
                ),
                format!("The address {host} belongs to no shop and no default shop is set"),
            ),
            M::MissingHost => pick(
                "В запросе нет заголовка Host: не понять, к какому магазину он относится".into(),
                "The request has no Host header, so it names no shop".into(),
            ),
            M::UnknownTenant { slug } => pick(
                format!("Магазин «{slug}» не найден"),
                format!("No shop \"{slug}\""),
            ),
            M::InvalidSlug { slug } => pick(
                format!("Недопустимое имя магазина «{slug}»: от 1 до 63 символов a-z, 0-9 и «-»"),
                format!("Invalid shop name \"{slug}\": 1 to 63 characters a-z, 0-9 and \"-\""),
            ),
            M::TenantExists { slug } => pick(
                format!("Магазин «{slug}» уже существует"),
                format!("A shop \"{slug}\" exists already"),
            ),
            M::InvalidHost { host } => pick(
                format!("«{host}» не является именем хоста"),
                format!("\"{host}\" is not a host name"),
            ),
            M::HostTaken { host } => pick(
                format!("Адрес {host} уже привязан к магазину"),
                format!("The address {host} belongs to a shop already"),
            ),
            M::InvalidEmail { email } => pick(
                format!("«{email}» не похож на адрес электронной почты"),
                format!("\"{email}\" does not look like an email address"),
            ),
            M::EmailTaken { email } => pick(
                format!("Сотрудник с почтой {email} уже есть в этом магазине"),
                format!("This shop already has an employee with the email {email}"),
            ),
            M::EmptyPassword => pick("Пароль не задан".into(), "The password is empty".into()),
            M::PasswordTooShort { min } => pick(
                format!("Пароль слишком короткий: нужно не меньше {min} символов"),
                format!("The password is too short: at least {min} characters are needed"),
            ),
            M::PasswordTooSimple => pick(
                "Пароль слишком простой: его легко подобрать".into(),
                "The password is too simple: it is easy to guess".into(),
            ),
            M::UnknownEmployee { email } => pick(
                format!("Сотрудник с почтой {email} не найден"),
                format!("No employee with the email {email}"),
            ),
            M::UnknownGroup { name } => pick(
                format!("Группа пользователей «{name}» не найдена"),
                format!("No user group \"{name}\""),
            ),
            M::GroupExists { name } => pick(
                format!("Группа пользователей «{name}» уже существует"),
                format!("A user group \"{name}\" exists already"),
            ),
            M::UnknownPermission { key } => pick(
                format!("Неизвестное право доступа «{key}»"),
                format!("Unknown permission \"{key}\""),
            ),
            M::UnknownSetting { key } => pick(
                format!("Неизвестная настройка «{key}»"),
                format!("Unknown setting \"{key}\""),
            ),
            M::InvalidSettingValue {
                key,
                value,
                expected,
            } => pick(
                format!(
                    "Недопустимое значение «{value}» для {key}: {}",
                    expected.text(lang)
                ),
                format!(
                    "Invalid value \"{value}\" for {key}: {}",
                    expected.text(lang)
                ),
            ),
            M::ExpectedBool => pick(
                "ожидается true или false".into(),
                "expected true or false".into(),
            ),
            M::ExpectedBytes => pick(
                "ожидается размер в байтах, целое число больше нуля".into(),
                "expected a size in bytes, a whole number above zero".into(),
            ),
            M::ExpectedCount => pick(
                "ожидается целое число не меньше нуля".into(),
                "expected a whole number, zero or more".into(),
            ),
            M::ExpectedPercent => pick(
                "ожидается целое число от 0 до 100".into(),
                "expected a whole number from 0 to 100".into(),
            ),
            M::ExpectedList => pick(
                "ожидается список через запятую, без пробелов и пустых элементов".into(),
                "expected a comma-separated list without spaces or empty items".into(),
            ),
            M::ExpectedChoice { choices } => pick(
                format!("ожидается одно из: {choices}"),
                format!("expected one of: {choices}"),
            ),
            M::ExpectedText => pick(
                "ожидается одна строка без пробелов по краям и управляющих символов".into(),
                "expected one line without surrounding spaces or control characters".into(),
            ),
            M::Internal => pick(
                "Внутренняя ошибка сервера; подробности записаны в журнал".into(),
                "Internal server error; the details are in the server log".into(),
            ),
            M::NoSuchPage { path } => pick(
                format!("Страница {path} не найдена"),
                format!("There is no page {path}"),
            ),
            M::FirstStart {
                url,
                email,
                password,
            } => pick(
                format!(
                    "Создан магазин demo.\n  Панель администратора: {url}\n  Логин:  {email}\n  \
                     Пароль: {password}\nПароль показан один раз: сохраните его."
                ),
                format!(
                    "Created the shop demo.\n  Admin panel: {url}\n  Login:    {email}\n  \
                     Password: {password}\nThe password is shown only once: keep it."
                ),
            ),
            M::Listening { addr, url } => pick(
                format!("Vitrina слушает {addr}; панель администратора: {url}"),
                format!("Vitrina listens on {addr}; admin panel: {url}"),
            ),
            M::AdminPanelTitle => pick("Панель администратора".into(), "Admin panel".into()),
            M::AdminBlocked => pick(
                "Ваша учётная запись заблокирована: обратитесь к владельцу магазина".into(),
                "Your account is blocked: ask the shop's owner".into(),
            ),
            M::AdminNoAccess => pick(
                "У вашей учётной записи нет доступа в админ панель".into(),
                "Your account has no admin-panel access".into(),
            ),
            M::AdminForbidden { permission } => pick(
                format!("Нет доступа: нужно право «{permission}». Его выдают в разделе Настройки → Права доступа"),
                format!("Access denied: this needs the \"{permission}\" permission, granted under Settings → Access rights"),
            ),
            M::BadGroupName { max } => pick(
                format!("Название группы: от 1 до {max} символов"),
                format!("A group name has 1 to {max} characters"),
            ),
            M::CannotLockOut => pick(
                "Нельзя заблокировать или лишить доступа в панель владельца магазина или самого себя".into(),
                "The shop's owner and you yourself cannot be blocked or lose panel access".into(),
            ),
            M::OwnerOnly => pick(
                "Владельца магазина может менять только он сам".into(),
                "Only the shop's owner can change the owner".into(),
            ),
            M::ExceedsOwnRights { name } => pick(
                format!("Нельзя менять сотрудника «{name}»: у него есть права, которых нет у вас"),
                format!("You cannot change \"{name}\": they hold permissions you do not"),
            ),
            M::GrantNotHeld { permission } => pick(
                format!("Нельзя выдать право «{permission}»: у вас его нет"),
                format!("You cannot grant \"{permission}\": you do not hold it"),
            ),
            M::GroupExceedsRights { name } => pick(
                format!("Нельзя менять группу «{name}» и её состав: она даёт права, которых нет у вас"),
                format!("You cannot change the group \"{name}\" or its members: it grants permissions you do not hold"),
            ),
            M::LastAccessHolder => pick(
                "Тогда в магазине не останется ни одного активного сотрудника с правом «Права доступа»: сначала выдайте его кому-то ещё".into(),
                "Then no active employee of the shop could manage access rights: grant \"Access rights\" to someone else first".into(),
            ),
            M::ControlCharacters { field } => pick(
                format!("Поле «{field}» содержит управляющие символы (например, нулевой байт): уберите их"),
                format!("The field \"{field}\" holds control characters (a NUL byte, say): remove them"),
            ),
            M::BadRequestParameters { reason } => pick(
                format!("Неверные параметры запроса: {reason}"),
                format!("Invalid request parameters: {reason}"),
            ),
            M::RequestTooLong => pick(
                "Слишком длинный адрес запроса".into(),
                "The request's address is too long".into(),
            ),
            M::RequestRefused { status, reason } => pick(
                format!("Запрос отклонён ({status}): {reason}"),
                format!("The request was refused ({status}): {reason}"),
            ),
            M::ExchangeNameClash { name, other } => pick(
                format!("Файл «{name}» не принят: в этой выгрузке уже есть «{other}», и одно имя оказалось бы папкой другого"),
                format!("\"{name}\" refused: this upload already has \"{other}\", and one name would be the other's folder"),
            ),
            M::MetricsAt { addr } => pick(
                format!("Метрики: http://{addr}/metrics"),
                format!("Metrics: http://{addr}/metrics"),
            ),
            M::NotReady { what } => pick(
                format!("Сервер не готов: нет связи ({what})"),
                format!("Not ready: the {what} cannot be reached"),
            ),
            M::TooLong { field, max } => pick(
                format!("Поле «{field}» длиннее {max} символов"),
                format!("The field \"{field}\" is longer than {max} characters"),
            ),
            M::PictureNotRaster { name } => pick(
                format!("Файл «{name}» — не картинка JPEG, PNG, WebP или GIF; ничего не загружено"),
                format!("\"{name}\" is not a JPEG, PNG, WebP or GIF picture; nothing was uploaded"),
            ),
            M::PictureTooBig { name, max_mb, max_count } => pick(
                format!("Файл «{name}» не принят: не больше {max_count} картинок за раз, до {max_mb} МБ каждая; ничего не загружено"),
                format!("\"{name}\" refused: at most {max_count} pictures at once, {max_mb} MB each; nothing was uploaded"),
            ),
            M::BadUpload { reason } => pick(
                format!("Файлы не получены целиком: {reason}"),
                format!("The files did not arrive whole: {reason}"),
            ),
            M::BadJson { reason } => pick(
                format!("Тело запроса — не ожидаемый JSON: {reason}"),
                format!("The request body is not the JSON expected: {reason}"),
            ),
            M::IdempotencyKeyReused => pick(
                "Этот Idempotency-Key уже использован для другого заказа".into(),
                "This Idempotency-Key was already used for another order".into(),
            ),
            M::OrderField { field, problem } => pick(
                format!("{field}: {}", problem.text(Lang::Ru)),
                format!("{field}: {}", problem.text(Lang::En)),
            ),
            M::OrderNoName => pick("Укажите имя покупателя".into(), "Give the customer's name".into()),
            M::OrderNoContact => pick(
                "Укажите телефон или почту покупателя".into(),
                "Give the customer's phone or email".into(),
            ),
            M::OrderNoLines => pick("В заказе нет товаров".into(), "The order has no lines".into()),
            M::OrderBadLine { line, id, reason } => pick(
                format!("Строка {line} ({id}): {}", reason.text(Lang::Ru)),
                format!("Line {line} ({id}): {}", reason.text(Lang::En)),
            ),
            M::OrderBadQuantity { value } => pick(
                format!("количество «{value}» должно быть числом больше нуля и не больше 1000000, не больше трёх знаков после точки (например, 2 или 1.5)"),
                format!("quantity \"{value}\" must be a number above zero and at most 1000000, with at most three digits after the point (say 2 or 1.5)"),
            ),
            M::OrderTooManyLines { max } => pick(
                format!("В заказе больше {max} строк"),
                format!("The order has more than {max} lines"),
            ),
            M::OrderTooLarge => pick(
                "сумма слишком велика".into(),
                "the sum is too large".into(),
            ),
            M::BodyTooLarge { max_kb } => pick(
                format!("Тело запроса больше {max_kb} КБ"),
                format!("The request body is larger than {max_kb} KB"),
            ),
            M::BadIdempotencyKey { max } => pick(
                format!("Заголовок Idempotency-Key: до {max} печатных символов"),
                format!("The Idempotency-Key header takes up to {max} printable characters"),
            ),
            M::OrderUnknownItem => pick(
                "такого товара нет в продаже".into(),
                "no such product on sale".into(),
            ),
            M::OrderNoPrice => pick("у товара нет цены".into(), "the product has no price".into()),
            M::OrderNotEnoughStock { available } => pick(
                format!("в наличии только {available}"),
                format!("only {available} in stock"),
            ),
            M::OrderMixedCurrency => pick(
                "цена в другой валюте, чем у остальных товаров".into(),
                "priced in another currency than the other lines".into(),
            ),
            M::UnknownOrder { number } => pick(
                format!("заказа с номером «{number}» на сайте нет; файл не применён"),
                format!("the site has no order number \"{number}\"; the file was not applied"),
            ),
            M::OrdersOff => pick(
                "Обмен заказами выключен: включите его в разделе МойСклад / 1С панели".into(),
                "Order exchange is off: switch it on under MoySklad / 1C in the panel".into(),
            ),
            M::ExchangeNoOrdersPermission => pick(
                "У сотрудника нет права «Обмен заказами CommerceML»: добавьте его в группу с этим правом".into(),
                "The employee lacks \"Exchange orders over CommerceML\": add them to a group with that permission".into(),
            ),
            M::UnknownOrderStatus { status } => pick(
                format!("Неизвестный статус «{status}»"),
                format!("Unknown status \"{status}\""),
            ),
            M::CrossSiteRefused => pick(
                "Запрос отклонён: форма отправлена с другого сайта. Откройте панель заново и повторите".into(),
                "Request refused: the form came from another site. Open the panel again and retry".into(),
            ),
            M::AtLine { file, line, what } => pick(
                format!("{file}, строка {line}: {}", what.text(lang)),
                format!("{file}, line {line}: {}", what.text(lang)),
            ),
            M::Document(kind) => {
                if ru {
                    document_ru(kind)
                } else {
                    kind.to_string()
                }
            }
            M::FileUnreadable { file, reason } => pick(
                format!("Не удалось прочитать файл {file}: {reason}"),
                format!("Cannot read the file {file}: {reason}"),
            ),
            M::PassHeld { reasons } => {
                use crate::catalog::import::Check;
                let (ru, en): (Vec<String>, Vec<String>) = reasons
                    .iter()
                    .map(|(check, percent, limit)| match check {
                        Check::OffSale => (
                            format!("сняла бы с продажи {percent}% товаров (порог {limit}%)"),
                            format!("it would take {percent}% of products off sale (limit {limit}%)"),
                        ),
                        Check::Unpriced => (
                            format!("оставила бы без цены {percent}% товаров (порог {limit}%)"),
                            format!("it would leave {percent}% of products without the shop's price (limit {limit}%)"),
                        ),
                        Check::Pictures => (
                            format!("убрала бы картинки у {percent}% товаров с картинками (порог {limit}%)"),
                            format!("it would remove the pictures of {percent}% of the products that have them (limit {limit}%)"),
                        ),
                    })
                    .unzip();
                pick(
                    format!("Выгрузка задержана: {}. Примените или отмените её в Истории обмена", ru.join("; ")),
                    format!("The pass was held: {}. Apply or discard it in the exchange history", en.join("; ")),
                )
            }
            M::HeldBehind { file } => pick(
                format!("Выгрузка задержана вместе с {file}: примените или отмените её в Истории обмена"),
                format!("Held together with {file}: apply or discard the pass in the exchange history"),
            ),
            M::RolledBack(r) => pick(
                format!(
                    "Откат до публикации {}: товаров возвращено {}, удалено {}; предложений возвращено {}, удалено {}; категорий {}; списков картинок {}",
                    r.before, r.products_restored, r.products_removed, r.offers_restored, r.offers_removed, r.categories, r.picture_lists
                ),
                format!(
                    "Rolled back to before publish {}: products restored {}, removed {}; offers restored {}, removed {}; categories {}; picture lists {}",
                    r.before, r.products_restored, r.products_removed, r.offers_restored, r.offers_removed, r.categories, r.picture_lists
                ),
            ),
            M::RollbackFile { before } => pick(
                format!("откат до {before}"),
                format!("rollback to before {before}"),
            ),
            M::NoSuchPublish { id } => pick(
                format!("Публикации {id} нет в истории каталога: возьмите id из vitrina catalog history"),
                format!("No publish {id} in the catalog history: take the id from vitrina catalog history"),
            ),
            M::AlertImportFailed { file, reason } => pick(
                format!("Импорт {file} не удался: {}", reason.text(Lang::Ru)),
                format!("The import of {file} failed: {}", reason.text(Lang::En)),
            ),
            M::AlertNoExchange { hours } => pick(
                format!("Нет успешного обмена с учётной системой больше {hours} ч"),
                format!("No successful exchange with the accounting system for over {hours} h"),
            ),
            M::AlertOrdersWaiting { count, hours } => pick(
                format!("Учётная система не забирает заказы больше {hours} ч: ждут {count}"),
                format!("The accounting system has not picked up orders for over {hours} h: {count} waiting"),
            ),
            M::AlertCleared { kind } => {
                let (ru, en) = match kind.as_str() {
                    "import_failed" => ("импорт снова проходит успешно", "imports succeed again"),
                    "pass_held" => ("задержанных выгрузок больше нет", "no pass is held any more"),
                    "no_exchange" => ("обмен с учётной системой возобновился", "the exchange with the accounting system resumed"),
                    "orders_waiting" => ("учётная система забрала заказы", "the accounting system picked up the orders"),
                    "off_sale_spike" => ("выгрузка прошла без массового снятия с продажи и цен", "a pass went through without taking many products off sale or their prices"),
                    _ => ("всё в порядке", "all is well"),
                };
                pick(format!("Решено: {ru}"), format!("Resolved: {en}"))
            }
            M::AlertOffSaleSpike { count, percent } => pick(
                format!("Выгрузка сняла с продажи {count} товаров ({percent}% от бывших в продаже)"),
                format!("A pass took {count} products off sale ({percent}% of those on sale)"),
            ),
            M::AlertUnpricedSpike { count, percent } => pick(
                format!("Выгрузка оставила без цены сайта {count} товаров ({percent}% от бывших в продаже)"),
                format!("A pass left {count} products without the shop's price ({percent}% of those on sale)"),
            ),
            M::AlertTest => pick(
                "Проверка оповещений Витрины: если вы это читаете, оповещения доходят".into(),
                "A test of Vitrina's alerts: if you read this, alerts get through".into(),
            ),
            M::AlertNoChannel => pick(
                "Оповещения не настроены: укажите адрес вебхука или почту и SMTP-сервер".into(),
                "No alert channel is set up: give a webhook address or e-mail and an SMTP server".into(),
            ),
            M::ProductNameEmpty => pick(
                "Укажите название товара".into(),
                "Give the product a name".into(),
            ),
            M::LockedLeftAlone { count } => pick(
                format!("Закреплённые на сайте поля оставлены как есть: {count}"),
                format!("Fields locked on the site left as they were: {count}"),
            ),
            M::PassDiscarded => pick(
                "Выгрузка отменена владельцем магазина: каталог не изменён".into(),
                "The pass was discarded by the shop owner: the catalog was not changed".into(),
            ),
            M::NothingHeld { id } => pick(
                format!("В обмене {id} нет задержанной выгрузки: посмотрите vitrina exchange held"),
                format!("Exchange {id} holds no held pass: see vitrina exchange held"),
            ),
            M::ImportBusy => pick(
                "Импорт уже идёт: дождитесь его окончания и повторите".into(),
                "An import is already running: wait for it to finish and try again".into(),
            ),
            M::ImportCancelled => pick(
                "Импорт прерван: сервер останавливается".into(),
                "The import was cancelled: the server is stopping".into(),
            ),
            M::NotImportable { path } => pick(
                format!("{path}: нужен XML-файл, папка или zip-архив"),
                format!("{path}: expected an XML file, a folder or a zip archive"),
            ),
            M::WarnUnknownProduct { offer } => pick(
                format!("предложение {offer} пропущено: такого товара нет в каталоге"),
                format!("offer {offer} skipped: the catalog has no such product"),
            ),
            M::WarnUnknownPriceType { offer, price_type } => pick(
                format!("у предложения {offer} цена неизвестного типа {price_type}"),
                format!("offer {offer} has a price of unknown type {price_type}"),
            ),
            M::WarnUnknownWarehouse { offer, warehouse } => pick(
                format!("у предложения {offer} остаток на неизвестном складе {warehouse}"),
                format!("offer {offer} has stock at unknown warehouse {warehouse}"),
            ),
            M::WarnPictureMissing { product, path } => pick(
                format!("картинка {path} товара {product} не была загружена: его прежние картинки оставлены"),
                format!("picture {path} of product {product} was not uploaded: its current pictures are kept"),
            ),
            M::WarnPictureUndecodable { product, path, reason } => pick(
                format!("файл {path} товара {product} повреждён и не читается как картинка ({reason})"),
                format!("file {path} of product {product} is damaged and does not decode as a picture ({reason})"),
            ),
            M::PictureUndecodable { name, reason } => pick(
                format!("Файл «{name}» повреждён и не читается как картинка ({reason}); ничего не загружено"),
                format!("\"{name}\" is damaged and does not decode as a picture ({reason}); nothing was uploaded"),
            ),
            M::WarnPictureNotRaster { product, path } => pick(
                format!(
                    "файл {path} товара {product} не является картинкой JPEG, PNG, WebP или GIF"
                ),
                format!("file {path} of product {product} is not a JPEG, PNG, WebP or GIF picture"),
            ),
            M::ExchangeNoCredentials => pick(
                "Нет логина и пароля: укажите в настройках обмена почту и пароль сотрудника".into(),
                "No login and password: enter an employee's email and password in the exchange settings".into(),
            ),
            M::ExchangeWrongCredentials => pick(
                "Неверная почта или пароль сотрудника".into(),
                "Wrong employee email or password".into(),
            ),
            M::ExchangeTooManyAttempts => pick(
                "Слишком много неудачных попыток входа: подождите 15 минут и проверьте пароль".into(),
                "Too many failed sign-ins: wait 15 minutes and check the password".into(),
            ),
            M::ExchangeBlocked => pick(
                "Сотрудник заблокирован: разблокируйте его в разделе Настройки → Сотрудники".into(),
                "The employee is blocked: unblock them under Settings → Employees".into(),
            ),
            M::ExchangeNoAdminAccess => pick(
                "У сотрудника нет доступа в админ панель: включите его в карточке сотрудника".into(),
                "The employee has no admin-panel access: turn it on in their card".into(),
            ),
            M::ExchangeNoPermission => pick(
                "У сотрудника нет права «Импорт CommerceML»: добавьте его в группу с этим правом".into(),
                "The employee lacks \"Import CommerceML\": add them to a group with that permission".into(),
            ),
            M::ExchangeNoSession => pick(
                "Сессия обмена не найдена или истекла: обмен начинается с mode=checkauth".into(),
                "No exchange session, or it expired: an exchange starts with mode=checkauth".into(),
            ),
            M::ExchangeUnknownType { value } => pick(
                format!("Неизвестный type «{value}»: ожидается catalog или sale"),
                format!("Unknown type \"{value}\": expected catalog or sale"),
            ),
            M::ExchangeUnknownMode { value } => pick(
                format!("Неизвестный mode «{value}»"),
                format!("Unknown mode \"{value}\""),
            ),
            M::Text(text) => text.clone(),
            M::ExchangeFileNotUploaded { name } => pick(
                format!("Файл {name} не загружался в этой выгрузке: сначала mode=file"),
                format!("The file {name} was not uploaded in this batch: send it with mode=file first"),
            ),
            M::ExchangeImportStarted => pick("Импорт начат".into(), "Import started".into()),
            M::ExchangeImportQueued { place } => pick(
                format!("Импорт в очереди: {place}-й"),
                format!("Import queued: number {place} in line"),
            ),
            M::ExchangeImportRunning { megabytes, items } => pick(
                format!("Импорт идёт: прочитано {megabytes} МБ, элементов: {items}"),
                format!("Importing: {megabytes} MB read, {items} items"),
            ),
            M::CliImportInterrupted => pick(
                "Импорт из командной строки прерван: его процесс остановился; каталог не изменён, запустите импорт снова".into(),
                "The command-line import was interrupted: its process stopped; the catalog is unchanged, run the import again".into(),
            ),
            M::ExchangeImportInterrupted => pick(
                "Импорт прерван остановкой сервера; каталог не изменён, повторите выгрузку".into(),
                "The import was interrupted by a server stop; the catalog is unchanged, send it again".into(),
            ),
            M::ExchangeUnsafeZip { name, reason } => pick(
                format!("Архив {name} отклонён целиком, ничего не импортировано: {reason}"),
                format!("The archive {name} was refused whole, nothing imported: {reason}"),
            ),
            M::UnknownExchange { id } => pick(
                format!("Обмен {id} не найден: возьмите id из vitrina exchange list"),
                format!("No exchange {id}: take the id from vitrina exchange list"),
            ),
            M::NothingToRerun { id } => pick(
                format!("Обмен {id} ничего не импортировал: повторять нечего"),
                format!("Exchange {id} imported nothing: there is nothing to re-run"),
            ),
            M::ExchangeNothingToDeactivate => pick(
                "В этой выгрузке ещё ничего не импортировано: снимать с продажи нечего".into(),
                "Nothing was imported in this upload yet: there is nothing to deactivate".into(),
            ),
            M::ExchangeDeactivated => pick(
                "Товары, которых нет в полном каталоге, сняты с продажи при его импорте".into(),
                "Products missing from the full catalog were deactivated when it was imported".into(),
            ),
            M::ExchangeNoBatch => pick(
                "Нет начатой выгрузки: перед mode=file вызовите mode=init".into(),
                "No upload started: call mode=init before mode=file".into(),
            ),
            M::ExchangeBadFileName { name } => pick(
                format!("Недопустимое имя файла «{name}»: оно выходит за папку выгрузки"),
                format!("Invalid file name \"{name}\": it leaves the upload folder"),
            ),
            M::ExchangeFileTooLarge { name, limit } => pick(
                format!("Файл {name} больше {limit} байт (настройка commerceml.max_file_bytes)"),
                format!("The file {name} is larger than {limit} bytes (setting commerceml.max_file_bytes)"),
            ),
            M::ExchangeBatchTooLarge { limit } => pick(
                format!("Выгрузка больше {limit} байт (настройка commerceml.max_batch_bytes)"),
                format!("The upload is larger than {limit} bytes (setting commerceml.max_batch_bytes)"),
            ),
            M::ExchangeModeNotYet { mode } => pick(
                format!("Режим {mode} пока не поддерживается этим сервером"),
                format!("Mode {mode} is not supported by this server yet"),
            ),
            M::ImportFilesFailed { failed, total } => pick(
                format!("Не применено файлов: {failed} из {total}"),
                format!("{failed} of {total} files were not applied"),
            ),
            M::BadLimit { value } => pick(
                format!("limit «{value}»: нужно целое число больше нуля"),
                format!("limit \"{value}\": expected a whole number above zero"),
            ),
            M::BadParameter { field, value } => pick(
                format!("{field} «{value}»: {}", expected_ru(field)),
                format!("{field} \"{value}\": {}", expected_en(field)),
            ),
            M::BadCursor => pick(
                "Недействительный cursor: берите его из next_cursor предыдущей страницы".into(),
                "Invalid cursor: take it from the previous page's next_cursor".into(),
            ),
            M::UnknownCategory { category } => pick(
                format!("Категория «{category}» не найдена"),
                format!("No category \"{category}\""),
            ),
            M::UnknownProduct { product } => pick(
                format!("Товар «{product}» не найден"),
                format!("No product \"{product}\""),
            ),
            M::UnknownPicture => pick("Картинка не найдена".into(), "No such picture".into()),
            M::BadWidth { value } => pick(
                format!("w «{value}»: доступная ширина — 160, 320, 640 или 1280"),
                format!("w \"{value}\": the widths offered are 160, 320, 640 and 1280"),
            ),
            M::WarnOrdersIgnored => pick(
                "документы заказов не применяются к каталогу".into(),
                "order documents are not applied to the catalog".into(),
            ),
            M::MoreWarnings { count } => pick(
                format!("… и ещё предупреждений: {count}"),
                format!("… and {count} more warnings"),
            ),
            M::CountGroups { count } => pick(
                format!("{count} {}", plural(*count, "группа", "группы", "групп")),
                format!("{count} group{}", if *count == 1 { "" } else { "s" }),
            ),
            M::CountProducts { count } => pick(
                format!("{count} {}", plural(*count, "товар", "товара", "товаров")),
                format!("{count} product{}", if *count == 1 { "" } else { "s" }),
            ),
            M::CountOffers { count } => pick(
                format!("{count} {}", plural(*count, "предложение", "предложения", "предложений")),
                format!("{count} offer{}", if *count == 1 { "" } else { "s" }),
            ),
            M::CountDocuments { count } => pick(
                format!("{count} {}", plural(*count, "документ", "документа", "документов")),
                format!("{count} document{}", if *count == 1 { "" } else { "s" }),
            ),
            M::CountNothing => pick("ничего".into(), "nothing".into()),
            M::ProductRenamed { from, to, sku } => pick(
                format!("товар {from} получил новый Ид {to} по артикулу {sku}: карточку пересоздали в учётной системе, картинки и заказы сохранены"),
                format!("product {from} took the new Ид {to} by its SKU {sku}: the card was made again in the accounting system; pictures and orders kept"),
            ),
            M::UnusedElement { file, path, count, line } => pick(
                format!(
                    "{file}, строка {line}: элемент {path} не используется (встречается {count} {})",
                    plural(*count, "раз", "раза", "раз")
                ),
                format!("{file}, line {line}: the element {path} is not used ({count} times)"),
            ),
            M::ImportSummary(summary) => {
                let ImportSummary {
                    file,
                    in_file,
                    created,
                    updated,
                    unchanged,
                    deactivated,
                    offers,
                    offers_unchanged,
                    warnings,
                    seconds,
                } = summary.as_ref();
                pick(
                format!(
                    "{file}: в файле: {in_file}; товары: {created} новых, {updated} изменено, \
                     {unchanged} без изменений, {deactivated} снято с продажи; предложения: \
                     {offers} записано, {offers_unchanged} без изменений; предупреждений: \
                     {warnings}; {seconds} с"
                ),
                format!(
                    "{file}: in the file: {in_file}; products: {created} new, {updated} changed, \
                     {unchanged} unchanged, {deactivated} deactivated; offers: {offers} written, \
                     {offers_unchanged} unchanged; warnings: {warnings}; {seconds} s"
                ),
                )
            }
        }
    }
}

/// The Russian word for `count` things: one, a few (2-4), many.
fn plural(count: u64, one: &'static str, few: &'static str, many: &'static str) -> &'static str {
    match (count % 10, count % 100) {
        (_, 11..=14) => many,
        (1, _) => one,
        (2..=4, _) => few,
        _ => many,
    }
}

/// What is wrong with a document, in Russian.
fn document_ru(kind: &commerceml::ErrorKind) -> String {
    use commerceml::ErrorKind as K;
    match kind {
        K::Io(reason) => format!("ошибка чтения файла: {reason}"),
        K::Empty => "файл пуст: в нём нет ни одного XML-элемента".into(),
        K::Syntax(detail) => format!("файл не является правильным XML: {detail}"),
        K::Encoding { encoding } => format!(
            "файл не в кодировке {encoding}: выгрузите его заново или исправьте объявление кодировки"
        ),
        K::UnsupportedEncoding(name) => format!("неподдерживаемая кодировка «{name}»"),
        K::NotCommerceMl(root) => {
            format!("корневой элемент <{root}>, а не <КоммерческаяИнформация>: это не CommerceML")
        }
        K::Truncated(open) => {
            format!("файл обрывается внутри <{open}>: он загружен не полностью")
        }
        K::TrailingContent => "после </КоммерческаяИнформация> есть лишние данные".into(),
        K::DocType => "объявления DOCTYPE в CommerceML недопустимы".into(),
        K::UnknownEntity(name) => format!("неизвестная сущность &{name};"),
        K::TooDeep(limit) => format!("вложенность элементов глубже {limit} уровней"),
        K::TextTooLong { element, limit } => format!("текст <{element}> длиннее {limit} байт"),
        K::TooManyAttributes { element, limit } => {
            format!("у <{element}> больше {limit} атрибутов")
        }
        K::TokenTooLong(limit) => format!("тег или текст длиннее {limit} байт"),
        K::Missing { element, missing } => format!("в {element} нет {missing}"),
        K::BadNumber { element, value } => format!("{element} «{value}» не является числом"),
        K::BadBoolean { element, value } => format!("{element} «{value}» не равно true или false"),
        K::Misplaced { element, path } => format!(
            "<{element}> внутри {path} — не там, где его пишет CommerceML, поэтому его нельзя применить; \
             каталог не изменён. Проверьте настройки выгрузки"
        ),
        K::NothingRecognised => {
            "в файле нет ни Классификатора, ни Каталога, ни ПакетаПредложений, \
             ни Документа: применять нечего, каталог не изменён"
                .into()
        }
        other => other.to_string(),
    }
}

impl fmt::Display for Message {
    /// English, for logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// What a list parameter takes, in Russian.
fn expected_ru(field: &str) -> &'static str {
    match field {
        "sort" => "нужно id, name, price, -price или new",
        "in_stock" => "нужно true или false",
        "property" => "нужно имя:значение, например Цвет:Красный",
        _ => "нужно число, например 1500 или 1500.50",
    }
}

/// What a list parameter takes, in English.
fn expected_en(field: &str) -> &'static str {
    match field {
        "sort" => "expected id, name, price, -price or new",
        "in_stock" => "expected true or false",
        "property" => "expected name:value, for example Цвет:Красный",
        _ => "expected a number, for example 1500 or 1500.50",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn russian_counts_take_their_word_forms() {
        let forms = |n| plural(n, "товар", "товара", "товаров");
        for (n, word) in [
            (1, "товар"),
            (2, "товара"),
            (4, "товара"),
            (5, "товаров"),
            (11, "товаров"),
            (12, "товаров"),
            (21, "товар"),
            (22, "товара"),
            (111, "товаров"),
            (174, "товара"),
            (0, "товаров"),
        ] {
            assert_eq!(forms(n), word, "{n}");
        }
    }

    #[test]
    fn picks_the_first_language_it_speaks() {
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,ru;q=0.8"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("de-DE, ru;q=0.5"), Lang::Ru);
        assert_eq!(Lang::from_accept_language("fr, de"), Lang::Ru);
        assert_eq!(Lang::from_accept_language(""), Lang::Ru);
    }

    #[test]
    fn nested_messages_render_in_the_same_language() {
        let msg = Message::InvalidSettingValue {
            key: "commerceml.zip".into(),
            value: "yes".into(),
            expected: Box::new(Message::ExpectedBool),
        };
        assert_eq!(
            msg.text(Lang::Ru),
            "Недопустимое значение «yes» для commerceml.zip: ожидается true или false"
        );
        assert_eq!(
            msg.text(Lang::En),
            "Invalid value \"yes\" for commerceml.zip: expected true or false"
        );
    }
}
