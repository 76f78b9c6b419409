"""Everything else: private messages without a Request ID get short help; groups stay quiet.

With the support desk on, such a message is a customer writing to the agents (the relay has
passed it on): outside SUPPORT_HOURS they hear once per 12 hours when agents will answer; a
customer with no license on file is asked for it once; otherwise the bot says nothing.

Service messages (a pin, an auto-delete timer, a shared contact request...) get nothing,
and a button the bot does not know (stale or tampered callback data) gets a short answer
instead of a spinner.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.handlers.filters import PERSON_CONTENT, FromPerson
from bot.outbound.desk import SupportDesk
from bot.views.desk_tools import customer_reply
from bot.views.help import help_text
from bot.views.notices import button_stale
from storage.repository import Repository

AUTO_REPLY_GAP = 12 * 3600.0  # at most one «agents are off» reply per customer in this time


async def on_private_other(
    message: Message,
    is_agent: bool,
    desk: SupportDesk,
    settings: Settings,
    clock: Clock,
    repo: Repository,
) -> None:
    """Receives a private message that holds no Request ID."""
    if not desk.enabled or is_agent or message.from_user is None:
        await message.answer(help_text(private=True, agent=is_agent))
        return
    customer = message.from_user
    conversation = await repo.conversation(customer.id)
    if conversation is None:  # the relay records them first; a safety net for the flags
        conversation = await repo.ensure_conversation(
            customer.id, customer.full_name, customer.username, customer.language_code
        )
    if conversation.banned:
        return  # not relayed, and not told
    now = clock.now()
    hours = settings.working_hours
    opening = None if hours.is_open(now) else hours.next_opening(now)
    if opening is not None and not await repo.claim_auto_reply(
        customer.id, now.timestamp(), AUTO_REPLY_GAP
    ):
        opening = None  # told within the last 12 hours
    ask = not await repo.licenses_for_chat(customer.id) and await repo.claim_license_request(
        customer.id
    )
    if opening is not None or ask:
        await message.answer(customer_reply(opening, ask))


async def on_unknown_button(query: CallbackQuery) -> None:
    """Receives a button press no other handler understood (stale or tampered data)."""
    await query.answer(button_stale(), show_alert=True)


# Async filters on purpose: aiogram runs a sync one (a magic F filter too) in a thread.
async def in_private(message: Message) -> bool:
    return message.chat.type == "private"


async def from_user_content(message: Message) -> bool:
    return message.content_type in PERSON_CONTENT


def get_router() -> Router:
    router = Router(name="fallback")
    router.message.filter(in_private, FromPerson())
    router.message.register(on_private_other, from_user_content)
    router.callback_query.register(on_unknown_button)
    return router
