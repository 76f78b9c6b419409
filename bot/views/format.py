"""What every text shares: dates, days left, module and chat names, and Telegram's limit.

Every value that came from a user or the backend is HTML-escaped here or where it is used.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from aiogram.utils.i18n import get_i18n, ngettext
from aiogram.utils.i18n import gettext as _
from babel.dates import format_date, format_datetime

from bot.licensing.models import LicenseCheck
from storage.records import ChatRecord

MESSAGE_LIMIT = 4096
MORE_MARK = "\n…"


def fmt_date(value: date) -> str:
    """A date as the reader's language writes it: 07.08.2026, or 7 Aug 2026."""
    # TRANSLATORS: a CLDR date pattern (d day, MM month number, MMM month name, y year).
    pattern = _("d MMM y")
    return format_date(value, pattern, locale=get_i18n().current_locale)


def fmt_time(value: datetime) -> str:
    """A moment in its own time zone: 07.08.2026 14:05, or 7 Aug 2026, 14:05."""
    # TRANSLATORS: a CLDR date and time pattern (HH hours, mm minutes).
    pattern = _("d MMM y, HH:mm")
    return format_datetime(value, pattern, locale=get_i18n().current_locale)


def days_left(days: int) -> str:
    """How long support lasts from today: «осталось 3 дня», "3 days left"."""
    if days == 0:
        return _("today is the last day")
    return ngettext("{days} day left", "{days} days left", days).format(days=days)


def ended_within(days: int) -> str:
    """The heading of licenses that ended within the last `days` days."""
    return ngettext(
        "Ended within the last {days} day:", "Ended within the last {days} days:", days
    ).format(days=days)


def end_date(check: LicenseCheck) -> str:
    """The last day of a term, or words saying there is none."""
    return fmt_date(check.expires_on) if check.expires_on else _("no end date")


def module_title(check: LicenseCheck) -> str:
    """The module's name exactly as the backend sends it (escaped)."""
    if check.module_name:
        return escape(check.module_name)
    return _("Module (Request ID …{tail})").format(tail=escape(check.request_id[-4:]))


def demo_mark(check: LicenseCheck) -> str:
    return " " + _("(demo)") if check.demo else ""


def display_title(chat: ChatRecord) -> str:
    """A stored chat as agents read it: its title, or that it is a private chat."""
    return escape(chat.title) if chat.title else _("private chat")


def fit(parts: list[str], *, footer: str | None = None, sep: str = "\n\n") -> str:
    """Join blocks, dropping whole blocks (from the end) that would pass Telegram's limit."""
    budget = MESSAGE_LIMIT - len(MORE_MARK) - (len(footer) + len(sep) if footer else 0)
    kept: list[str] = []
    used = 0
    for part in parts:
        cost = len(part) + (len(sep) if kept else 0)
        if used + cost > budget:
            kept.append(MORE_MARK.strip())
            break
        kept.append(part)
        used += cost
    if footer:
        kept.append(footer)
    return sep.join(kept)
