"""Keeps aiogram's answer types alive, so pydantic does not build them again and again.

aiogram reads every Bot API answer as `Response[T]`, a pydantic generic model. Pydantic
keeps such parametrized classes only in a weak cache, and a class is a reference cycle:
each garbage collection drops them, and the next answer builds the class anew (a few ms
of schema work; about 6% of the bot's CPU under a burst of pastes, by py-spy). Holding
one strong reference per answer type makes that work happen once per type.
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType


class KeepResponseTypes(BaseRequestMiddleware):
    """Session middleware: the first request of each answer type keeps `Response[T]`."""

    def __init__(self) -> None:
        self.kept: dict[Any, type] = {}  # bounded by the Bot API's answer types

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self.kept:
            self.kept[returning] = Response[returning]  # type: ignore[valid-type]
        return await make_request(bot, method)
