"""Per-update context every handler can rely on: who is an agent, which language to speak.

Both are outer middlewares, so they run once per update before any filter:
- `is_agent` (bool) is put into handler data: a user in SUPPORT_AGENT_IDS, or anyone who
  writes in the support forum itself (its members are the team; with the desk on). A
  customer writing the bot privately never is one. The IsAgent filter and handlers read
  it, nothing else decides it.
- the locale: a private chat is spoken to in its person's Telegram language; a group in
  its stored language (set by whoever first shared a license there, or by /language),
  else in the sender's. `user_language` (the sender's own) is put into handler data.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, User
from aiogram.utils.i18n import I18nMiddleware

from bot.config import Settings
from bot.i18n import LANGUAGES, person_language
from bot.outbound.desk import SupportDesk
from storage.repository import Repository

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class AgentFlagMiddleware(BaseMiddleware):
    """Puts `is_agent` into handler data: the one place the agent check is made."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        settings: Settings = data["settings"]
        user: User | None = data.get("event_from_user")
        person = user.id if user and not user.is_bot else None
        data["is_agent"] = settings.is_agent(person) or (
            person is not None and _in_support_forum(data)
        )
        return await handler(event, data)


def _in_support_forum(data: dict[str, Any]) -> bool:
    desk: SupportDesk | None = data.get("desk")
    chat: Chat | None = data.get("event_chat")
    return desk is not None and chat is not None and desk.is_forum_chat(chat.id)


class ChatLanguageMiddleware(I18nMiddleware):
    """Chooses the language of an update's replies: the chat's, else the sender's."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        personal = person_language(user.language_code if user else None)
        data["user_language"] = personal
        if chat is None:
            return personal
        repo: Repository = data["repo"]
        known, stored = await repo.chat_known_language(chat.id)  # from memory once seen
        if chat.type == "private":
            # The person may have switched Telegram's language (or the chat is from before
            # languages); a chat not stored yet takes it when it is (membership, paste).
            if known and stored != personal:
                await repo.set_chat_language(chat.id, personal)
            return personal
        return stored if stored in LANGUAGES else personal
