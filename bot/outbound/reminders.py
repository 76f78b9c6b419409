"""The reminder scheduler: runs inside the bot process, started and stopped with it.

Every sweep (once a minute, or when woken): licenses whose next look is due are
re-checked with the backend and reminded or congratulated; pinned statuses are refreshed
once a local day; the agents get their daily digest. Each reminder is recorded in SQLite
before it is sent, so a restart never sends it twice. Flood limits are kept by the
session middleware (bot.outbound.throttle).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import date, datetime, timedelta

from aiogram.exceptions import TelegramAPIError

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import ChatLanguages
from bot.licensing.models import Found, LicenseCheck, NotFound
from bot.licensing.schedule import (
    ENDED,
    ENDING_SOON_DAYS,
    RECENTLY_ENDED_DAYS,
    REMINDER_HOUR,
    RENEWED,
    current_stage,
    next_check_at,
)
from bot.licensing.service import VerificationService
from bot.outbound.delivery import Delivery
from bot.outbound.status_board import StatusBoard
from bot.views.digest import digest_text
from bot.views.keyboards import renewal_keyboard
from bot.views.reminders import reminder_text, renewed_text
from storage.records import ChatRecord, StoredLicense
from storage.repository import Repository

logger = logging.getLogger(__name__)

RETRY_LATER = timedelta(hours=1)
MAX_PAGES = 1000  # a bound on one sweep, should a schedule ever fail to move forward


def renewed(old: LicenseCheck, fresh: LicenseCheck, today: date) -> bool:
    """The backend shows a later term than the stored one (or support is back)."""
    if not fresh.is_supported(today):
        return False
    if not old.is_supported(today):
        return True
    if old.expires_on is None or fresh.expires_on is None:
        return fresh.expires_on is None and old.expires_on is not None
    return fresh.expires_on > old.expires_on


class ReminderScheduler:
    """Sweeps due licenses, stale pins and the digest; safe to call `sweep` at any time."""

    def __init__(
        self,
        settings: Settings,
        repo: Repository,
        service: VerificationService,
        board: StatusBoard,
        delivery: Delivery,
        clock: Clock,
        languages: ChatLanguages,
        *,
        interval: float = 60.0,
        page_size: int = 200,
        concurrency: int = 8,
    ) -> None:
        self.settings = settings
        self.repo = repo
        self.service = service
        self.board = board
        self.delivery = delivery
        self.clock = clock
        self.languages = languages
        self.interval = interval
        self.page_size = page_size
        self._slots = asyncio.Semaphore(concurrency)
        self._sweeping = asyncio.Lock()
        self._wake = asyncio.Event()

    async def run(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                logger.exception("reminder sweep failed; trying again next round")
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=self.interval)

    def wake(self) -> None:
        self._wake.set()

    async def sweep(self) -> None:
        async with self._sweeping:
            await self.sweep_licenses()
            await self.refresh_pins()
            await self.send_digest()

    async def sweep_licenses(self) -> int:
        """Handle every license whose next look is due; returns how many were looked at."""
        started = self.clock.timestamp()
        seen = 0
        previous_head: tuple[int, str] | None = None
        for _ in range(MAX_PAGES):
            page = await self.repo.due_licenses(started, self.page_size)
            if not page:
                break
            head = (page[0][1].chat_id, page[0][0].check.license_key)
            if head == previous_head:  # every handled license moves on; this one did not
                logger.error("reminder schedule of %s did not move forward; sweep stopped", head)
                break
            previous_head = head
            await asyncio.gather(*(self._guarded(stored, chat) for stored, chat in page))
            seen += len(page)
        return seen

    async def _guarded(self, stored: StoredLicense, chat: ChatRecord) -> None:
        async with self._slots:
            try:
                await self._process(stored, chat)
            except Exception:
                logger.exception(
                    "reminder for chat %s license %s failed",
                    chat.chat_id,
                    stored.check.license_key,
                )
                await self.repo.set_next_check(
                    chat.chat_id,
                    stored.check.license_key,
                    (self.clock.now() + RETRY_LATER).timestamp(),
                )

    async def _process(self, stored: StoredLicense, chat: ChatRecord) -> None:
        now = self.clock.now()
        today = now.date()
        chat_id, check = chat.chat_id, stored.check
        days = self.settings.reminder_days
        if self._due_stage(check, now) is not None or not check.is_supported(today):
            result = await self.service.lookup(check.request_id)
            if isinstance(result, Found):
                fresh = result.check
                await self.service.store(chat_id, fresh)
                if renewed(check, fresh, today):
                    await self._announce_renewal(chat_id, check, fresh, today)
                    return
                check = fresh
            elif not isinstance(result, NotFound):  # backend away: the backend is the truth
                await self.repo.set_next_check(
                    chat_id, check.license_key, (now + RETRY_LATER).timestamp()
                )
                return
        stage = self._due_stage(check, now)
        if stage is not None:
            landed = await self._remind(chat_id, check, stage, today)
            if landed is None:
                return  # the chat is gone; it gets no schedule until it comes back
            chat_id = landed  # a group upgraded to a supergroup on the way
        await self.repo.set_next_check(chat_id, check.license_key, next_check_at(check, now, days))

    def _due_stage(self, check: LicenseCheck, now: datetime) -> str | None:
        if now.hour < REMINDER_HOUR:
            return None
        return current_stage(check, now.date(), self.settings.reminder_days)

    async def _remind(
        self, chat_id: int, check: LicenseCheck, stage: str, today: date
    ) -> int | None:
        """Send one reminder unless it was sent for this term.

        Returns the chat it went to (a migrated group has a new id), None if the chat is gone.
        """
        if not await self.repo.claim_reminder(chat_id, check.license_key, check.expires_on, stage):
            return chat_id
        try:
            async with self.languages.speaking_to(chat_id):
                text = reminder_text(stage, check, today)
                markup = renewal_keyboard([check], today)
            sent = await self.delivery.send(chat_id, text, markup=markup)
        except TelegramAPIError:
            await self.repo.release_reminder(chat_id, check.license_key, check.expires_on, stage)
            raise
        if sent is None:
            return None
        logger.info("reminder %s sent to chat %s for %s", stage, sent.chat.id, check.license_key)
        if sent.chat.id != chat_id:
            await self.repo.claim_reminder(
                sent.chat.id, check.license_key, check.expires_on, stage
            )
        if stage == ENDED:
            await self.board.refresh(sent.chat.id)
        return sent.chat.id

    async def _announce_renewal(
        self, chat_id: int, old: LicenseCheck, fresh: LicenseCheck, today: date
    ) -> None:
        logger.info("license %s in chat %s renewed", fresh.license_key, chat_id)
        if not old.is_supported(today) and await self.repo.claim_reminder(
            chat_id, fresh.license_key, fresh.expires_on, RENEWED
        ):
            async with self.languages.speaking_to(chat_id):
                text = renewed_text(fresh)
            await self.delivery.send(chat_id, text)
        await self.board.refresh(chat_id)

    async def refresh_pins(self) -> int:
        """Once a local day every pinned status shows the new days left."""
        today = self.clock.today()
        done = 0
        for _ in range(MAX_PAGES):
            chat_ids = await self.repo.chats_to_refresh(today, self.page_size)
            if not chat_ids:
                break
            await asyncio.gather(*(self._refresh_one(chat_id, today) for chat_id in chat_ids))
            done += len(chat_ids)
        return done

    async def _refresh_one(self, chat_id: int, today: date) -> None:
        async with self._slots:
            try:
                await self.board.refresh(chat_id)
            except TelegramAPIError as exc:
                logger.warning("daily refresh of chat %s failed: %s", chat_id, exc)
            await self.repo.mark_refreshed(chat_id, today)

    async def send_digest(self) -> bool:
        """The agents' daily digest, once per local day from REMINDER_HOUR."""
        chat_id = self.settings.support_chat_id
        now = self.clock.now()
        if chat_id is None or now.hour < REMINDER_HOUR:
            return False
        today = now.date()
        if not await self.repo.claim_daily("digest", today):
            return False
        ending = await self.repo.expiring_between(today, today + timedelta(days=ENDING_SOON_DAYS))
        ended = await self.repo.expiring_between(
            today - timedelta(days=RECENTLY_ENDED_DAYS), today - timedelta(days=1)
        )
        async with self.languages.speaking_to(chat_id):
            text = digest_text(today, ending, ended)
        await self.delivery.send(chat_id, text)
        return True
