"""Small helpers about updates and chats shared by polling, handlers and the status board."""

from __future__ import annotations

import asyncio
import weakref

from aiogram.types import Chat, Update
from aiogram.types.update import UpdateTypeLookupError


def update_chat_id(update: Update) -> int | None:
    """The chat an update belongs to (None for updates outside any chat)."""
    try:
        event = update.event
    except UpdateTypeLookupError:  # a type newer than aiogram: the dispatcher skips it
        return None
    chat = getattr(event, "chat", None)
    if chat is None and update.callback_query is not None and update.callback_query.message:
        chat = update.callback_query.message.chat
    return chat.id if chat is not None else None


def chat_title(chat: Chat) -> str | None:
    """What agents see a chat as: a group's title, or the person's name in private."""
    return chat.title or chat.full_name or None


class ChatLocks:
    """One asyncio.Lock per chat id, forgotten once nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    def __call__(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        return lock
