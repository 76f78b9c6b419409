"""Pasted texts and the claims the parser must find in them."""

from __future__ import annotations

U1 = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
U2 = "0f1e2d3c-4b5a-6978-8a9b-acbdcedf0011"
U3 = "9b2e7c10-55aa-4e21-b3d4-000000000abc"
U4 = "deadbeef-0000-4000-8000-123456789abc"
U5 = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"

ACTIVE = "Лицензия модуля активна. Срок активности до 07.08.2026"
EXPIRED = "Лицензия модуля истекла. Срок активности до 01.03.2025"
DEMO = "Демо-режим модуля активен. Срок активности до 15.06.2026"

FULLWIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}

A = ("active", "2026-08-07")
E = ("expired", "2025-03-01")
D = ("demo", "2026-06-15")
NONE = ("unknown", None)

# (id, text, [(request_id, status, iso date or None), ...])
Case = tuple[str, str, list[tuple[str, str, str | None]]]


def _one(rid: str, found: tuple[str, str | None]) -> list[tuple[str, str, str | None]]:
    return [(rid, *found)]


LABELS: list[Case] = [
    ("widget-exact", f"{ACTIVE}\nRequest ID: {U1}", _one(U1, A)),
    ("label-Id-dash", f"{ACTIVE}\nRequest Id - {U1}", _one(U1, A)),
    ("label-RequestID", f"{ACTIVE}\nRequestID: {U1}", _one(U1, A)),
    ("label-request-id", f"{ACTIVE}\nrequest-id: {U1}", _one(U1, A)),
    ("label-request_id=", f"{ACTIVE}\nrequest_id={U1}", _one(U1, A)),
    ("label-upper", f"{ACTIVE.upper()}\nREQUEST ID: {U1}", _one(U1, A)),
    ("label-double-space-colon", f"{ACTIVE}\nRequest  ID :  {U1}", _one(U1, A)),
    ("label-guillemets", f"{ACTIVE}\n«Request ID»: «{U1}»", _one(U1, A)),
    ("label-no-colon", f"{ACTIVE}\nRequest ID {U1}", _one(U1, A)),
    ("label-no-space-before-uuid", f"{ACTIVE}\nRequest ID:{U1}", _one(U1, A)),
    ("label-split-over-lines", f"{ACTIVE}\nRequest\nID: {U1}", _one(U1, A)),
    ("label-uuid-next-line", f"{ACTIVE}\nRequest ID:\n{U1}", _one(U1, A)),
    ("label-uuid-after-blank-line", f"{ACTIVE}\nRequest ID:\n\n{U1}", _one(U1, A)),
    ("label-em-dash", f"{ACTIVE}\nRequest ID — {U1}", _one(U1, A)),
    ("label-arrow", f"{ACTIVE}\nRequest ID → {U1}", _one(U1, A)),
    ("label-number-sign", f"{ACTIVE}\nRequest ID № {U1}", _one(U1, A)),
    ("label-russian", f"{ACTIVE}\nID запроса: {U1}", _one(U1, A)),
    ("label-russian-long", f"{ACTIVE}\nИдентификатор запроса: {U1}", _one(U1, A)),
    ("label-json", f'{{"requestId": "{U1}", "status": "active"}}', [(U1, "active", None)]),
    ("label-cyrillic-e", f"{ACTIVE}\nRequеst ID: {U1}", _one(U1, A)),
    ("label-cyrillic-many", f"{ACTIVE}\nRеquеѕt ІD: {U1}", _one(U1, A)),
    ("label-cyrillic-upper", f"{ACTIVE}\nRЕQUЕST ID: {U1}", _one(U1, A)),
    ("label-fullwidth", f"{ACTIVE}\nＲｅｑｕｅｓｔ ＩＤ：{U1}", _one(U1, A)),
    ("uuid-fullwidth", f"{ACTIVE}\nRequest ID: {U1.upper().translate(FULLWIDTH)}", _one(U1, A)),
    ("label-x-request-id-header", f"X-Request-ID: {U1}", _one(U1, NONE)),
    ("label-url-query-param", f"https://example.ru/check?request_id={U1}", _one(U1, NONE)),
    ("label-then-is", f"{ACTIVE}, my Request ID is {U1}", _one(U1, A)),
    ("label-then-eto", f"{ACTIVE}\nRequest ID — это {U1}", _one(U1, A)),
]

QUOTING: list[Case] = [
    ("md-bold-backticks", f"{ACTIVE}\n**Request ID:** `{U1}`", _one(U1, A)),
    ("md-code-block", f"```\n{ACTIVE}\nRequest ID: {U1}\n```", _one(U1, A)),
    ("md-italic-underscores", f"_{ACTIVE}_\n__Request ID__: __{U1}__", _one(U1, A)),
    ("md-spoiler", f"{ACTIVE}\nRequest ID: ||{U1}||", _one(U1, A)),
    ("md-v2-escaped", f"{ACTIVE}\nRequest ID: {U1.replace('-', chr(92) + '-')}", _one(U1, A)),
    ("md-link", f"{ACTIVE}\nRequest ID: [{U1}](https://example.ru/x)", _one(U1, A)),
    ("angle-brackets", f"{ACTIVE}\nRequest ID: <{U1}>", _one(U1, A)),
    ("square-brackets", f"{ACTIVE}\nRequest ID: [{U1}]", _one(U1, A)),
    ("parentheses", f"{ACTIVE}\nRequest ID ({U1})", _one(U1, A)),
    ("braces-guid", f"{ACTIVE}\nRequest ID: {{{U1.upper()}}}", _one(U1, A)),
    ("double-quotes", f'{ACTIVE}\n"Request ID: {U1}"', _one(U1, A)),
    ("single-quotes", f"{ACTIVE}\nRequest ID: '{U1}'", _one(U1, A)),
    ("curly-quotes", f"{ACTIVE}\nRequest ID: “{U1}”", _one(U1, A)),
    (
        "html-tags",
        f"<p>{ACTIVE}</p><p><b>Request ID:</b> <code>{U1}</code></p>",
        _one(U1, A),
    ),
    ("html-br-nbsp", f"{ACTIVE}<br>Request&nbsp;ID:&nbsp;{U1}", _one(U1, A)),
    ("html-escaped-brackets", f"{ACTIVE}<br/>Request ID: &lt;{U1}&gt;", _one(U1, A)),
    ("email-quoted", f"> {ACTIVE}\n> Request ID: {U1}", _one(U1, A)),
    (
        "email-quoted-nested-reply",
        f"Спасибо!\n\nOn 01.02.2026 10:15, Иван wrote:\n> > {ACTIVE}\n> > Request ID: {U1}",
        _one(U1, A),
    ),
    ("email-quoted-uuid-next-line", f"> {ACTIVE}\n> Request ID:\n> {U1}", _one(U1, A)),
]

INVISIBLE: list[Case] = [
    ("nbsp", f"{ACTIVE}\nRequest\u00a0ID:\u00a0{U1}", _one(U1, A)),
    ("narrow-nbsp-and-em-space", f"{ACTIVE}\nRequest\u202fID:\u2003{U1}", _one(U1, A)),
    ("ideographic-space", f"{ACTIVE}\nRequest\u3000ID:\u3000{U1}", _one(U1, A)),
    ("tab", f"{ACTIVE}\nRequest ID:\t{U1}", _one(U1, A)),
    (
        "zwsp-in-uuid",
        f"{ACTIVE}\nRequest ID: {U1[:4]}\u200b{U1[4:20]}\u200c{U1[20:]}",
        _one(U1, A),
    ),
    ("zwj-word-joiner-bom", f"\ufeff{ACTIVE}\nRequest\u2060 ID:\u200d {U1}\ufeff", _one(U1, A)),
    ("soft-hyphen", f"{ACTIVE}\nRe\u00adquest ID: {U1[:9]}\u00ad{U1[9:]}", _one(U1, A)),
    (
        "bidi-marks",
        f"\u202b{ACTIVE}\u202c\n\u200eRequest ID: \u2066{U1[:13]}\u200f{U1[13:]}\u2069",
        _one(U1, A),
    ),
    (
        "unicode-dashes",
        f"{ACTIVE}\nRequest ID: 24c5934b\u20107b86\u201148bd\u2013a1d6\u22125bfb6950c17a",
        _one(U1, A),
    ),
    ("uppercase-hex", f"{ACTIVE}\nRequest ID: {U1.upper()}", _one(U1, A)),
    (
        "cyrillic-hex-letters",
        f"{ACTIVE}\nRequest ID: 24с5934b-7b86-48bd-а1d6-5bfb6950с17а",
        _one(U1, A),
    ),
    ("crlf", f"{ACTIVE}\r\nRequest ID: {U1}\r\n", _one(U1, A)),
    ("line-separator", f"{ACTIVE}\u2028Request ID: {U1}", _one(U1, A)),
    (
        "uuid-wrapped-at-hyphen",
        f"{ACTIVE}\nRequest ID: 24c5934b-7b86-48bd-\na1d6-5bfb6950c17a",
        _one(U1, A),
    ),
    (
        "spaces-around-hyphens",
        f"{ACTIVE}\nRequest ID: 24c5934b - 7b86 - 48bd - a1d6 - 5bfb6950c17a",
        _one(U1, A),
    ),
]

LAYOUT: list[Case] = [
    (
        "status-split-two-lines",
        f"Лицензия модуля активна.\nСрок активности до 07.08.2026\nRequest ID: {U1}",
        _one(U1, A),
    ),
    ("same-line-no-newlines", f"{ACTIVE} Request ID: {U1}", _one(U1, A)),
    ("glued-date-and-label", f"{ACTIVE}Request ID: {U1}", _one(U1, A)),
    ("status-after-id", f"Request ID: {U1}\n{ACTIVE}", _one(U1, A)),
    ("status-after-id-same-line", f"Request ID: {U1} ({ACTIVE})", _one(U1, A)),
    ("blank-line-between", f"{ACTIVE}\n\nRequest ID: {U1}", _one(U1, A)),
    ("filler-line-between", f"{ACTIVE}\nвот наш идентификатор:\nRequest ID: {U1}", _one(U1, A)),
    (
        "renewal-link-between",
        f"{EXPIRED}\nПродлить: https://example.ru/renew/L-1\nRequest ID: {U1}",
        _one(U1, E),
    ),
    ("no-status-at-all", f"Request ID: {U1}", _one(U1, NONE)),
    ("status-no-date", f"Лицензия модуля активна\nRequest ID: {U1}", [(U1, "active", None)]),
    (
        "date-no-status",
        f"Срок активности до 07.08.2026\nRequest ID: {U1}",
        [(U1, "unknown", "2026-08-07")],
    ),
    (
        "status-after-each-id-same-line",
        f"Request ID: {U1} (активна до 07.08.2026), Request ID: {U2} (истекла 01.03.2025)",
        [(U1, *A), (U2, *E)],
    ),
    (
        "question-before-bare-id-status-after",
        f"Здравствуйте, у нас лицензия истекла?\nRequest ID: {U1}\n{ACTIVE}",
        _one(U1, A),
    ),
    (
        "greeting-date-before-status-after",
        f"Добрый день, 01.02.2026 обновили модуль\nRequest ID: {U1}\n{EXPIRED}",
        _one(U1, E),
    ),
    (
        "demo-sentence-before-active",
        f"Демо-режим. {ACTIVE}\nRequest ID: {U1}",
        [(U1, "demo", A[1])],
    ),
]

STATUSES: list[Case] = [
    ("expired-istekla", f"{EXPIRED}\nRequest ID: {U1}", _one(U1, E)),
    ("expired-istyok-yo", f"Срок активности истёк 01.03.2025\nRequest ID: {U1}", _one(U1, E)),
    ("expired-istek", f"СРОК ЛИЦЕНЗИИ ИСТЕК 01.03.2025\nRequest ID: {U1}", _one(U1, E)),
    ("expired-zakonchilas", f"Лицензия закончилась 01.03.2025\nRequest ID: {U1}", _one(U1, E)),
    (
        "expired-neaktivna",
        f"Лицензия модуля неактивна. Срок активности до 01.03.2025\nRequest ID: {U1}",
        _one(U1, E),
    ),
    (
        "expired-ne-aktivna",
        f"Лицензия модуля не активна. Срок активности до 01.03.2025\nRequest ID: {U1}",
        _one(U1, E),
    ),
    ("expired-prosrochena", f"Лицензия просрочена (до 01.03.2025)\nRequest ID: {U1}", _one(U1, E)),
    ("expired-english", f"License expired on 2025-03-01\nRequest ID: {U1}", _one(U1, E)),
    ("expired-ne-deystvuet", f"Лицензия не действует с 01.03.2025\nRequest ID: {U1}", _one(U1, E)),
    (
        "expired-beats-demo",
        f"Демо-режим истёк. Срок активности до 01.03.2025\nRequest ID: {U1}",
        [(U1, "expired", "2025-03-01")],
    ),
    ("demo", f"{DEMO}\nRequest ID: {U1}", _one(U1, D)),
    (
        "demo-rezhim-beats-active",
        f"Лицензия модуля активна (демо-режим). Срок активности до 15.06.2026\nRequest ID: {U1}",
        _one(U1, D),
    ),
    ("demo-probnaya", f"Пробная версия действует до 15.06.2026\nRequest ID: {U1}", _one(U1, D)),
    (
        "demo-english-trial",
        f"Trial license, valid until 2026-06-15\nRequest ID: {U1}",
        _one(U1, D),
    ),
    ("active-deystvuet", f"Лицензия действует до 07.08.2026\nRequest ID: {U1}", _one(U1, A)),
    (
        "active-deystvitelna",
        f"Лицензия действительна до 07.08.2026\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "active-english",
        f"Module license is active until 07/08/2026\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "active-expires-future-tense",
        f"Лицензия активна, истекает 07.08.2026\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "unknown-words",
        f"Лицензия модуля: проверка. Срок до 07.08.2026\nRequest ID: {U1}",
        [(U1, "unknown", "2026-08-07")],
    ),
    (
        "expired-srok-deystviya-istek",
        f"Срок действия лицензии модуля истек 01.03.2025\nRequest ID: {U1}",
        _one(U1, E),
    ),
    (
        "expired-not-valid-english",
        f"License is not valid since 2025-03-01\nRequest ID: {U1}",
        _one(U1, E),
    ),
    (
        "demo-srok-okonchaniya",
        f"Демо-режим модуля активен. Срок окончания демо-режима 15.06.2026\nRequest ID: {U1}",
        _one(U1, D),
    ),
]

DATES: list[Case] = [
    ("date-d.m.yyyy", f"Лицензия активна до 7.8.2026\nRequest ID: {U1}", _one(U1, A)),
    ("date-slashes", f"Лицензия активна до 07/08/2026\nRequest ID: {U1}", _one(U1, A)),
    ("date-dashes", f"Лицензия активна до 07-08-2026\nRequest ID: {U1}", _one(U1, A)),
    ("date-iso", f"Лицензия активна до 2026-08-07\nRequest ID: {U1}", _one(U1, A)),
    (
        "date-russian-month",
        f"Лицензия активна до 7 августа 2026 г.\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "date-russian-may",
        f"Лицензия активна до 1 мая 2026\nRequest ID: {U1}",
        [(U1, "active", "2026-05-01")],
    ),
    (
        "date-russian-march",
        f"Лицензия активна до 31 марта 2026\nRequest ID: {U1}",
        [(U1, "active", "2026-03-31")],
    ),
    ("date-english-month", f"License active until August 7, 2026\nRequest ID: {U1}", _one(U1, A)),
    ("date-two-digit-year", f"Лицензия активна до 07.08.26\nRequest ID: {U1}", _one(U1, A)),
    (
        "date-with-bold",
        f"Лицензия модуля активна. Срок активности до **07.08.2026**\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "date-colon-after-do",
        f"Лицензия активна. Срок активности до: 07.08.2026\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "date-impossible-feb-31",
        f"Лицензия модуля активна. Срок активности до 31.02.2026\nRequest ID: {U1}",
        [(U1, "active", None)],
    ),
    (
        "date-impossible-month-13",
        f"Лицензия модуля истекла. Срок активности до 00.13.2026\nRequest ID: {U1}",
        [(U1, "expired", None)],
    ),
    (
        "date-leap-day",
        f"Лицензия активна до 29.02.2028\nRequest ID: {U1}",
        [(U1, "active", "2028-02-29")],
    ),
    ("date-not-leap", f"Лицензия активна до 29.02.2027\nRequest ID: {U1}", [(U1, "active", None)]),
    (
        "date-prefer-do-over-first",
        f"Лицензия продлена 01.02.2026, активна до 07.08.2026\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "date-timestamp-not-term",
        f"[01.02.2026 10:15] Иван: Лицензия модуля истекла\nRequest ID: {U1}",
        [(U1, "expired", None)],
    ),
    (
        "date-time-after-until",
        f"Лицензия активна до 07.08.2026 23:59\nRequest ID: {U1}",
        _one(U1, A),
    ),
]

NOISE: list[Case] = [
    (
        "greeting-date-on-own-line",
        f"Добрый день, 01.02.2026 обновили модуль\nRequest ID: {U1}",
        _one(U1, NONE),
    ),
    (
        "greeting-date-before-widget",
        f"Добрый день, 01.02.2026 обновили модуль\n{ACTIVE}\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "greeting-expired-word-before-widget",
        f"Здравствуйте! Лицензия была просрочена, продлили.\n{ACTIVE}\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "greeting-same-line",
        f"Добрый день, 01.02.2026 обновили модуль, вот: {ACTIVE} Request ID: {U1}",
        _one(U1, A),
    ),
    (
        "signature-after",
        f"{ACTIVE}\nRequest ID: {U1}\n\nС уважением,\nИван Петров\n+7 (999) 123-45-67",
        _one(U1, A),
    ),
    (
        "telegram-forward-header",
        f"Forwarded from Иван Петров\n{ACTIVE}\nRequest ID: {U1}",
        _one(U1, A),
    ),
    (
        "russian-forward-header",
        f"Переслано от: Магазин «Ромашка» 05.06.2026\n{EXPIRED}\nRequest ID: {U1}",
        _one(U1, E),
    ),
    (
        "question-after",
        f"{DEMO}\nRequest ID: {U1}\nПодскажите, когда выйдет обновление? Заказ 12.05.2026",
        _one(U1, D),
    ),
    ("emoji-around", f"🙏 {ACTIVE} ✅\nRequest ID: {U1} 👍", _one(U1, A)),
    (
        "greeting-colon-same-line",
        f"Добрый день, продлили просроченную лицензию: {ACTIVE} Request ID: {U1}",
        _one(U1, A),
    ),
    (
        "telegram-desktop-copy",
        f"Иван Петров, [05.06.2026 12:00]\nЛицензия модуля истекла\n\n"
        f"Иван Петров, [05.06.2026 12:00]\nRequest ID: {U1}",
        [(U1, "expired", None)],
    ),
    (
        "mail-forward-header",
        f"-------- Пересылаемое сообщение --------\n01.02.2026, 10:15, Иван <ivan@shop.ru>:\n\n"
        f"{ACTIVE}\nRequest ID: {U1}",
        _one(U1, A),
    ),
]

SEVERAL: list[Case] = [
    (
        "two-blocks",
        f"{ACTIVE}\nRequest ID: {U1}\n{EXPIRED}\nRequest ID: {U2}",
        [(U1, *A), (U2, *E)],
    ),
    (
        "two-blocks-blank-line",
        f"{EXPIRED}\nRequest ID: {U1}\n\n{ACTIVE}\nRequest ID: {U2}",
        [(U1, *E), (U2, *A)],
    ),
    (
        "two-blocks-one-line",
        f"{ACTIVE} Request ID: {U1} {EXPIRED} Request ID: {U2}",
        [(U1, *A), (U2, *E)],
    ),
    (
        "two-blocks-glued",
        f"{ACTIVE}Request ID: {U1}{EXPIRED}Request ID: {U2}",
        [(U1, *A), (U2, *E)],
    ),
    (
        "three-blocks-with-titles",
        f"Синхронизация товаров:\n{ACTIVE}\nRequest ID: {U1}\n\nОбмен заказами:\n{DEMO}\n"
        f"Request ID: {U2}\n\nКонтрагенты:\n{EXPIRED}\nRequest ID: {U3}",
        [(U1, *A), (U2, *D), (U3, *E)],
    ),
    (
        "three-blocks-status-after",
        f"Request ID: {U1}\n{ACTIVE}\nRequest ID: {U2}\n{EXPIRED}\nRequest ID: {U3}\n{DEMO}",
        [(U1, *A), (U2, *E), (U3, *D)],
    ),
    (
        "five-blocks",
        "\n".join(
            f"{status}\nRequest ID: {rid}"
            for status, rid in [
                (ACTIVE, U1),
                (EXPIRED, U2),
                (DEMO, U3),
                (ACTIVE, U4),
                (EXPIRED, U5),
            ]
        ),
        [(U1, *A), (U2, *E), (U3, *D), (U4, *A), (U5, *E)],
    ),
    (
        "second-block-without-status",
        f"{ACTIVE}\nRequest ID: {U1}\nи ещё один:\nRequest ID: {U2}",
        [(U1, *A), (U2, *NONE)],
    ),
    (
        "first-block-without-status",
        f"Request ID: {U1}\n{EXPIRED}\nRequest ID: {U2}",
        [(U1, *NONE), (U2, *E)],
    ),
    (
        "two-blocks-split-status-lines",
        f"Лицензия модуля активна.\nСрок активности до 07.08.2026\nRequest ID: {U1}\n"
        f"Лицензия модуля истекла.\nСрок активности до 01.03.2025\nRequest ID: {U2}",
        [(U1, *A), (U2, *E)],
    ),
    (
        "two-blocks-email-quoted",
        f"> {ACTIVE}\n> Request ID: {U1}\n>\n> {DEMO}\n> Request ID: {U2}",
        [(U1, *A), (U2, *D)],
    ),
]

DUPLICATES: list[Case] = [
    ("same-id-twice", f"{ACTIVE}\nRequest ID: {U1}\n{ACTIVE}\nRequest ID: {U1}", _one(U1, A)),
    ("same-id-case-differs", f"{ACTIVE}\nRequest ID: {U1}\nRequest ID: {U1.upper()}", _one(U1, A)),
    (
        "duplicate-first-bare-later-full",
        f"Request ID: {U1}\nвот полностью:\n\n{EXPIRED}\nRequest ID: {U1}",
        _one(U1, E),
    ),
    (
        "duplicate-keeps-first-order",
        f"{ACTIVE}\nRequest ID: {U1}\n{EXPIRED}\nRequest ID: {U2}\n{ACTIVE}\nRequest ID: {U1}",
        [(U1, *A), (U2, *E)],
    ),
]

NOT_CLAIMS: list[Case] = [
    ("empty", "", []),
    ("whitespace", " \n\t ", []),
    ("plain-uuid", U1, []),
    ("status-and-bare-uuid", f"{ACTIVE}\n{U1}", []),
    ("uuid-before-label", f"{U1} - это Request ID", []),
    ("other-label", f"Order ID: {U1}", []),
    ("url-with-uuid", f"Лицензия активна https://shop.example.ru/orders/{U1}", []),
    ("request-id-without-uuid", "Где найти Request ID? У нас лицензия активна до 07.08.2026", []),
    ("request-id-word-then-uuid", f"Request ID не нашёл, вот ключ {U1}", []),
    ("truncated-uuid", f"{ACTIVE}\nRequest ID: {U1[:-1]}", []),
    ("truncated-group", f"{ACTIVE}\nRequest ID: 24c5934b-7b8-48bd-a1d6-5bfb6950c17a", []),
    ("extra-hex-glued", f"{ACTIVE}\nRequest ID: {U1}0", []),
    ("extra-group-glued", f"{ACTIVE}\nRequest ID: {U1}-abcd", []),
    ("hex-glued-before", f"{ACTIVE}\nRequest ID: f{U1}", []),
    ("no-hyphens", f"{ACTIVE}\nRequest ID: {U1.replace('-', '')}", []),
    ("non-hex-letters", f"{ACTIVE}\nRequest ID: 24c5934b-7b86-48bd-a1d6-5bfb6950czzz", []),
    ("order-and-phone", "Заказ №12345 от 01.02.2026, телефон +7 (999) 123-45-67", []),
    ("license-key", "Лицензионный ключ: ABC-12-DEF-34567890 активен до 07.08.2026", []),
]

CORPUS: list[Case] = [
    *LABELS,
    *QUOTING,
    *INVISIBLE,
    *LAYOUT,
    *STATUSES,
    *DATES,
    *NOISE,
    *SEVERAL,
    *DUPLICATES,
    *NOT_CLAIMS,
]
