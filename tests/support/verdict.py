"""The pinned status's first line, the verdict, as the catalogs write it."""

from __future__ import annotations

from datetime import date

from bot.i18n import ENGLISH
from tests.support.catalog import translator
from tests.support.widget import en, ru


def verdict(language: str, expires: date, *, today: date) -> str:
    """«✅ Поддержка до 07.08.2026» or «⛔ Лицензия истекла 31.01.2025», English likewise."""
    msgid = "✅ Support until {date}" if expires >= today else "⛔ License expired on {date}"
    written = en(expires) if language == ENGLISH else ru(expires)
    return translator().gettext(msgid, locale=language).format(date=written)
