"""Sends what the reminder scheduler (bot.licensing.reminders) decided: reminders, renewals,
the daily status refresh and the agents' digest, each in the chat's language. Flood limits
are kept by the session middleware (bot.outbound.throttle); all of this is background work,
so it waits behind answers to people when the budget is short."""

from __future__ import annotations

import asyncio
import logging
from datetime import date, timedelta

from aiogram.exceptions import TelegramAPIError

from bot.i18n import ChatLanguages
from bot.licensing.models import LicenseCheck
from bot.licensing.schedule import ENDED, ENDING_SOON_DAYS, RECENTLY_ENDED_DAYS
from bot.outbound.delivery import Delivery
from bot.outbound.desk_notes import DeskNotes
from bot.outbound.status_board import StatusBoard
from bot.outbound.support_chat import SupportChat
from bot.outbound.throttle import background_sends
from bot.views.desk_notes import ratings_line
from bot.views.digest import digest_text
from bot.views.keyboards import renewal_keyboard
from bot.views.reminders import reminder_text, renewed_text
from storage.repository import Repository

logger = logging.getLogger(__name__)

MAX_PAGES = 1000  # a bound on one refresh, should a page ever fail to move forward


class ReminderSender:
    """The scheduler's ReminderNotifier on Telegram."""

    def __init__(
        self,
        repo: Repository,
        board: StatusBoard,
        delivery: Delivery,
        languages: ChatLanguages,
        support_chat_id: int | None,
        *,
        page_size: int = 200,
        concurrency: int = 8,
        support_chat: SupportChat | None = None,
        notes: DeskNotes | None = None,
    ) -> None:
        self.repo = repo
        self.board = board
        self.delivery = delivery
        self.languages = languages
        self.support_chat_id = support_chat_id
        self.page_size = page_size
        self.support_chat = support_chat  # the digest goes there (the forum's Alerts topic)
        self.notes = notes  # what a customer was told also shows in their desk topic
        self._slots = asyncio.Semaphore(concurrency)

    async def remind(
        self, chat_id: int, check: LicenseCheck, stage: str, today: date
    ) -> int | None:
        async with self.languages.speaking_to(chat_id):
            text = reminder_text(stage, check, today)
            markup = renewal_keyboard([check], today)
        with background_sends():
            sent = await self.delivery.send(chat_id, text, markup=markup)
            if sent is None:
                return None
            logger.info(
                "reminder %s sent to chat %s for %s", stage, sent.chat.id, check.license_key
            )
            if stage == ENDED:
                await self.board.refresh(sent.chat.id)
            if self.notes is not None:
                await self.notes.reminder(sent.chat.id, check, stage)
        return sent.chat.id

    async def renewed(self, chat_id: int, fresh: LicenseCheck, *, announce: bool) -> None:
        with background_sends():
            if announce:
                async with self.languages.speaking_to(chat_id):
                    text = renewed_text(fresh)
                sent = await self.delivery.send(chat_id, text)
                if sent is not None and self.notes is not None:
                    await self.notes.renewed(sent.chat.id, fresh)
            await self.board.refresh(chat_id)

    async def refresh_statuses(self, today: date) -> None:
        with background_sends():
            await self._refresh_pages(today)

    async def _refresh_pages(self, today: date) -> None:
        for _ in range(MAX_PAGES):
            chat_ids = await self.repo.chats_to_refresh(today, self.page_size)
            if not chat_ids:
                break
            await asyncio.gather(*(self._refresh_one(chat_id, today) for chat_id in chat_ids))

    async def _refresh_one(self, chat_id: int, today: date) -> None:
        async with self._slots:
            try:
                await self.board.refresh(chat_id)  # marks the chat refreshed when shown
            except TelegramAPIError as exc:
                logger.warning("daily refresh of chat %s failed: %s", chat_id, exc)
                await self.repo.mark_refreshed(chat_id, today)  # tried today; again tomorrow

    async def digest(self, today: date) -> None:
        if self.support_chat_id is None:
            return
        ending = await self.repo.expiring_between(today, today + timedelta(days=ENDING_SOON_DAYS))
        ended = await self.repo.expiring_between(
            today - timedelta(days=RECENTLY_ENDED_DAYS), today - timedelta(days=1)
        )
        ratings = await self.repo.take_ratings_for_digest()
        async with self.languages.speaking_to(self.support_chat_id):
            text = digest_text(today, ending, ended)
            if self.support_chat is not None and self.support_chat.desk.enabled:
                text += "\n\n" + ratings_line(ratings)
        with background_sends():
            if self.support_chat is not None:
                await self.support_chat.send(text)
            else:
                await self.delivery.send(self.support_chat_id, text)
