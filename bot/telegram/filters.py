"""Router filters: who is an agent, and which messages carry license claims."""

from __future__ import annotations

from typing import Any

from aiogram.filters import BaseFilter
from aiogram.types import CallbackQuery, Message

from bot.config import Settings
from bot.licensing.parser import parse_claims


class IsAgent(BaseFilter):
    """Passes for users listed in SUPPORT_AGENT_IDS."""

    async def __call__(self, event: Message | CallbackQuery, settings: Settings) -> bool:
        user = event.from_user
        return settings.is_agent(user.id if user else None)


class HasClaims(BaseFilter):
    """Passes when the text or caption holds Request IDs; hands them on as `claims`."""

    async def __call__(self, message: Message) -> bool | dict[str, Any]:
        text = message.text or message.caption
        if not text:
            return False
        claims = parse_claims(text)
        return {"claims": claims} if claims else False
