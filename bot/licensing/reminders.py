"""The reminder scheduler's decisions: re-check before reminding, renewals, one reminder a stage.

Every sweep (once a minute): licenses whose next look is due are re-checked with the backend
and reminded or congratulated; then the notifier refreshes stale statuses and, once a local
day from REMINDER_HOUR, sends the agents' digest. Each reminder is recorded on disk before it
is sent, so a restart never sends it twice. Sending is the notifier's business (no Telegram
here), as it is for the retry worker.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta
from typing import Protocol

from bot.clock import Clock
from bot.licensing.models import Found, LicenseCheck, NotFound
from bot.licensing.records import StoredLicense
from bot.licensing.repository import LicenseRepository
from bot.licensing.schedule import REMINDER_HOUR, RENEWED, current_stage, next_check_at, renewed
from bot.licensing.service import VerificationService

logger = logging.getLogger(__name__)

RETRY_LATER = timedelta(hours=1)
MAX_PAGES = 1000  # a bound on one sweep, should a schedule ever fail to move forward
DIGEST = "digest"


class ReminderNotifier(Protocol):
    """Sends what the scheduler decided."""

    async def remind(
        self, chat_id: int, check: LicenseCheck, stage: str, today: date
    ) -> int | None:
        """Send one reminder; the chat it landed in (a migrated group's new id), None if gone."""
        ...

    async def renewed(self, chat_id: int, fresh: LicenseCheck, *, announce: bool) -> None:
        """Show a renewed term; also tell the chat when `announce` (support is back)."""
        ...

    async def refresh_statuses(self, today: date) -> None:
        """Once a local day every shown status gets the new days left."""
        ...

    async def digest(self, today: date) -> None:
        """The agents' daily digest."""
        ...


class ReminderScheduler:
    """Sweeps due licenses, stale statuses and the digest; safe to call `sweep` at any time."""

    def __init__(
        self,
        repo: LicenseRepository,
        service: VerificationService,
        notifier: ReminderNotifier,
        clock: Clock,
        *,
        reminder_days: tuple[int, ...],
        digest_enabled: bool,
        interval: float = 60.0,
        page_size: int = 200,
        concurrency: int = 8,
    ) -> None:
        self.repo = repo
        self.service = service
        self.notifier = notifier
        self.clock = clock
        self.reminder_days = reminder_days
        self.digest_enabled = digest_enabled
        self.interval = interval
        self.page_size = page_size
        self._slots = asyncio.Semaphore(concurrency)
        self._sweeping = asyncio.Lock()

    async def run(self) -> None:
        while True:
            try:
                await self.sweep()
            except Exception:
                logger.exception("reminder sweep failed; trying again next round")
            await asyncio.sleep(self.interval)

    async def sweep(self) -> None:
        async with self._sweeping:
            await self.sweep_licenses()
            await self.notifier.refresh_statuses(self.clock.today())
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
            head = (page[0].chat_id, page[0].check.license_key)
            if head == previous_head:  # every handled license moves on; this one did not
                logger.error("reminder schedule of %s did not move forward; sweep stopped", head)
                break
            previous_head = head
            await asyncio.gather(*(self._guarded(stored) for stored in page))
            seen += len(page)
        return seen

    async def send_digest(self) -> bool:
        """The agents' daily digest, once per local day from REMINDER_HOUR."""
        now = self.clock.now()
        if not self.digest_enabled or now.hour < REMINDER_HOUR:
            return False
        if not await self.repo.claim_daily(DIGEST, now.date()):
            return False
        await self.notifier.digest(now.date())
        return True

    async def _guarded(self, stored: StoredLicense) -> None:
        async with self._slots:
            try:
                await self._process(stored.chat_id, stored.check)
            except Exception:
                logger.exception(
                    "reminder for chat %s license %s failed",
                    stored.chat_id,
                    stored.check.license_key,
                )
                later = (self.clock.now() + RETRY_LATER).timestamp()
                await self.repo.set_next_check(stored.chat_id, stored.check.license_key, later)

    async def _process(self, chat_id: int, check: LicenseCheck) -> None:
        now = self.clock.now()
        today = now.date()
        if self._due_stage(check, now) is not None or not check.is_supported(today):
            result = await self.service.lookup(check.request_id)
            if isinstance(result, Found):
                fresh = result.check
                await self.service.store(chat_id, fresh)
                if renewed(check, fresh, today):
                    await self._renewal(chat_id, check, fresh, today)
                    return
                check = fresh
            elif not isinstance(result, NotFound):  # backend away: the backend is the truth
                later = (now + RETRY_LATER).timestamp()
                await self.repo.set_next_check(chat_id, check.license_key, later)
                return
        stage = self._due_stage(check, now)
        if stage is not None:
            landed = await self._remind(chat_id, check, stage, today)
            if landed is None:
                return  # the chat is gone; it gets no schedule until it comes back
            chat_id = landed  # a group upgraded to a supergroup on the way
        await self.repo.set_next_check(
            chat_id, check.license_key, next_check_at(check, now, self.reminder_days)
        )

    def _due_stage(self, check: LicenseCheck, now: datetime) -> str | None:
        if now.hour < REMINDER_HOUR:
            return None
        return current_stage(check, now.date(), self.reminder_days)

    async def _remind(
        self, chat_id: int, check: LicenseCheck, stage: str, today: date
    ) -> int | None:
        """Send one reminder unless it was sent for this term; where it landed (see notifier)."""
        key, term = check.license_key, check.expires_on
        if not await self.repo.claim_reminder(chat_id, key, term, stage):
            return chat_id
        try:
            landed = await self.notifier.remind(chat_id, check, stage, today)
        except Exception:
            await self.repo.release_reminder(chat_id, key, term, stage)
            raise
        if landed is not None and landed != chat_id:
            await self.repo.claim_reminder(landed, key, term, stage)
        return landed

    async def _renewal(
        self, chat_id: int, old: LicenseCheck, fresh: LicenseCheck, today: date
    ) -> None:
        logger.info("license %s in chat %s renewed", fresh.license_key, chat_id)
        announce = not old.is_supported(today) and await self.repo.claim_reminder(
            chat_id, fresh.license_key, fresh.expires_on, RENEWED
        )
        await self.notifier.renewed(chat_id, fresh, announce=announce)
