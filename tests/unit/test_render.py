"""Renderers stay within Telegram's message limit however much there is to show."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.licensing.models import Found, LicenseCheck
from bot.licensing.records import StoredLicense
from bot.views.format import MESSAGE_LIMIT
from bot.views.lookup import expiring_text, lookup_text
from bot.views.reminders import reminder_text
from bot.views.status import status_text
from storage.records import ChatRecord
from tests.fakes.telegram_html import parse_html

TODAY = date(2030, 1, 15)
CHECKED = datetime(2030, 1, 15, 9, tzinfo=UTC)
RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"


def holding(i: int) -> tuple[StoredLicense, ChatRecord]:
    check = LicenseCheck(
        RID,
        "active",
        license_id="L-1",
        expires_on=TODAY + timedelta(days=i),
        module_name=f"Модуль <{i}> & «ко»",
    )
    stored = StoredLicense(-100 - i, check, CHECKED, None, None, None)
    return stored, ChatRecord(-100 - i, "supergroup", f"Магазин <b>{i}</b>", True, 5, False)


def test_lookup_with_hundreds_of_chats_keeps_the_first_ones():
    holdings = [holding(i) for i in range(300)]
    text = lookup_text(RID, Found(holdings[0][0].check), holdings, TODAY)
    parsed = parse_html(text)
    assert len(text) <= MESSAGE_LIMIT
    assert "Магазин <b>0</b>" in parsed.text and "Магазин <b>299</b>" not in parsed.text
    assert parsed.text.rstrip().endswith("…")


def test_expiring_and_status_fit_and_escape():
    holdings = [holding(i) for i in range(300)]
    for text in (
        expiring_text(14, holdings, holdings, TODAY),
        status_text([s for s, _ in holdings], datetime(2030, 1, 15, 12, tzinfo=UTC), agent=True),
    ):
        assert len(text) <= MESSAGE_LIMIT
        assert "Модуль <0> & «ко»" in parse_html(text).text


def test_a_license_that_ended_before_its_date_is_not_given_a_future_end():
    revoked = LicenseCheck(
        RID, "expired", expires_on=TODAY + timedelta(days=200), module_name="Модуль"
    )
    text = parse_html(reminder_text("ended", revoked, TODAY)).text
    assert "больше не активна" in text and "закончилась" not in text
