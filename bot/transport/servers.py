"""The HTTP side of the bot: the webhook and /healthz + /metrics, on one or two ports."""

from __future__ import annotations

import asyncio
import logging
import time

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.config import Settings
from bot.licensing.backend import LicenseBackend
from bot.metrics import Metrics
from bot.transport.health import Health, serve
from bot.transport.polling import DurablePolling
from bot.transport.webhook import DurableWebhook, webhook_app, webhook_path
from storage.repository import Repository

logger = logging.getLogger(__name__)

STALE_MARGIN = 60.0  # seconds past a long poll's timeout before polling counts as stuck


class Servers:
    """Starts the HTTP servers settings ask for; `addresses` holds the bound (host, port)."""

    def __init__(
        self,
        settings: Settings,
        polling: DurablePolling,
        webhook: DurableWebhook | None,
        *,
        repo: Repository,
        backend: LicenseBackend,
        metrics: Metrics,
    ) -> None:
        self.settings = settings
        self.health = Health(repo, backend, metrics, self.transport_problem)
        self.polling = polling
        self.webhook = webhook
        self.webhook_set = False
        self.addresses: dict[str, tuple[str, int]] = {}
        self._runners: dict[str, web.AppRunner] = {}
        self.listening = asyncio.Event()  # set once start() has bound every server

    def transport_problem(self) -> str | None:
        """For /healthz: is the webhook registered and served, or is polling answered?"""
        if self.webhook is None:
            stale_after = self.polling.poll_timeout + STALE_MARGIN
            return self.polling.problem(time.monotonic(), stale_after)
        if "webhook" not in self.addresses:
            return "the webhook server is not running"
        if not self.webhook_set:
            return "the webhook is not registered with Telegram yet"
        return None

    async def start(self) -> None:
        """The webhook server (with /healthz, /metrics) and METRICS_LISTEN, if set."""
        if self.webhook is not None:
            app = webhook_app(self.webhook, webhook_path(self.settings.webhook_url))
            self.health.add_routes(app)
            await self._serve("webhook", app, self.settings.webhook_listen)
        if self.settings.metrics_listen and self.settings.metrics_listen != (
            self.settings.webhook_listen if self.webhook is not None else None
        ):
            app = web.Application()
            self.health.add_routes(app)
            await self._serve("metrics", app, self.settings.metrics_listen)
        self.listening.set()

    async def _serve(self, name: str, app: web.Application, listen: str) -> None:
        runner = await serve(app, listen)
        self._runners[name] = runner
        host, port = runner.addresses[0][:2]
        self.addresses[name] = (host, port)

    async def connect(self, bot: Bot, dp: Dispatcher) -> None:
        """Tell Telegram where updates go: our webhook, or nowhere (we poll)."""
        if self.webhook is None:
            await bot.delete_webhook(drop_pending_updates=False)
            return
        await bot.set_webhook(
            self.settings.webhook_url,
            secret_token=self.settings.webhook_secret.get_secret_value(),
            allowed_updates=dp.resolve_used_update_types(),
            drop_pending_updates=False,
        )
        self.webhook_set = True
        logger.info("webhook registered: %s", self.settings.webhook_url)

    async def stop(self, name: str | None = None) -> None:
        """Stop one server (e.g. "webhook": no new updates while draining), or all."""
        for key in [name] if name is not None else list(self._runners):
            runner = self._runners.pop(key, None)
            if runner is not None:
                await runner.cleanup()
                self.addresses.pop(key, None)
