"""Small helpers for end-to-end tests: widget texts and date formatting as users see them."""

from __future__ import annotations

from datetime import date

WIDGET_STATUS = {
    "active": "Лицензия модуля активна. Срок активности до {date}",
    "expired": "Срок действия лицензии модуля истек {date}",
    "demo": "Демо-режим модуля активен. Срок окончания демо-режима {date}",
}


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def ru(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def en(value: date) -> str:
    """A date as the bot writes it in English: 7 Aug 2026."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def widget_text(request_id: str, expires: date, status: str = "active") -> str:
    """What «Скопировать информацию о лицензии» puts on the clipboard."""
    return f"{WIDGET_STATUS[status].format(date=ru(expires))}\nRequest ID: {request_id}"
