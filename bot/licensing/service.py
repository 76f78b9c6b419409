"""Verifying claims: keep them on disk, ask the backend, store the verdict. No Telegram here."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from collections.abc import Awaitable, Callable, Iterable

from bot.clock import Clock
from bot.licensing.backend import LicenseBackend
from bot.licensing.models import (
    CheckResult,
    Claim,
    Delayed,
    Found,
    LicenseCheck,
    Misconfigured,
    NotFound,
    Unavailable,
)
from bot.licensing.recent import RecentVerdicts
from bot.licensing.records import PendingCheck, Resolution
from bot.licensing.repository import LicenseRepository
from bot.licensing.schedule import current_stage, next_check_at

logger = logging.getLogger(__name__)

AlertOperator = Callable[[Misconfigured], Awaitable[None]]


class VerificationService:
    """Turns pasted claims into stored verdicts; transient failures become pending retries."""

    def __init__(
        self,
        repo: LicenseRepository,
        backend: LicenseBackend,
        clock: Clock,
        *,
        alert_operator: AlertOperator | None = None,
        reminder_days: tuple[int, ...] = (14, 3, 1),
        lease_seconds: float = 120.0,
        retry_base: float = 2.0,
        retry_cap: float = 300.0,
    ) -> None:
        self.repo = repo
        self.reminder_days = reminder_days
        self.backend = backend
        self.clock = clock
        self.alert_operator = alert_operator
        self.lease_seconds = lease_seconds
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.pending_changed = asyncio.Event()
        self.recent = RecentVerdicts(clock.timestamp)

    async def verify(
        self, chat_id: int, claims: list[Claim], requested_by: int | None, reply_to: int | None
    ) -> list[CheckResult]:
        """Check every claim for a chat whose row already exists; verdicts hit disk first."""
        lease = self.clock.timestamp() + self.lease_seconds
        await self.repo.add_pending(chat_id, claims, reply_to, requested_by, lease)
        results = await asyncio.gather(*(self._check_recent(c.request_id) for c in claims))
        return [
            await self._apply(chat_id, claim, result, requested_by, attempts=0)
            for claim, result in zip(claims, results, strict=True)
        ]

    async def retry(self, pending: PendingCheck) -> CheckResult:
        """One more backend attempt for a claim waiting on disk."""
        result = await self._check_recent(pending.request_id)
        return await self._apply(
            pending.chat_id, pending.claim, result, pending.requested_by, pending.attempts
        )

    async def recheck(self, chat_id: int, request_ids: list[str]) -> list[CheckResult]:
        """Ask the backend again about licenses a chat already holds (agents' /recheck)."""
        results = await asyncio.gather(*(self.lookup(rid) for rid in request_ids))
        for result in results:
            if isinstance(result, Found):
                await self.store(chat_id, result.check)
        return list(results)

    async def lookup(self, request_id: str) -> CheckResult:
        """Ask the backend now, whatever it said a moment ago (re-checks, reminders)."""
        result = await self.backend.check(request_id)
        self.recent.put(result)
        await self._maybe_alert(result)
        return result

    async def _check_recent(self, request_id: str) -> CheckResult:
        """A paste: a definite answer from the last minute stands; otherwise ask."""
        kept = self.recent.get(request_id)
        if kept is not None:
            return kept
        result = await self.backend.check(request_id)
        self.recent.put(result)
        return result

    async def acknowledge(self, chat_id: int, results: Iterable[CheckResult]) -> None:
        """The chat was told about these results: their pending rows can go."""
        answered = [r.request_id for r in results if not isinstance(r, Delayed)]
        if answered:
            await self.repo.acknowledge_pending(chat_id, answered)

    async def _apply(
        self,
        chat_id: int,
        claim: Claim,
        result: CheckResult,
        requested_by: int | None,
        attempts: int,
    ) -> CheckResult:
        if isinstance(result, Found):
            await self.store(chat_id, result.check, claim, requested_by, answered=True)
            return dataclasses.replace(result, claim=claim)
        if isinstance(result, NotFound):
            await self.repo.resolve_pending(chat_id, claim.request_id, Resolution.NOT_FOUND)
            return result
        await self._maybe_alert(result)
        retry_after = result.retry_after if isinstance(result, Unavailable) else None
        delay = self.backoff(attempts + 1, retry_after)
        reason = result.reason if isinstance(result, Unavailable) else result.detail
        await self.repo.reschedule_pending(
            chat_id, claim.request_id, attempts + 1, self.clock.timestamp() + delay, reason
        )
        logger.info("check of %s delayed %.1fs: %s", claim.request_id, delay, reason)
        self.pending_changed.set()
        return result

    async def store(
        self,
        chat_id: int,
        check: LicenseCheck,
        claim: Claim | None = None,
        added_by: int | None = None,
        *,
        answered: bool = False,
    ) -> None:
        """Store a verdict with its reminder schedule; an answer covers today's reminder."""
        now = self.clock.now()
        covered = current_stage(check, now.date(), self.reminder_days) if answered else None
        await self.repo.record_found(
            chat_id,
            check,
            claim,
            added_by,
            now,
            next_check_at=next_check_at(check, now, self.reminder_days),
            covered_stage=covered,
        )

    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with jitter, first retry within seconds, capped at minutes."""
        delay = min(self.retry_cap, self.retry_base * 2.0 ** max(0, attempt - 1))
        delay *= random.uniform(0.8, 1.2)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.retry_cap))
        return delay

    async def _maybe_alert(self, result: CheckResult) -> None:
        if isinstance(result, Misconfigured):
            logger.error(
                "license backend refused our credentials: %s %s",
                result.status_code,
                result.detail,
            )
            if self.alert_operator is not None:
                await self.alert_operator(result)
