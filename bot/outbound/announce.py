"""Answers that arrive later: a delayed check resolved, so the chat hears back unprompted."""

from __future__ import annotations

from bot.clock import Clock
from bot.i18n import ChatLanguages
from bot.licensing.models import CheckResult, Found
from bot.outbound.delivery import Delivery
from bot.outbound.desk_notes import DeskNotes
from bot.outbound.status_board import StatusBoard
from bot.views.answers import paste_answer
from bot.views.keyboards import renewal_keyboard


class Announcer:
    """Sends the verdict (in the chat's language) as a reply to the paste; refreshes the pin.

    The retry worker's ClaimNotifier (bot.licensing.retry).
    """

    def __init__(
        self, delivery: Delivery, board: StatusBoard, clock: Clock, languages: ChatLanguages
    ) -> None:
        self.delivery = delivery
        self.board = board
        self.clock = clock
        self.languages = languages
        self.notes: DeskNotes | None = None  # set with the desk: a note in the topic

    async def answer(self, chat_id: int, reply_to: int | None, results: list[CheckResult]) -> None:
        today = self.clock.today()
        checks = [r.check for r in results if isinstance(r, Found)]
        async with self.languages.speaking_to(chat_id):
            text = paste_answer(results, today)
            markup = renewal_keyboard(checks, today)
        sent = await self.delivery.send(chat_id, text, reply_to=reply_to, markup=markup)
        if sent is not None and checks:
            await self.board.refresh(sent.chat.id)
        if sent is not None and self.notes is not None:
            await self.notes.delayed_answer(sent.chat.id, len(checks), len(results))
