"""Helpers for the hostile-input and fault tests: the real app without flood limits.

`FastBots` starts the real app long-polling the fake Telegram, like conftest's `start_bot`,
but with Telegram's flood limits switched off (a test may send hundreds of messages) and
with LicenseBackend options (short timeouts, a quick circuit breaker). `DirectBot` builds
the same app and feeds updates straight into its Dispatcher, without polling.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from aiogram.types import Update

from bot.clock import Clock
from bot.config import Settings
from bot.outbound.throttle import FloodLimits
from bot.transport.app import BotApp, build_app
from tests.fakes.telegram_api import FakeTelegram
from tests.support.clocks import fixed_clock

AGENT_ID = 900001


def without_close_grace(app: BotApp) -> BotApp:
    """aiogram's session waits 250 ms after closing, for SSL connections to finish; the fake
    Telegram speaks plain HTTP on loopback, so a test's bot closes without that wait."""
    session = app.bot.session

    async def close() -> None:
        client = getattr(session, "_session", None)  # aiogram's aiohttp ClientSession
        if client is not None and not client.closed:
            await client.close()

    session.close = close  # type: ignore[method-assign]  # test-only: no SSL to wait for
    return app


class RunningBot:
    """The real bot app long-polling the fake Telegram in a background task."""

    def __init__(self, app: BotApp) -> None:
        self.app = without_close_grace(app)
        self.stop_event = asyncio.Event()
        self.task = asyncio.create_task(app.run(self.stop_event))

    async def stop(self) -> None:
        self.stop_event.set()
        await asyncio.wait_for(self.task, timeout=15)


# Telegram's flood limits for `start_bot`: the same limits 20 times faster, so that two
# messages to one chat are 55 ms apart, not 1.1 s (tests/e2e/test_flood.py keeps the real ones).
QUICK_FLOOD_SCALE = 0.05
# Short enough for a test to see a timeout, a drip and a circuit that opens and closes.
# A connection on loopback takes well under 1 s even on a loaded machine under faketime.
QUICK_BACKEND = {"timeout": 0.3, "connect_timeout": 1.0, "open_seconds": 0.5}


class NoFloodLimits(FloodLimits):
    """Telegram's flood limits switched off (a 429 is still waited out)."""

    async def acquire(self, api_method: str, chat_id: int | str | None, messages: int = 1) -> None:
        return None


async def fast_app(
    settings: Settings,
    *,
    clock: Clock,
    backend_options: dict[str, float] | None = None,
) -> BotApp:
    return await build_app(
        settings,
        clock=clock,
        retry_base=0.1,
        poll_timeout=1,
        scheduler_interval=3600,
        flood_limits=NoFloodLimits(),
        backend_options=backend_options,
    )


class FastBots:
    """Starts real bots (long polling) and stops them all at the end of a test."""

    def __init__(
        self, make_settings: Callable[..., Settings], *, clock: Clock | None = None
    ) -> None:
        self.make_settings = make_settings
        self.clock = clock or fixed_clock()  # one clock for every bot of the test
        self.running: list[RunningBot] = []

    async def start(
        self,
        *,
        clock: Clock | None = None,
        backend_options: dict[str, float] | None = None,
        **overrides: Any,
    ) -> RunningBot:
        app = await fast_app(
            self.make_settings(**overrides),
            clock=clock or self.clock,
            backend_options=backend_options,
        )
        app.polling.retry_base = 0.05
        bot = RunningBot(app)
        self.running.append(bot)
        return bot

    async def stop_all(self) -> None:
        for bot in self.running:
            if not bot.task.done():
                await bot.stop()
            with contextlib.suppress(asyncio.CancelledError):
                bot.task.result()


class DirectBot:
    """The real Dispatcher fed update by update; its Bot talks to the fake Telegram."""

    def __init__(self, app: BotApp, telegram: FakeTelegram) -> None:
        self.app = without_close_grace(app)
        self.telegram = telegram

    def update(self, raw: dict[str, Any]) -> Update:
        """Register the update with the fake Telegram (so replies find their message and
        button presses can be answered) and return it as aiogram parses it."""
        update_id = self.telegram.push_update(raw)
        return Update.model_validate(
            {"update_id": update_id, **raw}, context={"bot": self.app.bot}
        )

    async def feed(self, raw: dict[str, Any]) -> None:
        await self.app.dp.feed_update(self.app.bot, self.update(raw))

    async def feed_all(self, raws: list[dict[str, Any]], *, concurrency: int = 16) -> None:
        """Feed updates concurrently, as the polling loop does across chats."""
        slots = asyncio.Semaphore(concurrency)
        updates = [self.update(raw) for raw in raws]

        async def one(update: Update) -> None:
            async with slots:
                await self.app.dp.feed_update(self.app.bot, update)

        await asyncio.gather(*(one(u) for u in updates))

    async def close(self) -> None:
        await self.app.dp.emit_shutdown(bot=self.app.bot, **self.app.dp.workflow_data)
