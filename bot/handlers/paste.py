"""Pasted license texts (new, edited, forwarded, captions): verify, answer, pin."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from aiogram import Router
from aiogram.types import InlineKeyboardMarkup, Message, ReplyParameters

from bot.clock import Clock
from bot.config import Settings
from bot.handlers.filters import FromPerson, HasClaims, person_id
from bot.handlers.quota import LookupQuota
from bot.licensing.models import CheckResult, Claim, Found
from bot.licensing.records import ChatSeen
from bot.licensing.service import VerificationService
from bot.outbound.status_board import StatusBoard
from bot.transport.updates import chat_title
from bot.views.answers import paste_answer, rate_limited
from bot.views.keyboards import renewal_keyboard
from storage.repository import Repository

logger = logging.getLogger(__name__)

# Renders the reply from the backend's results, today, (total, limit) when capped, and
# whether the status was sent as the answer (then only what it does not say, or "").
Render = Callable[[list[CheckResult], date, tuple[int, int] | None, bool], str]


@dataclass(frozen=True)
class ClaimContext:
    """What serving a claim needs, whether it was pasted or read from a picture."""

    settings: Settings
    is_agent: bool
    user_language: str
    repo: Repository
    service: VerificationService
    board: StatusBoard
    clock: Clock
    quota: LookupQuota


async def serve_claims(
    message: Message, claims: list[Claim], ctx: ClaimContext, render: Render
) -> None:
    """Quota; backend check, then the chat row and verdicts in one transaction; answer.

    A chat's first verified paste is answered by the status itself, as a reply, pinned (two
    calls); what the status does not say follows in a reply of its own. Later pastes get a
    reply, and the pinned status is edited in place.
    """
    limit = ctx.settings.max_claims_per_message
    capped = (len(claims), limit) if len(claims) > limit else None
    claims = claims[:limit]
    chat_id = message.chat.id
    user_id = person_id(message)
    request_ids = [claim.request_id for claim in claims]
    quota = ctx.quota
    if not ctx.is_agent:
        if quota.repeated(chat_id, request_ids):
            # One answer covers a burst of the same paste; the status is still put right
            # (re-sent and re-pinned if it was deleted), which is often why it came again.
            logger.info("chat %s: the same Request IDs again at once; not checked again", chat_id)
            # A status still to come is the first paste's own answer: not sent from here.
            await ctx.board.refresh(chat_id, create=False)
            return
        if not quota.take(chat_id, user_id, len(claims)):
            logger.info("chat %s, user %s: look-up limit reached", chat_id, user_id)
            if quota.tell_limited(chat_id):
                await reply(message, rate_limited())
            return
    # The chat row goes to disk with the verdicts; a group keeps the language of whoever
    # first shared a license there.
    seen = ChatSeen(message.chat.type, chat_title(message.chat), ctx.user_language)
    try:
        outcomes = await ctx.service.verify(chat_id, claims, user_id, message.message_id, seen)
    except Exception:
        quota.forget(chat_id, request_ids)  # not answered: the same paste may come again
        raise
    try:
        today = ctx.clock.today()
        checks = [o.check for o in outcomes if isinstance(o, Found)]
        status_sent = bool(checks) and await ctx.board.answer(chat_id, message.message_id)
        text = render(outcomes, today, capped, status_sent)
        if text:
            markup = None if status_sent else renewal_keyboard(checks, today)
            await reply(message, text, markup)
    except Exception:
        # Stored but not told: the retry loop answers later (the same paste may come again).
        quota.forget(chat_id, request_ids)
        await ctx.service.owe_answers(chat_id, claims, outcomes, user_id, message.message_id)
        raise
    if checks and not status_sent:
        await ctx.board.refresh(chat_id)


def _paste_render(
    results: list[CheckResult], today: date, capped: tuple[int, int] | None, status_sent: bool
) -> str:
    return paste_answer(results, today, capped=capped, status_sent=status_sent)


async def on_paste(
    message: Message,
    claims: list[Claim],
    settings: Settings,
    is_agent: bool,
    user_language: str,
    repo: Repository,
    service: VerificationService,
    board: StatusBoard,
    clock: Clock,
    quota: LookupQuota,
) -> None:
    """Receives a message whose text or caption holds one or more Request IDs."""
    ctx = ClaimContext(settings, is_agent, user_language, repo, service, board, clock, quota)
    await serve_claims(message, claims, ctx, _paste_render)


async def reply(message: Message, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    """Answer a message as a reply, also when it was deleted meanwhile."""
    await message.answer(
        text,
        reply_parameters=ReplyParameters(
            message_id=message.message_id, allow_sending_without_reply=True
        ),
        reply_markup=markup,
    )


def get_router() -> Router:
    router = Router(name="paste")
    router.message.filter(FromPerson())
    router.edited_message.filter(FromPerson())
    router.message.register(on_paste, HasClaims())
    router.edited_message.register(on_paste, HasClaims())
    return router
