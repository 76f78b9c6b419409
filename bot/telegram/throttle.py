"""Keeps every request to Telegram within its flood limits and waits out a 429."""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict

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
CHAT_MESSAGE_METHODS = frozenset({"sendMessage", "copyMessage", "forwardMessage", "sendPhoto",
                                  "sendDocument"})
# Everything that writes counts towards the global limit.
WRITE_PREFIXES = ("send", "edit", "pin", "unpin", "copy", "forward", "delete")


class FloodLimits:
    """Leaky buckets sized so that no sliding window can pass Telegram's published limits.

    A bucket of capacity C leaking r per second lets at most C + r·W through in any
    window W, so: global C=10, r=20/s (≤30 in any second); per chat C=1, r=1/s; per
    group C=5, r=0.25/s (≤20 in any minute).
    """

    def __init__(self, *, max_chats: int = 10_000) -> None:
        self.global_limiter = AsyncLimiter(10, 0.5)
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._groups: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._max_chats = max_chats

    def _limiter(self, table: OrderedDict[int, AsyncLimiter], chat_id: int,
                 rate: float, period: float) -> AsyncLimiter:
        limiter = table.get(chat_id)
        if limiter is None:
            limiter = table[chat_id] = AsyncLimiter(rate, period)
            if len(table) > self._max_chats:
                table.popitem(last=False)
        else:
            table.move_to_end(chat_id)
        return limiter

    async def acquire(self, api_method: str, chat_id: int | str | None) -> None:
        if isinstance(chat_id, int) and api_method in CHAT_MESSAGE_METHODS:
            await self._limiter(self._chats, chat_id, 1, 1).acquire()
            if chat_id < 0:
                await self._limiter(self._groups, chat_id, 5, 20).acquire()
        if api_method.startswith(WRITE_PREFIXES):
            await self.global_limiter.acquire()


class FloodControlMiddleware(BaseRequestMiddleware):
    """Session middleware: rate-limit writes, and on 429 wait retry_after and try again."""

    def __init__(self, limits: FloodLimits | None = None, *, max_retries: int = 5) -> None:
        self.limits = limits or FloodLimits()
        self.max_retries = max_retries

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
                if attempt == self.max_retries:
                    raise
                logger.warning("flood control on %s (chat %s): waiting %ss",
                               api_method, chat_id, exc.retry_after)
                await asyncio.sleep(exc.retry_after)
        raise AssertionError("unreachable")
