"""Sending outside a handler: follows migrated chats and marks blocked ones inactive."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError, TelegramMigrateToChat
from aiogram.types import InlineKeyboardMarkup, Message, ReplyParameters

from storage.repository import Repository

logger = logging.getLogger(__name__)


class Delivery:
    """Sends a message to a chat the bot knows; returns None when the chat is gone."""

    def __init__(self, bot: Bot, repo: Repository) -> None:
        self.bot = bot
        self.repo = repo

    async def send(
        self,
        chat_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        markup: InlineKeyboardMarkup | None = None,
    ) -> Message | None:
        reply = (
            ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
            if reply_to
            else None
        )
        try:
            return await self.bot.send_message(
                chat_id, text, reply_parameters=reply, reply_markup=markup
            )
        except TelegramMigrateToChat as exc:
            await self.chat_migrated(chat_id, exc.migrate_to_chat_id)
            # The reply target lives in the old chat; send plainly to the new one.
            return await self.send(exc.migrate_to_chat_id, text, markup=markup)
        except TelegramForbiddenError as exc:
            await self.chat_gone(chat_id, exc.message)
            return None

    async def chat_migrated(self, old_id: int, new_id: int) -> None:
        logger.info("chat %s migrated to %s", old_id, new_id)
        await self.repo.migrate_chat(old_id, new_id)

    async def chat_gone(self, chat_id: int, reason: str) -> None:
        logger.info("chat %s is gone for the bot: %s", chat_id, reason)
        await self.repo.set_chat_active(chat_id, False)
