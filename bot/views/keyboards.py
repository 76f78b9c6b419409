"""Inline keyboards: renewal links, the agents' re-check button, the /help button."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.licensing.models import LicenseCheck
from bot.licensing.schedule import ENDING_SOON_DAYS
from bot.views.callbacks import CopyHowtoCallback, RecheckCallback
from bot.views.help import copy_howto_button
from bot.views.notices import recheck_button, renew_button

BUTTON_TEXT_LIMIT = 60


def _button_module(check: LicenseCheck) -> str:
    name = check.module_name or check.request_id[-4:]
    name = name.removeprefix("МойСклад: ")
    return name if len(name) <= BUTTON_TEXT_LIMIT else name[: BUTTON_TEXT_LIMIT - 1] + "…"


def needs_renewal(check: LicenseCheck, today: date) -> bool:
    if not check.renew_url:
        return False
    if not check.is_supported(today):
        return True
    days = check.days_left(today)
    return days is not None and days <= ENDING_SOON_DAYS


def renewal_keyboard(
    checks: Iterable[LicenseCheck], today: date, *, recheck_chat_id: int | None = None
) -> InlineKeyboardMarkup | None:
    """URL buttons for licenses that ended or end soon; optionally the agents' re-check."""
    builder = InlineKeyboardBuilder()
    seen: set[str] = set()
    for check in checks:
        if needs_renewal(check, today) and check.renew_url not in seen:
            seen.add(check.renew_url or "")
            builder.row(
                InlineKeyboardButton(
                    text=renew_button(_button_module(check)),
                    url=check.renew_url,
                )
            )
    if recheck_chat_id is not None:
        builder.row(
            InlineKeyboardButton(
                text=recheck_button(),
                callback_data=RecheckCallback(chat_id=recheck_chat_id).pack(),
            )
        )
    markup = builder.as_markup()
    return markup if markup.inline_keyboard else None


def help_keyboard() -> InlineKeyboardMarkup:
    """Under /help: the step-by-step instructions for copying the license information."""
    button = InlineKeyboardButton(
        text=copy_howto_button(), callback_data=CopyHowtoCallback().pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])
