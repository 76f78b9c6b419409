"""Start-up waits for Telegram: a network that is not up yet is retried, not a traceback."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aiogram import Bot
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)

from bot.config import SettingsError

logger = logging.getLogger(__name__)

FIRST_DELAY = 1.0
MAX_DELAY = 60.0


def backoff(attempt: int, first: float = FIRST_DELAY, most: float = MAX_DELAY) -> float:
    """Seconds to wait after the `attempt`-th failure: 1, 2, 4, … capped at `most`."""
    return min(most, first * 2.0 ** min(attempt - 1, 16))


async def wait_for_telegram(
    bot: Bot, stop: asyncio.Event, *, first: float = FIRST_DELAY, most: float = MAX_DELAY
) -> bool:
    """Call getMe until Telegram answers; False if `stop` was set while waiting.

    Network errors, 5xx and 429 are waited out with backoff, one log line per attempt. A
    rejected token (401) propagates; a 404 (no Bot API server at that URL, or a malformed
    token) is a configuration error.
    """
    attempt = 0
    while not stop.is_set():
        attempt += 1
        call = asyncio.ensure_future(bot.get_me())
        stopping = asyncio.ensure_future(stop.wait())
        await asyncio.wait({call, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not call.done():
            call.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await call
            return False
        try:
            call.result()
        except TelegramNotFound:
            raise SettingsError(
                "configuration error: Telegram answered 404 Not Found: "
                "check BOT_TOKEN and TELEGRAM_API_URL"
            ) from None
        except (TelegramNetworkError, TelegramServerError, TelegramRetryAfter) as exc:
            delay = backoff(attempt, first, most)
            if isinstance(exc, TelegramRetryAfter):
                delay = min(float(exc.retry_after), most)
            logger.warning(
                "Telegram is unreachable (attempt %s: %s); retrying in %g s",
                attempt,
                _reason(exc),
                delay,
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=delay)
            continue
        if attempt > 1:
            logger.info("Telegram is reachable (after %s attempts)", attempt)
        return True
    return False


def _reason(exc: Exception) -> str:
    text = " ".join(str(exc).split()).removeprefix("HTTP Client says - ")
    return f"{type(exc).__name__}: {text[:200]}"
