"""Keeps every request to Telegram within its flood limits and waits out a 429.

Telegram allows a bot about 30 messages a second overall, about one a second per chat and
20 a minute per group. The limits here are kept by the moment each request is let through,
right before it is sent:

- overall: at most PER_SECOND (28) writes in any window of WINDOW (1 s), each write
  counted from the moment it is let through until a window after its answer came back.
  Telegram receives a request between those two moments, so however the network or a
  busy event loop bunches requests on the way, Telegram cannot see more than 28 in any
  second; sustained, 28 per (1 s + the answer's latency), about 27.5 a second;
- per chat: at least CHAT_INTERVAL (1.05 s) from one message's answer to the next message;
- per group: at most 19 messages in any 60 s, each counted (like the overall limit) until a
  window after its answer; copyMessages and sendMediaGroup of N count N.

Writes waiting for the overall limit go in order of priority: answers to people who are
waiting first, background work (reminders, the daily status refresh, the digest) after;
while both wait, every BACKGROUND_SHARE-th slot goes to background work, so it never
starves. Background senders mark themselves with `background_sends()`.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import logging
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from enum import IntEnum

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

logger = logging.getLogger(__name__)

# Methods that put a message into a chat count towards the per-chat limits.
CHAT_MESSAGE_METHODS = frozenset(
    {
        "sendMessage",
        "copyMessage",
        "forwardMessage",
        "sendPhoto",
        "sendDocument",
        # the support desk relays whatever customers and agents send
        "copyMessages",
        "forwardMessages",
        "sendMediaGroup",
        "sendVoice",
        "sendVideo",
        "sendVideoNote",
        "sendAudio",
        "sendAnimation",
        "sendSticker",
        "sendLocation",
        "sendVenue",
        "sendContact",
        "sendPoll",
        "sendDice",
    }
)
# Methods that put several messages into a chat at once: each counts in the group's minute.
MULTI_MESSAGE_FIELDS = {"copyMessages": "message_ids", "forwardMessages": "message_ids"}
MULTI_MESSAGE_FIELDS["sendMediaGroup"] = "media"
# Everything that writes counts towards the global limit.
WRITE_PREFIXES = ("send", "edit", "pin", "unpin", "copy", "forward", "delete")

PER_SECOND = 28
WINDOW = 1.0
CHAT_INTERVAL = 1.05
PER_GROUP = 19
GROUP_WINDOW = 60.0
BACKGROUND_SHARE = 5
MAX_CHATS = 10_000


class Priority(IntEnum):
    INTERACTIVE = 0
    BACKGROUND = 1


_priority: ContextVar[Priority] = ContextVar("send_priority", default=Priority.INTERACTIVE)


@contextlib.contextmanager
def background_sends() -> Iterator[None]:
    """Sends inside this block wait behind answers to people (reminders, refreshes)."""
    token = _priority.set(Priority.BACKGROUND)
    try:
        yield
    finally:
        _priority.reset(token)


class SlidingWindow:
    """At most `limit` events in any `period` seconds, by the times they were let through.

    `until_answered`: an event counts from when it was let through until `period` after
    `finish()` (its answer came back); `wait()` is None while every slot is in flight.
    """

    def __init__(self, limit: int, period: float, *, until_answered: bool = False) -> None:
        self.limit = limit
        self.period = period
        self.until_answered = until_answered
        self.in_flight = 0
        self._times: deque[float] = deque()

    def wait(self, now: float, count: int = 1) -> float | None:
        """Seconds until `count` more events fit (0 if they fit now; None: after an answer).
        More than `limit` wait for an empty window."""
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()
        count = min(count, self.limit)
        excess = self.in_flight + len(self._times) + count - self.limit
        if excess <= 0:
            return 0.0
        if excess > len(self._times):
            return None
        return self._times[excess - 1] + self.period - now

    def record(self, now: float, count: int = 1) -> None:
        if self.until_answered:
            self.in_flight += count
        else:
            self._times.extend([now] * count)

    def finish(self, now: float, count: int = 1) -> None:
        """`count` events let through earlier got their answer (only with `until_answered`)."""
        count = min(count, self.in_flight) if self.until_answered else 0
        self.in_flight -= count
        self._times.extend([now] * count)


class PriorityGate:
    """Lets waiters through one at a time within a SlidingWindow, highest priority first."""

    def __init__(self, window: SlidingWindow, background_share: int = BACKGROUND_SHARE) -> None:
        self.window = window
        self.background_share = background_share
        self._queues: dict[Priority, list[tuple[int, asyncio.Future[None]]]] = {
            p: [] for p in Priority
        }
        self._order = itertools.count()
        self._pump: asyncio.Task[None] | None = None
        self._interactive_run = 0
        self._answered: asyncio.Event | None = None

    @property
    def waiting(self) -> int:
        return sum(len(q) for q in self._queues.values())

    async def acquire(self, priority: Priority) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queues[priority], (next(self._order), future))
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._run(), name="flood-gate")
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self.finish()  # let through, but it will never be sent
            raise

    def finish(self) -> None:
        """A request let through got its answer (or will never be sent)."""
        self.window.finish(asyncio.get_running_loop().time())
        if self._answered is not None:
            self._answered.set()

    def _next(self) -> asyncio.Future[None] | None:
        for queue in self._queues.values():
            while queue and queue[0][1].done():  # its waiter was cancelled
                heapq.heappop(queue)
        interactive = self._queues[Priority.INTERACTIVE]
        background = self._queues[Priority.BACKGROUND]
        starving = self._interactive_run >= self.background_share - 1
        if background and (not interactive or starving):
            self._interactive_run = 0
            return heapq.heappop(background)[1]
        if interactive:
            self._interactive_run += 1
            return heapq.heappop(interactive)[1]
        return None

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while self.waiting:
            wait = self.window.wait(loop.time())
            if wait is None:  # every slot in flight: a slot frees a window after an answer
                self._answered = self._answered or asyncio.Event()
                self._answered.clear()
                await self._answered.wait()
                continue
            if wait > 0:
                await asyncio.sleep(wait)
                continue
            future = self._next()
            if future is None:
                return
            self.window.record(loop.time())
            future.set_result(None)


class FloodLimits:
    """Telegram's published limits, kept right before each send. `time_scale` shrinks every
    period alike (the same limits, faster: for tests); production uses 1."""

    def __init__(
        self,
        *,
        per_second: int = PER_SECOND,
        chat_interval: float = CHAT_INTERVAL,
        max_chats: int = MAX_CHATS,
        time_scale: float = 1.0,
    ) -> None:
        self.gate = PriorityGate(
            SlidingWindow(per_second, WINDOW * time_scale, until_answered=True)
        )
        self.chat_interval = chat_interval * time_scale
        self.group_window = GROUP_WINDOW * time_scale
        self.max_chats = max_chats
        self._next_send: OrderedDict[int, float] = OrderedDict()
        self._groups: OrderedDict[int, SlidingWindow] = OrderedDict()
        self._chat_locks: dict[int, asyncio.Lock] = {}
        self._chat_users: dict[int, int] = {}
        # Chats with a message on its way: the next waits for its answer (set by done()).
        self._answered: dict[int, asyncio.Event] = {}

    @staticmethod
    def _chat(api_method: str, chat_id: int | str | None) -> int | None:
        """The chat whose per-chat limits this request counts towards, if any."""
        return chat_id if isinstance(chat_id, int) and api_method in CHAT_MESSAGE_METHODS else None

    async def acquire(self, api_method: str, chat_id: int | str | None, messages: int = 1) -> None:
        """Wait until this request (putting `messages` messages into the chat) may go out."""
        chat = self._chat(api_method, chat_id)
        writes = api_method.startswith(WRITE_PREFIXES)
        if chat is None:
            if writes:
                await self.gate.acquire(_priority.get())
            return
        lock = self._chat_locks.setdefault(chat, asyncio.Lock())
        self._chat_users[chat] = self._chat_users.get(chat, 0) + 1
        try:
            async with lock:  # one message per chat passes the gates at a time, in order
                await self._chat_turn(chat, writes, messages)
        finally:
            self._chat_users[chat] -= 1
            if not self._chat_users[chat]:
                del self._chat_users[chat], self._chat_locks[chat]

    def done(self, api_method: str, chat_id: int | str | None, messages: int = 1) -> None:
        """A request ended: it frees its overall slot a window from now, its group's slots a
        group window from now, and the chat's next message waits a full interval from now.
        Every acquire() is followed by one done().

        Telegram counts from when the request reached it, which is between acquire() and
        now; a request delayed on the way would otherwise shorten the gap Telegram sees.
        """
        if api_method.startswith(WRITE_PREFIXES):
            self.gate.finish()
        chat = self._chat(api_method, chat_id)
        now = asyncio.get_running_loop().time()
        if chat is not None and chat in self._groups:
            self._groups[chat].finish(now, messages)
        answered = self._answered.pop(chat, None) if chat is not None else None
        if answered is not None:
            answered.set()
        if chat is not None and chat in self._next_send:
            self._next_send[chat] = max(self._next_send[chat], now + self.chat_interval)

    async def _chat_turn(self, chat: int, writes: bool, messages: int = 1) -> None:
        loop = asyncio.get_running_loop()
        group = self._group(chat) if chat < 0 else None
        while True:
            answered = self._answered.get(chat)
            if answered is not None:  # the chat's interval runs from the previous answer
                await answered.wait()
                continue
            now = loop.time()
            wait = self._next_send.get(chat, 0.0) - now
            if group is not None:
                # None: the group's minute is full of messages still in flight (rare: the
                # chat's interval runs from the previous answer); look again an interval on.
                group_wait = group.wait(now, messages)
                wait = max(wait, self.chat_interval if group_wait is None else group_wait)
            if wait > 0:  # the chat's turn, or the group's minute, is still to come
                await asyncio.sleep(wait)
                continue
            if writes:
                await self.gate.acquire(_priority.get())
            now = loop.time()
            # The previous message's answer may have moved the chat's turn while we waited
            # for the overall limit (rare): then wait again.
            if now >= self._next_send.get(chat, 0.0):
                break
            if writes:
                self.gate.finish()  # the slot let through goes unused
        self._answered[chat] = asyncio.Event()
        if group is not None:
            group.record(now, min(messages, group.limit))
        self._next_send[chat] = now + self.chat_interval
        self._next_send.move_to_end(chat)
        if len(self._next_send) > self.max_chats:
            self._next_send.popitem(last=False)

    def _group(self, chat_id: int) -> SlidingWindow:
        window = self._groups.get(chat_id)
        if window is None:
            # Counted from each answer: Telegram saw the message before it answered, so a
            # message delayed on the way cannot squeeze a 20th into anybody's minute.
            window = self._groups[chat_id] = SlidingWindow(
                PER_GROUP, self.group_window, until_answered=True
            )
            if len(self._groups) > self.max_chats:
                self._groups.popitem(last=False)
        else:
            self._groups.move_to_end(chat_id)
        return window


class FloodControlMiddleware(BaseRequestMiddleware):
    """Session middleware: rate-limit writes, and on 429 wait retry_after and try again."""

    def __init__(
        self,
        limits: FloodLimits | None = None,
        *,
        max_retries: int = 5,
        on_retry_after: Callable[[str, float], None] | None = None,  # e.g. metrics
    ) -> None:
        self.limits = limits or FloodLimits()
        self.max_retries = max_retries
        self.on_retry_after = on_retry_after

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        api_method = method.__api_method__
        chat_id = getattr(method, "chat_id", None)
        field = MULTI_MESSAGE_FIELDS.get(api_method)
        messages = max(1, len(getattr(method, field, None) or ())) if field else 1
        for attempt in range(self.max_retries + 1):
            await self.limits.acquire(api_method, chat_id, messages)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                if self.on_retry_after is not None:
                    self.on_retry_after(api_method, float(exc.retry_after))
                if attempt == self.max_retries:
                    raise
                retry_after = exc.retry_after
                logger.warning(
                    "flood control on %s (chat %s): waiting %ss", api_method, chat_id, retry_after
                )
            finally:
                self.limits.done(api_method, chat_id, messages)
            await asyncio.sleep(retry_after)
        raise AssertionError("unreachable")
