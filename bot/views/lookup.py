"""Agents' look-ups: /license <Request ID> across chats, and /expiring."""

from __future__ import annotations

from datetime import date
from html import escape

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.licensing.models import CheckResult, Found, NotFound
from bot.licensing.records import StoredLicense
from bot.licensing.schedule import RECENTLY_ENDED_DAYS
from bot.views.format import display_title, end_date, ended_within, fit, module_title
from bot.views.status import license_line
from storage.records import ChatRecord

Holding = tuple[StoredLicense, ChatRecord]


def lookup_text(request_id: str, result: CheckResult, holdings: list[Holding], today: date) -> str:
    """An agent's /license <request id>: the live verdict and which chats hold it."""
    lines = [
        _("🔎 Request ID <code>{request_id}</code>").format(request_id=escape(request_id)),
        "",
    ]
    if isinstance(result, Found):
        verdict = license_line(result.check, today)
        lines.append(_("License server: {verdict}").format(verdict=verdict))
    elif isinstance(result, NotFound):
        lines.append(_("License server: no such Request ID."))
    else:
        reason = getattr(result, "reason", None) or getattr(result, "detail", "")
        lines.append(
            _("The license server is not answering right now ({reason}).").format(
                reason=escape(str(reason))
            )
        )
    lines.append("")
    if not holdings:
        lines.append(_("No chat holds this license."))
        return fit(lines, sep="\n")
    lines.append(_("Chats with this license:"))
    for _stored, chat in holdings:
        line = _("• {title} (<code>{chat_id}</code>)").format(
            title=display_title(chat), chat_id=chat.chat_id
        )
        if not chat.active:
            line += " — " + _("the bot was removed or blocked")
        lines.append(line)
    return fit(lines, sep="\n")


def expiring_text(days: int, ending: list[Holding], ended: list[Holding], today: date) -> str:
    """Agents' list of licenses that end within `days` and those that ended last week."""
    lines = []
    if ending:
        lines.append(
            ngettext(
                "Licenses ending within the next {days} day:",
                "Licenses ending within the next {days} days:",
                days,
            ).format(days=days)
        )
        lines.extend(_expiring_line(s, c) for s, c in ending)
    else:
        lines.append(
            ngettext(
                "Nothing ends within the next {days} day.",
                "Nothing ends within the next {days} days.",
                days,
            ).format(days=days)
        )
    if ended:
        lines.extend(["", ended_within(RECENTLY_ENDED_DAYS)])
        lines.extend(_expiring_line(s, c) for s, c in ended)
    return fit(lines, sep="\n")


def _expiring_line(stored: StoredLicense, chat: ChatRecord) -> str:
    return _("• {module} — until {date} — {title} (<code>{chat_id}</code>)").format(
        module=module_title(stored.check),
        date=end_date(stored.check),
        title=display_title(chat),
        chat_id=chat.chat_id,
    )
