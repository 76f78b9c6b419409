"""Router filters: who is an agent, who wrote a message, which messages carry license claims."""

from __future__ import annotations

from typing import Any

from aiogram.enums import ContentType
from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message

from bot.licensing.parser import parse_claims

# What a person writes, as opposed to service messages (a pin, a topic event, members
# joining): the desk relays it, and in private it deserves an answer (a screenshot too).
PERSON_CONTENT = frozenset(
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
        ContentType.PAID_MEDIA,
    }
)


class IsAgent(BaseFilter):
    """Passes for agents (SUPPORT_AGENT_IDS), as AgentFlagMiddleware decided for the update."""

    async def __call__(self, event: Message | CallbackQuery, is_agent: bool) -> bool:
        return is_agent


class HasClaims(BaseFilter):
    """Passes when the text or caption holds Request IDs; hands them on as `claims`."""

    async def __call__(self, message: Message) -> bool | dict[str, Any]:
        text = message.text or message.caption
        if not text:
            return False
        claims = parse_claims(text)
        return {"claims": claims} if claims else False


class FromPerson(BaseFilter):
    """Passes messages a person wrote: not other bots, channels or a channel's automatic
    forward into its discussion group. An anonymous group admin writes on behalf of the
    group itself (from GroupAnonymousBot, sender_chat = the chat) and counts as a person."""

    async def __call__(self, message: Message) -> bool:
        if message.is_automatic_forward:
            return False
        sender = message.from_user
        if sender is not None and not sender.is_bot:
            return True
        return message.sender_chat is not None and message.sender_chat.id == message.chat.id


def person_id(message: Message) -> int | None:
    """The user behind a message, None for an anonymous admin (the bot account is shared)."""
    sender = message.from_user
    return sender.id if sender is not None and not sender.is_bot else None
