"""Everything else: private messages without a Request ID get short help; groups stay quiet.

Service messages (a pin, an auto-delete timer, a shared contact request...) get nothing,
and a button the bot does not know (stale or tampered callback data) gets a short answer
instead of a spinner.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, Message

from bot.handlers.filters import FromPerson
from bot.views.help import help_text
from bot.views.notices import button_stale

# What a person sends; a screenshot of the widget, say, deserves the help too.
USER_CONTENT = frozenset(
    {
        ContentType.TEXT,
        ContentType.PHOTO,
        ContentType.DOCUMENT,
        ContentType.VIDEO,
        ContentType.ANIMATION,
        ContentType.AUDIO,
        ContentType.VOICE,
        ContentType.VIDEO_NOTE,
        ContentType.STICKER,
        ContentType.CONTACT,
        ContentType.LOCATION,
        ContentType.VENUE,
        ContentType.POLL,
        ContentType.DICE,
        ContentType.STORY,
    }
)


async def on_private_other(message: Message, is_agent: bool) -> None:
    """Receives a private message that holds no Request ID."""
    await message.answer(help_text(private=True, agent=is_agent))


async def on_unknown_button(query: CallbackQuery) -> None:
    """Receives a button press no other handler understood (stale or tampered data)."""
    await query.answer(button_stale(), show_alert=True)


# Async filters on purpose: aiogram runs a sync one (a magic F filter too) in a thread.
async def in_private(message: Message) -> bool:
    return message.chat.type == "private"


async def from_user_content(message: Message) -> bool:
    return message.content_type in USER_CONTENT


def get_router() -> Router:
    router = Router(name="fallback")
    router.message.filter(in_private, FromPerson())
    router.message.register(on_private_other, from_user_content)
    router.callback_query.register(on_unknown_button)
    return router
