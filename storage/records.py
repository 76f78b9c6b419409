"""Chats as storage keeps them; nothing here knows about Telegram."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChatRecord:
    """A chat the bot is in (or was), with its pinned status message."""

    chat_id: int
    type: str
    title: str | None
    active: bool
    status_message_id: int | None
    pin_problem_notified: bool
