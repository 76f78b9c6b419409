"""The support desk's view of a customer: the pinned card and the topic's name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from aiogram.utils.i18n import gettext as _

from bot.licensing.models import LicenseCheck
from bot.licensing.records import StoredLicense
from bot.licensing.schedule import ENDING_SOON_DAYS
from bot.views.format import fit
from bot.views.status import agent_details, license_line

TOPIC_NAME_LIMIT = 128
SUPPORTED = "✅"
ENDING = "⏳"
EXPIRED = "⛔"
NO_LICENSE = "❔"


@dataclass(frozen=True, slots=True)
class Customer:
    """Who the card is about (from the conversation)."""

    user_id: int
    name: str
    username: str | None
    language: str | None


def _best(checks: list[LicenseCheck], now: datetime) -> LicenseCheck | None:
    """The license that decides the mark: supported for longest, else the latest to end."""
    today = now.date()
    supported = [c for c in checks if c.is_supported(today)]
    if supported:
        return max(supported, key=lambda c: c.days_left(today) or 10**6)
    return max(checks, key=lambda c: c.expires_on or today, default=None)


def status_mark(licenses: list[StoredLicense], now: datetime) -> str:
    """✅ supported, ⏳ ending within ENDING_SOON_DAYS, ⛔ expired, ❔ no license shared."""
    best = _best([s.check for s in licenses], now)
    if best is None:
        return NO_LICENSE
    if not best.is_supported(now.date()):
        return EXPIRED
    days = best.days_left(now.date())
    return ENDING if days is not None and days <= ENDING_SOON_DAYS else SUPPORTED


def topic_name(customer: Customer, licenses: list[StoredLicense], now: datetime) -> str:
    """Mark, name and site of the deciding license, within Telegram's 128 characters."""
    best = _best([s.check for s in licenses], now)
    name = " ".join(customer.name.split()) or str(customer.user_id)
    parts = [status_mark(licenses, now), name]
    if best is not None and best.site:
        parts.append("· " + best.site.strip())
    text = " ".join(parts)
    if len(text) > TOPIC_NAME_LIMIT:
        text = text[: TOPIC_NAME_LIMIT - 1].rstrip() + "…"
    return text


def card_text(customer: Customer, licenses: list[StoredLicense], now: datetime) -> str:
    """Who the customer is and every license of their chat, for the agents (pinned)."""
    who = [f"👤 <b>{escape(customer.name)}</b>"]
    if customer.username:
        who.append("@" + escape(customer.username))
    profile = _("profile")
    who.append(f'<a href="tg://user?id={customer.user_id}">{profile}</a>')
    lines = [" · ".join(who)]
    lines.append(_("ID: <code>{user_id}</code>").format(user_id=customer.user_id))
    if customer.language:
        lines.append(_("Language: {language}").format(language=escape(customer.language)))
    blocks = ["\n".join(lines)]
    if not licenses:
        blocks.append(_("❔ license not provided"))
    for stored in licenses:
        blocks.append(license_line(stored.check, now.date()) + "\n" + agent_details(stored, now))
    return fit(blocks)
