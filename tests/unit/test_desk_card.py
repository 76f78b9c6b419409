"""The desk's card and topic name: the mark, the person, the site, Telegram's limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.licensing.models import LicenseCheck
from bot.licensing.records import StoredLicense
from bot.views.desk_card import Customer, card_text, status_mark, topic_name
from bot.views.format import MESSAGE_LIMIT
from tests.fakes.telegram_html import parse_html

TODAY = date(2030, 1, 15)
NOW = datetime(2030, 1, 15, 12, tzinfo=UTC)
RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
ALICE = Customer(42, "Alice <b>&", "alice_shop", "en")


def held(days: int | None, *, status: str = "active", site: str | None = "shop.example.ru"):
    check = LicenseCheck(
        RID,
        status,
        license_id="L-1",
        expires_on=TODAY + timedelta(days=days) if days is not None else None,
        module_name="МойСклад: Синхронизация",
        module_version="2.1.0",
        site=site,
        demo=True,
    )
    return StoredLicense(42, check, NOW, None, None, None)


@pytest.mark.parametrize(
    ("licenses", "mark"),
    [
        ([], "❔"),
        ([held(120)], "✅"),
        ([held(None)], "✅"),
        ([held(14)], "⏳"),
        ([held(0)], "⏳"),
        ([held(-1)], "⛔"),
        ([held(30, status="expired")], "⛔"),
        ([held(-5), held(5)], "⏳"),
        ([held(5), held(200)], "✅"),
    ],
)
def test_the_mark(licenses, mark):
    assert status_mark(licenses, NOW) == mark


def test_the_name_has_mark_name_and_site():
    assert topic_name(ALICE, [held(120)], NOW) == "✅ Alice <b>& · shop.example.ru"
    assert topic_name(ALICE, [], NOW) == "❔ Alice <b>&"
    assert topic_name(ALICE, [held(120, site=None)], NOW) == "✅ Alice <b>&"


def test_a_long_name_is_cut_to_128_characters():
    long = Customer(42, "Очень " * 60, None, None)
    name = topic_name(long, [held(120, site="x" * 200)], NOW)
    assert len(name) <= 128 and name.startswith("✅ Очень Очень") and name.endswith("…")


def test_the_card_shows_who_and_every_license():
    text = card_text(ALICE, [held(120)], NOW)
    parsed = parse_html(text).text  # valid Telegram HTML, the name escaped
    assert "Alice <b>&" in parsed and "@alice_shop" in parsed
    assert 'href="tg://user?id=42"' in text
    assert "Язык: en" in parsed
    for part in ("МойСклад: Синхронизация", "(демо)", RID, "shop.example.ru", "2.1.0"):
        assert part in parsed, part
    assert "осталось 120 дней" in parsed


def test_the_card_without_a_license_says_so():
    assert "лицензия не предоставлена" in parse_html(card_text(ALICE, [], NOW)).text


def test_a_card_with_many_licenses_fits_one_message():
    text = card_text(ALICE, [held(i) for i in range(200)], NOW)
    assert len(text) <= MESSAGE_LIMIT
    parse_html(text)
