"""Typed callback data for inline buttons."""

from aiogram.filters.callback_data import CallbackData


class RecheckCallback(CallbackData, prefix="recheck"):
    """«Check again» under an agent's /license: re-check this chat's licenses."""

    chat_id: int
