"""Agents' commands in the support forum: /license, /recheck, /close, /ban and /unban in a
customer's topic, /queue anywhere there, and a topic closed by hand counting as /close."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import BaseFilter, Command
from aiogram.types import InlineKeyboardMarkup, Message

from bot.clock import Clock
from bot.handlers.agents import recheck_chat
from bot.i18n import LANGUAGES, Translator
from bot.licensing.service import VerificationService
from bot.outbound.desk import SupportDesk
from bot.outbound.status_board import StatusBoard
from bot.views import desk_tools as views
from bot.views.status import status_text
from storage.records import Conversation
from storage.repository import Repository

logger = logging.getLogger(__name__)


class CustomerOutbox(Protocol):
    """What closing needs of the desk's outbox (bot.outbound.outbox.Outbox)."""

    async def tell_customer(
        self,
        customer_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None = None,
        *,
        dedup: str | None = None,
    ) -> None: ...


class TopicRefresher(Protocol):
    """What /recheck needs of the topics (bot.outbound.topics.TopicKeeper)."""

    async def refresh(self, customer_id: int) -> None: ...


class InSupportForum(BaseFilter):
    """Passes messages in the support forum while the desk is on."""

    async def __call__(self, message: Message, desk: SupportDesk | None = None) -> bool:
        return desk is not None and desk.is_forum_chat(message.chat.id)


class InCustomerTopic(BaseFilter):
    """Passes messages in a customer's topic; hands the conversation on as `conversation`."""

    async def __call__(self, message: Message, repo: Repository) -> bool | dict[str, Any]:
        thread = message.message_thread_id
        if not message.is_topic_message or thread is None:
            return False
        conversation = await repo.conversation_by_topic(thread)
        return {"conversation": conversation} if conversation is not None else False


async def close_conversation(
    conversation: Conversation,
    closing: int,
    repo: Repository,
    outbox: CustomerOutbox,
    i18n: Translator,
) -> None:
    """Mark it closed and tell the customer, in their language, with the rating buttons."""
    await repo.set_closed(conversation.customer_id, True)
    await repo.set_closing(conversation.customer_id, closing)
    language = conversation.language if conversation.language in LANGUAGES else None
    with i18n.use_locale(language or i18n.default_locale):
        text = views.closed_for_customer()
    await outbox.tell_customer(
        conversation.customer_id, text, views.rating_keyboard(closing), dedup=f"close:{closing}"
    )
    logger.info("conversation with customer %s closed", conversation.customer_id)


async def on_license(
    message: Message, conversation: Conversation, repo: Repository, clock: Clock
) -> None:
    """Receives /license in a customer's topic: that customer's licenses, agent view."""
    licenses = await repo.licenses_for_chat(conversation.customer_id)
    waiting = await repo.waiting_in_chat(conversation.customer_id)
    text = status_text(licenses, clock.now(), agent=True, waiting=[p.request_id for p in waiting])
    await message.answer(text)


async def on_recheck(
    message: Message,
    conversation: Conversation,
    repo: Repository,
    service: VerificationService,
    board: StatusBoard,
    clock: Clock,
    topics: TopicRefresher,
) -> None:
    """Receives /recheck in a customer's topic: asks the backend about their licenses."""
    text = await recheck_chat(conversation.customer_id, repo, service, board, clock)
    await topics.refresh(conversation.customer_id)
    await message.answer(text)


async def on_close(
    message: Message,
    conversation: Conversation,
    repo: Repository,
    outbox: CustomerOutbox,
    i18n: Translator,
    desk: SupportDesk,
    bot: Bot,
) -> None:
    """Receives /close in a customer's topic: the customer is told, the topic closed."""
    if conversation.closed:
        await message.answer(views.already_closed())
        return
    await close_conversation(conversation, message.message_id, repo, outbox, i18n)
    await message.answer(views.closed_in_topic())
    if desk.chat_id is not None and conversation.topic_id is not None:
        try:
            await bot.close_forum_topic(desk.chat_id, conversation.topic_id)
        except TelegramAPIError as exc:
            logger.warning("cannot close topic %s: %s", conversation.topic_id, exc.message)


async def on_closed_by_hand(
    message: Message,
    conversation: Conversation,
    repo: Repository,
    outbox: CustomerOutbox,
    i18n: Translator,
) -> None:
    """Receives «topic closed» by an agent in Telegram: counts as /close."""
    if not conversation.closed:
        await close_conversation(conversation, message.message_id, repo, outbox, i18n)


async def on_reopened_by_hand(
    message: Message, conversation: Conversation, repo: Repository
) -> None:
    """Receives «topic reopened» by an agent in Telegram: the conversation is open again."""
    if conversation.closed:
        await repo.set_closed(conversation.customer_id, False)


async def on_ban(message: Message, conversation: Conversation, repo: Repository) -> None:
    """Receives /ban in a customer's topic: their messages are no longer relayed."""
    done = not conversation.banned and await repo.set_banned(conversation.customer_id, True)
    await message.answer(views.banned(done))


async def on_unban(message: Message, conversation: Conversation, repo: Repository) -> None:
    """Receives /unban in a customer's topic: their messages are relayed again."""
    done = conversation.banned and await repo.set_banned(conversation.customer_id, False)
    await message.answer(views.unbanned(done))


async def on_queue(message: Message, repo: Repository, desk: SupportDesk, clock: Clock) -> None:
    """Receives /queue anywhere in the forum: who waits for an answer, longest first."""
    waiting = await repo.waiting_queue()
    await message.answer(views.queue_text(desk.chat_id or 0, waiting, clock.timestamp()))


async def on_outside_topic(message: Message) -> None:
    """Receives a topic command in the forum outside a customer's topic."""
    await message.answer(views.topic_only())


TOPIC_COMMANDS = ("recheck", "close", "ban", "unban")


def get_router() -> Router:
    router = Router(name="desk-topics")
    router.message.filter(InSupportForum())
    router.message.register(on_queue, Command("queue", ignore_case=True))
    license_here = Command("license", ignore_case=True, magic=F.args.is_(None))
    topic = InCustomerTopic()
    router.message.register(on_license, license_here, topic)
    router.message.register(on_recheck, Command("recheck", ignore_case=True), topic)
    router.message.register(on_close, Command("close", ignore_case=True), topic)
    router.message.register(on_ban, Command("ban", ignore_case=True), topic)
    router.message.register(on_unban, Command("unban", ignore_case=True), topic)
    # The bot's own closing comes back as an update too: only a person's counts.
    by_person = F.from_user.is_bot.is_(False)
    router.message.register(on_closed_by_hand, F.forum_topic_closed, by_person, topic)
    router.message.register(on_reopened_by_hand, F.forum_topic_reopened, by_person, topic)
    router.message.register(on_outside_topic, license_here)
    router.message.register(on_outside_topic, Command(*TOPIC_COMMANDS, ignore_case=True))
    return router
