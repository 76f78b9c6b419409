"""Hostile input through the real Dispatcher: hundreds of odd messages, none crashes or leaks.

The corpus: hand-picked texts (empty, whitespace, 4096 characters, one huge line, Unicode
oddities, HTML and Markdown control characters, SQL-looking strings), each alone and with
a valid license block inside, 50 Request IDs in one message, and texts hypothesis generates
from the same ingredients (HOSTILE_SEED picks another corpus; HOSTILE_EXAMPLES its size).
They arrive as new, edited, captioned and forwarded messages, in private chats and in groups
with hostile titles. Every message the bot sends is parsed again as Telegram parses HTML.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from bot.licensing.parser import parse_claims
from bot.views import notices
from tests import factories as f
from tests.fakes.telegram_html import parse_html
from tests.support.bots import AGENT_ID, DirectBot, FastBots, fast_app
from tests.support.catalog import in_russian
from tests.support.disk import eventually, rows
from tests.support.widget import widget_text

ERROR_GENERIC = in_russian(notices.error_generic)

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"  # a license the backend knows
RID_EVIL = "5f0e3c1a-9b8d-4c2e-a1f3-7d6b5a4c3e2f"  # known too, with hostile strings in it
UNKNOWN = "0b7c4d2e-1f3a-4b5c-9d8e-6f7a8b9c0d1e"
SEED = int(os.environ.get("HOSTILE_SEED", "20260601"))
GENERATED = int(os.environ.get("HOSTILE_EXAMPLES", "240"))

ODDITIES = [
    "\u200f",
    "\u200e",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u061c",  # bidi
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",  # zero-width, soft hyphen
    "\u0301",
    "\u0336",
    "\u20dd",
    "\u0489",  # combining
    "😀",
    "👨\u200d👩\u200d👧\u200d👦",
    "🇷🇺",
    "👍🏽",
    "🏳️\u200d🌈",
    "\U0001d411",  # astral
    "\u3000",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\r",
    "\t",
    "\x0b",
    "\x1b",
    "Ａ",
    "ﬁ",
    "ǅ",
    "ß",
    "İ",
    "а",
    "е",
    "о",  # widths, ligatures, Cyrillic look-alikes
]
MARKUP = [
    "<b>",
    "</b>",
    "<i>x</i>",
    "</code>",
    "<pre>",
    "<script>alert(1)</script>",
    "<",
    ">",
    "&",
    "&amp;",
    "&lt;b&gt;",
    "&#0;",
    "&#x110000;",
    "&nbsp;",
    '<a href="javascript:alert(1)">x</a>',
    "<tg-spoiler>",
    "<<>>",
    "*bold*",
    "_it_",
    "`code`",
    "```\npre\n```",
    "[link](http://x)",
    "~strike~",
    "||spoiler||",
    "\\",
    "\\*",
    "#tag",
    "@license_test_bot",
    "/license",
]
SQL = [
    "'; DROP TABLE licenses; --",
    '" OR 1=1 --',
    "Robert'); DROP TABLE chats;--",
    "%' UNION SELECT * FROM licenses --",
    "1; PRAGMA writable_schema=1;",
    "NULL",
    "\\x00",
]
FIXED = [
    "",
    " ",
    "   \n\t  \n",
    "\u200b\u200c\u200d",
    "\u202e\u200f",
    "\u3000\u00a0",
    "a" * 4096,
    "Request ID: " + "x" * 4084,
    ("0123456789abcdef" * 256),
    "я" * 4096,
    "😀" * 2048,
    "a" + "\u0301" * 3000,
    "Z̷̢͉̈́a̸̛͚l̶̰͗g̵̱̈o̷̪͝ " * 40,
    "\u202eRequest ID: " + UNKNOWN,
    "Request\u200bID\u200d: " + UNKNOWN.upper(),
    "𝐑𝐞𝐪𝐮𝐞𝐬𝐭 𝐈𝐃: " + UNKNOWN,
    "Request ID: " + UNKNOWN.replace("e", "е"),
    "Request ID:\n" + UNKNOWN[:18] + "\n" + UNKNOWN[18:],
    "<b>Request ID</b>: <code>" + UNKNOWN + "</code>",
    "Request ID: " + UNKNOWN + "0",
    "Request ID: " + UNKNOWN[:-1],
    *MARKUP,
    *SQL,
    "& < > \" ' " * 300,
    "<" * 4096,
    "&" * 4096,
    "\n" * 4000 + "x",
    " ".join(ODDITIES) * 20,
]
TITLES = [
    "<b>Магазин</b>",
    "A & B",
    "&amp;",
    "</code>",
    "\"quoted\" 'single'",
    "Ромашка 🌼",
    "\u202eevil",
    "x" * 128,
    "<script>",
    "'; DROP TABLE chats; --",
]


@dataclass
class Case:
    name: str
    text: str
    via: str  # private, group, edited, caption, forwarded
    chat: dict[str, Any] | None = None
    message_id: int | None = None


def embed(text: str, rid: str, expires: Any) -> str:
    """The text with a license block inside, cut so that it stays within 4096 characters."""
    license_block = "\n\n" + widget_text(rid, expires) + "\n\n"
    room = 4096 - len(license_block)
    half = max(room // 2, 0)
    return text[:half] + license_block + text[half:][: room - min(len(text), half)]


fragment = st.one_of(
    st.sampled_from(ODDITIES + MARKUP + SQL),
    st.text(max_size=40),  # any Unicode but lone surrogates, which Telegram cannot send
    st.lists(st.sampled_from(ODDITIES + list("<>&\"'`*_[]()~|#\\/;-")), max_size=30).map("".join),
)
hostile_text = st.lists(fragment, max_size=24).map("".join)


def generated(count: int) -> list[tuple[str, bool, bool]]:
    """(text, with a license block?, padded to 4096?) drawn by hypothesis."""
    drawn: list[tuple[str, bool, bool]] = []

    @seed(SEED)
    @settings(
        max_examples=count,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(hostile_text, st.booleans(), st.booleans())
    def collect(text: str, with_block: bool, pad: bool) -> None:
        drawn.append((text, with_block, pad))

    collect()
    return drawn


def corpus(expires: Any) -> list[tuple[str, str]]:
    """(name, text) pairs: every fixed text alone and with a block, then the generated ones."""
    cases = []
    for i, text in enumerate(FIXED):
        cases.append((f"fixed-{i}", text))
        rid = RID_EVIL if i % 5 == 0 else RID
        cases.append((f"fixed-{i}+block", embed(text, rid, expires)))
    many = "\n".join(f"Request ID: {UNKNOWN[:-4]}{n:04x}" for n in range(49))
    cases.append(("50-ids", widget_text(RID, expires) + "\n" + many))
    for i, (text, with_block, pad) in enumerate(generated(GENERATED)):
        if pad:
            text = (text or "x") * (4096 // max(len(text), 1) + 1)
            text = text[:4096]
        if with_block:
            text = embed(text, RID if i % 3 else RID_EVIL, expires)
        cases.append((f"gen-{i}{'+block' if with_block else ''}", text[:4096]))
    return cases


def deliver(case: Case, raws: list[dict[str, Any]], title: str) -> None:
    user = f.user("Клиент")
    if case.via == "group":
        case.chat = f.supergroup(title)
    else:
        case.chat = f.private_chat(user)
    if case.via == "edited":
        original = f.message(case.chat, user, "черновик")
        raws.append(f.edited_message_update(f.edited(original, case.text)))
        case.message_id = original["message_id"]
        return
    if case.via == "caption":
        msg = f.message(case.chat, user, None, caption=case.text)
    elif case.via == "forwarded":
        origin = f.forwarded_from_hidden_user("Клиент магазина")
        msg = f.message(case.chat, user, case.text, forward_origin=origin)
    else:
        msg = f.message(case.chat, user, case.text)
    case.message_id = msg["message_id"]
    raws.append(f.message_update(msg))


def check_case(telegram, case: Case) -> None:
    """What this sender sees is what the design promises for this text."""
    assert case.chat is not None
    sent = telegram.sent_to(case.chat["id"])
    shown = [m.plain_text for m in sent]
    where = f"{case.name} via {case.via}: {case.text[:200]!r} -> {shown}"
    assert ERROR_GENERIC not in shown, where
    claims = parse_claims(case.text)
    if claims:
        assert sent, where
        [answer, *rest] = sent
        assert answer.reply_to_message_id == case.message_id, where
        checked = {c.request_id for c in claims[:10]}
        if checked & {RID, RID_EVIL}:  # a chat's first paste: the status, pinned, answers
            assert "Техническая поддержка в этом чате" in answer.plain_text, where
            assert telegram.pinned.get(case.chat["id"]) == answer.message_id, where
            assert all(m.reply_to_message_id == case.message_id for m in rest), where
        else:
            assert "не найден" in answer.plain_text, where
        if len(claims) > 10:
            capped = f"В сообщении {len(claims)} Request ID — проверяю первые 10"
            assert any(capped in text for text in shown), where
        return
    if case.text.startswith("/") and case.via != "edited":
        assert len(sent) <= 1, where  # a command (odd or not) gets its one short answer
    elif case.via in ("private", "caption", "forwarded") and (case.text or case.via == "caption"):
        assert len(sent) == 1 and shown[0].startswith("Я проверяю лицензии"), where
    else:
        assert sent == [], where  # groups stay quiet; an edit without a Request ID too


@pytest.fixture
async def direct(telegram, backend, make_settings, clock):
    # The captions ride on photos that have no file behind them: reading pictures is
    # tests/e2e/test_pictures.py's business, here only the text counts.
    app = await fast_app(make_settings(ocr=False), clock=clock)
    bot = DirectBot(app, telegram)
    expires = app.clock.today() + timedelta(days=90)
    backend.add(RID, expires_on=expires, license_id="L-1")
    backend.add(
        RID_EVIL,
        expires_on=expires,
        license_id="L-<2>&",
        module_name="<b>Модуль</b> & «Склад» </code>",
        site="evil.example/<script>",
        module_version="3.2.4&amp;",
        renew_url="https://example.ru/renew?a=1&b=<2>",
        bitrix_license_active=False,
    )
    yield bot
    await bot.close()


async def test_hostile_corpus_through_the_dispatcher(telegram, backend, direct, caplog):
    caplog.set_level(logging.WARNING)
    expires = direct.app.clock.today() + timedelta(days=90)
    ways = ["private", "group", "private", "edited", "caption", "forwarded"]
    cases, raws = [], []
    for i, (name, text) in enumerate(corpus(expires)):
        via = ways[i % len(ways)]
        if via == "caption" and len(text) > 1024:  # Telegram's caption limit
            via = "private"
        case = Case(name, text, via)
        deliver(case, raws, TITLES[i % len(TITLES)])
        cases.append(case)
    assert len(cases) >= 300
    alice = f.user("Alice")  # and the same paste 20 times at once, handled concurrently
    burst = f.private_chat(alice)
    raws += [
        f.message_update(f.message(burst, alice, widget_text(RID, expires))) for _ in range(20)
    ]
    await direct.feed_all(raws)

    for case in cases:
        check_case(telegram, case)
    [status] = telegram.sent_to(burst["id"])  # the status, pinned, is the answer
    assert status.plain_text.startswith("✅ Поддержка до")
    assert telegram.pinned[burst["id"]] == status.message_id
    # «not modified» (the burst refreshing an unchanged status) is the one expected refusal
    failed = [c for c in telegram.calls if not c.ok and "not modified" not in c.description]
    assert failed == [], [str(c) for c in failed[:5]]
    for message in telegram.sent + telegram.edits:
        parsed = parse_html(message.text)  # strict: an unescaped «&» or «<» fails here
        assert len(parsed.text) <= 4096
    evil = [m.plain_text for m in telegram.sent if "Модуль" in m.plain_text]
    assert evil and all("<b>Модуль</b> & «Склад» </code>" in t for t in evil)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == [], [r.getMessage() for r in errors[:5]]


async def test_hostile_titles_and_backend_strings_reach_agents_escaped(telegram, backend, direct):
    expires = direct.app.clock.today() + timedelta(days=5)
    backend.add(
        RID_EVIL,
        expires_on=expires,
        module_name="<b>Модуль</b> & «Склад»",
        site="evil.example/<script>",
        license_id="L-<2>&",
    )
    raws = []
    for title in TITLES:
        owner = f.user("Owner")
        raws.append(
            f.message_update(f.message(f.supergroup(title), owner, widget_text(RID_EVIL, expires)))
        )
    await direct.feed_all(raws)
    agent = f.user("Agent", id=AGENT_ID)
    room = f.private_chat(agent)
    for command in (f"/license {RID_EVIL}", "/expiring 30"):
        await direct.feed(f.message_update(f.message(room, agent, command)))
    lookup, expiring = telegram.sent_to(room["id"])
    for title in TITLES:
        assert title.strip() in lookup.plain_text
        assert title.strip() in expiring.plain_text
    assert "<b>Модуль</b> & «Склад»" in expiring.plain_text
    group = raws[0]["message"]["chat"]
    await direct.feed(f.message_update(f.message(group, agent, "/license")))
    status = telegram.sent_to(group["id"])[-1].plain_text
    assert "L-<2>&" in status and "сайт: evil.example/<script>" in status


async def test_a_sample_of_the_corpus_through_long_polling(
    telegram, backend, make_settings, clock, db_path
):
    """The same texts as JSON from getUpdates, through the inbox on disk: astral characters
    arrive as surrogate pairs, a lone surrogate (which Telegram never sends) stops nothing."""
    bots = FastBots(make_settings, clock=clock)
    bot = await bots.start()
    try:
        expires = bot.app.clock.today() + timedelta(days=90)
        backend.add(RID, expires_on=expires)
        sample = [(n, t) for n, t in corpus(expires)[::7] if RID_EVIL not in t]
        sample += [("lone-surrogate", "a\ud800b"), ("lone+block", embed("\udfff", RID, expires))]
        cases = []
        for name, text in sample:
            user = f.user("Клиент")
            case = Case(name, text, "private", f.private_chat(user))
            case.message_id = telegram.send_text(case.chat, user, text)["message_id"]
            cases.append(case)
        last = telegram.push_update(f.message_update(f.message(f.group(), f.user(), "/x")))
        await telegram.wait_for(lambda: telegram.confirmed_offset > last, timeout=30)
        await eventually(lambda: rows(db_path, "SELECT COUNT(*) FROM inbox") == [(0,)], 30)
        for case in cases:
            check_case(telegram, case)
        assert not bot.task.done()
    finally:
        await bots.stop_all()
