"""Short notes in a customer's topic about what the bot told them privately (reminders,
renewals, delayed answers) and about them blocking or unblocking the bot. Written in the
forum's language; only for customers who have a conversation, and only with the desk on."""

from __future__ import annotations

import logging
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from bot.i18n import ChatLanguages
from bot.licensing.models import LicenseCheck
from bot.outbound.desk import SupportDesk
from bot.views.desk_notes import (
    blocked_note,
    delayed_answer_note,
    rating_note,
    reminder_note,
    renewed_note,
)
from storage.repository import Repository

logger = logging.getLogger(__name__)


class NoteOutbox(Protocol):
    """What the notes need of the desk's outbox (bot.outbound.outbox.Outbox)."""

    async def note(self, customer_id: int, text: str, *, dedup: str | None = None) -> None: ...


class DeskNotes:
    """Puts the notes into the outbox, after whatever is queued for that customer."""

    def __init__(
        self, outbox: NoteOutbox, desk: SupportDesk, repo: Repository, languages: ChatLanguages
    ) -> None:
        self.outbox = outbox
        self.desk = desk
        self.repo = repo
        self.languages = languages

    async def _wanted(self, chat_id: int) -> bool:
        if not self.desk.enabled or self.desk.chat_id is None or chat_id <= 0:
            return False  # a group is no customer's private chat
        return await self.repo.conversation(chat_id) is not None

    async def reminder(self, chat_id: int, check: LicenseCheck, stage: str) -> None:
        if await self._wanted(chat_id):
            async with self._forum_language():
                text = reminder_note(stage, check)
            await self.outbox.note(chat_id, text)

    async def renewed(self, chat_id: int, check: LicenseCheck) -> None:
        if await self._wanted(chat_id):
            async with self._forum_language():
                text = renewed_note(check)
            await self.outbox.note(chat_id, text)

    async def delayed_answer(self, chat_id: int, found: int, total: int) -> None:
        if await self._wanted(chat_id):
            async with self._forum_language():
                text = delayed_answer_note(found, total)
            await self.outbox.note(chat_id, text)

    async def rated(self, customer_id: int, score: int, closing: int) -> None:
        if await self._wanted(customer_id):
            async with self._forum_language():
                text = rating_note(score)
            await self.outbox.note(customer_id, text, dedup=f"rating:{customer_id}:{closing}")

    async def blocked(self, chat_id: int, blocked: bool) -> None:
        """The customer blocked (or unblocked) the bot in their private chat."""
        if not await self._wanted(chat_id):
            return
        await self.repo.set_blocked(chat_id, blocked)
        logger.info("customer %s %s the bot", chat_id, "blocked" if blocked else "unblocked")
        async with self._forum_language():
            text = blocked_note(blocked)
        await self.outbox.note(chat_id, text)

    def _forum_language(self) -> AbstractAsyncContextManager[str]:
        return self.languages.speaking_to(self.desk.chat_id or 0)
