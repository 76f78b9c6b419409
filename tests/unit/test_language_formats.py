"""Plurals, dates and the choice of language, in Russian and in English."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from bot.i18n import person_language
from bot.views.format import days_left, fmt_date, fmt_time
from bot.views.lookup import expiring_text
from tests.support.catalog import in_english, in_russian

RUSSIAN_DAYS = {
    1: "осталось 1 день",
    2: "осталось 2 дня",
    4: "осталось 4 дня",
    5: "осталось 5 дней",
    11: "осталось 11 дней",
    12: "осталось 12 дней",
    14: "осталось 14 дней",
    21: "осталось 21 день",
    22: "осталось 22 дня",
    25: "осталось 25 дней",
    101: "осталось 101 день",
    111: "осталось 111 дней",
    112: "осталось 112 дней",
}
ENGLISH_DAYS = {1: "1 day left", 2: "2 days left", 11: "11 days left", 21: "21 days left"}


@pytest.mark.parametrize(("days", "expected"), RUSSIAN_DAYS.items())
def test_russian_days_left(days, expected):
    assert in_russian(days_left, days) == expected


@pytest.mark.parametrize(("days", "expected"), ENGLISH_DAYS.items())
def test_english_days_left(days, expected):
    assert in_english(days_left, days) == expected


def test_the_last_day_has_words_of_its_own():
    assert in_russian(days_left, 0) == "сегодня последний день"
    assert in_english(days_left, 0) == "today is the last day"


def test_plural_inside_a_longer_text():
    today = date(2026, 6, 1)
    assert in_russian(expiring_text, 21, [], [], today) == (
        "Ничего не заканчивается в ближайший 21 день."
    )
    assert in_russian(expiring_text, 3, [], [], today) == (
        "Ничего не заканчивается в ближайшие 3 дня."
    )
    assert in_english(expiring_text, 1, [], [], today) == "Nothing ends within the next 1 day."
    assert in_english(expiring_text, 14, [], [], today) == "Nothing ends within the next 14 days."


@pytest.mark.parametrize(
    ("value", "russian", "english"),
    [
        (date(2026, 8, 7), "07.08.2026", "7 Aug 2026"),
        (date(2026, 12, 31), "31.12.2026", "31 Dec 2026"),  # the week-year is 2027 already
        (date(2027, 1, 1), "01.01.2027", "1 Jan 2027"),
        (date(2028, 2, 29), "29.02.2028", "29 Feb 2028"),
    ],
)
def test_dates(value, russian, english):
    assert in_russian(fmt_date, value) == russian
    assert in_english(fmt_date, value) == english


def test_times_stay_in_their_own_zone():
    moscow = timezone(timedelta(hours=3))
    moment = datetime(2026, 12, 31, 23, 59, tzinfo=moscow)
    assert in_russian(fmt_time, moment) == "31.12.2026 23:59"
    assert in_english(fmt_time, moment) == "31 Dec 2026, 23:59"
    assert in_russian(fmt_time, moment.astimezone(UTC)) == "31.12.2026 20:59"


@pytest.mark.parametrize(
    ("code", "language"),
    [
        ("en", "en"),
        ("en-US", "en"),
        ("EN-gb", "en"),
        ("ru", "ru"),
        ("uk", "ru"),
        ("de", "ru"),
        ("", "ru"),
        (None, "ru"),
    ],
)
def test_a_person_gets_english_only_if_their_telegram_is_english(code, language):
    assert person_language(code) == language
