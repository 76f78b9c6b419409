"""Pasted license texts (new, edited, forwarded, captions): verify, answer, pin."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import Message

from bot.clock import Clock
from bot.config import Settings
from bot.licensing.models import Claim
from bot.licensing.service import VerificationService, Verified
from bot.telegram.filters import HasClaims
from bot.telegram.keyboards import renewal_keyboard
from bot.telegram.render import paste_answer
from bot.telegram.status import StatusBoard
from storage.repository import Repository

logger = logging.getLogger(__name__)


def chat_title(message: Message) -> str | None:
    return message.chat.title or message.chat.full_name or None


async def on_paste(
    message: Message,
    claims: list[Claim],
    settings: Settings,
    repo: Repository,
    service: VerificationService,
    board: StatusBoard,
    clock: Clock,
) -> None:
    """Receives a message whose text or caption holds one or more Request IDs."""
    limit = settings.max_claims_per_message
    capped = (len(claims), limit) if len(claims) > limit else None
    claims = claims[:limit]
    chat_id = message.chat.id
    user_id = message.from_user.id if message.from_user else None
    await repo.upsert_chat(chat_id, message.chat.type, chat_title(message))
    outcomes = await service.verify(chat_id, claims, user_id, message.message_id)
    today = clock.today()
    checks = [o.check for o in outcomes if isinstance(o, Verified)]
    await message.reply(
        paste_answer(outcomes, today, capped=capped),
        reply_markup=renewal_keyboard(checks, today),
    )
    if checks:
        await board.refresh(chat_id)
    await service.acknowledge(chat_id, outcomes)


def get_router() -> Router:
    router = Router(name="paste")
    router.message.filter(F.from_user.is_bot.is_(False))
    router.edited_message.filter(F.from_user.is_bot.is_(False))
    router.message.register(on_paste, HasClaims())
    router.edited_message.register(on_paste, HasClaims())
    return router
