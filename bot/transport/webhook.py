"""Webhook mode: Telegram POSTs each update; it is on disk before Telegram hears 200."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

from bot.transport.inbox import UpdateInbox

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_path(url: str) -> str:
    """The path Telegram POSTs to: WEBHOOK_URL's path ("/webhook" when it has none)."""
    path = urlsplit(url).path.rstrip("/")
    return path or "/webhook"


class DurableWebhook(SimpleRequestHandler):
    """aiogram's request handler, with the update written to the inbox before the 200."""

    def __init__(self, dp: Dispatcher, bot: Bot, inbox: UpdateInbox, secret: str) -> None:
        super().__init__(dp, bot, handle_in_background=True, secret_token=secret)
        self.inbox = inbox

    async def handle(self, request: web.Request) -> web.Response:
        """Checks the secret, stores the update, answers 200; handling happens afterwards."""
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get(SECRET_HEADER, ""), bot):
            reason = "a wrong" if SECRET_HEADER in request.headers else "no"
            logger.warning(
                "webhook: refused a POST from %s with %s secret", request.remote, reason
            )
            return web.Response(status=401, text="Unauthorized")
        try:
            raw: Any = await request.json(loads=bot.session.json_loads)
        except ValueError:
            logger.warning("webhook: a POST from %s was not JSON", request.remote)
            return web.Response(status=400, text="not JSON")
        try:
            update = Update.model_validate(raw, context={"bot": bot})
        except ValidationError as exc:
            # Telegram would send it again and again: take it off its queue, say why here.
            logger.error("webhook: dropping an update that is not an Update: %s", exc)
            return web.json_response({})
        await self.inbox.accept([update], update.update_id + 1)
        return web.json_response({})

    async def close(self) -> None:
        """The app closes the bot's session itself, after the inbox has drained."""


def webhook_app(handler: DurableWebhook, path: str) -> web.Application:
    app = web.Application()
    app.router.add_post(path, handler.handle)
    return app
