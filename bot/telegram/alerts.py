"""Alerts for the support team's own chat (SUPPORT_CHAT_ID), sent at most once per window."""

from __future__ import annotations

import logging
import time

from aiogram.exceptions import TelegramAPIError

from bot.licensing.models import Misconfigured
from bot.telegram import texts
from bot.telegram.delivery import Delivery

logger = logging.getLogger(__name__)


class OperatorAlerts:
    """Tells the agents' chat about operator problems without flooding it."""

    def __init__(self, delivery: Delivery, chat_id: int | None, *,
                 window_seconds: float = 900.0) -> None:
        self.delivery = delivery
        self.chat_id = chat_id
        self.window_seconds = window_seconds
        self._last_sent: dict[str, float] = {}

    async def backend_misconfigured(self, problem: Misconfigured) -> None:
        await self._send("backend-auth",
                         texts.OPERATOR_BACKEND_AUTH.format(status=problem.status_code))

    async def _send(self, kind: str, text: str) -> None:
        if self.chat_id is None:
            return
        now = time.monotonic()
        last = self._last_sent.get(kind)
        if last is not None and now - last < self.window_seconds:
            return
        self._last_sent[kind] = now
        try:
            await self.delivery.send(self.chat_id, text)
        except TelegramAPIError as exc:
            logger.error("could not alert the support chat %s: %s", self.chat_id, exc)
