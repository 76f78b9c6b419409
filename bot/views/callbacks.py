"""Typed callback data for inline buttons."""

from aiogram.filters.callback_data import CallbackData


class RecheckCallback(CallbackData, prefix="recheck"):
    """«Check again» under an agent's /license: re-check this chat's licenses."""

    chat_id: int


class CopyHowtoCallback(CallbackData, prefix="howto"):
    """«How to copy the license information» under /help: the step-by-step instructions."""

    topic: str = "copy"
