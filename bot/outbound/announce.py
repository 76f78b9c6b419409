"""Answers that arrive later: a delayed check resolved, so the chat hears back unprompted."""

from __future__ import annotations

from bot.clock import Clock
from bot.licensing.models import CheckResult, Found
from bot.outbound.delivery import Delivery
from bot.outbound.status_board import StatusBoard
from bot.views.keyboards import renewal_keyboard
from bot.views.render import paste_answer


class Announcer:
    """Sends the verdict as a reply to the original paste and refreshes the pin.

    The retry worker's ClaimNotifier (bot.licensing.retry).
    """

    def __init__(self, delivery: Delivery, board: StatusBoard, clock: Clock) -> None:
        self.delivery = delivery
        self.board = board
        self.clock = clock

    async def answer(self, chat_id: int, reply_to: int | None, results: list[CheckResult]) -> None:
        today = self.clock.today()
        checks = [r.check for r in results if isinstance(r, Found)]
        sent = await self.delivery.send(
            chat_id,
            paste_answer(results, today),
            reply_to=reply_to,
            markup=renewal_keyboard(checks, today),
        )
        if sent is not None and checks:
            await self.board.refresh(sent.chat.id)
