"""Texts for the agents' support chat: the daily digest and operator alerts."""

from __future__ import annotations

from datetime import date

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.licensing.schedule import ENDING_SOON_DAYS, RECENTLY_ENDED_DAYS
from bot.views.format import display_title, end_date, ended_within, fit, fmt_date, module_title
from bot.views.lookup import Holding
from storage.records import ChatRecord


def chat_link(chat: ChatRecord) -> str:
    """The chat's title, linked to its pinned status where Telegram allows a link."""
    title = display_title(chat)
    raw = str(chat.chat_id)
    if chat.type == "supergroup" and raw.startswith("-100") and chat.status_message_id:
        url = f"https://t.me/c/{raw[4:]}/{chat.status_message_id}"
        return f'<a href="{url}">{title}</a>'
    return f"{title} (<code>{chat.chat_id}</code>)"


def digest_text(today: date, ending: list[Holding], ended: list[Holding]) -> str:
    """The agents' daily digest: what ends within 14 days and what ended in the last 7."""
    lines = [_("📋 <b>Licenses on {date}</b>").format(date=fmt_date(today))]
    ending_title = ngettext(
        "Ending within the next {days} day:",
        "Ending within the next {days} days:",
        ENDING_SOON_DAYS,
    ).format(days=ENDING_SOON_DAYS)
    for title, items in ((ending_title, ending), (ended_within(RECENTLY_ENDED_DAYS), ended)):
        if items:
            lines.extend(["", title])
            lines.extend(
                _("• {module} — until {date} — {chat}").format(
                    module=module_title(s.check), date=end_date(s.check), chat=chat_link(c)
                )
                for s, c in items
            )
    if not ending and not ended:
        lines.extend(
            ["", _("Nothing ends within the next 14 days and nothing ended in the last week.")]
        )
    return fit(lines, sep="\n")


def backend_rejects(status: int) -> str:
    return _(
        "⚠️ The license server rejects the bot's requests (HTTP {status}): check "
        "LICENSE_API_URL and LICENSE_API_TOKEN. Customers are told their check is delayed."
    ).format(status=status)


def backend_down() -> str:
    return _(
        "⚠️ The license server is not answering; license checks are postponed. Customers "
        "are told their check is delayed; the bot will answer them itself once the server "
        "is back."
    )


def backend_up() -> str:
    return _("✅ The license server answers again; postponed checks go on.")
