"""The desk's durable outbox: everything relayed is on disk before it is sent.

Handlers queue items (`from_customer`, `from_agent`, `note`, `tell_customer`) in the same
transaction as the conversation they belong to; `run` delivers them: in order per
customer (by outbox id), customers concurrently, each item marked delivered in the same
transaction as its message links, so a restart delivers what is left once. Telegram's
limits (20 a minute in the forum, 1 a second per chat, 30 a second overall, 429) are kept
by the session's throttle, which paces the lanes; nothing is dropped or reordered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sqlite3
import time
from collections.abc import Iterator
from contextvars import Context

from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.types import InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.outbound.desk import SupportDesk
from bot.outbound.relay import COPY, EDIT, MAX_BATCH, NOTE, REFRESH, TEXT, Courier
from storage.outbox import TO_CUSTOMER, TO_TOPIC, OutboxItem
from storage.records import Conversation
from storage.repository import Repository

logger = logging.getLogger(__name__)

ALBUM_WAIT = 1.0  # seconds an album's first part waits for the others
HANDOFF = 0.5  # seconds from one update's end to the next one's middleware, at most
MAX_ATTEMPTS = 12  # transient failures in a row before an item is given up (about 1 h)
KEEP_DELIVERED = 7 * 86400.0  # dedup keys of delivered items are kept this long
POLL_EVERY = 60.0


def _content(message: Message) -> dict[str, object]:
    """The new text (or caption) of an edited message, with its formatting."""
    if message.text is not None:
        entities = message.entities or []
        return {"text": message.text, "entities": [e.model_dump(mode="json") for e in entities]}
    entities = message.caption_entities or []
    return {
        "caption": message.caption or "",
        "entities": [e.model_dump(mode="json") for e in entities],
    }


class Outbox:
    """Queues what the desk relays and delivers it (app-lifetime; Dispatcher kwarg `outbox`)."""

    def __init__(
        self,
        repo: Repository,
        desk: SupportDesk,
        clock: Clock,
        courier: Courier,
        *,
        album_wait: float = ALBUM_WAIT,
        retry_base: float = 1.0,
    ) -> None:
        self.repo = repo
        self.desk = desk
        self.clock = clock
        self.courier = courier
        self.album_wait = album_wait
        self.retry_base = retry_base
        self._lanes: dict[int, asyncio.Task[None]] = {}
        self._poked: set[int] = set()
        self._running = False
        self._handling: dict[int, int] = {}  # customers whose update is being handled now
        self._handled_at: dict[int, float] = {}  # when their last update was handled

    # --- queueing -----------------------------------------------------------------------

    async def note(self, customer_id: int, text: str, *, dedup: str | None = None) -> None:
        """A text by the bot in the customer's topic, delivered after everything queued
        before it for that customer (creates the topic if there is none)."""
        if self.desk.enabled:
            await self.add(
                OutboxItem(customer_id, TO_TOPIC, NOTE, payload={"text": text}, dedup=dedup)
            )

    async def tell_customer(
        self,
        customer_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        dedup: str | None = None,
    ) -> None:
        """A text by the bot to the customer, in order with the agents' relayed messages."""
        payload: dict[str, object] = {"text": text}
        if markup is not None:
            payload["markup"] = markup.model_dump(mode="json", exclude_none=True)
        if self.desk.enabled:
            await self.add(
                OutboxItem(customer_id, TO_CUSTOMER, TEXT, payload=payload, dedup=dedup)
            )

    async def refresh_later(self, customer_id: int, dedup: str | None = None) -> None:
        """Put the topic's name and card right once what is queued before is delivered."""
        await self.add(OutboxItem(customer_id, TO_TOPIC, REFRESH, dedup=dedup))

    async def from_customer(self, message: Message) -> bool:
        """Queue a customer's private message (or its edit) for their topic, with who they
        are and that they wrote, in one transaction. False: not queued (banned, or seen)."""
        user = message.from_user
        if user is None:
            return False
        customer_id = message.chat.id
        edited = message.edit_date is not None
        if edited:
            key = f"ce:{customer_id}:{message.message_id}:{message.edit_date}"
            item = OutboxItem(
                customer_id,
                TO_TOPIC,
                EDIT,
                source_chat_id=customer_id,
                source_message_id=message.message_id,
                payload=_content(message),
                dedup=key,
            )
        else:
            reply = message.reply_to_message
            item = OutboxItem(
                customer_id,
                TO_TOPIC,
                COPY,
                source_chat_id=customer_id,
                source_message_id=message.message_id,
                media_group_id=message.media_group_id,
                payload={"reply_to": reply.message_id} if reply else {},
                dedup=f"c:{customer_id}:{message.message_id}",
                ready_at=time.time() + (self.album_wait if message.media_group_id else 0.0),
            )
        _conversation, queued = await self.repo.relay_from_customer(
            item,
            user.full_name,
            user.username,
            user.language_code,
            None if edited else self.clock.timestamp(),
        )
        if queued:
            self._kick(customer_id)
        return queued

    async def from_agent(self, message: Message, conversation: Conversation) -> bool:
        """Queue an agent's message (or its edit) in a customer's topic for the customer."""
        chat_id = message.chat.id
        customer_id = conversation.customer_id
        if message.edit_date is not None:
            item = OutboxItem(
                customer_id,
                TO_CUSTOMER,
                EDIT,
                source_chat_id=chat_id,
                source_message_id=message.message_id,
                payload=_content(message),
                dedup=f"ae:{chat_id}:{message.message_id}:{message.edit_date}",
            )
            return await self.add(item)
        reply = message.reply_to_message
        # In a topic every message "replies" to the topic's first message: not a reply.
        replied = reply is not None and reply.message_id != message.message_thread_id
        item = OutboxItem(
            customer_id,
            TO_CUSTOMER,
            COPY,
            source_chat_id=chat_id,
            source_message_id=message.message_id,
            media_group_id=message.media_group_id,
            payload={"reply_to": reply.message_id} if replied and reply else {},
            dedup=f"a:{chat_id}:{message.message_id}",
            ready_at=time.time() + (self.album_wait if message.media_group_id else 0.0),
        )
        queued = await self.add(item)
        await self.repo.agent_answered(customer_id, self.clock.timestamp())
        return queued

    async def add(self, item: OutboxItem) -> bool:
        queued = await self.repo.outbox_add(item)
        if queued:
            self._kick(item.customer_id)
        return queued

    @contextlib.contextmanager
    def handling(self, customer_id: int) -> Iterator[None]:
        """A customer's update is being handled: the next part of an album may be behind it
        (updates of one chat are handled one at a time), so an album waits for it."""
        self._handling[customer_id] = self._handling.get(customer_id, 0) + 1
        try:
            yield
        finally:
            self._handling[customer_id] -= 1
            if not self._handling[customer_id]:
                del self._handling[customer_id]
            self._handled_at[customer_id] = time.time()
            if len(self._handled_at) > 1000:  # bounded: only the last moments matter
                self._handled_at.clear()

    def _album_wait(self, items: list[OutboxItem]) -> float:
        """Seconds the head must still wait: an album until its last part is
        `album_wait` old and no update of the customer is being handled; else its retry."""
        head = items[0]
        now = time.time()
        if head.media_group_id is None:
            return head.ready_at - now
        parts = [i for i in items if i.media_group_id == head.media_group_id]
        wait = max(i.ready_at for i in parts) - now
        if head.customer_id in self._handling:
            wait = max(wait, 0.05)
        # The next update of the chat starts a moment after the last one ends.
        handled = self._handled_at.get(head.customer_id, 0.0)
        return max(wait, handled + HANDOFF - now)

    # --- delivering ---------------------------------------------------------------------

    async def run(self) -> None:
        """The delivery worker: lanes for what is on disk now, then for whatever comes."""
        self._running = True
        try:
            while True:
                for customer_id in await self.repo.outbox_customers():
                    self._kick(customer_id)
                await self.repo.outbox_prune(time.time() - KEEP_DELIVERED)
                await asyncio.sleep(POLL_EVERY)
        finally:
            self._running = False
            lanes = list(self._lanes.values())
            for lane in lanes:
                lane.cancel()
            for lane in lanes:
                with contextlib.suppress(asyncio.CancelledError):
                    await lane
            self._lanes.clear()

    @property
    def busy(self) -> int:
        """Customers whose items are being delivered now."""
        return len(self._lanes)

    def _kick(self, customer_id: int) -> None:
        if not self._running:
            return  # run() looks at the table when it starts
        self._poked.add(customer_id)
        if customer_id not in self._lanes:
            # A context of its own: a lane started from a handler (or from background work)
            # must not carry that update's language or send priority into later deliveries.
            self._lanes[customer_id] = asyncio.create_task(
                self._lane(customer_id), name=f"outbox-{customer_id}", context=Context()
            )

    async def _lane(self, customer_id: int) -> None:
        """Deliver one customer's items in order until none is left."""
        try:
            while True:
                self._poked.discard(customer_id)
                try:
                    items = await self.repo.outbox_next(customer_id, MAX_BATCH + 1)
                except sqlite3.Error:
                    logger.exception("outbox of customer %s unreadable; again soon", customer_id)
                    await asyncio.sleep(self.retry_base)
                    continue
                if not items:
                    if customer_id in self._poked:
                        continue
                    return
                wait = self._album_wait(items)
                if wait > 0:  # an album waiting for its parts, or a retry's time
                    await asyncio.sleep(wait)
                    continue
                await self._deliver(items)
        finally:
            self._lanes.pop(customer_id, None)
            if customer_id in self._poked and self._running:
                self._kick(customer_id)  # came in while the lane was ending

    async def _deliver(self, items: list[OutboxItem]) -> None:
        head = items[0]
        try:
            await self.courier.deliver(items)
        except Exception as exc:  # a transient failure: try again later
            reason = f"{type(exc).__name__}: {exc}"
            if head.attempts + 1 >= MAX_ATTEMPTS:
                logger.error("outbox item %s given up: %s", head.id, reason)
                await self.repo.outbox_done([head.id], time.time(), error=reason)
                return
            delay = min(300.0, self.retry_base * 2**head.attempts) * random.uniform(0.8, 1.2)
            if isinstance(exc, TelegramRetryAfter):  # still flooded after the session's retries
                delay = float(exc.retry_after)
            expected = isinstance(exc, TelegramAPIError | OSError | TimeoutError)
            logger.warning(
                "outbox item %s: %s; again in %.1fs",
                head.id,
                reason,
                delay,
                exc_info=not expected,  # a bug shows its traceback
            )
            await self.repo.outbox_retry(head.id, time.time() + delay, reason)
