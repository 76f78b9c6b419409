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


@dataclass(frozen=True, slots=True)
class Conversation:
    """A customer who wrote the bot privately, and their topic in the support forum.

    Times are epoch seconds. `waiting_since` is when the customer's oldest unanswered
    message arrived (None when an agent answered last).
    """

    customer_id: int
    name: str
    username: str | None
    language: str | None
    topic_id: int | None
    topic_title: str | None
    card_message_id: int | None
    closed: bool
    banned: bool
    blocked: bool
    asked_license: bool
    waiting_since: float | None
    last_customer_at: float | None
    last_agent_at: float | None
    auto_reply_at: float | None
