"""Small in-memory stand-ins for what StatusBoard talks to: the Bot, the Repository and
Delivery. They keep what a user would see (the message per id, the pin) and let a test
make the next edit or pin fail the way Telegram does."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from types import SimpleNamespace
from typing import Any

from aiogram.exceptions import TelegramAPIError
from aiogram.methods import EditMessageText

from bot.licensing.records import StoredLicense
from storage.records import ChatRecord


def telegram_error(kind: type[TelegramAPIError], message: str, **extra: Any) -> TelegramAPIError:
    """An aiogram exception as the session raises it for a Bot API error."""
    method = EditMessageText(text="-", chat_id=0, message_id=0)
    return kind(method=method, message=message, **extra)


@dataclass
class FakeChats:
    """The Bot and Delivery side: messages by (chat, id), the pin, errors to raise next."""

    messages: dict[tuple[int, int], str] = field(default_factory=dict)
    pinned: dict[int, int] = field(default_factory=dict)
    edits: list[tuple[int, int]] = field(default_factory=list)
    fail_edit: list[TelegramAPIError] = field(default_factory=list)
    fail_pin: list[TelegramAPIError] = field(default_factory=list)
    migrated: list[tuple[int, int]] = field(default_factory=list)
    replies_to: dict[int, int | None] = field(default_factory=dict)  # message id → replied
    gone: list[int] = field(default_factory=list)
    _next_id: int = 100

    # --- the Bot methods StatusBoard calls
    async def edit_message_text(
        self, *, text: str, chat_id: int, message_id: int, reply_markup: Any = None
    ) -> None:
        self.edits.append((chat_id, message_id))
        if self.fail_edit:
            raise self.fail_edit.pop(0)
        self.messages[(chat_id, message_id)] = text

    async def pin_chat_message(
        self, chat_id: int, message_id: int, disable_notification: bool = False
    ) -> None:
        if self.fail_pin:
            raise self.fail_pin.pop(0)
        self.pinned[chat_id] = message_id

    # --- Delivery
    async def send(
        self, chat_id: int, text: str, *, reply_to: int | None = None, markup: Any = None
    ) -> SimpleNamespace:
        self._next_id += 1
        self.replies_to[self._next_id] = reply_to
        self.messages[(chat_id, self._next_id)] = text
        return SimpleNamespace(message_id=self._next_id, chat=SimpleNamespace(id=chat_id))

    async def chat_migrated(self, old_id: int, new_id: int) -> None:
        self.migrated.append((old_id, new_id))

    async def chat_gone(self, chat_id: int, reason: str) -> None:
        self.gone.append(chat_id)

    def sent_to(self, chat_id: int) -> list[str]:
        return [text for (chat, _), text in sorted(self.messages.items()) if chat == chat_id]


@dataclass
class FakeRepo:
    """The Repository methods StatusBoard uses, over dicts."""

    chats: dict[int, ChatRecord] = field(default_factory=dict)
    licenses: dict[int, list[StoredLicense]] = field(default_factory=dict)
    refreshed: dict[int, date] = field(default_factory=dict)

    def add_chat(self, chat_id: int, *, active: bool = True, status: int | None = None) -> None:
        self.chats[chat_id] = ChatRecord(chat_id, "supergroup", "Магазин", active, status, False)

    async def get_chat(self, chat_id: int) -> ChatRecord | None:
        return self.chats.get(chat_id)

    async def licenses_for_chat(self, chat_id: int) -> list[StoredLicense]:
        return list(self.licenses.get(chat_id, []))

    async def chat_with_licenses(
        self, chat_id: int
    ) -> tuple[ChatRecord | None, list[StoredLicense]]:
        chat = self.chats.get(chat_id)
        return chat, list(self.licenses.get(chat_id, [])) if chat else []

    async def mark_refreshed(self, chat_id: int, day: date) -> None:
        self.refreshed[chat_id] = day

    async def set_status_message(self, chat_id: int, message_id: int, shown_on: date) -> None:
        self.chats[chat_id] = replace(self.chats[chat_id], status_message_id=message_id)
        self.refreshed[chat_id] = shown_on

    async def chat_language(self, chat_id: int) -> str | None:
        return None  # the default language

    async def set_pin_problem_notified(self, chat_id: int, value: bool) -> None:
        self.chats[chat_id] = replace(self.chats[chat_id], pin_problem_notified=value)
