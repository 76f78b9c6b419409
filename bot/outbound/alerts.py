"""Alerts for the support team's own chat (SUPPORT_CHAT_ID), sent at most once per window."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aiogram.exceptions import TelegramAPIError

from bot.i18n import ChatLanguages
from bot.licensing.models import Misconfigured
from bot.outbound.delivery import Delivery
from bot.outbound.support_chat import SupportChat
from bot.views.digest import backend_down, backend_rejects, backend_up

logger = logging.getLogger(__name__)


class OperatorAlerts:
    """Tells the agents' chat about operator problems without flooding it."""

    def __init__(
        self,
        delivery: Delivery,
        chat_id: int | None,
        languages: ChatLanguages,
        *,
        window_seconds: float = 900.0,
    ) -> None:
        self.delivery = delivery
        self.chat_id = chat_id
        self.languages = languages
        self.window_seconds = window_seconds
        self._last_sent: dict[str, float] = {}
        self._told_backend_down = False
        self.support_chat: SupportChat | None = None  # set with the desk: the Alerts topic

    async def backend_misconfigured(self, problem: Misconfigured) -> None:
        await self._send("backend-auth", lambda: backend_rejects(problem.status_code))

    async def backend_circuit(self, available: bool) -> None:
        """The backend's circuit opened (it stopped answering) or closed (it answers again).

        One alert per outage: the circuit re-opening after a failed trial is no change, and
        an outage within the window of the last one is not announced again. «Back up» is
        said only after a «down» that was said.
        """
        if not available:
            if await self._send("backend-down", backend_down):
                self._told_backend_down = True
        elif self._told_backend_down:
            self._told_backend_down = False
            await self._send("backend-up", backend_up, windowed=False)

    async def _send(self, kind: str, render: Callable[[], str], *, windowed: bool = True) -> bool:
        """Send unless this kind went out within the window; True if it was sent."""
        if self.chat_id is None:
            return False
        now = time.monotonic()
        last = self._last_sent.get(kind)
        if windowed and last is not None and now - last < self.window_seconds:
            return False
        self._last_sent[kind] = now
        async with self.languages.speaking_to(self.chat_id):
            text = render()
        try:
            if self.support_chat is not None:
                sent = await self.support_chat.send(text)
            else:
                sent = await self.delivery.send(self.chat_id, text)
        except TelegramAPIError as exc:
            logger.error("could not alert the support chat %s: %s", self.chat_id, exc)
            return False
        return sent is not None
