"""Long polling with a durable inbox: an update is on disk before Telegram forgets it.

Telegram drops a batch of updates as soon as the next getUpdates asks past it, which
can be before their handlers have finished. So every batch is written to the inbox
table (with the next offset) first, and an update leaves the inbox only when its
handler is done. After a crash the inbox is replayed on start.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from aiogram import Bot, Dispatcher
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramRetryAfter,
    TelegramUnauthorizedError,
)
from aiogram.types import Update
from pydantic_core import PydanticSerializationError

from bot.transport.updates import ChatLocks, update_chat_id
from storage.repository import Repository

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # an update that crashed the bot this often is dropped, not replayed forever
MAX_POLL_DELAY = 30.0


def update_json(update: Update) -> str:
    """The update as the inbox keeps it (read back by `Update.model_validate(json.loads())`)."""
    try:
        return update.model_dump_json(exclude_unset=True)
    except PydanticSerializationError:
        # A lone surrogate in some text cannot be UTF-8; json.dumps escapes it instead.
        return json.dumps(update.model_dump(mode="json", exclude_unset=True))


class DurablePolling:
    """getUpdates → inbox → handlers (serial per chat, concurrent across chats)."""

    def __init__(
        self,
        bot: Bot,
        dp: Dispatcher,
        repo: Repository,
        *,
        poll_timeout: int = 25,
        concurrency: int = 16,
        drain_seconds: float = 5.0,
        retry_base: float = 0.5,
    ) -> None:
        self.bot = bot
        self.dp = dp
        self.repo = repo
        self.poll_timeout = poll_timeout
        self.drain_seconds = drain_seconds
        self.retry_base = retry_base
        self._slots = asyncio.Semaphore(concurrency)
        self._chat_lock = ChatLocks()
        self._tasks: set[asyncio.Task[None]] = set()

    async def replay_inbox(self) -> int:
        """Handle what an earlier run took from Telegram but did not finish."""
        rows = await self.repo.inbox_pending()
        replayed = []
        for update_id, payload, attempts in rows:
            if attempts >= MAX_ATTEMPTS:
                logger.error("dropping update %s after %s failed attempts", update_id, attempts)
                await self.repo.inbox_done(update_id)
                continue
            await self.repo.inbox_attempt(update_id)
            try:
                update = Update.model_validate(json.loads(payload), context={"bot": self.bot})
            except ValueError as exc:  # unreadable: replaying it can never succeed
                logger.error(
                    "dropping update %s: the inbox copy is unreadable (%s)", update_id, exc
                )
                await self.repo.inbox_done(update_id)
                continue
            replayed.append(self._spawn(update))
        if replayed:
            logger.info("replaying %s update(s) from the inbox", len(replayed))
            await asyncio.wait(replayed)
        return len(replayed)

    async def run(self, stop: asyncio.Event) -> None:
        offset = await self.repo.stored_offset()
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
            if not updates:
                continue
            offset = updates[-1].update_id + 1
            await self.repo.inbox_add([(u.update_id, update_json(u)) for u in updates], offset)
            for update in updates:
                self._spawn(update)
        await self.drain()

    def poll_delay(self, exc: Exception, failures: int) -> float:
        """Backoff after a failed getUpdates; a 429 says itself how long to wait."""
        if isinstance(exc, TelegramRetryAfter):
            return float(min(exc.retry_after, MAX_POLL_DELAY))
        return min(MAX_POLL_DELAY, self.retry_base * 2.0 ** min(failures - 1, 10))

    def _spawn(self, update: Update) -> asyncio.Task[None]:
        task = asyncio.create_task(self._handle(update), name=f"update-{update.update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _handle(self, update: Update) -> None:
        chat_id = update_chat_id(update)
        lock = self._chat_lock(chat_id) if chat_id is not None else contextlib.nullcontext()
        async with self._slots, lock:
            try:
                await self.dp.feed_update(self.bot, update)
            except Exception:
                logger.exception("update %s failed outside the error handlers", update.update_id)
            await self.repo.inbox_done(update.update_id)

    async def drain(self) -> None:
        """Give running handlers a few seconds; the rest stay in the inbox for next start."""
        if not self._tasks:
            return
        _done, pending = await asyncio.wait(set(self._tasks), timeout=self.drain_seconds)
        for task in pending:
            task.cancel()
        if pending:
            logger.warning("%s update(s) left in the inbox for the next start", len(pending))
            await asyncio.wait(pending)
