"""Posting to the agents' chat (SUPPORT_CHAT_ID): alerts and the digest. With the desk on,
they go into the forum's Alerts topic, which is created once, remembered, and created again
if an agent deleted it."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.types import Message

from bot.i18n import ChatLanguages
from bot.outbound.delivery import Delivery
from bot.outbound.desk import SupportDesk
from bot.views.desk_notes import alerts_topic_name
from storage.repository import Repository

logger = logging.getLogger(__name__)

ALERTS_THREAD_KEY = "desk.alerts_thread_id"
THREAD_GONE = "thread not found"


class SupportChat:
    """The agents' chat as a place to post to."""

    def __init__(
        self,
        bot: Bot,
        delivery: Delivery,
        desk: SupportDesk,
        repo: Repository,
        languages: ChatLanguages,
        chat_id: int | None,
    ) -> None:
        self.bot = bot
        self.delivery = delivery
        self.desk = desk
        self.repo = repo
        self.languages = languages
        self.chat_id = chat_id

    async def alerts_thread(self) -> int | None:
        """The Alerts topic, remembered or created now; None when it cannot be had."""
        if self.desk.alerts_thread_id is not None:
            return self.desk.alerts_thread_id
        stored = await self.repo.meta_value(ALERTS_THREAD_KEY)
        if stored is not None:
            self.desk.alerts_thread_id = int(stored)
            return self.desk.alerts_thread_id
        return await self._create_alerts_topic()

    async def _create_alerts_topic(self) -> int | None:
        chat_id = self.desk.chat_id
        if chat_id is None:
            return None
        async with self.languages.speaking_to(chat_id):
            name = alerts_topic_name()
        try:
            topic = await self.bot.create_forum_topic(chat_id, name)
        except TelegramAPIError as exc:
            logger.warning("support desk: cannot create the Alerts topic: %s", exc.message)
            return None
        logger.info("support desk: Alerts topic created (thread %s)", topic.message_thread_id)
        await self.repo.set_meta_value(ALERTS_THREAD_KEY, str(topic.message_thread_id))
        self.desk.alerts_thread_id = topic.message_thread_id
        return topic.message_thread_id

    async def send(self, text: str) -> Message | None:
        """Post `text` (already in the chat's language); raises TelegramAPIError on failure."""
        if not self.desk.enabled or self.desk.chat_id is None:
            if self.chat_id is None:
                return None
            return await self.delivery.send(self.chat_id, text)
        thread = await self.alerts_thread()
        try:
            return await self.bot.send_message(self.desk.chat_id, text, message_thread_id=thread)
        except TelegramBadRequest as exc:
            if thread is None or THREAD_GONE not in exc.message.lower():
                raise
        logger.info("support desk: the Alerts topic %s was deleted; creating it again", thread)
        self.desk.alerts_thread_id = None
        await self.repo.set_meta_value(ALERTS_THREAD_KEY, None)
        thread = await self._create_alerts_topic()
        return await self.bot.send_message(self.desk.chat_id, text, message_thread_id=thread)
