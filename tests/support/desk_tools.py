"""Helpers for the desk tools' end-to-end tests: a running desk, a customer who wrote, and
waiting for what the bot says in a topic or a chat."""

from __future__ import annotations

from typing import Any

from tests import factories as f
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_forum import Topic
from tests.fakes.telegram_state import SentMessage
from tests.support.forum import make_forum, wait_topic

ALERTS = "Оповещения"


async def start_desk(telegram: FakeTelegram, start_bot: Any, **overrides: Any) -> tuple[Any, dict]:
    """A forum with every right and the bot running the desk there (Alerts topic made)."""
    forum = make_forum(telegram)
    bot = await start_bot(**{"support_chat_id": forum["id"], "ocr": False, **overrides})
    await wait_topic(telegram, forum["id"], lambda t: t.name == ALERTS)
    return bot, forum


async def customer_writes(
    telegram: FakeTelegram, forum: dict, name: str = "Анна", text: str = "Здравствуйте!"
) -> tuple[dict, dict, Topic]:
    """A new customer writes the bot privately; returns them, their chat and their topic."""
    customer = f.user(name)
    private = f.private_chat(customer)
    telegram.send_text(private, customer, text)
    topic = await wait_topic(telegram, forum["id"], lambda t: name in t.name)
    return customer, private, topic


def said(telegram: FakeTelegram, chat_id: int, part: str, thread: int | None = None) -> list:
    return [
        m
        for m in telegram.sent_to(chat_id)
        if part in m.plain_text and (thread is None or m.message_thread_id == thread)
    ]


async def bot_says(
    telegram: FakeTelegram, chat_id: int, part: str, thread: int | None = None
) -> SentMessage:
    """Wait for the bot's message holding `part` (in the topic `thread`, if given)."""
    found = await telegram.wait_for(
        lambda: said(telegram, chat_id, part, thread), what=f"the bot saying {part!r}"
    )
    return found[-1]


async def in_topic(
    telegram: FakeTelegram, forum: dict, agent: dict, topic: Topic, text: str
) -> dict[str, Any]:
    return telegram.send_text(forum, agent, text, message_thread_id=topic.thread_id)


def copied_texts(telegram: FakeTelegram, chat_id: int, thread: int | None = None) -> list[str]:
    """Texts of the copies the bot made into the chat (the topic), in order."""
    return [
        m.plain_text
        for m in telegram.sent_to(chat_id)
        if m.copied_from is not None and (thread is None or m.message_thread_id == thread)
    ]
