"""The support desk's start-up check: is SUPPORT_CHAT_ID a forum, may the bot run it there,
and where do alerts go. Fills in the app's SupportDesk; never stops the bot."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommandScopeChat, ChatFullInfo

from bot.i18n import LANGUAGES, ChatLanguages
from bot.outbound.desk import SupportDesk
from bot.outbound.support_chat import SupportChat
from bot.transport.profile import language_code, menu_in
from bot.views.desk_notes import forum_command_menu, missing_rights_text
from storage.repository import Repository

logger = logging.getLogger(__name__)

NEEDED_RIGHTS = ("can_manage_topics", "can_pin_messages", "can_delete_messages")
REPORTED_RIGHTS_KEY = "desk.reported_missing_rights"


class DeskSetup:
    """Runs once at start-up (a Dispatcher startup handler), before updates are handled."""

    def __init__(
        self,
        bot: Bot,
        desk: SupportDesk,
        repo: Repository,
        languages: ChatLanguages,
        support_chat: SupportChat,
    ) -> None:
        self.bot = bot
        self.desk = desk
        self.repo = repo
        self.languages = languages
        self.support_chat = support_chat

    async def run(self) -> None:
        self.desk.enabled = False
        chat_id = self.desk.chat_id
        if chat_id is None:
            self._off("SUPPORT_CHAT_ID is empty")
            return
        try:
            chat = await self.bot.get_chat(chat_id)
        except TelegramAPIError as exc:
            self._off(
                f"the support chat {chat_id} cannot be reached ({exc.message}); add the bot "
                "to the group and check SUPPORT_CHAT_ID"
            )
            return
        if not chat.is_forum:
            self._off(self._not_forum(chat))
            return
        self.desk.enabled = True
        self.desk.off_reason = ""
        logger.info("support desk on: forum %s «%s»", chat_id, chat.title or "")
        await self._check_rights(chat_id)
        await self._set_menu(chat_id)
        thread = await self.support_chat.alerts_thread()
        if thread is None:
            logger.warning("support desk: alerts go to the forum's General topic")

    def _off(self, reason: str) -> None:
        self.desk.enabled = False
        self.desk.off_reason = reason
        logger.info("support desk off: %s", reason)

    @staticmethod
    def _not_forum(chat: ChatFullInfo) -> str:
        if chat.type == "supergroup" or chat.type == "group":
            return (
                f"SUPPORT_CHAT_ID {chat.id} «{chat.title or ''}» is an ordinary group, not a "
                "forum; to switch the desk on, turn on Topics in the group's settings (Edit → "
                "Topics) and restart the bot"
            )
        return f"SUPPORT_CHAT_ID {chat.id} is a {chat.type} chat, not a forum supergroup"

    async def _set_menu(self, chat_id: int) -> None:
        """The forum's command menu shows the desk's commands, in both languages."""
        for language in LANGUAGES:
            commands = menu_in(self.languages.translator, language, forum_command_menu)
            try:
                await self.bot.set_my_commands(
                    commands,
                    scope=BotCommandScopeChat(chat_id=chat_id),
                    language_code=language_code(language),
                )
            except TelegramAPIError as exc:
                logger.warning("support desk: cannot set the forum's command menu: %s", exc)

    async def _check_rights(self, chat_id: int) -> None:
        try:
            me = await self.bot.me()
            member = await self.bot.get_chat_member(chat_id, me.id)
        except TelegramAPIError as exc:
            logger.warning("support desk: cannot read the bot's rights: %s", exc.message)
            return
        if member.status == "creator":
            missing: list[str] = []
        else:
            missing = [r for r in NEEDED_RIGHTS if not getattr(member, r, False)]
        self.desk.missing_rights = missing
        reported = await self.repo.meta_value(REPORTED_RIGHTS_KEY) or ""
        current = ",".join(missing)
        if current == reported:
            return
        await self.repo.set_meta_value(REPORTED_RIGHTS_KEY, current)
        if not missing:
            logger.info("support desk: the bot has every right it needs in the forum")
            return
        logger.warning(
            "support desk: the bot lacks admin rights in the forum: %s", ", ".join(missing)
        )
        async with self.languages.speaking_to(chat_id):
            text = missing_rights_text(missing)
        try:
            await self.bot.send_message(chat_id, text)
        except TelegramAPIError as exc:
            logger.warning("support desk: cannot tell the forum about its rights: %s", exc.message)
