"""The desk tools' texts: the queue, wait times, the next opening, the rights, the ratings."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.i18n import ENGLISH
from bot.views import desk_notes
from bot.views import desk_tools as views
from bot.views.format import MESSAGE_LIMIT
from storage.desk_admin import RatingSummary
from storage.records import Conversation
from tests.fakes.telegram_html import parse_html
from tests.support.catalog import translator

FORUM = -1001234567890
NOW = 1_800_000_000.0


def waiting(customer_id: int, title: str | None, waited: float) -> Conversation:
    return Conversation(
        customer_id=customer_id,
        name=f"Клиент <{customer_id}>",
        username=None,
        language="ru",
        topic_id=customer_id + 10 if title else None,
        topic_title=title,
        card_message_id=None,
        closed=False,
        banned=False,
        blocked=False,
        asked_license=False,
        waiting_since=NOW - waited,
        last_customer_at=NOW - waited,
        last_agent_at=None,
        auto_reply_at=None,
    )


def test_queue_links_each_topic_with_its_wait() -> None:
    text = views.queue_text(
        FORUM, [waiting(1, "⏳ Анна <b> · shop.ru", 3 * 3600 + 120), waiting(2, None, 59)], NOW
    )
    parsed = parse_html(text)
    assert "2 обращения ждут ответа" in parsed.text
    assert "⏳ Анна <b> · shop.ru — ждёт 3 ч 2 мин" in parsed.text
    assert "❔ Клиент <2> — ждёт 0 минут" in parsed.text
    assert 'href="https://t.me/c/1234567890/11"' in text


def test_long_queue_fits_a_message() -> None:
    text = views.queue_text(FORUM, [waiting(i, "✅ " + "я" * 120, i) for i in range(300)], NOW)
    assert len(text) <= MESSAGE_LIMIT and parse_html(text).text.endswith("…")


def test_wait_times_read_naturally() -> None:
    assert [views.wait_time(s) for s in (60, 5 * 60, 21 * 60, 3600, 50 * 3600)] == [
        "1 минуту",
        "5 минут",
        "21 минуту",
        "1 ч 0 мин",
        "2 дня",
    ]


def test_next_opening_in_both_languages() -> None:
    opening = datetime(2026, 6, 22, 10, tzinfo=ZoneInfo("Europe/Moscow"))
    assert "22.06.2026 в 10:00 (UTC+3)" in views.customer_reply(opening, False)
    with translator().speaking(ENGLISH):
        text = views.customer_reply(opening, True)
    assert "they will answer from 22 Jun 2026 at 10:00 (UTC+3)." in text
    assert "Copy license information" in text
    assert "Скопировать" in views.customer_reply(None, True)


def test_missing_rights_are_named_as_telegram_names_them() -> None:
    text = desk_notes.missing_rights_text(["can_manage_topics", "can_delete_messages"])
    assert "«Управление темами», «Удаление сообщений»" in text
    with translator().speaking(ENGLISH):
        text = desk_notes.missing_rights_text(["can_pin_messages"])
    assert "«Pin messages»" in text


def test_ratings_line() -> None:
    assert desk_notes.ratings_line(RatingSummary(3, 4.333)) == (
        "⭐ С прошлой сводки 3 оценки, средняя 4.3 из 5."
    )
    assert "не было" in desk_notes.ratings_line(RatingSummary(0, None))


def test_rating_keyboard_has_five_typed_buttons() -> None:
    markup = views.rating_keyboard(77)
    [row] = markup.inline_keyboard
    assert [b.callback_data for b in row] == [f"rate:77:{s}" for s in range(1, 6)]
    assert views.RateCallback.unpack("rate:77:4").score == 4
