//! The admin panel's labels, in Russian and English. Templates call `t("key")`; a test checks
//! that every key a template names is here. Sentences that report an outcome (errors,
//! refusals) are [`super::Message`]s instead.

use super::Lang;

/// The label `key` in `lang`, if the table has it.
pub fn text(key: &str, lang: Lang) -> Option<&'static str> {
    TEXTS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, ru, en)| match lang {
            Lang::Ru => *ru,
            Lang::En => *en,
        })
}

/// Whether some label's key starts with `prefix` (for keys a template puts together).
pub fn has_family(prefix: &str) -> bool {
    TEXTS.iter().any(|(k, _, _)| k.starts_with(prefix))
}

/// (key, Russian, English).
static TEXTS: &[(&str, &str, &str)] = &[
    ("panel.title", "Панель администратора", "Admin panel"),
    ("lang.switch", "English", "Русский"),
    ("yes", "да", "yes"),
    ("no", "нет", "no"),
    ("save", "Сохранить", "Save"),
    ("edit", "Редактировать", "Edit"),
    ("unit.seconds", "с", "s"),
    // Navigation.
    ("nav.sections", "Разделы", "Sections"),
    ("nav.orders", "Заказы", "Orders"),
    ("nav.catalog", "Каталог", "Catalog"),
    ("nav.exchanges", "История обмена", "Exchange history"),
    ("nav.employees", "Сотрудники", "Employees"),
    ("nav.groups", "Права доступа", "Access rights"),
    ("nav.integration", "МойСклад / 1С", "MoySklad / 1C"),
    // Signing in.
    ("auth.title", "Вход в панель", "Sign in"),
    ("auth.sign_in", "Войти", "Sign in"),
    ("auth.sign_out", "Выйти", "Sign out"),
    // Form fields.
    ("field.name", "Имя", "Name"),
    ("field.email", "Почта", "Email"),
    ("field.password", "Пароль", "Password"),
    ("field.new_password", "Новый пароль", "New password"),
    (
        "field.admin_access",
        "Доступ в админ панель",
        "Admin panel access",
    ),
    ("field.status", "Статус", "Status"),
    // Outcomes shown after a form was saved (`?done=`).
    (
        "done.employee_created",
        "Сотрудник создан",
        "Employee created",
    ),
    ("done.saved", "Сохранено", "Saved"),
    ("done.blocked", "Сотрудник заблокирован", "Employee blocked"),
    (
        "done.unblocked",
        "Сотрудник разблокирован",
        "Employee unblocked",
    ),
    ("done.password_set", "Пароль изменён", "Password changed"),
    ("done.group_created", "Группа создана", "Group created"),
    (
        "done.permissions_saved",
        "Права группы сохранены",
        "Group permissions saved",
    ),
    (
        "done.member_added",
        "Сотрудник добавлен в группу",
        "Employee added to the group",
    ),
    (
        "done.member_removed",
        "Сотрудник удалён из группы",
        "Employee removed from the group",
    ),
    (
        "done.settings_saved",
        "Настройки обмена сохранены",
        "Exchange settings saved",
    ),
    (
        "done.status_changed",
        "Статус заказа изменён",
        "Order status changed",
    ),
    (
        "done.order_resent",
        "Заказ уйдёт в учётную систему при следующем обмене",
        "The order goes to the accounting system with the next exchange",
    ),
    (
        "done.status_mapped",
        "Сопоставление сохранено",
        "Mapping saved",
    ),
    (
        "done.statuses_applied",
        "Сопоставление применено к полученным заказам",
        "The mapping was applied to orders received",
    ),
    (
        "done.rerun_started",
        "Импорт запущен заново",
        "The import was started again",
    ),
    (
        "done.pictures_added",
        "Картинки загружены",
        "Pictures uploaded",
    ),
    (
        "done.pictures_ordered",
        "Порядок картинок изменён",
        "Picture order changed",
    ),
    (
        "done.picture_deleted",
        "Картинка удалена",
        "Picture deleted",
    ),
    // Statuses.
    ("status.success", "успешно", "success"),
    ("status.failed", "ошибка", "failed"),
    ("status.running", "идёт импорт", "importing"),
    ("status.queued", "в очереди", "queued"),
    ("status.held", "задержана", "held"),
    ("status.discarded", "отменена", "discarded"),
    // Dashboard.
    ("dashboard.title", "Обзор", "Overview"),
    (
        "dashboard.nothing",
        "У вас нет доступа ни к одному разделу панели. Права выдаёт владелец магазина в разделе Права доступа.",
        "You have access to no section of the panel. The shop's owner grants rights under Access rights.",
    ),
    (
        "dashboard.last_exchange",
        "Последний обмен",
        "Last exchange",
    ),
    (
        "dashboard.no_exchange",
        "Обменов ещё не было.",
        "No exchange yet.",
    ),
    ("dashboard.set_up", "Настроить обмен", "Set up the exchange"),
    (
        "dashboard.quiet",
        "Обмена не было больше трёх часов: проверьте расписание обмена в МойСклад или 1С.",
        "No exchange for over three hours: check the exchange schedule in MoySklad or 1C.",
    ),
    ("dashboard.catalog", "Каталог", "Catalog"),
    (
        "dashboard.products_active",
        "товаров в продаже",
        "products on sale",
    ),
    ("dashboard.products_inactive", "снято с продажи", "off sale"),
    ("dashboard.categories", "категорий", "categories"),
    ("dashboard.attention", "Требует внимания", "Needs attention"),
    // Employees.
    ("employee.create", "Новый сотрудник", "New employee"),
    (
        "employee.create_button",
        "Создать сотрудника",
        "Create employee",
    ),
    ("employee.edit", "Данные сотрудника", "Employee details"),
    ("employee.owner", "владелец", "owner"),
    ("employee.active", "активен", "active"),
    ("employee.blocked", "заблокирован", "blocked"),
    ("employee.block", "Заблокировать", "Block"),
    ("employee.unblock", "Разблокировать", "Unblock"),
    ("employee.password", "Сброс пароля", "Reset password"),
    (
        "employee.password_hint",
        "Предложен случайный пароль: передайте его сотруднику или введите свой (не короче 10 символов).",
        "A random password is suggested: give it to the employee or type your own (10 characters or more).",
    ),
    ("employee.set_password", "Задать пароль", "Set password"),
    // Groups.
    ("group.name", "Название группы", "Group name"),
    ("group.permissions", "Прав", "Permissions"),
    ("group.members", "Сотрудников", "Members"),
    ("group.none", "Групп пока нет.", "No groups yet."),
    (
        "group.create",
        "Создание группы пользователя",
        "Create a user group",
    ),
    ("group.create_button", "Создать группу", "Create group"),
    (
        "group.permissions_title",
        "Права доступа группы",
        "Group permissions",
    ),
    (
        "group.members_title",
        "Пользователи группы",
        "Group members",
    ),
    (
        "group.no_members",
        "В группе никого нет.",
        "Nobody is in this group.",
    ),
    ("group.employee", "Сотрудник", "Employee"),
    ("group.add", "Добавить", "Add"),
    ("group.remove", "Удалить из группы", "Remove from group"),
    // Integration.
    (
        "integration.title",
        "МойСклад / 1С (CommerceML)",
        "MoySklad / 1C (CommerceML)",
    ),
    ("integration.url", "Адрес обмена", "Exchange address"),
    ("integration.copy", "Копировать", "Copy"),
    (
        "integration.url_hint",
        "Вставьте этот адрес в МойСклад (Обмен по CommerceML) или в 1С (Обмен с сайтом).",
        "Paste this address into MoySklad (CommerceML exchange) or 1C (site exchange).",
    ),
    (
        "integration.guide",
        "Как подключить МойСклад",
        "How to connect MoySklad",
    ),
    (
        "integration.settings",
        "Настройки обмена",
        "Exchange settings",
    ),
    (
        "guide.employee",
        "Создайте сотрудника для обмена (например, sklad@ваш-магазин) с галочкой «Доступ в админ панель».",
        "Create an employee for the exchange (e.g. sklad@your-shop) with \"Admin panel access\" ticked.",
    ),
    (
        "guide.group",
        "Создайте группу «МойСклад», отметьте в ней право Интеграции → «Импорт CommerceML» и добавьте в неё этого сотрудника.",
        "Create a group \"MoySklad\", tick Integrations → \"Import CommerceML\" in it and add that employee.",
    ),
    (
        "guide.connector",
        "В МойСклад откройте Настройки → Обмен по CommerceML → Создать, вставьте адрес обмена, почту и пароль сотрудника.",
        "In MoySklad open Settings → CommerceML exchange → Create, paste the exchange address, the employee's email and password.",
    ),
    (
        "guide.check",
        "Нажмите «Проверить соединение»: должно появиться «Соединение установлено».",
        "Press \"Check connection\": it must say the connection works.",
    ),
    (
        "guide.orders",
        "Заказы: включите «Обмен заказами» ниже, дайте сотруднику право Интеграции → «Обмен заказами CommerceML», затем в МойСклад включите «Заказы — включить выгрузку». Пока обмен заказами выключен здесь, оставьте её выключенной.",
        "Orders: switch on \"Order exchange\" below, give the employee Integrations → \"Exchange orders over CommerceML\", then in MoySklad turn on \"Orders — enable export\". While order exchange is off here, leave it off.",
    ),
    (
        "guide.schedule",
        "Остатки и цены выгружайте раз в 60 минут или реже.",
        "Send stock and prices every 60 minutes or less often.",
    ),
    (
        "guide.prices",
        "Выберите один тип цены и склады, которые считаются в остатке, ниже.",
        "Choose one price type, and the warehouses counted in stock, below.",
    ),
    (
        "guide.pictures",
        "Картинки МойСклад присылает отдельным проходом; их судьбу задаёт настройка «Картинки».",
        "MoySklad sends pictures in a separate pass; the \"Pictures\" setting decides what happens to them.",
    ),
    ("setting.root_group", "Корневая группа", "Root group"),
    (
        "setting.root_group.all",
        "— весь каталог —",
        "— the whole catalog —",
    ),
    (
        "setting.root_group.help",
        "Только товары этой группы и её подгрупп попадут на сайт; сама группа не показывается.",
        "Only products of this group and its subgroups reach the site; the group itself is not shown.",
    ),
    ("setting.price_type", "Тип цены", "Price type"),
    (
        "setting.price_type.first",
        "— первый в выгрузке —",
        "— the first one sent —",
    ),
    (
        "setting.price_type.help",
        "Цена, которую видят покупатели. Остальные типы цен тоже хранятся.",
        "The price customers see. The other price types are kept too.",
    ),
    (
        "setting.warehouses",
        "Склады в остатке",
        "Warehouses counted in stock",
    ),
    (
        "setting.warehouses.none",
        "Склады появятся после первой выгрузки предложений.",
        "Warehouses appear after the first offers are sent.",
    ),
    (
        "setting.warehouses.help",
        "Ничего не отмечено — считаются все склады.",
        "None ticked: every warehouse counts.",
    ),
    ("setting.images", "Картинки", "Pictures"),
    (
        "setting.images.keep_admin",
        "Картинки из обмена заменяют прежние из обмена, загруженные в панели остаются",
        "Exchange pictures replace earlier exchange pictures; those uploaded in the panel stay",
    ),
    (
        "setting.images.replace",
        "Картинки из обмена заменяют все картинки товара",
        "Exchange pictures replace all pictures of the product",
    ),
    (
        "setting.images.off",
        "Не принимать картинки из обмена",
        "Ignore exchange pictures",
    ),
    (
        "setting.deactivate_missing",
        "Снимать с продажи товары, которых нет в полной выгрузке",
        "Take off sale products missing from a full export",
    ),
    (
        "setting.deactivate_missing.help",
        "Товары не удаляются: их можно вернуть следующей выгрузкой.",
        "Products are never deleted: the next export can bring them back.",
    ),
    (
        "setting.match_by_sku",
        "Узнавать пересозданные карточки по артикулу",
        "Recognise recreated cards by their SKU",
    ),
    (
        "setting.match_by_sku.help",
        "Если товар пропал из полной выгрузки, а в ней появился новый Ид с тем же артикулом, \
         прежний товар получает новый Ид и сохраняет картинки и заказы вместо дубля.",
        "When a product is gone from a full export and a new Ид with the same SKU appears, the \
         product takes the new Ид and keeps its pictures and orders instead of a duplicate.",
    ),
    (
        "setting.zip",
        "Принимать файлы в zip-архиве",
        "Accept files in a zip archive",
    ),
    (
        "setting.file_limit",
        "Размер части файла, байт",
        "File part size, bytes",
    ),
    (
        "setting.file_limit.help",
        "МойСклад и 1С режут большие файлы на части этого размера.",
        "MoySklad and 1C cut big files into parts of this size.",
    ),
    (
        "setting.max_file_bytes",
        "Наибольший размер файла, байт",
        "Largest file, bytes",
    ),
    (
        "setting.max_batch_bytes",
        "Наибольший объём одного обмена, байт",
        "Largest exchange, bytes",
    ),
    (
        "setting.max_bytes.help",
        "Больше этого не принимается: обмен получит понятную ошибку, каталог не изменится.",
        "Anything larger is refused with a clear error; the catalog stays as it was.",
    ),
    (
        "setting.keep_batches_days",
        "Хранить загруженные файлы, дней",
        "Keep uploaded files, days",
    ),
    ("setting.orders", "Обмен заказами", "Order exchange"),
    (
        "setting.orders_encoding",
        "Кодировка заказов",
        "Order encoding",
    ),
    (
        "setting.orders_encoding.help",
        "UTF-8 подходит МойСклад и новым 1С; windows-1251 — для старых конфигураций 1С.",
        "UTF-8 suits MoySklad and recent 1C; windows-1251 is for old 1C configurations.",
    ),
    (
        "setting.orders.help",
        "Пока выключено, МойСклад и 1С не получают заказы сайта.",
        "While off, MoySklad and 1C receive no site orders.",
    ),
    // Exchange history.
    ("exchanges.chart", "Последние обмены", "Recent exchanges"),
    ("exchanges.duration", "Длительность", "Duration"),
    ("exchanges.max", "макс.", "max"),
    (
        "exchanges.products_changed",
        "товаров изменено",
        "products changed",
    ),
    ("exchanges.time", "Время (UTC)", "Time (UTC)"),
    ("exchanges.employee", "Сотрудник", "Employee"),
    ("exchanges.ip", "IP-адрес", "IP address"),
    ("exchanges.files", "Файлы", "Files"),
    ("exchanges.warnings", "предупреждений", "warnings"),
    ("exchanges.none", "Обменов ещё не было.", "No exchange yet."),
    ("exchange.title", "Обмен", "Exchange"),
    ("exchange.importing", "Идёт импорт…", "Importing…"),
    ("exchange.created", "Новых товаров", "New products"),
    ("exchange.updated", "Изменено", "Changed"),
    ("exchange.unchanged", "Без изменений", "Unchanged"),
    ("exchange.deactivated", "Снято с продажи", "Taken off sale"),
    ("exchange.offers", "Предложений записано", "Offers written"),
    ("exchange.calls", "Запросы", "Calls"),
    (
        "exchange.repeats",
        "таких запросов за час",
        "such calls this hour",
    ),
    ("exchange.uploads", "Загруженные файлы", "Uploaded files"),
    ("exchange.rerun", "Повторить импорт", "Import again"),
    (
        "exchange.rerun_hint",
        "Файлы этого обмена будут применены заново в том же порядке.",
        "This exchange's files are applied again in the same order.",
    ),
    ("exchange.items", "элементов", "items"),
    ("held.title", "Выгрузка задержана", "The pass is held"),
    (
        "held.explain",
        "Эта полная выгрузка изменила бы слишком много товаров сразу, поэтому каталог не изменён. Проверьте фильтры и тип цен в МойСклад / 1С. «Применить» опубликует выгрузку как есть, «Отменить» оставит каталог прежним.",
        "This full pass would change too many products at once, so the catalog was left as it is. Check the filters and price type in MoySklad / 1C. \"Apply\" publishes the pass as it came; \"Discard\" keeps the catalog as it is.",
    ),
    ("held.release", "Применить", "Apply"),
    ("history.title", "История каталога", "Catalog history"),
    ("alerts.title", "Оповещения", "Alerts"),
    (
        "alerts.explain",
        "Витрина сообщит, если импорт не удался, выгрузка задержана, обмена нет дольше заданного или учётная система не забирает заказы: одно сообщение, когда это случилось, и одно, когда прошло.",
        "Vitrina tells you when an import failed, a pass was held, there was no exchange for too long or the accounting system does not pick up orders: one message when it happens, and one when it is over.",
    ),
    ("alerts.open", "Сейчас", "Now"),
    ("alerts.webhook", "Вебхук", "Webhook"),
    ("alerts.webhook_url", "Адрес", "Address"),
    ("alerts.webhook_secret", "Секрет подписи", "Signing secret"),
    (
        "alerts.webhook_help",
        "POST с JSON; заголовок X-Vitrina-Signature: sha256=HMAC-SHA256 тела на секрете. Неудачная доставка повторяется с растущей паузой.",
        "A POST of JSON; the X-Vitrina-Signature header is sha256=HMAC-SHA256 of the body under the secret. A failed delivery is retried with growing waits.",
    ),
    (
        "alerts.secret_set",
        "задан; оставьте пустым, чтобы не менять",
        "set; leave blank to keep it",
    ),
    ("alerts.email", "Почта", "E-mail"),
    (
        "alerts.email_to",
        "Кому (через запятую)",
        "To (comma-separated)",
    ),
    ("alerts.smtp_host", "SMTP-сервер", "SMTP server"),
    ("alerts.smtp_port", "Порт", "Port"),
    ("alerts.smtp_tls", "Шифрование", "Encryption"),
    ("alerts.tls.starttls", "STARTTLS", "STARTTLS"),
    ("alerts.tls.tls", "TLS", "TLS"),
    ("alerts.tls.none", "нет", "none"),
    ("alerts.smtp_login", "Логин", "Login"),
    ("alerts.smtp_password", "Пароль", "Password"),
    ("alerts.smtp_from", "От кого", "From"),
    ("alerts.when", "Когда сообщать", "When to tell"),
    (
        "alerts.no_exchange_hours",
        "Нет успешного обмена, часов",
        "No successful exchange, hours",
    ),
    (
        "orders.pickup_alert_hours",
        "Заказы не забраны, часов",
        "Orders not picked up, hours",
    ),
    ("alerts.when_help", "0 — не сообщать.", "0 turns it off."),
    ("alerts.test", "Отправить тест", "Send a test"),
    (
        "alerts.test_hint",
        "Одно сообщение в каждый настроенный канал; результат появится в журнале.",
        "One message to each channel set up; the outcome appears in the log.",
    ),
    ("alerts.log", "Журнал доставки", "Delivery log"),
    ("alerts.channel", "Канал", "Channel"),
    ("alerts.event", "Событие", "Event"),
    ("alerts.event.opened", "случилось", "opened"),
    ("alerts.event.cleared", "прошло", "cleared"),
    ("alerts.event.test", "тест", "test"),
    ("alerts.attempts", "Попыток", "Attempts"),
    ("alerts.none", "Сообщений ещё не было.", "No message yet."),
    (
        "done.alert_test_queued",
        "Тестовые сообщения отправляются: результат — в журнале ниже.",
        "Test messages are on their way: the outcome shows in the log below.",
    ),
    (
        "done.alert_no_channel",
        "Оповещения не настроены: укажите вебхук или почту.",
        "No alert channel is set up: give a webhook or e-mail.",
    ),
    ("lock.title", "На сайте", "On the site"),
    ("lock.name", "Название", "Name"),
    (
        "lock.legend",
        "Не менять при обмене",
        "Keep from the exchange",
    ),
    (
        "lock.help",
        "Отмеченные поля обмен с МойСклад / 1С не меняет; изменённые здесь название и описание закрепляются сами. Снимите отметку — и следующая выгрузка вернёт значение из учётной системы.",
        "The exchange with MoySklad / 1C leaves the ticked fields as they are; a name or description changed here is locked by itself. Untick a field and the next pass brings back the accounting system's value.",
    ),
    ("lock.field.name", "название", "name"),
    ("lock.field.description", "описание", "description"),
    ("lock.field.category", "категория", "category"),
    ("lock.field.pictures", "картинки", "pictures"),
    (
        "lock.field.visibility",
        "в продаже или нет",
        "on sale or not",
    ),
    ("lock.locked", "закреплено", "locked"),
    (
        "lock.hint",
        "Обмен не меняет это поле",
        "The exchange does not change this field",
    ),
    ("lock.list", "Закреплено на сайте", "Locked on the site"),
    (
        "done.product_saved",
        "Товар сохранён.",
        "The product was saved.",
    ),
    (
        "history.explain",
        "Каждая публикация (импорт или откат) запоминает, что изменила. «Откатить» вернёт каталог к виду до этой публикации; сам откат тоже появится здесь, и его можно отменить так же.",
        "Each publish (an import or a rollback) remembers what it changed. \"Roll back\" brings the catalog back to how it was before that publish; the rollback appears here too and can be undone the same way.",
    ),
    ("history.file", "Файл", "File"),
    ("history.changes", "Что изменилось", "What changed"),
    ("history.rollback", "Откатить", "Roll back"),
    (
        "history.rollback_hint",
        "Вернуть каталог к виду до этой публикации",
        "Bring the catalog back to how it was before this publish",
    ),
    ("history.none", "Публикаций ещё не было.", "No publish yet."),
    (
        "done.rolled_back",
        "Каталог возвращён к прежнему виду.",
        "The catalog is back as it was.",
    ),
    ("held.discard", "Отменить", "Discard"),
    ("held.check.off_sale", "Снимет с продажи", "Takes off sale"),
    (
        "held.check.unpriced",
        "Оставит без цены",
        "Leaves without the price",
    ),
    (
        "held.check.pictures",
        "Уберёт картинки",
        "Removes the pictures of",
    ),
    ("held.of", "из", "of"),
    ("held.limit", "порог", "limit"),
    ("held.first", "Первые из них:", "The first of them:"),
    (
        "done.held_released",
        "Выгрузка применяется: результат появится ниже.",
        "The pass is being applied: its outcome appears below.",
    ),
    (
        "done.held_discarded",
        "Выгрузка отменена: каталог не изменён.",
        "The pass was discarded: the catalog is unchanged.",
    ),
    (
        "setting.brake",
        "Защита от ошибочной выгрузки",
        "Protection against a wrong pass",
    ),
    (
        "setting.brake.help",
        "Полная выгрузка, которая превысит любой из порогов, задерживается: каталог не меняется, пока вы не примените или не отмените её в Истории обмена. 0 — не проверять. Первая выгрузка в пустой каталог не задерживается.",
        "A full pass beyond any of these limits is held: the catalog does not change until you apply or discard it in the exchange history. 0 turns a check off. The first pass into an empty catalog is never held.",
    ),
    (
        "setting.brake_offsale_percent",
        "Снимает с продажи больше, % товаров",
        "Takes off sale more than, % of products",
    ),
    (
        "setting.brake_unpriced_percent",
        "Оставляет без цены больше, % товаров",
        "Leaves without the price more than, % of products",
    ),
    (
        "setting.brake_pictures_percent",
        "Убирает картинки больше чем у, % товаров с картинками",
        "Removes the pictures of more than, % of products with pictures",
    ),
    ("unit.megabytes", "МБ", "MB"),
    ("exchange.bytes", "Байт", "Bytes"),
    ("exchange.answer", "Ответ", "Answer"),
    // Orders.
    (
        "orders.search",
        "Номер, имя, телефон или почта",
        "Number, name, phone or email",
    ),
    ("orders.all", "Все статусы", "Every status"),
    ("orders.number", "Номер", "Number"),
    ("orders.customer", "Покупатель", "Customer"),
    ("orders.total", "Итого", "Total"),
    ("orders.none", "Заказов нет.", "No orders."),
    ("orders.order", "Заказ", "Order"),
    ("orders.phone", "Телефон", "Phone"),
    ("orders.address", "Адрес", "Address"),
    ("orders.comment", "Комментарий", "Comment"),
    ("orders.accounting", "Учётная система", "Accounting system"),
    (
        "orders.accounting_number",
        "Номер в МойСклад / 1С",
        "Number in MoySklad / 1C",
    ),
    ("orders.paid", "Оплачен", "Paid"),
    ("orders.shipped", "Отгружен", "Shipped"),
    ("orders.change_status", "Изменить статус", "Change status"),
    ("orders.lines", "Товары", "Items"),
    ("orders.quantity", "Количество", "Quantity"),
    ("orders.sum", "Сумма", "Sum"),
    ("orders.history", "История статусов", "Status history"),
    ("orders.kind", "Покупатель — это", "The buyer is"),
    ("orders.kind.person", "частное лицо", "a person"),
    ("orders.kind.company", "компания", "a company"),
    ("orders.inn", "ИНН", "INN"),
    ("orders.kpp", "КПП", "KPP"),
    ("orders.legal_address", "Юридический адрес", "Legal address"),
    ("orders.payment_method", "Способ оплаты", "Payment method"),
    ("orders.delivery", "Доставка", "Delivery"),
    ("orders.discount", "Скидка", "Discount"),
    ("orders.order_discount", "Скидка на заказ", "Order discount"),
    ("orders.resend", "Отправить снова", "Send again"),
    (
        "orders.statuses",
        "Статусы из учётной системы",
        "Statuses from the accounting system",
    ),
    ("orders.overdue", "не забран", "not picked up"),
    (
        "orders.overdue_notice",
        "Учётная система давно не забирала заказы",
        "The accounting system has not picked up orders for a while",
    ),
    (
        "orders.overdue_help",
        "Заказ (или его изменение) ждёт, когда МойСклад или 1С его заберут, дольше, чем задано в настройках",
        "The order (or its change) has waited for MoySklad or 1C longer than the settings allow",
    ),
    ("orders.journey", "Путь заказа", "The order's journey"),
    ("journey.placed", "Оформлен на сайте", "Placed on the site"),
    (
        "journey.sent",
        "Отдан учётной системе",
        "Fetched by the accounting system",
    ),
    (
        "journey.confirmed",
        "Учётная система подтвердила получение",
        "The accounting system confirmed it",
    ),
    (
        "journey.received",
        "Изменение из учётной системы",
        "A change from the accounting system",
    ),
    ("journey.changed", "Изменён на сайте", "Changed on the site"),
    (
        "journey.resent",
        "Поставлен на повторную отправку",
        "Queued to be sent again",
    ),
    ("journey.exchange", "обмен", "exchange"),
    (
        "journey.delivery.waiting",
        "ещё не забран",
        "not fetched yet",
    ),
    (
        "journey.delivery.sent",
        "забран, ждёт подтверждения",
        "fetched, awaiting confirmation",
    ),
    (
        "journey.delivery.confirmed",
        "в учётной системе",
        "in the accounting system",
    ),
    (
        "statuses.help",
        "Каждое значение статуса и каждый флаг, которые прислали МойСклад или 1С, и что они значат на сайте. Новые значения ждут вашего решения и до тех пор статус заказа не меняют.",
        "Every status value and flag MoySklad or 1C sent, and what it means on the site. New values wait for your decision and change no order until then.",
    ),
    (
        "statuses.unmapped_notice",
        "Значения без сопоставления",
        "Values not mapped yet",
    ),
    ("statuses.requisite", "Реквизит", "Requisite"),
    ("statuses.value", "Значение", "Value"),
    ("statuses.seen", "Получено раз", "Times received"),
    (
        "statuses.site_status",
        "Статус на сайте",
        "Status on the site",
    ),
    (
        "statuses.none",
        "Учётная система ещё не присылала изменений заказов.",
        "The accounting system has sent no order changes yet.",
    ),
    ("statuses.unmapped", "не сопоставлено", "not mapped"),
    ("statuses.keep", "не менять статус", "leave the status"),
    ("statuses.new", "Новый", "New"),
    ("statuses.confirmed", "Подтверждён", "Confirmed"),
    ("statuses.paid", "Оплачен", "Paid"),
    ("statuses.shipped", "Отгружен", "Shipped"),
    ("statuses.completed", "Выполнен", "Completed"),
    ("statuses.cancelled", "Отменён", "Cancelled"),
    (
        "statuses.apply_past",
        "Применить к полученным заказам",
        "Apply to orders already received",
    ),
    (
        "statuses.apply_past_help",
        "Последнее изменение каждого заказа из учётной системы будет прочитано заново по этим правилам (если на сайте заказ с тех пор не меняли).",
        "Each order's last change from the accounting system is read again under these rules (unless the order was changed on the site since).",
    ),
    ("unit.hours", "ч", "h"),
    // Catalog.
    ("catalog.categories", "Категории", "Categories"),
    ("catalog.category", "Категория", "Category"),
    ("catalog.all", "Все товары", "All products"),
    (
        "catalog.more_categories",
        "Ещё категорий",
        "More categories",
    ),
    (
        "catalog.search",
        "Название, артикул или штрихкод",
        "Name, SKU or barcode",
    ),
    ("catalog.find", "Найти", "Search"),
    ("catalog.empty", "Товаров не найдено.", "No products found."),
    ("catalog.next", "Следующая страница →", "Next page →"),
    ("catalog.status.active", "В продаже", "On sale"),
    ("catalog.status.inactive", "Сняты с продажи", "Off sale"),
    ("catalog.status.all", "Все", "All"),
    (
        "catalog.status.hidden",
        "Скрыты правилами",
        "Hidden by the rules",
    ),
    ("hidden.no_stock", "скрыт: нет остатка", "hidden: no stock"),
    ("hidden.no_price", "скрыт: нет цены", "hidden: no price"),
    (
        "hidden.no_pictures",
        "скрыт: нет картинок",
        "hidden: no pictures",
    ),
    (
        "setting.visibility",
        "Что не показывать покупателям",
        "What buyers do not see",
    ),
    (
        "setting.hide_without_stock",
        "Товары без остатка на учитываемых складах",
        "Products without stock in the counted warehouses",
    ),
    (
        "setting.hide_without_price",
        "Товары без цены сайта",
        "Products without the shop's price",
    ),
    (
        "setting.hide_without_pictures",
        "Товары без картинок",
        "Products without pictures",
    ),
    (
        "setting.visibility.help",
        "Такие товары остаются в каталоге и в панели (Каталог → Скрыты правилами, с причиной), но API витрины их не отдаёт.",
        "Such products stay in the catalog and the panel (Catalog → Hidden by the rules, with the reason), but the storefront API does not return them.",
    ),
    ("product.id", "Ид", "Id"),
    ("product.sku", "Артикул", "SKU"),
    ("product.barcodes", "Штрихкоды", "Barcodes"),
    ("product.unit", "Единица", "Unit"),
    ("product.price", "Цена", "Price"),
    ("product.prices", "Цены по типам", "Prices by type"),
    ("product.stock", "Остаток", "Stock"),
    (
        "product.stock_by_warehouse",
        "Остатки по складам",
        "Stock by warehouse",
    ),
    ("product.description", "Описание", "Description"),
    ("product.properties", "Свойства", "Properties"),
    ("product.variants", "Модификации", "Variants"),
    ("product.variants_short", "модиф.", "variants"),
    (
        "product.characteristics",
        "Характеристики",
        "Characteristics",
    ),
    ("product.pictures", "Картинки", "Pictures"),
    ("product.no_pictures", "Картинок нет.", "No pictures."),
    ("product.upload", "Загрузить картинки", "Upload pictures"),
    (
        "product.upload_hint",
        "JPEG, PNG, WebP или GIF, можно несколько сразу.",
        "JPEG, PNG, WebP or GIF, several at once.",
    ),
    ("product.move_up", "Раньше", "Earlier"),
    ("product.move_down", "Позже", "Later"),
    ("product.delete_picture", "Удалить", "Delete"),
    ("product.source.exchange", "из обмена", "from the exchange"),
    (
        "product.source.admin",
        "загружена в панели",
        "uploaded in the panel",
    ),
    (
        "product.replace_warning",
        "Настройка «Картинки» заменяет все картинки: следующий обмен перезапишет загруженные в панели.",
        "The \"Pictures\" setting replaces all pictures: the next exchange overwrites those uploaded in the panel.",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_both_languages_are_filled() {
        let mut keys: Vec<&str> = TEXTS.iter().map(|(k, _, _)| *k).collect();
        keys.sort_unstable();
        let before = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), before, "a key is listed twice");
        for (key, ru, en) in TEXTS {
            assert!(!ru.is_empty() && !en.is_empty(), "{key}");
        }
        assert_eq!(text("nav.groups", Lang::Ru), Some("Права доступа"));
        assert_eq!(text("no.such.key", Lang::En), None);
    }
}
