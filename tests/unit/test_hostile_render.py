"""Every outside string that reaches a message is escaped: property-based, over every renderer.

Chat titles come from users, module names, sites, versions and license ids from the backend;
whatever they hold, each message must parse as Telegram parses HTML (strictly: a stray «&»
fails), stay within 4096 characters, and show the string as it was typed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n import LANGUAGES
from bot.licensing.models import Claim, ClaimedStatus, Found, LicenseCheck
from bot.licensing.records import StoredLicense
from bot.licensing.schedule import ENDED, LAST_DAY
from bot.views.answers import paste_answer
from bot.views.digest import digest_text
from bot.views.lookup import expiring_text, lookup_text
from bot.views.reminders import reminder_text, renewed_text
from bot.views.status import status_text
from storage.records import ChatRecord
from tests.fakes.telegram_html import parse_html
from tests.support.catalog import translator

RID = "24c5934b-7b86-48bd-a1d6-5bfb6950c17a"
TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
MARKUP = st.sampled_from(["<", ">", "&", "&amp;", '"', "'", "<b>", "</code>", "&#x27;", "\\"])
outside = st.lists(st.one_of(st.text(max_size=20), MARKUP), max_size=8).map("".join)


def shown(html: str) -> str:
    parsed = parse_html(html)  # raises on anything Telegram would reject
    assert len(parsed.text) <= 4096
    return parsed.text


@pytest.mark.parametrize("language", LANGUAGES)
@settings(max_examples=100, deadline=None)  # per language: 200 in all, as before
@given(
    title=outside,
    module=outside,
    site=outside,
    version=outside,
    license_id=outside,
    days=st.integers(-30, 400),
    demo=st.booleans(),
    active=st.booleans(),
)
def test_outside_strings_are_escaped_everywhere(
    language, title, module, site, version, license_id, days, demo, active
):
    check = LicenseCheck(
        request_id=RID,
        status="active" if active else "expired",
        license_id=license_id or None,
        demo=demo,
        expires_on=TODAY + timedelta(days=days),
        bitrix_license_active=False,
        module_name=module or None,
        module_version=version or None,
        site=site or None,
        renew_url="https://example.ru/renew?a=1&b=2",
    )
    stored = StoredLicense(1, check, NOW, "active", None, None)
    chat = ChatRecord(-1001234567890, "supergroup", title or None, True, 7, False)
    claim = Claim(RID, ClaimedStatus.ACTIVE, TODAY)
    with translator().speaking(language):
        messages = {
            "status": status_text([stored], NOW, agent=True),
            "answer": paste_answer([Found(check, claim)], TODAY, capped=(50, 10)),
            "lookup": lookup_text(RID, Found(check), [(stored, chat)], TODAY),
            "expiring": expiring_text(30, [(stored, chat)], [(stored, chat)], TODAY),
            "reminder": reminder_text("3", check, TODAY),
            "last day": reminder_text(LAST_DAY, check, TODAY),
            "ended": reminder_text(ENDED, check, TODAY),
            "renewed": renewed_text(check),
            "digest": digest_text(TODAY, [(stored, chat)], [(stored, chat)]),
        }
    texts = {name: shown(html) for name, html in messages.items()}
    for name, text in texts.items():
        if module.strip():
            assert module.strip() in text, name
    if title.strip():
        for name in ("lookup", "expiring", "digest"):
            assert title.strip() in texts[name], name
    for value in (site, version, license_id):
        if value.strip():
            assert value.strip() in texts["status"]
