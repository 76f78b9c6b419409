"""Alerts for the support team's own chat (SUPPORT_CHAT_ID), sent at most once per window."""

from __future__ import annotations

import logging
import time

from aiogram.exceptions import TelegramAPIError

from bot.licensing.models import Misconfigured
from bot.outbound.delivery import Delivery
from bot.views import texts

logger = logging.getLogger(__name__)


class OperatorAlerts:
    """Tells the agents' chat about operator problems without flooding it."""

    def __init__(
        self, delivery: Delivery, chat_id: int | None, *, window_seconds: float = 900.0
    ) -> None:
        self.delivery = delivery
        self.chat_id = chat_id
        self.window_seconds = window_seconds
        self._last_sent: dict[str, float] = {}
        self._told_backend_down = False

    async def backend_misconfigured(self, problem: Misconfigured) -> None:
        await self._send(
            "backend-auth", texts.OPERATOR_BACKEND_AUTH.format(status=problem.status_code)
        )

    async def backend_circuit(self, available: bool) -> None:
        """The backend's circuit opened (it stopped answering) or closed (it answers again).

        One alert per outage: the circuit re-opening after a failed trial is no change, and
        an outage within the window of the last one is not announced again. «Back up» is
        said only after a «down» that was said.
        """
        if not available:
            if await self._send("backend-down", texts.OPERATOR_BACKEND_DOWN):
                self._told_backend_down = True
        elif self._told_backend_down:
            self._told_backend_down = False
            await self._send("backend-up", texts.OPERATOR_BACKEND_UP, windowed=False)

    async def _send(self, kind: str, text: str, *, windowed: bool = True) -> bool:
        """Send unless this kind went out within the window; True if it was sent."""
        if self.chat_id is None:
            return False
        now = time.monotonic()
        last = self._last_sent.get(kind)
        if windowed and last is not None and now - last < self.window_seconds:
            return False
        self._last_sent[kind] = now
        try:
            sent = await self.delivery.send(self.chat_id, text)
        except TelegramAPIError as exc:
            logger.error("could not alert the support chat %s: %s", self.chat_id, exc)
            return False
        return sent is not None
