"""`python -m bot`: read settings once, run until SIGTERM or Ctrl-C, exit cleanly."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable

from bot.config import Settings, SettingsError, load_settings
from bot.logs import configure_logging

logger = logging.getLogger(__name__)

FORCE_AFTER = 10.0  # seconds a graceful stop may take before the process exits anyway
EXIT_FORCED = 1


def _exit_now(code: int) -> None:
    logging.shutdown()  # flush what was logged: os._exit skips every other clean-up
    os._exit(code)


class Shutdown:
    """First SIGTERM/SIGINT: finish what is running; a second one, or FORCE_AFTER: exit now."""

    def __init__(
        self,
        stop: asyncio.Event,
        *,
        force_after: float = FORCE_AFTER,
        exit_now: Callable[[int], None] = _exit_now,
    ) -> None:
        self.stop = stop
        self.force_after = force_after
        self.exit_now = exit_now
        self._timer: asyncio.TimerHandle | None = None

    def __call__(self, name: str) -> None:
        if self.stop.is_set():
            self.force(f"second {name}")
            return
        logger.info(
            "%s: stopping; finishing what is running (%s again, or %g s, forces it)",
            name,
            name,
            self.force_after,
        )
        self.stop.set()
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(self.force_after, self.force, "took too long")

    def force(self, why: str) -> None:
        logger.error("forced exit (%s); unfinished updates stay in the inbox", why)
        self.exit_now(EXIT_FORCED)

    def cancel(self) -> None:
        """The graceful stop finished in time."""
        if self._timer is not None:
            self._timer.cancel()


async def serve(settings: Settings) -> None:
    from aiogram.exceptions import TelegramUnauthorizedError

    from bot.transport.app import build_app

    app = await build_app(settings)
    stop = asyncio.Event()
    shutdown = Shutdown(stop)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, shutdown, sig.name)
    mode = "webhook" if settings.webhook_mode else "long polling"
    logger.info("bot starting (%s, database %s)", mode, settings.database_path)
    try:
        await app.run(stop)
    except TelegramUnauthorizedError:
        raise SettingsError("configuration error: BOT_TOKEN was rejected by Telegram") from None
    finally:
        shutdown.cancel()
    logger.info("bot stopped")


def run_command() -> int:
    try:
        settings = load_settings(Settings)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    secrets = [
        settings.bot_token.get_secret_value(),
        settings.backend_token,
        settings.webhook_secret.get_secret_value(),
    ]
    configure_logging(secrets=secrets, fmt=settings.log_format)
    try:
        asyncio.run(serve(settings))
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0
