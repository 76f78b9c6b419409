"""The desk in end-to-end tests: a forum with the bot as admin, the bot with the desk on."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from tests import factories as f
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_forum import Topic
from tests.support.bots import AGENT_ID, RunningBot
from tests.support.forum import bot_messages, make_forum, wait_topic

ALERTS = "Оповещения"  # the forum's own topic for alerts and the digest (start-up check)

Start = Callable[..., Awaitable[RunningBot]]


class Desk:
    """A forum with the bot as admin, and the bot running with the desk on in it."""

    def __init__(self, telegram: FakeTelegram, start_bot: Start) -> None:
        self.tg = telegram
        self.start_bot = start_bot
        self.forum = make_forum(telegram)
        self.id = self.forum["id"]
        self.agent = f.user("Agent", id=AGENT_ID)

    async def start(self, **overrides: Any) -> RunningBot:
        # Pictures are relayed, not read: a test's OCR worker would load models for seconds.
        settings = {"support_chat_id": self.id, "ocr": False, **overrides}
        bot = await self.start_bot(**settings)
        # The start-up check finds the forum and opens the Alerts topic before polling.
        await wait_topic(self.tg, self.id, lambda t: t.name == ALERTS)
        return bot

    def topics(self, *, deleted: bool = False) -> list[Topic]:
        """The customers' topics (not the Alerts topic), in creation order."""
        return [t for t in self.tg.topics_in(self.id, deleted=deleted) if t.name != ALERTS]

    async def wait_topics(self, count: int = 1, timeout: float = 15.0) -> list[Topic]:  # noqa: ASYNC109
        """Wait until `count` customers' topics are live; return them all."""

        def enough() -> list[Topic] | None:
            found = self.topics()
            return found if len(found) >= count else None

        return await self.tg.wait_for(enough, timeout, what=f"{count} customer topic(s)")

    def copies_in(self, thread_id: int) -> list[str]:
        """The texts (or captions) of the customer's messages copied into the topic."""
        return [m.plain_text for m in bot_messages(self.tg, self.id, thread_id) if m.copied_from]

    async def wait_copies(
        self,
        thread_id: int,
        count: int,
        timeout: float = 15.0,  # noqa: ASYNC109 - one deadline for the whole wait
    ) -> list[str]:
        def enough() -> list[str] | None:
            found = self.copies_in(thread_id)
            return found if len(found) >= count else None

        return await self.tg.wait_for(enough, timeout, what=f"{count} copies in topic {thread_id}")

    def agent_says(self, thread_id: int, text: str, **extra: Any) -> dict[str, Any]:
        return self.tg.send_text(
            self.forum, self.agent, text, message_thread_id=thread_id, **extra
        )
