"""Keeps every request to Telegram within its flood limits and waits out a 429."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiolimiter import AsyncLimiter

logger = logging.getLogger(__name__)

# Methods that put a message into a chat count towards the per-chat limits.
CHAT_MESSAGE_METHODS = frozenset(
    {"sendMessage", "copyMessage", "forwardMessage", "sendPhoto", "sendDocument"}
)
# Everything that writes counts towards the global limit.
WRITE_PREFIXES = ("send", "edit", "pin", "unpin", "copy", "forward", "delete")


class FloodLimits:
    """Keeps Telegram's published limits by the clock of the send itself.

    Global: a leaky bucket of capacity C leaking r/s lets at most C + r·W through in
    any window W: C=10, r=18/s gives ≤28 in any second. Per group: C=5, r=5/22 per
    second gives ≤19 in any minute. Per chat: at least 1.1 s between two messages,
    checked after every other wait, right before the send. The margins absorb network
    jitter between our clock and Telegram's. `time_scale` shrinks every period alike (the
    same limits, faster: for tests); production uses 1.
    """

    def __init__(
        self, *, chat_interval: float = 1.1, max_chats: int = 10_000, time_scale: float = 1.0
    ) -> None:
        self.global_limiter = AsyncLimiter(10, 10 / 18 * time_scale)
        self.chat_interval = chat_interval * time_scale
        self.group_period = 22 * time_scale
        self._next_send: OrderedDict[int, float] = OrderedDict()
        self._groups: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._max_chats = max_chats

    def _group(self, chat_id: int) -> AsyncLimiter:
        limiter = self._groups.get(chat_id)
        if limiter is None:
            limiter = self._groups[chat_id] = AsyncLimiter(5, self.group_period)
            if len(self._groups) > self._max_chats:
                self._groups.popitem(last=False)
        else:
            self._groups.move_to_end(chat_id)
        return limiter

    @staticmethod
    def _chat(api_method: str, chat_id: int | str | None) -> int | None:
        """The chat whose per-chat limits this request counts towards, if any."""
        return chat_id if isinstance(chat_id, int) and api_method in CHAT_MESSAGE_METHODS else None

    def done(self, api_method: str, chat_id: int | str | None) -> None:
        """A request ended: the chat's next message waits a full interval from now.

        Telegram counts from when the request reached it, which is between acquire() and
        now; a request delayed on the way (a busy loop, the network) would otherwise
        shorten the gap that Telegram sees."""
        chat = self._chat(api_method, chat_id)
        if chat is not None and chat in self._next_send:
            after = asyncio.get_running_loop().time() + self.chat_interval
            self._next_send[chat] = max(self._next_send[chat], after)

    async def acquire(self, api_method: str, chat_id: int | str | None) -> None:
        loop = asyncio.get_running_loop()
        chat = self._chat(api_method, chat_id)
        if chat is not None and chat < 0:
            await self._group(chat).acquire()
        while True:
            if chat is not None and (wait := self._next_send.get(chat, 0.0) - loop.time()) > 0:
                await asyncio.sleep(wait)
            if api_method.startswith(WRITE_PREFIXES):
                await self.global_limiter.acquire()
            if chat is None:
                return
            now = loop.time()
            # Another send to this chat may have gone out while we waited: wait again.
            if now >= self._next_send.get(chat, 0.0):
                self._next_send[chat] = now + self.chat_interval
                self._next_send.move_to_end(chat)
                if len(self._next_send) > self._max_chats:
                    self._next_send.popitem(last=False)
                return


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
        for attempt in range(self.max_retries + 1):
            await self.limits.acquire(api_method, chat_id)
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
                self.limits.done(api_method, chat_id)
            await asyncio.sleep(retry_after)
        raise AssertionError("unreachable")
