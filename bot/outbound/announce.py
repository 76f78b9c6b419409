"""Answers that arrive later: a delayed check resolved, so the chat hears back unprompted."""

from __future__ import annotations

from bot.clock import Clock
from bot.licensing.service import Outcome, Verified
from bot.outbound.delivery import Delivery
from bot.outbound.status_board import StatusBoard
from bot.views.keyboards import renewal_keyboard
from bot.views.render import paste_answer


class Announcer:
    """Sends the verdict as a reply to the original paste and refreshes the pin."""

    def __init__(self, delivery: Delivery, board: StatusBoard, clock: Clock) -> None:
        self.delivery = delivery
        self.board = board
        self.clock = clock

    async def __call__(self, chat_id: int, reply_to: int | None, outcomes: list[Outcome]) -> None:
        today = self.clock.today()
        checks = [o.check for o in outcomes if isinstance(o, Verified)]
        sent = await self.delivery.send(
            chat_id,
            paste_answer(outcomes, today),
            reply_to=reply_to,
            markup=renewal_keyboard(checks, today),
        )
        if sent is not None and checks:
            await self.board.refresh(sent.chat.id)
