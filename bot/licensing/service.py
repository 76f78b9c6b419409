"""Verifying claims: keep them on disk, ask the backend, store the verdict. No Telegram here."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import random
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime

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
from bot.licensing.records import ChatSeen, PendingCheck, Resolution, Verdict, Waiting
from bot.licensing.repository import LicenseRepository
from bot.licensing.schedule import current_stage, next_check_at

logger = logging.getLogger(__name__)

AlertOperator = Callable[[Misconfigured], Awaitable[None]]
SETTLED = {Found: Resolution.FOUND, NotFound: Resolution.NOT_FOUND}


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
        self,
        chat_id: int,
        claims: list[Claim],
        requested_by: int | None,
        reply_to: int | None,
        chat: ChatSeen | None = None,
    ) -> list[CheckResult]:
        """Check every claim, then store what was settled in one transaction: the chat row
        (when `chat` is given), the verdicts, and the claims left for the retry loop.

        Nothing is written before the backend answers: a crash meanwhile is covered by the
        update inbox, which hands the paste over again on the next start.
        """
        results = await asyncio.gather(*(self._check_recent(c.request_id) for c in claims))
        now = self.clock.now()
        verdicts: list[Verdict] = []
        answered: list[str] = []
        waiting: list[Waiting] = []
        outcomes: list[CheckResult] = []
        for claim, result in zip(claims, results, strict=True):
            if isinstance(result, Found):
                verdicts.append(self._verdict(result.check, claim, now, answered=True))
                answered.append(claim.request_id)
                outcomes.append(dataclasses.replace(result, claim=claim))
                continue
            if isinstance(result, NotFound):
                answered.append(claim.request_id)
            else:
                await self._maybe_alert(result)
                waiting.append(self._delayed(claim, result, attempts=0))
            outcomes.append(result)
        await self.repo.record_paste(
            chat_id,
            chat,
            verdicts,
            answered,
            waiting,
            requested_by=requested_by,
            reply_to=reply_to,
            verified_at=now,
        )
        if waiting:
            self.pending_changed.set()
        return outcomes

    async def owe_answers(
        self,
        chat_id: int,
        claims: list[Claim],
        outcomes: list[CheckResult],
        requested_by: int | None,
        reply_to: int | None,
    ) -> None:
        """The chat was not told what `verify` settled (the answer failed): the retry loop
        tells it once the lease has passed."""
        due = self.clock.timestamp() + self.lease_seconds
        owed = [
            Waiting(claim, 0, due, "answer not delivered", SETTLED[type(outcome)])
            for claim, outcome in zip(claims, outcomes, strict=True)
            if isinstance(outcome, Found | NotFound)
        ]
        if owed:
            await self.repo.keep_waiting(
                chat_id, owed, requested_by=requested_by, reply_to=reply_to
            )
            self.pending_changed.set()

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
        later = self._delayed(claim, result, attempts)
        await self.repo.reschedule_pending(
            chat_id, claim.request_id, later.attempts, later.next_attempt_at, later.error
        )
        self.pending_changed.set()
        return result

    def _delayed(self, claim: Claim, result: CheckResult, attempts: int) -> Waiting:
        """When to ask the backend again about a claim it did not settle."""
        retry_after = result.retry_after if isinstance(result, Unavailable) else None
        delay = self.backoff(attempts + 1, retry_after)
        reason = result.detail if isinstance(result, Misconfigured) else str(result)
        if isinstance(result, Unavailable):
            reason = result.reason
        logger.info("check of %s delayed %.1fs: %s", claim.request_id, delay, reason)
        return Waiting(claim, attempts + 1, self.clock.timestamp() + delay, reason)

    def _verdict(
        self, check: LicenseCheck, claim: Claim | None, now: datetime, *, answered: bool
    ) -> Verdict:
        """A verdict to store with its reminder schedule; an answer covers today's reminder."""
        covered = current_stage(check, now.date(), self.reminder_days) if answered else None
        return Verdict(check, claim, next_check_at(check, now, self.reminder_days), covered)

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
        verdict = self._verdict(check, claim, now, answered=answered)
        await self.repo.record_found(
            chat_id,
            check,
            claim,
            added_by,
            now,
            next_check_at=verdict.next_check_at,
            covered_stage=verdict.covered_stage,
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
