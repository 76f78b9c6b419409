"""Long polling with a durable inbox: an update is on disk before Telegram forgets it.

Telegram drops a batch of updates as soon as the next getUpdates asks past it, which
can be before their handlers have finished. So every batch is written to the inbox
(bot.transport.inbox, shared with the webhook) with the next offset first, and an update
leaves the inbox only when its handler is done. After a crash the inbox is replayed on start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)

from bot.transport.inbox import UpdateInbox

logger = logging.getLogger(__name__)

MAX_POLL_DELAY = 30.0


class DurablePolling:
    """getUpdates → inbox → handlers; `last_answer`: when Telegram last answered (monotonic)."""

    def __init__(
        self,
        bot: Bot,
        dp: Dispatcher,
        inbox: UpdateInbox,
        *,
        poll_timeout: int = 25,
        retry_base: float = 0.5,
    ) -> None:
        self.bot = bot
        self.dp = dp
        self.inbox = inbox
        self.poll_timeout = poll_timeout
        self.retry_base = retry_base
        self.last_answer: float | None = None

    async def run(self, stop: asyncio.Event) -> None:
        offset = await self.inbox.repo.stored_offset()
        allowed = self.dp.resolve_used_update_types()
        failures = 0
        while not stop.is_set():
            fetch = asyncio.ensure_future(
                self.bot.get_updates(
                    offset=offset,
                    timeout=self.poll_timeout,
                    allowed_updates=allowed,
                    request_timeout=self.poll_timeout + 10,
                )
            )
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            if not fetch.done():
                fetch.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await fetch
                break
            try:
                updates = fetch.result()
            except TelegramUnauthorizedError:
                raise  # the token is wrong: start-up reports it as a configuration error
            except (TelegramAPIError, ClientDecodeError) as exc:
                # Network errors, 5xx, 429, a 409 from a second instance, an HTML error page
                # from a proxy: none of them may stop the bot.
                failures += 1
                delay = self.poll_delay(exc, failures)
                logger.warning(
                    "getUpdates failed (%s: %s); retrying in %.1fs", type(exc).__name__, exc, delay
                )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=delay)
                continue
            failures = 0
            self.last_answer = time.monotonic()
            if not updates:
                continue
            offset = updates[-1].update_id + 1
            await self.inbox.accept(updates, offset)

    def problem(self, now: float, stale_after: float) -> str | None:
        """Why polling is not healthy (for /healthz), or None."""
        if self.last_answer is None:
            return "Telegram has not answered getUpdates yet"
        silent = now - self.last_answer
        if silent > stale_after:
            return f"no getUpdates answer for {silent:.0f} s"
        return None

    def poll_delay(self, exc: Exception, failures: int) -> float:
        """Backoff after a failed getUpdates; a 429 says itself how long to wait."""
        if isinstance(exc, TelegramRetryAfter):
            return float(min(exc.retry_after, MAX_POLL_DELAY))
        return min(MAX_POLL_DELAY, self.retry_base * 2.0 ** min(failures - 1, 10))
