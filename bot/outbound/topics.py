"""Each customer's topic in the support forum: created on first need, with a pinned card.

The topic's name (mark, name, site) and the card (who the customer is, every license of
their chat) are rendered from storage in the forum's language; `refresh` edits them only
when they would change. A topic deleted by an agent is noticed by the sender ("message
thread not found"), which asks `recreate` for a new one.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest

from bot.clock import Clock
from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from bot.outbound.desk import SupportDesk
from bot.views.desk_card import Customer, card_text, topic_name
from storage.records import Conversation
from storage.repository import Repository

logger = logging.getLogger(__name__)


def thread_gone(exc: TelegramBadRequest) -> bool:
    return "thread not found" in exc.message.lower()


def not_modified(exc: TelegramBadRequest) -> bool:
    return "not modified" in exc.message.lower() or "topic_not_modified" in exc.message.lower()


class TopicKeeper:
    """Creates, recreates, reopens and describes the customers' topics (one at a time each)."""

    def __init__(
        self, bot: Bot, repo: Repository, desk: SupportDesk, clock: Clock, i18n: Translator
    ) -> None:
        self.bot = bot
        self.repo = repo
        self.desk = desk
        self.clock = clock
        self.i18n = i18n
        self._locks: dict[int, asyncio.Lock] = {}

    @property
    def chat_id(self) -> int:
        if self.desk.chat_id is None:
            raise RuntimeError("the support desk has no chat")
        return self.desk.chat_id

    def _lock(self, customer_id: int) -> asyncio.Lock:
        if len(self._locks) > 1000:  # keep the map bounded: drop the idle ones
            self._locks = {k: v for k, v in self._locks.items() if v.locked()}
        return self._locks.setdefault(customer_id, asyncio.Lock())

    async def topic_for(self, customer_id: int) -> int:
        """The customer's topic; created (name, card, pin) when there is none yet."""
        async with self._lock(customer_id):
            conversation = await self._conversation(customer_id)
            if conversation.topic_id is not None:
                return conversation.topic_id
            return await self._create(conversation)

    async def recreate(self, customer_id: int, lost_topic_id: int) -> int:
        """The topic was deleted: a new one (once, however many senders noticed)."""
        async with self._lock(customer_id):
            conversation = await self._conversation(customer_id)
            if conversation.topic_id not in (None, lost_topic_id):
                return conversation.topic_id
            logger.info("topic %s of customer %s is gone: a new one", lost_topic_id, customer_id)
            return await self._create(conversation)

    async def reopen(self, customer_id: int) -> int:
        """The customer wrote into a closed conversation: open its topic again."""
        topic_id = await self.topic_for(customer_id)
        try:
            await self.bot.reopen_forum_topic(self.chat_id, topic_id)
        except TelegramBadRequest as exc:
            if thread_gone(exc):
                topic_id = await self.recreate(customer_id, topic_id)
            elif not not_modified(exc):
                raise
        await self.repo.set_closed(customer_id, False)
        return topic_id

    async def refresh(self, customer_id: int) -> None:
        """Put the topic's name and card right; no call when nothing would change."""
        if not self.desk.enabled:
            return
        async with self._lock(customer_id):
            conversation = await self.repo.conversation(customer_id)
            if conversation is None or conversation.topic_id is None:
                return  # nothing to refresh until the first message creates the topic
            name, card = await self._render(conversation)
            if name != conversation.topic_title:
                try:
                    await self.bot.edit_forum_topic(self.chat_id, conversation.topic_id, name=name)
                except TelegramBadRequest as exc:
                    if thread_gone(exc):
                        return  # the next send recreates the topic, rendered afresh
                    if not not_modified(exc):
                        raise
                await self.repo.set_topic_title(customer_id, name)
            if card != await self.repo.card_text(customer_id):
                await self._edit_card(conversation, card)

    async def _conversation(self, customer_id: int) -> Conversation:
        conversation = await self.repo.conversation(customer_id)
        if conversation is not None:
            return conversation
        # A note about someone who never wrote here (a reminder sent to their chat).
        chat = await self.repo.get_chat(customer_id)
        name = chat.title if chat is not None and chat.title else str(customer_id)
        return await self.repo.ensure_conversation(customer_id, name, None, None)

    async def _render(self, conversation: Conversation) -> tuple[str, str]:
        licenses = await self.repo.licenses_for_chat(conversation.customer_id)
        language = await self.repo.chat_language(self.chat_id)
        customer = Customer(
            conversation.customer_id,
            conversation.name,
            conversation.username,
            conversation.language,
        )
        now = self.clock.now()
        with self.i18n.speaking(language if language in LANGUAGES else DEFAULT_LANGUAGE):
            return topic_name(customer, licenses, now), card_text(customer, licenses, now)

    async def _create(self, conversation: Conversation) -> int:
        name, card = await self._render(conversation)
        topic = await self.bot.create_forum_topic(self.chat_id, name)
        topic_id = topic.message_thread_id
        await self.repo.set_topic(conversation.customer_id, topic_id, name, None)
        logger.info("customer %s: topic %s created", conversation.customer_id, topic_id)
        await self._send_card(conversation.customer_id, topic_id, card)
        return topic_id

    async def _send_card(self, customer_id: int, topic_id: int, card: str) -> None:
        message = await self.bot.send_message(
            self.chat_id, card, message_thread_id=topic_id, disable_notification=True
        )
        await self.repo.set_card(customer_id, message.message_id, card)
        try:
            await self.bot.pin_chat_message(
                self.chat_id, message.message_id, disable_notification=True
            )
        except TelegramBadRequest as exc:  # no pin right: the start-up check says so
            logger.warning("customer %s: the card was not pinned: %s", customer_id, exc.message)

    async def _edit_card(self, conversation: Conversation, card: str) -> None:
        if conversation.card_message_id is not None and conversation.topic_id is not None:
            try:
                await self.bot.edit_message_text(
                    card, chat_id=self.chat_id, message_id=conversation.card_message_id
                )
            except TelegramBadRequest as exc:
                if not_modified(exc):
                    await self.repo.set_card(
                        conversation.customer_id, conversation.card_message_id, card
                    )
                    return
                if "not found" not in exc.message.lower():
                    raise
            else:
                await self.repo.set_card(
                    conversation.customer_id, conversation.card_message_id, card
                )
                return
        if conversation.topic_id is not None:  # deleted: send and pin it again
            try:
                await self._send_card(conversation.customer_id, conversation.topic_id, card)
            except TelegramBadRequest as exc:
                if not thread_gone(exc):
                    raise  # a gone topic is recreated, card and all, at the next send
