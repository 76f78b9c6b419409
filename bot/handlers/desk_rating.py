"""The rating buttons under «conversation closed»: one score per closing, noted in the topic."""

from __future__ import annotations

import logging
from datetime import UTC

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery

from bot.clock import Clock
from bot.outbound.desk_notes import DeskNotes
from bot.views import desk_tools as views
from storage.repository import Repository

logger = logging.getLogger(__name__)


async def on_rate(
    query: CallbackQuery,
    callback_data: views.RateCallback,
    repo: Repository,
    clock: Clock,
    desk_notes: DeskNotes,
) -> None:
    """Receives a customer's press of a rating button (1–5) after a conversation closed."""
    customer_id = query.from_user.id
    score = callback_data.score
    if not 1 <= score <= 5:
        await query.answer(views.rating_unknown(), show_alert=True)
        return
    at = clock.now().astimezone(UTC).isoformat(timespec="seconds")
    outcome = await repo.add_rating(customer_id, callback_data.closing, score, at)
    if outcome != "stored":
        text = views.rated_already() if outcome == "rated" else views.rating_unknown()
        await query.answer(text, show_alert=True)
        return
    logger.info("customer %s rated the conversation %s of 5", customer_id, score)
    await query.answer(views.rating_thanks(score))
    if query.message is not None:
        text = views.closed_for_customer() + "\n\n" + views.rating_thanks(score)
        try:
            await query.bot.edit_message_text(  # type: ignore[union-attr]  # set by aiogram
                text=text, chat_id=query.message.chat.id, message_id=query.message.message_id
            )
        except TelegramBadRequest as exc:
            logger.warning("cannot thank customer %s in place: %s", customer_id, exc.message)
    await desk_notes.rated(customer_id, score, callback_data.closing)


def get_router() -> Router:
    router = Router(name="desk-rating")
    router.callback_query.filter(F.message.chat.type == "private")
    router.callback_query.register(on_rate, views.RateCallback.filter())
    return router
