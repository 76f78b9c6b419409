"""`python -m bot`: read settings once, run until SIGTERM or Ctrl-C, exit cleanly."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot.config import Settings, SettingsError, load_settings
from bot.logs import configure_logging

logger = logging.getLogger(__name__)


async def serve(settings: Settings) -> None:
    from aiogram.exceptions import TelegramUnauthorizedError

    from bot.transport.app import build_app

    app = await build_app(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    logger.info("bot starting (database %s)", settings.database_path)
    try:
        await app.run(stop)
    except TelegramUnauthorizedError:
        raise SettingsError("configuration error: BOT_TOKEN was rejected by Telegram") from None
    logger.info("bot stopped")


def run_command() -> int:
    try:
        settings = load_settings(Settings)
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    configure_logging(secrets=[settings.bot_token.get_secret_value(), settings.backend_token])
    try:
        asyncio.run(serve(settings))
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    return 0
