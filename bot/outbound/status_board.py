"""The one pinned status message per chat: created, edited in place, re-sent when deleted."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramMigrateToChat,
)
from aiogram.types import InlineKeyboardMarkup

from bot.clock import Clock
from bot.i18n import ChatLanguages
from bot.licensing.records import StoredLicense
from bot.outbound.delivery import Delivery
from bot.transport.updates import ChatLocks
from bot.views.keyboards import renewal_keyboard
from bot.views.notices import pin_no_rights
from bot.views.status import status_text
from storage.records import ChatRecord
from storage.repository import Repository

logger = logging.getLogger(__name__)

GONE_MARKERS = ("message to edit not found", "message can't be edited", "message_id_invalid")
NO_RIGHTS_MARKERS = ("not enough rights", "chat_admin_required", "rights")


class StatusBoard:
    """Keeps the chat's status message true, in the chat's language; one refresh at a time."""

    after_refresh: Callable[[int], Awaitable[None]] | None = None

    def __init__(
        self,
        bot: Bot,
        repo: Repository,
        clock: Clock,
        delivery: Delivery,
        languages: ChatLanguages,
    ) -> None:
        self.bot = bot
        self.repo = repo
        self.clock = clock
        self.delivery = delivery
        self.languages = languages
        self._lock = ChatLocks()

    async def refresh(self, chat_id: int, *, create: bool = True) -> None:
        """Bring the pinned status in line with storage (no-op for unknown/inactive chats).

        `create=False`: only put right a status the chat has (edit, or re-send if deleted).
        """
        async with self._lock(chat_id):
            try:
                await self._refresh(chat_id, create)
            except TelegramMigrateToChat as exc:
                await self.delivery.chat_migrated(chat_id, exc.migrate_to_chat_id)
                await self._refresh(exc.migrate_to_chat_id, create)
            except TelegramForbiddenError as exc:
                await self.delivery.chat_gone(chat_id, exc.message)
        if self.after_refresh is not None and chat_id > 0:  # a private chat: the desk's card
            await self.after_refresh(chat_id)

    async def answer(self, chat_id: int, reply_to: int) -> bool:
        """Answer a paste with the status itself when the chat has none yet: sent as a reply
        and pinned, two calls. False when the chat already has one (or nothing to show): the
        caller replies and `refresh` edits it in place."""
        async with self._lock(chat_id):
            chat, licenses = await self.repo.chat_with_licenses(chat_id)
            if chat is None or not chat.active or chat.status_message_id is not None:
                return False
            if not licenses:
                return False
            try:
                async with self.languages.speaking_to(chat_id):
                    text, markup = self._render(licenses)
                    await self._send_and_pin(
                        chat_id, text, markup, chat.pin_problem_notified, reply_to=reply_to
                    )
            except TelegramForbiddenError as exc:
                await self.delivery.chat_gone(chat_id, exc.message)
            return True

    def _render(self, licenses: list[StoredLicense]) -> tuple[str, InlineKeyboardMarkup | None]:
        now = self.clock.now()
        markup = renewal_keyboard((s.check for s in licenses), now.date())
        return status_text(licenses, now), markup

    async def _refresh(self, chat_id: int, create: bool) -> None:
        chat, licenses = await self.repo.chat_with_licenses(chat_id)
        if chat is None or not chat.active:
            return
        if chat.status_message_id is None and not create:
            return
        async with self.languages.speaking_to(chat_id):
            await self._show(chat, licenses)

    async def _show(self, chat: ChatRecord, licenses: list[StoredLicense]) -> None:
        chat_id = chat.chat_id
        text, markup = self._render(licenses)
        if chat.status_message_id is not None:
            try:
                await self.bot.edit_message_text(
                    text=text,
                    chat_id=chat_id,
                    message_id=chat.status_message_id,
                    reply_markup=markup,
                )
            except TelegramBadRequest as exc:
                lowered = exc.message.lower()
                if "not modified" in lowered:
                    pass  # already shows exactly this
                elif any(marker in lowered for marker in GONE_MARKERS):
                    logger.info("status message in chat %s is gone; sending anew", chat_id)
                    await self._send_and_pin(chat_id, text, markup, chat.pin_problem_notified)
                    return
                else:
                    raise
            if chat.pin_problem_notified:
                await self._pin(chat_id, chat.status_message_id, notified=True)
            await self.repo.mark_refreshed(chat_id, self.clock.today())
            return
        if licenses:
            await self._send_and_pin(chat_id, text, markup, chat.pin_problem_notified)

    async def _send_and_pin(
        self,
        chat_id: int,
        text: str,
        markup: InlineKeyboardMarkup | None,
        notified: bool,
        *,
        reply_to: int | None = None,
    ) -> None:
        message = await self.delivery.send(chat_id, text, reply_to=reply_to, markup=markup)
        if message is None:
            return
        chat_id = message.chat.id  # a group that migrated on the way has a new id
        # Pinned (or the missing right explained) before it is remembered: a crash in
        # between leaves no remembered status unpinned; the replayed paste sends it anew.
        await self._pin(chat_id, message.message_id, notified=notified)
        await self.repo.set_status_message(chat_id, message.message_id, self.clock.today())

    async def _pin(self, chat_id: int, message_id: int, *, notified: bool) -> None:
        try:
            await self.bot.pin_chat_message(chat_id, message_id, disable_notification=True)
        except TelegramBadRequest as exc:
            if not any(marker in exc.message.lower() for marker in NO_RIGHTS_MARKERS):
                raise
            if not notified:
                logger.info("cannot pin in chat %s: %s", chat_id, exc.message)
                await self.repo.set_pin_problem_notified(chat_id, True)
                await self.delivery.send(chat_id, pin_no_rights())
            return
        if notified:
            await self.repo.set_pin_problem_notified(chat_id, False)
