"""The durable inbox both transports share: an update is on disk before Telegram forgets it.

Polling writes each getUpdates batch here before asking past it; the webhook writes each
POSTed update here before answering 200. An update leaves the inbox only when its handler
is done (serial per chat, concurrent across chats); whatever is left is replayed on start.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from pydantic_core import PydanticSerializationError

from bot.transport.inbox_done import HandledUpdates
from bot.transport.updates import ChatLocks, update_chat_id
from storage.repository import Repository

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # an update that crashed the bot this often is dropped, not replayed forever


def update_json(update: Update) -> str:
    """The update as the inbox keeps it (read back by `Update.model_validate(json.loads())`)."""
    try:
        return update.model_dump_json(exclude_unset=True)
    except PydanticSerializationError:
        # A lone surrogate in some text cannot be UTF-8; json.dumps escapes it instead.
        return json.dumps(update.model_dump(mode="json", exclude_unset=True))


class UpdateInbox:
    """Updates on disk → handlers; `accept` before `replay` only stores (replay spawns)."""

    def __init__(
        self,
        bot: Bot,
        dp: Dispatcher,
        repo: Repository,
        *,
        concurrency: int = 16,
        drain_seconds: float = 5.0,
    ) -> None:
        self.bot = bot
        self.dp = dp
        self.repo = repo
        self.drain_seconds = drain_seconds
        self._slots = asyncio.Semaphore(concurrency)
        self._chat_lock = ChatLocks()
        self._tasks: set[asyncio.Task[None]] = set()
        self._gate = asyncio.Lock()  # an update is either replayed or spawned live, not both
        self._live = False
        self.handled = HandledUpdates(repo)  # deleted from disk in batches

    async def accept(self, updates: list[Update], next_offset: int) -> None:
        """Write updates to disk, then start handling them (once the inbox was replayed)."""
        async with self._gate:
            done = self.handled.take()  # deleted in the same transaction
            try:
                await self.repo.inbox_add(
                    [(u.update_id, update_json(u)) for u in updates], next_offset, done=done
                )
            except BaseException:
                self.handled.give_back(done)
                raise
            if self._live:
                for update in updates:
                    self._spawn(update)

    async def replay(self) -> int:
        """Handle what an earlier run took from Telegram but did not finish."""
        async with self._gate:
            replayed = await self._spawn_stored()
            self._live = True
        if replayed:
            logger.info("replaying %s update(s) from the inbox", len(replayed))
            await asyncio.wait(replayed)
            await self.handled.settle()
        return len(replayed)

    async def _spawn_stored(self) -> list[asyncio.Task[None]]:
        replayed = []
        for update_id, payload, attempts in await self.repo.inbox_pending():
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
        return replayed

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
        self.handled.add(update.update_id)

    @property
    def live(self) -> bool:
        """Replayed: new updates are handled as they come (before that, only stored)."""
        return self._live

    @property
    def running(self) -> int:
        return len(self._tasks)

    async def drain(self) -> None:
        """Give running handlers a few seconds; the rest stay in the inbox for next start."""
        self._live = False
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=self.drain_seconds)
            for task in pending:
                task.cancel()
            if pending:
                logger.warning("%s update(s) left in the inbox for the next start", len(pending))
                await asyncio.wait(pending)
        await self.handled.settle()
