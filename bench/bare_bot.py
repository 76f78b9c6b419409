"""A bare aiogram bot for comparison: the same Bot API calls per paste, nothing else.

    python -m bench.bare_bot --calls reply,status,pin [--limited]

Reads BOT_TOKEN, TELEGRAM_API_URL and LICENSE_API_URL from the environment. On a message
with a Request ID it makes one backend GET, then the listed calls: `reply` (an answer to
the message), `status` (a status message), `pin` (pins the last message sent). On
/license it answers one message. No storage, no parsing beyond one regex, no retries.
With --limited every send waits for a global and a per-chat limiter (the same limits the
project keeps), so both bots meet the same physical ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
from collections import defaultdict
from typing import Any

import httpx
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.client.telegram import TelegramAPIServer
from aiogram.filters import Command
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import Message
from aiolimiter import AsyncLimiter

from bot.outbound.throttle import CHAT_MESSAGE_METHODS, WRITE_PREFIXES

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Limits(BaseRequestMiddleware):
    """An ideal limiter: `per_second` overall, one message a second per chat."""

    def __init__(self, per_second: float) -> None:
        self.overall = AsyncLimiter(per_second, 1)
        self.chats: defaultdict[Any, AsyncLimiter] = defaultdict(lambda: AsyncLimiter(1, 1))

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__
        if name in CHAT_MESSAGE_METHODS:
            await self.chats[getattr(method, "chat_id", None)].acquire()
        if name.startswith(WRITE_PREFIXES):
            await self.overall.acquire()
        return await make_request(bot, method)


def build(calls: list[str], backend: httpx.AsyncClient) -> Dispatcher:
    dp = Dispatcher()

    @dp.message(Command("license"))
    async def license_(message: Message) -> None:
        await message.answer("Support until 07.08.2030")

    @dp.message(F.text)
    async def paste(message: Message, bot: Bot) -> None:
        found = UUID.search(message.text or "")
        if found is None:
            return
        await backend.get(f"checks/{found.group(0)}")
        last = None
        for call in calls:
            if call == "reply":
                last = await message.reply("License checked")
            elif call == "status":
                last = await message.answer("Support until 07.08.2030")
            elif call == "pin" and last is not None:
                await bot.pin_chat_message(message.chat.id, last.message_id)

    return dp


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", default="reply,status,pin")
    parser.add_argument("--limited", action="store_true")
    parser.add_argument("--per-second", type=float, default=28.0)
    args = parser.parse_args()
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))
    if args.limited:
        session.middleware(Limits(args.per_second))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    base_url = os.environ["LICENSE_API_URL"].rstrip("/") + "/"
    token = os.environ.get("LICENSE_API_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with httpx.AsyncClient(base_url=base_url, headers=headers) as backend:
        await build(args.calls.split(","), backend).start_polling(bot, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(main())
