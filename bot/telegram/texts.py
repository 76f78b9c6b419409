"""Every text a user reads, in one place (Russian). A second language is a copy of this module.

Templates are HTML for Telegram's HTML parse mode. Placeholders are filled by
bot.telegram.render, which escapes every value that came from a user or the backend.
"""

HELP = (
    "Я проверяю лицензии модулей «МойСклад» для 1С-Битрикс и закрепляю срок "
    "технической поддержки в этом чате.\n\n"
    "<b>Как поделиться лицензией</b>\n"
    "1. Откройте в 1С-Битрикс: Административная панель → Настройки → Модули → "
    "[ваш модуль] → Настройки.\n"
    "2. В блоке лицензии нажмите «Скопировать информацию о лицензии».\n"
    "3. Вставьте скопированный текст сюда. Достаточно один раз: срок поддержки "
    "останется закреплённым в чате.\n\n"
    "Блок лицензии есть в версиях:\n"
    "• МойСклад: Синхронизация товаров по API — с 3.2.0\n"
    "• МойСклад: Гибкий обмен заказами по API — с 2.3.0\n"
    "• МойСклад: Обмен контрагентами по API — с 1.1.0\n"
    "Если блока нет, обновите модуль: поддержка оказывается только для этих версий и новее.\n\n"
    "/license — срок поддержки в этом чате."
)
HELP_GROUP = (
    "\n\n<b>Для группы</b>: сделайте бота администратором с правом «Закреплять "
    "сообщения» — тогда он увидит вставленный текст и закрепит статус."
)
HELP_AGENT = (
    "\n\n<b>Для сотрудников поддержки</b>\n"
    "/license &lt;Request ID&gt; — найти лицензию и чаты, где она есть\n"
    "/recheck — перепроверить лицензии этого чата\n"
    "/forget &lt;Request ID&gt; — убрать лицензию из этого чата\n"
    "/expiring [дней] — лицензии, которые скоро закончатся"
)

STATUS_TITLE = "📌 <b>Техническая поддержка в этом чате</b>"
STATUS_EMPTY = (
    "В этом чате пока нет подтверждённых лицензий. Пришлите текст из блока лицензии "
    "модуля (/help — где его найти)."
)
STATUS_UPDATED = "<i>Обновлено {when}</i>"

LINE_ACTIVE = "✅ <b>{module}</b>{demo}\nподдержка до {date} — {left}"
LINE_ACTIVE_OPEN = "✅ <b>{module}</b>{demo}\nлицензия активна"
LINE_EXPIRED = "⛔️ <b>{module}</b>{demo}\nлицензия истекла {date}, поддержка не оказывается"
LINE_EXPIRED_NO_DATE = "⛔️ <b>{module}</b>{demo}\nлицензия не активна, поддержка не оказывается"
DEMO_MARK = " (демо)"
LEFT_TODAY = "сегодня последний день"
LEFT_DAYS = "осталось {days} {word}"
DAY_WORDS = ("день", "дня", "дней")
UNNAMED_MODULE = "Модуль (Request ID …{tail})"

AGENT_DETAILS = "<code>{request_id}</code>{license}{site}{version}\nпроверено {checked}"
AGENT_LICENSE = " · {license_id}"
AGENT_SITE = "\nсайт: {site}"
AGENT_VERSION = ", версия {version}"

ANSWER_VERIFIED_INTRO = "Лицензия проверена на сервере лицензий:"
ANSWER_PINNED = "Статус закреплён в чате — присылать текст снова не нужно."
ANSWER_DATE_DIFFERS = (
    "В присланном тексте указан срок до {claimed}, а по данным сервера лицензий — {actual}. "
    "В статусе указан срок с сервера."
)
ANSWER_STATUS_DIFFERS = (
    "В присланном тексте лицензия {claimed}, но по данным сервера лицензий она {actual}."
)
CLAIMED_WORDS = {
    "active": "активна",
    "expired": "истекла",
    "demo": "демо",
}
ACTUAL_ACTIVE = "активна"
ACTUAL_EXPIRED = "не активна"
NO_DATE = "без даты окончания"
RENEW_HINT = (
    "Чтобы получать поддержку и обновления, продлите лицензию. Продление возможно "
    "только при активной лицензии 1С-Битрикс на сайте; новый срок появится в модуле "
    "и здесь в течение 30 минут после активации."
)
BITRIX_INACTIVE = (
    "⚠️ Лицензия 1С-Битрикс на сайте {site} не активна: сначала продлите её, "
    "затем лицензию модуля."
)
ANSWER_UNKNOWN = (
    "❓ Request ID <code>{request_id}</code> не найден на сервере лицензий. Скопируйте "
    "текст кнопкой «Скопировать информацию о лицензии» ещё раз и пришлите его целиком."
)
ANSWER_DELAYED = (
    "⏳ Проверка лицензии <code>{request_id}</code> задерживается: сервер лицензий сейчас "
    "не отвечает. Текст сохранён — я отвечу здесь, как только проверю, присылать его "
    "снова не нужно."
)
ANSWER_CAPPED = (
    "В сообщении {total} Request ID — проверяю первые {limit}. Остальные пришлите "
    "отдельным сообщением."
)
ANSWER_RATE_LIMITED = (
    "Слишком много проверок подряд. Подождите несколько минут и пришлите текст снова."
)
RENEW_BUTTON = "Продлить: {module}"

PIN_NO_RIGHTS = (
    "Не могу закрепить статус: дайте боту права администратора с правом «Закреплять "
    "сообщения». Статус сохранён, /license покажет его в любой момент."
)

AGENTS_ONLY = "Эта команда доступна только сотрудникам поддержки."
LOOKUP_USAGE = "Укажите Request ID: /license 24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
FORGET_USAGE = "Укажите Request ID: /forget 24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
BAD_REQUEST_ID = (
    "Это не похоже на Request ID: нужен полный UUID вида "
    "24c5934b-7b86-48bd-a1d6-5bfb6950c17a."
)
LOOKUP_TITLE = "🔎 Request ID <code>{request_id}</code>"
LOOKUP_BACKEND = "Сервер лицензий: {verdict}"
LOOKUP_BACKEND_NOT_FOUND = "Сервер лицензий: такой Request ID не найден."
LOOKUP_BACKEND_DOWN = "Сервер лицензий сейчас не отвечает ({reason})."
LOOKUP_CHATS = "Чаты с этой лицензией:"
LOOKUP_CHAT_LINE = "• {title} (<code>{chat_id}</code>){inactive}"
LOOKUP_CHAT_INACTIVE = " — бот удалён или заблокирован"
LOOKUP_NO_CHATS = "Ни в одном чате эта лицензия не сохранена."
FORGET_DONE = "Лицензия <code>{request_id}</code> убрана из этого чата."
FORGET_NONE = "В этом чате нет лицензии с Request ID <code>{request_id}</code>."
RECHECK_NONE = "В этом чате нет лицензий для перепроверки."
RECHECK_DONE = "Перепроверено на сервере лицензий."
RECHECK_BUTTON = "🔄 Перепроверить"
RECHECK_STARTED = "Перепроверяю…"
EXPIRING_USAGE = "Укажите число дней от 1 до 365: /expiring 14"
EXPIRING_TITLE = "Лицензии, которые заканчиваются в ближайшие {days} {word}:"
EXPIRING_ENDED_TITLE = "Закончились за последние 7 дней:"
EXPIRING_LINE = "• {module} — до {date} — {title} (<code>{chat_id}</code>)"
EXPIRING_NONE = "Ничего не заканчивается в ближайшие {days} {word}."
UNTITLED_CHAT = "личный чат"

CALLBACK_FOREIGN = "Эта кнопка не для этого чата."
CALLBACK_AGENTS_ONLY = "Перепроверка доступна сотрудникам поддержки."

OPERATOR_BACKEND_AUTH = (
    "⚠️ Сервер лицензий отклоняет запросы бота (HTTP {status}): проверьте LICENSE_API_URL "
    "и LICENSE_API_TOKEN. Клиентам сказано, что проверка задерживается."
)
ERROR_GENERIC = "Что-то пошло не так. Попробуйте ещё раз через минуту."
