"""Everything else: private messages without a Request ID get short help; groups stay quiet."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message

from bot.config import Settings
from bot.telegram.handlers.common import help_text


async def on_private_other(message: Message, settings: Settings) -> None:
    """Receives a private message that holds no Request ID."""
    await message.answer(help_text(message, settings))


def get_router() -> Router:
    router = Router(name="fallback")
    router.message.filter(F.chat.type == "private", F.from_user.is_bot.is_(False))
    router.message.register(on_private_other)
    return router
